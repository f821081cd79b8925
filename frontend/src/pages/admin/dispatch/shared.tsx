import { LockOutlined } from '@ant-design/icons';
import { Form, Input, Modal, Space, Tag, Tooltip } from 'antd';
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { errorText, type FieldError } from '../../../api/errors';
import { FormProblems } from '../../../components/FormProblems';
import { StatusTag } from '../../../components/StatusTag';
import { TenantUnitsDocument } from '../../../generated/graphql';
import { useI18n } from '../../../i18n';
import type { StoredUnit } from './body';

/** Where an item comes from: this tenant, or inherited from a named ancestor; a lock when it is mandatory there. */
export function SourceTag({ source, locked, mandatory }: {
  source: { code: string; name: string; inherited: boolean } | null | undefined;
  locked?: boolean;
  mandatory?: boolean;
}) {
  const { t } = useI18n();
  return (
    <Space size={4} wrap>
      {source && (source.inherited
        ? <StatusTag tone="off">{t('config.inheritedFrom', { name: source.name })}</StatusTag>
        : <StatusTag tone="ok">{t('config.own')}</StatusTag>)}
      {locked && (
        <Tooltip title={t('config.lockedHint')}>
          <span><StatusTag tone="warn"><LockOutlined aria-hidden /> {t('config.locked')}</StatusTag></span>
        </Tooltip>
      )}
      {!locked && mandatory && <StatusTag tone="warn">{t('config.mandatory')}</StatusTag>}
    </Space>
  );
}

/** Unit code → name of the acting hotline's units (shared with UnitPicker's query). */
export function useUnitNames(tenantCode: string): Map<string, string> {
  const [{ data }] = useQuery({ query: TenantUnitsDocument, variables: { tenantCode }, pause: !tenantCode });
  return useMemo(() => new Map((data?.tenant?.units ?? []).map((u) => [u.code, u.name])), [data]);
}

export function UnitTargets({ units, names }: { units: readonly StoredUnit[]; names: Map<string, string> }) {
  const { t } = useI18n();
  return (
    <Space size={4} wrap>
      {units.map((u, i) => (
        <Tag key={i}>
          {t(`config.role.${u.role ?? 'lead'}` as 'config.role.lead')}：{u.street ? t('config.streetUnit') : names.get(u.unit ?? '') ?? u.unit}
        </Tag>
      ))}
    </Space>
  );
}

/** Asks why (every change of the configuration records a reason) and shows the API's errors. */
export function ReasonModal({ title, okText, onClose, submit }: {
  title: string;
  okText?: string;
  onClose: () => void;
  /** Null when done; errors otherwise. */
  submit: (reason: string) => Promise<readonly FieldError[] | null>;
}) {
  const { t, locale } = useI18n();
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<string[]>([]);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const run = async (): Promise<void> => {
    setBusy(true);
    const errors = await submit(reason);
    setBusy(false);
    if (!errors) return;
    const own = errors.filter((e) => e.path[e.path.length - 1] === 'reason');
    setFieldError(own.length > 0 ? own.map((e) => errorText(e, t, locale)).join('；') : undefined);
    setProblems(errors.filter((e) => !own.includes(e)).map((e) => errorText(e, t, locale)));
  };
  return (
    <Modal open title={title} okText={okText ?? t('common.save')} cancelText={t('common.cancel')} confirmLoading={busy}
      onOk={() => void run()} onCancel={onClose}>
      <FormProblems problems={problems} />
      <Form layout="vertical" name="reason" onFinish={() => void run()}>
        <Form.Item label={t('config.reason')} htmlFor="change-reason" required validateStatus={fieldError ? 'error' : undefined} help={fieldError}>
          <Input id="change-reason" value={reason} autoFocus onChange={(e) => { setReason(e.target.value); }} onPressEnter={() => void run()} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The errors of a result, or null when it succeeded. */
export function failure(outcome: { __typename?: string; errors?: FieldError[] } | null | undefined, fallback: string): FieldError[] | null {
  if (!outcome) return [{ path: [], message: fallback, code: 'unexpected' }];
  return outcome.__typename === 'ValidationErrors' ? outcome.errors ?? [] : null;
}
