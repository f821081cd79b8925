"""Dispatch at intake, its record on the order, and its explanation.

At intake the tenant's published configuration runs (its ancestors' published versions merged with its
own); a confident result — lead units found by a rule or a catalogue entry, no review asked — is
dispatched at once through the work-order dispatch service by the system actor `dispatch_rules`. When
neither rules nor catalogue name a lead unit (and no rule asks for review), the classifier dispatches to
its top unit if the tenant set a threshold (`dispatch_settings`) and the unit is at least that probable.
Otherwise the order waits for a dispatcher with ranked suggestions (rules and entries asking for review,
other covering catalogue entries, the classifier's top units). The decision records the version of every
tenant of the chain, so the explanation replays exactly what was in force.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from hotline.dispatch import classifier, service
from hotline.dispatch import repository as repo
from hotline.dispatch.engine import Decision, Target
from hotline.dispatch.models import DispatchDecision, ItemKind, Outcome
from hotline.dispatch.rules import Facts
from hotline.kernel import calendar as kc
from hotline.kernel import config_cache
from hotline.kernel.acting import Acting
from hotline.kernel.context import Actor, Subject
from hotline.kernel.errors import not_found
from hotline.kernel.ids import new_id
from hotline.kernel.scope import TenantScope, apply_scope
from hotline.tenancy.models import Tenant, Unit, UnitKind
from hotline.workorders import access, deadlines, handling, workflow
from hotline.workorders.models import WorkOrder

LOCAL = ZoneInfo("Asia/Shanghai")
ACTOR = Actor.system("dispatch_rules")
STREET_KINDS = (UnitKind.STREET, UnitKind.TOWNSHIP)
EXPLAIN_ROLES = (*service.READERS,)


@dataclass(frozen=True)
class RulesActing(Acting):
    """The acting subject of a dispatch made by the rules: the system actor, the order's tenant only."""

    by: Actor = ACTOR

    @property
    def actor(self) -> Actor:
        return self.by


def facts_of(order: WorkOrder, category: str, *, holiday: bool, repeat: bool) -> Facts:
    local = order.created_at.astimezone(LOCAL)
    return Facts(category=category, request_type=order.request_type, channel=order.channel,
                 division=order.division_code or "", text=f"{order.title} {order.content}".lower(),
                 minute=local.hour * 60 + local.minute, weekday=local.isoweekday(), holiday=holiday,
                 repeat=repeat, enterprise=bool(order.enterprise_name or order.enterprise_credit_code),
                 confidential=bool(order.confidential), level=order.response_level)


def facts_snapshot(f: Facts) -> dict[str, Any]:
    return {"category": f.category, "division": f.division, "minute": f.minute, "weekday": f.weekday,
            "holiday": f.holiday, "repeat": f.repeat, "enterprise": f.enterprise, "confidential": f.confidential,
            "level": f.level}


async def _ensure_ancestors(session: AsyncSession, tenant: Tenant) -> TenantScope:
    """A scope that reads the tenant's ancestors' configuration (the public intake path starts without)."""
    ids, ancestors, alliances = await repo.scope_settings(session)
    wanted = tuple(tenant.ancestors)
    if not set(wanted) <= set(ancestors):
        merged = tuple(dict.fromkeys((*wanted, *ancestors)))
        await apply_scope(session, TenantScope(tenant.tenant_id, frozenset(ids), merged, frozenset(alliances)))
    return TenantScope(tenant.tenant_id, frozenset({tenant.tenant_id}), wanted)


async def published(session: AsyncSession, tenant: Tenant) -> tuple[TenantScope, service.Effective]:
    cached: service.Effective | None = config_cache.get(session, "dispatch_engine", tenant.tenant_id)
    if cached is not None and cached.chain == service.chain_of(tenant):
        return TenantScope(tenant.tenant_id, frozenset({tenant.tenant_id}), tuple(tenant.ancestors)), cached
    scope = await _ensure_ancestors(session, tenant)
    return scope, await service.effective(session, scope, tenant)


async def _holiday(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, at: dt.datetime) -> bool:
    calendar = await kc.calendar_for(session, scope, tenant_id)
    return not calendar.day(at.astimezone(LOCAL).date()).working


def _resolve(targets: Sequence[Target], units: Sequence[Unit], division: str | None
             ) -> tuple[list[tuple[Unit, str]], list[str]]:
    """Units of the order's tenant for the targets; the problems of those that cannot be resolved."""
    by_code = {u.code: u for u in units}
    found: list[tuple[Unit, str]] = []
    problems: list[str] = []
    for t in targets:
        unit: Unit | None
        if t.unit is None:
            streets = [u for u in units if u.kind in STREET_KINDS and u.active and u.division_code]
            unit = next((u for u in streets if u.division_code == division), None) if division else None
            if unit is None:
                problems.append(f"no street or township unit for the place {division or '(none)'}")
                continue
        else:
            unit = by_code.get(t.unit)
            if unit is None or not unit.active:
                problems.append(f"unit {t.unit} is not an active unit of this tenant")
                continue
        if all(u.id != unit.id for u, _ in found):
            found.append((unit, t.role))
    return found, problems


async def at_intake(session: AsyncSession, tenant: Tenant, order: WorkOrder) -> DispatchDecision | None:
    """Run the published configuration on a new order; dispatch it when the result is confident."""
    scope, eff = await published(session, tenant)
    model = await classifier.current(session, scope, tenant.tenant_id)
    if eff.empty and model is None:
        return None
    await session.flush()  # the order first: the decision's foreign key points at it
    repeat = bool(order.caller_phone_hash) and await repo.repeat_callers(
        session, scope, tenant.tenant_id, order.caller_phone_hash or "", order.id) > 0
    category = eff.engine.refine(order.category_code, f"{order.title} {order.content}".lower())
    facts = facts_of(order, category, holiday=await _holiday(session, scope, tenant.tenant_id, order.created_at),
                     repeat=repeat)
    decision = eff.engine.decide(facts)
    await _set_level_and_policy(session, scope, order, decision)
    wants_units = bool(decision.leads or decision.supports or model is not None)
    units = await repo.units_of(session, scope, tenant.tenant_id) if wants_units else []
    leads, lead_problems = _resolve(decision.leads, units, order.division_code)
    supports, support_problems = _resolve(decision.supports, units, order.division_code)
    confident = decision.confident and not lead_problems
    guess = model.suggest(f"{order.title} {order.content}") if model is not None else None
    chosen = None
    if not decision.leads and not decision.review and guess is not None and model is not None:
        chosen = await _classifier_choice(session, scope, tenant, model, guess, units)
        if chosen is not None:
            leads = [(chosen.unit, "lead")]
    dispatched = confident or chosen is not None
    suggestions = [] if dispatched else _suggestions(eff, decision, leads, facts, guess)
    row = DispatchDecision(
        tenant_id=tenant.tenant_id, id=new_id(), order_id=order.id,
        outcome=Outcome.DISPATCHED if dispatched else (Outcome.REVIEW if decision.leads else Outcome.NONE),
        versions=eff.versions, own_version=eff.own_version, matched_kind=decision.matched_kind,
        matched_key=decision.matched.item.key if decision.matched else None,
        matched_tenant=_code(eff, decision.matched.item.tenant_id) if decision.matched else None,
        category_code=category, response_level=decision.level, deadline_policy=decision.deadline_policy,
        tags=decision.tags, suggestions=suggestions,
        trace={"facts": facts_snapshot(facts), "rules_matched": decision.rules_matched, "review": decision.review,
               "problems": lead_problems + support_problems, "deadline_policy_rule": decision.deadline_policy_rule,
               "classifier": chosen.snapshot() if chosen else None,
               "leads": [u.code for u, _ in leads], "supports": [u.code for u, _ in supports]})
    session.add(row)
    if dispatched:
        source = chosen.describe() if chosen else f"{row.matched_kind} {row.matched_key} of {row.matched_tenant}"
        detail: dict[str, Any] = (
            {"by": "classifier", **chosen.snapshot()} if chosen else
            {"by": row.matched_kind, "key": row.matched_key, "tenant": row.matched_tenant, "versions": row.versions})
        await _dispatch(session, tenant, order, leads, supports, source, detail)
    return row


async def _set_level_and_policy(session: AsyncSession, scope: TenantScope, order: WorkOrder,
                                decision: Decision) -> None:
    """A response level or a named deadline policy chosen by a rule; the intake deadline follows them."""
    changed = False
    if decision.level is not None and decision.level != order.response_level:
        order.response_level, changed = decision.level, True
    if decision.deadline_policy is not None and decision.deadline_policy != order.deadline_policy:
        order.deadline_policy, changed = decision.deadline_policy, True
    if changed:
        await deadlines.at_intake(session, scope, order)


@dataclass(frozen=True)
class ClassifierChoice:
    """The classifier's own dispatch: its top lead unit, as probable as the tenant's threshold asks."""

    unit: Unit
    probability: float
    threshold: float
    version: str

    def snapshot(self) -> dict[str, Any]:
        return {"unit": self.unit.code, "probability": round(self.probability, 4), "threshold": self.threshold,
                "model_version": self.version}

    def describe(self) -> str:
        return (f"the classifier (model {self.version}): {self.unit.code} with probability "
                f"{self.probability:.2f} ≥ {self.threshold:.2f}")


async def _classifier_choice(session: AsyncSession, scope: TenantScope, tenant: Tenant, model: classifier.Trained,
                             guess: classifier.Suggestions, units: Sequence[Unit]) -> ClassifierChoice | None:
    """The classifier dispatches only when the tenant set a threshold and its top unit reaches it."""
    if not guess.units:
        return None
    settings = await repo.settings_of(session, scope, tenant.tenant_id)
    threshold = settings.classifier_threshold if settings else None
    code, probability = guess.units[0]
    if threshold is None or probability < threshold:
        return None
    unit = next((u for u in units if u.code == code and u.active), None)
    return ClassifierChoice(unit, probability, threshold, model.version) if unit is not None else None


def _code(eff: service.Effective, tenant_id: uuid.UUID) -> str | None:
    label = eff.labels.get(tenant_id)
    return label.code if label else None


async def _dispatch(session: AsyncSession, tenant: Tenant, order: WorkOrder, leads: list[tuple[Unit, str]],
                    supports: list[tuple[Unit, str]], source: str, detail: dict[str, Any]) -> None:
    subject = Subject(user_id=uuid.UUID(int=0), home_tenant_id=tenant.tenant_id, login=ACTOR.label,
                      display_name=ACTOR.label)
    acting = RulesActing(subject, TenantScope(tenant.tenant_id, frozenset({tenant.tenant_id}),
                                              tuple(tenant.ancestors)))
    plan = handling.DispatchPlan([u.code for u, _ in leads], [u.code for u, _ in supports],
                                 note=f"dispatched by {source}")
    workflow.step(session, acting.actor, workflow.ORDER_MOVES["dispatch"], order, note=plan.note,
                  detail={"lead": list(plan.lead_unit_codes), "support": list(plan.support_unit_codes), **detail})
    await handling.send(session, acting, order, plan, [u for u, _ in leads], [u for u, _ in supports])


def _suggestions(eff: service.Effective, decision: Decision, leads: list[tuple[Unit, str]], facts: Facts,
                 guess: classifier.Suggestions | None) -> list[dict[str, Any]]:
    """Ranked units for the dispatcher: the configuration's own choice first, then other covering
    catalogue entries (most specific first), then the classifier's top units."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()

    def add(code: str | None, score: float, source: str, why: str) -> None:
        if code and code not in seen:
            seen.add(code)
            out.append({"unit": code, "score": round(score, 4), "source": source, "reason": why})

    if decision.matched is not None:
        for unit, _role in leads:
            add(unit.code, 1.0, f"{decision.matched_kind}:{decision.matched.item.key}",
                "the configuration chose it but asks for a dispatcher's review" if decision.review
                else "the configuration chose it")
    for entry in eff.engine.entries:
        if entry.covers(facts) and entry.eff is not decision.matched:
            for t in entry.targets:
                if t.unit is not None and t.role != "supporting":
                    add(t.unit, 0.8, f"entry:{entry.eff.item.key}", "a catalogue entry covering the order")
    for code, p in guess.units if guess is not None else ():
        add(code, p, "classifier", "learnt from the tenant's closed orders")
    return out[:8]


# --- explanation -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Explanation:
    order: WorkOrder
    decision: DispatchDecision | None
    effective: service.Effective | None
    trace: dict[str, Any]


async def explain(session: AsyncSession, acting: Acting, order_id: uuid.UUID) -> Explanation:
    """Which rule or catalogue entry of which version dispatched the order, and why the others did not."""
    who = await access.viewer(session, acting)
    if not who.tenant_wide:
        raise not_found(("orderId",), "work order")
    order = await access.visible_order(session, who, order_id, ("orderId",), for_update=False)
    tenant = await service.readable_tenant(session, acting, None)
    row = await repo.decision_of(session, acting.scope, order.tenant_id, order.id)
    if row is None:
        return Explanation(order, None, None, {"rules": [], "entries": []})
    eff = await service.effective_at(session, acting.scope, tenant, row.versions)
    f = row.trace.get("facts", {})
    facts = facts_of(order, row.category_code or order.category_code, holiday=bool(f.get("holiday")),
                     repeat=bool(f.get("repeat")))
    facts = replace(facts, level=int(f.get("level") or order.response_level), minute=int(f.get("minute", 0)),
                    weekday=int(f.get("weekday", facts.weekday)))
    return Explanation(order, row, eff, eff.engine.explain(facts))


KIND_LABEL = {ItemKind.RULE: "rule", ItemKind.ENTRY: "catalogue entry"}
