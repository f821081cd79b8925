import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useMutation } from 'urql';
import { errorText, type FieldError } from '../api/errors';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { SignInDocument } from '../generated/graphql';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import { useSession, type Notice } from '../session';

interface Values {
  login: string;
  password: string;
}

/** What to tell the person after a refused sign-in: the lockout and a wrong password read differently. */
export function refusal(errors: readonly FieldError[]): 'locked' | 'wrongPassword' | 'other' {
  if (errors.some((e) => e.code === 'locked')) return 'locked';
  if (errors.some((e) => e.code === 'invalid_credentials')) return 'wrongPassword';
  return 'other';
}

export function SignInPage({ notice }: { notice: Notice }) {
  const { t, locale } = useI18n();
  const session = useSession();
  const [form] = Form.useForm<Values>();
  const [{ fetching }, signIn] = useMutation(SignInDocument);
  // A refusal is kept as a key (or the server's words) so that it follows a change of language.
  const [problem, setProblem] = useState<{ key: MessageKey } | { text: string } | null>(null);
  const [shownNotice, setShownNotice] = useState<Notice>(notice);

  const submit = async (values: Values): Promise<void> => {
    setProblem(null);
    setShownNotice(null);
    const result = await signIn({ login: values.login.trim(), password: values.password });
    const outcome = result.data?.login;
    if (!outcome) {
      setProblem({ key: result.error?.networkError ? 'app.networkError' : 'app.unexpectedError' });
      return;
    }
    if (outcome.__typename === 'LoginSuccess') {
      session.signedIn();
      return;
    }
    const kind = refusal(outcome.errors);
    if (kind === 'locked') setProblem({ key: 'signIn.locked' });
    else if (kind === 'wrongPassword') setProblem({ key: 'signIn.wrongPassword' });
    else setProblem({ text: outcome.errors.map((e) => errorText(e, t, locale)).join(' ') });
    form.setFieldValue('password', '');
  };

  return (
    <main className="sign-in-page">
      <div className="sign-in-card">
        <div className="sign-in-brand">
          <h1>{t('app.name')}</h1>
          <p>{t('app.subtitle')}</p>
        </div>
        <Card
          title={<Typography.Title level={2} style={{ margin: 0, fontSize: 20 }}>{t('signIn.title')}</Typography.Title>}
          extra={<LanguageSwitch />}
        >
          {shownNotice === 'expired' && (
            <Alert type="warning" showIcon role="alert" title={t('signIn.expired')} style={{ marginBottom: 16 }} />
          )}
          {shownNotice === 'signedOut' && (
            <Alert type="success" showIcon title={t('signIn.signedOut')} style={{ marginBottom: 16 }} />
          )}
          {problem && (
            <Alert type="error" showIcon role="alert" title={'key' in problem ? t(problem.key) : problem.text} style={{ marginBottom: 16 }} data-testid="sign-in-error" />
          )}
          <Form<Values> form={form} name="signIn" layout="vertical" requiredMark={false} onFinish={(v) => void submit(v)}>
            <Form.Item label={t('signIn.login')} name="login" rules={[{ required: true, whitespace: true, message: t('signIn.required.login') }]}>
              <Input prefix={<UserOutlined aria-hidden />} autoComplete="username" placeholder={t('signIn.loginPlaceholder')} autoFocus />
            </Form.Item>
            <Form.Item label={t('signIn.password')} name="password" rules={[{ required: true, message: t('signIn.required.password') }]}>
              <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={fetching}>
              {t('signIn.submit')}
            </Button>
          </Form>
          <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 12 }}>
            {t('signIn.footer')}
          </Typography.Paragraph>
        </Card>
      </div>
    </main>
  );
}
