import { App as AntApp, Button, ConfigProvider, Result, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { I18nProvider, useI18n } from './i18n';
import type { makeClient } from './api/client';
import { AppLayout } from './layout/AppLayout';
import { SignInPage } from './pages/SignInPage';
import { SessionProvider, useSession } from './session';
import { theme } from './theme';

function Screens() {
  const { state, reload } = useSession();
  const { t } = useI18n();
  switch (state.status) {
    case 'loading':
      return (
        <div className="full-page-center" role="status" aria-live="polite">
          <Spin size="large" description={t('app.loading')} />
        </div>
      );
    case 'unreachable':
      return (
        <Result
          status="warning"
          title={t('app.networkError')}
          extra={<Button type="primary" onClick={reload}>{t('app.retry')}</Button>}
        />
      );
    case 'signedOut':
      return <SignInPage notice={state.notice} />;
    case 'signedIn':
      return <AppLayout />;
  }
}

function Localized({ clientFactory }: { clientFactory?: typeof makeClient }) {
  const { locale } = useI18n();
  return (
    <ConfigProvider locale={locale === 'zh-CN' ? zhCN : enUS} theme={theme} button={{ autoInsertSpace: false }}>
      <AntApp>
        <SessionProvider clientFactory={clientFactory}>
          <Screens />
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

/** The console. Tests may pass their own GraphQL client factory. */
export function App({ clientFactory }: { clientFactory?: typeof makeClient }) {
  return (
    <I18nProvider>
      <Localized clientFactory={clientFactory} />
    </I18nProvider>
  );
}
