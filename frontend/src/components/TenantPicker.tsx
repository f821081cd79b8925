import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useQuery } from 'urql';
import { TenantTreeDocument } from '../generated/graphql';
import { treeOptions } from '../lib/options';
import { buildTree } from '../lib/tree';

/** Chooses a tenant of the acting scope (a province admin administers any city or county below). */
export function TenantPicker({ id, value, onChange, label }: { id?: string; value: string; onChange: (code: string) => void; label: string }) {
  const [{ data, fetching }] = useQuery({ query: TenantTreeDocument });
  const roots = useMemo(() => buildTree(data?.tenants ?? [], (x) => x.code, (x) => x.parent?.code ?? null), [data]);
  const options = useMemo(() => treeOptions(roots), [roots]);
  return (
    <TreeSelect
      id={id}
      aria-label={label}
      value={value}
      loading={fetching}
      treeData={options}
      fieldNames={{ label: 'title', value: 'value', children: 'children' }}
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandedKeys={roots[0] ? [roots[0].key] : []}
      popupMatchSelectWidth={400}
      style={{ minWidth: 320 }}
      onChange={onChange}
    />
  );
}
