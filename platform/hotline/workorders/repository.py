"""Queries on work orders. Every query on a tenant table filters by the given scope and tenant."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, Text, and_, bindparam, case, exists, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel import config_cache
from hotline.kernel.database import driver_connection
from hotline.kernel.scope import TenantScope
from hotline.tenancy.models import Unit
from hotline.workorders.handling_repository import pending_request_where
from hotline.workorders.models import (
    Assignment,
    AssignmentState,
    Callback,
    Category,
    OrderState,
    Queue,
    WorkOrder,
    WorkOrderEvent,
    WorkOrderLink,
    WorkOrderSettings,
)

Key = tuple[uuid.UUID, uuid.UUID]  # (tenant_id, id)
OPEN_ASSIGNMENT = (AssignmentState.PENDING_SIGN, AssignmentState.IN_PROGRESS, AssignmentState.RETURN_REQUESTED,
                   AssignmentState.SUSPENDED, AssignmentState.REPLIED)
OPEN_ORDER = (OrderState.PENDING_DISPATCH, OrderState.IN_PROGRESS, OrderState.PENDING_CALLBACK)
OVERLAP_THRESHOLD = 0.5  # share of the new text's character bigrams found in an older order


# --- reference data ------------------------------------------------------------------------------


async def category_known(session: AsyncSession, code: str) -> bool:
    """Whether the taxonomy has the code (intake asks on every order: known codes are cached)."""
    return await config_cache.known(session, "category", code, lambda: _category_exists(session, code))


async def _category_exists(session: AsyncSession, code: str) -> bool:
    return await session.get(Category, code) is not None


async def categories_by_codes(session: AsyncSession, codes: Sequence[str]) -> Sequence[Category]:
    return (await session.scalars(select(Category).where(Category.code.in_(codes)))).all()


async def categories_under(session: AsyncSession, parent_code: str | None) -> Sequence[Category]:
    condition = Category.parent_code.is_(None) if parent_code is None else Category.parent_code == parent_code
    return (await session.scalars(select(Category).where(condition).order_by(Category.code))).all()


# --- numbering and settings ----------------------------------------------------------------------


async def next_number(session: AsyncSession, tenant_id: uuid.UUID, day: dt.date) -> int:
    """The next sequence of the tenant's day; the row lock serialises concurrent intakes of one tenant."""
    connection = await driver_connection(session)  # the driver's statement: intake runs it on every order
    cursor = await connection.execute(
        "INSERT INTO work_order_counters (tenant_id, day, last_value) VALUES (%(t)s, %(d)s, 1) "
        "ON CONFLICT (tenant_id, day) DO UPDATE SET last_value = work_order_counters.last_value + 1 "
        "RETURNING last_value", {"t": tenant_id, "d": day})
    row = await cursor.fetchone()
    assert row is not None
    return int(row[0])


async def settings_of(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID) -> WorkOrderSettings | None:
    query = select(WorkOrderSettings).where(scope.visible(WorkOrderSettings), WorkOrderSettings.tenant_id == tenant_id)
    return (await session.scalars(query)).one_or_none()


# --- units (of the tenancy domain, as the work-order rules need them) -----------------------------


async def units_by_codes(
    session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, codes: Sequence[str]
) -> Sequence[Unit]:
    query = select(Unit).where(scope.visible(Unit), Unit.tenant_id == tenant_id, Unit.code.in_(codes))
    return (await session.scalars(query)).all()


async def unit_tree(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID) -> Sequence[tuple[uuid.UUID,
                                                                                                     uuid.UUID | None]]:
    query = select(Unit.id, Unit.parent_id).where(scope.visible(Unit), Unit.tenant_id == tenant_id)
    return [(r.id, r.parent_id) for r in (await session.execute(query)).all()]


async def units_by_keys(session: AsyncSession, scope: TenantScope, keys: Sequence[Key]) -> Sequence[Unit]:
    tenants = sorted({k[0] for k in keys})
    query = select(Unit).where(scope.visible(Unit), Unit.tenant_id.in_(tenants), Unit.id.in_([k[1] for k in keys]))
    return (await session.scalars(query)).all()


# --- orders --------------------------------------------------------------------------------------


async def order_by_id(session: AsyncSession, scope: TenantScope, order_id: uuid.UUID,
                      *, for_update: bool = False) -> WorkOrder | None:
    query = select(WorkOrder).where(scope.acting(WorkOrder), WorkOrder.id == order_id)
    if for_update:
        query = query.with_for_update()
    return (await session.scalars(query)).one_or_none()


async def order_by_number(session: AsyncSession, scope: TenantScope, number: str) -> WorkOrder | None:
    query = select(WorkOrder).where(scope.acting(WorkOrder), WorkOrder.number == number)
    return (await session.scalars(query)).one_or_none()


async def orders_by_keys(session: AsyncSession, scope: TenantScope, keys: Sequence[Key]) -> Sequence[WorkOrder]:
    tenants = sorted({k[0] for k in keys})
    query = select(WorkOrder).where(scope.visible(WorkOrder), WorkOrder.tenant_id.in_(tenants),
                                    WorkOrder.id.in_([k[1] for k in keys]))
    return (await session.scalars(query)).all()


async def caller_history(
    session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, phone_hash: str, limit: int
) -> tuple[int, int, Sequence[WorkOrder]]:
    """(all orders, open orders, the latest `limit`) of one caller in one tenant."""
    where = and_(scope.acting(WorkOrder), WorkOrder.tenant_id == tenant_id,
                 WorkOrder.caller_phone_hash == phone_hash)
    counts = (await session.execute(select(
        func.count(), func.count().filter(WorkOrder.state.in_(OPEN_ORDER))).where(where))).one()
    latest = (await session.scalars(select(WorkOrder).where(where).order_by(WorkOrder.id.desc())
                                    .limit(limit))).all()
    return int(counts[0]), int(counts[1]), latest


# --- assignments ---------------------------------------------------------------------------------


async def assignment_by_id(session: AsyncSession, scope: TenantScope, assignment_id: uuid.UUID) -> Assignment | None:
    query = select(Assignment).where(scope.acting(Assignment), Assignment.id == assignment_id)
    return (await session.scalars(query)).one_or_none()


async def assignments_of(session: AsyncSession, scope: TenantScope, keys: Sequence[Key]) -> Sequence[Assignment]:
    """The assignments of several orders (by (tenant, order) key), in dispatch order."""
    tenants = sorted({k[0] for k in keys})
    query = (select(Assignment).where(scope.visible(Assignment), Assignment.tenant_id.in_(tenants),
                                      Assignment.order_id.in_([k[1] for k in keys]))
             .order_by(Assignment.tenant_id, Assignment.order_id, Assignment.id))
    return (await session.scalars(query)).all()


# --- timeline, callbacks, links ------------------------------------------------------------------


async def events_of(session: AsyncSession, scope: TenantScope, keys: Sequence[Key]) -> Sequence[WorkOrderEvent]:
    tenants = sorted({k[0] for k in keys})
    query = (select(WorkOrderEvent).where(scope.visible(WorkOrderEvent), WorkOrderEvent.tenant_id.in_(tenants),
                                          WorkOrderEvent.order_id.in_([k[1] for k in keys]))
             .order_by(WorkOrderEvent.id))
    return (await session.scalars(query)).all()


async def callbacks_of(session: AsyncSession, scope: TenantScope, keys: Sequence[Key]) -> Sequence[Callback]:
    tenants = sorted({k[0] for k in keys})
    query = (select(Callback).where(scope.visible(Callback), Callback.tenant_id.in_(tenants),
                                    Callback.order_id.in_([k[1] for k in keys])).order_by(Callback.id))
    return (await session.scalars(query)).all()


async def links_of(session: AsyncSession, scope: TenantScope, keys: Sequence[Key]) -> Sequence[WorkOrderLink]:
    """Links where the order is on either side."""
    tenants = sorted({k[0] for k in keys})
    ids = [k[1] for k in keys]
    query = (select(WorkOrderLink).where(scope.visible(WorkOrderLink), WorkOrderLink.tenant_id.in_(tenants),
                                         or_(WorkOrderLink.order_id.in_(ids), WorkOrderLink.other_id.in_(ids)))
             .order_by(WorkOrderLink.id))
    return (await session.scalars(query)).all()


async def link_between(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, a: uuid.UUID,
                       b: uuid.UUID) -> WorkOrderLink | None:
    query = select(WorkOrderLink).where(
        scope.acting(WorkOrderLink), WorkOrderLink.tenant_id == tenant_id,
        or_(and_(WorkOrderLink.order_id == a, WorkOrderLink.other_id == b),
            and_(WorkOrderLink.order_id == b, WorkOrderLink.other_id == a)))
    return (await session.scalars(query)).first()


# --- queues --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueQuery:
    """One page of a queue: orders matching `where`, in `sort` order, after a keyset cursor or an offset."""

    where: list[ColumnElement[bool]]
    sort: QueueSort
    after: uuid.UUID | None
    offset: int
    limit: int


@dataclass(frozen=True)
class QueueSort:
    """created_at (the time-ordered id: keyset paging), next_due (open clocks first) or response_level."""

    field: str = "created_at"
    descending: bool = False
    next_due: ColumnElement[Any] | None = None  # the expression, for the next_due field

    @property
    def keyset(self) -> bool:
        return self.field == "created_at"


def assigned_where(scope: TenantScope, tenant_id: uuid.UUID, states: Sequence[str],
                   unit_ids: Sequence[uuid.UUID] | None) -> ColumnElement[bool]:
    """Orders with an assignment in one of `states` (to one of `unit_ids`, when given)."""
    condition = and_(scope.acting(Assignment), Assignment.tenant_id == tenant_id,
                     Assignment.order_id == WorkOrder.id, Assignment.state.in_(states))
    if unit_ids is not None:
        condition = and_(condition, Assignment.unit_id.in_(unit_ids))
    return exists(select(literal(1)).where(condition))


def next_due_at(scope: TenantScope, tenant_id: uuid.UUID, unit_ids: Sequence[uuid.UUID] | None
                ) -> ColumnElement[Any]:
    """The earliest running clock of an order: sign-for while pending, reply while in progress (a
    suspended assignment's clock is paused). Limited to `unit_ids` when a unit looks at its inbox."""
    A = AssignmentState
    clock = case((Assignment.state == A.PENDING_SIGN, Assignment.sign_for_due_at),
                 (Assignment.state == A.IN_PROGRESS, Assignment.reply_due_at), else_=None)
    condition = and_(scope.acting(Assignment), Assignment.tenant_id == tenant_id,
                     Assignment.order_id == WorkOrder.id, Assignment.state.in_([A.PENDING_SIGN, A.IN_PROGRESS]))
    if unit_ids is not None:
        condition = and_(condition, Assignment.unit_id.in_(unit_ids))
    return select(func.min(clock)).where(condition).scalar_subquery()


def _ordering(sort: QueueSort) -> list[ColumnElement[Any]]:
    by_id = WorkOrder.id.desc() if sort.descending else WorkOrder.id.asc()
    match sort.field:
        case "next_due" if sort.next_due is not None:
            due = sort.next_due.desc() if sort.descending else sort.next_due.asc()
            return [due.nulls_last(), by_id]
        case "response_level":
            level = WorkOrder.response_level.desc() if sort.descending else WorkOrder.response_level.asc()
            return [level, by_id]
    return [by_id]


async def queue_page(
    session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, page: QueueQuery
) -> tuple[int, Sequence[WorkOrder]]:
    base = select(WorkOrder).where(scope.acting(WorkOrder), WorkOrder.tenant_id == tenant_id, *page.where)
    total = (await session.execute(select(func.count()).select_from(base.subquery()))).scalar_one()
    query = base
    if page.after is not None:
        query = query.where(WorkOrder.id < page.after if page.sort.descending else WorkOrder.id > page.after)
    query = query.order_by(*_ordering(page.sort)).offset(page.offset or None).limit(page.limit + 1)
    rows = (await session.scalars(query)).all()
    return int(total), rows


@dataclass(frozen=True)
class Filter:
    request_type: str | None = None
    response_level: int | None = None
    category_code: str | None = None  # the code or any category below it
    state: str | None = None
    supervised: bool | None = None
    channel: str | None = None
    division_code: str | None = None  # the division or any below it
    created_from: dt.datetime | None = None
    created_before: dt.datetime | None = None
    text: str | None = None  # the order number, or words of the title or content
    phone_hash: str | None = None  # the caller's phone, looked up by its keyed hash
    due_after: dt.datetime | None = None  # a running clock due in [due_after, due_before)
    due_before: dt.datetime | None = None


@dataclass(frozen=True)
class QueueView:
    """Who looks at a queue: their user id, the units they handle (None: all), unit or tenant-wide view."""

    user_id: uuid.UUID
    unit_ids: Sequence[uuid.UUID] | None
    unit_view: bool
    today_start: dt.datetime


def queue_conditions(scope: TenantScope, tenant_id: uuid.UUID, queue: Queue, view: QueueView
                     ) -> list[ColumnElement[bool]]:
    """What puts an order in a queue, as seen by one viewer."""
    unit_view, units = view.unit_view, view.unit_ids
    A = AssignmentState
    match queue:
        case Queue.TODAY_INTAKE:
            return [WorkOrder.created_by == view.user_id, WorkOrder.created_at >= view.today_start]
        case Queue.TO_DISPATCH:
            return [WorkOrder.state == OrderState.PENDING_DISPATCH]
        case Queue.RETURNS_TO_REVIEW:
            return [assigned_where(scope, tenant_id, [A.RETURN_REQUESTED], None)]
        case Queue.REPLIES_TO_REVIEW:
            return [assigned_where(scope, tenant_id, [A.REPLIED], None)]
        case Queue.TO_SIGN:
            return [assigned_where(scope, tenant_id, [A.PENDING_SIGN], units)]
        case Queue.IN_PROGRESS:
            return [assigned_where(scope, tenant_id, [A.IN_PROGRESS, A.SUSPENDED], units)]
        case Queue.REQUESTS_TO_REVIEW:
            return [pending_request_where(scope, tenant_id)]
        case Queue.SUPERVISED:
            if unit_view:
                return [WorkOrder.supervised.is_(True),
                        assigned_where(scope, tenant_id, OPEN_ASSIGNMENT, units)]
            return [WorkOrder.supervised.is_(True), WorkOrder.state.in_(OPEN_ORDER)]
        case Queue.DUE_CALLBACKS:
            return [WorkOrder.state == OrderState.PENDING_CALLBACK]
        case Queue.ALL:
            if unit_view:
                return [assigned_where(scope, tenant_id, list(A), units)]
            return []


def filter_conditions(f: Filter, next_due: ColumnElement[Any]) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if f.request_type is not None:
        where.append(WorkOrder.request_type == f.request_type)
    if f.response_level is not None:
        where.append(WorkOrder.response_level == f.response_level)
    if f.category_code:
        where.append(WorkOrder.category_code.startswith(f.category_code, autoescape=True))
    if f.state is not None:
        where.append(WorkOrder.state == f.state)
    if f.supervised is not None:
        where.append(WorkOrder.supervised.is_(f.supervised))
    if f.channel is not None:
        where.append(WorkOrder.channel == f.channel)
    if f.division_code:
        where.append(WorkOrder.division_code.startswith(f.division_code, autoescape=True))
    if f.created_from is not None:
        where.append(WorkOrder.created_at >= f.created_from)
    if f.created_before is not None:
        where.append(WorkOrder.created_at < f.created_before)
    if f.text or f.phone_hash:
        where.append(_text_condition(f.text, f.phone_hash))
    if f.due_after is not None:
        where.append(next_due >= f.due_after)
    if f.due_before is not None:
        where.append(next_due < f.due_before)
    return where


def _text_condition(text_: str | None, phone_hash: str | None) -> ColumnElement[bool]:
    matches: list[ColumnElement[bool]] = []
    if text_:
        matches += [WorkOrder.number == text_, WorkOrder.title.contains(text_, autoescape=True),
                    WorkOrder.content.contains(text_, autoescape=True)]
    if phone_hash:
        matches.append(WorkOrder.caller_phone_hash == phone_hash)
    return or_(*matches)


# --- duplicates ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DuplicateProbe:
    phone_hash: str | None
    division_code: str | None
    category_code: str | None
    grams: list[str]
    since: dt.datetime
    exclude_id: uuid.UUID | None
    limit: int


async def duplicate_candidates(
    session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, probe: DuplicateProbe
) -> Sequence[tuple[WorkOrder, bool, bool, float]]:
    """Recent orders of the tenant with (same caller, same street and category, text overlap 0–1)."""
    same_caller = (WorkOrder.caller_phone_hash == probe.phone_hash) if probe.phone_hash else literal(False)
    same_place = (and_(WorkOrder.division_code == probe.division_code,
                       WorkOrder.category_code == probe.category_code)
                  if probe.division_code and probe.category_code else literal(False))
    overlap: ColumnElement[Any]
    if probe.grams:
        haystack = func.concat(WorkOrder.title, " ", WorkOrder.content)
        grams = bindparam("grams", probe.grams, type_=ARRAY(Text))
        gram = func.unnest(grams).table_valued("g").render_derived(name="grams")
        hits = (select(func.count()).select_from(gram).where(func.strpos(haystack, gram.c.g) > 0)
                .scalar_subquery())
        overlap = hits * 1.0 / len(probe.grams)
    else:
        overlap = literal(0.0)
    score = case((same_caller, 3.0), else_=0.0) + case((same_place, 2.0), else_=0.0) + overlap
    scored = (select(WorkOrder.id.label("order_id"), same_caller.label("same_caller"),
                     same_place.label("same_place"), overlap.label("overlap"), score.label("score"))
              .where(scope.acting(WorkOrder), WorkOrder.tenant_id == tenant_id, WorkOrder.created_at >= probe.since,
                     WorkOrder.state != OrderState.MERGED)
              .subquery())
    query = (select(WorkOrder, scored.c.same_caller, scored.c.same_place, scored.c.overlap)
             .join(scored, and_(WorkOrder.tenant_id == tenant_id, WorkOrder.id == scored.c.order_id))
             .where(scope.acting(WorkOrder),
                    or_(scored.c.same_caller, scored.c.same_place, scored.c.overlap >= OVERLAP_THRESHOLD)))
    if probe.exclude_id is not None:
        query = query.where(scored.c.order_id != probe.exclude_id)
    query = query.order_by(scored.c.score.desc(), scored.c.order_id.desc()).limit(probe.limit)
    return [(r[0], bool(r[1]), bool(r[2]), float(r[3])) for r in (await session.execute(query)).all()]
