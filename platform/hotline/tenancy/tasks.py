"""Jobs of the tenancy domain."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel import audit
from hotline.kernel.context import Actor
from hotline.kernel.jobs import job
from hotline.kernel.scope import TenantScope
from hotline.tenancy import repository as repo
from hotline.tenancy import service
from hotline.tenancy.service import PROVISION_ACTOR


@job(PROVISION_ACTOR)
async def provision_tenant(session: AsyncSession, tenant_id: uuid.UUID, payload: dict[str, Any]) -> None:
    tenants = await repo.tenants_by_ids(session, TenantScope.single(tenant_id), [tenant_id])
    if not tenants:
        return
    unit = await service.provision_tenant(session, tenants[0])
    if unit is not None:
        audit.record(session, tenant_id, Actor.system("provision"), "unit.created", ("unit", unit.id),
                     after=service.unit_snapshot(unit))
