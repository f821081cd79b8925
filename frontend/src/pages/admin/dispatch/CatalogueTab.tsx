import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Checkbox, Empty, Form, Input, Modal, Space, Switch, Table, Typography } from 'antd';
import { useState } from 'react';
import { useMutation } from 'urql';
import { errorText, type FieldError } from '../../../api/errors';
import { FormProblems } from '../../../components/FormProblems';
import { UnitPicker } from '../../../components/UnitPicker';
import {
  DisableInheritedDispatchItemDocument, RemoveDispatchDraftItemDocument, SaveCatalogueEntryDocument,
  type UnitTargetInput,
} from '../../../generated/graphql';
import { useI18n } from '../../../i18n';
import { entryBody } from './body';
import { DisabledList, type Item } from './RulesTab';
import { ReasonModal, SourceTag, UnitTargets, failure, useUnitNames } from './shared';
import type { DispatchConfigurationQuery } from '../../../generated/graphql';

type Config = Extract<NonNullable<DispatchConfigurationQuery['dispatchConfiguration']>, { __typename: 'DispatchConfiguration' }>;

interface EntryValues {
  categoryCode: string;
  divisionCode?: string;
  lead?: string[];
  supporting?: string[];
  street: boolean;
  mandatory: boolean;
  reason: string;
}

/** The dispatch catalogue (派单目录): category × place → units with their roles. */
export function CatalogueTab({ tenantCode, config, canMandate, onChanged }: {
  tenantCode: string;
  config: Config;
  canMandate: boolean;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const names = useUnitNames(tenantCode);
  const [editing, setEditing] = useState<Partial<EntryValues> | null>(null);
  const [asking, setAsking] = useState<{ item: Item; action: 'disable' | 'remove' } | null>(null);
  const [, disable] = useMutation(DisableInheritedDispatchItemDocument);
  const [, remove] = useMutation(RemoveDispatchDraftItemDocument);
  const entries = config.items.filter((i) => i.kind === 'ENTRY');

  const edit = (item: Item): void => {
    const b = entryBody(item.body);
    setEditing({
      categoryCode: b.category, divisionCode: b.place ?? undefined, street: b.units.some((u) => u.street),
      lead: b.units.filter((u) => !u.street && u.role !== 'supporting').map((u) => u.unit ?? ''),
      supporting: b.units.filter((u) => !u.street && u.role === 'supporting').map((u) => u.unit ?? ''),
      mandatory: item.mandatory && !item.source.inherited,
    });
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => { setEditing({ street: false, mandatory: false }); }}>{t('config.newEntry')}</Button>
      <Table<Item>
        size="small"
        rowKey={(i) => i.key}
        dataSource={entries}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description={t('config.noEntries')} /> }}
        columns={[
          { title: t('config.category'), key: 'category', render: (_, i) => entryBody(i.body).category },
          { title: t('config.place'), key: 'place', render: (_, i) => entryBody(i.body).place ?? t('config.anywhere') },
          { title: t('config.units'), key: 'units', render: (_, i) => <UnitTargets units={entryBody(i.body).units} names={names} /> },
          { title: t('config.source'), key: 'source', render: (_, i) => <SourceTag source={i.source} locked={i.locked} mandatory={i.mandatory} /> },
          {
            title: t('common.actions'), key: 'actions', render: (_, i) => i.locked ? null : (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => { edit(i); }}>{i.source.inherited ? t('config.override') : t('config.edit')}</Button>
                {i.source.inherited
                  ? <Button type="link" size="small" onClick={() => { setAsking({ item: i, action: 'disable' }); }}>{t('config.disable')}</Button>
                  : <Button type="link" size="small" danger onClick={() => { setAsking({ item: i, action: 'remove' }); }}>{t('config.remove')}</Button>}
              </Space>
            ),
          },
        ]}
      />
      <DisabledList config={config} kind="ENTRY" tenantCode={tenantCode} onChanged={onChanged} />
      {editing && (
        <EntryModal tenantCode={tenantCode} initial={editing} canMandate={canMandate} onClose={() => { setEditing(null); }}
          onSaved={() => { setEditing(null); void message.success(t('config.savedToDraft')); onChanged(); }} />
      )}
      {asking && (
        <ReasonModal
          title={t(asking.action === 'disable' ? 'config.disableTitle' : 'config.removeTitle', { name: asking.item.key })}
          onClose={() => { setAsking(null); }}
          submit={async (reason) => {
            const vars = { kind: asking.item.kind, key: asking.item.key, reason, tenantCode };
            const outcome = asking.action === 'disable'
              ? (await disable(vars)).data?.disableInheritedDispatchItem
              : (await remove(vars)).data?.removeDispatchDraftItem;
            const errors = failure(outcome, t('app.unexpectedError'));
            if (!errors) { setAsking(null); onChanged(); }
            return errors;
          }}
        />
      )}
    </Space>
  );
}

function EntryModal({ tenantCode, initial, canMandate, onClose, onSaved }: {
  tenantCode: string;
  initial: Partial<EntryValues>;
  canMandate: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t, locale } = useI18n();
  const [form] = Form.useForm<EntryValues>();
  const [problems, setProblems] = useState<string[]>([]);
  const [{ fetching }, save] = useMutation(SaveCatalogueEntryDocument);
  const submit = async (v: EntryValues): Promise<void> => {
    const units: UnitTargetInput[] = [
      ...(v.street ? [{ street: true, role: 'LEAD' as const }] : []),
      ...(v.lead ?? []).map((unitCode) => ({ unitCode, role: 'LEAD' as const })),
      ...(v.supporting ?? []).map((unitCode) => ({ unitCode, role: 'SUPPORTING' as const })),
    ];
    const outcome = (await save({
      input: {
        tenantCode, categoryCode: v.categoryCode.trim(), divisionCode: v.divisionCode?.trim() || null, units,
        mandatory: v.mandatory, reason: v.reason,
      },
    })).data?.saveCatalogueEntry;
    const errors: FieldError[] | null = failure(outcome, t('app.unexpectedError'));
    if (!errors) { onSaved(); return; }
    // units.N.unit errors belong to the unit pickers as a whole.
    const mapped = errors.map((e) => (e.path[0] === 'units' ? { ...e, path: ['lead'] } : e));
    const general: string[] = [];
    const byField = new Map<string, string[]>();
    for (const e of mapped) {
      const name = e.path[e.path.length - 1] ?? '';
      if (['categoryCode', 'divisionCode', 'lead', 'reason'].includes(name)) byField.set(name, [...(byField.get(name) ?? []), errorText(e, t, locale)]);
      else general.push(errorText(e, t, locale));
    }
    form.setFields([...byField].map(([name, texts]) => ({ name: name as keyof EntryValues, errors: texts })));
    setProblems(general);
  };
  return (
    <Modal open width={640} title={t('config.newEntry')} okText={t('common.save')} cancelText={t('common.cancel')}
      confirmLoading={fetching} onOk={() => { form.submit(); }} onCancel={onClose}>
      <FormProblems problems={problems} />
      <Form<EntryValues> form={form} layout="vertical" name="catalogueEntry" initialValues={initial} onFinish={(v) => void submit(v)}>
        <Form.Item label={t('config.categoryCode')} name="categoryCode" rules={[{ required: true, message: t('error.required') }]}>
          <Input autoComplete="off" placeholder="010201" />
        </Form.Item>
        <Form.Item label={t('config.divisionCode')} name="divisionCode" extra={t('config.divisionHint')}>
          <Input autoComplete="off" placeholder="320102" />
        </Form.Item>
        <Form.Item name="street" valuePropName="checked">
          <Checkbox>{t('config.streetUnit')}</Checkbox>
        </Form.Item>
        <Form.Item label={t('config.leadUnits')} name="lead">
          <UnitPicker multiple />
        </Form.Item>
        <Form.Item label={t('config.supportingUnits')} name="supporting">
          <UnitPicker multiple />
        </Form.Item>
        {canMandate && (
          <Form.Item label={t('config.mandatory')} name="mandatory" valuePropName="checked"><Switch /></Form.Item>
        )}
        <Form.Item label={t('config.reason')} name="reason" rules={[{ required: true, whitespace: true, message: t('error.required') }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Typography.Text type="secondary">{t('config.draftHint')}</Typography.Text>
      </Form>
    </Modal>
  );
}
