"""Jobs of the evaluation domain: computing a period's assessment from the recorded facts, on request (the
outbox job) or when the period has ended (the hourly sweep)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.evaluation import repository as repo
from hotline.evaluation import service
from hotline.evaluation.definition import Definition, PeriodKind
from hotline.kernel import runtime
from hotline.kernel.calendar import TIMEZONE
from hotline.kernel.context import Actor
from hotline.kernel.errors import DomainError
from hotline.kernel.jobs import job
from hotline.kernel.models import utcnow
from hotline.kernel.scheduler import periodic
from hotline.kernel.scope import TenantScope

log = structlog.get_logger(__name__)


@job(service.COMPUTE_ACTOR)
async def compute_assessment(session: AsyncSession, tenant_id: uuid.UUID, payload: dict[str, Any]) -> None:
    """Compute (or recompute) the period; a period published meanwhile is left alone, and said so."""
    actor = Actor.system(f"evaluation (requested by {payload.get('requested_by', 'the scheduler')})")
    try:
        async with session.begin_nested():
            await service.compute(session, TenantScope.single(tenant_id), tenant_id, payload["period"], actor)
    except DomainError as error:
        log.warning("evaluation.not_computed", period=payload["period"], reason=str(error))


def ended_periods(today: dt.date) -> list[service.Period]:
    """The month and the quarter that ended last, as of `today` (local date)."""
    return [service.period_containing(kind, service.period_containing(kind, today).start - dt.timedelta(days=1))
            for kind in (PeriodKind.MONTH, PeriodKind.QUARTER)]


@periodic("evaluation.assess_ended_periods", 3600)
async def assess_ended_periods(today: dt.date | None = None) -> list[tuple[uuid.UUID, str]]:
    """Compute each tenant's assessment of the period just ended under the scheme in force for it, once: a
    period that already has an assessment (computed on request, by an earlier sweep, or published) is left
    to the admins, who recompute it when they choose. Returns the (tenant, period) pairs computed."""
    today = today or utcnow().astimezone(TIMEZONE).date()
    db = runtime.database()
    async with db.system_transaction() as system:
        tenants = await repo.system_active_tenants(system)
    computed = []
    for tenant_id in tenants:
        scope = TenantScope.single(tenant_id)
        async with db.transaction(scope) as session:
            eff = await service.effective(session, scope, tenant_id)
            for period in ended_periods(today):
                version = eff.version_for(period)
                if version is None or Definition.decode(version.definition).period != period.kind:
                    continue
                if await repo.assessment(session, scope, tenant_id, period.key) is not None:
                    continue
                await service.compute(session, scope, tenant_id, period.key, Actor.system("evaluation sweep"))
                computed.append((tenant_id, period.key))
    if computed:
        log.info("evaluation.periods_assessed", count=len(computed))
    return computed
