import { EyeOutlined } from '@ant-design/icons';
import {
  Alert, App, Button, Card, Col, Descriptions, Empty, Form, Input, List, Radio, Result, Row, Skeleton, Space, Typography,
} from 'antd';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { errorText, showFormErrors } from '../../api/errors';
import { DeadlineTag } from '../../components/DeadlineTag';
import { FormProblems } from '../../components/FormProblems';
import { OrderQueueTable } from '../../components/OrderQueueTable';
import { StatusTag } from '../../components/StatusTag';
import {
  CallbackOrderDocument, RecordCallbackDocument, RevealCallerPhoneDocument, type CallbackOrderFieldsFragment,
  type Satisfaction,
} from '../../generated/graphql';
import { useI18n } from '../../i18n';
import { href, useRoute } from '../../router';
import { callbackOutcome, type CallbackOutcome } from './outcome';

type Order = CallbackOrderFieldsFragment;
const SATISFACTION: Satisfaction[] = ['SATISFIED', 'BASICALLY_SATISFIED', 'DISSATISFIED'];
const FIELDS = ['reached', 'resolved', 'satisfaction', 'comment'];

interface AttemptValues {
  reached?: boolean;
  resolved?: boolean;
  satisfaction?: Satisfaction;
  comment?: string;
}

/** 回访: the orders due for a callback, and for the chosen one the unit's reply, the caller and the attempt. */
export function CallbackPage() {
  const { t } = useI18n();
  const [route, navigate] = useRoute();
  const selectedId = route.params.get('id');
  const [refreshKey, setRefreshKey] = useState(0);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>{t('callback.title')}</Typography.Title>
      <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('callback.queue')}</Typography.Title>} size="small">
        <OrderQueueTable
          queue="DUE_CALLBACKS" label={t('callback.queue')} controls={['text', 'requestType', 'days']}
          hideColumns={['nextDueAt', 'responseLevel', 'state', 'category']} pageSize={10} refreshKey={refreshKey} selectedId={selectedId}
          defaultSort={{ field: 'CREATED_AT', descending: false }}
          onSelect={(row) => { navigate('/callback', { id: row.id }); }}
        />
      </Card>
      {selectedId
        ? <CallbackPanel key={selectedId} orderId={selectedId} onRecorded={() => { setRefreshKey((k) => k + 1); }} />
        : <Card size="small"><Empty description={t('callback.pick')} /></Card>}
    </Space>
  );
}

function CallbackPanel({ orderId, onRecorded }: { orderId: string; onRecorded: () => void }) {
  const { t } = useI18n();
  const [{ data, fetching, error }, refetch] = useQuery({ query: CallbackOrderDocument, variables: { id: orderId } });
  const [outcome, setOutcome] = useState<CallbackOutcome | null>(null);
  if (!data) {
    if (error) {
      return <Result status="warning" title={t('app.networkError')}
        extra={<Button onClick={() => { refetch({ requestPolicy: 'network-only' }); }}>{t('app.retry')}</Button>} />;
    }
    return <Card size="small"><Skeleton active loading={fetching} /></Card>;
  }
  const order = data.workOrder;
  if (order.__typename !== 'WorkOrder') return <Card size="small"><Empty description={t('error.not_found')} /></Card>;
  const rules = data.workOrderRules.__typename === 'WorkOrderRules' ? data.workOrderRules : null;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={13}><OrderAndReply order={order} maxAttempts={rules?.callbackMaxAttempts ?? null} /></Col>
      <Col xs={24} xl={11}>
        <Card size="small" title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('callback.attemptTitle')}</Typography.Title>}>
          <CallerLine order={order} />
          {outcome && <OutcomeAlert outcome={outcome} />}
          {order.state === 'PENDING_CALLBACK'
            ? (
              <AttemptForm
                order={order} reopenOnDissatisfied={rules?.reopenOnDissatisfied ?? false}
                onSaved={(next) => {
                  setOutcome(next);
                  onRecorded();
                }}
                maxAttempts={rules?.callbackMaxAttempts ?? 0}
              />
            )
            : !outcome && <Alert type="info" showIcon title={t('callback.notDue', { state: t(`orderState.${order.state}`) })} />}
          <Attempts order={order} />
        </Card>
      </Col>
    </Row>
  );
}

function OrderAndReply({ order, maxAttempts }: { order: Order; maxAttempts: number | null }) {
  const { t, formatDateTime } = useI18n();
  const callbackDue = order.deadlines.find((d) => d.kind === 'callback');
  const replies = order.assignments.filter((a) => a.replyText);
  return (
    <Card size="small" title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('callback.orderTitle')}</Typography.Title>}>
      <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} styles={{ label: { whiteSpace: 'nowrap' } }}>
        <Descriptions.Item label={t('queue.number')}><a href={href('/order', { id: order.id })}>{order.number}</a></Descriptions.Item>
        <Descriptions.Item label={t('queue.requestType')}>
          {t(`requestType.${order.requestType}`)} · {order.category?.name ?? order.categoryCode}
        </Descriptions.Item>
        <Descriptions.Item label={t('queue.title')} span="filled">{order.title}</Descriptions.Item>
        <Descriptions.Item label={t('callback.content')} span="filled">
          <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }} ellipsis={{ rows: 4, expandable: true }}>
            {order.content}
          </Typography.Paragraph>
        </Descriptions.Item>
        <Descriptions.Item label={t('queue.place')}>{order.location.address ?? order.location.divisionCode ?? t('common.none')}</Descriptions.Item>
        <Descriptions.Item label={t('queue.createdAt')}>{formatDateTime(order.createdAt)}</Descriptions.Item>
        <Descriptions.Item label={t('callback.due')}>
          {callbackDue ? <DeadlineTag dueAt={callbackDue.dueAt} doneAt={callbackDue.doneAt} /> : t('common.none')}
        </Descriptions.Item>
        <Descriptions.Item label={t('callback.attempts')}>
          {maxAttempts ? t('callback.attemptsOf', { count: order.callbackAttempts, max: maxAttempts }) : order.callbackAttempts}
          {order.reopenCount > 0 && <> · {t('callback.reopenedTimes', { count: order.reopenCount })}</>}
        </Descriptions.Item>
      </Descriptions>
      <Typography.Title level={3} style={{ fontSize: 14, margin: '16px 0 8px' }}>{t('callback.replies')}</Typography.Title>
      {replies.length === 0
        ? <Typography.Text type="secondary">{t('callback.noReply')}</Typography.Text>
        : replies.map((a) => (
          <div key={a.id} className="callback-reply" style={{ borderInlineStart: '3px solid #1556b8', paddingInlineStart: 12, marginBottom: 12 }}>
            <Space wrap size={8}>
              <Typography.Text strong>{a.unit.name}</Typography.Text>
              <Typography.Text type="secondary">{t(`assignmentRole.${a.role}`)}</Typography.Text>
              {a.resultClass && <StatusTag tone={a.resultClass === 'RESOLVED' ? 'ok' : 'warn'}>{t(`callback.result.${a.resultClass}`)}</StatusTag>}
              {a.repliedAt && <Typography.Text type="secondary">{formatDateTime(a.repliedAt)}</Typography.Text>}
            </Space>
            <Typography.Paragraph style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap' }}>{a.replyText}</Typography.Paragraph>
          </div>
        ))}
    </Card>
  );
}

/** The caller, phone masked; the full number only on request, and the API records who asked. */
function CallerLine({ order }: { order: Order }) {
  const { t, locale } = useI18n();
  const [revealed, setRevealed] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [{ fetching }, reveal] = useMutation(RevealCallerPhoneDocument);
  const onReveal = async (): Promise<void> => {
    const result = await reveal({ orderId: order.id });
    const answer = result.data?.revealCallerPhone;
    if (!answer) setProblem(t('app.unexpectedError'));
    else if (answer.__typename === 'ValidationErrors') setProblem(answer.errors.map((e) => errorText(e, t, locale)).join(' '));
    else setRevealed(answer.phone ?? t('common.none'));
  };
  const caller = order.caller;
  return (
    <Descriptions size="small" bordered column={1} style={{ marginBottom: 12 }} styles={{ label: { whiteSpace: 'nowrap' } }}>
      <Descriptions.Item label={t('callback.caller')}>{caller.name ?? t('callback.anonymous')}</Descriptions.Item>
      <Descriptions.Item label={t('callback.phone')}>
        {caller.phone ? (
          <Space wrap size={8}>
            <Typography.Text copyable={revealed ? { text: revealed } : false} strong={Boolean(revealed)} data-testid="caller-phone">
              {revealed ?? caller.phone}
            </Typography.Text>
            {!revealed && (
              <Button size="small" icon={<EyeOutlined />} loading={fetching} onClick={() => void onReveal()}>
                {t('callback.reveal')}
              </Button>
            )}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('callback.revealAudited')}</Typography.Text>
            {problem && <Typography.Text type="danger" role="alert">{problem}</Typography.Text>}
          </Space>
        ) : t('callback.noPhone')}
      </Descriptions.Item>
    </Descriptions>
  );
}

function AttemptForm({ order, reopenOnDissatisfied, maxAttempts, onSaved }: {
  order: Order;
  reopenOnDissatisfied: boolean;
  maxAttempts: number;
  onSaved: (outcome: CallbackOutcome) => void;
}) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<AttemptValues>();
  const [problems, setProblems] = useState<string[]>([]);
  const [{ fetching }, record] = useMutation(RecordCallbackDocument);
  const reached = Form.useWatch('reached', form);
  const satisfaction = Form.useWatch('satisfaction', form);

  const submit = async (values: AttemptValues): Promise<void> => {
    const didReach = values.reached === true;
    const submitted = { resolved: didReach ? values.resolved ?? null : null, satisfaction: didReach ? values.satisfaction ?? null : null };
    const result = await record({
      orderId: order.id,
      input: { reached: didReach, ...submitted, comment: values.comment?.trim() ? values.comment.trim() : null },
    });
    const answer = result.data?.recordCallback;
    if (!answer) {
      setProblems([t('app.unexpectedError')]);
      return;
    }
    if (answer.__typename === 'ValidationErrors') {
      setProblems(showFormErrors(form, answer.errors, FIELDS, t, locale));
      return;
    }
    setProblems([]);
    form.resetFields(); // the next attempt starts blank: no second save of the same answer by mistake
    void message.success(t('callback.saved', { number: order.number }));
    onSaved(callbackOutcome(answer, didReach, maxAttempts, submitted));
  };

  return (
    <>
      <FormProblems problems={problems} />
      <Form<AttemptValues> form={form} name="callback" layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item label={t('callback.reached')} name="reached" rules={[{ required: true, message: t('callback.required.reached') }]}>
          <Radio.Group optionType="button" options={[{ value: true, label: t('callback.reachedYes') }, { value: false, label: t('callback.reachedNo') }]} />
        </Form.Item>
        {reached === true && (
          <>
            <Form.Item label={t('callback.resolved')} name="resolved" rules={[{ required: true, message: t('callback.required.resolved') }]}>
              <Radio.Group optionType="button" options={[{ value: true, label: t('callback.resolvedYes') }, { value: false, label: t('callback.resolvedNo') }]} />
            </Form.Item>
            <Form.Item
              label={t('callback.satisfaction')} name="satisfaction" rules={[{ required: true, message: t('callback.required.satisfaction') }]}
              extra={satisfaction === 'DISSATISFIED'
                ? (reopenOnDissatisfied ? t('callback.willReopen') : t('callback.willClose'))
                : undefined}
            >
              <Radio.Group optionType="button" options={SATISFACTION.map((s) => ({ value: s, label: t(`satisfaction.${s}`) }))} />
            </Form.Item>
          </>
        )}
        {reached === false && maxAttempts > 0 && (
          <Typography.Paragraph type="secondary">
            {order.callbackAttempts + 1 >= maxAttempts
              ? t('callback.lastAttempt', { max: maxAttempts })
              : t('callback.nextAttempt', { attempt: order.callbackAttempts + 1, max: maxAttempts })}
          </Typography.Paragraph>
        )}
        <Form.Item label={t('callback.comment')} name="comment">
          <Input.TextArea rows={3} maxLength={2000} showCount placeholder={t('callback.commentHint')} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={fetching}>{t('callback.submit')}</Button>
      </Form>
    </>
  );
}

function OutcomeAlert({ outcome }: { outcome: CallbackOutcome }) {
  const { t } = useI18n();
  let text: string;
  let type: 'success' | 'warning' | 'info';
  switch (outcome.kind) {
    case 'closed':
      type = 'success';
      text = t('callback.outcome.closed', {
        satisfaction: outcome.satisfaction ? t(`satisfaction.${outcome.satisfaction}`) : t('common.none'),
        resolved: outcome.resolved ? t('callback.resolvedYes') : t('callback.resolvedNo'),
      });
      break;
    case 'reopened':
      type = 'warning';
      text = t('callback.outcome.reopened', { count: outcome.reopenCount });
      break;
    case 'retry':
      type = 'info';
      text = t('callback.outcome.retry', { attempts: outcome.attempts, max: outcome.max });
      break;
    case 'unreachable':
      type = 'warning';
      text = t('callback.outcome.unreachable', { attempts: outcome.attempts });
      break;
  }
  return <Alert type={type} showIcon title={text} role="status" style={{ marginBottom: 12 }} data-testid="callback-outcome" />;
}

function Attempts({ order }: { order: Order }) {
  const { t, formatDateTime } = useI18n();
  if (order.callbacks.length === 0) return null;
  return (
    <>
      <Typography.Title level={3} style={{ fontSize: 14, margin: '16px 0 8px' }}>{t('callback.history')}</Typography.Title>
      <List
        size="small" bordered
        dataSource={[...order.callbacks].reverse()}
        renderItem={(c) => (
          <List.Item>
            <Space orientation="vertical" size={0}>
              <Space wrap size={8}>
                <Typography.Text type="secondary">{formatDateTime(c.at)}</Typography.Text>
                {c.reached
                  ? <StatusTag tone="ok">{t('callback.reachedYes')}</StatusTag>
                  : <StatusTag tone="off">{t('callback.reachedNo')}</StatusTag>}
                {c.resolved !== null && (
                  <span>{c.resolved ? t('callback.resolvedYes') : t('callback.resolvedNo')}</span>
                )}
                {c.satisfaction && (
                  <StatusTag tone={c.satisfaction === 'DISSATISFIED' ? 'bad' : 'ok'}>{t(`satisfaction.${c.satisfaction}`)}</StatusTag>
                )}
              </Space>
              {c.comment && <Typography.Text>{c.comment}</Typography.Text>}
            </Space>
          </List.Item>
        )}
      />
    </>
  );
}
