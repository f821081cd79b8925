import { DownloadOutlined } from '@ant-design/icons';
import {
  App, Button, Card, Col, DatePicker, Empty, List, Row, Segmented, Skeleton, Space, Statistic, Switch, Table, Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { lazy, Suspense, useMemo, useState, type ReactNode } from 'react';
import { useClient, useQuery } from 'urql';
import type { Bar } from '../../components/BarChart';
import { StatusTag } from '../../components/StatusTag';
import {
  DashboardBoundariesDocument, DashboardDocument, RegionsDocument, ReportWorkbookDocument, type DashboardQuery, type DashboardReportFragment, type ReportKind,
} from '../../generated/graphql';
import { useI18n, type Translate } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { asAreaCollection } from '../../lib/geojson';
import { isAdmin, useViewer } from '../../session';
import { satisfactionShades, volumeByDivision, volumeShades, type Division } from './places';

// ECharts is large: it loads only when a chart is shown.
const BarChart = lazy(() => import('../../components/BarChart').then((m) => ({ default: m.BarChart })));
const DistrictTileMap = lazy(() => import('./DistrictTileMap').then((m) => ({ default: m.DistrictTileMap })));
const DistrictMap = lazy(() => import('./DistrictMap').then((m) => ({ default: m.DistrictMap })));

type Report = Extract<DashboardReportFragment, { __typename: 'Report' }>;
type BoardRow = Report['redList'][number];
type Assessment = Extract<DashboardQuery['evaluationAssessment'], { __typename: 'EvaluationAssessment' }>;
type Span = 'today' | 'month';

function asReport(result: DashboardReportFragment | undefined): Report | null {
  return result?.__typename === 'Report' ? result : null;
}

function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`;
}

const KNOWN: Record<'channel' | 'requestType', readonly string[]> = {
  channel: ['PHONE', 'SMS', 'WEB', 'MAILBOX', 'WECHAT', 'WEIBO', 'APP', 'MESSAGE_BOARD'],
  requestType: ['CONSULTATION', 'HELP', 'COMPLAINT', 'REPORT', 'SUGGESTION', 'PRAISE'],
};

/** Enum-keyed rows (channel, request type) in the console's words; anything unknown keeps the API's label. */
function labelled(t: Translate, prefix: 'channel' | 'requestType', rows: readonly { key: string; label: string; count: number }[]): Bar[] {
  return rows.map((r) => {
    const value = r.key.toUpperCase();
    return { label: KNOWN[prefix].includes(value) ? t(`${prefix}.${value}` as MessageKey) : r.label, value: r.count };
  });
}

function ChartCard({ title, bars, empty, children }: { title: string; bars?: readonly Bar[]; empty: string; children?: ReactNode }) {
  const { t } = useI18n();
  const hasData = children !== undefined || (bars !== undefined && bars.some((b) => b.value > 0));
  return (
    <Card size="small" title={<Typography.Title level={2} style={{ fontSize: 15, margin: 0 }}>{title}</Typography.Title>} style={{ height: '100%' }}>
      {!hasData && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} />}
      {hasData && (
        <Suspense fallback={<Skeleton active />}>
          {children ?? <BarChart title={title} bars={bars ?? []} seriesName={t('dashboard.orders')} height={Math.max(160, (bars?.length ?? 0) * 30 + 30)} />}
        </Suspense>
      )}
    </Card>
  );
}

/** 数据看板: the day's and the month's volume, deadlines, unit rankings, hotspots and 每月一题 of the acting hotline. */
export function DashboardPage() {
  const { t, formatDateTime } = useI18n();
  const viewer = useViewer();
  const [day, setDay] = useState<Dayjs>(() => dayjs());
  const [rollUp, setRollUp] = useState(false);
  const [span, setSpan] = useState<Span>('month');
  const date = day.format('YYYY-MM-DD');
  const [{ data, fetching, error }] = useQuery({
    query: DashboardDocument,
    variables: { date, monthStart: day.startOf('month').format('YYYY-MM-DD'), period: day.format('YYYY-MM'), rollUp },
  });
  const divisionCode = viewer.actingTenant?.divisionCode ?? null;
  const [regions] = useQuery({ query: RegionsDocument, variables: { parentCode: divisionCode }, pause: !divisionCode });

  const today = asReport(data?.today);
  const month = asReport(data?.month);
  const shown = span === 'today' ? today : month;
  const refused = data?.month.__typename === 'ValidationErrors' ? data.month.errors.map((e) => e.message).join('；') : null;
  const divisions = useMemo(() => (regions.data?.regions ?? []).map((r) => ({ code: r.code, name: r.name })), [regions.data]);
  const spanLabel = span === 'today' ? t('dashboard.today') : t('dashboard.thisMonth');

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>{t('dashboard.title')}</Typography.Title>
        <Space wrap>
          <label htmlFor="dashboard-day">{t('dashboard.day')}</label>
          <DatePicker id="dashboard-day" value={day} allowClear={false} disabledDate={(d) => d.isAfter(dayjs(), 'day')}
            onChange={(d) => { if (d) setDay(d); }} />
          <Space size={6}>
            <Switch id="dashboard-rollup" checked={rollUp} onChange={setRollUp} aria-label={t('dashboard.rollUp')} />
            <label htmlFor="dashboard-rollup">{t('dashboard.rollUp')}</label>
          </Space>
          <Segmented<Span> aria-label={t('dashboard.span')} value={span} onChange={setSpan}
            options={[{ value: 'today', label: t('dashboard.today') }, { value: 'month', label: t('dashboard.thisMonth') }]} />
          <DownloadButton kind="DAILY" date={date} rollUp={rollUp} label={t('dashboard.downloadDaily')} />
          <DownloadButton kind="MONTHLY" date={date} rollUp={rollUp} label={t('dashboard.downloadMonthly')} />
        </Space>
      </Space>
      {error && !data && <Typography.Text type="danger" role="alert">{t('app.networkError')}</Typography.Text>}
      {refused && <Typography.Text type="danger" role="alert">{refused}</Typography.Text>}
      {fetching && !data ? <Card><Skeleton active /></Card> : (
        <>
          <Row gutter={[16, 16]}>
            <Col xs={12} md={8} xl={4}><Card size="small"><Statistic title={t('dashboard.todayTotal')} value={today?.total ?? 0} /></Card></Col>
            <Col xs={12} md={8} xl={4}><Card size="small"><Statistic title={t('dashboard.monthTotal')} value={month?.total ?? 0} /></Card></Col>
            <Col xs={12} md={8} xl={4}>
              <Card size="small">
                <Statistic title={t('dashboard.overdueOpen')} value={month?.deadlines.overdueOpen ?? 0}
                  styles={{ content: { color: (month?.deadlines.overdueOpen ?? 0) > 0 ? '#a8071a' : undefined } }} />
              </Card>
            </Col>
            <Col xs={12} md={8} xl={4}><Card size="small"><Statistic title={t('dashboard.todayOverdue')} value={today?.deadlines.overdueOpen ?? 0} /></Card></Col>
            <Col xs={12} md={8} xl={4}>
              <Card size="small">
                <Statistic title={t('dashboard.signedOnTime')}
                  value={month && month.deadlines.signed > 0 ? percent(month.deadlines.signedOnTime / month.deadlines.signed) : '—'} />
              </Card>
            </Col>
            <Col xs={12} md={8} xl={4}>
              <Card size="small">
                <Statistic title={t('dashboard.repliedOnTime')}
                  value={month && month.deadlines.replied > 0 ? percent(month.deadlines.repliedOnTime / month.deadlines.replied) : '—'} />
              </Card>
            </Col>
          </Row>
          <Typography.Text type="secondary">
            {t('dashboard.period', { span: spanLabel, from: shown?.periodStart ?? '', to: shown ? dayjs(shown.periodEnd).subtract(1, 'day').format('YYYY-MM-DD') : '' })}
          </Typography.Text>
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={12}>
              <DistrictCard span={spanLabel} report={shown} divisions={divisions} />
            </Col>
            <Col xs={24} xl={12}>
              <ChartCard title={t('dashboard.byCategory', { span: spanLabel })} empty={t('dashboard.noOrders')}
                bars={(shown?.byCategory ?? []).slice(0, 10).map((r) => ({ label: r.label, value: r.count }))} />
            </Col>
            <Col xs={24} lg={12}>
              <ChartCard title={t('dashboard.byChannel', { span: spanLabel })} empty={t('dashboard.noOrders')}
                bars={labelled(t, 'channel', shown?.byChannel ?? [])} />
            </Col>
            <Col xs={24} lg={12}>
              <ChartCard title={t('dashboard.byRequestType', { span: spanLabel })} empty={t('dashboard.noOrders')}
                bars={labelled(t, 'requestType', shown?.byRequestType ?? [])} />
            </Col>
            {rollUp && (
              <Col xs={24}>
                <ChartCard title={t('dashboard.byTenant', { span: spanLabel })} empty={t('dashboard.noOrders')}
                  bars={(shown?.byTenant ?? []).map((r) => ({ label: r.label, value: r.count }))} />
              </Col>
            )}
          </Row>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={12}><BoardTable title={t('dashboard.redList', { span: spanLabel })} rows={shown?.redList ?? []} tone="ok" /></Col>
            <Col xs={24} lg={12}><BoardTable title={t('dashboard.blackList', { span: spanLabel })} rows={shown?.blackList ?? []} tone="bad" /></Col>
          </Row>
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={10}><AssessmentCard result={data?.evaluationAssessment} period={day.format('YYYY-MM')} /></Col>
            <Col xs={24} xl={7}>
              <Card size="small" title={<Typography.Title level={2} style={{ fontSize: 15, margin: 0 }}>{t('dashboard.hotspots')}</Typography.Title>}>
                <List
                  size="small"
                  dataSource={data?.hotspotAlerts.__typename === 'HotspotAlerts' ? data.hotspotAlerts.items : []}
                  locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.noHotspots')} /> }}
                  renderItem={(a) => (
                    <List.Item>
                      <Space orientation="vertical" size={0}>
                        <Typography.Text>{a.summary}</Typography.Text>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {a.day} · {t('dashboard.hotspotCount', { count: a.count, baseline: a.baseline === null ? '—' : a.baseline.toFixed(1) })}
                          {a.acknowledgedAt ? ` · ${t('dashboard.acknowledged')} ${formatDateTime(a.acknowledgedAt)}` : ''}
                        </Typography.Text>
                      </Space>
                    </List.Item>
                  )}
                />
              </Card>
            </Col>
            <Col xs={24} xl={7}>
              <Card size="small" title={<Typography.Title level={2} style={{ fontSize: 15, margin: 0 }}>{t('dashboard.monthlyProblems')}</Typography.Title>}>
                <List
                  size="small"
                  dataSource={data?.monthlyProblems.__typename === 'MonthlyProblems' ? data.monthlyProblems.items : []}
                  locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.noMonthlyProblems')} /> }}
                  renderItem={(p) => (
                    <List.Item>
                      <Space orientation="vertical" size={0}>
                        <Typography.Text>{p.month} · {p.title}</Typography.Text>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {p.trend.map((x) => `${x.month}: ${String(x.count)}`).join(' → ')}
                          {p.changeFromChosenMonth !== null
                            ? ` · ${t('dashboard.change', { change: percent(p.changeFromChosenMonth) })}` : ''}
                        </Typography.Text>
                      </Space>
                    </List.Item>
                  )}
                />
              </Card>
            </Col>
          </Row>
        </>
      )}
    </Space>
  );
}

// Saving or clearing boundaries (a null result names no type) must still refresh the cached map.
const BOUNDARY_CHANGES = { additionalTypenames: ['DistrictBoundaries', 'DistrictBoundariesCleared'] };

type Measure = 'volume' | 'satisfaction';

/**
 * Volume or 群众满意率 by division: a map drawn from the boundaries the tenant supplied, or else the tile grid,
 * with a word to admins that they can supply boundaries (the platform ships none: docs/evaluation.md).
 */
function DistrictCard({ span, report, divisions }: { span: string; report: Report | null; divisions: readonly Division[] }) {
  const { t } = useI18n();
  const viewer = useViewer();
  const [measure, setMeasure] = useState<Measure>('volume');
  const [{ data }] = useQuery({ query: DashboardBoundariesDocument, context: BOUNDARY_CHANGES });
  const boundaries = data?.districtBoundaries?.__typename === 'DistrictBoundaries' ? data.districtBoundaries : null;
  const areas = useMemo(() => asAreaCollection(boundaries?.geojson), [boundaries]);
  const shown = boundaries?.divisions ?? divisions;
  const volume = useMemo(() => volumeByDivision(shown, report?.byPlace ?? []), [shown, report]);
  const { shades, scale } = useMemo(() => (measure === 'volume' ? volumeShades(volume.rows)
    : satisfactionShades(shown, report?.placeSatisfaction ?? [])), [measure, volume, shown, report]);
  const title = t(measure === 'volume' ? 'dashboard.byDistrict' : 'dashboard.byDistrictSatisfaction', { span });
  const seriesName = t(measure === 'volume' ? 'dashboard.orders' : 'dashboard.satisfactionRate');
  const note = ` ${t(measure === 'volume' ? 'dashboard.shadeVolume' : 'dashboard.shadeSatisfaction')}`
    + (measure === 'volume' && volume.unplaced > 0 ? ` ${t('dashboard.unplaced', { count: volume.unplaced })}` : '');
  const switcher = (
    <Segmented<Measure> size="small" aria-label={t('dashboard.measure')} value={measure} onChange={setMeasure}
      options={[{ value: 'volume', label: t('dashboard.orders') }, { value: 'satisfaction', label: t('dashboard.satisfactionRate') }]} />
  );
  let body: ReactNode;
  if (report && report.total > 0 && boundaries && areas) {
    body = (
      <>
        {switcher}
        <DistrictMap title={title} mapKey={`boundaries-${boundaries.tenantCode}-${boundaries.setAt}`} areas={areas}
          rows={shades} scale={scale} missing={t('dashboard.noVerdict')} seriesName={seriesName} />
        <Typography.Paragraph type="secondary" style={{ margin: 0, fontSize: 12 }}>
          {t('dashboard.mapNote', { source: boundaries.source })}{note}
        </Typography.Paragraph>
      </>
    );
  } else if (report && report.total > 0 && volume.rows.length > 0) {
    body = (
      <>
        {switcher}
        {shades.length > 0 ? <DistrictTileMap title={title} rows={shades} scale={scale} seriesName={seriesName} />
          : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.noVerdicts')} />}
        <Typography.Paragraph type="secondary" style={{ margin: 0, fontSize: 12 }}>
          {t('dashboard.tileNote')}{note}
          {isAdmin(viewer) && data && !boundaries && <> <a href="#/admin/boundaries">{t('dashboard.uploadBoundaries')}</a></>}
        </Typography.Paragraph>
      </>
    );
  }
  return <ChartCard title={title} empty={t('dashboard.noOrders')}>{body}</ChartCard>;
}

function BoardTable({ title, rows, tone }: { title: string; rows: readonly BoardRow[]; tone: 'ok' | 'bad' }) {
  const { t } = useI18n();
  const columns: ColumnsType<BoardRow & { place: number }> = [
    { key: 'place', title: t('dashboard.place'), dataIndex: 'place', width: 60, render: (n: number) => <StatusTag tone={tone}>{n}</StatusTag> },
    { key: 'name', title: t('dashboard.unit'), dataIndex: 'name', ellipsis: true },
    { key: 'assigned', title: t('dashboard.assigned'), dataIndex: 'assigned', width: 90, align: 'right' },
    { key: 'onTime', title: t('dashboard.onTimeRate'), dataIndex: 'onTimeRate', width: 110, align: 'right', render: (v: number | null) => percent(v) },
    { key: 'satisfaction', title: t('dashboard.satisfactionRate'), dataIndex: 'satisfactionRate', width: 110, align: 'right', render: (v: number | null) => percent(v) },
  ];
  return (
    <Card size="small" title={<Typography.Title level={2} style={{ fontSize: 15, margin: 0 }}>{title}</Typography.Title>}>
      <Table aria-label={title} size="small" rowKey="code" pagination={false} columns={columns}
        dataSource={rows.map((r, i) => ({ ...r, place: i + 1 }))}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.noUnits')} /> }} />
    </Card>
  );
}

function AssessmentCard({ result, period }: { result: DashboardQuery['evaluationAssessment'] | undefined; period: string }) {
  const { t } = useI18n();
  const assessment: Assessment | null = result?.__typename === 'EvaluationAssessment' ? result : null;
  const rows = [...(assessment?.results ?? [])].sort((a, b) => a.peerGroup.localeCompare(b.peerGroup) || (a.rank ?? 0) - (b.rank ?? 0));
  const columns: ColumnsType<(typeof rows)[number]> = [
    { key: 'rank', title: t('dashboard.rank'), width: 80, render: (_: unknown, r) => (r.rank ? `${String(r.rank)}/${String(r.groupSize)}` : '—') },
    { key: 'unit', title: t('dashboard.unit'), ellipsis: true, render: (_: unknown, r) => r.unit.name },
    { key: 'group', title: t('dashboard.peerGroup'), width: 110, ellipsis: true, render: (_: unknown, r) => r.peerGroup },
    { key: 'total', title: t('dashboard.score'), width: 80, align: 'right', render: (_: unknown, r) => (r.total === null ? '—' : r.total.toFixed(1)) },
  ];
  return (
    <Card size="small"
      title={<Typography.Title level={2} style={{ fontSize: 15, margin: 0 }}>{t('dashboard.assessment', { period })}</Typography.Title>}
      extra={assessment ? <StatusTag tone={assessment.publishedAt ? 'ok' : 'warn'}>{assessment.publishedAt ? t('dashboard.published') : t('dashboard.draft')}</StatusTag> : null}>
      <Table aria-label={t('dashboard.assessment', { period })} size="small" rowKey={(r) => r.unit.code} pagination={{ pageSize: 8, hideOnSinglePage: true }}
        columns={columns} dataSource={rows}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.noAssessment')} /> }} />
    </Card>
  );
}

/** The API's Excel workbook of a report, fetched on demand (it is large) and saved by the browser. */
function DownloadButton({ kind, date, rollUp, label }: { kind: ReportKind; date: string; rollUp: boolean; label: string }) {
  const { t } = useI18n();
  const client = useClient();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const download = async (): Promise<void> => {
    setBusy(true);
    const result = await client.query(ReportWorkbookDocument, { kind, date, rollUp }, { requestPolicy: 'network-only' }).toPromise();
    setBusy(false);
    const report = result.data?.report;
    if (report?.__typename !== 'Report') {
      void message.error(report?.__typename === 'ValidationErrors' ? report.errors.map((e) => e.message).join('；') : t('app.unexpectedError'));
      return;
    }
    const bytes = Uint8Array.from(atob(report.workbookBase64), (c) => c.charCodeAt(0));
    const url = URL.createObjectURL(new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `12345-${kind.toLowerCase()}-${report.periodStart}.xlsx`;
    document.body.append(link);
    link.click();
    link.remove();
    URL.revokeObjectURL(url);
  };
  return <Button icon={<DownloadOutlined />} loading={busy} onClick={() => void download()}>{label}</Button>;
}
