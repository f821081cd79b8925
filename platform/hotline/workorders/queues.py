"""The work queues of each role, as pages of orders: filtered and sorted on the server.

Oldest first by default, paged with a keyset on the time-ordered id (stable while orders arrive);
other sorts (next due, response level) and jumps to a page number page by offset.
"""

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
from hotline.kernel.errors import DomainError, Validator, forbidden
from hotline.kernel.models import utcnow
from hotline.workorders import access, pii
from hotline.workorders import repository as repo
from hotline.workorders.intake import LOCAL_TIME, local_day
from hotline.workorders.models import Queue, WorkOrder

MAX_PAGE = 100
MAX_OFFSET = 100_000
CURSOR_PREFIX = "wo:"  # wo:<order id> (keyset) or wo:@<offset>
DUE_SOON = dt.timedelta(hours=24)
SORTS = ("created_at", "next_due", "response_level")


@dataclass(frozen=True)
class Filter:
    """What a person narrows a queue by; dates are the hotline's local days, both ends included."""

    request_type: str | None = None
    response_level: int | None = None
    category_code: str | None = None
    state: str | None = None
    supervised: bool | None = None
    channel: str | None = None
    division_code: str | None = None
    created_from: dt.date | None = None
    created_to: dt.date | None = None
    text: str | None = None  # an order number, words of the title or content, or the caller's phone
    due: str | None = None  # "overdue" or "due_soon" (a running clock due within a day)


@dataclass(frozen=True)
class Sort:
    field: str = "created_at"
    descending: bool = False


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
    start: int | None  # the position of the first order for offset pages; None for keyset pages

    def cursor(self, index: int) -> str:
        order = self.orders[index]
        return cursor_of(order.id, None if self.start is None else self.start + index + 1)


def cursor_of(order_id: uuid.UUID, position: int | None = None) -> str:
    """The cursor after an order: its id for keyset pages, its position for offset pages."""
    raw = f"{CURSOR_PREFIX}{order_id}" if position is None else f"{CURSOR_PREFIX}@{position}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _parse_cursor(cursor: str) -> uuid.UUID | int:
    try:
        raw = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not raw.startswith(CURSOR_PREFIX):
            raise ValueError(raw)
        rest = raw[len(CURSOR_PREFIX):]
        return int(rest[1:]) if rest.startswith("@") else uuid.UUID(rest)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise DomainError.one(("after",), "not a cursor of this list", "invalid_cursor") from None


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), LOCAL_TIME)


def _check(first: int, offset: int | None, after: str | None, sort: Sort, f: Filter) -> None:
    v = Validator()
    v.check(1 <= first <= MAX_PAGE, ("first",), f"a page holds 1 to {MAX_PAGE} orders", "out_of_range")
    v.check(offset is None or 0 <= offset <= MAX_OFFSET, ("offset",), f"the offset is 0 to {MAX_OFFSET}",
            "out_of_range")
    v.check(offset is None or after is None, ("offset",), "give an offset or a cursor, not both", "invalid")
    v.check(sort.field in SORTS, ("orderBy", "field"), f"sort by one of {', '.join(SORTS)}", "invalid")
    v.check(not (f.created_from and f.created_to and f.created_from > f.created_to), ("filter", "createdTo"),
            "the end is before the start", "invalid_range")
    v.check(f.text is None or len(f.text) <= 100, ("filter", "text"), "at most 100 characters", "too_long")
    v.check(f.due in (None, "overdue", "due_soon"), ("filter", "due"), "overdue or due_soon", "invalid")
    v.raise_if_any()


def _repo_filter(f: Filter, now: dt.datetime) -> repo.Filter:
    text_ = (f.text or "").strip() or None
    phone = pii.normalise(text_) if text_ else None
    due_after, due_before = {"overdue": (None, now), "due_soon": (now, now + DUE_SOON)}.get(f.due or "",
                                                                                         (None, None))
    return repo.Filter(
        request_type=f.request_type, response_level=f.response_level, category_code=f.category_code,
        state=f.state, supervised=f.supervised, channel=f.channel, division_code=f.division_code,
        created_from=_local_midnight(f.created_from) if f.created_from else None,
        created_before=_local_midnight(f.created_to + dt.timedelta(days=1)) if f.created_to else None,
        text=text_, phone_hash=pii.lookup_hash(phone) if phone else None,
        due_after=due_after, due_before=due_before)


async def page(session: AsyncSession, acting: Acting, queue: Queue, first: int, after: str | None,
               filters: Filter, sort: Sort = Sort(), offset: int | None = None) -> Page:
    who = await access.viewer(session, acting)
    if not who.roles & QUEUE_ROLES[queue]:
        raise forbidden(f"the {queue} queue is not for your roles")
    _check(first, offset, after, sort, filters)
    units = sorted(who.unit_ids) if who.unit_ids is not None else None
    now = utcnow()
    view = repo.QueueView(user_id=acting.subject.user_id, unit_ids=units,
                          unit_view=not who.tenant_wide or queue in (Queue.TO_SIGN, Queue.IN_PROGRESS),
                          today_start=_local_midnight(local_day(now)))
    next_due = repo.next_due_at(acting.scope, acting.tenant_id, units if view.unit_view else None)
    where = (repo.queue_conditions(acting.scope, acting.tenant_id, queue, view)
             + repo.filter_conditions(_repo_filter(filters, now), next_due))
    after_id, skip = _position(after, offset, sort)
    query = repo.QueueQuery(where=where, sort=repo.QueueSort(sort.field, sort.descending, next_due),
                            after=after_id, offset=skip, limit=first)
    total, rows = await repo.queue_page(session, acting.scope, acting.tenant_id, query)
    # Oldest-first lists keep keyset cursors (stable while orders arrive); the others count positions.
    start = None if after_id is not None or (sort.field == "created_at" and skip == 0) else skip
    return Page(orders=rows[:first], has_next=len(rows) > first, total=total, start=start)


def _position(after: str | None, offset: int | None, sort: Sort) -> tuple[uuid.UUID | None, int]:
    """Where the page starts: after an order (keyset) or after a number of orders."""
    if after is None:
        return None, offset or 0
    position = _parse_cursor(after)
    if isinstance(position, int):
        return None, position
    if sort.field != "created_at":
        raise DomainError.one(("after",), "this cursor belongs to another sort order", "invalid_cursor")
    return position, 0
