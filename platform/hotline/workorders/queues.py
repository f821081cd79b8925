"""The work queues of each role, as pages of orders (oldest first, keyset on the time-ordered id)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel.acting import Acting
from hotline.kernel.context import Role
from hotline.kernel.errors import DomainError, forbidden
from hotline.kernel.models import utcnow
from hotline.workorders import access
from hotline.workorders import repository as repo
from hotline.workorders.intake import LOCAL_TIME, local_day
from hotline.workorders.models import Queue, WorkOrder

Filter = repo.Filter
MAX_PAGE = 100
CURSOR_PREFIX = "wo:"


QUEUE_ROLES: dict[Queue, frozenset[Role]] = {
    Queue.TODAY_INTAKE: frozenset({Role.AGENT}),
    Queue.TO_DISPATCH: frozenset({Role.DISPATCHER, Role.SUPERVISOR}),
    Queue.RETURNS_TO_REVIEW: frozenset({Role.DISPATCHER, Role.SUPERVISOR}),
    Queue.REPLIES_TO_REVIEW: frozenset({Role.DISPATCHER, Role.SUPERVISOR}),
    Queue.REQUESTS_TO_REVIEW: frozenset({Role.DISPATCHER, Role.SUPERVISOR}),
    Queue.TO_SIGN: frozenset({Role.UNIT_HANDLER}),
    Queue.IN_PROGRESS: frozenset({Role.UNIT_HANDLER}),
    Queue.SUPERVISED: frozenset({Role.UNIT_HANDLER, Role.SUPERVISOR, Role.DISPATCHER}),
    Queue.DUE_CALLBACKS: frozenset({Role.CALLBACK_AGENT}),
    Queue.ALL: access.TENANT_WIDE | {Role.UNIT_HANDLER},
}


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
               filters: repo.Filter) -> Page:
    who = await access.viewer(session, acting)
    if not who.roles & QUEUE_ROLES[queue]:
        raise forbidden(f"the {queue} queue is not for your roles")
    if not 1 <= first <= MAX_PAGE:
        raise DomainError.one(("first",), f"a page holds 1 to {MAX_PAGE} orders", "out_of_range")
    units = sorted(who.unit_ids) if who.unit_ids is not None else None
    view = repo.QueueView(user_id=acting.subject.user_id, unit_ids=units,
                          unit_view=not who.tenant_wide or queue in (Queue.TO_SIGN, Queue.IN_PROGRESS),
                          today_start=dt.datetime.combine(local_day(utcnow()), dt.time(), LOCAL_TIME))
    where = repo.queue_conditions(acting.scope, acting.tenant_id, queue, view) + repo.filter_conditions(filters)
    query = repo.QueueQuery(where=where, after=_parse_cursor(after) if after else None, limit=first)
    total, rows = await repo.queue_page(session, acting.scope, acting.tenant_id, query)
    return Page(orders=rows[:first], has_next=len(rows) > first, total=total)
