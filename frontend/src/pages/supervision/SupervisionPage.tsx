import { PlusOutlined } from '@ant-design/icons';
import { Badge, Button, Card, Empty, Select, Space, Table, Tabs, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { useQuery } from 'urql';
import { DeadlineTag } from '../../components/DeadlineTag';
import { stateTag } from '../../components/OrderQueueTable';
import { StatusTag } from '../../components/StatusTag';
import {
  SupervisionBoardDocument, SupervisionCountsDocument, SupervisionNoticesDocument, type SupervisionBoardQuery,
  type SupervisionBoardSection, type SupervisionLevel, type SupervisionNoticesQuery, type SupervisionState,
} from '../../generated/graphql';
import { useI18n } from '../../i18n';
import { href, useRoute } from '../../router';
import { IssueNoticeModal, NoticeDrawer, deadlineKindLabel, levelTag, noticeStateTag, type IssueTarget } from './notices';
import { useCursorPager } from './pager';

const PAGE = 20;
type BoardConnection = Extract<SupervisionBoardQuery['supervisionBoard'], { __typename: 'SupervisionBoardConnection' }>;
type BoardItem = BoardConnection['edges'][number]['node'];
type NoticeConnection = Extract<SupervisionNoticesQuery['supervisionNotices'], { __typename: 'SupervisionNoticeConnection' }>;
type NoticeRow = NoticeConnection['edges'][number]['node'];

const SECTIONS: { key: SupervisionBoardSection; count: 'overdueAssignments' | 'openNotices' | 'escalations' | 'overdueCallbacks' }[] = [
  { key: 'OVERDUE_ASSIGNMENTS', count: 'overdueAssignments' },
  { key: 'OPEN_NOTICES', count: 'openNotices' },
  { key: 'ESCALATIONS', count: 'escalations' },
  { key: 'OVERDUE_CALLBACKS', count: 'overdueCallbacks' },
];
const STATES: SupervisionState[] = ['OPEN', 'REPLIED', 'CLOSED', 'ESCALATED', 'SENT'];
const LEVELS: SupervisionLevel[] = ['REMINDER', 'NOTICE', 'LISTED'];

/** 督办: the board of what is late or under supervision, the notices with their replies, and issuing one. */
export function SupervisionPage() {
  const { t } = useI18n();
  const [refreshKey, setRefreshKey] = useState(0);
  const [issuing, setIssuing] = useState<IssueTarget | null>(null);
  // The tab and the open notice live in the address (#/supervision?tab=…&notice=…): linkable, kept on reload.
  const [route, navigate] = useRoute();
  const tab = route.params.get('tab') ?? 'OVERDUE_ASSIGNMENTS';
  const openNotice = route.params.get('notice');
  const go = (next: { tab: string; notice: string | null }) => {
    navigate('/supervision', next.notice ? { tab: next.tab, notice: next.notice } : { tab: next.tab });
  };
  const setTab = (next: string) => { go({ tab: next, notice: null }); };
  const setOpenNotice = (id: string | null) => { go({ tab, notice: id }); };
  const [counts, refetchCounts] = useQuery({ query: SupervisionCountsDocument });
  useRefresh(refreshKey, refetchCounts);
  const changed = () => { setRefreshKey((k) => k + 1); };

  const count = (key: (typeof SECTIONS)[number]['count']): number | null => {
    const value = counts.data?.[key];
    return value?.__typename === 'SupervisionBoardConnection' ? value.totalCount : null;
  };
  const items = [
    ...SECTIONS.map((s) => ({
      key: s.key,
      label: (
        <Space size={6}>
          {t(`supervision.section.${s.key}`)}
          <Badge count={count(s.count) ?? 0} showZero overflowCount={999}
            color={(count(s.count) ?? 0) > 0 && s.key !== 'OPEN_NOTICES' ? '#a8071a' : '#595959'} />
        </Space>
      ),
      children: (
        <BoardSection section={s.key} refreshKey={refreshKey}
          onIssue={setIssuing} onOpenNotice={setOpenNotice} />
      ),
    })),
    {
      key: 'notices', label: t('supervision.notices'),
      children: <NoticesTable refreshKey={refreshKey} onOpen={setOpenNotice} />,
    },
  ];
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>{t('supervision.title')}</Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => { setIssuing({}); }}>{t('supervision.issue')}</Button>
      </Space>
      <Card size="small">
        <Tabs activeKey={tab} onChange={setTab} items={items} destroyOnHidden />
      </Card>
      {issuing && (
        <IssueNoticeModal target={issuing} onClose={() => { setIssuing(null); }}
          onIssued={(id) => { setIssuing(null); changed(); setOpenNotice(id); }} />
      )}
      {openNotice && (
        <NoticeDrawer noticeId={openNotice} onClose={() => { setOpenNotice(null); }} onChanged={changed}
          onEscalate={(target) => { setIssuing(target); }} />
      )}
    </Space>
  );
}

/** Fetches again when an action on this screen changed what the list shows. */
function useRefresh(refreshKey: number, refetch: (opts: { requestPolicy: 'network-only' }) => void): void {
  useEffect(() => {
    if (refreshKey > 0) refetch({ requestPolicy: 'network-only' });
  }, [refreshKey, refetch]);
}

function Pager({ page, hasNext, onPrevious, onNext, total }: {
  page: number; hasNext: boolean; onPrevious: () => void; onNext: () => void; total: number | null;
}) {
  const { t } = useI18n();
  return (
    <Space style={{ marginTop: 12, justifyContent: 'flex-end', width: '100%' }}>
      {total !== null && <Typography.Text type="secondary">{t('queue.total', { count: total })}</Typography.Text>}
      <Button size="small" disabled={page <= 1} onClick={onPrevious}>{t('supervision.previous')}</Button>
      <Typography.Text>{t('supervision.page', { page })}</Typography.Text>
      <Button size="small" disabled={!hasNext} onClick={onNext}>{t('supervision.next')}</Button>
    </Space>
  );
}

function BoardSection({ section, refreshKey, onIssue, onOpenNotice }: {
  section: SupervisionBoardSection;
  refreshKey: number;
  onIssue: (target: IssueTarget) => void;
  onOpenNotice: (id: string) => void;
}) {
  const { t, formatDateTime } = useI18n();
  const pager = useCursorPager();
  const [{ data, fetching }, refetch] = useQuery({
    query: SupervisionBoardDocument, variables: { section, first: PAGE, after: pager.after },
  });
  useRefresh(refreshKey, refetch);
  const result = data?.supervisionBoard;
  const connection = result?.__typename === 'SupervisionBoardConnection' ? result : null;
  const rows = connection?.edges.map((e, i) => ({ ...e.node, key: `${e.cursor}-${String(i)}` })) ?? [];
  const withNotice = section === 'OPEN_NOTICES' || section === 'ESCALATIONS';

  const columns: ColumnsType<BoardItem & { key: string }> = [
    {
      key: 'number', title: t('queue.number'), width: 200,
      render: (_: unknown, row) => (row.order ? <a href={href('/order', { id: row.order.id })}>{row.order.number}</a> : t('common.none')),
    },
    {
      key: 'title', title: t('queue.title'), ellipsis: true,
      render: (_: unknown, row) => (
        <Space size={4}>
          {row.order?.supervised && <StatusTag tone="bad">{t('queue.supervised')}</StatusTag>}
          <span>{row.order?.title}</span>
        </Space>
      ),
    },
    { key: 'state', title: t('queue.state'), width: 90, render: (_: unknown, row) => (row.order ? stateTag(t, row.order.state) : null) },
    {
      key: 'unit', title: t('supervision.unit'), width: 160, ellipsis: true,
      render: (_: unknown, row) => row.notice?.unit?.name ?? row.assignment?.unit.name ?? t('supervision.callbackTeam'),
    },
    withNotice
      ? { key: 'level', title: t('supervision.level'), width: 150, render: (_: unknown, row) => (row.notice ? <Space size={4}>{levelTag(t, row.notice.level)}{noticeStateTag(t, row.notice.state)}</Space> : null) }
      : { key: 'kind', title: t('supervision.deadlineKind'), width: 110, render: (_: unknown, row) => deadlineKindLabel(t, row.deadlineKind) },
    {
      key: 'due', title: withNotice ? t('supervision.replyDue') : t('supervision.missedDeadline'), width: 170,
      render: (_: unknown, row) => (row.dueAt
        ? <Space orientation="vertical" size={0}><DeadlineTag dueAt={row.dueAt} doneAt={row.notice?.repliedAt} /><Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDateTime(row.dueAt)}</Typography.Text></Space>
        : t('common.none')),
    },
    {
      key: 'actions', title: t('common.actions'), width: 150,
      render: (_: unknown, row) => (
        <Space size={4}>
          {row.notice && (
            <Button size="small" onClick={() => { if (row.notice) onOpenNotice(row.notice.id); }}>{t('supervision.openNotice')}</Button>
          )}
          {!row.notice && row.order && row.assignment && (
            <Button size="small" onClick={() => {
              if (row.order && row.assignment) {
                onIssue({ orderId: row.order.id, number: row.order.number, unitCode: row.assignment.unit.code, reason: 'OVERDUE' });
              }
            }}>{t('supervision.issueShort')}</Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      {result?.__typename === 'ValidationErrors' && (
        <Typography.Text type="danger" role="alert">{result.errors.map((e) => e.message).join('；')}</Typography.Text>
      )}
      <Table
        aria-label={t(`supervision.section.${section}`)} size="middle" columns={columns} dataSource={rows}
        loading={fetching && !data} pagination={false} scroll={{ x: 1000 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={fetching ? t('app.loading') : t(`supervision.empty.${section}`)} /> }}
      />
      <Pager page={pager.page} hasNext={connection?.pageInfo.hasNextPage ?? false} total={connection?.totalCount ?? null}
        onPrevious={pager.previous} onNext={() => { pager.next(connection?.pageInfo.endCursor); }} />
    </>
  );
}

function NoticesTable({ refreshKey, onOpen }: { refreshKey: number; onOpen: (id: string) => void }) {
  const { t, formatDateTime } = useI18n();
  const pager = useCursorPager();
  const [states, setStates] = useState<SupervisionState[]>(['OPEN', 'REPLIED']);
  const [level, setLevel] = useState<SupervisionLevel | null>(null);
  const [{ data, fetching }, refetch] = useQuery({
    query: SupervisionNoticesDocument,
    variables: { first: PAGE, after: pager.after, states: states.length > 0 ? states : null, level },
  });
  useRefresh(refreshKey, refetch);
  const result = data?.supervisionNotices;
  const connection = result?.__typename === 'SupervisionNoticeConnection' ? result : null;
  const rows = connection?.edges.map((e) => e.node) ?? [];
  const columns: ColumnsType<NoticeRow> = [
    {
      key: 'number', title: t('queue.number'), width: 200,
      render: (_: unknown, row) => (row.order ? <a href={href('/order', { id: row.order.id })}>{row.order.number}</a> : t('common.none')),
    },
    { key: 'title', title: t('queue.title'), ellipsis: true, render: (_: unknown, row) => row.order?.title },
    { key: 'unit', title: t('supervision.unit'), width: 150, ellipsis: true, render: (_: unknown, row) => row.unit?.name ?? t('supervision.callbackTeam') },
    { key: 'level', title: t('supervision.level'), width: 110, render: (_: unknown, row) => levelTag(t, row.level) },
    { key: 'reason', title: t('supervision.reason'), width: 110, render: (_: unknown, row) => t(`supervision.reason.${row.reason}`) },
    { key: 'state', title: t('common.status'), width: 90, render: (_: unknown, row) => noticeStateTag(t, row.state) },
    { key: 'opened', title: t('supervision.openedAt'), width: 160, render: (_: unknown, row) => formatDateTime(row.openedAt) },
    {
      key: 'replyDue', title: t('supervision.replyDue'), width: 150,
      render: (_: unknown, row) => (row.replyDueAt && (row.state === 'OPEN' || row.state === 'REPLIED')
        ? <DeadlineTag dueAt={row.replyDueAt} doneAt={row.repliedAt} /> : t('common.none')),
    },
    {
      key: 'actions', title: t('common.actions'), width: 90,
      render: (_: unknown, row) => <Button size="small" onClick={() => { onOpen(row.id); }}>{t('supervision.openNotice')}</Button>,
    },
  ];
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }} role="search" aria-label={t('queue.filters')}>
        <Select<SupervisionState[]>
          mode="multiple" allowClear aria-label={t('common.status')} placeholder={t('common.status')} style={{ minWidth: 240 }}
          value={states} onChange={(v) => { setStates(v); pager.reset(); }}
          options={STATES.map((s) => ({ value: s, label: t(`supervisionState.${s}`) }))}
        />
        <Select<SupervisionLevel>
          allowClear aria-label={t('supervision.level')} placeholder={t('supervision.level')} style={{ width: 150 }}
          value={level ?? undefined} onChange={(v: SupervisionLevel | undefined) => { setLevel(v ?? null); pager.reset(); }}
          options={LEVELS.map((l) => ({ value: l, label: t(`supervisionLevel.${l}`) }))}
        />
      </Space>
      <Table<NoticeRow>
        aria-label={t('supervision.notices')} rowKey="id" size="middle" columns={columns} dataSource={rows}
        loading={fetching && !data} pagination={false} scroll={{ x: 1100 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={fetching ? t('app.loading') : t('supervision.noNotices')} /> }}
      />
      <Pager page={pager.page} hasNext={connection?.pageInfo.hasNextPage ?? false} total={connection?.totalCount ?? null}
        onPrevious={pager.previous} onNext={() => { pager.next(connection?.pageInfo.endCursor); }} />
    </>
  );
}
