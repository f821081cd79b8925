import { Cascader } from 'antd';
import { useEffect, useState } from 'react';
import { useClient } from 'urql';
import { RegionsDocument, type RegionsQuery } from '../generated/graphql';

export type DivisionLevel = 'province' | 'city' | 'county' | 'street';
const DEPTH: Record<DivisionLevel, number> = { province: 0, city: 1, county: 2, street: 3 };

interface Option {
  value: string;
  label: string;
  isLeaf: boolean;
  disabled?: boolean;
  children?: Option[];
}

type Region = RegionsQuery['regions'][number];

function depthOf(level: string): number {
  return level in DEPTH ? DEPTH[level as DivisionLevel] : DEPTH.street;
}

function toOption(region: Region, leafLevel: DivisionLevel): Option {
  const depth = depthOf(region.level);
  return { value: region.code, label: `${region.name}（${region.code}）`, isLeaf: depth >= DEPTH[leafLevel] };
}

function withChildren(options: Option[], code: string, children: Option[]): Option[] {
  return options.map((o) =>
    o.value === code ? { ...o, children, isLeaf: children.length === 0 } : o.children ? { ...o, children: withChildren(o.children, code, children) } : o,
  );
}

export interface DivisionCascaderProps {
  id?: string;
  /** The division whose descendants are offered (the parent tenant's); null offers the provinces. */
  rootCode: string | null;
  /** The deepest level offered: a city tenant picks a city, a unit may go down to a street. */
  leafLevel: DivisionLevel;
  /** Only divisions of this level can be chosen; shallower ones are steps on the way. */
  exactLevel?: boolean;
  value?: string[];
  onChange?: (path: string[], names: string[]) => void;
  placeholder?: string;
  'aria-label'?: string;
}

/** A cascader over the division codes, loading one level at a time through `regions(parentCode)`. */
export function DivisionCascader({
  id, rootCode, leafLevel, exactLevel = false, value, onChange, placeholder, ...rest
}: DivisionCascaderProps) {
  const client = useClient();
  // The options loaded so far, for one root and leaf level (another root starts again).
  const key = `${rootCode ?? ''}/${leafLevel}`;
  const [tree, setTree] = useState<{ key: string; options: Option[] } | null>(null);
  const options = tree?.key === key ? tree.options : [];
  const setOptions = (update: (current: Option[]) => Option[]): void => {
    setTree((current) => (current?.key === key ? { key, options: update(current.options) } : current));
  };

  useEffect(() => {
    let live = true;
    void client.query(RegionsDocument, { parentCode: rootCode }).toPromise().then((result) => {
      if (!live) return;
      const regions = result.data?.regions ?? [];
      setTree({ key, options: regions.filter((r) => depthOf(r.level) <= DEPTH[leafLevel]).map((r) => toOption(r, leafLevel)) });
    });
    return () => {
      live = false;
    };
  }, [client, rootCode, leafLevel, key]);

  const loadData = (selected: Option[]): void => {
    const target = selected[selected.length - 1];
    if (!target) return;
    void client.query(RegionsDocument, { parentCode: target.value }).toPromise().then((result) => {
      const children = (result.data?.regions ?? [])
        .filter((r) => depthOf(r.level) <= DEPTH[leafLevel])
        .map((r) => toOption(r, leafLevel));
      setOptions((current) => withChildren(current, target.value, children));
    });
  };

  return (
    <Cascader<Option>
      id={id}
      aria-label={rest['aria-label']}
      options={options}
      loadData={loadData}
      loading={tree?.key !== key}
      value={value}
      changeOnSelect={!exactLevel}
      showSearch={false}
      placeholder={placeholder}
      onChange={(path: string[] | undefined, selected: Option[] | undefined) => {
        onChange?.(path ?? [], (selected ?? []).map((o) => o.label.replace(/（.*）$/, '')));
      }}
      style={{ width: '100%' }}
    />
  );
}
