import { useMemo } from 'react';
import { useQuery } from 'urql';
import { TenantUnitsDocument } from '../../generated/graphql';
import { useViewer } from '../../session';

export interface OwnUnit { code: string; name: string }

/** The acting hotline's units by id: an article names its responsible unit (责任单位) by id, forms use codes. */
export function useOwnUnits(): { byId: Map<string, OwnUnit>; loaded: boolean } {
  const viewer = useViewer();
  const tenantCode = viewer.actingTenant?.code ?? '';
  const [{ data }] = useQuery({ query: TenantUnitsDocument, variables: { tenantCode }, pause: !tenantCode });
  return useMemo(() => ({
    byId: new Map((data?.tenant?.units ?? []).map((u) => [u.id, { code: u.code, name: u.name }])),
    loaded: data?.tenant != null,
  }), [data]);
}
