import { ArrowLeftOutlined, EyeOutlined, LockOutlined } from '@ant-design/icons';
import {
  App, Button, Card, Col, Descriptions, Empty, List, Result, Row, Skeleton, Space, Tag, Timeline, Tooltip, Typography,
} from 'antd';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { errorText } from '../../api/errors';
import { DeadlineTag } from '../../components/DeadlineTag';
import { stateTag } from '../../components/OrderQueueTable';
import { StatusTag } from '../../components/StatusTag';
import {
  OrderDetailDocument, RevealCallerPhoneDocument, type OrderAssignmentFragment, type OrderDetailFragment,
} from '../../generated/graphql';
import { useI18n } from '../../i18n';
import { zh, type MessageKey } from '../../i18n/messages';
import { useRoute } from '../../router';
import { hasRole, useViewer } from '../../session';
import { OrderActions, useActor } from './OrderActions';

type Deadline = OrderDetailFragment['deadlines'][number];

/** A label for a key the API sends as a string (deadline kinds, timeline actions), or the key itself. */
function labelOr(t: (key: MessageKey) => string, prefix: string, key: string): string {
  const full = `${prefix}.${key}`;
  return full in zh ? t(full as MessageKey) : key;
}

function Deadlines({ deadlines }: { deadlines: readonly Deadline[] }) {
  const { t } = useI18n();
  if (deadlines.length === 0) return null;
  return (
    <Space wrap size={[12, 4]}>
      {deadlines.map((d) => (
        <Space key={d.kind} size={4}>
          <Typography.Text type="secondary">{labelOr(t, 'deadlineKind', d.kind)}</Typography.Text>
          <DeadlineTag dueAt={d.dueAt} doneAt={d.doneAt} />
          {d.beyondKnownCalendar && (
            <Tooltip title={t('order.beyondCalendar')}><StatusTag tone="warn">!</StatusTag></Tooltip>
          )}
        </Space>
      ))}
    </Space>
  );
}

const FINISHED = new Set(['ACCEPTED', 'CANCELLED', 'RETURNED']);

function AssignmentCard({ a }: { a: OrderAssignmentFragment }) {
  const { t, formatDateTime } = useI18n();
  // A finished assignment's clocks that never stopped (no contact recorded, no return asked) no longer run.
  const deadlines = FINISHED.has(a.state) ? a.deadlines.filter((d) => d.doneAt) : a.deadlines;
  return (
    <Card
      size="small"
      title={<Space>{a.unit.name}<Tag>{t(`assignmentRole.${a.role}`)}</Tag>{a.summonedById && <Tag>{t('order.summoned')}</Tag>}</Space>}
      extra={<StatusTag tone={a.state === 'ACCEPTED' ? 'ok' : a.state === 'RETURN_REQUESTED' || a.state === 'SUSPENDED' ? 'warn' : 'off'}>
        {t(`assignmentState.${a.state}`)}</StatusTag>}
      style={{ marginBottom: 12 }}
    >
      <Deadlines deadlines={deadlines} />
      <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginTop: 8 }}>
        <Descriptions.Item label={t('order.dispatchedAt')}>{formatDateTime(a.dispatchedAt)}</Descriptions.Item>
        {a.signedAt && <Descriptions.Item label={t('order.signedAt')}>{formatDateTime(a.signedAt)}</Descriptions.Item>}
        {a.returnReason && (
          <Descriptions.Item label={t('order.returnReason')} span="filled">
            {t(`returnReason.${a.returnReason}`)}：{a.returnExplanation}
          </Descriptions.Item>
        )}
        {a.repliedAt && <Descriptions.Item label={t('order.repliedAt')}>{formatDateTime(a.repliedAt)}</Descriptions.Item>}
        {a.resultClass && <Descriptions.Item label={t('order.resultClass')}>{t(`resultClass.${a.resultClass}`)}</Descriptions.Item>}
        {a.replyText && <Descriptions.Item label={t('order.reply')} span="filled">{a.replyText}</Descriptions.Item>}
        {a.reviewNote && <Descriptions.Item label={t('order.reviewNote')} span="filled">{a.reviewNote}</Descriptions.Item>}
      </Descriptions>
      {a.handlingRecords.length > 0 && (
        <List
          size="small" header={t('order.handling')} dataSource={a.handlingRecords}
          renderItem={(r) => (
            <List.Item>
              <Typography.Text type="secondary">{formatDateTime(r.contactedAt ?? r.recordedAt)} · {r.recordedBy}</Typography.Text>
              {r.method && <Tag style={{ marginInlineStart: 8 }}>{t(`contactMethod.${r.method}`)} · {r.reached ? t('order.reached') : t('order.notReached')}</Tag>}
              <div>{r.text}</div>
            </List.Item>
          )}
        />
      )}
      {a.requests.length > 0 && (
        <List
          size="small" header={t('order.requests')} dataSource={a.requests}
          renderItem={(r) => (
            <List.Item>
              <Space wrap>
                <Tag>{t(`requestKind.${r.kind}`)}{r.days ? ` ${String(r.days)}` : ''}</Tag>
                <StatusTag tone={r.status === 'APPROVED' ? 'ok' : r.status === 'PENDING' ? 'warn' : 'off'}>{t(`requestStatus.${r.status}`)}</StatusTag>
                <span>{r.reason}</span>
                {r.decisionNote && <Typography.Text type="secondary">{r.decisionNote}</Typography.Text>}
              </Space>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

function CallerCard({ order }: { order: OrderDetailFragment }) {
  const { t, locale } = useI18n();
  const viewer = useViewer();
  const { message } = App.useApp();
  const [revealed, setRevealed] = useState<string | null>(null);
  const [{ fetching }, reveal] = useMutation(RevealCallerPhoneDocument);
  const mayReveal = hasRole(viewer, 'AGENT', 'CALLBACK_AGENT', 'SUPERVISOR', 'UNIT_HANDLER') && !order.caller.anonymised;
  const onReveal = async (): Promise<void> => {
    const outcome = (await reveal({ orderId: order.id })).data?.revealCallerPhone;
    if (outcome?.__typename === 'RevealedPhone') {
      setRevealed(outcome.phone ?? '');
      void message.info(t('order.revealed'));
    } else if (outcome?.__typename === 'ValidationErrors') {
      void message.error(outcome.errors.map((e) => errorText(e, t, locale)).join(' '));
    }
  };
  return (
    <Card size="small" title={t('order.caller')}>
      {order.caller.anonymised ? (
        <Typography.Text type="secondary"><LockOutlined aria-hidden /> {t('order.anonymised')}</Typography.Text>
      ) : (
        <Descriptions size="small" column={1}>
          <Descriptions.Item label={t('order.callerName')}>{order.caller.name ?? t('common.none')}</Descriptions.Item>
          <Descriptions.Item label={t('order.phone')}>
            <Space>
              <span data-testid="caller-phone">{revealed ?? order.caller.phone ?? t('common.none')}</span>
              {mayReveal && !revealed && order.caller.phone && (
                <Tooltip title={t('order.revealNote')}>
                  <Button size="small" icon={<EyeOutlined aria-hidden />} loading={fetching} onClick={() => void onReveal()}>
                    {t('order.reveal')}
                  </Button>
                </Tooltip>
              )}
            </Space>
          </Descriptions.Item>
          {order.caller.confidential && <Descriptions.Item label={t('order.confidential')}><LockOutlined aria-label={t('order.confidential')} /></Descriptions.Item>}
        </Descriptions>
      )}
      {order.enterprise && (
        <Descriptions size="small" column={1} style={{ marginTop: 8 }}>
          <Descriptions.Item label={t('order.enterprise')}>{order.enterprise.name}</Descriptions.Item>
          <Descriptions.Item label={t('order.creditCode')}>{order.enterprise.creditCode}</Descriptions.Item>
        </Descriptions>
      )}
    </Card>
  );
}

/** One order: what was asked, who handles it against which deadlines, every step so far, and what you can do now. */
export function OrderDetailPage() {
  const { t, formatDateTime } = useI18n();
  const [route] = useRoute();
  const id = route.params.get('id');
  const number = route.params.get('number');
  const [{ data, fetching }, refetch] = useQuery({
    query: OrderDetailDocument, variables: { id, number }, pause: !id && !number,
  });
  const actor = useActor(data?.me?.grants);
  const reload = (): void => {
    refetch({ requestPolicy: 'network-only' });
  };

  if (fetching && !data) return <Skeleton active paragraph={{ rows: 12 }} />;
  const order = data?.workOrder.__typename === 'WorkOrder' ? data.workOrder : null;
  if (!order) return <Result status="404" title={t('order.notFound')} />;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap align="center">
        <Button icon={<ArrowLeftOutlined aria-hidden />} onClick={() => { window.history.back(); }}>{t('order.back')}</Button>
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>{order.number}</Typography.Title>
        {stateTag(t, order.state)}
        {order.supervised && <StatusTag tone="bad">{t('order.supervised')}</StatusTag>}
        {order.mergedIntoId && <Tag>{t('order.mergedInto')}</Tag>}
      </Space>
      <Card size="small" title={t('order.actions')}>
        <OrderActions order={order} actor={actor} onChanged={reload} />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card size="small" title={order.title}>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{order.content}</Typography.Paragraph>
            {order.directAnswer && (
              <Typography.Paragraph>
                <Typography.Text strong>{t('order.directAnswer')}：</Typography.Text>{order.directAnswer}
              </Typography.Paragraph>
            )}
            <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
              <Descriptions.Item label={t('order.requestType')}>{t(`requestType.${order.requestType}`)}</Descriptions.Item>
              <Descriptions.Item label={t('order.channel')}>{t(`channel.${order.channel}`)}</Descriptions.Item>
              <Descriptions.Item label={t('order.category')}>{order.category?.path ?? order.categoryCode}</Descriptions.Item>
              <Descriptions.Item label={t('order.level')}>{t(`responseLevel.${String(order.responseLevel)}` as MessageKey)}</Descriptions.Item>
              <Descriptions.Item label={t('order.place')} span="filled">
                {[order.location.divisionCode, order.location.address].filter(Boolean).join(' ') || t('common.none')}
              </Descriptions.Item>
              <Descriptions.Item label={t('order.createdAt')}>{formatDateTime(order.createdAt)}</Descriptions.Item>
              <Descriptions.Item label={t('order.createdBy')}>{order.createdBy}</Descriptions.Item>
              {order.closedAt && <Descriptions.Item label={t('order.closedAt')}>{formatDateTime(order.closedAt)}</Descriptions.Item>}
              {order.returnCount > 0 && <Descriptions.Item label={t('order.returns')}>{order.returnCount}</Descriptions.Item>}
              {order.reopenCount > 0 && <Descriptions.Item label={t('order.reopens')}>{order.reopenCount}</Descriptions.Item>}
              {order.supervisionReason && <Descriptions.Item label={t('order.supervisionReason')} span="filled">{order.supervisionReason}</Descriptions.Item>}
            </Descriptions>
            {order.deadlines.length > 0 && (
              <div style={{ marginTop: 12 }}>
                <Typography.Text strong>{t('order.orderDeadlines')}：</Typography.Text> <Deadlines deadlines={order.deadlines} />
              </div>
            )}
          </Card>
          <Typography.Title level={2} style={{ fontSize: 16, marginTop: 16 }}>{t('order.assignments')}</Typography.Title>
          {order.assignments.length === 0
            ? <Empty description={t('order.noAssignments')} />
            : order.assignments.map((a) => <AssignmentCard key={a.id} a={a} />)}
        </Col>
        <Col xs={24} xl={8}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <CallerCard order={order} />
            {order.supervisionNotices.length > 0 && (
              <Card size="small" title={t('order.notices')}>
                <List size="small" dataSource={order.supervisionNotices} renderItem={(n) => (
                  <List.Item>
                    <Space wrap>
                      <Tag>{t(`supervisionLevel.${n.level}`)}</Tag>
                      <StatusTag tone={n.state === 'CLOSED' ? 'ok' : 'warn'}>{t(`supervisionState.${n.state}`)}</StatusTag>
                      <span>{n.instruction}</span>
                      {n.replyText && <Typography.Text type="secondary">{n.replyText}</Typography.Text>}
                    </Space>
                  </List.Item>
                )} />
              </Card>
            )}
            {order.callbacks.length > 0 && (
              <Card size="small" title={t('order.callbacks')}>
                <List size="small" dataSource={order.callbacks} renderItem={(c) => (
                  <List.Item>
                    <Space wrap>
                      <Typography.Text type="secondary">{formatDateTime(c.at)}</Typography.Text>
                      <Tag>{c.reached ? t('order.reached') : t('order.notReached')}</Tag>
                      {c.resolved !== null && <Tag>{c.resolved ? t('order.resolvedYes') : t('order.resolvedNo')}</Tag>}
                      {c.satisfaction && <StatusTag tone={c.satisfaction === 'DISSATISFIED' ? 'bad' : 'ok'}>{t(`satisfaction.${c.satisfaction}`)}</StatusTag>}
                      {c.comment}
                    </Space>
                  </List.Item>
                )} />
              </Card>
            )}
            {order.links.length > 0 && (
              <Card size="small" title={t('order.links')}>
                {order.links.map((l) => {
                  const other = l.orderId === order.id ? l.otherId : l.orderId;
                  return <div key={`${l.kind}-${other}`}><Tag>{t(`linkKind.${l.kind}`)}</Tag><a href={`#/order?id=${other}`}>{other.slice(0, 8)}…</a></div>;
                })}
              </Card>
            )}
            <Card size="small" title={t('order.timeline')}>
              <Timeline
                items={order.timeline.map((e) => ({
                  key: e.id,
                  content: (
                    <div>
                      <Typography.Text strong>{labelOr(t, 'event', e.action)}</Typography.Text>
                      {e.unit && <Typography.Text> · {e.unit.name}</Typography.Text>}
                      <div><Typography.Text type="secondary">{formatDateTime(e.at)} · {e.actor}</Typography.Text></div>
                      {e.note && <div>{e.note}</div>}
                    </div>
                  ),
                }))}
              />
            </Card>
          </Space>
        </Col>
      </Row>
    </Space>
  );
}
