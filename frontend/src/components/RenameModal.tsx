import { Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { showFormErrors, type FieldError } from '../api/errors';
import { useI18n } from '../i18n';
import { FormProblems } from './FormProblems';

/**
 * A one-field form for renaming; `save` resolves to the API's errors, or null when it worked.
 * Like every modal form here it is mounted when opened, so it always starts fresh.
 */
export function RenameModal({ title, name, formName, onClose, save }: {
  title: string;
  name: string;
  formName: string;
  onClose: () => void;
  save: (name: string) => Promise<readonly FieldError[] | null>;
}) {
  const { t, locale } = useI18n();
  const [form] = Form.useForm<{ name: string }>();
  const [problems, setProblems] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);

  const submit = async (values: { name: string }): Promise<void> => {
    setSaving(true);
    const errors = await save(values.name.trim());
    setSaving(false);
    if (errors) setProblems(showFormErrors(form, errors, ['name'], t, locale));
  };

  return (
    <Modal
      open
      title={title}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => {
        form.submit();
      }}
      onCancel={onClose}
    >
      <FormProblems problems={problems} />
      <Form form={form} name={formName} layout="vertical" initialValues={{ name }} onFinish={(v) => void submit(v)}>
        <Form.Item label={t('common.name')} name="name" rules={[{ required: true, whitespace: true, message: t('error.required') }]}>
          <Input autoComplete="off" maxLength={120} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
