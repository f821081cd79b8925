import { Button, DatePicker, Input, Select, Space, Table, Typography } from 'antd';
import type { ColumnsType, TablePaginationConfig } from 'antd/es/table';
import type { SorterResult } from 'antd/es/table/interface';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQuery } from 'urql';
import {
  WorkOrderQueuePageDocument, type Channel, type DueFilter, type RequestType, type WorkOrderFilter, type WorkOrderOrder,
  type WorkOrderQueue, type WorkOrderRowFragment, type WorkOrderSortField, type WorkOrderState,
} from '../generated/graphql';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import { href } from '../router';
import { useViewer } from '../session';
import { DeadlineTag } from './DeadlineTag';
import { DivisionCascader } from './DivisionCascader';
import { StatusTag, type Tone } from './StatusTag';

export type Row = WorkOrderRowFragment;
export type FilterControl = 'text' | 'state' | 'requestType' | 'channel' | 'due' | 'days' | 'place';

const STATES: WorkOrderState[] = ['PENDING_DISPATCH', 'IN_PROGRESS', 'PENDING_CALLBACK', 'CLOSED', 'ARCHIVED', 'MERGED'];
const TYPES: RequestType[] = ['CONSULTATION', 'HELP', 'COMPLAINT', 'REPORT', 'SUGGESTION', 'PRAISE'];
const CHANNELS: Channel[] = ['PHONE', 'SMS', 'WEB', 'MAILBOX', 'WECHAT', 'WEIBO', 'APP', 'MESSAGE_BOARD'];
const STATE_TONE: Record<WorkOrderState, Tone> = {
  PENDING_DISPATCH: 'warn', IN_PROGRESS: 'off', PENDING_CALLBACK: 'warn', CLOSED: 'ok', ARCHIVED: 'ok', MERGED: 'off',
};
const SORTABLE: Partial<Record<string, WorkOrderSortField>> = {
  createdAt: 'CREATED_AT', nextDueAt: 'NEXT_DUE', responseLevel: 'RESPONSE_LEVEL',
};

export interface OrderQueueTableProps {
  queue: WorkOrderQueue;
  /** Conditions the screen fixes (e.g. `{ due: 'OVERDUE' }` for a tab); the person's filters add to them. */
  fixedFilter?: WorkOrderFilter;
  /** Which filter controls to show above the table (none by default). */
  controls?: FilterControl[];
  defaultSort?: WorkOrderOrder;
  /** Columns after the standard ones, e.g. the actions of the screen. */
  extraColumns?: ColumnsType<Row>;
  /** Standard columns to leave out. */
  hideColumns?: string[];
  /** Change it to fetch the page again (after an action changed orders). */
  refreshKey?: number;
  /** A row was clicked (or chosen with Enter): screens with a side panel open it there. */
  onSelect?: (row: Row) => void;
  selectedId?: string | null;
  pageSize?: number;
  /** Accessible name of the table, e.g. the tab's title. */
  label: string;
  toolbar?: ReactNode;
}

export function stateTag(t: (key: MessageKey) => string, state: WorkOrderState) {
  return <StatusTag tone={STATE_TONE[state]}>{t(`orderState.${state}`)}</StatusTag>;
}

function FilterBar({ controls, value, onChange }: {
  controls: FilterControl[];
  value: WorkOrderFilter;
  onChange: (next: WorkOrderFilter) => void;
}) {
  const { t } = useI18n();
  const viewer = useViewer();
  const has = (c: FilterControl) => controls.includes(c);
  const set = (patch: WorkOrderFilter) => {
    onChange({ ...value, ...patch });
  };
  const days: [Dayjs, Dayjs] | null = value.createdFrom && value.createdTo
    ? [dayjs(value.createdFrom), dayjs(value.createdTo)] : null;
  return (
    <Space wrap aria-label={t('queue.filters')} role="search" style={{ marginBottom: 12 }}>
      {has('text') && (
        <Input.Search
          allowClear aria-label={t('queue.search')} placeholder={t('queue.search')} style={{ width: 300 }}
          defaultValue={value.text ?? ''} onSearch={(text) => { set({ text: text.trim() || null }); }}
        />
      )}
      {has('state') && (
        <Select<WorkOrderState> allowClear aria-label={t('queue.state')} placeholder={t('queue.state')} style={{ width: 120 }}
          value={value.state ?? undefined} onChange={(v: WorkOrderState | undefined) => { set({ state: v ?? null }); }}
          options={STATES.map((s) => ({ value: s, label: t(`orderState.${s}`) }))} />
      )}
      {has('requestType') && (
        <Select<RequestType> allowClear aria-label={t('queue.requestType')} placeholder={t('queue.requestType')}
          style={{ width: 120 }} value={value.requestType ?? undefined} onChange={(v: RequestType | undefined) => { set({ requestType: v ?? null }); }}
          options={TYPES.map((s) => ({ value: s, label: t(`requestType.${s}`) }))} />
      )}
      {has('channel') && (
        <Select<Channel> allowClear aria-label={t('queue.channel')} placeholder={t('queue.channel')} style={{ width: 120 }}
          value={value.channel ?? undefined} onChange={(v: Channel | undefined) => { set({ channel: v ?? null }); }}
          options={CHANNELS.map((s) => ({ value: s, label: t(`channel.${s}`) }))} />
      )}
      {has('due') && (
        <Select<DueFilter> allowClear aria-label={t('queue.due')} placeholder={t('queue.due')} style={{ width: 160 }}
          value={value.due ?? undefined} onChange={(v: DueFilter | undefined) => { set({ due: v ?? null }); }}
          options={[{ value: 'OVERDUE', label: t('queue.dueOverdue') }, { value: 'DUE_SOON', label: t('queue.dueSoon') }]} />
      )}
      {has('days') && (
        <DatePicker.RangePicker
          aria-label={t('queue.days')} value={days}
          onChange={(range) => {
            set({ createdFrom: range?.[0]?.format('YYYY-MM-DD') ?? null, createdTo: range?.[1]?.format('YYYY-MM-DD') ?? null });
          }}
        />
      )}
      {has('place') && (
        <div style={{ width: 260 }}>
          <DivisionCascader
            aria-label={t('queue.place')} placeholder={t('queue.place')}
            rootCode={viewer.actingTenant?.divisionCode ?? null} leafLevel="street"
            value={value.divisionCode ? [value.divisionCode] : undefined}
            onChange={(path) => { set({ divisionCode: path[path.length - 1] ?? null }); }}
          />
        </div>
      )}
    </Space>
  );
}

/**
 * One work queue as a table that pages, sorts and filters on the server (`workOrderQueue` with an
 * offset per page, so a person can jump to page 7). Each number links to the order's detail.
 */
export function OrderQueueTable({
  queue, fixedFilter, controls = [], defaultSort, extraColumns = [], hideColumns = [], refreshKey = 0, onSelect,
  selectedId, pageSize: initialSize = 20, label, toolbar,
}: OrderQueueTableProps) {
  const { t, formatDateTime } = useI18n();
  const [filter, setFilter] = useState<WorkOrderFilter>({});
  const [orderBy, setOrderBy] = useState<WorkOrderOrder | undefined>(defaultSort);
  const [page, setPage] = useState({ current: 1, size: initialSize });
  const merged = useMemo(() => ({ ...filter, ...fixedFilter }), [filter, fixedFilter]);
  const [result, refetch] = useQuery({
    query: WorkOrderQueuePageDocument,
    variables: { queue, first: page.size, offset: (page.current - 1) * page.size, filter: merged, orderBy },
  });
  useEffect(() => {
    if (refreshKey > 0) refetch({ requestPolicy: 'network-only' });
  }, [refreshKey, refetch]);

  const connection = result.data?.workOrderQueue.__typename === 'WorkOrderConnection' ? result.data.workOrderQueue : null;
  const rows = connection?.edges.map((e) => e.node) ?? [];
  const sortOrder = (field: WorkOrderSortField) =>
    orderBy?.field === field ? (orderBy.descending ? 'descend' as const : 'ascend' as const) : null;

  const standard: ColumnsType<Row> = [
    {
      key: 'number', title: t('queue.number'), dataIndex: 'number', width: 200,
      render: (number: string, row) => <a href={href('/order', { id: row.id })}>{number}</a>,
    },
    {
      key: 'title', title: t('queue.title'), dataIndex: 'title', ellipsis: true,
      render: (title: string, row) => (
        <Space size={4}>
          {row.supervised && <StatusTag tone="bad">{t('queue.supervised')}</StatusTag>}
          <span>{title}</span>
        </Space>
      ),
    },
    { key: 'requestType', title: t('queue.requestType'), dataIndex: 'requestType', width: 80, render: (v: RequestType) => t(`requestType.${v}`) },
    { key: 'category', title: t('queue.category'), width: 140, ellipsis: true, render: (_: unknown, row) => row.category?.name ?? row.categoryCode },
    { key: 'place', title: t('queue.place'), width: 160, ellipsis: true, render: (_: unknown, row) => row.location.address ?? row.location.divisionCode ?? t('common.none') },
    { key: 'state', title: t('queue.state'), dataIndex: 'state', width: 90, render: (v: WorkOrderState) => stateTag(t, v) },
    {
      key: 'units', title: t('queue.units'), width: 160, ellipsis: true,
      render: (_: unknown, row) => row.assignments.filter((a) => a.state !== 'CANCELLED' && a.state !== 'RETURNED')
        .map((a) => `${a.unit.name}${a.role === 'LEAD' ? '' : `（${t('assignmentRole.SUPPORT')}）`}`).join('、') || t('common.none'),
    },
    {
      key: 'nextDueAt', title: t('queue.nextDue'), dataIndex: 'nextDueAt', width: 150, sorter: true, sortOrder: sortOrder('NEXT_DUE'),
      render: (v: string | null) => (v ? <DeadlineTag dueAt={v} /> : t('queue.noClock')),
    },
    {
      key: 'responseLevel', title: t('queue.level'), dataIndex: 'responseLevel', width: 100, sorter: true,
      sortOrder: sortOrder('RESPONSE_LEVEL'), render: (v: number) => t('queue.levelShort', { level: v }),
    },
    {
      key: 'createdAt', title: t('queue.createdAt'), dataIndex: 'createdAt', width: 170, sorter: true,
      sortOrder: sortOrder('CREATED_AT'), render: (v: string) => formatDateTime(v),
    },
  ];
  const columns = [...standard.filter((c) => !hideColumns.includes(String(c.key))), ...extraColumns];

  const onChange = (pagination: TablePaginationConfig, _filters: unknown, sorter: SorterResult<Row> | SorterResult<Row>[]) => {
    const one = Array.isArray(sorter) ? sorter[0] : sorter;
    const field = one?.order ? SORTABLE[String(one.columnKey)] : undefined;
    const next = field ? { field, descending: one?.order === 'descend' } : defaultSort;
    if (next?.field !== orderBy?.field || next?.descending !== orderBy?.descending) {
      setOrderBy(next);
      setPage({ current: 1, size: pagination.pageSize ?? page.size });
      return;
    }
    setPage({ current: pagination.current ?? 1, size: pagination.pageSize ?? page.size });
  };

  return (
    <div>
      {(controls.length > 0 || toolbar) && (
        <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
          {controls.length > 0 && (
            <FilterBar controls={controls} value={filter} onChange={(next) => { setFilter(next); setPage((p) => ({ ...p, current: 1 })); }} />
          )}
          {toolbar}
        </Space>
      )}
      {result.data?.workOrderQueue.__typename === 'ValidationErrors' && (
        <Typography.Text type="danger" role="alert">
          {result.data.workOrderQueue.errors.map((e) => e.message).join('；')}
        </Typography.Text>
      )}
      <Table<Row>
        aria-label={label}
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={rows}
        loading={result.fetching}
        locale={{
          // antd's grey empty text is too faint to read (contrast 1.8:1)
          emptyText: <div role="status" style={{ color: 'rgba(0, 0, 0, 0.7)', padding: 24 }}>
            {result.fetching ? t('app.loading') : t('queue.empty')}</div>,
        }}
        scroll={{ x: 1100 }}
        rowClassName={(row) => (row.id === selectedId ? 'ant-table-row-selected' : '')}
        onRow={onSelect ? (row) => ({
          onClick: () => { onSelect(row); },
          onKeyDown: (e) => { if (e.key === 'Enter') onSelect(row); },
          tabIndex: 0,
          style: { cursor: 'pointer' },
        }) : undefined}
        pagination={{
          current: page.current, pageSize: page.size, total: connection?.totalCount ?? 0, showSizeChanger: true,
          showTotal: (count) => t('queue.total', { count }),
        }}
        onChange={onChange}
      />
      {Object.values(filter).some((v) => v !== null) && (
        <Button type="link" onClick={() => { setFilter({}); }}>{t('queue.clear')}</Button>
      )}
    </div>
  );
}
