"""Duplicates at intake: the same caller, the same street and category, or very similar text; merge and link.

Text similarity is the share of the new text's character bigrams (two Chinese characters carry most
of a word) that occur in an older order's title and content, counted by PostgreSQL over the orders of
the tenant's duplicate window. No extension is needed (pg_trgm is not assumed).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel.acting import Acting
from hotline.kernel.context import Role
from hotline.kernel.errors import DomainError, forbidden
from hotline.kernel.ids import new_id
from hotline.kernel.models import utcnow
from hotline.workorders import access, pii, rules, workflow
from hotline.workorders import repository as repo
from hotline.workorders.models import LinkKind, OrderState, WorkOrder, WorkOrderLink

MAX_GRAMS = 200
NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def bigrams(text: str) -> list[str]:
    """The distinct character bigrams of a text, punctuation and spaces removed."""
    letters = NOISE.sub("", text)
    seen: dict[str, None] = {}
    for i in range(len(letters) - 1):
        seen.setdefault(letters[i:i + 2], None)
    return list(seen)[:MAX_GRAMS]


@dataclass(frozen=True)
class Probe:
    phone: str | None = None
    division_code: str | None = None
    category_code: str | None = None
    title: str = ""
    content: str = ""
    exclude_order_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Suggestion:
    order: WorkOrder
    same_caller: bool
    same_place: bool
    similarity: float


async def suggest(session: AsyncSession, acting: Acting, probe: Probe, limit: int = 10) -> list[Suggestion]:
    who = await access.viewer(session, acting)
    if not who.roles & {Role.AGENT, Role.DISPATCHER, Role.SUPERVISOR}:
        raise forbidden("only the hotline's staff look for duplicates")
    phone = pii.normalise(probe.phone) if probe.phone else None
    if probe.phone and phone is None:
        raise DomainError.one(("phone",), "not a valid phone number", "invalid_format")
    window = (await rules.effective(session, acting.scope, acting.tenant_id)).duplicate_window_days
    found = await repo.duplicate_candidates(session, acting.scope, acting.tenant_id, repo.DuplicateProbe(
        phone_hash=pii.lookup_hash(phone) if phone else None, division_code=probe.division_code or None,
        category_code=probe.category_code or None, grams=bigrams(f"{probe.title} {probe.content}"),
        since=utcnow() - dt.timedelta(days=window), exclude_id=probe.exclude_order_id, limit=max(1, min(limit, 50))))
    return [Suggestion(o, caller, place, round(overlap, 3)) for o, caller, place, overlap in found]


async def _pair(session: AsyncSession, acting: Acting, order_id: uuid.UUID, other_id: uuid.UUID, other_path: str
                ) -> tuple[access.Viewer, WorkOrder, WorkOrder]:
    who = await access.viewer(session, acting)
    if order_id == other_id:
        raise DomainError.one((other_path,), "an order cannot be linked to itself", "invalid_target")
    order = await access.visible_order(session, who, order_id, ("orderId",))
    other = await access.visible_order(session, who, other_id, (other_path,))
    return who, order, other


async def merge(session: AsyncSession, acting: Acting, order_id: uuid.UUID, into_id: uuid.UUID) -> WorkOrder:
    """并单: a repeated request follows its main order and is counted once; it is never deleted."""
    who, order, main = await _pair(session, acting, order_id, into_id, "intoOrderId")
    move = workflow.ORDER_MOVES["merge"]
    workflow.check(move, order.state, who.roles, "an order")
    if main.state in (OrderState.MERGED, OrderState.ARCHIVED):
        raise DomainError.one(("intoOrderId",), f"cannot merge into an order that is {main.state}", "invalid_state")
    order.merged_into_id = main.id
    order.closed_at = utcnow()
    await _link(session, order, main, LinkKind.MERGED)
    workflow.step(session, acting.actor, move, order, detail={"into": main.number})
    workflow.record_event(session, acting.actor, main, "merged_in", before=main.state, after=main.state,
                          detail={"from": order.number})
    return main


async def link(session: AsyncSession, acting: Acting, order_id: uuid.UUID, other_id: uuid.UUID) -> WorkOrder:
    """Mark two orders as related (the same problem, reported separately); both stay counted."""
    who, order, other = await _pair(session, acting, order_id, other_id, "otherOrderId")
    move = workflow.ORDER_MOVES["link"]
    workflow.check(move, order.state, who.roles, "an order")
    if await repo.link_between(session, acting.scope, order.tenant_id, order.id, other.id) is not None:
        raise DomainError.one(("otherOrderId",), "these orders are already linked", "already_exists")
    await _link(session, order, other, LinkKind.RELATED)
    workflow.record_event(session, acting.actor, order, "link", detail={"other": other.number})
    workflow.record_event(session, acting.actor, other, "link", detail={"other": order.number})
    return order


async def _link(session: AsyncSession, order: WorkOrder, other: WorkOrder, kind: LinkKind) -> None:
    session.add(WorkOrderLink(tenant_id=order.tenant_id, id=new_id(), order_id=order.id, other_id=other.id,
                              kind=kind))

