import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useQuery } from 'urql';
import { homeScope } from '../api/client';
import { SwitchableTenantsDocument, type SwitchableTenantsQuery } from '../generated/graphql';
import { useI18n } from '../i18n';
import { buildTree, type TreeNode } from '../lib/tree';
import { hasRole, useSession, useViewer } from '../session';

type Tenant = SwitchableTenantsQuery['tenants'][number];

interface Option {
  value: string;
  title: string;
  children: Option[];
}

function toOptions(nodes: TreeNode<Tenant>[], suspended: string): Option[] {
  return nodes.map((n) => ({
    value: n.item.code,
    title: n.item.status === 'SUSPENDED' ? `${n.item.name}（${suspended}）` : n.item.name,
    children: toOptions(n.children, suspended),
  }));
}

/**
 * For people who act in several tenants: a province admin can step into any city or county of its
 * province. The choices are the home tenant's scope, asked for without the X-Hotline-Tenant header.
 */
export function TenantSwitcher() {
  const { t } = useI18n();
  const viewer = useViewer();
  const { switchTenant } = useSession();
  // Only these roles carry down the tree (kernel SUBTREE_ROLES); others act where they were granted.
  const canSwitch = hasRole(viewer, 'PROVINCE_ADMIN', 'TENANT_ADMIN', 'ANALYST', 'LEADER');
  const [{ data }] = useQuery({ query: SwitchableTenantsDocument, context: homeScope, pause: !canSwitch });
  const tenants = useMemo(() => data?.tenants ?? [], [data]);
  const roots = useMemo(() => buildTree(tenants, (x) => x.code, (x) => x.parent?.code ?? null), [tenants]);
  const options = useMemo(() => toOptions(roots, t('status.SUSPENDED')), [roots, t]);
  const acting = viewer.actingTenant;
  if (!acting) return null;
  if (!canSwitch || tenants.length <= 1) return <strong>{acting.name}</strong>;
  const home = roots.length === 1 ? roots[0]?.item.code : undefined;
  return (
    <TreeSelect
      aria-label={t('layout.switchTenant')}
      title={t('layout.switchTenant')}
      value={acting.code}
      treeData={options}
      fieldNames={{ label: 'title', value: 'value', children: 'children' }}
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandedKeys={home ? [home] : []}
      popupMatchSelectWidth={360}
      style={{ width: 300 }}
      onChange={(code: string) => {
        if (code !== acting.code) switchTenant(code === home ? null : code);
      }}
      data-testid="tenant-switcher"
    />
  );
}
