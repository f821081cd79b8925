import { App, Form, Modal, type FormInstance } from 'antd';
import { useState, type ReactNode } from 'react';
import { errorText, showFormErrors, type FieldError } from '../api/errors';
import { useI18n } from '../i18n';
import { FormProblems } from './FormProblems';

/** What a mutation answers: the changed object, or errors a form can show. */
export type Outcome = { __typename: string; errors?: readonly FieldError[] } | null | undefined;

function failed(outcome: Outcome): outcome is { __typename: 'ValidationErrors'; errors: readonly FieldError[] } {
  return outcome?.__typename === 'ValidationErrors';
}

/**
 * A small form in a modal for one step of the loop: submits, puts the API's errors next to the fields
 * (`fieldNames` are the input names as the API spells them), confirms success and closes.
 */
export function ActionModal<V extends object>({
  title, okText, fieldNames, submit, success, onClose, onDone, children, initialValues, danger = false,
}: {
  title: string;
  okText?: string;
  fieldNames: readonly string[];
  submit: (values: V) => Promise<Outcome>;
  success: string;
  onClose: () => void;
  onDone: () => void;
  children: ReactNode | ((form: FormInstance<V>) => ReactNode);
  initialValues?: Partial<V>;
  danger?: boolean;
}) {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<V>();
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const run = async (values: V): Promise<void> => {
    setBusy(true);
    try {
      const outcome = await submit(values);
      if (!outcome) setProblems([t('app.unexpectedError')]);
      else if (failed(outcome)) setProblems(showFormErrors(form, outcome.errors, fieldNames, t, locale));
      else {
        void message.success(success);
        onDone();
      }
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open title={title} okText={okText ?? t('common.confirm')} cancelText={t('common.cancel')} confirmLoading={busy}
      okButtonProps={{ danger }} onCancel={onClose} destroyOnHidden
      onOk={() => {
        form.submit();
      }}
    >
      <FormProblems problems={problems} />
      <Form<V> form={form} layout="vertical" initialValues={initialValues} onFinish={(v) => void run(v)}>
        {typeof children === 'function' ? children(form) : children}
      </Form>
    </Modal>
  );
}

/** For one-click steps (sign for, accept): run, then confirm or show why not. */
export function useInstantAction() {
  const { t, locale } = useI18n();
  const { message } = App.useApp();
  return async (run: () => Promise<Outcome>, success: string, onDone: () => void): Promise<void> => {
    const outcome = await run();
    if (!outcome) void message.error(t('app.unexpectedError'));
    else if (failed(outcome)) void message.error(outcome.errors.map((e) => errorText(e, t, locale)).join(' '));
    else {
      void message.success(success);
      onDone();
    }
  };
}
