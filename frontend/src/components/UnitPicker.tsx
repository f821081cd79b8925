import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useQuery } from 'urql';
import { TenantUnitsDocument, type UnitKind } from '../generated/graphql';
import { buildTree } from '../lib/tree';
import { useViewer } from '../session';

/** Units of the acting hotline as a searchable tree; values are unit codes. */
export function UnitPicker({ id, value, onChange, multiple = false, kinds, exclude = [], placeholder, ...rest }: {
  id?: string;
  value?: string | string[];
  onChange?: (value: string | string[]) => void;
  multiple?: boolean;
  /** Only units of these kinds can be chosen (others stay as steps of the tree). */
  kinds?: readonly UnitKind[];
  exclude?: readonly string[];
  placeholder?: string;
  'aria-label'?: string;
}) {
  const viewer = useViewer();
  const tenantCode = viewer.actingTenant?.code ?? '';
  const [{ data, fetching }] = useQuery({ query: TenantUnitsDocument, variables: { tenantCode }, pause: !tenantCode });
  const treeData = useMemo(() => {
    const units = (data?.tenant?.units ?? []).filter((u) => u.active);
    const byId = new Map(units.map((u) => [u.id, u]));
    const roots = buildTree(units, (u) => u.code, (u) => (u.parentId ? byId.get(u.parentId)?.code ?? null : null));
    type Node = (typeof roots)[number];
    interface Option { value: string; title: string; disabled: boolean; children: Option[] }
    const toOption = (n: Node): Option => ({
      value: n.item.code,
      title: `${n.item.name}（${n.item.code}）`,
      disabled: exclude.includes(n.item.code) || (kinds !== undefined && !kinds.includes(n.item.kind)),
      children: n.children.map(toOption),
    });
    return roots.map(toOption);
  }, [data, kinds, exclude]);
  return (
    <TreeSelect
      id={id} aria-label={rest['aria-label']} value={value} multiple={multiple} treeData={treeData} loading={fetching}
      showSearch={{ treeNodeFilterProp: 'title' }} allowClear placeholder={placeholder} treeDefaultExpandAll={false}
      style={{ width: '100%' }}
      onChange={(v: string | string[]) => onChange?.(v)}
    />
  );
}
