import {
  ApartmentOutlined, AuditOutlined, BarChartOutlined, ClusterOutlined, CustomerServiceOutlined, HomeOutlined,
  InboxOutlined, PhoneOutlined, SendOutlined, SolutionOutlined, TeamOutlined,
} from '@ant-design/icons';
import { Tag } from 'antd';
import type { ItemType } from 'antd/es/menu/interface';
import type { ReactNode } from 'react';
import type { Role, ViewerFragment } from '../generated/graphql';
import type { Translate } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import type { RoutePath } from '../router';
import { hasRole, isAdmin } from '../session';

/** Screens that arrive with later issues: shown to the roles that will use them, disabled until then. */
const COMING: { key: string; label: MessageKey; icon: ReactNode; roles: Role[] }[] = [
  { key: 'agent', label: 'layout.agent', icon: <CustomerServiceOutlined />, roles: ['AGENT'] },
  { key: 'dispatch', label: 'layout.dispatch', icon: <SendOutlined />, roles: ['DISPATCHER'] },
  { key: 'unit-inbox', label: 'layout.unitInbox', icon: <InboxOutlined />, roles: ['UNIT_HANDLER'] },
  { key: 'supervisor', label: 'layout.supervisor', icon: <AuditOutlined />, roles: ['SUPERVISOR'] },
  { key: 'callback', label: 'layout.callback', icon: <PhoneOutlined />, roles: ['CALLBACK_AGENT'] },
  { key: 'policy', label: 'layout.policy', icon: <SolutionOutlined />, roles: ['POLICY_SPECIALIST'] },
  {
    key: 'dashboard', label: 'layout.dashboard', icon: <BarChartOutlined />,
    roles: ['ANALYST', 'LEADER', 'SUPERVISOR', 'TENANT_ADMIN', 'PROVINCE_ADMIN'],
  },
];

const ADMIN: { path: RoutePath; label: MessageKey; icon: ReactNode }[] = [
  { path: '/admin/tenants', label: 'layout.tenants', icon: <ClusterOutlined /> },
  { path: '/admin/units', label: 'layout.units', icon: <ApartmentOutlined /> },
  { path: '/admin/users', label: 'layout.users', icon: <TeamOutlined /> },
];

/** The side menu for the viewer's roles in the acting tenant. Keys of enabled entries are route paths. */
export function menuItems(viewer: ViewerFragment, t: Translate): ItemType[] {
  const items: ItemType[] = [{ key: '/', icon: <HomeOutlined />, label: t('layout.home') }];
  const coming = COMING.filter((c) => hasRole(viewer, ...c.roles));
  if (coming.length > 0) {
    items.push({
      type: 'group',
      key: 'work',
      label: t('layout.work'),
      children: coming.map((c) => ({
        key: `coming:${c.key}`,
        icon: c.icon,
        disabled: true,
        title: `${t(c.label)}（${t('app.coming')}）`,
        label: (
          <span>
            {t(c.label)} <Tag style={{ marginInlineStart: 4 }}>{t('app.coming')}</Tag>
          </span>
        ),
      })),
    });
  }
  if (isAdmin(viewer)) {
    items.push({
      type: 'group',
      key: 'admin',
      label: t('layout.admin'),
      children: ADMIN.map((a) => ({ key: a.path, icon: a.icon, label: t(a.label) })),
    });
  }
  return items;
}
