import { Button, DatePicker, Form, Input, InputNumber, Radio, Select, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { ActionModal, useInstantAction } from '../../components/ActionModal';
import { UnitPicker } from '../../components/UnitPicker';
import {
  AcceptReplyDocument, ApproveReturnAndRedispatchDocument, ArchiveDocument, AskExtensionDocument, AskSuspensionDocument,
  AskToReturnDocument, BlowWhistleDocument, DecideExtensionDocument, DecideSuspensionDocument, DispatchOrderDocument,
  NoteHandlingDocument, RecordContactDocument, RejectReturnDocument, ReplyDocument, ResumeDocument, SendBackReplyDocument,
  SignForDocument, TenantUnitsDocument, type ContactMethod, type OrderDetailQuery, type OrderAssignmentFragment, type OrderDetailFragment, type ResultClass,
  type ReturnReason,
} from '../../generated/graphql';
import { useI18n } from '../../i18n';
import { buildTree, subtreeKeys } from '../../lib/tree';
import { hasRole, useViewer } from '../../session';

type Assignment = OrderAssignmentFragment;
type Request = Assignment['requests'][number];
type Grants = NonNullable<OrderDetailQuery['me']>['grants'];

const REASONS: ReturnReason[] = ['NOT_WITHIN_DUTIES', 'OUTSIDE_JURISDICTION', 'INCOMPLETE_INFORMATION', 'DUPLICATE', 'OTHER'];
const RESULTS: ResultClass[] = ['RESOLVED', 'PARTLY_RESOLVED', 'EXPLAINED', 'NOT_WITHIN_DUTIES'];
const METHODS: ContactMethod[] = ['PHONE', 'SMS', 'VISIT', 'OTHER'];

type Step =
  | { kind: 'return' | 'reply' | 'whistle' | 'note' | 'contact' | 'extend' | 'suspend'; a: Assignment }
  | { kind: 'approveReturn' | 'rejectReturn' | 'sendBack'; a: Assignment }
  | { kind: 'decide'; a: Assignment; r: Request }
  | { kind: 'dispatch' };

/** Who looks at the order: the roles that decide which steps are offered (the API has the last word). */
export interface Actor {
  hotline: boolean; // dispatcher or supervisor: dispatches and reviews
  unitCodes: ReadonlySet<string> | 'all' | null; // the units a unit handler acts for
}

/** The units a unit handler acts for: the units of their grants here and everything below them. */
function useHandledUnits(grants: Grants | undefined, tenantCode: string, handler: boolean): Actor['unitCodes'] {
  const [{ data }] = useQuery({ query: TenantUnitsDocument, variables: { tenantCode }, pause: !handler || !tenantCode });
  return useMemo(() => {
    if (!handler) return null;
    const mine = (grants ?? []).filter((g) => g.role === 'UNIT_HANDLER' && g.tenantCode === tenantCode);
    if (mine.some((g) => g.unitCode === null)) return 'all';
    const units = data?.tenant?.units ?? [];
    const byId = new Map(units.map((u) => [u.id, u]));
    const nodes = new Map<string, ReturnType<typeof buildTree<(typeof units)[number]>>[number]>();
    const walk = (list: ReturnType<typeof buildTree<(typeof units)[number]>>) => {
      for (const n of list) {
        nodes.set(n.key, n);
        walk(n.children);
      }
    };
    walk(buildTree(units, (u) => u.code, (u) => (u.parentId ? byId.get(u.parentId)?.code ?? null : null)));
    const codes = new Set<string>();
    for (const g of mine) {
      const node = g.unitCode ? nodes.get(g.unitCode) : undefined;
      if (node) for (const k of subtreeKeys(node)) codes.add(k);
      else if (g.unitCode) codes.add(g.unitCode);
    }
    return codes;
  }, [grants, data, tenantCode, handler]);
}

/** Who the viewer is on an order: hotline staff, and the units they handle (from their grants). */
export function useActor(grants: Grants | undefined): Actor {
  const viewer = useViewer();
  const tenantCode = viewer.actingTenant?.code ?? '';
  const unitCodes = useHandledUnits(grants, tenantCode, hasRole(viewer, 'UNIT_HANDLER'));
  return { hotline: hasRole(viewer, 'DISPATCHER', 'SUPERVISOR'), unitCodes };
}

function handles(actor: Actor, a: Assignment): boolean {
  return actor.unitCodes === 'all' || (actor.unitCodes !== null && actor.unitCodes.has(a.unit.code));
}

/** The steps a person may take on one order now, as buttons that open small forms. */
export function OrderActions({ order, actor, onChanged, compact = false }: {
  order: OrderDetailFragment;
  actor: Actor;
  onChanged: () => void;
  compact?: boolean;
}) {
  const { t } = useI18n();
  const [step, setStep] = useState<Step | null>(null);
  const instant = useInstantAction();
  const [, sign] = useMutation(SignForDocument);
  const [, accept] = useMutation(AcceptReplyDocument);
  const [, resume] = useMutation(ResumeDocument);
  const [, archive] = useMutation(ArchiveDocument);
  const size = compact ? 'small' : 'middle';
  const done = (): void => {
    setStep(null);
    onChanged();
  };

  const buttons: { key: string; label: string; onClick: () => void; primary?: boolean }[] = [];
  const unitLabel = (a: Assignment) => (order.assignments.length > 1 ? `${a.unit.name}：` : '');
  if (actor.hotline && order.state === 'PENDING_DISPATCH') {
    buttons.push({ key: 'dispatch', label: t('action.dispatch'), primary: true, onClick: () => { setStep({ kind: 'dispatch' }); } });
  }
  for (const a of order.assignments) {
    const u = unitLabel(a);
    if (handles(actor, a)) {
      if (a.state === 'PENDING_SIGN') {
        buttons.push({
          key: `sign-${a.id}`, label: `${u}${t('action.sign')}`, primary: true,
          onClick: () => void instant(async () => (await sign({ assignmentId: a.id })).data?.signForAssignment, t('action.signed'), onChanged),
        });
      }
      if (a.state === 'PENDING_SIGN' || a.state === 'IN_PROGRESS') {
        buttons.push({ key: `return-${a.id}`, label: `${u}${t('action.return')}`, onClick: () => { setStep({ kind: 'return', a }); } });
      }
      if (a.state === 'IN_PROGRESS') {
        buttons.push({ key: `reply-${a.id}`, label: `${u}${t('action.reply')}`, primary: true, onClick: () => { setStep({ kind: 'reply', a }); } });
        buttons.push({ key: `contact-${a.id}`, label: `${u}${t('action.contact')}`, onClick: () => { setStep({ kind: 'contact', a }); } });
        buttons.push({ key: `note-${a.id}`, label: `${u}${t('action.note')}`, onClick: () => { setStep({ kind: 'note', a }); } });
        if (a.role === 'LEAD') {
          buttons.push({ key: `whistle-${a.id}`, label: `${u}${t('action.whistle')}`, onClick: () => { setStep({ kind: 'whistle', a }); } });
        }
        buttons.push({ key: `extend-${a.id}`, label: `${u}${t('action.extend')}`, onClick: () => { setStep({ kind: 'extend', a }); } });
        buttons.push({ key: `suspend-${a.id}`, label: `${u}${t('action.suspend')}`, onClick: () => { setStep({ kind: 'suspend', a }); } });
      }
    }
    if (a.state === 'SUSPENDED' && (handles(actor, a) || actor.hotline)) {
      buttons.push({
        key: `resume-${a.id}`, label: `${u}${t('action.resume')}`,
        onClick: () => void instant(async () => (await resume({ assignmentId: a.id })).data?.resumeAssignment, t('action.resumed'), onChanged),
      });
    }
    if (actor.hotline && a.state === 'RETURN_REQUESTED') {
      buttons.push({ key: `approve-${a.id}`, label: `${u}${t('action.approveReturn')}`, primary: true, onClick: () => { setStep({ kind: 'approveReturn', a }); } });
      buttons.push({ key: `reject-${a.id}`, label: `${u}${t('action.rejectReturn')}`, onClick: () => { setStep({ kind: 'rejectReturn', a }); } });
    }
    if (actor.hotline && a.state === 'REPLIED') {
      buttons.push({
        key: `accept-${a.id}`, label: `${u}${t('action.accept')}`, primary: true,
        onClick: () => void instant(async () => (await accept({ assignmentId: a.id })).data?.acceptReply, t('action.accepted'), onChanged),
      });
      buttons.push({ key: `sendBack-${a.id}`, label: `${u}${t('action.sendBack')}`, onClick: () => { setStep({ kind: 'sendBack', a }); } });
    }
    for (const r of a.requests) {
      if (actor.hotline && r.status === 'PENDING') {
        buttons.push({
          key: `decide-${r.id}`, label: `${u}${t('action.decideTitle', { kind: t(`requestKind.${r.kind}`), unit: a.unit.name })}`,
          primary: true, onClick: () => { setStep({ kind: 'decide', a, r }); },
        });
      }
    }
  }
  if (actor.hotline && order.state === 'CLOSED') {
    buttons.push({
      key: 'archive', label: t('action.archive'),
      onClick: () => void instant(async () => (await archive({ orderId: order.id })).data?.archiveWorkOrder, t('action.archived'), onChanged),
    });
  }

  return (
    <>
      {buttons.length === 0 ? (
        compact ? null : <Typography.Text type="secondary">{t('action.noneHere')}</Typography.Text>
      ) : (
        <Space wrap size={[8, 8]}>
          {buttons.map((b) => (
            <Button key={b.key} size={size} type={b.primary ? 'primary' : 'default'} onClick={b.onClick}>{b.label}</Button>
          ))}
        </Space>
      )}
      {step && <StepModal step={step} order={order} onClose={() => { setStep(null); }} onDone={done} />}
    </>
  );
}

function StepModal({ step, order, onClose, onDone }: { step: Step; order: OrderDetailFragment; onClose: () => void; onDone: () => void }) {
  switch (step.kind) {
    case 'dispatch':
      return <DispatchModal order={order} onClose={onClose} onDone={onDone} />;
    case 'decide':
      return <DecideModal a={step.a} r={step.r} onClose={onClose} onDone={onDone} />;
    default:
      return <AssignmentModal kind={step.kind} a={step.a} orderId={order.id} onClose={onClose} onDone={onDone} />;
  }
}

interface Values {
  reason?: string; // a ReturnReason when asking to return, free text otherwise (as the API names it)
  explanation?: string;
  result?: ResultClass;
  text?: string;
  unitCodes?: string[];
  note?: string;
  method?: ContactMethod;
  reached?: boolean;
  contactedAt?: Dayjs;
  days?: number;
  leadUnitCodes?: string[];
  supportUnitCodes?: string[];
}

function DispatchModal({ order, onClose, onDone }: { order: OrderDetailFragment; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const [, dispatch] = useMutation(DispatchOrderDocument);
  return (
    <ActionModal<Values>
      title={t('action.dispatchTitle', { number: order.number })} okText={t('action.dispatch')}
      fieldNames={['leadUnitCodes', 'supportUnitCodes', 'note']} success={t('action.dispatched')} onClose={onClose} onDone={onDone}
      submit={async (v) => (await dispatch({
        input: { orderId: order.id, leadUnitCodes: v.leadUnitCodes ?? [], supportUnitCodes: v.supportUnitCodes ?? [], note: v.note ?? null },
      })).data?.dispatchWorkOrder}
    >
      <DispatchFields />
    </ActionModal>
  );
}

/** Lead units (two make a joint dispatch), supporting units, a note: shared by dispatch and re-dispatch. */
export function DispatchFields({ leadRequired = true }: { leadRequired?: boolean }) {
  const { t } = useI18n();
  return (
    <>
      <Form.Item label={t('action.lead')} name="leadUnitCodes" extra={t('action.leadHelp')}
        rules={leadRequired ? [{ required: true, message: t('error.required') }] : []}>
        <UnitPicker multiple aria-label={t('action.lead')} />
      </Form.Item>
      <Form.Item label={t('action.support')} name="supportUnitCodes">
        <UnitPicker multiple aria-label={t('action.support')} />
      </Form.Item>
      <Form.Item label={t('action.dispatchNote')} name="note">
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    </>
  );
}

function DecideModal({ a, r, onClose, onDone }: { a: Assignment; r: Request; onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const [, extension] = useMutation(DecideExtensionDocument);
  const [, suspension] = useMutation(DecideSuspensionDocument);
  type DecideValues = { approve: boolean; days?: number; note?: string };
  return (
    <ActionModal<DecideValues>
      title={t('action.decideTitle', { kind: t(`requestKind.${r.kind}`), unit: a.unit.name })}
      fieldNames={['days', 'note', 'reason']} success={t('action.decided')} onClose={onClose} onDone={onDone}
      initialValues={{ approve: true }}
      submit={async (v) => {
        const note = v.note?.trim() ?? '';
        if (r.kind === 'EXTENSION') {
          const data = (await extension({ requestId: r.id, approve: v.approve, days: v.days ?? null, note: note || null, reason: note })).data;
          return v.approve ? data?.approveExtension : data?.refuseExtension;
        }
        const data = (await suspension({ requestId: r.id, approve: v.approve, note: note || null, reason: note })).data;
        return v.approve ? data?.approveSuspension : data?.refuseSuspension;
      }}
    >
      <Typography.Paragraph>
        {t('action.reason')}：{r.reason}{r.days ? `（${String(r.days)}）` : ''}
      </Typography.Paragraph>
      <Form.Item name="approve" label={t('action.decideTitle', { kind: t(`requestKind.${r.kind}`), unit: a.unit.name })}>
        <Radio.Group options={[{ value: true, label: t('action.approve') }, { value: false, label: t('action.refuse') }]} />
      </Form.Item>
      {r.kind === 'EXTENSION' && (
        <Form.Item label={t('action.grantedDays')} name="days">
          <InputNumber min={1} max={60} />
        </Form.Item>
      )}
      <Form.Item label={t('action.note')} name="note">
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    </ActionModal>
  );
}

function AssignmentModal({ kind, a, orderId, onClose, onDone }: {
  kind: Exclude<Step['kind'], 'dispatch' | 'decide'>;
  a: Assignment;
  orderId: string;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const [, askReturn] = useMutation(AskToReturnDocument);
  const [, reply] = useMutation(ReplyDocument);
  const [, whistle] = useMutation(BlowWhistleDocument);
  const [, note] = useMutation(NoteHandlingDocument);
  const [, contact] = useMutation(RecordContactDocument);
  const [, extend] = useMutation(AskExtensionDocument);
  const [, suspend] = useMutation(AskSuspensionDocument);
  const [, approveReturn] = useMutation(ApproveReturnAndRedispatchDocument);
  const [, rejectReturn] = useMutation(RejectReturnDocument);
  const [, sendBack] = useMutation(SendBackReplyDocument);
  const id = a.id;
  const unit = a.unit.name;
  const required = [{ required: true, whitespace: true, message: t('error.required') }];
  const textArea = (name: keyof Values, label: string) => (
    <Form.Item label={label} name={name} rules={required}>
      <Input.TextArea rows={3} maxLength={2000} showCount />
    </Form.Item>
  );
  const common = { onClose, onDone };
  switch (kind) {
    case 'return':
      return (
        <ActionModal<Values> {...common} title={t('action.returnTitle', { unit })} fieldNames={['reason', 'explanation']}
          success={t('action.returned')}
          submit={async (v) => (await askReturn({ assignmentId: id, reason: (v.reason ?? 'OTHER') as ReturnReason, explanation: v.explanation ?? '' })).data?.requestReturn}>
          <Form.Item label={t('action.returnReason')} name="reason" rules={[{ required: true, message: t('error.required') }]}>
            <Select options={REASONS.map((r) => ({ value: r, label: t(`returnReason.${r}`) }))} />
          </Form.Item>
          {textArea('explanation', t('action.explanation'))}
        </ActionModal>
      );
    case 'reply':
      return (
        <ActionModal<Values> {...common} title={t('action.replyTitle', { unit })} fieldNames={['result', 'text']}
          success={t('action.replied')}
          submit={async (v) => (await reply({ assignmentId: id, result: v.result ?? 'RESOLVED', text: v.text ?? '' })).data?.replyToWorkOrder}>
          <Form.Item label={t('action.result')} name="result" rules={[{ required: true, message: t('error.required') }]}>
            <Select options={RESULTS.map((r) => ({ value: r, label: t(`resultClass.${r}`) }))} />
          </Form.Item>
          {textArea('text', t('action.replyText'))}
        </ActionModal>
      );
    case 'whistle':
      return (
        <ActionModal<Values> {...common} title={t('action.whistleTitle')} fieldNames={['unitCodes', 'note']}
          success={t('action.whistled')}
          submit={async (v) => (await whistle({ assignmentId: id, unitCodes: v.unitCodes ?? [], note: v.note ?? '' })).data?.blowWhistle}>
          <Form.Item label={t('action.whistleUnits')} name="unitCodes" rules={[{ required: true, message: t('error.required') }]}>
            <UnitPicker multiple kinds={['DEPARTMENT', 'SECTION', 'COMPANY']} exclude={[a.unit.code]} aria-label={t('action.whistleUnits')} />
          </Form.Item>
          {textArea('note', t('action.whistleNote'))}
        </ActionModal>
      );
    case 'note':
      return (
        <ActionModal<Values> {...common} title={t('action.noteTitle')} fieldNames={['text']} success={t('action.noted')}
          submit={async (v) => (await note({ assignmentId: id, text: v.text ?? '' })).data?.recordHandlingNote}>
          {textArea('text', t('action.noteText'))}
        </ActionModal>
      );
    case 'contact':
      return (
        <ActionModal<Values> {...common} title={t('action.contactTitle')} fieldNames={['method', 'reached', 'text', 'contactedAt']}
          success={t('action.contacted')} initialValues={{ method: 'PHONE', reached: true }}
          submit={async (v) => (await contact({
            assignmentId: id,
            input: { method: v.method ?? 'PHONE', reached: v.reached ?? true, text: v.text ?? '', contactedAt: v.contactedAt?.toISOString() ?? null },
          })).data?.recordCitizenContact}>
          <Form.Item label={t('action.contactMethod')} name="method">
            <Radio.Group options={METHODS.map((m) => ({ value: m, label: t(`contactMethod.${m}`) }))} />
          </Form.Item>
          <Form.Item label={t('action.contactReached')} name="reached">
            <Radio.Group options={[{ value: true, label: t('order.reached') }, { value: false, label: t('order.notReached') }]} />
          </Form.Item>
          <Form.Item label={t('action.contactedAt')} name="contactedAt">
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
          {textArea('text', t('action.contactText'))}
        </ActionModal>
      );
    case 'extend':
      return (
        <ActionModal<Values> {...common} title={t('action.extendTitle')} fieldNames={['days', 'reason']} success={t('action.extendAsked')}
          submit={async (v) => (await extend({ assignmentId: id, days: v.days ?? 0, reason: v.reason ?? '' })).data?.requestExtension}>
          <Form.Item label={t('action.days')} name="days" rules={[{ required: true, message: t('error.required') }]}>
            <InputNumber min={1} max={60} />
          </Form.Item>
          <Form.Item label={t('action.reason')} name="reason" rules={required}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        </ActionModal>
      );
    case 'suspend':
      return (
        <ActionModal<Values> {...common} title={t('action.suspendTitle')} fieldNames={['reason']} success={t('action.suspendAsked')}
          submit={async (v) => (await suspend({ assignmentId: id, reason: v.reason ?? '' })).data?.requestSuspension}>
          <Form.Item label={t('action.reason')} name="reason" rules={required}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        </ActionModal>
      );
    case 'approveReturn':
      return (
        <ActionModal<Values> {...common} title={t('action.approveReturnTitle', { unit })}
          fieldNames={['leadUnitCodes', 'supportUnitCodes', 'note']} success={t('action.approvedReturn')}
          submit={async (v) => {
            const lead = v.leadUnitCodes ?? [];
            const redispatch = lead.length > 0
              ? { orderId, leadUnitCodes: lead, supportUnitCodes: v.supportUnitCodes ?? [], note: v.note ?? null } : null;
            return (await approveReturn({ assignmentId: id, note: v.note ?? null, redispatch })).data?.approveReturn;
          }}>
          <Typography.Paragraph>
            {t('order.returnReason')}：{a.returnReason ? t(`returnReason.${a.returnReason}`) : ''} {a.returnExplanation}
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary">{t('action.redispatchHelp')}</Typography.Paragraph>
          <DispatchFields leadRequired={false} />
        </ActionModal>
      );
    case 'rejectReturn':
      return (
        <ActionModal<Values> {...common} title={t('action.rejectReturnTitle', { unit })} fieldNames={['reason']} success={t('action.rejectedReturn')}
          submit={async (v) => (await rejectReturn({ assignmentId: id, reason: v.reason ?? '' })).data?.rejectReturn}>
          <Typography.Paragraph>
            {t('order.returnReason')}：{a.returnReason ? t(`returnReason.${a.returnReason}`) : ''} {a.returnExplanation}
          </Typography.Paragraph>
          <Form.Item label={t('action.reason')} name="reason" rules={required}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        </ActionModal>
      );
    case 'sendBack':
      return (
        <ActionModal<Values> {...common} title={t('action.sendBackTitle', { unit })} fieldNames={['reason']} success={t('action.sentBack')}
          submit={async (v) => (await sendBack({ assignmentId: id, reason: v.reason ?? '' })).data?.sendBackReply}>
          <Typography.Paragraph>{a.replyText}</Typography.Paragraph>
          <Form.Item label={t('action.reason')} name="reason" rules={required}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        </ActionModal>
      );
  }
}
