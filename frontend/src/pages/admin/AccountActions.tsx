import { DownOutlined } from '@ant-design/icons';
import { App, Button, Dropdown, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useMutation } from 'urql';
import { errorText, showFormErrors } from '../../api/errors';
import { FormProblems } from '../../components/FormProblems';
import { UpdateUserDocument, type UpdateUserInput } from '../../generated/graphql';
import { useI18n } from '../../i18n';

interface Account {
  login: string;
  displayName: string;
  active: boolean;
  locked: boolean;
}

function ResetPasswordModal({ account, onClose, onDone }: { account: Account; onClose: () => void; onDone: () => void }) {
  const { t, locale } = useI18n();
  const [form] = Form.useForm<{ newPassword: string }>();
  const [problems, setProblems] = useState<string[]>([]);
  const [{ fetching }, update] = useMutation(UpdateUserDocument);
  const submit = async ({ newPassword }: { newPassword: string }): Promise<void> => {
    const outcome = (await update({ input: { login: account.login, newPassword } })).data?.updateUser;
    if (!outcome) setProblems([t('app.unexpectedError')]);
    else if (outcome.__typename === 'ValidationErrors') setProblems(showFormErrors(form, outcome.errors, ['newPassword'], t, locale));
    else onDone();
  };
  return (
    <Modal
      open title={t('users.resetTitle', { name: account.displayName })} okText={t('common.confirm')}
      cancelText={t('common.cancel')} confirmLoading={fetching} onCancel={onClose}
      onOk={() => {
        form.submit();
      }}
    >
      <FormProblems problems={problems} />
      <Form form={form} name="resetPassword" layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item label={t('users.newPassword')} name="newPassword" extra={t('users.resetHelp')}
          rules={[{ required: true, message: t('error.required') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** What an administrator does to an account: unlock it, reset its password, deactivate or reactivate it. */
export function AccountActions({ account, onChanged }: { account: Account; onChanged: () => void }) {
  const { t, locale } = useI18n();
  const { message, modal } = App.useApp();
  const [, update] = useMutation(UpdateUserDocument);
  const [resetting, setResetting] = useState(false);

  const apply = async (input: UpdateUserInput, done: string): Promise<void> => {
    const outcome = (await update({ input })).data?.updateUser;
    if (!outcome) void message.error(t('app.unexpectedError'));
    else if (outcome.__typename === 'ValidationErrors') void message.error(outcome.errors.map((e) => errorText(e, t, locale)).join(' '));
    else {
      void message.success(done);
      onChanged();
    }
  };
  const items = [
    ...(account.locked ? [{ key: 'unlock', label: t('users.unlock') }] : []),
    { key: 'reset', label: t('users.reset') },
    account.active ? { key: 'deactivate', label: t('users.deactivate'), danger: true } : { key: 'activate', label: t('users.activate') },
  ];
  const onClick = ({ key }: { key: string }): void => {
    switch (key) {
      case 'unlock':
        void apply({ login: account.login, unlock: true }, t('users.unlocked'));
        break;
      case 'reset':
        setResetting(true);
        break;
      case 'deactivate':
        void modal.confirm({
          title: t('users.deactivateConfirm', { name: account.displayName }), okText: t('users.deactivate'),
          okButtonProps: { danger: true }, cancelText: t('common.cancel'),
          onOk: () => apply({ login: account.login, active: false }, t('users.deactivated')),
        });
        break;
      case 'activate':
        void apply({ login: account.login, active: true }, t('users.activated'));
        break;
    }
  };
  return (
    <>
      <Dropdown menu={{ items, onClick }} trigger={['click']}>
        <Button size="small" aria-label={`${t('users.account')}：${account.displayName}`}>
          {t('users.account')} <DownOutlined aria-hidden />
        </Button>
      </Dropdown>
      {resetting && (
        <ResetPasswordModal
          account={account}
          onClose={() => {
            setResetting(false);
          }}
          onDone={() => {
            setResetting(false);
            void message.success(t('users.resetDone'));
            onChanged();
          }}
        />
      )}
    </>
  );
}
