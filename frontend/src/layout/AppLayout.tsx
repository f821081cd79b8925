import { LogoutOutlined, MenuFoldOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Dropdown, Layout, Menu, Result, Skeleton, Space, Typography } from 'antd';
import { Suspense, useState } from 'react';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { StatusTag } from '../components/StatusTag';
import { useI18n } from '../i18n';
import { ROUTES, useRoute, type RoutePath } from '../router';
import { SCREENS } from '../screens';
import { useSession, useViewer } from '../session';
import { mayOpen, menuItems } from './menu';
import { TenantSwitcher } from './TenantSwitcher';

function Screen({ path }: { path: RoutePath }) {
  const viewer = useViewer();
  const { t } = useI18n();
  const screen = SCREENS.find((s) => s.path === path) ?? SCREENS[0];
  if (!mayOpen(viewer, screen)) return <Result status="403" title={t('common.notAllowed')} />;
  const Component = screen.component;
  return <Component />;
}

export function AppLayout() {
  const { t } = useI18n();
  const viewer = useViewer();
  const { signOut } = useSession();
  const [route, navigate] = useRoute();
  const [collapsed, setCollapsed] = useState(false);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a className="skip-link" href="#main" onClick={(e) => {
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}>
        跳到主要内容 / Skip to content
      </a>
      <Layout.Sider collapsible collapsed={collapsed} trigger={null} width={224}>
        <div className="app-brand">{collapsed ? '12345' : t('app.name')}</div>
        <nav aria-label={t('layout.menu')}>
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={[route.path]}
            items={menuItems(viewer, t)}
            onClick={({ key }) => {
              if ((ROUTES as readonly string[]).includes(key)) navigate(key as RoutePath);
            }}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header className="app-header">
          <Button
            type="text"
            aria-label={collapsed ? t('layout.expand') : t('layout.collapse')}
            icon={collapsed ? <MenuUnfoldOutlined aria-hidden /> : <MenuFoldOutlined aria-hidden />}
            onClick={() => {
              setCollapsed(!collapsed);
            }}
          />
          <Typography.Text type="secondary">{t('layout.actingIn')}</Typography.Text>
          <TenantSwitcher />
          {viewer.actingTenant?.status === 'SUSPENDED' && <StatusTag tone="warn">{t('status.SUSPENDED')}</StatusTag>}
          <span className="app-header-spacer" />
          <Space>
            <LanguageSwitch />
            <Dropdown
              menu={{
                items: [{ key: 'signOut', icon: <LogoutOutlined />, label: t('layout.signOut') }],
                onClick: () => void signOut(),
              }}
            >
              <Button icon={<UserOutlined aria-hidden />} aria-label={`${t('layout.account')}: ${viewer.displayName}`}>
                {viewer.displayName}
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content className="app-content" id="main" tabIndex={-1}>
          <Suspense fallback={<Skeleton active paragraph={{ rows: 10 }} />}>
            <Screen path={route.path} />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
