import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Empty, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useMutation } from 'urql';
import { errorText } from '../../../api/errors';
import {
  DisableInheritedDispatchItemDocument, RemoveDispatchDraftItemDocument, type DispatchConfigurationQuery,
} from '../../../generated/graphql';
import { useI18n } from '../../../i18n';
import type { MessageKey } from '../../../i18n/messages';
import { ruleBody } from './body';
import { summarize } from './conditions';
import { RuleEditor, type RuleDraft } from './RuleEditor';
import { ReasonModal, SourceTag, UnitTargets, failure, useUnitNames } from './shared';

type Config = Extract<NonNullable<DispatchConfigurationQuery['dispatchConfiguration']>, { __typename: 'DispatchConfiguration' }>;
export type Item = Config['items'][number];

const NEW_RULE: RuleDraft = { key: '', name: '', position: 100, mandatory: false, when: { category: [] }, then: [{ type: 'dispatch', units: [{ role: 'lead' }] }] };

/** The ordered rules in force for the tenant (with its draft): add, edit, disable inherited, remove its own. */
export function RulesTab({ tenantCode, config, canMandate, onChanged }: {
  tenantCode: string;
  config: Config;
  canMandate: boolean;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const names = useUnitNames(tenantCode);
  const [editing, setEditing] = useState<{ draft: RuleDraft; isNew: boolean } | null>(null);
  const [asking, setAsking] = useState<{ item: Item; action: 'disable' | 'remove' } | null>(null);
  const [, disable] = useMutation(DisableInheritedDispatchItemDocument);
  const [, remove] = useMutation(RemoveDispatchDraftItemDocument);
  const rules = config.items.filter((i) => i.kind === 'RULE');
  const label = (f: string): string => t(`config.cond.${f}` as MessageKey);

  const edit = (item: Item): void => {
    const body = ruleBody(item.body);
    setEditing({ isNew: false, draft: { key: item.key, name: body.name, position: item.position, mandatory: item.mandatory && !item.source.inherited, when: body.when, then: body.then } });
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => { setEditing({ draft: NEW_RULE, isNew: true }); }}>{t('config.newRule')}</Button>
        <Typography.Text type="secondary">{t('config.rulesHint')}</Typography.Text>
      </Space>
      <Table<Item>
        size="small"
        rowKey={(i) => i.key}
        dataSource={rules}
        pagination={false}
        locale={{ emptyText: <Empty description={t('config.noRules')} /> }}
        columns={[
          { title: '#', key: 'order', width: 48, render: (_, __, index) => index + 1 },
          {
            title: t('config.ruleName'), key: 'name', render: (_, i) => (
              <div data-rule-key={i.key}>
                <div>{ruleBody(i.body).name}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{i.key}</Typography.Text>
              </div>
            ),
          },
          { title: t('config.when'), key: 'when', render: (_, i) => <Typography.Text style={{ fontSize: 12 }}>{summarize(ruleBody(i.body).when, label)}</Typography.Text> },
          {
            title: t('config.then'), key: 'then', render: (_, i) => (
              <Space orientation="vertical" size={2}>
                {ruleBody(i.body).then.map((a, n) => (
                  <span key={n}>
                    {t(`config.action.${a.type}` as MessageKey)}
                    {a.units && <> <UnitTargets units={a.units} names={names} /></>}
                    {a.level !== undefined && ` ${a.level}`}
                    {a.tag && ` ${a.tag}`}
                  </span>
                ))}
              </Space>
            ),
          },
          { title: t('config.source'), key: 'source', render: (_, i) => <SourceTag source={i.source} locked={i.locked} mandatory={i.mandatory} /> },
          {
            title: t('common.actions'), key: 'actions', render: (_, i) => i.locked ? null : (
              <Space size={0} wrap>
                <Button type="link" size="small" onClick={() => { edit(i); }}>
                  {i.source.inherited ? t('config.override') : t('config.edit')}
                </Button>
                {i.source.inherited
                  ? <Button type="link" size="small" onClick={() => { setAsking({ item: i, action: 'disable' }); }}>{t('config.disable')}</Button>
                  : <Button type="link" size="small" danger onClick={() => { setAsking({ item: i, action: 'remove' }); }}>{t('config.remove')}</Button>}
              </Space>
            ),
          },
        ]}
      />
      <DisabledList config={config} kind="RULE" tenantCode={tenantCode} onChanged={onChanged} />
      {editing && (
        <RuleEditor tenantCode={tenantCode} initial={editing.draft} isNew={editing.isNew} canMandate={canMandate}
          onClose={() => { setEditing(null); }}
          onSaved={() => { setEditing(null); void message.success(t('config.savedToDraft')); onChanged(); }} />
      )}
      {asking && (
        <ReasonModal
          title={t(asking.action === 'disable' ? 'config.disableTitle' : 'config.removeTitle', { name: ruleBody(asking.item.body).name || asking.item.key })}
          onClose={() => { setAsking(null); }}
          submit={async (reason) => {
            const vars = { kind: asking.item.kind, key: asking.item.key, reason, tenantCode };
            const outcome = asking.action === 'disable'
              ? (await disable(vars)).data?.disableInheritedDispatchItem
              : (await remove(vars)).data?.removeDispatchDraftItem;
            const errors = failure(outcome, t('app.unexpectedError'));
            if (!errors) { setAsking(null); void message.success(t('config.savedToDraft')); onChanged(); }
            return errors;
          }}
        />
      )}
    </Space>
  );
}

/** Inherited items switched off in the chain; this tenant's own switch can be taken back. */
export function DisabledList({ config, kind, tenantCode, onChanged }: {
  config: Config;
  kind: Item['kind'];
  tenantCode: string;
  onChanged: () => void;
}) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [, remove] = useMutation(RemoveDispatchDraftItemDocument);
  const [asking, setAsking] = useState<string | null>(null);
  const items = config.disabled.filter((d) => d.kind === kind);
  const ignored = config.ignored.filter((d) => d.kind === kind);
  if (items.length === 0 && ignored.length === 0) return null;
  return (
    <div>
      {items.length > 0 && <Typography.Title level={2} style={{ fontSize: 15 }}>{t('config.disabledItems')}</Typography.Title>}
      {items.map((d) => (
        <div key={d.key} style={{ marginBottom: 4 }}>
          {d.key} · {t('config.definedBy', { name: d.definedBy.name })} · {t('config.disabledBy', { name: d.disabledBy.name })}
          {d.disabledBy.code === tenantCode && (
            <Button type="link" size="small" onClick={() => { setAsking(d.key); }}>{t('config.enable')}</Button>
          )}
        </div>
      ))}
      {ignored.map((d) => (
        <Typography.Paragraph key={d.key} type="warning">
          {t('config.ignoredItem', { key: d.key, by: d.lockedBy?.code ?? '' })} {d.reason}
        </Typography.Paragraph>
      ))}
      {asking && (
        <ReasonModal title={t('config.enableTitle', { name: asking })} onClose={() => { setAsking(null); }}
          submit={async (reason) => {
            const errors = failure((await remove({ kind, key: asking, reason, tenantCode })).data?.removeDispatchDraftItem, t('app.unexpectedError'));
            if (!errors) { setAsking(null); void message.success(t('config.savedToDraft')); onChanged(); }
            else if (errors.length > 0 && errors.every((e) => e.path.length === 0)) void message.error(errors.map((e) => errorText(e, t, locale)).join(' '));
            return errors;
          }} />
      )}
    </div>
  );
}
