"""The work queues of each role, as pages of orders (oldest first, keyset on the time-ordered id)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel.acting import Acting
from hotline.kernel.context import Role
from hotline.kernel.errors import DomainError, forbidden
from hotline.kernel.models import utcnow
from hotline.workorders import access
from hotline.workorders import repository as repo
from hotline.workorders.intake import LOCAL_TIME, local_day
from hotline.workorders.models import AssignmentState, OrderState, WorkOrder

MAX_PAGE = 100
CURSOR_PREFIX = "wo:"


class Queue(StrEnum):
    TODAY_INTAKE = "today_intake"  # agent: what I recorded today
    TO_DISPATCH = "to_dispatch"  # dispatcher
    RETURNS_TO_REVIEW = "returns_to_review"  # dispatcher: 回退 awaiting a decision
    REPLIES_TO_REVIEW = "replies_to_review"  # dispatcher: 办结反馈 awaiting review
    TO_SIGN = "to_sign"  # unit: 待签收
    IN_PROGRESS = "in_progress"  # unit: signed, being handled (also reworks)
    SUPERVISED = "supervised"  # unit: its supervised orders; hotline: every open supervised order
    DUE_CALLBACKS = "due_callbacks"  # callback agent
    ALL = "all"  # every order the viewer may see, with the filters


QUEUE_ROLES: dict[Queue, frozenset[Role]] = {
    Queue.TODAY_INTAKE: frozenset({Role.AGENT}),
    Queue.TO_DISPATCH: frozenset({Role.DISPATCHER, Role.SUPERVISOR}),
    Queue.RETURNS_TO_REVIEW: frozenset({Role.DISPATCHER, Role.SUPERVISOR}),
    Queue.REPLIES_TO_REVIEW: frozenset({Role.DISPATCHER, Role.SUPERVISOR}),
    Queue.TO_SIGN: frozenset({Role.UNIT_HANDLER}),
    Queue.IN_PROGRESS: frozenset({Role.UNIT_HANDLER}),
    Queue.SUPERVISED: frozenset({Role.UNIT_HANDLER, Role.SUPERVISOR, Role.DISPATCHER}),
    Queue.DUE_CALLBACKS: frozenset({Role.CALLBACK_AGENT}),
    Queue.ALL: access.TENANT_WIDE | {Role.UNIT_HANDLER},
}


@dataclass(frozen=True)
class Filter:
    request_type: str | None = None
    response_level: int | None = None
    category_code: str | None = None  # the code or any category below it
    state: str | None = None
    supervised: bool | None = None


@dataclass(frozen=True)
class Page:
    orders: Sequence[WorkOrder]
    has_next: bool
    total: int


def cursor_of(order_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{order_id}".encode()).decode()


def _parse_cursor(cursor: str) -> uuid.UUID:
    try:
        raw = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not raw.startswith(CURSOR_PREFIX):
            raise ValueError(raw)
        return uuid.UUID(raw[len(CURSOR_PREFIX):])
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise DomainError.one(("after",), "not a cursor of this list", "invalid_cursor") from None


async def page(session: AsyncSession, acting: Acting, queue: Queue, first: int, after: str | None,
               filters: Filter) -> Page:
    who = await access.viewer(session, acting)
    if not who.roles & QUEUE_ROLES[queue]:
        raise forbidden(f"the {queue} queue is not for your roles")
    if not 1 <= first <= MAX_PAGE:
        raise DomainError.one(("first",), f"a page holds 1 to {MAX_PAGE} orders", "out_of_range")
    where = _queue_where(who, queue) + _filter_where(filters)
    query = repo.QueueQuery(where=where, after=_parse_cursor(after) if after else None, limit=first)
    total, rows = await repo.queue_page(session, acting.scope, acting.tenant_id, query)
    return Page(orders=rows[:first], has_next=len(rows) > first, total=total)


def _units_of(who: access.Viewer) -> Sequence[uuid.UUID] | None:
    return sorted(who.unit_ids) if who.unit_ids is not None else None


def _queue_where(who: access.Viewer, queue: Queue) -> list[ColumnElement[bool]]:
    scope, tenant_id = who.acting.scope, who.tenant_id
    unit_view = not who.tenant_wide or queue in (Queue.TO_SIGN, Queue.IN_PROGRESS)
    units = _units_of(who)
    A = AssignmentState
    match queue:
        case Queue.TODAY_INTAKE:
            start = dt.datetime.combine(local_day(utcnow()), dt.time(), LOCAL_TIME)
            return [WorkOrder.created_by == who.acting.subject.user_id, WorkOrder.created_at >= start]
        case Queue.TO_DISPATCH:
            return [WorkOrder.state == OrderState.PENDING_DISPATCH]
        case Queue.RETURNS_TO_REVIEW:
            return [repo.assigned_where(scope, tenant_id, [A.RETURN_REQUESTED], None)]
        case Queue.REPLIES_TO_REVIEW:
            return [repo.assigned_where(scope, tenant_id, [A.REPLIED], None)]
        case Queue.TO_SIGN:
            return [repo.assigned_where(scope, tenant_id, [A.PENDING_SIGN], units)]
        case Queue.IN_PROGRESS:
            return [repo.assigned_where(scope, tenant_id, [A.IN_PROGRESS], units)]
        case Queue.SUPERVISED:
            if unit_view:
                return [WorkOrder.supervised.is_(True),
                        repo.assigned_where(scope, tenant_id, repo.OPEN_ASSIGNMENT, units)]
            return [WorkOrder.supervised.is_(True), WorkOrder.state.in_(repo.OPEN_ORDER)]
        case Queue.DUE_CALLBACKS:
            return [WorkOrder.state == OrderState.PENDING_CALLBACK]
        case Queue.ALL:
            if unit_view:
                return [repo.assigned_where(scope, tenant_id, list(A), units)]
            return []


def _filter_where(f: Filter) -> list[ColumnElement[bool]]:
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
    return where
