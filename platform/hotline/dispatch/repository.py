"""The only place that builds dispatch queries. Configuration is read with `scope.inherited` (the scope's
subtree and the acting tenant's ancestors; RLS allows the same), everything else with `scope.visible`."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.dispatch.models import (
    ClassifierModel,
    DispatchDecision,
    DispatchItem,
    DispatchSettings,
    DispatchVersion,
    HistoryOrder,
)
from hotline.kernel.scope import TenantScope
from hotline.tenancy.models import Region, Unit
from hotline.workorders.models import Assignment, Category, WorkOrder

CLOSED_STATES = ("pending_callback", "closed", "archived")


async def draft_items(session: AsyncSession, scope: TenantScope, tenant_ids: Sequence[uuid.UUID]
                      ) -> list[DispatchItem]:
    query = select(DispatchItem).where(scope.inherited(DispatchItem), DispatchItem.tenant_id.in_(sorted(tenant_ids)))
    return list((await session.scalars(query)).all())


async def draft_item(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, kind: str, key: str
                     ) -> DispatchItem | None:
    query = select(DispatchItem).where(scope.visible(DispatchItem), DispatchItem.tenant_id == tenant_id,
                                       DispatchItem.kind == kind, DispatchItem.key == key)
    return (await session.scalars(query)).one_or_none()


async def latest_versions(session: AsyncSession, scope: TenantScope, tenant_ids: Sequence[uuid.UUID]
                          ) -> list[DispatchVersion]:
    """The version in force of each tenant (its highest number)."""
    ids = sorted(tenant_ids)
    newest = (select(DispatchVersion.tenant_id, func.max(DispatchVersion.number).label("number"))
              .where(scope.inherited(DispatchVersion), DispatchVersion.tenant_id.in_(ids))
              .group_by(DispatchVersion.tenant_id).subquery())
    query = (select(DispatchVersion)
             .join(newest, (newest.c.tenant_id == DispatchVersion.tenant_id)
                   & (newest.c.number == DispatchVersion.number))
             .where(scope.inherited(DispatchVersion), DispatchVersion.tenant_id.in_(ids)))
    return list((await session.scalars(query)).all())


async def versions_of(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID) -> list[DispatchVersion]:
    query = (select(DispatchVersion).where(scope.inherited(DispatchVersion), DispatchVersion.tenant_id == tenant_id)
             .order_by(DispatchVersion.number.desc()))
    return list((await session.scalars(query)).all())


async def version(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, number: int
                  ) -> DispatchVersion | None:
    query = select(DispatchVersion).where(scope.inherited(DispatchVersion), DispatchVersion.tenant_id == tenant_id,
                                          DispatchVersion.number == number)
    return (await session.scalars(query)).one_or_none()


async def last_number(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID) -> int:
    query = select(func.max(DispatchVersion.number)).where(scope.visible(DispatchVersion),
                                                            DispatchVersion.tenant_id == tenant_id)
    return int(await session.scalar(query) or 0)


async def lock_tenant_versions(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    """Serialise publications of one tenant for the rest of the transaction (numbers without races)."""
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"),
                          {"k": f"dispatch.publish.{tenant_id}"})


async def national_categories(session: AsyncSession) -> list[Category]:
    return list((await session.scalars(select(Category))).all())


async def existing_regions(session: AsyncSession, codes: Sequence[str]) -> set[str]:
    if not codes:
        return set()
    rows = await session.scalars(select(Region.code).where(Region.code.in_(sorted(set(codes)))))
    return set(rows.all())


async def units_of(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID) -> list[Unit]:
    query = select(Unit).where(scope.visible(Unit), Unit.tenant_id == tenant_id)
    return list((await session.scalars(query)).all())


async def scope_settings(session: AsyncSession) -> tuple[list[uuid.UUID], list[uuid.UUID], list[str]]:
    """The transaction's RLS scope as PostgreSQL sees it (subtree, ancestors, alliances)."""
    row = (await session.execute(text("SELECT hotline_scope(), hotline_ancestors(), hotline_alliances()"))).one()
    return list(row[0] or []), list(row[1] or []), list(row[2] or [])


async def decision_of(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, order_id: uuid.UUID
                      ) -> DispatchDecision | None:
    query = select(DispatchDecision).where(scope.visible(DispatchDecision), DispatchDecision.tenant_id == tenant_id,
                                           DispatchDecision.order_id == order_id)
    return (await session.scalars(query)).one_or_none()


async def decisions_of(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID,
                       order_ids: Sequence[uuid.UUID]) -> list[DispatchDecision]:
    if not order_ids:
        return []
    query = select(DispatchDecision).where(scope.visible(DispatchDecision), DispatchDecision.tenant_id == tenant_id,
                                           DispatchDecision.order_id.in_(list(order_ids)))
    return list((await session.scalars(query)).all())


async def recent_orders(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, *, last: int | None,
                        since: dt.datetime | None, until: dt.datetime | None) -> list[WorkOrder]:
    query = select(WorkOrder).where(scope.visible(WorkOrder), WorkOrder.tenant_id == tenant_id,
                                    WorkOrder.state != "merged")
    if since is not None:
        query = query.where(WorkOrder.created_at >= since)
    if until is not None:
        query = query.where(WorkOrder.created_at < until)
    query = query.order_by(WorkOrder.created_at.desc(), WorkOrder.id.desc())
    if last is not None:
        query = query.limit(last)
    return list((await session.scalars(query)).all())


async def lead_units(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID,
                     order_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """The first lead units each order was sent to (unit codes, in dispatch order)."""
    if not order_ids:
        return {}
    query = (select(Assignment.order_id, Unit.code)
             .join(Unit, (Unit.tenant_id == Assignment.tenant_id) & (Unit.id == Assignment.unit_id))
             .where(scope.visible(Assignment), Assignment.tenant_id == tenant_id,
                    Assignment.order_id.in_(list(order_ids)), Assignment.role == "lead")
             .order_by(Assignment.order_id, Assignment.created_at, Assignment.id))
    out: dict[uuid.UUID, list[str]] = {}
    for order_id, code in (await session.execute(query)).all():
        out.setdefault(order_id, []).append(code)
    return out


async def repeat_callers(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, phone_hash: str,
                         before: uuid.UUID) -> int:
    query = select(func.count()).select_from(WorkOrder).where(
        scope.visible(WorkOrder), WorkOrder.tenant_id == tenant_id, WorkOrder.caller_phone_hash == phone_hash,
        WorkOrder.id != before)
    return int(await session.scalar(query) or 0)


async def training_orders(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, limit: int
                          ) -> list[tuple[str, str, str | None]]:
    """(text, category, first lead unit code) of the tenant's completed orders, newest first."""
    first_lead = (select(Unit.code)
                  .join(Assignment, (Unit.tenant_id == Assignment.tenant_id) & (Unit.id == Assignment.unit_id))
                  .where(Assignment.tenant_id == WorkOrder.tenant_id, Assignment.order_id == WorkOrder.id,
                         Assignment.role == "lead")
                  .order_by(Assignment.created_at.desc()).limit(1).correlate(WorkOrder).scalar_subquery())
    query = (select(WorkOrder.title, WorkOrder.content, WorkOrder.category_code, first_lead)
             .where(scope.visible(WorkOrder), WorkOrder.tenant_id == tenant_id,
                    WorkOrder.state.in_(CLOSED_STATES))
             .order_by(WorkOrder.created_at.desc()).limit(limit))
    return [(f"{title} {content}", category, unit) for title, content, category, unit
            in (await session.execute(query)).all()]


async def history_orders(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, limit: int
                         ) -> list[tuple[str, str, str | None]]:
    query = (select(HistoryOrder.content, HistoryOrder.category_code, HistoryOrder.unit_code)
             .where(scope.visible(HistoryOrder), HistoryOrder.tenant_id == tenant_id)
             .order_by(HistoryOrder.created_at.desc()).limit(limit))
    return [(c, cat, unit) for c, cat, unit in (await session.execute(query)).all()]


async def settings_of(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID) -> DispatchSettings | None:
    query = select(DispatchSettings).where(scope.visible(DispatchSettings), DispatchSettings.tenant_id == tenant_id)
    return (await session.scalars(query)).one_or_none()


async def latest_classifier(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID
                            ) -> ClassifierModel | None:
    query = (select(ClassifierModel).where(scope.visible(ClassifierModel), ClassifierModel.tenant_id == tenant_id)
             .order_by(ClassifierModel.created_at.desc(), ClassifierModel.id.desc()).limit(1))
    return (await session.scalars(query)).one_or_none()


async def system_tenants_with_orders(session: AsyncSession) -> list[uuid.UUID]:
    """Tenants with completed orders or imported history (system role: the scheduled retraining)."""
    orders = select(WorkOrder.tenant_id).where(WorkOrder.state.in_(CLOSED_STATES)).distinct()
    history = select(HistoryOrder.tenant_id).distinct()
    rows = await session.execute(orders.union(history))
    return [r[0] for r in rows.all()]
