import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert, App, Button, Card, Col, Empty, Form, Input, InputNumber, Modal, Popconfirm, Radio, Row, Select, Skeleton, Space,
  Table, Tooltip, Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { errorText, type FieldError } from '../../api/errors';
import { FormProblems } from '../../components/FormProblems';
import {
  CalendarDaysDocument, CalendarOverviewDocument, CalendarWarningsDocument, PublishCalendarYearDocument,
  RemoveCalendarDayDocument, SetCalendarDayDocument, SetWorkingHoursDocument, WithdrawCalendarYearDocument,
  type CalendarDaysQuery, type DayKind,
} from '../../generated/graphql';
import { useI18n } from '../../i18n';
import { useViewer } from '../../session';
import { SourceTag } from './dispatch/shared';

type Day = Extract<NonNullable<CalendarDaysQuery['calendar']>['days'], { __typename: 'CalendarDays' }>['days'][number];
const WEEK_HEAD = [1, 2, 3, 4, 5, 6, 7];

/** The message of the errors whose path is exactly `path`. */
function at(errors: readonly FieldError[], path: readonly string[], text: (e: FieldError) => string): string | undefined {
  const found = errors.filter((e) => e.path.length === path.length && path.every((p, i) => e.path[i] === p));
  return found.length > 0 ? found.map(text).join('；') : undefined;
}

/** 工作日历: the acting hotline's effective calendar, the years to enter, its own days and its working hours. */
export function CalendarsPage() {
  const { t, locale } = useI18n();
  const viewer = useViewer();
  const tenantCode = viewer.actingTenant?.code ?? '';
  const [year, setYear] = useState(dayjs().year());
  const [overview, refetchOverview] = useQuery({ query: CalendarOverviewDocument, variables: { tenantCode }, pause: !tenantCode });
  const [warnings, refetchWarnings] = useQuery({ query: CalendarWarningsDocument, variables: { tenantCode }, pause: !tenantCode });
  const [days, refetchDays] = useQuery({ query: CalendarDaysDocument, variables: { tenantCode, from: `${year}-01-01`, to: `${year}-12-31` }, pause: !tenantCode });
  const [editingYear, setEditingYear] = useState<number | null>(null);
  const [editingDay, setEditingDay] = useState<Day | null>(null);
  const reload = (): void => {
    refetchOverview({ requestPolicy: 'network-only' });
    refetchWarnings({ requestPolicy: 'network-only' });
    refetchDays({ requestPolicy: 'network-only' });
  };
  const calendar = overview.data?.calendar;
  const dayResult = days.data?.calendar?.days;
  const yearOptions = useMemo(() => {
    const now = dayjs().year();
    return [...new Set([now - 1, now, now + 1, now + 2, ...(calendar?.knownYears ?? [])])].sort().map((y) => ({ value: y, label: String(y) }));
  }, [calendar]);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <div>
        <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>{t('layout.calendars')}</Typography.Title>
        <Typography.Paragraph className="page-intro">{t('calendar.intro', { tenant: viewer.actingTenant?.name ?? '' })}</Typography.Paragraph>
      </div>
      {(warnings.data?.calendarWarnings ?? []).map((w) => (
        <Alert key={`${w.tenantCode}:${String(w.year)}`} type={w.severity === 'critical' ? 'error' : 'warning'} showIcon
          title={t('calendar.missingYear', { year: w.year })} description={locale === 'en-US' ? w.message : undefined}
          action={<Button size="small" onClick={() => { setEditingYear(w.year); }}>{t('calendar.enterYear')}</Button>} />
      ))}
      <Card
        title={<Space>{t('calendar.monthGrid')}<Select aria-label={t('calendar.year')} value={year} options={yearOptions} onChange={setYear} style={{ width: 100 }} /></Space>}
        extra={<Legend />}
      >
        {days.fetching && !dayResult ? <Skeleton active /> : dayResult?.__typename === 'ValidationErrors'
          ? <Alert type="error" title={dayResult.errors.map((e) => errorText(e, t, locale)).join(' ')} />
          : <YearGrid year={year} days={dayResult?.days ?? []} onPick={setEditingDay} />}
      </Card>
      <Row gutter={16}>
        <Col xs={24} xl={14}>
          <Card title={t('calendar.schedules')} extra={<Button icon={<PlusOutlined />} onClick={() => { setEditingYear(dayjs().year() + 1); }}>{t('calendar.enterYear')}</Button>}>
            {!calendar ? <Skeleton active /> : <YearsTable years={calendar.years} tenantCode={tenantCode} onChanged={reload} onEdit={setEditingYear} />}
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          <Card title={t('calendar.workingHours')}>
            {!calendar ? <Skeleton active /> : <WorkingHoursForm key={JSON.stringify(calendar.workingHours)} tenantCode={tenantCode} hours={calendar.workingHours} onChanged={reload} />}
          </Card>
        </Col>
      </Row>
      {editingYear !== null && calendar && (
        <YearModal tenantCode={tenantCode} year={editingYear}
          existing={calendar.years.find((y) => y.year === editingYear && !y.fromTenant?.inherited) ?? null}
          onClose={() => { setEditingYear(null); }} onSaved={() => { setEditingYear(null); reload(); }} />
      )}
      {editingDay && (
        <DayModal tenantCode={tenantCode} day={editingDay} onClose={() => { setEditingDay(null); }} onSaved={() => { setEditingDay(null); reload(); }} />
      )}
    </Space>
  );
}

const DAY_STYLE = {
  work: { background: '#fff', color: 'rgba(0,0,0,0.88)' },
  rest: { background: '#f0f0f0', color: 'rgba(0,0,0,0.65)' },
  holiday: { background: '#fff1f0', color: '#a8071a' },
  makeup: { background: '#e6f4ff', color: '#003eb3' },
} as const;

function dayStyle(d: Day | undefined, date: dayjs.Dayjs): (typeof DAY_STYLE)[keyof typeof DAY_STYLE] {
  const weekend = date.day() === 0 || date.day() === 6;
  if (!d) return weekend ? DAY_STYLE.rest : DAY_STYLE.work;
  if (d.working) return weekend ? DAY_STYLE.makeup : DAY_STYLE.work;
  return weekend && d.source === 'WEEKDAY_RULE' ? DAY_STYLE.rest : DAY_STYLE.holiday;
}

function Legend() {
  const { t } = useI18n();
  return (
    <Space size="small" wrap>
      {(['work', 'rest', 'holiday', 'makeup'] as const).map((k) => (
        <span key={k} style={{ ...DAY_STYLE[k], border: '1px solid #d9d9d9', padding: '0 6px', borderRadius: 4, fontSize: 12 }}>{t(`calendar.legend.${k}`)}</span>
      ))}
      <span style={{ fontSize: 12, borderBottom: '2px solid #874d00' }}>{t('calendar.legend.own')}</span>
    </Space>
  );
}

function YearGrid({ year, days, onPick }: { year: number; days: readonly Day[]; onPick: (d: Day) => void }) {
  const { t } = useI18n();
  const byDate = useMemo(() => new Map(days.map((d) => [d.date, d])), [days]);
  return (
    <Row gutter={[12, 12]}>
      {Array.from({ length: 12 }, (_, m) => {
        const first = dayjs(new Date(year, m, 1));
        const lead = (first.day() + 6) % 7; // Monday first
        const cells = [...Array.from({ length: lead }, () => null), ...Array.from({ length: first.daysInMonth() }, (_, i) => first.add(i, 'day'))];
        return (
          <Col key={m} xs={24} sm={12} md={8} xl={6}>
            <div style={{ fontWeight: 600, marginBottom: 4 }}>{t('calendar.month', { m: m + 1 })}</div>
            <div role="group" aria-label={t('calendar.month', { m: m + 1 })} style={{ display: 'grid', gridTemplateColumns: 'repeat(7, 1fr)', gap: 2, fontSize: 12 }}>
              {WEEK_HEAD.map((w) => <div key={w} style={{ textAlign: 'center', color: 'rgba(0,0,0,0.6)' }}>{t(`calendar.weekHead.${w}` as 'calendar.weekHead.1')}</div>)}
              {cells.map((date, i) => {
                if (!date) return <div key={`e${String(i)}`} />;
                const iso = date.format('YYYY-MM-DD');
                const d = byDate.get(iso);
                const own = d?.source === 'OVERRIDE' && d.fromTenant?.inherited === false;
                const weekend = date.day() === 0 || date.day() === 6;
                const mark = d?.working && weekend ? t('calendar.makeupMark') : d && !d.working && d.source !== 'WEEKDAY_RULE' ? t('calendar.holidayMark') : '';
                // The accessible name starts with the visible text (day and mark), then says what the day is.
                const label = `${String(date.date())}${mark} ${iso} ${d?.working ? t('calendar.legend.work') : t('calendar.legend.rest')}${d?.name ? ` ${d.name}` : ''}${d?.fromTenant ? ` · ${d.fromTenant.name}` : ''}`;
                return (
                  <Tooltip key={iso} title={label}>
                    <button type="button" aria-label={label} data-date={iso} disabled={!d}
                      onClick={() => { if (d) onPick(d); }}
                      style={{ ...dayStyle(d, date), border: '1px solid #eee', borderBottom: own ? '2px solid #874d00' : '1px solid #eee', padding: '2px 0', cursor: 'pointer', borderRadius: 3, fontSize: 12 }}>
                      {date.date()}
                      {mark && <sup>{mark}</sup>}
                    </button>
                  </Tooltip>
                );
              })}
            </div>
          </Col>
        );
      })}
    </Row>
  );
}

type Overview = NonNullable<import('../../generated/graphql').CalendarOverviewQuery['calendar']>;

function YearsTable({ years, tenantCode, onChanged, onEdit }: {
  years: Overview['years'];
  tenantCode: string;
  onChanged: () => void;
  onEdit: (year: number) => void;
}) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [, withdraw] = useMutation(WithdrawCalendarYearDocument);
  const remove = async (year: number): Promise<void> => {
    const outcome = (await withdraw({ year, tenantCode })).data?.withdrawCalendarYear;
    if (outcome?.__typename === 'CalendarYear') { void message.success(t('calendar.withdrawn', { year })); onChanged(); }
    else void message.error(outcome?.__typename === 'ValidationErrors' ? outcome.errors.map((e) => errorText(e, t, locale)).join(' ') : t('app.unexpectedError'));
  };
  return (
    <Table size="small" pagination={false} rowKey={(y) => `${String(y.year)}:${y.fromTenant?.code ?? ''}`} dataSource={years}
      locale={{ emptyText: <Empty description={t('calendar.noSchedules')} /> }}
      columns={[
        { title: t('calendar.year'), dataIndex: 'year' },
        { title: t('calendar.notice'), dataIndex: 'source' },
        { title: t('calendar.holidays'), key: 'h', render: (_, y) => y.holidays.length },
        { title: t('calendar.workdays'), key: 'w', render: (_, y) => y.workdays.length },
        { title: t('config.source'), key: 's', render: (_, y) => <SourceTag source={y.fromTenant} /> },
        {
          title: t('common.actions'), key: 'a', render: (_, y) => y.fromTenant?.inherited ? null : (
            <Space size={0}>
              <Button type="link" size="small" onClick={() => { onEdit(y.year); }}>{t('config.edit')}</Button>
              <Popconfirm title={t('calendar.withdrawConfirm', { year: y.year })} okText={t('calendar.withdraw')} cancelText={t('common.cancel')} onConfirm={() => { void remove(y.year); }}>
                <Button type="link" size="small" danger>{t('calendar.withdraw')}</Button>
              </Popconfirm>
            </Space>
          ),
        },
      ]} />
  );
}

interface Listed { date: string; name: string }

function ListedRows({ field, rows, setRows, errors }: {
  field: 'holidays' | 'workdays';
  rows: Listed[];
  setRows: (rows: Listed[]) => void;
  errors: readonly FieldError[];
}) {
  const { t, locale } = useI18n();
  const text = (e: FieldError): string => errorText(e, t, locale);
  const listHelp = at(errors, [field], text);
  return (
    <div style={{ marginBottom: 12 }}>
      <Typography.Text strong>{t(`calendar.${field}`)}</Typography.Text>
      {listHelp && <div role="alert" className="ant-form-item-explain-error">{listHelp}</div>}
      {rows.map((r, i) => {
        const dateHelp = at(errors, [field, String(i), 'date'], text);
        const nameHelp = at(errors, [field, String(i), 'name'], text);
        return (
          <Space key={i} align="start" wrap style={{ display: 'flex' }}>
            <Form.Item label={t('calendar.date')} htmlFor={`${field}-${String(i)}-date`} validateStatus={dateHelp ? 'error' : undefined} help={dateHelp} style={{ marginBottom: 8 }}>
              <Input id={`${field}-${String(i)}-date`} type="date" value={r.date} onChange={(e) => { setRows(rows.map((x, j) => (j === i ? { ...x, date: e.target.value } : x))); }} />
            </Form.Item>
            <Form.Item label={t('calendar.dayName')} htmlFor={`${field}-${String(i)}-name`} validateStatus={nameHelp ? 'error' : undefined} help={nameHelp} style={{ marginBottom: 8 }}>
              <Input id={`${field}-${String(i)}-name`} value={r.name} placeholder="春节" onChange={(e) => { setRows(rows.map((x, j) => (j === i ? { ...x, name: e.target.value } : x))); }} />
            </Form.Item>
            <Button type="text" icon={<DeleteOutlined />} aria-label={t('calendar.removeRow')} style={{ marginTop: 30 }} onClick={() => { setRows(rows.filter((_, j) => j !== i)); }} />
          </Space>
        );
      })}
      <Button size="small" icon={<PlusOutlined />} onClick={() => { setRows([...rows, { date: '', name: rows[rows.length - 1]?.name ?? '' }]); }}>
        {t(field === 'holidays' ? 'calendar.addHoliday' : 'calendar.addWorkday')}
      </Button>
    </div>
  );
}

function YearModal({ tenantCode, year: initialYear, existing, onClose, onSaved }: {
  tenantCode: string;
  year: number;
  existing: Overview['years'][number] | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [year, setYear] = useState(initialYear);
  const [source, setSource] = useState(existing?.source ?? '');
  const [holidays, setHolidays] = useState<Listed[]>(existing?.holidays.map((h) => ({ date: h.date, name: h.name })) ?? [{ date: '', name: '' }]);
  const [workdays, setWorkdays] = useState<Listed[]>(existing?.workdays.map((h) => ({ date: h.date, name: h.name })) ?? []);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [{ fetching }, publish] = useMutation(PublishCalendarYearDocument);
  const text = (e: FieldError): string => errorText(e, t, locale);
  const submit = async (): Promise<void> => {
    const outcome = (await publish({ input: { tenantCode, year, source, holidays, workdays } })).data?.publishCalendarYear;
    if (outcome?.__typename === 'CalendarYear') { void message.success(t('calendar.published', { year })); onSaved(); }
    else setErrors(outcome?.__typename === 'ValidationErrors' ? outcome.errors : [{ path: [], message: t('app.unexpectedError'), code: 'unexpected' }]);
  };
  const placed = ['year', 'source', 'holidays', 'workdays'];
  return (
    <Modal open width={720} title={t('calendar.enterYearTitle')} okText={t('calendar.publish')} cancelText={t('common.cancel')}
      confirmLoading={fetching} onOk={() => void submit()} onCancel={onClose}>
      <FormProblems problems={errors.filter((e) => !placed.includes(e.path[0] ?? '')).map(text)} />
      <Form layout="vertical" name="calendarYear" onFinish={() => void submit()}>
        <Space align="start" wrap>
          <Form.Item label={t('calendar.year')} htmlFor="cal-year" validateStatus={at(errors, ['year'], text) ? 'error' : undefined} help={at(errors, ['year'], text)}>
            <InputNumber id="cal-year" value={year} min={2000} max={2100} onChange={(v) => { setYear(v ?? initialYear); }} />
          </Form.Item>
          <Form.Item label={t('calendar.notice')} htmlFor="cal-source" required validateStatus={at(errors, ['source'], text) ? 'error' : undefined} help={at(errors, ['source'], text)}>
            <Input id="cal-source" style={{ width: 380 }} value={source} placeholder={t('calendar.noticeHint')} onChange={(e) => { setSource(e.target.value); }} />
          </Form.Item>
        </Space>
        <ListedRows field="holidays" rows={holidays} setRows={setHolidays} errors={errors} />
        <ListedRows field="workdays" rows={workdays} setRows={setWorkdays} errors={errors} />
      </Form>
    </Modal>
  );
}

function DayModal({ tenantCode, day, onClose, onSaved }: { tenantCode: string; day: Day; onClose: () => void; onSaved: () => void }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const own = day.source === 'OVERRIDE' && day.fromTenant?.inherited === false;
  const [kind, setKind] = useState<DayKind>(day.working ? 'HOLIDAY' : 'WORKDAY');
  const [name, setName] = useState(own ? day.name ?? '' : '');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [{ fetching }, set] = useMutation(SetCalendarDayDocument);
  const [, remove] = useMutation(RemoveCalendarDayDocument);
  const text = (e: FieldError): string => errorText(e, t, locale);
  const save = async (): Promise<void> => {
    const outcome = (await set({ input: { tenantCode, date: day.date, kind, name } })).data?.setCalendarDay;
    if (outcome?.__typename === 'CalendarOverride') { void message.success(t('common.saved')); onSaved(); }
    else setErrors(outcome?.__typename === 'ValidationErrors' ? outcome.errors : [{ path: [], message: t('app.unexpectedError'), code: 'unexpected' }]);
  };
  const drop = async (): Promise<void> => {
    const outcome = (await remove({ date: day.date, tenantCode })).data?.removeCalendarDay;
    if (outcome?.__typename === 'CalendarOverride') { void message.success(t('common.saved')); onSaved(); }
    else setErrors(outcome?.__typename === 'ValidationErrors' ? outcome.errors : []);
  };
  return (
    <Modal open title={t('calendar.dayTitle', { date: day.date })} okText={t('common.save')} cancelText={t('common.cancel')}
      confirmLoading={fetching} onOk={() => void save()} onCancel={onClose}
      footer={(origin) => <>{own && <Button danger onClick={() => void drop()}>{t('calendar.removeOwnDay')}</Button>}{origin}</>}>
      <Typography.Paragraph>
        {day.working ? t('calendar.legend.work') : t('calendar.legend.rest')}{day.name ? `（${day.name}）` : ''}{' '}
        <SourceTag source={day.fromTenant} />
      </Typography.Paragraph>
      <FormProblems problems={errors.filter((e) => !['kind', 'name', 'date'].includes(e.path[0] ?? '')).map(text)} />
      <Form layout="vertical" name="calendarDay" onFinish={() => void save()}>
        <Form.Item label={t('calendar.ownDay')} validateStatus={at(errors, ['date'], text) ? 'error' : undefined} help={at(errors, ['date'], text)}>
          <Radio.Group value={kind} onChange={(e) => { setKind(e.target.value as DayKind); }}
            options={[{ value: 'HOLIDAY', label: t('calendar.legend.holiday') }, { value: 'WORKDAY', label: t('calendar.legend.work') }]} />
        </Form.Item>
        <Form.Item label={t('calendar.dayName')} htmlFor="day-name" required validateStatus={at(errors, ['name'], text) ? 'error' : undefined} help={at(errors, ['name'], text)}>
          <Input id="day-name" value={name} onChange={(e) => { setName(e.target.value); }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function WorkingHoursForm({ tenantCode, hours, onChanged }: { tenantCode: string; hours: Overview['workingHours']; onChanged: () => void }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [periods, setPeriods] = useState(hours.periods.map((p) => ({ start: p.start, end: p.end })));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [{ fetching }, save] = useMutation(SetWorkingHoursDocument);
  const text = (e: FieldError): string => errorText(e, t, locale);
  const submit = async (next: { start: string; end: string }[]): Promise<void> => {
    const outcome = (await save({ input: { tenantCode, periods: next } })).data?.setWorkingHours;
    if (outcome?.__typename === 'WorkingHoursChanged') { setErrors([]); void message.success(t('common.saved')); onChanged(); }
    else setErrors(outcome?.__typename === 'ValidationErrors' ? outcome.errors : [{ path: [], message: t('app.unexpectedError'), code: 'unexpected' }]);
  };
  return (
    <Form layout="vertical" name="workingHours" onFinish={() => void submit(periods)}>
      <Typography.Paragraph><SourceTag source={hours.fromTenant} /></Typography.Paragraph>
      <FormProblems problems={errors.filter((e) => e.path[0] !== 'periods' || e.path.length < 3).map(text)} />
      {periods.map((p, i) => (
        <Space key={i} align="start">
          {(['start', 'end'] as const).map((end) => {
            const help = at(errors, ['periods', String(i), end], text);
            return (
              <Form.Item key={end} label={t(`calendar.${end}`)} htmlFor={`period-${String(i)}-${end}`} validateStatus={help ? 'error' : undefined} help={help} style={{ marginBottom: 8 }}>
                <Input id={`period-${String(i)}-${end}`} style={{ width: 100 }} value={p[end]} placeholder="09:00"
                  onChange={(e) => { setPeriods(periods.map((x, j) => (j === i ? { ...x, [end]: e.target.value } : x))); }} />
              </Form.Item>
            );
          })}
          <Button type="text" icon={<DeleteOutlined />} aria-label={t('calendar.removeRow')} style={{ marginTop: 30 }} onClick={() => { setPeriods(periods.filter((_, j) => j !== i)); }} />
        </Space>
      ))}
      <Space>
        <Button size="small" icon={<PlusOutlined />} onClick={() => { setPeriods([...periods, { start: '', end: '' }]); }}>{t('calendar.addPeriod')}</Button>
        <Button type="primary" htmlType="submit" loading={fetching}>{t('common.save')}</Button>
        {hours.fromTenant?.inherited === false && <Button onClick={() => void submit([])}>{t('calendar.inheritHours')}</Button>}
      </Space>
    </Form>
  );
}
