"""GraphQL of the deadline policy: rules with the tenant they come from, effective limits, changes."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry

from hotline.api.context import Info
from hotline.api.errors import ValidationErrors, attempt
from hotline.api.permissions import SignedIn
from hotline.calendars.inheritance import Chain
from hotline.calendars.types import DurationUnit, SourceTenant
from hotline.kernel.acting import Acting
from hotline.kernel.calendar import Duration
from hotline.kernel.calendar import DurationUnit as UnitValue
from hotline.kernel.errors import DomainError
from hotline.tenancy.service import tenant_in_scope
from hotline.workorders import policy as policies
from hotline.workorders.policy import LimitKind as LimitKindValue

PolicyLimitKind = strawberry.enum(LimitKindValue, name="PolicyLimitKind")


@strawberry.type(description="A limit as a rule sets it: a duration, or disabled (no such deadline).")
class RuleLimit:
    kind: PolicyLimitKind  # type: ignore[valid-type]
    amount: float | None
    unit: DurationUnit | None  # type: ignore[valid-type]
    disabled: bool

    @classmethod
    def of(cls, kind: LimitKindValue, duration: Duration | None) -> RuleLimit:
        if duration is None:
            return cls(kind=kind, amount=None, unit=None, disabled=True)
        return cls(kind=kind, amount=duration[0], unit=duration[1], disabled=False)


@strawberry.type(description="A deadline rule; fromTenant is null for a built-in default.")
class DeadlineRule:
    id: uuid.UUID | None
    policy: str | None = strawberry.field(description="A named policy that dispatch rules choose; null: every order.")
    response_level: int | None
    request_type: str | None
    category_code: str | None
    mandatory: bool
    built_in: bool
    limits: list[RuleLimit]
    from_tenant: SourceTenant | None

    @classmethod
    def of(cls, rule: policies.Rule, chain: Chain) -> DeadlineRule:
        return cls(id=rule.id, policy=rule.policy, response_level=rule.response_level, request_type=rule.request_type,
                   category_code=rule.category_code, mandatory=rule.mandatory, built_in=rule.tenant_id is None,
                   limits=[RuleLimit.of(k, v) for k, v in sorted(rule.limits.items())],
                   from_tenant=SourceTenant.of(chain.label(rule.tenant_id), chain))


@strawberry.type(description="One effective limit for an order and the rule it comes from.")
class EffectiveLimit:
    kind: PolicyLimitKind  # type: ignore[valid-type]
    amount: float | None
    unit: DurationUnit | None  # type: ignore[valid-type]
    disabled: bool
    rule: DeadlineRule


@strawberry.type
class EffectiveLimits:
    response_level: int
    request_type: str
    category_code: str | None
    items: list[EffectiveLimit]


EffectiveLimitsResult = Annotated[EffectiveLimits | ValidationErrors, strawberry.union("EffectiveLimitsResult")]
DeadlineRuleResult = Annotated[DeadlineRule | ValidationErrors, strawberry.union("DeadlineRuleResult")]


@strawberry.type(description="A tenant's deadline policy: its rules, its ancestors' and the built-in defaults.")
class DeadlinePolicy:
    tenant_id: strawberry.Private[uuid.UUID]
    tenant_code: str
    request_types: list[str]

    @strawberry.field(description="Rules nearest first; includeInherited adds ancestors' rules and the built-ins.")
    async def rules(self, info: Info, include_inherited: bool = True) -> list[DeadlineRule]:
        ctx = info.context
        acting = ctx.require_acting()
        found, rules = await policies.rules_view(ctx.session, acting.scope, self.tenant_id, include_inherited)
        return [DeadlineRule.of(r, found.chain) for r in rules]

    @strawberry.field(description="The limits an order of this level, type, category (and named policy) gets, "
                                  "and where from.")
    async def limits(self, info: Info, response_level: int, request_type: str,
                     category_code: str | None = None, policy: str | None = None) -> EffectiveLimitsResult:
        ctx = info.context
        acting = ctx.require_acting()
        try:
            found, items = await policies.explain_limits(ctx.session, acting.scope, self.tenant_id, response_level,
                                                       request_type, category_code, policy)
        except DomainError as error:
            return ValidationErrors.of(error)
        out = []
        for e in items:
            limit = RuleLimit.of(e.kind, e.duration)
            out.append(EffectiveLimit(kind=e.kind, amount=limit.amount, unit=limit.unit, disabled=limit.disabled,
                                      rule=DeadlineRule.of(e.rule, found.chain)))
        return EffectiveLimits(response_level=response_level, request_type=request_type,
                               category_code=category_code, items=out)


@strawberry.type
class DeadlinePolicyQuery:
    @strawberry.field(description="A tenant's deadline policy (default: the acting tenant); null when not found.",
                      permission_classes=[SignedIn])
    async def deadline_policy(self, info: Info, tenant_code: str | None = None) -> DeadlinePolicy | None:
        ctx = info.context
        if ctx.acting is None:
            return None
        try:
            tenant = await tenant_in_scope(ctx.session, ctx.acting.scope, tenant_code)
        except DomainError:
            return None
        return DeadlinePolicy(tenant_id=tenant.tenant_id, tenant_code=tenant.code,
                              request_types=list(policies.REQUEST_TYPES))


@strawberry.input(description="A limit to set: amount and unit, or disabled: true (not for returnWindow/extensionMax).")
class RuleLimitInput:
    kind: PolicyLimitKind  # type: ignore[valid-type]
    amount: float | None = None
    unit: DurationUnit | None = None  # type: ignore[valid-type]
    disabled: bool = False


@strawberry.input(description="A rule replaces the tenant's rule with the same key (policy, level, type, category).")
class SetDeadlineRuleInput:
    limits: list[RuleLimitInput]
    response_level: int | None = None
    request_type: str | None = strawberry.field(
        default=None, description="consultation, help, complaint, report, suggestion or praise; null: any")
    category_code: str | None = None
    policy: str | None = strawberry.field(
        default=None, description="A policy name (e.g. fast_track): the rule applies only to orders a dispatch "
                                  "rule put under it; null: every order")
    mandatory: bool = strawberry.field(default=False, description="Province admins: descendants cannot override.")
    tenant_code: str | None = strawberry.field(default=None, description="Default: the acting tenant.")


def _limit(item: RuleLimitInput) -> tuple[LimitKindValue, float | None, UnitValue | None]:
    if item.disabled:
        return LimitKindValue(item.kind), None, None
    unit = UnitValue(item.unit) if item.unit is not None else None
    return LimitKindValue(item.kind), item.amount, unit


@strawberry.type
class DeadlinePolicyMutation:
    @strawberry.mutation(description="Create or replace a deadline rule of a tenant (admins).")
    async def set_deadline_rule(self, info: Info, input: SetDeadlineRuleInput) -> DeadlineRuleResult:
        s = info.context.session
        data = policies.RuleInput(
            response_level=input.response_level,
            request_type=input.request_type.strip() if input.request_type else None,
            category_code=input.category_code.strip() if input.category_code else None,
            limits=[_limit(item) for item in input.limits], mandatory=input.mandatory,
            policy=input.policy.strip() if input.policy else None)

        async def change(a: Acting) -> DeadlineRule:
            row = await policies.set_rule(s, a, input.tenant_code, data)
            found = await policies.policy_for(s, a.scope, row.tenant_id, with_labels=True)
            return DeadlineRule.of(policies.Rule.of(row), found.chain)

        return await attempt(info.context, change)

    @strawberry.mutation(description="Remove a tenant's deadline rule (inherited rules apply again).")
    async def remove_deadline_rule(self, info: Info, rule_id: uuid.UUID) -> DeadlineRuleResult:
        s = info.context.session

        async def change(a: Acting) -> DeadlineRule:
            row = await policies.remove_rule(s, a, rule_id)
            found = await policies.policy_for(s, a.scope, row.tenant_id, with_labels=True)
            return DeadlineRule.of(policies.Rule.of(row), found.chain)

        return await attempt(info.context, change)
