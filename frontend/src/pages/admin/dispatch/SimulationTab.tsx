import { Alert, Button, Descriptions, Empty, Form, InputNumber, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useClient } from 'urql';
import { errorText } from '../../../api/errors';
import { SimulateDispatchDocument, type SimulateDispatchQuery } from '../../../generated/graphql';
import { useI18n } from '../../../i18n';
import { href } from '../../../router';
import { useUnitNames } from './shared';

type Simulation = Extract<SimulateDispatchQuery['simulateDispatch'], { __typename: 'DispatchSimulation' }>;
type Change = Simulation['changes'][number];

/** The draft replayed over the last N orders: how many would go to other units, which, and why. */
export function SimulationTab({ tenantCode }: { tenantCode: string }) {
  const { t, locale } = useI18n();
  const client = useClient();
  const names = useUnitNames(tenantCode);
  const [last, setLast] = useState(200);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<Simulation | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const unitList = (codes: readonly string[]): string => codes.length === 0 ? t('config.noUnit') : codes.map((c) => names.get(c) ?? c).join('、');

  const run = async (): Promise<void> => {
    setRunning(true);
    setProblem(null);
    const outcome = (await client.query(SimulateDispatchDocument, { tenantCode, last }, { requestPolicy: 'network-only' }).toPromise()).data?.simulateDispatch;
    setRunning(false);
    if (!outcome) setProblem(t('app.unexpectedError'));
    else if (outcome.__typename === 'ValidationErrors') setProblem(outcome.errors.map((e) => errorText(e, t, locale)).join(' '));
    else setResult(outcome);
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Text type="secondary">{t('config.simulationHint')}</Typography.Text>
      <Form layout="inline" name="simulate" onFinish={() => void run()}>
        <Form.Item label={t('config.lastOrders')} htmlFor="simulate-last">
          <InputNumber id="simulate-last" min={1} max={5000} value={last} onChange={(v) => { setLast(v ?? 200); }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={running}>{t('config.simulate')}</Button>
      </Form>
      {problem && <Alert type="error" role="alert" title={problem} />}
      {result && (
        <>
          <Space size="large" wrap aria-live="polite">
            <Statistic title={t('config.simOrders')} value={result.orders} />
            <Statistic title={t('config.simChanged')} value={result.changedCount} />
            <Statistic title={t('config.simLevelChanged')} value={result.responseLevelChanged} />
            <Statistic title={t('config.simReviewChanged')} value={result.reviewChanged} />
          </Space>
          <Table<Change>
            size="small"
            rowKey="orderId"
            dataSource={result.changes}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            locale={{ emptyText: <Empty description={t('config.noChanges')} /> }}
            expandable={{
              expandedRowRender: (c) => (
                <Descriptions size="small" column={2} items={[
                  { key: 'pb', label: t('config.decidedByPublished'), children: c.published.decidedBy ?? '—' },
                  { key: 'db', label: t('config.decidedByDraft'), children: c.draft.decidedBy ?? '—' },
                  { key: 'pl', label: t('config.levelPublished'), children: c.published.responseLevel ?? '—' },
                  { key: 'dl', label: t('config.levelDraft'), children: c.draft.responseLevel ?? '—' },
                ]} />
              ),
            }}
            columns={[
              { title: t('config.orderNumber'), key: 'number', render: (_, c) => <a href={href('/order', { id: c.orderId })}>{c.number}</a> },
              { title: t('config.publishedUnits'), key: 'published', render: (_, c) => <>{unitList(c.published.unitCodes)}{c.published.review && <Tag>{t('config.review')}</Tag>}</> },
              { title: t('config.draftUnits'), key: 'draft', render: (_, c) => <>{unitList(c.draft.unitCodes)}{c.draft.review && <Tag>{t('config.review')}</Tag>}</> },
              { title: t('config.why'), dataIndex: 'reason' },
            ]}
          />
        </>
      )}
    </Space>
  );
}
