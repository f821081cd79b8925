import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Checkbox, Form, Input, InputNumber, Modal, Select, Space, Switch } from 'antd';
import { useState } from 'react';
import { useMutation } from 'urql';
import { errorText, type FieldError } from '../../../api/errors';
import { FormProblems } from '../../../components/FormProblems';
import { UnitPicker } from '../../../components/UnitPicker';
import { SaveDispatchRuleDocument } from '../../../generated/graphql';
import { useI18n } from '../../../i18n';
import type { MessageKey } from '../../../i18n/messages';
import type { StoredAction, StoredUnit } from './body';
import { toActionInput } from './body';
import { errorsAt, leafErrors, type Condition } from './conditions';
import { ConditionEditor } from './ConditionEditor';

export interface RuleDraft {
  key: string;
  name: string;
  position: number;
  mandatory: boolean;
  when: Condition;
  then: StoredAction[];
}

const ACTION_TYPES = ['dispatch', 'set_level', 'deadline_policy', 'review', 'tag', 'stop'] as const;
const ROLES = ['lead', 'supporting', 'joint'] as const;

/** Create or change one rule of the tenant's draft; the API's errors are shown at the field or condition they name. */
export function RuleEditor({ tenantCode, initial, isNew, canMandate, onClose, onSaved }: {
  tenantCode: string;
  initial: RuleDraft;
  isNew: boolean;
  canMandate: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, locale } = useI18n();
  const [rule, setRule] = useState<RuleDraft>(initial);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [problems, setProblems] = useState<string[]>([]);
  const [{ fetching }, save] = useMutation(SaveDispatchRuleDocument);
  const at = (...path: string[]): string | undefined => {
    const found = errorsAt(errors, path);
    return found.length > 0 ? found.map((e) => errorText(e, t, locale)).join('；') : undefined;
  };
  const status = (help: string | undefined) => (help ? 'error' as const : undefined);

  const submit = async (): Promise<void> => {
    setProblems([]);
    const result = await save({
      input: {
        tenantCode, key: rule.key.trim(), name: rule.name, position: rule.position, mandatory: rule.mandatory,
        when: rule.when, then: rule.then.map(toActionInput), reason,
      },
    });
    const outcome = result.data?.saveDispatchRule;
    if (!outcome) setProblems([result.error?.message ?? t('app.unexpectedError')]);
    else if (outcome.__typename === 'ValidationErrors') {
      setErrors(outcome.errors);
      const placed = ['key', 'name', 'position', 'reason', 'when', 'then', 'mandatory'];
      setProblems(outcome.errors.filter((e) => !placed.includes(e.path[0] ?? '')).map((e) => errorText(e, t, locale)));
    } else onSaved();
  };
  const setAction = (i: number, a: StoredAction): void => { setRule({ ...rule, then: rule.then.map((x, j) => (j === i ? a : x)) }); };

  return (
    <Modal
      open
      width={860}
      title={isNew ? t('config.newRule') : t('config.editRule', { name: initial.name })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={fetching}
      onOk={() => void submit()}
      onCancel={onClose}
    >
      <FormProblems problems={problems} />
      <Form layout="vertical" name="dispatchRule" onFinish={() => void submit()}>
        <Space wrap align="start">
          <Form.Item label={t('config.ruleKey')} htmlFor="rule-key" validateStatus={status(at('key'))} help={at('key')} required>
            <Input id="rule-key" value={rule.key} disabled={!isNew} style={{ width: 200 }} autoComplete="off"
              onChange={(e) => { setRule({ ...rule, key: e.target.value }); }} />
          </Form.Item>
          <Form.Item label={t('config.ruleName')} htmlFor="rule-name" validateStatus={status(at('name'))} help={at('name')} required>
            <Input id="rule-name" value={rule.name} style={{ width: 300 }} autoComplete="off" maxLength={100}
              onChange={(e) => { setRule({ ...rule, name: e.target.value }); }} />
          </Form.Item>
          <Form.Item label={t('config.position')} htmlFor="rule-position" validateStatus={status(at('position'))} help={at('position')}>
            <InputNumber id="rule-position" value={rule.position} min={0} max={10000}
              onChange={(v) => { setRule({ ...rule, position: v ?? 0 }); }} />
          </Form.Item>
          {canMandate && (
            <Form.Item label={t('config.mandatory')} htmlFor="rule-mandatory">
              <Switch id="rule-mandatory" checked={rule.mandatory} onChange={(mandatory) => { setRule({ ...rule, mandatory }); }} />
            </Form.Item>
          )}
        </Space>
        <Card size="small" title={t('config.when')} style={{ marginBottom: 12 }}>
          {at('when') && <div role="alert" className="ant-form-item-explain-error">{at('when')}</div>}
          <ConditionEditor value={rule.when} onChange={(when) => { setRule({ ...rule, when }); }} path={['when']} errors={errors} />
        </Card>
        <Card size="small" title={t('config.then')} style={{ marginBottom: 12 }}>
          {at('then') && <div role="alert" className="ant-form-item-explain-error">{at('then')}</div>}
          {rule.then.map((a, i) => (
            <ActionEditor key={i} index={i} action={a} errors={errors} onChange={(next) => { setAction(i, next); }}
              onRemove={() => { setRule({ ...rule, then: rule.then.filter((_, j) => j !== i) }); }} />
          ))}
          <Button size="small" icon={<PlusOutlined />}
            onClick={() => { setRule({ ...rule, then: [...rule.then, { type: 'dispatch', units: [{ role: 'lead' }] }] }); }}>
            {t('config.addAction')}
          </Button>
        </Card>
        <Form.Item label={t('config.reason')} htmlFor="rule-reason" validateStatus={status(at('reason'))} help={at('reason')}>
          <Input id="rule-reason" value={reason} onChange={(e) => { setReason(e.target.value); }} onPressEnter={() => void submit()} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ActionEditor({ index, action, errors, onChange, onRemove }: {
  index: number;
  action: StoredAction;
  errors: readonly FieldError[];
  onChange: (a: StoredAction) => void;
  onRemove: () => void;
}) {
  const { t, locale } = useI18n();
  const base = ['then', String(index)];
  const at = (path: string[], deep = false): string | undefined => {
    const found = deep ? leafErrors(errors, path) : errorsAt(errors, path);
    return found.length > 0 ? found.map((e) => errorText(e, t, locale)).join('；') : undefined;
  };
  const units = action.units ?? [];
  const setUnit = (j: number, u: StoredUnit): void => { onChange({ ...action, units: units.map((x, k) => (k === j ? u : x)) }); };
  const typeHelp = at([...base, 'type']);
  return (
    <Space align="start" wrap style={{ display: 'flex', borderBottom: '1px dashed #eee', marginBottom: 8 }}>
      <Form.Item label={t('config.actionType')} htmlFor={`action-${index}-type`} validateStatus={typeHelp ? 'error' : undefined} help={typeHelp} style={{ marginBottom: 8 }}>
        <Select id={`action-${index}-type`} style={{ width: 150 }} value={action.type}
          onChange={(type: string) => { onChange(type === 'dispatch' ? { type, units: [{ role: 'lead' }] } : { type }); }}
          options={ACTION_TYPES.map((a) => ({ value: a, label: t(`config.action.${a}` as MessageKey) }))} />
      </Form.Item>
      {action.type === 'dispatch' && (
        <div>
          {at([...base, 'units']) && <div role="alert" className="ant-form-item-explain-error">{at([...base, 'units'])}</div>}
          {units.map((u, j) => {
            const unitHelp = at([...base, 'units', String(j)], true);
            return (
              <Space key={j} align="start" wrap>
                <Checkbox checked={u.street === true} onChange={(e) => { setUnit(j, { role: u.role, ...(e.target.checked ? { street: true } : {}) }); }}>
                  {t('config.streetUnit')}
                </Checkbox>
                {!u.street && (
                  <Form.Item label={t('config.unit')} htmlFor={`action-${index}-unit-${j}`} validateStatus={unitHelp ? 'error' : undefined} help={unitHelp} style={{ marginBottom: 8 }}>
                    <div style={{ width: 260 }}>
                      <UnitPicker id={`action-${index}-unit-${j}`} value={u.unit}
                        onChange={(v) => { setUnit(j, { ...u, unit: typeof v === 'string' ? v : undefined }); }} />
                    </div>
                  </Form.Item>
                )}
                <Form.Item label={t('config.role')} htmlFor={`action-${index}-role-${j}`} style={{ marginBottom: 8 }}>
                  <Select id={`action-${index}-role-${j}`} style={{ width: 110 }} value={u.role ?? 'lead'}
                    onChange={(role: string) => { setUnit(j, { ...u, role }); }}
                    options={ROLES.map((r) => ({ value: r, label: t(`config.role.${r}` as MessageKey) }))} />
                </Form.Item>
                <Button type="text" icon={<DeleteOutlined />} aria-label={t('config.removeUnit')} disabled={units.length === 1}
                  onClick={() => { onChange({ ...action, units: units.filter((_, k) => k !== j) }); }} />
              </Space>
            );
          })}
          <Button size="small" type="dashed" icon={<PlusOutlined />} style={{ marginBottom: 8 }}
            onClick={() => { onChange({ ...action, units: [...units, { role: 'supporting' }] }); }}>
            {t('config.addUnit')}
          </Button>
        </div>
      )}
      {action.type === 'set_level' && (
        <Form.Item label={t('config.level')} htmlFor={`action-${index}-level`} validateStatus={at([...base, 'level']) ? 'error' : undefined} help={at([...base, 'level'])} style={{ marginBottom: 8 }}>
          <InputNumber id={`action-${index}-level`} min={1} max={4} value={action.level} onChange={(v) => { onChange({ ...action, level: v ?? undefined }); }} />
        </Form.Item>
      )}
      {action.type === 'deadline_policy' && (
        <Form.Item label={t('config.policy')} htmlFor={`action-${index}-policy`} validateStatus={at([...base, 'policy']) ? 'error' : undefined} help={at([...base, 'policy']) ?? t('config.policyHelp')} style={{ marginBottom: 8 }}>
          <Input id={`action-${index}-policy`} maxLength={40} value={action.policy ?? ''} onChange={(e) => { onChange({ ...action, policy: e.target.value }); }} />
        </Form.Item>
      )}
      {action.type === 'tag' && (
        <Form.Item label={t('config.tag')} htmlFor={`action-${index}-tag`} validateStatus={at([...base, 'tag']) ? 'error' : undefined} help={at([...base, 'tag'])} style={{ marginBottom: 8 }}>
          <Input id={`action-${index}-tag`} maxLength={40} value={action.tag ?? ''} onChange={(e) => { onChange({ ...action, tag: e.target.value }); }} />
        </Form.Item>
      )}
      <Button type="text" icon={<DeleteOutlined />} aria-label={t('config.removeAction')} onClick={onRemove} />
    </Space>
  );
}
