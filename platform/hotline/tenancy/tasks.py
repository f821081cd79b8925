"""Jobs of the tenancy domain."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel import audit, runtime
from hotline.kernel.context import Actor
from hotline.kernel.jobs import job
from hotline.kernel.models import utcnow
from hotline.kernel.scheduler import periodic
from hotline.kernel.scope import TenantScope
from hotline.kernel.settings import get_settings
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


@periodic("auth.revoke_idle_sessions", every_seconds=300)
async def revoke_idle_sessions() -> None:
    """Console sessions idle past the timeout are refused anyway; this marks them revoked for good."""
    now = utcnow()
    idle = dt.timedelta(minutes=get_settings().auth.idle_timeout_minutes)
    async with runtime.database().system_transaction() as session:
        await repo.system_revoke_idle_sessions(session, now - idle, now)
