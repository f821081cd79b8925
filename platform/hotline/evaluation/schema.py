"""Queries and mutations of the evaluation domain. Every field answers `… | ValidationErrors`."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated

import strawberry

from hotline.api.context import Info
from hotline.api.errors import ValidationErrors, attempt, read
from hotline.api.permissions import SignedIn
from hotline.evaluation import definition as d
from hotline.evaluation import models, service
from hotline.evaluation.types import (
    AdjustmentKind,
    Assessment,
    AssessmentRequested,
    BuiltInIndicator,
    EffectiveEvaluationScheme,
    EvaluationAdjustment,
    EvaluationAppeal,
    EvaluationExclusion,
    EvaluationPeriodKind,
    EvaluationScheme,
    EvaluationSchemeVersion,
    Figure,
    FigureArticle,
    FigureArticles,
    FigureOrder,
    FigureOrders,
    Reproduction,
    ReproductionDifference,
    SchemeDefinition,
    UnitResult,
)
from hotline.kernel.acting import Acting
from hotline.tenancy.service import tenant_in_scope

EffectiveSchemeResult = Annotated[EffectiveEvaluationScheme | ValidationErrors,
                                  strawberry.union("EffectiveEvaluationSchemeResult")]
SchemeVersionResult = Annotated[EvaluationSchemeVersion | ValidationErrors,
                                strawberry.union("EvaluationSchemeVersionResult")]
AssessmentResult = Annotated[Assessment | ValidationErrors, strawberry.union("EvaluationAssessmentResult")]
AssessmentRequestedResult = Annotated[AssessmentRequested | ValidationErrors,
                                      strawberry.union("EvaluationAssessmentRequestedResult")]
FigureOrdersResult = Annotated[FigureOrders | ValidationErrors, strawberry.union("EvaluationFigureOrdersResult")]
FigureArticlesResult = Annotated[FigureArticles | ValidationErrors,
                                 strawberry.union("EvaluationFigureArticlesResult")]
ReproductionResult = Annotated[Reproduction | ValidationErrors, strawberry.union("EvaluationReproductionResult")]
ExclusionResult = Annotated[EvaluationExclusion | ValidationErrors, strawberry.union("EvaluationExclusionResult")]
AdjustmentResult = Annotated[EvaluationAdjustment | ValidationErrors, strawberry.union("EvaluationAdjustmentResult")]
AppealResult = Annotated[EvaluationAppeal | ValidationErrors, strawberry.union("EvaluationAppealResult")]


@strawberry.type
class EvaluationAppeals:
    items: list[EvaluationAppeal]


AppealsResult = Annotated[EvaluationAppeals | ValidationErrors, strawberry.union("EvaluationAppealsResult")]


def _assessment(v: service.AssessmentView) -> Assessment:
    a = v.assessment
    names = {i["code"]: i["name"] for i in a.definition["indicators"]}
    return Assessment(
        id=a.id, period=a.period_key, period_kind=a.period_kind, period_start=a.period_start, period_end=a.period_end,
        as_of=a.as_of, status=a.status, runs=a.runs, scheme_version=a.scheme_version,
        scheme_version_id=a.scheme_version_id, computed_at=a.computed_at, published_at=a.published_at,
        appeal_until=a.appeal_until, definition=SchemeDefinition.of(a.definition),
        hotline_figures=[] if v.limited else [Figure.of(c, p) for c, p in sorted(a.hotline_figures.items())],
        results=sorted((UnitResult.of(r, v.units.get(r.unit_id), names) for r in v.results),
                       key=lambda u: (u.peer_group, u.rank if u.rank is not None else 10**9, u.unit.code)),
        limited=v.limited)


@strawberry.type
class EvaluationQuery:
    @strawberry.field(description="The built-in indicators a scheme can weight or use in formulas.")
    def evaluation_built_in_indicators(self) -> list[BuiltInIndicator]:
        return [BuiltInIndicator(code=b.code, name=b.name, lower_is_better=b.lower_is_better, per_unit=b.per_unit,
                                 source=b.source) for b in d.BUILT_INS.values()]

    @strawberry.field(description="The scheme that applies to a tenant (default: the acting tenant).",
                      permission_classes=[SignedIn])
    async def evaluation_scheme(self, info: Info, tenant_code: str | None = None) -> EffectiveSchemeResult:
        s = info.context.session

        async def load(a: Acting) -> EffectiveEvaluationScheme:
            tenant = await tenant_in_scope(s, a.scope, tenant_code)
            eff = await service.effective(s, a.scope, tenant.tenant_id, with_labels=True)
            scheme = None if eff.scheme is None else EvaluationScheme.of(eff.scheme, eff.chain,
                                                                         eff.versions_of(eff.scheme))
            own = None if eff.own is None else EvaluationScheme.of(eff.own, eff.chain, eff.versions_of(eff.own))
            return EffectiveEvaluationScheme(tenant_code=tenant.code, scheme=scheme, own=own,
                                             locked=eff.locked_by is not None)

        return await read(info.context, load)

    @strawberry.field(description="A period's assessment (2026-10, 2026-Q4); unit handlers see their units only.",
                      permission_classes=[SignedIn])
    async def evaluation_assessment(self, info: Info, period: str, tenant_code: str | None = None
                                    ) -> AssessmentResult:
        s = info.context.session
        return await read(info.context, lambda a: _then(service.view(s, a, tenant_code, period), _assessment))

    @strawberry.field(description="The orders behind one unit's figure, and whether each counted.",
                      permission_classes=[SignedIn])
    async def evaluation_figure_orders(self, info: Info, assessment_id: uuid.UUID, unit_code: str,
                                       indicator: str) -> FigureOrdersResult:
        s = info.context.session

        async def load(a: Acting) -> FigureOrders:
            rows = await service.figure_orders(s, a, assessment_id, unit_code, indicator)
            return FigureOrders(indicator=indicator, unit_code=unit_code, orders=[FigureOrder.of(r) for r in rows])

        return await read(info.context, load)

    @strawberry.field(description="The knowledge articles behind one unit's upkeep figure (知识库维护率): each "
                                  "expiry date due in the period, whether it counted and how it ended.",
                      permission_classes=[SignedIn])
    async def evaluation_figure_articles(self, info: Info, assessment_id: uuid.UUID,
                                         unit_code: str) -> FigureArticlesResult:
        s = info.context.session

        async def load(a: Acting) -> FigureArticles:
            rows = await service.figure_articles(s, a, assessment_id, unit_code)
            return FigureArticles(unit_code=unit_code, articles=[FigureArticle.of(r) for r in rows])

        return await read(info.context, load)

    @strawberry.field(description="Recompute an assessment with its stored version and as-of moment and compare.",
                      permission_classes=[SignedIn])
    async def evaluation_reproduction(self, info: Info, assessment_id: uuid.UUID) -> ReproductionResult:
        s = info.context.session

        async def load(a: Acting) -> Reproduction:
            diffs = await service.reproduce(s, a, assessment_id)
            return Reproduction(identical=not diffs, differences=[
                ReproductionDifference(unit_id=x.unit_id, field=x.field, stored=x.stored, recomputed=x.recomputed)
                for x in diffs])

        return await read(info.context, load)

    @strawberry.field(description="Appeals of an assessment (a unit handler: its own units').",
                      permission_classes=[SignedIn])
    async def evaluation_appeals(self, info: Info, assessment_id: uuid.UUID) -> AppealsResult:
        s = info.context.session

        async def load(a: Acting) -> EvaluationAppeals:
            return EvaluationAppeals(items=[EvaluationAppeal.of(r) for r in
                                            await service.appeals(s, a, assessment_id)])

        return await read(info.context, load)


async def _then(pending: Awaitable[service.AssessmentView], fn: Callable[[service.AssessmentView], Assessment]
                ) -> Assessment:
    return fn(await pending)


@strawberry.input
class SchemeIndicatorInput:
    code: str
    name: str
    weight: float
    formula: str | None = strawberry.field(default=None, description="Over built-in codes: numbers, + - * /, "
                                           "parentheses, min(), max(). Null: the built-in with this code.")


@strawberry.input
class AdjustmentItemInput:
    code: str
    name: str
    kind: AdjustmentKind  # type: ignore[valid-type]
    points: float
    max_points: float


@strawberry.input
class PeerGroupInput:
    code: str
    name: str
    unit_kinds: list[str] = strawberry.field(default_factory=list)
    unit_codes: list[str] = strawberry.field(default_factory=list)
    total_points: float | None = None


@strawberry.input(description="Joint evaluation of a department with its industry or system (部门+行业/系统).")
class JointGroupInput:
    code: str
    name: str
    department_code: str
    member_codes: list[str]
    department_share: float = strawberry.field(default=0.5, description="Weight of the department's own total.")


@strawberry.input
class ExclusionRulesInput:
    request_types: list[str] = strawberry.field(default_factory=list)
    category_prefixes: list[str] = strawberry.field(default_factory=list)
    honour_reviewed: bool = True


@strawberry.input
class SchemeDefinitionInput:
    indicators: list[SchemeIndicatorInput]
    total_points: float = 100
    period: EvaluationPeriodKind = d.PeriodKind.MONTH  # type: ignore[valid-type]
    appeal_days: int = 5
    adjustments: list[AdjustmentItemInput] = strawberry.field(default_factory=list)
    peer_groups: list[PeerGroupInput] = strawberry.field(default_factory=list)
    exclusions: ExclusionRulesInput | None = None
    joint_groups: list[JointGroupInput] = strawberry.field(default_factory=list)


@strawberry.input(description="Creates the tenant's scheme or adds a version to it.")
class DefineEvaluationSchemeInput:
    code: str
    name: str
    definition: SchemeDefinitionInput
    effective_from: dt.date = strawberry.field(description="The first day of the first period it applies to.")
    mandatory: bool = strawberry.field(default=False, description="Province admins: binds every descendant.")
    publish: bool = False
    note: str | None = None
    tenant_code: str | None = None


def definition_of(x: SchemeDefinitionInput) -> d.Definition:
    ex = x.exclusions or ExclusionRulesInput()
    return d.Definition(
        total_points=x.total_points, period=d.PeriodKind(x.period), appeal_days=x.appeal_days,
        indicators=tuple(d.Indicator(i.code.strip(), i.name, i.weight, i.formula) for i in x.indicators),
        adjustments=tuple(d.AdjustmentItem(a.code.strip(), a.name, d.AdjustmentKind(a.kind), a.points, a.max_points)
                          for a in x.adjustments),
        peer_groups=tuple(d.PeerGroup(g.code.strip(), g.name, tuple(g.unit_kinds), tuple(g.unit_codes),
                                      g.total_points) for g in x.peer_groups),
        exclusions=d.ExclusionRules(tuple(ex.request_types), tuple(ex.category_prefixes), ex.honour_reviewed),
        joint_groups=tuple(d.JointGroup(j.code.strip(), j.name, j.department_code.strip(),
                                        tuple(c.strip() for c in j.member_codes), j.department_share)
                           for j in x.joint_groups))


@strawberry.input
class EvaluationAdjustmentInput:
    period: str
    unit_code: str
    item_code: str
    reason: str
    occurrences: int = 1
    order_id: uuid.UUID | None = None


@strawberry.input
class EvaluationAppealInput:
    assessment_id: uuid.UUID
    unit_code: str
    indicator: str
    reason: str
    order_id: uuid.UUID | None = None


@strawberry.type
class EvaluationMutation:
    @strawberry.mutation(description="Define the tenant's evaluation scheme: a new version (admins).")
    async def define_evaluation_scheme(self, info: Info, input: DefineEvaluationSchemeInput) -> SchemeVersionResult:
        s = info.context.session
        data = service.SchemeInput(code=input.code.strip(), name=input.name, definition=definition_of(input.definition),
                                   effective_from=input.effective_from, mandatory=input.mandatory,
                                   publish=input.publish, note=input.note)
        return await attempt(info.context, lambda a: _version(service.define_scheme(s, a, input.tenant_code, data)))

    @strawberry.mutation(description="Publish a draft version; published versions never change.")
    async def publish_evaluation_scheme_version(self, info: Info, version_id: uuid.UUID) -> SchemeVersionResult:
        s = info.context.session
        return await attempt(info.context, lambda a: _version(service.publish_version(s, a, version_id)))

    @strawberry.mutation(description="Queue the computation of a period's assessment (admins).")
    async def request_evaluation_assessment(self, info: Info, period: str, tenant_code: str | None = None
                                            ) -> AssessmentRequestedResult:
        s = info.context.session

        async def change(a: Acting) -> AssessmentRequested:
            tenant, p = await service.request_assessment(s, a, tenant_code, period)
            return AssessmentRequested(tenant_code=tenant.code, period=p.key)

        return await attempt(info.context, change)

    @strawberry.mutation(description="Publish an assessment: it is frozen from now on (admins).")
    async def publish_evaluation_assessment(self, info: Info, assessment_id: uuid.UUID) -> AssessmentResult:
        s = info.context.session

        async def change(a: Acting) -> Assessment:
            await service.publish_assessment(s, a, assessment_id)
            return _assessment(await service.view_by_id(s, a, assessment_id))

        return await attempt(info.context, change)

    @strawberry.mutation(description="Record the review of an order as unreasonable: excluded from evaluation.")
    async def exclude_from_evaluation(self, info: Info, order_id: uuid.UUID, reason: str) -> ExclusionResult:
        s = info.context.session
        return await attempt(info.context, lambda a: _exclusion(service.exclude_order(s, a, order_id, reason)))

    @strawberry.mutation(description="Revoke an exclusion (the order counts again from now on).")
    async def revoke_evaluation_exclusion(self, info: Info, exclusion_id: uuid.UUID, reason: str) -> ExclusionResult:
        s = info.context.session
        return await attempt(info.context, lambda a: _exclusion(service.revoke_exclusion(s, a, exclusion_id, reason)))

    @strawberry.mutation(description="Record bonus or penalty occurrences for a unit in a period (admins).")
    async def record_evaluation_adjustment(self, info: Info, input: EvaluationAdjustmentInput) -> AdjustmentResult:
        s = info.context.session
        data = service.AdjustmentInput(period=input.period, unit_code=input.unit_code, item_code=input.item_code,
                                       reason=input.reason, occurrences=input.occurrences, order_id=input.order_id)

        async def change(a: Acting) -> EvaluationAdjustment:
            return EvaluationAdjustment.of(await service.record_adjustment(s, a, data))

        return await attempt(info.context, change)

    @strawberry.mutation(description="A unit appeals against a figure within the scheme's limit.")
    async def file_evaluation_appeal(self, info: Info, input: EvaluationAppealInput) -> AppealResult:
        s = info.context.session
        data = service.AppealInput(assessment_id=input.assessment_id, unit_code=input.unit_code,
                                   indicator=input.indicator, reason=input.reason, order_id=input.order_id)
        return await attempt(info.context, lambda a: _appeal(service.file_appeal(s, a, data)))

    @strawberry.mutation(description="Accept (the named order is excluded) or reject an appeal (admins).")
    async def decide_evaluation_appeal(self, info: Info, appeal_id: uuid.UUID, accept: bool, note: str
                                       ) -> AppealResult:
        s = info.context.session
        return await attempt(info.context, lambda a: _appeal(service.decide_appeal(s, a, appeal_id, accept, note)))


async def _version(pending: Awaitable[models.EvaluationSchemeVersion]) -> EvaluationSchemeVersion:
    return EvaluationSchemeVersion.of(await pending)


async def _exclusion(pending: Awaitable[models.EvaluationExclusion]) -> EvaluationExclusion:
    return EvaluationExclusion.of(await pending)


async def _appeal(pending: Awaitable[models.EvaluationAppeal]) -> EvaluationAppeal:
    return EvaluationAppeal.of(await pending)
