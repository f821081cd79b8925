import { Alert, Button, Descriptions, Form, Input, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useClient } from 'urql';
import { errorText } from '../../../api/errors';
import { StatusTag } from '../../../components/StatusTag';
import { DispatchExplanationDocument, type DispatchExplanationQuery } from '../../../generated/graphql';
import { useI18n } from '../../../i18n';
import type { MessageKey } from '../../../i18n/messages';
import { useUnitNames } from './shared';

type Explanation = Extract<DispatchExplanationQuery['dispatchExplanation'], { __typename: 'DispatchExplanation' }>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Why one order went where it went: the versions in force, each rule and catalogue entry tried. */
export function ExplainTab({ tenantCode, initialOrderId }: { tenantCode: string; initialOrderId?: string }) {
  const { t, locale } = useI18n();
  const client = useClient();
  const names = useUnitNames(tenantCode);
  const [orderId, setOrderId] = useState(initialOrderId ?? '');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [result, setResult] = useState<Explanation | null>(null);
  const [busy, setBusy] = useState(false);

  const look = async (): Promise<void> => {
    const id = orderId.trim();
    if (!UUID.test(id)) { setFieldError(t('config.orderIdInvalid')); return; }
    setBusy(true);
    const outcome = (await client.query(DispatchExplanationDocument, { orderId: id }, { requestPolicy: 'network-only' }).toPromise()).data?.dispatchExplanation;
    setBusy(false);
    setResult(null);
    if (!outcome) setFieldError(t('app.unexpectedError'));
    else if (outcome.__typename === 'ValidationErrors') setFieldError(outcome.errors.map((e) => errorText(e, t, locale)).join(' '));
    else { setFieldError(undefined); setResult(outcome); }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Form layout="inline" name="explain" onFinish={() => void look()}>
        <Form.Item label={t('config.orderId')} htmlFor="explain-order" validateStatus={fieldError ? 'error' : undefined} help={fieldError}>
          <Input id="explain-order" style={{ width: 360 }} value={orderId} autoComplete="off" onChange={(e) => { setOrderId(e.target.value); }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>{t('config.explain')}</Button>
      </Form>
      {result && !result.recorded && <Alert type="info" title={t('config.notRecorded')} />}
      {result?.recorded && (
        <>
          <Descriptions size="small" bordered column={2} items={[
            { key: 'n', label: t('config.orderNumber'), children: result.number },
            { key: 'o', label: t('config.outcome'), children: result.outcome ? t(`config.outcome.${result.outcome}` as MessageKey) : '—' },
            { key: 'v', label: t('config.versionsInForce'), children: result.versions.map((v) => `${v.tenantCode} v${v.number}`).join('，') },
            { key: 'm', label: t('config.matched'), children: result.matchedKey ? `${t(`config.kind.${result.matchedKind ?? 'RULE'}` as MessageKey)} ${result.matchedKey}（${result.matchedTenant ?? ''}）` : '—' },
            { key: 'c', label: t('config.category'), children: result.categoryCode ?? '—' },
            { key: 'l', label: t('config.level'), children: result.responseLevel ?? '—' },
            { key: 't', label: t('config.tag'), children: result.tags.map((x) => <Tag key={x}>{x}</Tag>) },
            { key: 'r', label: t('config.review'), children: result.reviewRequired ? t('config.yes') : t('config.no') },
          ]} />
          {result.problems.length > 0 && <Alert type="warning" title={result.problems.join('；')} />}
          <Typography.Title level={2} style={{ fontSize: 15 }}>{t('config.rulesTried')}</Typography.Title>
          <Table size="small" pagination={false} rowKey={(r) => `${r.tenantCode}:${r.key}`} dataSource={result.rules} columns={[
            { title: '#', dataIndex: 'order', width: 48 },
            { title: t('config.key'), dataIndex: 'key' },
            { title: t('config.tenant'), dataIndex: 'tenantCode' },
            { title: t('config.matched'), key: 'm', render: (_, r) => <StatusTag tone={r.matched ? 'ok' : 'off'}>{r.matched ? (r.decidedUnits ? t('config.decided') : t('config.matchedYes')) : t('config.matchedNo')}</StatusTag> },
            { title: t('config.why'), dataIndex: 'reason' },
          ]} />
          <Typography.Title level={2} style={{ fontSize: 15 }}>{t('config.entriesTried')}</Typography.Title>
          <Table size="small" pagination={false} rowKey={(r) => `${r.tenantCode}:${r.key}`} dataSource={result.entries} columns={[
            { title: t('config.key'), dataIndex: 'key' },
            { title: t('config.tenant'), dataIndex: 'tenantCode' },
            { title: t('config.matched'), key: 'm', render: (_, r) => <StatusTag tone={r.matched ? 'ok' : 'off'}>{r.matched ? t('config.matchedYes') : t('config.matchedNo')}</StatusTag> },
            { title: t('config.why'), dataIndex: 'reason' },
          ]} />
          {result.suggestions.length > 0 && (
            <>
              <Typography.Title level={2} style={{ fontSize: 15 }}>{t('config.suggestions')}</Typography.Title>
              <Table size="small" pagination={false} rowKey={(s) => `${s.unitCode}:${s.source}`} dataSource={result.suggestions} columns={[
                { title: t('config.unit'), key: 'u', render: (_, s) => names.get(s.unitCode) ?? s.unitCode },
                { title: t('config.score'), key: 's', render: (_, s) => s.score.toFixed(2) },
                { title: t('config.source'), dataIndex: 'source' },
                { title: t('config.why'), dataIndex: 'reason' },
              ]} />
            </>
          )}
        </>
      )}
    </Space>
  );
}
