"""Strawberry types of the evaluation domain."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

import strawberry

from hotline.calendars.inheritance import Chain
from hotline.calendars.types import SourceTenant
from hotline.evaluation import definition as d
from hotline.evaluation import models as m
from hotline.evaluation.repository import FigureArticle as FigureArticleRow
from hotline.evaluation.repository import FigureOrder as FigureOrderRow
from hotline.evaluation.scoring import ratio
from hotline.tenancy.models import Unit

EvaluationPeriodKind = strawberry.enum(d.PeriodKind, name="EvaluationPeriodKind")
AdjustmentKind = strawberry.enum(d.AdjustmentKind, name="AdjustmentKind")
FigureSource = strawberry.enum(d.FigureSource, name="EvaluationFigureSource")


@strawberry.type(description="A built-in indicator computed from the order history or, for the knowledge-base "
                             "upkeep rate, from the articles' versions (docs/evaluation.md).")
class BuiltInIndicator:
    code: str
    name: str
    lower_is_better: bool
    per_unit: bool = strawberry.field(description="False: a figure of the hotline itself (not weighted).")
    source: FigureSource = strawberry.field(  # type: ignore[valid-type]
        description="What is behind a figure: ORDERS (evaluationFigureOrders) or ARTICLES (evaluationFigureArticles).")


@strawberry.type(name="EvaluationSchemeIndicator")
class SchemeIndicator:
    code: str
    name: str
    weight: float
    formula: str | None = strawberry.field(description="Null: the built-in indicator with this code.")


@strawberry.type(name="EvaluationAdjustmentItem")
class AdjustmentItem:
    code: str
    name: str
    kind: AdjustmentKind  # type: ignore[valid-type]
    points: float
    max_points: float


@strawberry.type(name="EvaluationPeerGroup")
class PeerGroup:
    code: str
    name: str
    unit_kinds: list[str]
    unit_codes: list[str]
    total_points: float | None


@strawberry.type(name="EvaluationJointGroup",
                 description="A department evaluated together with its industry or system (部门+行业/系统).")
class JointGroup:
    code: str
    name: str
    department_code: str
    member_codes: list[str]
    department_share: float


@strawberry.type(name="EvaluationExclusionRules")
class ExclusionRules:
    request_types: list[str]
    category_prefixes: list[str]
    honour_reviewed: bool


@strawberry.type(name="EvaluationSchemeDefinition")
class SchemeDefinition:
    total_points: float
    period: EvaluationPeriodKind  # type: ignore[valid-type]
    appeal_days: int
    indicators: list[SchemeIndicator]
    adjustments: list[AdjustmentItem]
    peer_groups: list[PeerGroup]
    exclusions: ExclusionRules
    joint_groups: list[JointGroup]

    @classmethod
    def of(cls, data: dict[str, Any]) -> SchemeDefinition:
        x = d.Definition.decode(data)
        return cls(total_points=x.total_points, period=x.period, appeal_days=x.appeal_days,
                   indicators=[SchemeIndicator(code=i.code, name=i.name, weight=i.weight, formula=i.formula)
                               for i in x.indicators],
                   adjustments=[AdjustmentItem(code=a.code, name=a.name, kind=a.kind, points=a.points,
                                               max_points=a.max_points) for a in x.adjustments],
                   peer_groups=[PeerGroup(code=g.code, name=g.name, unit_kinds=list(g.unit_kinds),
                                          unit_codes=list(g.unit_codes), total_points=g.total_points)
                                for g in x.peer_groups],
                   exclusions=ExclusionRules(request_types=list(x.exclusions.request_types),
                                             category_prefixes=list(x.exclusions.category_prefixes),
                                             honour_reviewed=x.exclusions.honour_reviewed),
                   joint_groups=[JointGroup(code=j.code, name=j.name, department_code=j.department,
                                            member_codes=list(j.members), department_share=j.department_share)
                                 for j in x.joint_groups])


@strawberry.type
class EvaluationSchemeVersion:
    id: uuid.UUID
    version: int
    status: str
    effective_from: dt.date
    note: str | None
    created_by: str
    published_at: dt.datetime | None
    published_by: str | None
    definition: SchemeDefinition

    @classmethod
    def of(cls, row: m.EvaluationSchemeVersion) -> EvaluationSchemeVersion:
        return cls(id=row.id, version=row.version, status=row.status, effective_from=row.effective_from,
                   note=row.note, created_by=row.created_by_label, published_at=row.published_at,
                   published_by=row.published_by_label, definition=SchemeDefinition.of(row.definition))


@strawberry.type
class EvaluationScheme:
    id: uuid.UUID
    code: str
    name: str
    mandatory: bool
    from_tenant: SourceTenant | None
    versions: list[EvaluationSchemeVersion]

    @classmethod
    def of(cls, row: m.EvaluationScheme, chain: Chain, versions: list[m.EvaluationSchemeVersion]
           ) -> EvaluationScheme:
        return cls(id=row.id, code=row.code, name=row.name, mandatory=row.mandatory,
                   from_tenant=SourceTenant.of(chain.label(row.tenant_id), chain),
                   versions=[EvaluationSchemeVersion.of(v) for v in versions])


@strawberry.type(description="The scheme that applies to a tenant, and whether an ancestor imposes it.")
class EffectiveEvaluationScheme:
    tenant_code: str
    scheme: EvaluationScheme | None
    own: EvaluationScheme | None
    locked: bool = strawberry.field(description="An ancestor's mandatory scheme applies; the tenant cannot "
                                                "define its own.")


@strawberry.type(name="EvaluationFigure",
                 description="A built-in figure: numerator / denominator (value null when nothing to judge).")
class Figure:
    code: str
    name: str
    numerator: int
    denominator: int
    value: float | None

    @classmethod
    def of(cls, code: str, pair: list[int]) -> Figure:
        b = d.BUILT_INS.get(code)
        return cls(code=code, name=b.name if b else code, numerator=pair[0], denominator=pair[1],
                   value=None if (v := ratio(pair)) is None else round(v, 4))


@strawberry.type
class IndicatorScore:
    code: str
    name: str
    weight: float
    value: float | None
    points: float | None


@strawberry.type
class AssessedUnit:
    code: str
    name: str
    kind: str


@strawberry.type(name="EvaluationJointScore",
                 description="How a department's total was joined with its industry's (total = share × own + "
                             "(1 − share) × industry).")
class JointScore:
    group: str
    own_total: float
    industry_total: float
    members: int = strawberry.field(description="Member units with a total in this assessment.")
    department_share: float


@strawberry.type(name="UnitEvaluation")
class UnitResult:
    unit: AssessedUnit
    peer_group: str
    rank: int | None
    group_size: int
    base_score: float | None
    bonus: float
    penalty: float
    total: float | None
    figures: list[Figure]
    indicators: list[IndicatorScore]
    joint: JointScore | None

    @classmethod
    def of(cls, row: m.EvaluationResult, unit: Unit | None, names: dict[str, str]) -> UnitResult:
        return cls(unit=AssessedUnit(code=unit.code if unit else "?", name=unit.name if unit else "?",
                                     kind=unit.kind if unit else "?"),
                   peer_group=row.peer_group, rank=row.rank, group_size=row.group_size, base_score=row.base_score,
                   bonus=row.bonus, penalty=row.penalty, total=row.total,
                   figures=[Figure.of(c, p) for c, p in sorted(row.figures.items())],
                   indicators=[IndicatorScore(code=c, name=name, weight=row.indicators[c]["weight"],
                                              value=row.indicators[c]["value"], points=row.indicators[c]["points"])
                               for c, name in names.items() if c in row.indicators],
                   joint=JointScore(**row.joint) if row.joint else None)


@strawberry.type(name="EvaluationAssessment",
                 description="A period's assessment with the scheme version that produced it.")
class Assessment:
    id: uuid.UUID
    period: str
    period_kind: str
    period_start: dt.date
    period_end: dt.date = strawberry.field(description="Exclusive.")
    as_of: dt.datetime = strawberry.field(description="Facts recorded up to this moment count.")
    status: str
    runs: int
    scheme_version: int
    scheme_version_id: uuid.UUID
    computed_at: dt.datetime
    published_at: dt.datetime | None
    appeal_until: dt.datetime
    definition: SchemeDefinition
    hotline_figures: list[Figure]
    results: list[UnitResult]
    limited: bool = strawberry.field(description="True: only the caller's own units are shown.")


@strawberry.type(name="EvaluationFigureOrder")
class FigureOrder:
    order_id: uuid.UUID
    number: str
    title: str
    counted: bool = strawberry.field(description="False: the unit lost this one (e.g. signed for late).")

    @classmethod
    def of(cls, row: FigureOrderRow) -> FigureOrder:
        return cls(order_id=row.order_id, number=row.number, title=row.title, counted=row.counted)


@strawberry.type(name="EvaluationFigureOrders")
class FigureOrders:
    indicator: str
    unit_code: str
    orders: list[FigureOrder]


@strawberry.enum(name="EvaluationUpkeepOutcome")
class UpkeepOutcome(StrEnum):
    RENEWED = "renewed"  # by its expiry date, a version with a later (or no) expiry date was in force
    RETIRED = "retired"  # retired by its expiry date
    LATE = "late"  # put right after its expiry date (by the assessment's as-of moment)
    UNATTENDED = "unattended"  # still in force and expired at the as-of moment


@strawberry.type(name="EvaluationFigureArticle",
                 description="An article's expiry date due in the period, and whether the unit kept it current.")
class FigureArticle:
    article_id: uuid.UUID
    title: str
    due_on: dt.date = strawberry.field(description="The expiry date (last valid day) due in the period.")
    counted: bool = strawberry.field(description="True: renewed or retired by the end of its expiry date.")
    outcome: UpkeepOutcome

    @classmethod
    def of(cls, row: FigureArticleRow) -> FigureArticle:
        return cls(article_id=row.article_id, title=row.title, due_on=row.due_on, counted=row.counted,
                   outcome=UpkeepOutcome(row.outcome))


@strawberry.type(name="EvaluationFigureArticles")
class FigureArticles:
    unit_code: str
    articles: list[FigureArticle]


@strawberry.type
class EvaluationExclusion:
    id: uuid.UUID
    order_id: uuid.UUID
    reason: str
    reviewed_by: str
    reviewed_at: dt.datetime
    revoked_at: dt.datetime | None
    revoke_reason: str | None

    @classmethod
    def of(cls, row: m.EvaluationExclusion) -> EvaluationExclusion:
        return cls(id=row.id, order_id=row.order_id, reason=row.reason, reviewed_by=row.reviewed_by_label,
                   reviewed_at=row.created_at, revoked_at=row.revoked_at, revoke_reason=row.revoke_reason)


@strawberry.type
class EvaluationAdjustment:
    id: uuid.UUID
    period: str
    item_code: str
    occurrences: int
    order_id: uuid.UUID | None
    reason: str
    recorded_by: str

    @classmethod
    def of(cls, row: m.EvaluationAdjustment) -> EvaluationAdjustment:
        return cls(id=row.id, period=row.period_key, item_code=row.item_code, occurrences=row.occurrences,
                   order_id=row.order_id, reason=row.reason, recorded_by=row.recorded_by_label)


@strawberry.type
class EvaluationAppeal:
    id: uuid.UUID
    assessment_id: uuid.UUID
    indicator: str
    order_id: uuid.UUID | None
    reason: str
    status: str
    filed_by: str
    filed_at: dt.datetime
    decided_by: str | None
    decision_note: str | None

    @classmethod
    def of(cls, row: m.EvaluationAppeal) -> EvaluationAppeal:
        return cls(id=row.id, assessment_id=row.assessment_id, indicator=row.indicator_code, order_id=row.order_id,
                   reason=row.reason, status=row.status, filed_by=row.filed_by_label, filed_at=row.created_at,
                   decided_by=row.decided_by_label, decision_note=row.decision_note)


@strawberry.type
class ReproductionDifference:
    unit_id: uuid.UUID
    field: str
    stored: str
    recomputed: str


@strawberry.type(name="EvaluationReproduction",
                 description="A recomputation with the stored version and as-of moment, written nowhere.")
class Reproduction:
    identical: bool
    differences: list[ReproductionDifference]


@strawberry.type(name="EvaluationAssessmentRequested",
                 description="The computation was queued; it runs as a job after this request commits.")
class AssessmentRequested:
    tenant_code: str
    period: str
