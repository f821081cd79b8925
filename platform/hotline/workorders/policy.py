"""Deadline policies: how long a unit has to sign for, contact the citizen, reply, … per tenant.

A rule belongs to a tenant and applies to its subtree. Its key is (response level, request type,
category code); each part may be left empty, meaning "any". Category codes nest by prefix, as the
national taxonomy's do (01 城乡建设 ⊃ 0101 安全生产 ⊃ 010101 事故处理): a rule for 01 applies to orders
filed under 0101 and 010101 too. It sets some of the limits
(`LimitKind`), each to a duration (amount + `DurationUnit`) or to *disabled* (e.g. no callback for
praise); limits it does not mention fall through to other rules.

Which rule decides a limit for an order of (level, type, category) in tenant T:

1. a *mandatory* rule of a strict ancestor of T (set by a province admin) that matches and sets the
   limit: the one nearest the root wins; descendants cannot override it;
2. otherwise the most specific matching rule that sets the limit: the longest matching category code
   first, then a request type, then a response level ("0101" beats "01", any category beats
   "complaint", "complaint" beats "level 1", "level 1 complaint" beats both);
3. among equally specific rules, the nearest tenant's: T's own, then its parent's, … then the
   built-in defaults below, which play the part of an ancestor above every root.

So a tenant overrides an inherited rule by setting a rule with the same key.

Named policies: a rule may carry a policy name (e.g. `fast_track`); it then applies only to orders that
a dispatch rule put under that policy (action `deadline_policy`, `work_orders.deadline_policy`), and is
more specific than any rule without a name. Limits the named rules do not set fall through to the
ordinary rules, so a named policy states only what differs. The names a tenant can choose are those of
its own and its ancestors' rules. The API shows every
effective limit with the tenant (or built-in default) it comes from.

Built-in defaults (the figures of DOMAIN.md; every one can be overridden per tenant). Response level 1
is the most urgent (一级响应):

| rule          | sign for | first contact | reply | callback | progress notice | return window | extension max |
|---------------|----------|---------------|-------|----------|-----------------|---------------|---------------|
| any order     | 4 WH     | 1 WD          | 5 WD  | 3 WD     | 5 WD            | 2 WD          | 10 WD         |
| level 1 紧急  | 1 h      | 2 h           | 24 h  | 1 WD     | –               | 1 h           | 2 WD          |
| level 2 加急  | 2 WH     | 4 WH          | 2 WD  | 2 WD     | –               | 4 WH          | 5 WD          |
| level 4 缓办  | 1 WD     | 2 WD          | –     | –        | –               | –             | –             |
| praise 表扬   | –        | –             | –     | disabled | disabled        | –             | –             |

(WD working days, WH working hours, h natural hours; "–": not set by that rule, level 3 uses
"any order".) Shandong (2020): 2 working days
to return a misrouted order, 5 working days to handle, at most 10 more by extension; J city: the
caller hears the result or the progress within 5 working days of intake. Return window and extension
maximum are never disabled (0 means "none allowed").
"""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, DateTime, SmallInteger, String, UniqueConstraint, func, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from hotline.calendars import inheritance
from hotline.calendars.inheritance import Chain
from hotline.kernel import audit, config_cache
from hotline.kernel.acting import Acting
from hotline.kernel.calendar import Duration, DurationUnit
from hotline.kernel.context import Role
from hotline.kernel.errors import Validator, forbidden, not_found
from hotline.kernel.ids import new_id
from hotline.kernel.models import Base, TenantRow, utcnow
from hotline.kernel.scope import TenantScope
from hotline.tenancy.service import tenant_in_scope

ADMINS = (Role.TENANT_ADMIN, Role.PROVINCE_ADMIN)
RESPONSE_LEVELS = range(1, 5)
# The request types of DOMAIN.md (咨询 求助 投诉 举报 建议 表扬), as work orders store them.
REQUEST_TYPES = ("consultation", "help", "complaint", "report", "suggestion", "praise")
POLICY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
CATEGORY_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$")
# Generous upper bounds that catch typing mistakes (500 working days is two years).
MAX_AMOUNT = {DurationUnit.WORKING_DAYS: 500, DurationUnit.WORKING_HOURS: 4000, DurationUnit.NATURAL_HOURS: 8760}


class LimitKind(StrEnum):
    SIGN_FOR = "sign_for"  # 签收
    FIRST_CONTACT = "first_contact"  # 首次联系市民
    REPLY = "reply"  # 办结反馈
    CALLBACK = "callback"  # 回访 (after the reply is accepted)
    PROGRESS_NOTICE = "progress_notice"  # 告知进度 (J city: 5 working days of intake)
    RETURN_WINDOW = "return_window"  # 回退: how long a unit may return a misrouted order
    EXTENSION_MAX = "extension_max"  # 延期: the most an extension may add


ALWAYS_SET = frozenset({LimitKind.RETURN_WINDOW, LimitKind.EXTENSION_MAX})


@dataclass(frozen=True)
class Limits:
    """The effective limits for one order; None: no such deadline (disabled)."""

    sign_for: Duration | None
    first_contact: Duration | None
    reply: Duration | None
    callback: Duration | None
    progress_notice: Duration | None
    return_window: Duration
    extension_max: Duration


# --- the table -----------------------------------------------------------------------------------


class DeadlineRule(TenantRow, Base):
    """One rule of a tenant's deadline policy (see the module docstring)."""

    __tablename__ = "deadline_rules"
    __table_args__ = (
        UniqueConstraint("tenant_id", "policy", "response_level", "request_type", "category_code",
                         name="uq_deadline_rules_key", postgresql_nulls_not_distinct=True),
    )

    policy: Mapped[str | None] = mapped_column(String(40))  # a named policy; None: every order
    response_level: Mapped[int | None] = mapped_column(SmallInteger)
    request_type: Mapped[str | None] = mapped_column(String(20))
    category_code: Mapped[str | None] = mapped_column(String(40))
    # {"reply": {"amount": 5, "unit": "working_days"}, "callback": null (disabled), …}; absent: not set.
    limits: Mapped[dict[str, Any]] = mapped_column(JSONB)
    mandatory: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    server_default=func.now())


# --- rules in memory -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """A rule from a tenant row or from the built-in defaults (tenant_id None)."""

    tenant_id: uuid.UUID | None
    id: uuid.UUID | None
    response_level: int | None
    request_type: str | None
    category_code: str | None
    limits: Mapping[LimitKind, Duration | None]
    mandatory: bool = False
    policy: str | None = None

    @property
    def specificity(self) -> tuple[int, int, int, int]:
        """Compared as a tuple: a policy name, the category's length, then a request type, then a level."""
        return (int(self.policy is not None), len(self.category_code or ""), int(self.request_type is not None),
                int(self.response_level is not None))

    def matches(self, level: int, request_type: str, category_code: str | None, policy: str | None = None) -> bool:
        return ((self.policy is None or self.policy == policy)
                and (self.response_level is None or self.response_level == level)
                and (self.request_type is None or self.request_type == request_type)
                and _within(category_code, self.category_code))

    def covers(self, other: Rule) -> bool:
        """Every order `other` matches, this rule matches too."""
        return ((self.policy is None or self.policy == other.policy)
                and (self.response_level is None or self.response_level == other.response_level)
                and (self.request_type is None or self.request_type == other.request_type)
                and _within(other.category_code, self.category_code))

    @classmethod
    def of(cls, row: DeadlineRule) -> Rule:
        return cls(row.tenant_id, row.id, row.response_level, row.request_type, row.category_code,
                   decode_limits(row.limits), row.mandatory, row.policy)


def _within(category_code: str | None, rule_code: str | None) -> bool:
    """Whether an order's category falls under a rule's (None: the rule is for any category)."""
    return rule_code is None or (category_code is not None and category_code.startswith(rule_code))


def _descending(key: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(-k for k in key)


def decode_limits(stored: Mapping[str, Any]) -> dict[LimitKind, Duration | None]:
    out: dict[LimitKind, Duration | None] = {}
    for key, value in stored.items():
        out[LimitKind(key)] = None if value is None else (float(value["amount"]), DurationUnit(value["unit"]))
    return out


def encode_limits(limits: Mapping[LimitKind, Duration | None]) -> dict[str, Any]:
    return {str(k): None if v is None else {"amount": _number(v[0]), "unit": str(v[1])}
            for k, v in sorted(limits.items())}


def _number(amount: float) -> float | int:
    return int(amount) if amount == int(amount) else amount


WD, WH, NH = DurationUnit.WORKING_DAYS, DurationUnit.WORKING_HOURS, DurationUnit.NATURAL_HOURS
K = LimitKind
BUILT_IN: tuple[Rule, ...] = (
    Rule(None, None, None, None, None, {
        K.SIGN_FOR: (4, WH), K.FIRST_CONTACT: (1, WD), K.REPLY: (5, WD), K.CALLBACK: (3, WD),
        K.PROGRESS_NOTICE: (5, WD), K.RETURN_WINDOW: (2, WD), K.EXTENSION_MAX: (10, WD)}),
    Rule(None, None, 1, None, None, {
        K.SIGN_FOR: (1, NH), K.FIRST_CONTACT: (2, NH), K.REPLY: (24, NH), K.CALLBACK: (1, WD),
        K.RETURN_WINDOW: (1, NH), K.EXTENSION_MAX: (2, WD)}),
    Rule(None, None, 2, None, None, {
        K.SIGN_FOR: (2, WH), K.FIRST_CONTACT: (4, WH), K.REPLY: (2, WD), K.CALLBACK: (2, WD),
        K.RETURN_WINDOW: (4, WH), K.EXTENSION_MAX: (5, WD)}),
    Rule(None, None, 4, None, None, {K.SIGN_FOR: (1, WD), K.FIRST_CONTACT: (2, WD)}),
    Rule(None, None, None, "praise", None, {K.CALLBACK: None, K.PROGRESS_NOTICE: None}),
)


@dataclass(frozen=True)
class Effective:
    """One effective limit and the rule it comes from."""

    kind: LimitKind
    duration: Duration | None
    rule: Rule


@dataclass(frozen=True)
class Policy:
    """A tenant's rules and its ancestors' (nearest first), plus the built-in defaults."""

    chain: Chain
    rules: tuple[Rule, ...]

    def _rank(self, rule: Rule) -> tuple[tuple[int, ...], int]:
        return _descending(rule.specificity), self.chain.depth(rule.tenant_id)

    @property
    def names(self) -> frozenset[str]:
        """The named policies a dispatch rule of this tenant may choose (its own and its ancestors')."""
        return frozenset(r.policy for r in self.rules if r.policy is not None)

    def resolve(self, level: int, request_type: str, category_code: str | None,
                policy: str | None = None) -> dict[LimitKind, Effective]:
        matching = [r for r in self.rules if r.matches(level, request_type, category_code, policy)]
        own = self.chain.tenant.tenant_id
        out: dict[LimitKind, Effective] = {}
        for kind in LimitKind:
            setting = [r for r in matching if kind in r.limits]
            locked = [r for r in setting if r.mandatory and r.tenant_id not in (None, own)]
            if locked:
                rule = min(locked, key=lambda r: (-self.chain.depth(r.tenant_id), _descending(r.specificity)))
            else:
                rule = min(setting, key=self._rank)
            out[kind] = Effective(kind, rule.limits[kind], rule)
        return out

    def limits(self, level: int, request_type: str, category_code: str | None, policy: str | None = None) -> Limits:
        e = self.resolve(level, request_type, category_code, policy)
        return_window, extension_max = e[K.RETURN_WINDOW].duration, e[K.EXTENSION_MAX].duration
        assert return_window is not None and extension_max is not None  # never disabled (validated)
        return Limits(sign_for=e[K.SIGN_FOR].duration, first_contact=e[K.FIRST_CONTACT].duration,
                      reply=e[K.REPLY].duration, callback=e[K.CALLBACK].duration,
                      progress_notice=e[K.PROGRESS_NOTICE].duration, return_window=return_window,
                      extension_max=extension_max)

    def locks_on(self, candidate: Rule) -> dict[LimitKind, Rule]:
        """Limits of `candidate` that a mandatory rule of a strict ancestor already decides."""
        own = self.chain.tenant.tenant_id
        out: dict[LimitKind, Rule] = {}
        for rule in self.rules:
            if rule.mandatory and rule.tenant_id not in (None, own) and rule.covers(candidate):
                for kind in candidate.limits:
                    if kind in rule.limits:
                        out.setdefault(kind, rule)
        return out


# --- repository ----------------------------------------------------------------------------------


async def rules_of(session: AsyncSession, scope: TenantScope, tenant_ids: Sequence[uuid.UUID]) -> list[DeadlineRule]:
    query = select(DeadlineRule).where(scope.visible(DeadlineRule), DeadlineRule.tenant_id.in_(sorted(tenant_ids)))
    return list((await session.scalars(query)).all())


async def system_rules_of(session: AsyncSession, tenant_ids: Sequence[uuid.UUID]) -> list[DeadlineRule]:
    """Rules of ancestors outside the caller's scope (read only; see `calendars.inheritance`)."""
    query = select(DeadlineRule).where(DeadlineRule.tenant_id.in_(sorted(tenant_ids)))
    return list((await session.scalars(query)).all())


async def rule_by_key(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, level: int | None,
                      request_type: str | None, category_code: str | None, policy: str | None = None
                      ) -> DeadlineRule | None:
    query = select(DeadlineRule).where(
        scope.visible(DeadlineRule), DeadlineRule.tenant_id == tenant_id,
        DeadlineRule.policy.is_(None) if policy is None else DeadlineRule.policy == policy,
        DeadlineRule.response_level.is_(None) if level is None else DeadlineRule.response_level == level,
        DeadlineRule.request_type.is_(None) if request_type is None else DeadlineRule.request_type == request_type,
        DeadlineRule.category_code.is_(None) if category_code is None
        else DeadlineRule.category_code == category_code)
    return (await session.scalars(query)).one_or_none()


async def rule_by_id(session: AsyncSession, scope: TenantScope, rule_id: uuid.UUID) -> DeadlineRule | None:
    query = select(DeadlineRule).where(scope.visible(DeadlineRule), DeadlineRule.id == rule_id)
    return (await session.scalars(query)).one_or_none()


# --- service -------------------------------------------------------------------------------------

_CACHE_KEY = "hotline.deadline_policy"


async def policy_for(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, *,
                     with_labels: bool = False) -> Policy:
    """The tenant's rules merged with its ancestors' and the built-ins; cached per session."""
    cache: dict[uuid.UUID, Policy] = session.info.setdefault(_CACHE_KEY, {})
    found = cache.get(tenant_id)
    if found is None and not with_labels and scope.contains(tenant_id):
        found = config_cache.get(session, "deadline_policy", tenant_id)
    if found is None or (with_labels and not found.chain.labels):
        chain = await inheritance.chain_of(session, scope, tenant_id, with_labels=with_labels)
        rows = [row for part in await inheritance.load(session, scope, chain, rules_of, system_rules_of)
                for row in part]
        found = cache[tenant_id] = Policy(chain, (*(Rule.of(r) for r in rows), *BUILT_IN))
        if not with_labels:
            config_cache.put(session, "deadline_policy", tenant_id, found)
    return found


def _forget(session: AsyncSession) -> None:
    session.info.pop(_CACHE_KEY, None)


def _check_order_key(level: int, request_type: str, category_code: str | None) -> None:
    v = Validator()
    v.check(level in RESPONSE_LEVELS, ("responseLevel",), "a response level from 1 to 4", "out_of_range")
    v.check(request_type in REQUEST_TYPES, ("requestType",), f"one of {', '.join(REQUEST_TYPES)}",
            "unknown_request_type")
    if category_code is not None:
        v.check(bool(CATEGORY_RE.match(category_code)), ("categoryCode",), "not a category code", "invalid_format")
    v.raise_if_any()


async def limits_for(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, response_level: int,
                     request_type: str, category_code: str | None, policy: str | None = None) -> Limits:
    """The limits that apply to an order of the tenant (see the module docstring for the order).

    Raises `DomainError` with field paths for a bad level, request type or category code, and
    not_found when the tenant is outside the scope.
    """
    _check_order_key(response_level, request_type, category_code)
    found = await policy_for(session, scope, tenant_id)
    return found.limits(response_level, request_type, category_code, policy)


async def explain_limits(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, response_level: int,
                         request_type: str, category_code: str | None, policy: str | None = None
                         ) -> tuple[Policy, list[Effective]]:
    """Every effective limit with the rule (and so the tenant) it comes from, for admins."""
    _check_order_key(response_level, request_type, category_code)
    found = await policy_for(session, scope, tenant_id, with_labels=True)
    return found, list(found.resolve(response_level, request_type, category_code, policy).values())


@dataclass(frozen=True)
class RuleInput:
    response_level: int | None
    request_type: str | None
    category_code: str | None
    limits: Sequence[tuple[LimitKind, float | None, DurationUnit | None]]  # (kind, amount, unit); None: disabled
    mandatory: bool = False
    policy: str | None = None  # a named policy that dispatch rules choose; None: every order


def rule_snapshot(row: DeadlineRule) -> dict[str, object]:
    return {"policy": row.policy, "response_level": row.response_level, "request_type": row.request_type,
            "category_code": row.category_code, "limits": row.limits, "mandatory": row.mandatory}


def _check_rule(v: Validator, data: RuleInput) -> dict[LimitKind, Duration | None]:
    if data.policy is not None:
        v.check(bool(POLICY_RE.match(data.policy)), ("policy",),
                "a policy name: 1–40 lower-case letters, digits, '_' or '-'", "invalid_format")
    if data.response_level is not None:
        v.check(data.response_level in RESPONSE_LEVELS, ("responseLevel",), "a response level from 1 to 4",
                "out_of_range")
    if data.request_type is not None:
        v.check(data.request_type in REQUEST_TYPES, ("requestType",), f"one of {', '.join(REQUEST_TYPES)}",
                "unknown_request_type")
    if data.category_code is not None:
        v.check(bool(CATEGORY_RE.match(data.category_code)), ("categoryCode",),
                "1–40 letters, digits, '.', '_' or '-'", "invalid_format")
    v.check(bool(data.limits), ("limits",), "set at least one limit", "required")
    limits: dict[LimitKind, Duration | None] = {}
    seen: set[LimitKind] = set()
    for i, (kind, amount, unit) in enumerate(data.limits):
        path = ("limits", str(i))
        if not v.check(kind not in seen, (*path, "kind"), "this limit is listed twice", "duplicate"):
            continue
        seen.add(kind)
        if amount is None and unit is None:
            if v.check(kind not in ALWAYS_SET, (*path, "disabled"),
                       "the return window and the extension maximum cannot be disabled; use 0", "cannot_disable"):
                limits[kind] = None
            continue
        if not v.check(amount is not None, (*path, "amount"), "an amount is required", "required"):
            continue
        if not v.check(unit is not None, (*path, "unit"), "a unit is required", "required"):
            continue
        assert amount is not None and unit is not None
        minimum_ok = amount >= 0 if kind in ALWAYS_SET else amount > 0
        ok = v.check(math.isfinite(amount) and minimum_ok, (*path, "amount"),
                     "must be ≥ 0" if kind in ALWAYS_SET else "must be more than 0", "out_of_range")
        ok = ok and v.check(amount <= MAX_AMOUNT[unit], (*path, "amount"), f"at most {MAX_AMOUNT[unit]} {unit}",
                            "out_of_range")
        ok = ok and v.check(unit != DurationUnit.WORKING_DAYS or amount == int(amount), (*path, "amount"),
                            "working days are whole days", "not_whole")
        if ok:
            limits[kind] = (float(amount), unit)
    return limits


async def set_rule(session: AsyncSession, acting: Acting, tenant_code: str | None, data: RuleInput) -> DeadlineRule:
    """Create or replace the tenant's rule with this key (the whole set of limits is replaced)."""
    tenant = await tenant_in_scope(session, acting.scope, tenant_code)
    acting.require(tenant.tenant_id, tenant.ancestors, ADMINS)
    v = Validator()
    limits = _check_rule(v, data)
    if data.mandatory and Role.PROVINCE_ADMIN not in acting.roles_at(tenant.tenant_id, tenant.ancestors):
        v.check(False, ("mandatory",), "only a province admin makes rules mandatory", "forbidden")
    v.raise_if_any()
    policy = await policy_for(session, acting.scope, tenant.tenant_id, with_labels=True)
    candidate = Rule(tenant.tenant_id, None, data.response_level, data.request_type, data.category_code, limits,
                     policy=data.policy)
    locks = policy.locks_on(candidate)
    for i, (kind, _, _) in enumerate(data.limits):
        if kind in locks:
            owner = policy.chain.label(locks[kind].tenant_id)
            v.check(False, ("limits", str(i), "kind"),
                    f"locked by a mandatory rule of {owner.name if owner else 'an ancestor'}", "locked")
    v.raise_if_any()
    row = await rule_by_key(session, acting.scope, tenant.tenant_id, data.response_level, data.request_type,
                            data.category_code, data.policy)
    before = rule_snapshot(row) if row else None
    if row is None:
        row = DeadlineRule(tenant_id=tenant.tenant_id, id=new_id(), policy=data.policy,
                           response_level=data.response_level,
                           request_type=data.request_type, category_code=data.category_code,
                           limits=encode_limits(limits), mandatory=data.mandatory)
        session.add(row)
    else:
        row.limits, row.mandatory, row.updated_at = encode_limits(limits), data.mandatory, utcnow()
    await session.flush()
    audit.record(session, tenant.tenant_id, acting.actor, "deadline_rule.set", ("deadline_rule", row.id),
                 before=before, after=rule_snapshot(row))
    _forget(session)
    return row


async def remove_rule(session: AsyncSession, acting: Acting, rule_id: uuid.UUID) -> DeadlineRule:
    """Remove one of a tenant's rules (inherited rules and built-in defaults apply again)."""
    row = await rule_by_id(session, acting.scope, rule_id)
    if row is None:
        raise not_found(("ruleId",), "deadline rule")
    tenant = (await inheritance.chain_of(session, acting.scope, row.tenant_id, path=("ruleId",))).tenant
    acting.require(tenant.tenant_id, tenant.ancestors, ADMINS)
    if row.mandatory and Role.PROVINCE_ADMIN not in acting.roles_at(tenant.tenant_id, tenant.ancestors):
        raise forbidden("only a province admin removes a mandatory rule")
    await session.delete(row)
    audit.record(session, row.tenant_id, acting.actor, "deadline_rule.removed", ("deadline_rule", row.id),
                 before=rule_snapshot(row))
    _forget(session)
    return row


async def rules_view(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID,
                     include_inherited: bool) -> tuple[Policy, list[Rule]]:
    """The tenant's own rules (and its ancestors' and the built-ins when asked), nearest first."""
    policy = await policy_for(session, scope, tenant_id, with_labels=True)
    rules = [r for r in policy.rules if include_inherited or r.tenant_id == tenant_id]
    rules.sort(key=lambda r: (policy.chain.depth(r.tenant_id), r.specificity, r.policy or "", r.response_level or 0,
                              r.request_type or "", r.category_code or ""))
    return policy, rules


__all__ = ["Duration", "DurationUnit", "LimitKind", "Limits", "explain_limits", "limits_for"]


config_cache.watch(DeadlineRule)
