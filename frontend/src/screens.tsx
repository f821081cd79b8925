import {
  ApartmentOutlined, AuditOutlined, BarChartOutlined, BookOutlined, CalendarOutlined, ClockCircleOutlined,
  ClusterOutlined, CustomerServiceOutlined, FileSearchOutlined, GlobalOutlined, HomeOutlined, InboxOutlined, NodeIndexOutlined,
  PhoneOutlined, SendOutlined, SolutionOutlined, TeamOutlined,
} from '@ant-design/icons';
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import type { Role } from './generated/graphql';
import type { MessageKey } from './i18n/messages';
import { HomePage } from './pages/HomePage';

/** Every screen of the console in one table: the router, the side menu and the role check read it. */
export interface ScreenDef {
  path: string;
  label: MessageKey;
  icon: ReactNode;
  /** Who may open it; `null`: everyone signed in. */
  roles: readonly Role[] | null;
  /** Where it sits in the side menu; `hidden`: reached by links only (order detail). */
  group: 'top' | 'work' | 'admin' | 'hidden';
  component: ComponentType | LazyExoticComponent<ComponentType>;
}

// Screens load on first use, so a role's first page does not wait for every other role's code.
function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(() => load().then((m) => ({ default: m[name] })));
}

const ADMINS: readonly Role[] = ['TENANT_ADMIN', 'PROVINCE_ADMIN'];
/** Who reads the whole tenant's orders (the API's TENANT_WIDE), plus unit handlers for their own. */
const ORDER_READERS: readonly Role[] = [
  'AGENT', 'DISPATCHER', 'SUPERVISOR', 'CALLBACK_AGENT', 'TENANT_ADMIN', 'PROVINCE_ADMIN', 'LEADER', 'ANALYST',
  'UNIT_HANDLER',
];

export const SCREENS = [
  { path: '/', label: 'layout.home', icon: <HomeOutlined />, roles: null, group: 'top', component: HomePage },
  {
    path: '/workspace', label: 'layout.agent', icon: <CustomerServiceOutlined />, roles: ['AGENT'], group: 'work',
    component: page(() => import('./pages/workspace/WorkspacePage'), 'WorkspacePage'),
  },
  {
    path: '/dispatch', label: 'layout.dispatch', icon: <SendOutlined />, roles: ['DISPATCHER', 'SUPERVISOR'],
    group: 'work', component: page(() => import('./pages/dispatch/DispatchPage'), 'DispatchPage'),
  },
  {
    path: '/unit-inbox', label: 'layout.unitInbox', icon: <InboxOutlined />, roles: ['UNIT_HANDLER'], group: 'work',
    component: page(() => import('./pages/unit/UnitInboxPage'), 'UnitInboxPage'),
  },
  {
    path: '/supervision', label: 'layout.supervisor', icon: <AuditOutlined />, roles: ['SUPERVISOR'], group: 'work',
    component: page(() => import('./pages/supervision/SupervisionPage'), 'SupervisionPage'),
  },
  {
    path: '/callback', label: 'layout.callback', icon: <PhoneOutlined />, roles: ['CALLBACK_AGENT'], group: 'work',
    component: page(() => import('./pages/callback/CallbackPage'), 'CallbackPage'),
  },
  {
    path: '/policy', label: 'layout.policy', icon: <SolutionOutlined />, roles: ['POLICY_SPECIALIST'], group: 'work',
    component: page(() => import('./pages/policy/SpecialistInboxPage'), 'SpecialistInboxPage'),
  },
  {
    path: '/orders', label: 'layout.orders', icon: <FileSearchOutlined />, roles: ORDER_READERS, group: 'work',
    component: page(() => import('./pages/orders/OrdersPage'), 'OrdersPage'),
  },
  {
    path: '/order', label: 'layout.order', icon: <FileSearchOutlined />, roles: ORDER_READERS, group: 'hidden',
    component: page(() => import('./pages/orders/OrderDetailPage'), 'OrderDetailPage'),
  },
  {
    path: '/knowledge', label: 'layout.knowledge', icon: <BookOutlined />, roles: null, group: 'work',
    component: page(() => import('./pages/knowledge/KnowledgePage'), 'KnowledgePage'),
  },
  {
    path: '/dashboard', label: 'layout.dashboard', icon: <BarChartOutlined />,
    roles: ['ANALYST', 'LEADER', 'SUPERVISOR', 'TENANT_ADMIN', 'PROVINCE_ADMIN'], group: 'work',
    component: page(() => import('./pages/dashboard/DashboardPage'), 'DashboardPage'),
  },
  {
    path: '/admin/tenants', label: 'layout.tenants', icon: <ClusterOutlined />, roles: ADMINS, group: 'admin',
    component: page(() => import('./pages/admin/TenantsPage'), 'TenantsPage'),
  },
  {
    path: '/admin/units', label: 'layout.units', icon: <ApartmentOutlined />, roles: ADMINS, group: 'admin',
    component: page(() => import('./pages/admin/UnitsPage'), 'UnitsPage'),
  },
  {
    path: '/admin/users', label: 'layout.users', icon: <TeamOutlined />, roles: ADMINS, group: 'admin',
    component: page(() => import('./pages/admin/UsersPage'), 'UsersPage'),
  },
  {
    path: '/admin/calendars', label: 'layout.calendars', icon: <CalendarOutlined />, roles: ADMINS, group: 'admin',
    component: page(() => import('./pages/admin/CalendarsPage'), 'CalendarsPage'),
  },
  {
    path: '/admin/deadlines', label: 'layout.deadlines', icon: <ClockCircleOutlined />, roles: ADMINS,
    group: 'admin', component: page(() => import('./pages/admin/DeadlinePoliciesPage'), 'DeadlinePoliciesPage'),
  },
  {
    path: '/admin/dispatch', label: 'layout.dispatchConfig', icon: <NodeIndexOutlined />, roles: ADMINS,
    group: 'admin', component: page(() => import('./pages/admin/DispatchConfigPage'), 'DispatchConfigPage'),
  },
  {
    path: '/admin/boundaries', label: 'layout.boundaries', icon: <GlobalOutlined />, roles: ADMINS, group: 'admin',
    component: page(() => import('./pages/admin/BoundariesPage'), 'BoundariesPage'),
  },
] as const satisfies readonly ScreenDef[];

export type RoutePath = (typeof SCREENS)[number]['path'];
