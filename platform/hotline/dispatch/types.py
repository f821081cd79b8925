"""GraphQL types of dispatch configuration, decisions, simulation and the classifier."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from hotline.dispatch import models, service
from hotline.dispatch.config import Effective as EffectiveItem
from hotline.dispatch.engine import CategoryView
from hotline.dispatch.models import ItemKind


def _json(value: Any) -> JSON:
    return cast(JSON, value)


DispatchItemKind = strawberry.enum(ItemKind, name="DispatchItemKind")
DispatchOutcome = strawberry.enum(models.Outcome, name="DispatchOutcome")


@strawberry.enum(description="A unit's part in an order: lead (主办), supporting (协办), joint lead (联合双派).")
class DispatchRole(StrEnum):
    LEAD = "lead"
    SUPPORTING = "supporting"
    JOINT = "joint"


@strawberry.enum
class DispatchActionType(StrEnum):
    DISPATCH = "dispatch"
    SET_LEVEL = "set_level"
    DEADLINE_POLICY = "deadline_policy"
    REVIEW = "review"
    TAG = "tag"
    STOP = "stop"


@strawberry.type(description="The tenant a dispatch configuration item comes from.")
class DispatchSource:
    code: str
    name: str
    inherited: bool

    @classmethod
    def of(cls, eff: service.Effective, tenant_id: uuid.UUID) -> DispatchSource:
        label = eff.labels.get(tenant_id)
        return cls(code=label.code if label else "?", name=label.name if label else "?",
                   inherited=tenant_id != eff.tenant.tenant_id)


@strawberry.type(description="An item in force for the tenant, with the tenant it comes from.")
class DispatchItem:
    kind: DispatchItemKind  # type: ignore[valid-type]
    key: str
    mandatory: bool
    locked: bool = strawberry.field(description="Mandatory and set by an ancestor: this tenant cannot change it.")
    position: int
    body: JSON
    source: DispatchSource
    overrides: list[DispatchSource] = strawberry.field(description="Tenants whose item of this key it replaces.")

    @classmethod
    def of(cls, eff: service.Effective, item: EffectiveItem) -> DispatchItem:
        return cls(kind=ItemKind(item.item.kind), key=item.item.key, mandatory=item.item.mandatory,
                   locked=item.locked, position=item.item.position, body=_json(item.item.body),
                   source=DispatchSource.of(eff, item.item.tenant_id),
                   overrides=[DispatchSource.of(eff, t) for t in item.replaces])


@strawberry.type(description="An inherited item switched off by a tenant of the chain.")
class DisabledDispatchItem:
    kind: DispatchItemKind  # type: ignore[valid-type]
    key: str
    disabled_by: DispatchSource
    defined_by: DispatchSource


@strawberry.type(description="An item that has no effect: it tries to change a locked item, or disables nothing.")
class IgnoredDispatchItem:
    kind: DispatchItemKind  # type: ignore[valid-type]
    key: str
    source: DispatchSource
    reason: str
    locked_by: DispatchSource | None


@strawberry.type
class VersionInForce:
    tenant_code: str
    number: int


@strawberry.type(description="A tenant's effective dispatch configuration (published, or with its draft).")
class DispatchConfiguration:
    tenant_code: str
    draft: bool
    versions: list[VersionInForce]
    items: list[DispatchItem]
    disabled: list[DisabledDispatchItem]
    ignored: list[IgnoredDispatchItem]

    @classmethod
    def of(cls, eff: service.Effective) -> DispatchConfiguration:
        m = eff.merged
        items = sorted(m.items.values(), key=lambda e: (e.item.kind, e.item.position, e.item.key))
        return cls(
            tenant_code=eff.tenant.code, draft=eff.draft,
            versions=[VersionInForce(tenant_code=v["tenant"], number=v["number"]) for v in eff.versions],
            items=[DispatchItem.of(eff, e) for e in items],
            disabled=[DisabledDispatchItem(kind=ItemKind(k), key=key, disabled_by=DispatchSource.of(eff, by.tenant_id),
                                           defined_by=DispatchSource.of(eff, orig.tenant_id))
                      for (k, key), (by, orig) in sorted(m.disabled.items())],
            ignored=[IgnoredDispatchItem(kind=ItemKind(i.item.kind), key=i.item.key,
                                         source=DispatchSource.of(eff, i.item.tenant_id), reason=i.reason,
                                         locked_by=DispatchSource.of(eff, i.by) if i.by else None)
                     for i in m.ignored])


@strawberry.type(description="A category of the tenant's effective taxonomy; codes never change.")
class DispatchCategory:
    code: str
    parent_code: str | None
    level: int
    name: str
    national_name: str | None = strawberry.field(description="Null for a tenant's own subcategory.")
    local: bool
    hidden: bool
    keywords: list[str]
    synonyms: list[str]
    source: DispatchSource | None

    @classmethod
    def of(cls, eff: service.Effective, c: CategoryView) -> DispatchCategory:
        return cls(code=c.code, parent_code=c.parent_code, level=c.level, name=c.name, national_name=c.national_name,
                   local=c.national_name is None, hidden=c.hidden, keywords=list(c.keywords),
                   synonyms=list(c.synonyms),
                   source=DispatchSource.of(eff, c.source.item.tenant_id) if c.source else None)


@strawberry.type(description="One item of a tenant's own draft.")
class DispatchDraftItem:
    kind: DispatchItemKind  # type: ignore[valid-type]
    key: str
    mandatory: bool
    disabled: bool
    position: int
    body: JSON
    updated_by: str
    updated_at: dt.datetime

    @classmethod
    def of(cls, row: models.DispatchItem) -> DispatchDraftItem:
        return cls(kind=ItemKind(row.kind), key=row.key, mandatory=row.mandatory, disabled=row.disabled,
                   position=row.position, body=_json(row.body), updated_by=row.updated_by, updated_at=row.updated_at)


@strawberry.type(description="A published, immutable version of a tenant's dispatch configuration.")
class DispatchVersion:
    tenant_code: str
    number: int
    reason: str
    rollback_of: int | None
    published_by: str
    published_at: dt.datetime
    item_count: int
    items: JSON

    @classmethod
    def of(cls, row: models.DispatchVersion) -> DispatchVersion:
        return cls(tenant_code=row.tenant_code, number=row.number, reason=row.reason, rollback_of=row.rollback_of,
                   published_by=row.published_by, published_at=row.created_at, item_count=len(row.items),
                   items=_json(list(row.items)))


@strawberry.type
class UnitSuggestion:
    unit_code: str
    score: float
    source: str
    reason: str


@strawberry.type
class RuleTrace:
    key: str
    tenant_code: str
    order: int
    mandatory: bool
    matched: bool
    decided_units: bool
    reason: str


@strawberry.type
class EntryTrace:
    key: str
    tenant_code: str
    matched: bool
    reason: str


@strawberry.type(description="The classifier's own dispatch of an order: its top unit reached the tenant's threshold.")
class ClassifierDispatch:
    unit_code: str
    probability: float
    threshold: float
    model_version: str = strawberry.field(description="The classifier that decided (DispatchClassifier.version).")


@strawberry.type(description="A tenant's dispatch settings.")
class DispatchSettings:
    tenant_code: str
    classifier_threshold: float | None = strawberry.field(
        description="The classifier dispatches alone when its top unit is at least this probable; null: never "
                    "(the default), it only suggests.")
    updated_at: dt.datetime | None


@strawberry.type(description="How an order was dispatched at intake, and why other rules and entries were not used.")
class DispatchExplanation:
    order_id: uuid.UUID
    number: str
    recorded: bool = strawberry.field(description="False: no dispatch configuration was in force at intake.")
    outcome: DispatchOutcome | None  # type: ignore[valid-type]
    versions: list[VersionInForce]
    matched_kind: DispatchItemKind | None  # type: ignore[valid-type]
    matched_key: str | None
    matched_tenant: str | None
    category_code: str | None
    response_level: int | None
    deadline_policy: str | None = strawberry.field(
        description="The named deadline policy a rule chose; the order's deadlines are computed from it.")
    deadline_policy_rule: str | None = strawberry.field(description="The key of the rule that chose it.")
    classifier: ClassifierDispatch | None = strawberry.field(
        description="Set when the classifier dispatched the order by itself (no rule or entry chose a lead).")
    tags: list[str]
    review_required: bool
    problems: list[str]
    suggestions: list[UnitSuggestion]
    rules: list[RuleTrace]
    entries: list[EntryTrace]


@strawberry.type
class SimulatedSide:
    unit_codes: list[str]
    decided_by: str | None
    review: bool
    response_level: int | None


@strawberry.type
class SimulatedChange:
    order_id: uuid.UUID
    number: str
    published: SimulatedSide
    draft: SimulatedSide
    reason: str


@strawberry.type(description="The draft against past orders: what changes compared with the published version.")
class DispatchSimulation:
    tenant_code: str
    orders: int
    changed_count: int
    response_level_changed: int
    review_changed: int
    changes: list[SimulatedChange]


@strawberry.type
class Probability:
    code: str
    name: str | None
    probability: float


@strawberry.type(description="The classifier's top categories and lead units for a text.")
class ClassifierSuggestions:
    trained: bool
    categories: list[Probability]
    units: list[Probability]


@strawberry.type
class DispatchClassifier:
    version: str = strawberry.field(description="The model's id; a classifier dispatch records it.")
    trained_at: dt.datetime
    samples: int
    category_accuracy: float | None = strawberry.field(description="k-fold cross-validated share of right answers.")
    unit_accuracy: float | None
    folds: int
    trigger: str

    @classmethod
    def of(cls, row: models.ClassifierModel) -> DispatchClassifier:
        return cls(version=str(row.id), trained_at=row.created_at, samples=row.samples,
                   category_accuracy=row.category_accuracy, unit_accuracy=row.unit_accuracy, folds=row.folds,
                   trigger=row.trigger)


@strawberry.type
class RejectedRow:
    row: int
    reasons: list[str]


@strawberry.type
class HistoryImportResult:
    accepted: int
    rejected_count: int
    rejected: list[RejectedRow]
