import { App, Button, Empty, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { StatusTag } from '../../../components/StatusTag';
import {
  DispatchConfigurationDocument, DispatchVersionsDocument, PublishDispatchDocument, RollbackDispatchDocument,
  type DispatchVersionFieldsFragment,
} from '../../../generated/graphql';
import { useI18n } from '../../../i18n';
import type { MessageKey } from '../../../i18n/messages';
import { differences, type Comparable } from './diff';
import { ReasonModal, failure } from './shared';

/** Draft against the published version, publishing with a reason, and the version history with rollback. */
export function VersionsTab({ tenantCode, draftItems, onChanged }: {
  tenantCode: string;
  draftItems: readonly Comparable[];
  onChanged: () => void;
}) {
  const { t, formatDateTime } = useI18n();
  const { message } = App.useApp();
  const [published, refetchPublished] = useQuery({ query: DispatchConfigurationDocument, variables: { tenantCode, draft: false }, requestPolicy: 'network-only' });
  const [versions, refetchVersions] = useQuery({ query: DispatchVersionsDocument, variables: { tenantCode }, requestPolicy: 'network-only' });
  const [, publish] = useMutation(PublishDispatchDocument);
  const [, rollback] = useMutation(RollbackDispatchDocument);
  const [asking, setAsking] = useState<{ action: 'publish' } | { action: 'rollback'; version: number } | null>(null);
  const config = published.data?.dispatchConfiguration;
  const publishedItems = config?.__typename === 'DispatchConfiguration' ? config.items : [];
  const diff = differences(publishedItems, draftItems);
  const list = versions.data?.dispatchVersions ?? [];
  const reload = (): void => {
    refetchPublished({ requestPolicy: 'network-only' });
    refetchVersions({ requestPolicy: 'network-only' });
    onChanged();
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <div>
        <Typography.Title level={2} style={{ fontSize: 15 }}>{t('config.draftChanges')}</Typography.Title>
        {diff.length === 0 ? <Typography.Text type="secondary">{t('config.noDraftChanges')}</Typography.Text> : (
          <Table size="small" pagination={false} rowKey={(d) => `${d.kind}:${d.key}`} dataSource={diff} columns={[
            { title: t('config.kind'), key: 'kind', render: (_, d) => t(`config.kind.${d.kind}` as MessageKey) },
            { title: t('config.key'), dataIndex: 'key' },
            { title: t('config.change'), key: 'change', render: (_, d) => <StatusTag tone={d.change === 'removed' ? 'bad' : d.change === 'added' ? 'ok' : 'warn'}>{t(`config.change.${d.change}` as MessageKey)}</StatusTag> },
          ]} />
        )}
        <Button type="primary" style={{ marginTop: 8 }} disabled={diff.length === 0} onClick={() => { setAsking({ action: 'publish' }); }}>
          {t('config.publish')}
        </Button>
      </div>
      <div>
        <Typography.Title level={2} style={{ fontSize: 15 }}>{t('config.versions')}</Typography.Title>
        <Table<DispatchVersionFieldsFragment>
          size="small" rowKey="number" dataSource={list} loading={versions.fetching} pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: <Empty description={t('config.noVersions')} /> }}
          columns={[
            { title: t('config.version'), key: 'number', render: (_, v, i) => <Space>v{v.number}{i === 0 && <StatusTag tone="ok">{t('config.inForce')}</StatusTag>}{v.rollbackOf !== null && <StatusTag tone="warn">{t('config.rollbackOf', { n: v.rollbackOf })}</StatusTag>}</Space> },
            { title: t('config.reason'), dataIndex: 'reason' },
            { title: t('config.publishedBy'), dataIndex: 'publishedBy' },
            { title: t('config.publishedAt'), key: 'at', render: (_, v) => formatDateTime(v.publishedAt) },
            { title: t('config.itemCount'), dataIndex: 'itemCount' },
            { title: t('common.actions'), key: 'actions', render: (_, v, i) => i === 0 ? null : (
              <Button type="link" size="small" onClick={() => { setAsking({ action: 'rollback', version: v.number }); }}>{t('config.rollback')}</Button>
            ) },
          ]}
        />
      </div>
      {asking && (
        <ReasonModal
          title={asking.action === 'publish' ? t('config.publishTitle') : t('config.rollbackTitle', { n: asking.version })}
          okText={asking.action === 'publish' ? t('config.publish') : t('config.rollback')}
          onClose={() => { setAsking(null); }}
          submit={async (reason) => {
            const outcome = asking.action === 'publish'
              ? (await publish({ reason, tenantCode })).data?.publishDispatch
              : (await rollback({ version: asking.version, reason, tenantCode })).data?.rollbackDispatch;
            const errors = failure(outcome, t('app.unexpectedError'));
            if (!errors && outcome?.__typename === 'DispatchVersion') {
              setAsking(null);
              void message.success(t('config.published', { n: outcome.number }));
              reload();
            }
            return errors;
          }}
        />
      )}
    </Space>
  );
}
