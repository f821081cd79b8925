import {
  App, Button, Col, DatePicker, Descriptions, Drawer, Empty, Form, Input, Modal, Row, Select, Skeleton, Space, Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { showFormErrors } from '../../api/errors';
import { DeadlineTag } from '../../components/DeadlineTag';
import { FormProblems } from '../../components/FormProblems';
import { StatusTag, type Tone } from '../../components/StatusTag';
import {
  CloseSupervisionDocument, OpenSupervisionDocument, SupervisionNoticeDocument, SupervisionTargetDocument,
  type SupervisionLevel, type SupervisionReason, type SupervisionState,
} from '../../generated/graphql';
import { useI18n, type Translate } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { href } from '../../router';
import { withOwnWording } from './errors';

/** Who a new notice is about; from a board line the order and unit are known, from the toolbar nothing is. */
export interface IssueTarget {
  orderId?: string;
  number?: string;
  unitCode?: string;
  reason?: SupervisionReason;
  level?: SupervisionLevel;
  instruction?: string;
}

const MANUAL_REASONS: SupervisionReason[] = ['LEADER_INSTRUCTION', 'MEDIA_EXPOSURE', 'REPEATED_COMPLAINTS', 'OVERDUE', 'BOUNCED', 'OTHER'];
const LEVELS: SupervisionLevel[] = ['REMINDER', 'NOTICE', 'LISTED'];
const LEVEL_TONE: Record<SupervisionLevel, Tone> = { REMINDER: 'off', NOTICE: 'warn', LISTED: 'bad' };
const STATE_TONE: Record<SupervisionState, Tone> = { OPEN: 'warn', REPLIED: 'ok', CLOSED: 'off', ESCALATED: 'off', SENT: 'off' };
const KINDS = new Set(['sign_for', 'reply', 'callback', 'first_contact']);

export function levelTag(t: Translate, level: SupervisionLevel) {
  return <StatusTag tone={LEVEL_TONE[level]}>{t(`supervisionLevel.${level}`)}</StatusTag>;
}

export function noticeStateTag(t: Translate, state: SupervisionState) {
  return <StatusTag tone={STATE_TONE[state]}>{t(`supervisionState.${state}`)}</StatusTag>;
}

export function deadlineKindLabel(t: Translate, kind: string | null | undefined): string {
  if (!kind) return t('common.none');
  return KINDS.has(kind) ? t(`supervision.kind.${kind}` as MessageKey) : kind;
}

interface IssueValues {
  number: string;
  targetUnitCode: string;
  level: SupervisionLevel;
  reason: SupervisionReason;
  instruction: string;
  replyDueAt?: Dayjs | null;
}
const ISSUE_FIELDS = ['orderId', 'targetUnitCode', 'level', 'reason', 'instruction', 'replyDueAt'];

/** 发起督办: an order (by its number), one of its units, level, reason, what the unit must do, by when. */
export function IssueNoticeModal({ target, onClose, onIssued }: {
  target: IssueTarget;
  onClose: () => void;
  onIssued: (noticeId: string) => void;
}) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<IssueValues>();
  const [problems, setProblems] = useState<string[]>([]);
  const [number, setNumber] = useState(target.number ?? '');
  const [order] = useQuery({
    query: SupervisionTargetDocument,
    variables: target.orderId ? { id: target.orderId } : { number },
    pause: !target.orderId && number.trim() === '',
  });
  const [{ fetching }, open] = useMutation(OpenSupervisionDocument);
  const found = order.data?.workOrder.__typename === 'WorkOrder' ? order.data.workOrder : null;
  const units = (found?.assignments ?? []).filter((a) => a.state !== 'CANCELLED' && a.state !== 'RETURNED');

  useEffect(() => {
    // A number that finds nothing says so next to the field.
    if (order.data?.workOrder.__typename === 'ValidationErrors' && number.trim() !== '') {
      form.setFields([{ name: 'number', errors: [t('supervision.orderNotFound')] }]);
    } else if (found) form.setFields([{ name: 'number', errors: [] }]);
  }, [order.data, number, found, form, t]);

  const submit = async (values: IssueValues): Promise<void> => {
    if (!found) {
      form.setFields([{ name: 'number', errors: [t('supervision.orderNotFound')] }]);
      return;
    }
    const result = await open({
      input: {
        orderId: found.id, targetUnitCode: values.targetUnitCode, level: values.level, reason: values.reason,
        instruction: values.instruction.trim(), replyDueAt: values.replyDueAt ? values.replyDueAt.toISOString() : null,
      },
    });
    const answer = result.data?.openSupervision;
    if (!answer) setProblems([t('app.unexpectedError')]);
    else if (answer.__typename === 'ValidationErrors') {
      const errors = withOwnWording(answer.errors, t, locale).map((e) => (e.path[e.path.length - 1] === 'orderId' ? { ...e, path: ['number'] } : e));
      setProblems(showFormErrors(form, errors, [...ISSUE_FIELDS, 'number'], t, locale));
    } else {
      void message.success(t('supervision.issued', { number: found.number, unit: answer.unit?.name ?? '' }));
      onIssued(answer.id);
    }
  };

  return (
    <Modal
      open title={t('supervision.issueTitle')} okText={t('supervision.issueOk')} cancelText={t('common.cancel')}
      confirmLoading={fetching} okButtonProps={{ disabled: order.fetching }} onOk={() => { form.submit(); }} onCancel={onClose} width={660}
    >
      <FormProblems problems={problems} />
      <Form<IssueValues>
        form={form} name="issueNotice" layout="vertical" onFinish={(v) => void submit(v)}
        initialValues={{
          number: target.number ?? '', targetUnitCode: target.unitCode, level: target.level ?? 'NOTICE',
          reason: target.reason, instruction: target.instruction ?? '',
        }}
      >
        <Form.Item label={t('queue.number')} name="number" rules={[{ required: true, whitespace: true, message: t('error.required') }]}
          extra={found ? `${found.title}（${t(`orderState.${found.state}`)}）` : undefined}>
          <Input.Search
            autoComplete="off" disabled={Boolean(target.orderId)} enterButton={t('supervision.findOrder')}
            onSearch={(v) => { setNumber(v.trim()); }} onBlur={(e) => { setNumber(e.target.value.trim()); }}
          />
        </Form.Item>
        <Form.Item label={t('supervision.targetUnit')} name="targetUnitCode" rules={[{ required: true, message: t('error.required') }]}>
          <Select
            placeholder={found ? undefined : t('supervision.findOrderFirst')} disabled={!found}
            options={units.map((a) => ({
              value: a.unit.code,
              label: `${a.unit.name}（${t(`assignmentRole.${a.role}`)} · ${t(`assignmentState.${a.state}`)}）`,
            }))}
          />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={7}>
            <Form.Item label={t('supervision.level')} name="level" rules={[{ required: true, message: t('error.required') }]}>
              <Select options={LEVELS.map((l) => ({ value: l, label: t(`supervisionLevel.${l}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item label={t('supervision.reason')} name="reason" rules={[{ required: true, message: t('error.required') }]}>
              <Select options={MANUAL_REASONS.map((r) => ({ value: r, label: t(`supervision.reason.${r}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={9}>
            <Form.Item label={t('supervision.replyDueAt')} name="replyDueAt" extra={t('supervision.replyDueHint')}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }}
                disabledDate={(d) => d.isBefore(dayjs(), 'day')} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={t('supervision.instruction')} name="instruction"
          rules={[{ required: true, whitespace: true, message: t('error.required') }]}>
          <Input.TextArea rows={3} maxLength={2000} showCount placeholder={t('supervision.instructionHint')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** One notice: what was asked, the unit's reply, and the supervisor's close or escalation. */
export function NoticeDrawer({ noticeId, onClose, onChanged, onEscalate }: {
  noticeId: string;
  onClose: () => void;
  onChanged: () => void;
  onEscalate: (target: IssueTarget) => void;
}) {
  const { t, locale, formatDateTime } = useI18n();
  const { message } = App.useApp();
  const [{ data, fetching }, refetch] = useQuery({ query: SupervisionNoticeDocument, variables: { id: noticeId } });
  const [form] = Form.useForm<{ note?: string }>();
  const [problems, setProblems] = useState<string[]>([]);
  const [{ fetching: closing }, close] = useMutation(CloseSupervisionDocument);
  const notice = data?.supervisionNotice.__typename === 'SupervisionNotice' ? data.supervisionNotice : null;
  const live = notice?.state === 'OPEN' || notice?.state === 'REPLIED';
  // A higher level supersedes a live notice or a reminder (sent, no reply asked) — the API escalates it.
  const canEscalate = Boolean(notice && (live || notice.state === 'SENT') && notice.level !== 'LISTED' && notice.unit && notice.order);

  const submitClose = async ({ note }: { note?: string }): Promise<void> => {
    const result = await close({ noticeId, note: note?.trim() ? note.trim() : null });
    const answer = result.data?.closeSupervision;
    if (!answer) setProblems([t('app.unexpectedError')]);
    else if (answer.__typename === 'ValidationErrors') setProblems(showFormErrors(form, withOwnWording(answer.errors, t, locale), ['note'], t, locale));
    else {
      setProblems([]);
      void message.success(t('supervision.closed'));
      refetch({ requestPolicy: 'network-only' });
      onChanged();
    }
  };

  return (
    <Drawer open onClose={onClose} size={560} title={t('supervision.noticeTitle')} closable={{ 'aria-label': t('supervision.closeDrawer') }}>
      {!notice && (fetching ? <Skeleton active /> : <Empty description={t('error.not_found')} />)}
      {notice && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Descriptions size="small" bordered column={1} styles={{ label: { whiteSpace: 'nowrap', width: 110 } }}>
            <Descriptions.Item label={t('queue.number')}>
              {notice.order ? <a href={href('/order', { id: notice.order.id })}>{notice.order.number}</a> : t('common.none')}
              {notice.order && <div>{notice.order.title}</div>}
            </Descriptions.Item>
            <Descriptions.Item label={t('supervision.unit')}>{notice.unit?.name ?? t('supervision.callbackTeam')}</Descriptions.Item>
            <Descriptions.Item label={t('supervision.level')}>
              <Space size={4}>{levelTag(t, notice.level)}{noticeStateTag(t, notice.state)}
                {notice.automatic && <StatusTag tone="off">{t('supervision.automatic')}</StatusTag>}</Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('supervision.reason')}>
              {t(`supervision.reason.${notice.reason}`)}
              {notice.deadlineKind && <> · {deadlineKindLabel(t, notice.deadlineKind)}</>}
            </Descriptions.Item>
            <Descriptions.Item label={t('supervision.instruction')}>
              <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{notice.instruction}</Typography.Paragraph>
            </Descriptions.Item>
            <Descriptions.Item label={t('supervision.openedAt')}>{formatDateTime(notice.openedAt)} · {notice.openedBy}</Descriptions.Item>
            {notice.replyDueAt && (
              <Descriptions.Item label={t('supervision.replyDue')}>
                <DeadlineTag dueAt={notice.replyDueAt} doneAt={notice.repliedAt} />
              </Descriptions.Item>
            )}
            {notice.escalateAt && live && (
              <Descriptions.Item label={t('supervision.escalateAt')}>{formatDateTime(notice.escalateAt)}</Descriptions.Item>
            )}
            <Descriptions.Item label={t('supervision.reply')}>
              {notice.replyText
                ? (
                  <>
                    <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }} data-testid="notice-reply">{notice.replyText}</Typography.Paragraph>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {notice.repliedAt ? formatDateTime(notice.repliedAt) : ''} · {notice.repliedBy}
                    </Typography.Text>
                  </>
                )
                : <Typography.Text type="secondary">{notice.replyRequired ? t('supervision.noReplyYet') : t('supervision.noReplyAsked')}</Typography.Text>}
            </Descriptions.Item>
            {notice.closedAt && (
              <Descriptions.Item label={t('supervision.closedAt')}>
                {formatDateTime(notice.closedAt)} · {notice.closedBy}{notice.closeNote ? `：${notice.closeNote}` : ''}
              </Descriptions.Item>
            )}
          </Descriptions>
          {live && (
            <div>
              <Typography.Title level={3} style={{ fontSize: 14 }}>{t('supervision.closeTitle')}</Typography.Title>
              <FormProblems problems={problems} />
              <Form form={form} name="closeNotice" layout="vertical" onFinish={(v) => void submitClose(v)}>
                <Form.Item label={t('supervision.closeNote')} name="note"
                  extra={notice.state === 'OPEN' ? t('supervision.closeNoteNeeded') : undefined}>
                  <Input.TextArea rows={2} maxLength={2000} />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={closing}>{t('supervision.close')}</Button>
              </Form>
            </div>
          )}
          {canEscalate && notice.unit && notice.order && (
            <Button danger onClick={() => {
              if (notice.unit && notice.order) {
                onEscalate({
                  orderId: notice.order.id, number: notice.order.number, unitCode: notice.unit.code,
                  reason: notice.reason === 'DUE_SOON' ? 'OVERDUE' : notice.reason,
                  level: notice.level === 'REMINDER' ? 'NOTICE' : 'LISTED', instruction: notice.instruction,
                });
              }
            }}>{notice.level === 'REMINDER' ? t('supervision.escalateToNotice') : t('supervision.escalate')}</Button>
          )}
        </Space>
      )}
    </Drawer>
  );
}
