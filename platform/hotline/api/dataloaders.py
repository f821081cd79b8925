"""Per-request dataloaders: a page of objects costs a constant number of queries."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from hotline.kernel.scope import TenantScope
from hotline.tenancy import repository as tenancy_repo
from hotline.tenancy.models import Tenant, Unit
from hotline.workorders.loaders import WorkOrderLoaders
from hotline.workorders.supervision_loaders import SupervisionLoaders


@dataclass
class Loaders:
    session: AsyncSession
    scope: TenantScope
    tenant: DataLoader[uuid.UUID, Tenant | None] = field(init=False)
    children: DataLoader[uuid.UUID, list[Tenant]] = field(init=False)
    units: DataLoader[uuid.UUID, list[Unit]] = field(init=False)
    workorders: WorkOrderLoaders = field(init=False)
    supervision: SupervisionLoaders = field(init=False)

    def __post_init__(self) -> None:
        self.tenant = DataLoader(self._tenants)
        self.children = DataLoader(self._children)
        self.units = DataLoader(self._units)
        self.workorders = WorkOrderLoaders(self.session, self.scope)
        self.supervision = SupervisionLoaders(self.session, self.scope)

    async def _tenants(self, ids: Sequence[uuid.UUID]) -> list[Tenant | None]:
        found = {t.tenant_id: t for t in await tenancy_repo.tenants_by_ids(self.session, self.scope, ids)}
        return [found.get(i) for i in ids]

    async def _children(self, ids: Sequence[uuid.UUID]) -> list[list[Tenant]]:
        grouped: dict[uuid.UUID, list[Tenant]] = defaultdict(list)
        for t in await tenancy_repo.children_of(self.session, self.scope, ids):
            if t.parent_id is not None:
                grouped[t.parent_id].append(t)
        return [grouped[i] for i in ids]

    async def _units(self, tenant_ids: Sequence[uuid.UUID]) -> list[list[Unit]]:
        grouped: dict[uuid.UUID, list[Unit]] = defaultdict(list)
        for u in await tenancy_repo.units_of(self.session, self.scope, tenant_ids):
            grouped[u.tenant_id].append(u)
        return [grouped[i] for i in tenant_ids]
