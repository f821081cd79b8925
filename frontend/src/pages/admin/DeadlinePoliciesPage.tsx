import { PlusOutlined } from '@ant-design/icons';
import {
  Alert, App, Button, Card, Checkbox, Empty, Form, Input, InputNumber, Modal, Popconfirm, Select, Skeleton, Space, Switch,
  Table, Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { errorText, showFormErrors, type FieldError } from '../../api/errors';
import { FormProblems } from '../../components/FormProblems';
import { StatusTag } from '../../components/StatusTag';
import {
  DeadlineRulesDocument, RemoveDeadlineRuleDocument, SetDeadlineRuleDocument, UpdateWorkOrderRulesDocument,
  WorkOrderRulesDocument, type DeadlineRuleFieldsFragment, type DurationUnit, type PolicyLimitKind, type RequestType,
} from '../../generated/graphql';
import { useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { hasRole, useViewer } from '../../session';
import { SourceTag } from './dispatch/shared';

type Rule = DeadlineRuleFieldsFragment;
const KINDS: PolicyLimitKind[] = ['SIGN_FOR', 'FIRST_CONTACT', 'REPLY', 'CALLBACK', 'PROGRESS_NOTICE', 'RETURN_WINDOW', 'EXTENSION_MAX'];
const UNITS: DurationUnit[] = ['WORKING_DAYS', 'WORKING_HOURS', 'NATURAL_HOURS'];
const REQUEST_TYPES: RequestType[] = ['CONSULTATION', 'HELP', 'COMPLAINT', 'REPORT', 'SUGGESTION', 'PRAISE'];
const ANY = '__any__';

interface LimitRow { set: boolean; amount: number | null; unit: DurationUnit | null; disabled: boolean }
interface RuleDraft {
  responseLevel: number | null;
  requestType: string | null;
  categoryCode: string;
  policy: string; // a named policy that dispatch rules can choose; empty: the ordinary rules
  mandatory: boolean;
  limits: Record<PolicyLimitKind, LimitRow>;
}

function draftOf(rule: Rule | null): RuleDraft {
  const limits = Object.fromEntries(KINDS.map((k) => {
    const l = rule?.limits.find((x) => x.kind === k);
    return [k, { set: !!l, amount: l?.amount ?? null, unit: l?.unit ?? null, disabled: l?.disabled ?? false }];
  })) as Record<PolicyLimitKind, LimitRow>;
  return {
    responseLevel: rule?.responseLevel ?? null, requestType: rule?.requestType ?? null, categoryCode: rule?.categoryCode ?? '',
    policy: rule?.policy ?? '', mandatory: rule?.mandatory ?? false, limits,
  };
}

/** 办理时限: the effective deadline rules with their source, the tenant's own rules, and the loop's work-order rules. */
export function DeadlinePoliciesPage() {
  const { t } = useI18n();
  const viewer = useViewer();
  const tenantCode = viewer.actingTenant?.code ?? '';
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <div>
        <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>{t('layout.deadlines')}</Typography.Title>
        <Typography.Paragraph className="page-intro">{t('deadline.intro', { tenant: viewer.actingTenant?.name ?? '' })}</Typography.Paragraph>
      </div>
      <DeadlineRules tenantCode={tenantCode} canMandate={hasRole(viewer, 'PROVINCE_ADMIN')} />
      <WorkOrderRulesCard />
    </Space>
  );
}

function scopeText(rule: { responseLevel?: number | null; requestType?: string | null; categoryCode?: string | null; policy?: string | null }, t: (k: MessageKey, v?: Record<string, string | number>) => string): string {
  return [
    ...(rule.policy ? [t('deadline.policyN', { name: rule.policy })] : []),
    rule.responseLevel ? t('deadline.levelN', { n: rule.responseLevel }) : t('deadline.anyLevel'),
    rule.requestType ? t(`requestType.${rule.requestType.toUpperCase()}` as MessageKey) : t('deadline.anyType'),
    rule.categoryCode ? t('deadline.categoryN', { code: rule.categoryCode }) : t('deadline.anyCategory'),
  ].join(' · ');
}

function DeadlineRules({ tenantCode, canMandate }: { tenantCode: string; canMandate: boolean }) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [{ data, fetching, error }, refetch] = useQuery({ query: DeadlineRulesDocument, variables: { tenantCode }, pause: !tenantCode });
  const [, remove] = useMutation(RemoveDeadlineRuleDocument);
  const [editing, setEditing] = useState<{ draft: RuleDraft; title: string } | null>(null);
  const rules = data?.deadlinePolicy?.rules ?? [];
  const reload = (): void => { refetch({ requestPolicy: 'network-only' }); };
  const limitText = (r: Rule): string => r.limits.map((l) => l.disabled
    ? `${t(`deadline.kind.${l.kind}` as MessageKey)} ${t('deadline.off')}`
    : `${t(`deadline.kind.${l.kind}` as MessageKey)} ${String(l.amount ?? '')} ${l.unit ? t(`deadline.unit.${l.unit}` as MessageKey) : ''}`).join('；');

  const removeRule = async (rule: Rule): Promise<void> => {
    if (!rule.id) return;
    const outcome = (await remove({ ruleId: rule.id })).data?.removeDeadlineRule;
    if (outcome?.__typename === 'DeadlineRule') { void message.success(t('deadline.removed')); reload(); }
    else void message.error(outcome?.__typename === 'ValidationErrors' ? outcome.errors.map((e) => errorText(e, t, locale)).join(' ') : t('app.unexpectedError'));
  };

  return (
    <Card title={t('deadline.rulesTitle')} extra={
      <Button type="primary" icon={<PlusOutlined />} onClick={() => { setEditing({ draft: draftOf(null), title: t('deadline.newRule') }); }}>{t('deadline.newRule')}</Button>
    }>
      <Typography.Paragraph type="secondary">{t('deadline.rulesHint')}</Typography.Paragraph>
      {error && <Alert type="error" role="alert" title={t('app.unexpectedError')} />}
      {!data && fetching ? <Skeleton active /> : (
        <Table<Rule>
          size="small" rowKey={(r) => r.id ?? `builtin:${scopeText(r, t)}`} dataSource={rules} pagination={false}
          locale={{ emptyText: <Empty /> }}
          columns={[
            { title: t('deadline.scope'), key: 'scope', render: (_, r) => scopeText(r, t) },
            { title: t('deadline.limits'), key: 'limits', render: (_, r) => <Typography.Text style={{ fontSize: 13 }}>{limitText(r)}</Typography.Text> },
            {
              title: t('config.source'), key: 'source', render: (_, r) => r.builtIn
                ? <StatusTag tone="off">{t('deadline.builtIn')}</StatusTag>
                : <SourceTag source={r.fromTenant} locked={r.mandatory && r.fromTenant?.inherited === true} mandatory={r.mandatory} />,
            },
            {
              title: t('common.actions'), key: 'actions', render: (_, r) => {
                const own = !r.builtIn && r.fromTenant?.inherited === false;
                const locked = r.mandatory && r.fromTenant?.inherited === true;
                if (own) {
                  return (
                    <Space size={0}>
                      <Button type="link" size="small" onClick={() => { setEditing({ draft: draftOf(r), title: t('deadline.editRule') }); }}>{t('config.edit')}</Button>
                      <Popconfirm title={t('deadline.removeConfirm')} okText={t('config.remove')} cancelText={t('common.cancel')} onConfirm={() => { void removeRule(r); }}>
                        <Button type="link" size="small" danger>{t('config.remove')}</Button>
                      </Popconfirm>
                    </Space>
                  );
                }
                return locked ? null : (
                  <Button type="link" size="small" onClick={() => { setEditing({ draft: { ...draftOf(r), mandatory: false }, title: t('deadline.overrideRule') }); }}>{t('config.override')}</Button>
                );
              },
            },
          ]}
        />
      )}
      {editing && (
        <RuleModal tenantCode={tenantCode} title={editing.title} initial={editing.draft} canMandate={canMandate}
          requestTypes={data?.deadlinePolicy?.requestTypes ?? []}
          onClose={() => { setEditing(null); }}
          onSaved={() => { setEditing(null); void message.success(t('common.saved')); reload(); }} />
      )}
    </Card>
  );
}

function RuleModal({ tenantCode, title, initial, canMandate, requestTypes, onClose, onSaved }: {
  tenantCode: string;
  title: string;
  initial: RuleDraft;
  canMandate: boolean;
  requestTypes: readonly string[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, locale } = useI18n();
  const [draft, setDraft] = useState<RuleDraft>(initial);
  const [errors, setErrors] = useState<{ scope: Map<string, string>; limits: Map<PolicyLimitKind, string>; general: string[] }>({ scope: new Map(), limits: new Map(), general: [] });
  const [{ fetching }, save] = useMutation(SetDeadlineRuleDocument);
  const setLimit = (kind: PolicyLimitKind, row: Partial<LimitRow>): void => {
    setDraft({ ...draft, limits: { ...draft.limits, [kind]: { ...draft.limits[kind], ...row } } });
  };

  const submit = async (): Promise<void> => {
    const sent = KINDS.filter((k) => draft.limits[k].set);
    const outcome = (await save({
      input: {
        tenantCode, responseLevel: draft.responseLevel, requestType: draft.requestType, categoryCode: draft.categoryCode.trim() || null,
        policy: draft.policy.trim() || null, mandatory: draft.mandatory,
        limits: sent.map((kind) => {
          const l = draft.limits[kind];
          return l.disabled ? { kind, disabled: true } : { kind, amount: l.amount, unit: l.unit, disabled: false };
        }),
      },
    })).data?.setDeadlineRule;
    if (!outcome) { setErrors({ scope: new Map(), limits: new Map(), general: [t('app.unexpectedError')] }); return; }
    if (outcome.__typename !== 'ValidationErrors') { onSaved(); return; }
    // limits.N.* errors belong to the row of the N-th limit sent.
    const scope = new Map<string, string>();
    const limits = new Map<PolicyLimitKind, string>();
    const general: string[] = [];
    for (const e of outcome.errors as FieldError[]) {
      const text = errorText(e, t, locale);
      const kind = e.path[0] === 'limits' && e.path[1] !== undefined ? sent[Number(e.path[1])] : undefined;
      if (kind) limits.set(kind, [limits.get(kind), text].filter(Boolean).join('；'));
      else if (e.path.length === 1 && ['responseLevel', 'requestType', 'categoryCode', 'policy'].includes(e.path[0] ?? '')) scope.set(e.path[0] ?? '', text);
      else general.push(text);
    }
    setErrors({ scope, limits, general });
  };
  const help = (name: string) => ({ validateStatus: errors.scope.has(name) ? 'error' as const : undefined, help: errors.scope.get(name) });

  return (
    <Modal open width={760} title={title} okText={t('common.save')} cancelText={t('common.cancel')} confirmLoading={fetching}
      onOk={() => void submit()} onCancel={onClose}>
      <FormProblems problems={errors.general} />
      <Form layout="vertical" name="deadlineRule" onFinish={() => void submit()}>
        <Space wrap align="start">
          <Form.Item label={t('deadline.responseLevel')} htmlFor="dl-level" {...help('responseLevel')}>
            <Select id="dl-level" style={{ width: 130 }} value={draft.responseLevel ?? ANY}
              onChange={(v: number | string) => { setDraft({ ...draft, responseLevel: v === ANY ? null : Number(v) }); }}
              options={[{ value: ANY, label: t('deadline.anyLevel') }, ...[1, 2, 3, 4].map((n) => ({ value: n, label: t('deadline.levelN', { n }) }))]} />
          </Form.Item>
          <Form.Item label={t('deadline.requestType')} htmlFor="dl-type" {...help('requestType')}>
            <Select id="dl-type" style={{ width: 130 }} value={draft.requestType ?? ANY}
              onChange={(v: string) => { setDraft({ ...draft, requestType: v === ANY ? null : v }); }}
              options={[{ value: ANY, label: t('deadline.anyType') }, ...requestTypes.map((r) => ({ value: r, label: t(`requestType.${r.toUpperCase()}` as MessageKey) }))]} />
          </Form.Item>
          <Form.Item label={t('config.categoryCode')} htmlFor="dl-category" {...help('categoryCode')}>
            <Input id="dl-category" style={{ width: 140 }} value={draft.categoryCode} placeholder={t('deadline.anyCategory')} autoComplete="off"
              onChange={(e) => { setDraft({ ...draft, categoryCode: e.target.value }); }} />
          </Form.Item>
          <Form.Item label={t('deadline.policy')} htmlFor="dl-policy" {...help('policy')}>
            <Input id="dl-policy" style={{ width: 140 }} value={draft.policy} placeholder={t('deadline.noPolicy')} autoComplete="off" maxLength={40}
              onChange={(e) => { setDraft({ ...draft, policy: e.target.value }); }} />
          </Form.Item>
          {canMandate && (
            <Form.Item label={t('config.mandatory')} htmlFor="dl-mandatory">
              <Switch id="dl-mandatory" checked={draft.mandatory} onChange={(mandatory) => { setDraft({ ...draft, mandatory }); }} />
            </Form.Item>
          )}
        </Space>
        <Table<PolicyLimitKind> size="small" pagination={false} rowKey={(k) => k} dataSource={KINDS} columns={[
          {
            title: t('deadline.limit'), key: 'kind', render: (_, k) => (
              <Checkbox checked={draft.limits[k].set} onChange={(e) => { setLimit(k, { set: e.target.checked }); }}>
                {t(`deadline.kind.${k}` as MessageKey)}
              </Checkbox>
            ),
          },
          {
            title: t('deadline.amount'), key: 'amount', render: (_, k) => {
              const l = draft.limits[k];
              const problem = errors.limits.get(k);
              return (
                <Form.Item style={{ marginBottom: 0 }} validateStatus={problem ? 'error' : undefined} help={problem}>
                  <Space>
                    <InputNumber aria-label={`${t(`deadline.kind.${k}` as MessageKey)} ${t('deadline.amount')}`} min={0} step={0.5} value={l.amount}
                      disabled={!l.set || l.disabled} onChange={(amount) => { setLimit(k, { amount }); }} />
                    <Select aria-label={`${t(`deadline.kind.${k}` as MessageKey)} ${t('deadline.unitLabel')}`} style={{ width: 120 }} value={l.unit}
                      disabled={!l.set || l.disabled} onChange={(unit: DurationUnit) => { setLimit(k, { unit }); }}
                      options={UNITS.map((u) => ({ value: u, label: t(`deadline.unit.${u}` as MessageKey) }))} />
                    <Checkbox checked={l.disabled} disabled={!l.set} onChange={(e) => { setLimit(k, { disabled: e.target.checked }); }}>{t('deadline.off')}</Checkbox>
                  </Space>
                </Form.Item>
              );
            },
          },
        ]} />
      </Form>
    </Modal>
  );
}

interface WorkOrderRulesValues {
  returnSupervisionThreshold: number;
  reopenOnDissatisfied: boolean;
  callbackExemptTypes: RequestType[];
  callbackMaxAttempts: number;
  duplicateWindowDays: number;
}
const WO_FIELDS = ['returnSupervisionThreshold', 'reopenOnDissatisfied', 'callbackExemptTypes', 'callbackMaxAttempts', 'duplicateWindowDays'];

function WorkOrderRulesCard() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<WorkOrderRulesValues>();
  const [problems, setProblems] = useState<string[]>([]);
  const [{ data }] = useQuery({ query: WorkOrderRulesDocument });
  const [{ fetching }, update] = useMutation(UpdateWorkOrderRulesDocument);
  const current = data?.workOrderRules;
  useEffect(() => {
    if (current?.__typename === 'WorkOrderRules') form.setFieldsValue(current);
  }, [current, form]);

  const submit = async (values: WorkOrderRulesValues): Promise<void> => {
    const outcome = (await update({ input: values })).data?.updateWorkOrderRules;
    if (!outcome) setProblems([t('app.unexpectedError')]);
    else if (outcome.__typename === 'ValidationErrors') setProblems(showFormErrors(form, outcome.errors, WO_FIELDS, t, locale));
    else { setProblems([]); void message.success(t('common.saved')); }
  };

  return (
    <Card title={t('deadline.workOrderRules')}>
      {current?.__typename === 'ValidationErrors' && <Alert type="error" role="alert" title={current.errors.map((e) => errorText(e, t, locale)).join(' ')} />}
      {!current ? <Skeleton active /> : (
        <>
          <FormProblems problems={problems} />
          <Form<WorkOrderRulesValues> form={form} layout="vertical" name="workOrderRules" onFinish={(v) => void submit(v)} style={{ maxWidth: 640 }}>
            <Form.Item label={t('deadline.returnThreshold')} name="returnSupervisionThreshold" extra={t('deadline.returnThresholdHint')}>
              <InputNumber min={1} max={20} />
            </Form.Item>
            <Form.Item label={t('deadline.reopenOnDissatisfied')} name="reopenOnDissatisfied" valuePropName="checked"><Switch /></Form.Item>
            <Form.Item label={t('deadline.callbackExempt')} name="callbackExemptTypes">
              <Select mode="multiple" options={REQUEST_TYPES.map((r) => ({ value: r, label: t(`requestType.${r}`) }))} />
            </Form.Item>
            <Form.Item label={t('deadline.callbackAttempts')} name="callbackMaxAttempts"><InputNumber min={1} max={10} /></Form.Item>
            <Form.Item label={t('deadline.duplicateWindow')} name="duplicateWindowDays" extra={t('deadline.duplicateWindowHint')}>
              <InputNumber min={0} max={365} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={fetching}>{t('common.save')}</Button>
          </Form>
        </>
      )}
    </Card>
  );
}
