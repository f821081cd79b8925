"""Queries and mutations of dispatch: configuration, versions, explanation, simulation, the classifier."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON

from hotline.api.context import Info
from hotline.api.errors import ValidationErrors, attempt, read
from hotline.api.permissions import SignedIn
from hotline.dispatch import classifier, decide, importer, service, simulate
from hotline.dispatch import repository as repo
from hotline.dispatch.models import ItemKind
from hotline.dispatch.types import (
    ClassifierDispatch,
    ClassifierSuggestions,
    DispatchActionType,
    DispatchCategory,
    DispatchClassifier,
    DispatchConfiguration,
    DispatchDraftItem,
    DispatchExplanation,
    DispatchItemKind,
    DispatchRole,
    DispatchSettings,
    DispatchSimulation,
    DispatchVersion,
    EntryTrace,
    HistoryImportResult,
    Probability,
    RejectedRow,
    RuleTrace,
    SimulatedChange,
    SimulatedSide,
    UnitSuggestion,
    VersionInForce,
)
from hotline.kernel.acting import Acting
from hotline.kernel.errors import DomainError, Validator
from hotline.kernel.outbox import enqueue

ConfigurationResult = Annotated[DispatchConfiguration | ValidationErrors,
                                strawberry.union("DispatchConfigurationResult")]
DraftItemResult = Annotated[DispatchDraftItem | ValidationErrors, strawberry.union("DispatchDraftItemResult")]
VersionResult = Annotated[DispatchVersion | ValidationErrors, strawberry.union("DispatchVersionResult")]
ExplanationResult = Annotated[DispatchExplanation | ValidationErrors, strawberry.union("DispatchExplanationResult")]
SimulationResult = Annotated[DispatchSimulation | ValidationErrors, strawberry.union("DispatchSimulationResult")]
ClassifierResult = Annotated[DispatchClassifier | ValidationErrors, strawberry.union("DispatchClassifierResult")]
SuggestionsResult = Annotated[ClassifierSuggestions | ValidationErrors,
                              strawberry.union("ClassifierSuggestionsResult")]
SettingsResult = Annotated[DispatchSettings | ValidationErrors, strawberry.union("DispatchSettingsResult")]
ImportResult = Annotated[HistoryImportResult | ValidationErrors, strawberry.union("HistoryImportResultOrErrors")]


@strawberry.input
class UnitTargetInput:
    unit_code: str | None = strawberry.field(default=None, description="A unit of this tenant.")
    street: bool = strawberry.field(default=False,
                                    description="The street or township unit of the order's place (直派街乡).")
    role: DispatchRole = DispatchRole.LEAD


@strawberry.input
class DispatchActionInput:
    type: DispatchActionType
    units: list[UnitTargetInput] | None = None
    level: int | None = None
    policy: str | None = strawberry.field(default=None, description="DEADLINE_POLICY: a named deadline policy "
                                                                      "of the tenant's deadline rules.")
    tag: str | None = None


@strawberry.input
class SaveDispatchRuleInput:
    key: str
    name: str
    when: JSON = strawberry.field(description="The condition (see docs/dispatch.md): all/any/not over typed fields.")
    then: list[DispatchActionInput]
    position: int = 0
    mandatory: bool = False
    reason: str = ""
    tenant_code: str | None = None


@strawberry.input
class SaveCatalogueEntryInput:
    category_code: str
    units: list[UnitTargetInput]
    division_code: str | None = strawberry.field(default=None, description="Null: anywhere in the tenant.")
    mandatory: bool = False
    reason: str = ""
    tenant_code: str | None = None


@strawberry.input
class SaveDispatchCategoryInput:
    code: str
    parent_code: str | None = None
    name: str | None = None
    hidden: bool = False
    keywords: list[str] = strawberry.field(default_factory=list)
    synonyms: list[str] = strawberry.field(default_factory=list)
    mandatory: bool = False
    reason: str = ""
    tenant_code: str | None = None


@strawberry.input
class HistoryMappingInput:
    content: str
    category: str
    unit: str | None = None
    received_at: str | None = None
    closed_at: str | None = None
    title: str | None = None


@strawberry.input
class ImportOrderHistoryInput:
    file_name: str
    content_base64: str
    mapping: HistoryMappingInput
    tenant_code: str | None = None


def _units(units: list[UnitTargetInput] | None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for u in units or []:
        item: dict[str, Any] = {"role": str(u.role.value)}
        if u.street:
            item["street"] = True
        else:
            item["unit"] = u.unit_code
        out.append(item)
    return out


def _actions(actions: list[DispatchActionInput]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for a in actions:
        item: dict[str, Any] = {"type": str(a.type.value)}
        if a.type == DispatchActionType.DISPATCH:
            item["units"] = _units(a.units)
        elif a.type == DispatchActionType.SET_LEVEL:
            item["level"] = a.level
        elif a.type == DispatchActionType.DEADLINE_POLICY:
            item["policy"] = (a.policy or "").strip()
        elif a.type == DispatchActionType.TAG:
            item["tag"] = (a.tag or "").strip()
        out.append(item)
    return out


def _explanation(found: decide.Explanation) -> DispatchExplanation:
    row, eff = found.decision, found.effective
    codes = {uuid.UUID(v["tenant_id"]): v["tenant"] for v in (row.versions if row else [])}
    if eff is not None:
        codes.update({t: label.code for t, label in eff.labels.items()})
    return DispatchExplanation(
        order_id=found.order.id, number=found.order.number, recorded=row is not None,
        outcome=row.outcome if row else None,
        versions=[VersionInForce(tenant_code=v["tenant"], number=v["number"]) for v in (row.versions if row else [])],
        matched_kind=ItemKind(row.matched_kind) if row and row.matched_kind else None,
        matched_key=row.matched_key if row else None, matched_tenant=row.matched_tenant if row else None,
        category_code=row.category_code if row else None, response_level=row.response_level if row else None,
        deadline_policy=row.deadline_policy if row else None,
        deadline_policy_rule=row.trace.get("deadline_policy_rule") if row else None,
        classifier=_classifier_dispatch(row.trace.get("classifier") if row else None),
        tags=list(row.tags) if row else [], review_required=bool(row and row.trace.get("review")),
        problems=list(row.trace.get("problems", [])) if row else [],
        suggestions=[UnitSuggestion(unit_code=s["unit"], score=s["score"], source=s["source"], reason=s["reason"])
                     for s in (row.suggestions if row else [])],
        rules=[RuleTrace(key=r["key"], tenant_code=codes.get(uuid.UUID(r["tenant_id"]), "?"), order=r["order"],
                         mandatory=r["mandatory"], matched=r["matched"], decided_units=r["decided_units"],
                         reason=r["reason"]) for r in found.trace["rules"]],
        entries=[EntryTrace(key=e["key"], tenant_code=codes.get(uuid.UUID(e["tenant_id"]), "?"), matched=e["matched"],
                            reason=e["reason"]) for e in found.trace["entries"]])


def _classifier_dispatch(found: dict[str, Any] | None) -> ClassifierDispatch | None:
    if not found:
        return None
    return ClassifierDispatch(unit_code=found["unit"], probability=found["probability"],
                              threshold=found["threshold"], model_version=found["model_version"])


def _settings(tenant: Any, row: Any) -> DispatchSettings:
    return DispatchSettings(tenant_code=tenant.code, classifier_threshold=row.classifier_threshold if row else None,
                            updated_at=row.updated_at if row else None)


def _side(side: simulate.Side) -> SimulatedSide:
    return SimulatedSide(unit_codes=list(side.units), decided_by=side.decided_by, review=side.review,
                         response_level=side.level)


@strawberry.type
class DispatchQuery:
    @strawberry.field(description="A tenant's effective dispatch configuration, each item with the tenant it comes "
                                  "from; `draft`: with the tenant's draft instead of its published version (admins).",
                      permission_classes=[SignedIn])
    async def dispatch_configuration(self, info: Info, tenant_code: str | None = None,
                                     draft: bool = False) -> ConfigurationResult:
        s = info.context.session

        async def run(a: Acting) -> DispatchConfiguration:
            return DispatchConfiguration.of(await service.view(s, a, tenant_code, draft))

        result: ConfigurationResult = await read(info.context, run)
        return result

    @strawberry.field(description="The tenant's effective taxonomy (national, adjusted and extended down the tree).",
                      permission_classes=[SignedIn])
    async def dispatch_taxonomy(self, info: Info, tenant_code: str | None = None, parent_code: str | None = None,
                                include_hidden: bool = False) -> list[DispatchCategory]:
        ctx = info.context
        try:
            eff = await service.view(ctx.session, ctx.require_acting(), tenant_code, False)
        except DomainError:
            return []
        return [DispatchCategory.of(eff, c) for code, c in sorted(eff.engine.taxonomy.items())
                if (parent_code is None or c.parent_code == parent_code) and (include_hidden or not c.hidden)]

    @strawberry.field(description="The tenant's own draft items (admins).", permission_classes=[SignedIn])
    async def dispatch_draft(self, info: Info, tenant_code: str | None = None) -> list[DispatchDraftItem]:
        ctx = info.context
        try:
            acting = ctx.require_acting()
            tenant = await service.admin_tenant(ctx.session, acting, tenant_code)
        except DomainError:
            return []
        rows = await repo.draft_items(ctx.session, acting.scope, [tenant.tenant_id])
        return [DispatchDraftItem.of(r) for r in sorted(rows, key=lambda r: (r.kind, r.position, r.key))]

    @strawberry.field(description="The tenant's published versions, newest first.", permission_classes=[SignedIn])
    async def dispatch_versions(self, info: Info, tenant_code: str | None = None) -> list[DispatchVersion]:
        ctx = info.context
        try:
            _, rows = await service.versions(ctx.session, ctx.require_acting(), tenant_code)
        except DomainError:
            return []
        return [DispatchVersion.of(r) for r in rows]

    @strawberry.field(description="How an order was dispatched at intake, and why the others did not apply.",
                      permission_classes=[SignedIn])
    async def dispatch_explanation(self, info: Info, order_id: uuid.UUID) -> ExplanationResult:
        s = info.context.session

        async def run(a: Acting) -> DispatchExplanation:
            return _explanation(await decide.explain(s, a, order_id))

        result: ExplanationResult = await read(info.context, run)
        return result

    @strawberry.field(description="Run the tenant's draft against its last orders (or a date range) and list the "
                                  "orders whose lead units would change compared with the published version.",
                      permission_classes=[SignedIn])
    async def simulate_dispatch(self, info: Info, tenant_code: str | None = None, last: int | None = 200,
                                from_: Annotated[dt.date | None, strawberry.argument(name="from")] = None,
                                to: dt.date | None = None) -> SimulationResult:
        s = info.context.session

        async def run(a: Acting) -> DispatchSimulation:
            r = await simulate.simulate(s, a, tenant_code, last=last, since=from_, until=to)
            return DispatchSimulation(
                tenant_code=r.tenant_code, orders=r.orders, changed_count=len(r.changed),
                response_level_changed=r.level_changed, review_changed=r.review_changed,
                changes=[SimulatedChange(order_id=c.order.id, number=c.order.number, published=_side(c.published),
                                         draft=_side(c.draft), reason=c.reason) for c in r.changed])

        result: SimulationResult = await read(info.context, run)
        return result

    @strawberry.field(description="The classifier's top 3 categories and lead units for the text being typed.",
                      permission_classes=[SignedIn])
    async def classifier_suggestions(self, info: Info, text: str, tenant_code: str | None = None
                                     ) -> SuggestionsResult:
        s = info.context.session

        async def run(a: Acting) -> ClassifierSuggestions:
            tenant = await service.readable_tenant(s, a, tenant_code)
            model = await classifier.current(s, a.scope, tenant.tenant_id)
            if model is None or not text.strip():
                return ClassifierSuggestions(trained=model is not None, categories=[], units=[])
            found = model.suggest(text)
            eff = await service.effective(s, a.scope, tenant)
            names = {u.code: u.name for u in await repo.units_of(s, a.scope, tenant.tenant_id)}
            return ClassifierSuggestions(
                trained=True,
                categories=[Probability(code=c, name=eff.engine.taxonomy[c].name if c in eff.engine.taxonomy else None,
                                        probability=round(p, 4)) for c, p in found.categories],
                units=[Probability(code=c, name=names.get(c), probability=round(p, 4)) for c, p in found.units])

        result: SuggestionsResult = await read(info.context, run)
        return result

    @strawberry.field(description="The tenant's current classifier and its cross-validated accuracy.",
                      permission_classes=[SignedIn])
    async def dispatch_classifier(self, info: Info, tenant_code: str | None = None) -> DispatchClassifier | None:
        ctx = info.context
        try:
            acting = ctx.require_acting()
            tenant = await service.readable_tenant(ctx.session, acting, tenant_code)
        except DomainError:
            return None
        row = await repo.latest_classifier(ctx.session, acting.scope, tenant.tenant_id)
        return DispatchClassifier.of(row) if row else None

    @strawberry.field(description="A tenant's dispatch settings (readers of its configuration).",
                      permission_classes=[SignedIn])
    async def dispatch_settings(self, info: Info, tenant_code: str | None = None) -> SettingsResult:
        s = info.context.session

        async def run(a: Acting) -> DispatchSettings:
            return _settings(*await service.settings(s, a, tenant_code))

        result: SettingsResult = await read(info.context, run)
        return result


async def _save(info: Info, tenant_code: str | None, reason: str, build: Any) -> DraftItemResult:
    s = info.context.session

    async def change(a: Acting) -> DispatchDraftItem:
        tenant = await service.admin_tenant(s, a, tenant_code)
        v = Validator()
        made = await build(a, tenant, v)
        return DispatchDraftItem.of(await service.save(s, a, tenant, made, reason, v))

    result: DraftItemResult = await attempt(info.context, change)
    return result


@strawberry.type
class DispatchMutation:
    @strawberry.mutation(description="Create or replace a rule in the tenant's draft.")
    async def save_dispatch_rule(self, info: Info, input: SaveDispatchRuleInput) -> DraftItemResult:
        s = info.context.session

        async def build(a: Acting, tenant: Any, v: Validator) -> service.Change:
            return await service.rule_change(s, a, tenant, input.key.strip(), input.name, input.position, input.when,
                                             _actions(input.then), input.mandatory, v)

        return await _save(info, input.tenant_code, input.reason, build)

    @strawberry.mutation(description="Create or replace a dispatch catalogue entry (派单目录) in the tenant's draft.")
    async def save_catalogue_entry(self, info: Info, input: SaveCatalogueEntryInput) -> DraftItemResult:
        s = info.context.session

        async def build(a: Acting, tenant: Any, v: Validator) -> service.Change:
            return await service.entry_change(s, a, tenant, input.category_code.strip(),
                                              (input.division_code or "").strip() or None, _units(input.units),
                                              input.mandatory, v)

        return await _save(info, input.tenant_code, input.reason, build)

    @strawberry.mutation(description="Adjust a category (rename, hide, keywords, synonyms) or add a subcategory.")
    async def save_dispatch_category(self, info: Info, input: SaveDispatchCategoryInput) -> DraftItemResult:
        s = info.context.session

        async def build(a: Acting, tenant: Any, v: Validator) -> service.Change:
            return await service.category_change(s, a, tenant, input.code.strip(), input.parent_code, input.name,
                                                 input.hidden, input.keywords, input.synonyms, input.mandatory, v)

        return await _save(info, input.tenant_code, input.reason, build)

    @strawberry.mutation(description="Switch off an inherited item for this tenant and its subtree.")
    async def disable_inherited_dispatch_item(self, info: Info, kind: DispatchItemKind,  # type: ignore[valid-type]
                                              key: str, reason: str, tenant_code: str | None = None
                                              ) -> DraftItemResult:
        s = info.context.session

        async def change(a: Acting) -> DispatchDraftItem:
            return DispatchDraftItem.of(await service.disable_inherited(s, a, tenant_code, ItemKind(kind), key, reason))

        result: DraftItemResult = await attempt(info.context, change)
        return result

    @strawberry.mutation(description="Remove one of the tenant's own draft items.")
    async def remove_dispatch_draft_item(self, info: Info, kind: DispatchItemKind,  # type: ignore[valid-type]
                                         key: str, reason: str, tenant_code: str | None = None) -> DraftItemResult:
        s = info.context.session

        async def change(a: Acting) -> DispatchDraftItem:
            return DispatchDraftItem.of(await service.remove(s, a, tenant_code, ItemKind(kind), key, reason))

        result: DraftItemResult = await attempt(info.context, change)
        return result

    @strawberry.mutation(description="Publish the tenant's draft as its next immutable version.")
    async def publish_dispatch(self, info: Info, reason: str, tenant_code: str | None = None) -> VersionResult:
        s = info.context.session

        async def change(a: Acting) -> DispatchVersion:
            return DispatchVersion.of(await service.publish(s, a, tenant_code, reason))

        result: VersionResult = await attempt(info.context, change)
        return result

    @strawberry.mutation(description="Put an earlier version back in force (as a new version) and in the draft.")
    async def rollback_dispatch(self, info: Info, version: int, reason: str,
                                tenant_code: str | None = None) -> VersionResult:
        s = info.context.session

        async def change(a: Acting) -> DispatchVersion:
            return DispatchVersion.of(await service.rollback(s, a, tenant_code, version, reason))

        result: VersionResult = await attempt(info.context, change)
        return result

    @strawberry.mutation(description="Let the classifier dispatch by itself when its top unit is at least "
                                     "`threshold` probable (0.5–1); null: it only suggests (admins).")
    async def set_dispatch_classifier_threshold(self, info: Info, threshold: float | None, reason: str,
                                                tenant_code: str | None = None) -> SettingsResult:
        s = info.context.session

        async def change(a: Acting) -> DispatchSettings:
            return _settings(*await service.set_classifier_threshold(s, a, tenant_code, threshold, reason))

        result: SettingsResult = await attempt(info.context, change)
        return result

    @strawberry.mutation(description="Retrain the tenant's classifier now from its completed orders and imports.")
    async def train_dispatch_classifier(self, info: Info, tenant_code: str | None = None) -> ClassifierResult:
        s = info.context.session

        async def change(a: Acting) -> DispatchClassifier:
            tenant = await service.admin_tenant(s, a, tenant_code)
            return DispatchClassifier.of(await classifier.train(s, a.scope, tenant.tenant_id, "on_demand"))

        result: ClassifierResult = await attempt(info.context, change)
        return result

    @strawberry.mutation(description="Import past orders from CSV or XLSX (base64) to train the classifier; rows "
                                     "that cannot be used are reported with reasons. Retraining follows.")
    async def import_order_history(self, info: Info, input: ImportOrderHistoryInput) -> ImportResult:
        s = info.context.session

        async def change(a: Acting) -> HistoryImportResult:
            try:
                data = base64.b64decode(input.content_base64, validate=True)
            except (binascii.Error, ValueError) as error:
                raise DomainError.one(("contentBase64",), "not base64", "invalid_format") from error
            m = input.mapping
            outcome = await importer.import_history(
                s, a, input.tenant_code, input.file_name, data,
                importer.Mapping_(m.content, m.category, m.unit, m.received_at, m.closed_at, m.title))
            if outcome.batch.accepted:
                enqueue(s, outcome.batch.tenant_id, "dispatch.train_classifier", {"trigger": "import"})
            return HistoryImportResult(accepted=outcome.batch.accepted, rejected_count=len(outcome.rejected),
                                       rejected=[RejectedRow(row=r["row"], reasons=r["reasons"])
                                                 for r in outcome.rejected])

        result: ImportResult = await attempt(info.context, change)
        return result
