import { Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { OrderQueueTable } from '../../components/OrderQueueTable';
import type { WorkOrderFilter, WorkOrderOrder, WorkOrderQueue } from '../../generated/graphql';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { OrderPanel } from '../orders/OrderPanel';

const BY_DUE: WorkOrderOrder = { field: 'NEXT_DUE' };
const TABS: { key: string; queue: WorkOrderQueue; label: MessageKey; filter?: WorkOrderFilter }[] = [
  { key: 'sign', queue: 'TO_SIGN', label: 'unit.toSign' },
  { key: 'progress', queue: 'IN_PROGRESS', label: 'unit.inProgress' },
  { key: 'soon', queue: 'ALL', label: 'unit.dueSoon', filter: { due: 'DUE_SOON' } },
  { key: 'overdue', queue: 'ALL', label: 'unit.overdue', filter: { due: 'OVERDUE' } },
  { key: 'supervised', queue: 'SUPERVISED', label: 'unit.supervised' },
];

/** 承办单位工作台: what the unit must sign for, is handling, is about to miss or has missed, and is supervised on. */
export function UnitInboxPage() {
  const { t } = useI18n();
  const [selected, setSelected] = useState<string | null>(null);
  const [refreshKey, setRefreshKey] = useState(0);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>{t('unit.title')}</Typography.Title>
      <Tabs
        destroyOnHidden
        items={TABS.map((tab) => ({
          key: tab.key,
          label: t(tab.label),
          children: (
            <OrderQueueTable
              queue={tab.queue} label={t(tab.label)} fixedFilter={tab.filter} defaultSort={BY_DUE}
              controls={['text', 'requestType']} hideColumns={['units']}
              refreshKey={refreshKey} selectedId={selected} onSelect={(row) => { setSelected(row.id); }}
            />
          ),
        }))}
      />
      <OrderPanel id={selected} onClose={() => { setSelected(null); }} onChanged={() => { setRefreshKey((k) => k + 1); }} />
    </Space>
  );
}
