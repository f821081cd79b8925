"""Queries of supervision (督办). Every query on a tenant table carries `tenant_id`.

Functions named `system_*` are the sweep's named cross-tenant path (system role, `sweep.py`): they
read through the partial indexes of `supervision_models`, in bounded batches, and take no scope.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, literal, literal_column, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel.scope import TenantScope
from hotline.workorders.models import Assignment, WorkOrder, WorkOrderEvent
from hotline.workorders.supervision_models import (
    DeadlineKind,
    SupervisionLevel,
    SupervisionNotice,
    SupervisionSettings,
)

Key = tuple[uuid.UUID, uuid.UUID]
MAX_LEAD_HOURS = 72.0  # the largest reminder lead a tenant may set (bounds the index range)


# --- settings ------------------------------------------------------------------------------------


async def settings_of(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID) -> SupervisionSettings | None:
    query = select(SupervisionSettings).where(scope.acting(SupervisionSettings),
                                              SupervisionSettings.tenant_id == tenant_id)
    return (await session.scalars(query)).one_or_none()


async def system_settings_of(session: AsyncSession, tenant_ids: Sequence[uuid.UUID]
                             ) -> dict[uuid.UUID, SupervisionSettings]:
    if not tenant_ids:
        return {}
    query = select(SupervisionSettings).where(SupervisionSettings.tenant_id.in_(sorted(set(tenant_ids))))
    return {s.tenant_id: s for s in (await session.scalars(query)).all()}


# --- notices -------------------------------------------------------------------------------------


async def notice_by_id(session: AsyncSession, scope: TenantScope, notice_id: uuid.UUID,
                       *, for_update: bool = False) -> SupervisionNotice | None:
    query = select(SupervisionNotice).where(scope.acting(SupervisionNotice), SupervisionNotice.id == notice_id)
    if for_update:
        query = query.with_for_update()
    return (await session.scalars(query)).one_or_none()


async def notices_of(session: AsyncSession, scope: TenantScope, keys: Sequence[Key]) -> Sequence[SupervisionNotice]:
    """The notices of several orders (by (tenant, order) key), oldest first."""
    tenants = sorted({k[0] for k in keys})
    query = (select(SupervisionNotice)
             .where(scope.visible(SupervisionNotice), SupervisionNotice.tenant_id.in_(tenants),
                    SupervisionNotice.order_id.in_([k[1] for k in keys]))
             .order_by(SupervisionNotice.tenant_id, SupervisionNotice.order_id, SupervisionNotice.id))
    return (await session.scalars(query)).all()


async def live_notices(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, order_id: uuid.UUID,
                       unit_id: uuid.UUID) -> Sequence[SupervisionNotice]:
    query = (select(SupervisionNotice)
             .where(scope.acting(SupervisionNotice), SupervisionNotice.tenant_id == tenant_id,
                    SupervisionNotice.order_id == order_id, SupervisionNotice.unit_id == unit_id,
                    SupervisionNotice.state.in_(("open", "replied")))
             .order_by(SupervisionNotice.id).with_for_update())
    return (await session.scalars(query)).all()


@dataclass(frozen=True)
class PageQuery:
    where: list[ColumnElement[bool]]
    after: uuid.UUID | None
    limit: int


async def notice_page(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, page: PageQuery
                      ) -> tuple[int, Sequence[SupervisionNotice]]:
    base = select(SupervisionNotice).where(scope.acting(SupervisionNotice), SupervisionNotice.tenant_id == tenant_id,
                                           *page.where)
    total = (await session.execute(select(func.count()).select_from(base.subquery()))).scalar_one()
    query = base if page.after is None else base.where(SupervisionNotice.id > page.after)
    rows = (await session.scalars(query.order_by(SupervisionNotice.id).limit(page.limit + 1))).all()
    return int(total), rows


def overdue_condition(now: dt.datetime) -> ColumnElement[bool]:
    """An assignment that missed its sign-for deadline unsigned, or its reply deadline unanswered."""
    return or_(and_(Assignment.state == "pending_sign", Assignment.sign_for_due_at < now),
               and_(Assignment.state == "in_progress", Assignment.reply_due_at < now))


async def overdue_page(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, now: dt.datetime,
                       page: PageQuery) -> tuple[int, Sequence[Assignment]]:
    base = select(Assignment).where(scope.acting(Assignment), Assignment.tenant_id == tenant_id,
                                    overdue_condition(now), *page.where)
    total = (await session.execute(select(func.count()).select_from(base.subquery()))).scalar_one()
    query = base if page.after is None else base.where(Assignment.id > page.after)
    rows = (await session.scalars(query.order_by(Assignment.id).limit(page.limit + 1))).all()
    return int(total), rows


async def overdue_callback_page(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, now: dt.datetime,
                                page: PageQuery) -> tuple[int, Sequence[WorkOrder]]:
    base = select(WorkOrder).where(scope.acting(WorkOrder), WorkOrder.tenant_id == tenant_id,
                                   WorkOrder.state == "pending_callback", WorkOrder.callback_due_at < now)
    total = (await session.execute(select(func.count()).select_from(base.subquery()))).scalar_one()
    query = base if page.after is None else base.where(WorkOrder.id > page.after)
    rows = (await session.scalars(query.order_by(WorkOrder.id).limit(page.limit + 1))).all()
    return int(total), rows


# --- the sweep (system role) ---------------------------------------------------------------------


@dataclass(frozen=True)
class DueRow:
    tenant_id: uuid.UUID
    order_id: uuid.UUID
    assignment_id: uuid.UUID | None
    unit_id: uuid.UUID | None
    due_at: dt.datetime


def _due(value: dt.datetime | None) -> dt.datetime:
    assert value is not None  # the queries select only rows with the deadline set
    return value


def _lead(default_hours: float) -> ColumnElement[dt.timedelta]:
    hours = func.coalesce(SupervisionSettings.reminder_lead_hours, default_hours)
    return func.make_interval(0, 0, 0, 0, 0, 0, hours * 3600.0)


def _already(kind: DeadlineKind, level: SupervisionLevel, due: Any, tenant: Any, assignment: Any | None,
             order: Any | None) -> ColumnElement[bool]:
    """A notice of this deadline (at this moment) at this level or higher already exists."""
    n = SupervisionNotice
    same = n.assignment_id == assignment if assignment is not None else n.order_id == order
    return exists(select(literal(1)).where(n.tenant_id == tenant, same, n.deadline_kind == kind.value,
                                           n.level >= int(level), n.deadline_due_at == due))


ASSIGNMENT_DEADLINES = {
    # kind: (the due column, the state in which it is open; the partial index is on (due) WHERE state = …)
    DeadlineKind.SIGN_FOR: (Assignment.sign_for_due_at, "pending_sign"),
    DeadlineKind.REPLY: (Assignment.reply_due_at, "in_progress"),
}


async def system_assignments_due(session: AsyncSession, kind: DeadlineKind, level: SupervisionLevel,
                                 now: dt.datetime, default_lead_hours: float, batch: int) -> list[DueRow]:
    """Open assignments whose `kind` deadline is due for a notice of `level`, not yet given one.

    Reminder: the deadline falls within the tenant's lead and has not passed. Notice: it has passed.
    """
    due, state = ASSIGNMENT_DEADLINES[kind]
    a = Assignment
    where: list[ColumnElement[bool]] = [literal_column(f"work_order_assignments.state = '{state}'"),
                                        due.is_not(None)]
    if level == SupervisionLevel.REMINDER:
        where += [due > now, due <= now + dt.timedelta(hours=MAX_LEAD_HOURS), due - _lead(default_lead_hours) <= now]
    else:
        where.append(due <= now)
    where.append(~_already(kind, level, due, a.tenant_id, a.id, None))
    query = (select(a.tenant_id, a.order_id, a.id, a.unit_id, due)
             .outerjoin(SupervisionSettings, SupervisionSettings.tenant_id == a.tenant_id)
             .where(*where).order_by(due).limit(batch))
    return [DueRow(r[0], r[1], r[2], r[3], _due(r[4])) for r in (await session.execute(query)).all()]


async def system_callbacks_overdue(session: AsyncSession, now: dt.datetime, batch: int) -> list[DueRow]:
    o = WorkOrder
    query = (select(o.tenant_id, o.id, o.callback_due_at)
             .where(literal_column("work_orders.state = 'pending_callback'"), o.callback_due_at <= now,
                    ~_already(DeadlineKind.CALLBACK, SupervisionLevel.NOTICE, o.callback_due_at, o.tenant_id,
                              None, o.id))
             .order_by(o.callback_due_at).limit(batch))
    return [DueRow(r[0], r[1], None, None, _due(r[2])) for r in (await session.execute(query)).all()]


async def system_progress_due(session: AsyncSession, now: dt.datetime, default_lead_hours: float, batch: int
                              ) -> list[DueRow]:
    """Open orders whose caller has not been told the progress, within the lead of the notice's limit."""
    o = WorkOrder
    query = (select(o.tenant_id, o.id, o.progress_notice_due_at)
             .outerjoin(SupervisionSettings, SupervisionSettings.tenant_id == o.tenant_id)
             .where(literal_column("work_orders.progress_notified_at IS NULL"),
                    literal_column("work_orders.caller_phone_cipher IS NOT NULL"),
                    literal_column("work_orders.state IN ('pending_dispatch', 'in_progress')"),
                    o.progress_notice_due_at <= now + dt.timedelta(hours=MAX_LEAD_HOURS),
                    o.progress_notice_due_at - _lead(default_lead_hours) <= now)
             .order_by(o.progress_notice_due_at).limit(batch))
    return [DueRow(r[0], r[1], None, None, _due(r[2])) for r in (await session.execute(query)).all()]


async def system_lock_orders(session: AsyncSession, tenant_id: uuid.UUID, order_ids: Sequence[uuid.UUID]
                             ) -> dict[uuid.UUID, WorkOrder]:
    """Lock the orders of one tenant that no one else holds (the others wait for the next tick)."""
    query = (select(WorkOrder).where(WorkOrder.tenant_id == tenant_id, WorkOrder.id.in_(sorted(set(order_ids))))
             .order_by(WorkOrder.id).with_for_update(skip_locked=True))
    return {o.id: o for o in (await session.scalars(query)).all()}


async def system_assignments(session: AsyncSession, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]
                             ) -> dict[uuid.UUID, Assignment]:
    query = select(Assignment).where(Assignment.tenant_id == tenant_id, Assignment.id.in_(sorted(set(ids))))
    return {a.id: a for a in (await session.scalars(query)).all()}


async def system_notices_to_escalate(session: AsyncSession, now: dt.datetime, batch: int
                                     ) -> Sequence[SupervisionNotice]:
    n = SupervisionNotice
    query = (select(n).where(n.escalate_at.is_not(None), literal_column(
        "supervision_notices.state IN ('open', 'replied')"), n.escalate_at <= now)
             .order_by(n.escalate_at).limit(batch).with_for_update(skip_locked=True))
    return (await session.scalars(query)).all()


ORDER_BEYOND: ColumnElement[bool] = literal_column(
    "(work_orders.progress_notice_beyond_calendar OR work_orders.callback_beyond_calendar) "
    "AND work_orders.state IN ('pending_dispatch', 'in_progress', 'pending_callback')")
ASSIGNMENT_BEYOND: ColumnElement[bool] = literal_column(
    "(work_order_assignments.sign_for_beyond_calendar OR work_order_assignments.first_contact_beyond_calendar "
    "OR work_order_assignments.reply_beyond_calendar OR work_order_assignments.return_beyond_calendar) "
    "AND work_order_assignments.state IN ('pending_sign', 'in_progress', 'return_requested', 'replied')")


async def system_tenants_beyond_calendar(session: AsyncSession, limit: int) -> list[uuid.UUID]:
    """Tenants with open deadlines computed past the known calendar."""
    orders = select(WorkOrder.tenant_id).where(ORDER_BEYOND).distinct()
    assignments = select(Assignment.tenant_id).where(ASSIGNMENT_BEYOND).distinct()
    query = select(orders.union(assignments).subquery().c[0]).limit(limit)
    return list((await session.scalars(query)).all())


async def system_orders_beyond(session: AsyncSession, tenant_id: uuid.UUID, before: dt.datetime, batch: int
                               ) -> Sequence[WorkOrder]:
    """Open orders of one tenant with a flagged deadline that now falls before the first unknown year."""
    o = WorkOrder
    query = (select(o).where(o.tenant_id == tenant_id, ORDER_BEYOND,
                             or_(and_(o.progress_notice_beyond_calendar, o.progress_notice_due_at < before),
                                 and_(o.callback_beyond_calendar, o.callback_due_at < before)))
             .order_by(o.id).limit(batch).with_for_update(skip_locked=True))
    return (await session.scalars(query)).all()


async def system_assignments_beyond(session: AsyncSession, tenant_id: uuid.UUID, before: dt.datetime, batch: int
                                    ) -> Sequence[Assignment]:
    a = Assignment
    query = (select(a).where(a.tenant_id == tenant_id, ASSIGNMENT_BEYOND,
                             or_(and_(a.sign_for_beyond_calendar, a.sign_for_due_at < before),
                                 and_(a.first_contact_beyond_calendar, a.first_contact_due_at < before),
                                 and_(a.reply_beyond_calendar, a.reply_due_at < before,
                                      a.extension_days_granted == 0),
                                 and_(a.return_beyond_calendar, a.return_due_at < before)))
             .order_by(a.id).limit(batch).with_for_update(skip_locked=True))
    return (await session.scalars(query)).all()


async def system_latest_events(session: AsyncSession, tenant_id: uuid.UUID, order_ids: Sequence[uuid.UUID],
                               actions: Sequence[str]) -> Sequence[WorkOrderEvent]:
    """Events of some actions on some orders of one tenant, oldest first (the last one per key wins)."""
    query = (select(WorkOrderEvent).where(WorkOrderEvent.tenant_id == tenant_id,
                                          WorkOrderEvent.order_id.in_(sorted(set(order_ids))),
                                          WorkOrderEvent.action.in_(actions))
             .order_by(WorkOrderEvent.id))
    return (await session.scalars(query)).all()
