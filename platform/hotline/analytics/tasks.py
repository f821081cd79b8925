"""Jobs of the analytics domain: delivering a report to a subscriber; the scheduled reports and the
daily hotspot sweep."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.analytics import repository as repo
from hotline.analytics import service
from hotline.analytics.models import ReportKind
from hotline.kernel import runtime
from hotline.kernel.calendar import TIMEZONE
from hotline.kernel.context import Actor
from hotline.kernel.jobs import job
from hotline.kernel.models import utcnow
from hotline.kernel.scheduler import periodic
from hotline.kernel.scope import TenantScope
from hotline.tenancy import repository as tenancy_repo

log = structlog.get_logger(__name__)


@job(service.DELIVER_ACTOR)
async def deliver_report(session: AsyncSession, tenant_id: uuid.UUID, payload: dict[str, Any]) -> None:
    row = await service.deliver(session, TenantScope.single(tenant_id), tenant_id, uuid.UUID(payload["run_id"]),
                                uuid.UUID(payload["subscription_id"]))
    log.info("analytics.report_delivered" if row else "analytics.report_skipped", **payload)


def due_reports(today: dt.date) -> list[tuple[ReportKind, dt.date]]:
    """Yesterday's bulletin every day, last week's summary on Mondays, last month's analysis on the 1st."""
    out = [(ReportKind.DAILY, today - dt.timedelta(days=1))]
    if today.weekday() == 0:
        out.append((ReportKind.WEEKLY, today - dt.timedelta(days=7)))
    if today.day == 1:
        out.append((ReportKind.MONTHLY, today - dt.timedelta(days=1)))
    return out


@periodic("analytics.scheduled_reports", 3600)
async def scheduled_reports() -> None:
    """Generate due reports of every subscribed tenant (once per period) and queue their deliveries."""
    db = runtime.database()
    today = utcnow().astimezone(TIMEZONE).date()
    async with db.system_transaction() as system:
        wanted = await repo.system_subscribed_tenants(system)
        subtrees = {t: await tenancy_repo.system_subtree(system, t) for t in {w[0] for w in wanted}}
    for tenant_id, kind_name, roll_up in wanted:
        kind = ReportKind(kind_name)
        for due_kind, day in due_reports(today):
            if due_kind != kind:
                continue
            scope = TenantScope(tenant_id, frozenset(subtrees[tenant_id] if roll_up else [tenant_id]))
            async with db.transaction(scope) as session:
                tenant = (await tenancy_repo.tenants_by_ids(session, scope, [tenant_id]))[0]
                start, _ = service.period(kind, day)
                if await repo.run_by_key(session, scope, tenant_id, kind, start, roll_up) is None:
                    await service.publish_report(session, scope, tenant, Actor.system("reports"), kind, day, roll_up)
