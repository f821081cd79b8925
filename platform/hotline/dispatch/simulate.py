"""Simulation: run a tenant's draft against its past orders and compare with the published configuration.

For each order (the last N, or those received in a date range) both configurations decide as they would
at intake (same facts: the refined category, the caller flags and the calendar recorded at intake when
there is a decision, otherwise recomputed); the result lists the orders whose lead units change, with the
rule or entry that decides each side.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hotline.dispatch import decide, service
from hotline.dispatch import repository as repo
from hotline.dispatch.engine import Decision
from hotline.dispatch.rules import Facts
from hotline.kernel import calendar as kc
from hotline.kernel.acting import Acting
from hotline.kernel.errors import Validator
from hotline.tenancy.models import Unit
from hotline.workorders.models import WorkOrder

MAX_ORDERS = 5000


@dataclass(frozen=True)
class Side:
    units: tuple[str, ...]
    decided_by: str | None  # "rule gas-leak of 320000" / "entry 0102@320102 of 320100" / None
    review: bool
    level: int | None


@dataclass(frozen=True)
class Change:
    order: WorkOrder
    published: Side
    draft: Side
    reason: str


@dataclass
class Result:
    tenant_code: str
    orders: int = 0
    changed: list[Change] = field(default_factory=list)
    level_changed: int = 0
    review_changed: int = 0


def _side(eff: service.Effective, decision: Decision, units: list[Unit], division: str | None) -> Side:
    leads, _ = decide._resolve(decision.leads, units, division)
    by = None
    if decision.matched is not None:
        label = eff.labels.get(decision.matched.item.tenant_id)
        by = f"{decision.matched_kind} {decision.matched.item.key} of {label.code if label else '?'}"
    return Side(tuple(u.code for u, _ in leads), by, decision.review, decision.level)


async def simulate(session: AsyncSession, acting: Acting, tenant_code: str | None, *, last: int | None,
                   since: dt.date | None, until: dt.date | None) -> Result:
    tenant = await service.admin_tenant(session, acting, tenant_code)
    v = Validator()
    if since is None and until is None:
        v.check(last is not None and 1 <= last <= MAX_ORDERS, ("last",), f"1 to {MAX_ORDERS} orders",
                "out_of_range")
    if since is not None and until is not None:
        v.check(since <= until, ("until",), "the range ends before it starts", "invalid_range")
    v.raise_if_any()
    published = await service.effective(session, acting.scope, tenant)
    draft = await service.effective(session, acting.scope, tenant, draft=True)
    start = dt.datetime.combine(since, dt.time(), decide.LOCAL) if since else None
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), decide.LOCAL) if until else None
    orders = await repo.recent_orders(session, acting.scope, tenant.tenant_id, last=min(last or MAX_ORDERS,
                                                                                         MAX_ORDERS),
                                      since=start, until=end)
    decisions = {d.order_id: d for d in await repo.decisions_of(session, acting.scope, tenant.tenant_id,
                                                                 [o.id for o in orders])}
    units = await repo.units_of(session, acting.scope, tenant.tenant_id)
    calendar = await kc.calendar_for(session, acting.scope, tenant.tenant_id)
    result = Result(tenant.code, orders=len(orders))
    for order in orders:
        recorded: dict[str, Any] = decisions[order.id].trace.get("facts", {}) if order.id in decisions else {}
        text = f"{order.title} {order.content}".lower()
        holiday = bool(recorded["holiday"]) if "holiday" in recorded else not calendar.day(
            order.created_at.astimezone(decide.LOCAL).date()).working
        base = decide.facts_of(order, order.category_code, holiday=holiday, repeat=bool(recorded.get("repeat")))
        level = int(recorded.get("level") or order.response_level)
        before_facts = Facts(**{**base.__dict__, "category": published.engine.refine(order.category_code, text),
                                "level": level})
        after_facts = Facts(**{**base.__dict__, "category": draft.engine.refine(order.category_code, text),
                               "level": level})
        before_decision = published.engine.decide(before_facts)
        after_decision = draft.engine.decide(after_facts)
        before = _side(published, before_decision, units, order.division_code)
        after = _side(draft, after_decision, units, order.division_code)
        if before.level != after.level:
            result.level_changed += 1
        if before.review != after.review:
            result.review_changed += 1
        if before.units != after.units:
            result.changed.append(Change(order, before, after, _why(before, after)))
    return result


def _why(before: Side, after: Side) -> str:
    if before.decided_by == after.decided_by:
        return f"{after.decided_by} now names other units"
    if after.decided_by is None:
        return f"{before.decided_by} no longer applies; nothing in the draft decides the units"
    if before.decided_by is None:
        return f"{after.decided_by} now decides the units"
    return f"{after.decided_by} now decides the units instead of {before.decided_by}"
