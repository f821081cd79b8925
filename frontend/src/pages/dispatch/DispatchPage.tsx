import { Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { OrderQueueTable } from '../../components/OrderQueueTable';
import type { WorkOrderQueue } from '../../generated/graphql';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { OrderPanel } from '../orders/OrderPanel';

const TABS: { queue: WorkOrderQueue; label: MessageKey }[] = [
  { queue: 'TO_DISPATCH', label: 'dispatch.toDispatch' },
  { queue: 'RETURNS_TO_REVIEW', label: 'dispatch.returns' },
  { queue: 'REPLIES_TO_REVIEW', label: 'dispatch.replies' },
  { queue: 'REQUESTS_TO_REVIEW', label: 'dispatch.requests' },
];

/** 派单: orders to dispatch (with the rules' and the classifier's suggestions), and the reviews that wait. */
export function DispatchPage() {
  const { t } = useI18n();
  const [selected, setSelected] = useState<string | null>(null);
  const [refreshKey, setRefreshKey] = useState(0);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>{t('dispatch.title')}</Typography.Title>
      <Typography.Text type="secondary">{t('dispatch.pick')}</Typography.Text>
      <Tabs
        destroyOnHidden
        items={TABS.map((tab) => ({
          key: tab.queue,
          label: t(tab.label),
          children: (
            <OrderQueueTable
              queue={tab.queue} label={t(tab.label)} controls={['text', 'requestType', 'channel']}
              defaultSort={tab.queue === 'TO_DISPATCH' ? { field: 'RESPONSE_LEVEL' } : undefined}
              hideColumns={tab.queue === 'TO_DISPATCH' ? ['units', 'nextDueAt'] : []}
              refreshKey={refreshKey} selectedId={selected} onSelect={(row) => { setSelected(row.id); }}
            />
          ),
        }))}
      />
      <OrderPanel
        id={selected} suggest onClose={() => { setSelected(null); }}
        onChanged={() => { setRefreshKey((k) => k + 1); }}
      />
    </Space>
  );
}
