"""Evaluation rules: schemes and versions down the tree, exclusions, adjustments, assessments, appeals.

Never commits. Who may do what:
- define a scheme, publish a version, record adjustments, review exclusions, compute and publish an
  assessment, decide appeals: the tenant's admins (`tenant_admin`, or `province_admin`/`tenant_admin`
  granted on an ancestor); exclusions also supervisors;
- make a scheme mandatory for every descendant: province admins only; a descendant of a mandatory
  scheme cannot define its own (`locked`);
- read an assessment: admins, leaders, analysts and supervisors see every unit; a unit handler sees its
  own units only and may appeal for them until `appeal_until`, while the assessment is not published.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.calendars import inheritance
from hotline.calendars.inheritance import Chain
from hotline.evaluation import repository as repo
from hotline.evaluation import scoring
from hotline.evaluation.definition import BUILT_INS, KNOWLEDGE_UPKEEP, Definition, PeriodKind, validate
from hotline.evaluation.models import (
    AppealStatus,
    AssessmentStatus,
    EvaluationAdjustment,
    EvaluationAppeal,
    EvaluationAssessment,
    EvaluationExclusion,
    EvaluationResult,
    EvaluationScheme,
    EvaluationSchemeVersion,
    VersionStatus,
)
from hotline.kernel import audit, outbox
from hotline.kernel.acting import Acting
from hotline.kernel.calendar import TIMEZONE
from hotline.kernel.context import Actor, Role
from hotline.kernel.errors import DomainError, Validator, forbidden, not_found
from hotline.kernel.ids import new_id
from hotline.kernel.models import utcnow
from hotline.kernel.scope import TenantScope
from hotline.tenancy import repository as tenancy_repo
from hotline.tenancy.models import Tenant, Unit
from hotline.tenancy.service import tenant_in_scope
from hotline.workorders import access
from hotline.workorders import repository as orders_repo

ADMINS = (Role.TENANT_ADMIN, Role.PROVINCE_ADMIN)
REVIEWERS = (Role.TENANT_ADMIN, Role.PROVINCE_ADMIN, Role.SUPERVISOR)
READERS = (Role.TENANT_ADMIN, Role.PROVINCE_ADMIN, Role.LEADER, Role.ANALYST, Role.SUPERVISOR)
COMPUTE_ACTOR = "evaluation.compute_assessment"
MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$")
MIN_REASON = 4


# --- periods -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    key: str
    start: dt.date
    end: dt.date  # exclusive

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The period's local (Asia/Shanghai) days as instants."""
        return (dt.datetime.combine(self.start, dt.time(), TIMEZONE),
                dt.datetime.combine(self.end, dt.time(), TIMEZONE))


def period_of(key: str, path: tuple[str, ...] = ("period",)) -> Period:
    m = MONTH_RE.match(key)
    if m:
        year, month = int(m.group(1)), int(m.group(2))
        start = dt.date(year, month, 1)
        end = dt.date(year + month // 12, month % 12 + 1, 1)
        return Period(PeriodKind.MONTH, key, start, end)
    q = QUARTER_RE.match(key)
    if q:
        year, quarter = int(q.group(1)), int(q.group(2))
        start = dt.date(year, 3 * quarter - 2, 1)
        end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
        return Period(PeriodKind.QUARTER, key, start, end)
    raise DomainError.one(path, "a month such as 2026-10 or a quarter such as 2026-Q4", "invalid_format")


def period_containing(kind: PeriodKind, day: dt.date) -> Period:
    if kind == PeriodKind.MONTH:
        return period_of(f"{day.year:04d}-{day.month:02d}")
    return period_of(f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}")


# --- effective scheme ----------------------------------------------------------------------------


@dataclass
class Effective:
    chain: Chain
    scheme: EvaluationScheme | None  # the scheme that applies to the tenant
    own: EvaluationScheme | None
    locked_by: EvaluationScheme | None  # a mandatory scheme of a strict ancestor
    versions: dict[uuid.UUID, list[EvaluationSchemeVersion]] = field(default_factory=dict)  # scheme id → versions

    def versions_of(self, scheme: EvaluationScheme | None) -> list[EvaluationSchemeVersion]:
        return [] if scheme is None else self.versions.get(scheme.id, [])

    def version_for(self, period: Period) -> EvaluationSchemeVersion | None:
        """The latest published version whose effective_from is on or before the period's start."""
        candidates = [v for v in self.versions_of(self.scheme)
                      if v.status == VersionStatus.PUBLISHED and v.effective_from <= period.start]
        return max(candidates, key=lambda v: (v.effective_from, v.version), default=None)


async def effective(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, *,
                    with_labels: bool = False) -> Effective:
    """A mandatory scheme of the ancestor nearest the root wins; else the tenant's own; else the nearest
    ancestor's."""
    chain = await inheritance.chain_of(session, scope, tenant_id, with_labels=with_labels)
    schemes: list[EvaluationScheme] = []
    versions: dict[uuid.UUID, list[EvaluationSchemeVersion]] = {}
    for part_schemes, part_versions in await inheritance.load(session, scope, chain, repo.schemes_of,
                                                              repo.system_schemes_of):
        schemes.extend(part_schemes)
        for v in part_versions:
            versions.setdefault(v.scheme_id, []).append(v)
    for found in versions.values():
        found.sort(key=lambda v: v.version)
    own = next((s for s in schemes if s.tenant_id == tenant_id), None)
    mandatory = [s for s in schemes if s.mandatory and s.tenant_id != tenant_id]
    locked = max(mandatory, key=lambda s: chain.depth(s.tenant_id)) if mandatory else None
    nearest = min(schemes, key=lambda s: chain.depth(s.tenant_id)) if schemes else None
    return Effective(chain, locked or nearest, own, locked, versions)


# --- schemes and versions ------------------------------------------------------------------------


@dataclass(frozen=True)
class SchemeInput:
    code: str
    name: str
    definition: Definition
    effective_from: dt.date
    mandatory: bool = False
    publish: bool = False
    note: str | None = None


def _snapshot(version: EvaluationSchemeVersion) -> dict[str, object]:
    return {"version": version.version, "status": version.status, "effective_from": version.effective_from.isoformat(),
            "definition": version.definition}


async def define_scheme(session: AsyncSession, acting: Acting, tenant_code: str | None,
                        data: SchemeInput) -> EvaluationSchemeVersion:
    """Create the tenant's scheme (or rename it) and add a new version, published at once if asked."""
    tenant = await tenant_in_scope(session, acting.scope, tenant_code)
    acting.require(tenant.tenant_id, tenant.ancestors, ADMINS)
    v = Validator()
    v.check(bool(re.match(r"^[0-9A-Za-z][0-9A-Za-z_-]{1,39}$", data.code)), ("code",),
            "2–40 letters, digits, - or _", "invalid_format")
    v.check(bool(data.name.strip()) and len(data.name) <= 200, ("name",), "a name of at most 200 characters",
            "required")
    if data.mandatory and Role.PROVINCE_ADMIN not in acting.roles_at(tenant.tenant_id, tenant.ancestors):
        v.check(False, ("mandatory",), "only a province admin imposes a mandatory scheme", "forbidden")
    validate(v, data.definition)
    start = period_containing(data.definition.period, data.effective_from).start
    v.check(start == data.effective_from, ("effectiveFrom",),
            f"the first day of a {data.definition.period} ({start.isoformat()})", "not_period_start")
    v.raise_if_any()
    eff = await effective(session, acting.scope, tenant.tenant_id, with_labels=True)
    if eff.locked_by is not None:
        owner = eff.chain.label(eff.locked_by.tenant_id)
        raise DomainError.one((), f"{owner.name if owner else 'an ancestor'} imposes a mandatory scheme", "locked")
    scheme = eff.own
    now = utcnow()
    if scheme is None:
        scheme = EvaluationScheme(tenant_id=tenant.tenant_id, id=new_id(), code=data.code, name=data.name.strip(),
                                  mandatory=data.mandatory, updated_at=now)
        session.add(scheme)
        await session.flush()
    else:
        scheme.code, scheme.name, scheme.mandatory, scheme.updated_at = (data.code, data.name.strip(),
                                                                         data.mandatory, now)
    number = max((x.version for x in eff.versions_of(scheme)), default=0) + 1
    version = EvaluationSchemeVersion(
        tenant_id=tenant.tenant_id, id=new_id(), scheme_id=scheme.id, version=number, status=VersionStatus.DRAFT,
        definition=data.definition.encode(), effective_from=data.effective_from, note=data.note,
        created_by_label=acting.actor.label)
    session.add(version)
    audit.record(session, tenant.tenant_id, acting.actor, "evaluation_scheme.version_added",
                 ("evaluation_scheme_version", version.id),
                 after={"scheme": scheme.code, "mandatory": scheme.mandatory, **_snapshot(version)})
    if data.publish:
        _publish(session, acting, version)
    await session.flush()
    return version


def _publish(session: AsyncSession, acting: Acting, version: EvaluationSchemeVersion) -> None:
    version.status, version.published_at, version.published_by_label = (VersionStatus.PUBLISHED, utcnow(),
                                                                        acting.actor.label)
    audit.record(session, version.tenant_id, acting.actor, "evaluation_scheme.version_published",
                 ("evaluation_scheme_version", version.id), before={"status": VersionStatus.DRAFT},
                 after=_snapshot(version))


async def publish_version(session: AsyncSession, acting: Acting, version_id: uuid.UUID) -> EvaluationSchemeVersion:
    """A draft becomes published and immutable; it applies to periods from its effective_from that are not
    published yet (a published assessment is never rewritten)."""
    version = await repo.version_by_id(session, acting.scope, version_id)
    if version is None:
        raise not_found(("versionId",), "scheme version")
    tenant = (await tenancy_repo.tenants_by_ids(session, acting.scope, [version.tenant_id]))[0]
    acting.require(tenant.tenant_id, tenant.ancestors, ADMINS)
    if version.status != VersionStatus.DRAFT:
        raise DomainError.one(("versionId",), "this version is already published", "invalid_state")
    _publish(session, acting, version)
    await session.flush()
    return version


# --- exclusions and adjustments ------------------------------------------------------------------


async def exclude_order(session: AsyncSession, acting: Acting, order_id: uuid.UUID, reason: str
                        ) -> EvaluationExclusion:
    """Record the review of an order as unreasonable (不合理诉求): who, why, when."""
    order = await orders_repo.order_by_id(session, acting.scope, order_id)
    if order is None:
        raise not_found(("orderId",), "work order")
    acting.require(order.tenant_id, await _ancestors(session, acting.scope, order.tenant_id), REVIEWERS)
    if len(reason.strip()) < MIN_REASON:
        raise DomainError.one(("reason",), "say why the request is unreasonable", "required")
    if await repo.active_exclusion(session, acting.scope, order.tenant_id, order.id) is not None:
        raise DomainError.one(("orderId",), "this order is already excluded", "already_exists")
    row = EvaluationExclusion(tenant_id=order.tenant_id, id=new_id(), order_id=order.id, reason=reason.strip(),
                              reviewed_by=acting.actor.user_id, reviewed_by_label=acting.actor.label)
    session.add(row)
    audit.record(session, order.tenant_id, acting.actor, "evaluation.order_excluded", ("work_order", order.id),
                 after={"number": order.number, "reason": row.reason})
    await session.flush()
    return row


async def revoke_exclusion(session: AsyncSession, acting: Acting, exclusion_id: uuid.UUID, reason: str
                           ) -> EvaluationExclusion:
    row = await repo.exclusion_by_id(session, acting.scope, exclusion_id)
    if row is None or row.tenant_id != acting.tenant_id:
        raise not_found(("exclusionId",), "exclusion")
    acting.require(row.tenant_id, await _ancestors(session, acting.scope, row.tenant_id), REVIEWERS)
    if row.revoked_at is not None:
        raise DomainError.one(("exclusionId",), "already revoked", "invalid_state")
    if len(reason.strip()) < MIN_REASON:
        raise DomainError.one(("reason",), "say why the exclusion is revoked", "required")
    row.revoked_at, row.revoked_by_label, row.revoke_reason = utcnow(), acting.actor.label, reason.strip()
    audit.record(session, row.tenant_id, acting.actor, "evaluation.exclusion_revoked", ("work_order", row.order_id),
                 after={"reason": row.revoke_reason})
    return row


@dataclass(frozen=True)
class AdjustmentInput:
    period: str
    unit_code: str
    item_code: str
    reason: str
    occurrences: int = 1
    order_id: uuid.UUID | None = None


async def record_adjustment(session: AsyncSession, acting: Acting, data: AdjustmentInput) -> EvaluationAdjustment:
    """Occurrences of a bonus or penalty item of the scheme version that applies to the period."""
    tenant = await tenant_in_scope(session, acting.scope, None)
    acting.require(tenant.tenant_id, tenant.ancestors, ADMINS)
    period = period_of(data.period)
    eff = await effective(session, acting.scope, tenant.tenant_id)
    version = eff.version_for(period)
    if version is None:
        raise DomainError.one(("period",), "no published scheme version applies to this period", "no_scheme")
    v = Validator()
    unit = await tenancy_repo.unit_by_code(session, acting.scope, tenant.tenant_id, data.unit_code)
    v.check(unit is not None, ("unitCode",), "unit not found", "not_found")
    v.check(Definition.decode(version.definition).adjustment(data.item_code) is not None, ("itemCode",),
            "not a bonus or penalty item of the scheme for this period", "unknown_item")
    v.check(1 <= data.occurrences <= 1000, ("occurrences",), "from 1 to 1000", "out_of_range")
    v.check(len(data.reason.strip()) >= MIN_REASON, ("reason",), "say why", "required")
    if data.order_id is not None:
        v.check(await orders_repo.order_by_id(session, acting.scope, data.order_id) is not None, ("orderId",),
                "work order not found", "not_found")
    v.raise_if_any()
    await _not_published(session, acting.scope, tenant.tenant_id, period)
    assert unit is not None
    row = EvaluationAdjustment(tenant_id=tenant.tenant_id, id=new_id(), unit_id=unit.id, period_key=period.key,
                               item_code=data.item_code, occurrences=data.occurrences, order_id=data.order_id,
                               reason=data.reason.strip(), recorded_by_label=acting.actor.label)
    session.add(row)
    audit.record(session, tenant.tenant_id, acting.actor, "evaluation.adjustment_recorded",
                 ("evaluation_adjustment", row.id),
                 after={"period": period.key, "unit": unit.code, "item": data.item_code,
                        "occurrences": data.occurrences, "reason": row.reason})
    await session.flush()
    return row


async def _not_published(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, period: Period) -> None:
    found = await repo.assessment(session, scope, tenant_id, period.key)
    if found is not None and found.status == AssessmentStatus.PUBLISHED:
        raise DomainError.one(("period",), "this period's assessment is published and cannot change", "published")


# --- computing -----------------------------------------------------------------------------------


async def request_assessment(session: AsyncSession, acting: Acting, tenant_code: str | None, period_key: str
                             ) -> tuple[Tenant, Period]:
    """Check what can be checked now and leave the computation to the job (after the commit)."""
    tenant = await tenant_in_scope(session, acting.scope, tenant_code)
    acting.require(tenant.tenant_id, tenant.ancestors, ADMINS)
    period = period_of(period_key)
    version = (await effective(session, acting.scope, tenant.tenant_id)).version_for(period)
    if version is None:
        raise DomainError.one(("period",), "no published scheme version applies to this period", "no_scheme")
    await _not_published(session, acting.scope, tenant.tenant_id, period)
    outbox.enqueue(session, tenant.tenant_id, COMPUTE_ACTOR, {"period": period.key, "requested_by": acting.actor.label})
    audit.record(session, tenant.tenant_id, acting.actor, "evaluation.assessment_requested",
                 ("evaluation_period", period.key), after={"period": period.key})
    return tenant, period


@dataclass(frozen=True)
class Computation:
    definition: Definition
    scored: list[scoring.Scored]
    hotline: dict[str, list[int]]


async def run(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, period: Period,
              definition: Definition, as_of: dt.datetime) -> Computation:
    """The figures and scores of every unit with assignments in the period (writes nothing)."""
    start, end = period.bounds()
    window = repo.Window(tenant_id, start, end, as_of, definition.exclusions)
    figures = {f.unit_id: f.figures for f in await repo.unit_figures(session, window)}
    hotline = await repo.hotline_figures(session, window)
    if KNOWLEDGE_UPKEEP in definition.built_ins_used():
        _add_upkeep(figures, await repo.upkeep_figures(session, window))
    units = {u.id: scoring.UnitInfo(u.id, u.code, u.kind)
             for u in await repo.units_by_ids(session, scope, tenant_id, list(figures))}
    occurrences: dict[tuple[uuid.UUID, str], int] = {}
    for adj in await repo.adjustments_of(session, scope, tenant_id, period.key):
        if adj.created_at <= as_of:
            key = (adj.unit_id, adj.item_code)
            occurrences[key] = occurrences.get(key, 0) + adj.occurrences
    scored = scoring.score(definition, figures, units, occurrences)
    return Computation(definition, scored, {k: list(v) for k, v in hotline.items()})


def _add_upkeep(figures: dict[uuid.UUID, dict[str, tuple[int, int]]],
                upkeep: dict[uuid.UUID, tuple[int, int]]) -> None:
    """Only when the scheme uses it (older assessments reproduce unchanged). A unit with due articles and no
    orders is assessed too (its order figures are 0/0: no value); a unit without due articles has 0/0."""
    for unit_id in upkeep.keys() - figures.keys():
        figures[unit_id] = {code: (0, 0) for code in repo.CONDITIONS}
    for unit_id, unit_figures in figures.items():
        unit_figures[KNOWLEDGE_UPKEEP] = upkeep.get(unit_id, (0, 0))


async def compute(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, period_key: str, actor: Actor,
                  as_of: dt.datetime | None = None) -> EvaluationAssessment:
    """Compute (or recompute, while not published) the period's assessment with the version in force."""
    period = period_of(period_key)
    eff = await effective(session, scope, tenant_id)
    version = eff.version_for(period)
    if version is None or eff.scheme is None:
        raise DomainError.one(("period",), "no published scheme version applies to this period", "no_scheme")
    definition = Definition.decode(version.definition)
    if definition.period != period.kind:
        raise DomainError.one(("period",), f"the scheme assesses by {definition.period}", "wrong_period_kind")
    existing = await repo.assessment(session, scope, tenant_id, period.key)
    if existing is not None and existing.status == AssessmentStatus.PUBLISHED:
        raise DomainError.one(("period",), "this period's assessment is published and cannot change", "published")
    now = utcnow()
    moment = as_of or now
    result = await run(session, scope, tenant_id, period, definition, moment)
    if existing is None:
        existing = EvaluationAssessment(
            tenant_id=tenant_id, id=new_id(), period_kind=period.kind, period_key=period.key,
            period_start=period.start, period_end=period.end, status=AssessmentStatus.COMPUTED, runs=0,
            appeal_until=now + dt.timedelta(days=definition.appeal_days), computed_by_label=actor.label,
            as_of=moment, scheme_tenant_id=eff.scheme.tenant_id, scheme_id=eff.scheme.id,
            scheme_version_id=version.id, scheme_version=version.version, definition=version.definition)
        session.add(existing)
    else:
        await repo.delete_results(session, scope, existing)
    before = None if existing.runs == 0 else {"scheme_version": existing.scheme_version,
                                              "as_of": existing.as_of.isoformat()}
    existing.as_of, existing.computed_at, existing.computed_by_label = moment, now, actor.label
    existing.scheme_tenant_id, existing.scheme_id = eff.scheme.tenant_id, eff.scheme.id
    existing.scheme_version_id, existing.scheme_version = version.id, version.version
    existing.definition = version.definition
    existing.runs += 1
    existing.hotline_figures = result.hotline
    await session.flush()
    if result.scored:
        await session.execute(insert(EvaluationResult), [
            {"tenant_id": tenant_id, "id": new_id(), "created_at": now, "assessment_id": existing.id,
             "unit_id": r.unit_id, "peer_group": r.peer_group, "figures": r.figures, "indicators": r.indicators,
             "base_score": r.base_score, "bonus": r.bonus, "penalty": r.penalty, "total": r.total, "rank": r.rank,
             "group_size": r.group_size, "joint": r.joint} for r in result.scored])
    audit.record(session, tenant_id, actor, "evaluation.assessment_computed", ("evaluation_assessment", existing.id),
                 before=before, after={"period": period.key, "scheme_version": version.version,
                                       "as_of": moment.isoformat(), "units": len(result.scored)})
    return existing


async def publish_assessment(session: AsyncSession, acting: Acting, assessment_id: uuid.UUID) -> EvaluationAssessment:
    found = await _assessment(session, acting, assessment_id)
    acting.require(found.tenant_id, await _ancestors(session, acting.scope, found.tenant_id), ADMINS)
    if found.status == AssessmentStatus.PUBLISHED:
        raise DomainError.one(("assessmentId",), "already published", "invalid_state")
    found.status, found.published_at, found.published_by_label = (AssessmentStatus.PUBLISHED, utcnow(),
                                                                  acting.actor.label)
    audit.record(session, found.tenant_id, acting.actor, "evaluation.assessment_published",
                 ("evaluation_assessment", found.id),
                 after={"period": found.period_key, "scheme_version": found.scheme_version})
    return found


@dataclass(frozen=True)
class Difference:
    unit_id: uuid.UUID
    field: str
    stored: str
    recomputed: str


async def reproduce(session: AsyncSession, acting: Acting, assessment_id: uuid.UUID) -> list[Difference]:
    """Recompute with the stored version and as_of, write nothing, and list what differs (nothing, normally)."""
    found = await _assessment(session, acting, assessment_id)
    _require_reader(acting, found.tenant_id, await _ancestors(session, acting.scope, found.tenant_id))
    period = period_of(found.period_key)
    fresh = await run(session, acting.scope, found.tenant_id, period, Definition.decode(found.definition),
                      found.as_of)
    stored = {r.unit_id: r for r in await repo.results_of(session, acting.scope, found)}
    out: list[Difference] = []
    for r in fresh.scored:
        old = stored.pop(r.unit_id, None)
        if old is None:
            out.append(Difference(r.unit_id, "unit", "absent", "present"))
            continue
        for name in ("figures", "indicators", "base_score", "bonus", "penalty", "total", "rank", "peer_group",
                     "joint"):
            a, b = getattr(old, name), getattr(r, name)
            if a != b:
                out.append(Difference(r.unit_id, name, str(a), str(b)))
    out.extend(Difference(unit_id, "unit", "present", "absent") for unit_id in stored)
    if fresh.hotline != found.hotline_figures:
        out.append(Difference(found.tenant_id, "hotline_figures", str(found.hotline_figures), str(fresh.hotline)))
    return out


# --- reading -------------------------------------------------------------------------------------


async def _ancestors(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID) -> list[uuid.UUID]:
    found = await tenancy_repo.tenants_by_ids(session, scope, [tenant_id])
    return list(found[0].ancestors) if found else []


async def _assessment(session: AsyncSession, acting: Acting, assessment_id: uuid.UUID) -> EvaluationAssessment:
    found = await repo.assessment_by_id(session, acting.scope, assessment_id)
    if found is None:
        raise not_found(("assessmentId",), "assessment")
    return found


def _require_reader(acting: Acting, tenant_id: uuid.UUID, ancestors: Sequence[uuid.UUID]) -> None:
    acting.require(tenant_id, ancestors, READERS)


async def own_units(session: AsyncSession, acting: Acting, tenant_id: uuid.UUID) -> frozenset[uuid.UUID] | None:
    """None: the caller reads every unit; a set: only these (a unit handler's); forbidden otherwise."""
    ancestors = await _ancestors(session, acting.scope, tenant_id)
    if acting.roles_at(tenant_id, ancestors) & set(READERS):
        return None
    if tenant_id == acting.tenant_id and Role.UNIT_HANDLER in acting.roles_at(tenant_id, ancestors):
        who = await access.viewer(session, acting)
        if who.unit_ids is None:
            return None
        return who.unit_ids
    raise forbidden()


@dataclass
class AssessmentView:
    assessment: EvaluationAssessment
    results: list[EvaluationResult]
    units: dict[uuid.UUID, Unit]
    limited: bool  # True: a unit handler's view of its own units


async def view(session: AsyncSession, acting: Acting, tenant_code: str | None, period_key: str) -> AssessmentView:
    tenant = await tenant_in_scope(session, acting.scope, tenant_code)
    period = period_of(period_key)
    allowed = await own_units(session, acting, tenant.tenant_id)
    found = await repo.assessment(session, acting.scope, tenant.tenant_id, period.key)
    if found is None:
        raise not_found(("period",), "assessment")
    return await _view_of(session, acting, found, allowed)


async def view_by_id(session: AsyncSession, acting: Acting, assessment_id: uuid.UUID) -> AssessmentView:
    found = await _assessment(session, acting, assessment_id)
    return await _view_of(session, acting, found, await own_units(session, acting, found.tenant_id))


async def _view_of(session: AsyncSession, acting: Acting, found: EvaluationAssessment,
                   allowed: frozenset[uuid.UUID] | None) -> AssessmentView:
    results = await repo.results_of(session, acting.scope, found, None if allowed is None else sorted(allowed))
    units = {u.id: u for u in await repo.units_by_ids(session, acting.scope, found.tenant_id,
                                                      [r.unit_id for r in results])}
    return AssessmentView(found, results, units, allowed is not None)


async def figure_orders(session: AsyncSession, acting: Acting, assessment_id: uuid.UUID, unit_code: str,
                        indicator: str) -> list[repo.FigureOrder]:
    """The orders behind a unit's figure, with whether each counted (why the unit lost points)."""
    found = await _assessment(session, acting, assessment_id)
    window, unit_id = await _figure_window(session, acting, found, unit_code)
    if indicator == KNOWLEDGE_UPKEEP:
        raise DomainError.one(("indicator",), "articles, not orders, are behind this figure: see "
                              "evaluationFigureArticles", "unknown_indicator")
    if indicator not in repo.CONDITIONS:
        raise DomainError.one(("indicator",), f"one of {', '.join(repo.CONDITIONS)}", "unknown_indicator")
    return await repo.figure_orders(session, window, unit_id, indicator)


async def figure_articles(session: AsyncSession, acting: Acting, assessment_id: uuid.UUID, unit_code: str
                          ) -> list[repo.FigureArticle]:
    """The knowledge articles behind a unit's upkeep figure (知识库维护率), and how each due date ended."""
    found = await _assessment(session, acting, assessment_id)
    window, unit_id = await _figure_window(session, acting, found, unit_code)
    return await repo.figure_articles(session, window, unit_id)


async def _figure_window(session: AsyncSession, acting: Acting, found: EvaluationAssessment, unit_code: str
                         ) -> tuple[repo.Window, uuid.UUID]:
    """The assessment's own period, as_of and exclusions, for a unit the caller may read."""
    allowed = await own_units(session, acting, found.tenant_id)
    unit = await tenancy_repo.unit_by_code(session, acting.scope, found.tenant_id, unit_code)
    if unit is None or (allowed is not None and unit.id not in allowed):
        raise not_found(("unitCode",), "unit")
    definition = Definition.decode(found.definition)
    start, end = period_of(found.period_key).bounds()
    return repo.Window(found.tenant_id, start, end, found.as_of, definition.exclusions), unit.id


# --- appeals -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AppealInput:
    assessment_id: uuid.UUID
    unit_code: str
    indicator: str
    reason: str
    order_id: uuid.UUID | None = None


async def file_appeal(session: AsyncSession, acting: Acting, data: AppealInput) -> EvaluationAppeal:
    """A unit appeals against a figure (申诉) while the assessment is not published and the limit not passed."""
    found = await _assessment(session, acting, data.assessment_id)
    allowed = await own_units(session, acting, found.tenant_id)
    unit = await tenancy_repo.unit_by_code(session, acting.scope, found.tenant_id, data.unit_code)
    if unit is None or (allowed is not None and unit.id not in allowed):
        raise not_found(("unitCode",), "unit")
    ancestors = await _ancestors(session, acting.scope, found.tenant_id)
    roles = acting.roles_at(found.tenant_id, ancestors)
    if not roles & {Role.UNIT_HANDLER, *ADMINS}:
        raise forbidden("only the unit (or the hotline's admins on its behalf) may appeal")
    v = Validator()
    codes = {i["code"] for i in found.definition["indicators"]} | set(BUILT_INS)
    v.check(data.indicator in codes, ("indicator",), "not an indicator of this assessment", "unknown_indicator")
    v.check(len(data.reason.strip()) >= MIN_REASON, ("reason",), "say why the figure is wrong", "required")
    if data.order_id is not None:
        order = await orders_repo.order_by_id(session, acting.scope, data.order_id)
        v.check(order is not None and order.tenant_id == found.tenant_id, ("orderId",), "work order not found",
                "not_found")
    v.raise_if_any()
    if found.status == AssessmentStatus.PUBLISHED:
        raise DomainError.one(("assessmentId",), "the assessment is published; appeals are closed", "published")
    if utcnow() > found.appeal_until:
        raise DomainError.one(("assessmentId",), f"the appeal limit passed at {found.appeal_until.isoformat()}",
                              "deadline_passed")
    row = EvaluationAppeal(tenant_id=found.tenant_id, id=new_id(), assessment_id=found.id, unit_id=unit.id,
                           indicator_code=data.indicator, order_id=data.order_id, reason=data.reason.strip(),
                           status=AppealStatus.PENDING, filed_by_label=acting.actor.label)
    session.add(row)
    audit.record(session, found.tenant_id, acting.actor, "evaluation.appeal_filed", ("evaluation_appeal", row.id),
                 after={"period": found.period_key, "unit": unit.code, "indicator": data.indicator,
                        "reason": row.reason})
    await session.flush()
    return row


async def decide_appeal(session: AsyncSession, acting: Acting, appeal_id: uuid.UUID, accept: bool, note: str
                        ) -> EvaluationAppeal:
    """Accepting an appeal that names an order excludes that order (recorded like any review); recompute
    the assessment to apply it."""
    row = await repo.appeal_by_id(session, acting.scope, appeal_id)
    if row is None:
        raise not_found(("appealId",), "appeal")
    acting.require(row.tenant_id, await _ancestors(session, acting.scope, row.tenant_id), ADMINS)
    if row.status != AppealStatus.PENDING:
        raise DomainError.one(("appealId",), "already decided", "invalid_state")
    if len(note.strip()) < MIN_REASON:
        raise DomainError.one(("note",), "give the reason of the decision", "required")
    found = await _assessment(session, acting, row.assessment_id)
    if found.status == AssessmentStatus.PUBLISHED:
        raise DomainError.one(("appealId",), "the assessment is published", "published")
    row.status = AppealStatus.ACCEPTED if accept else AppealStatus.REJECTED
    row.decided_by_label, row.decided_at, row.decision_note = acting.actor.label, utcnow(), note.strip()
    if accept and row.order_id is not None and await repo.active_exclusion(
            session, acting.scope, row.tenant_id, row.order_id) is None:
        session.add(EvaluationExclusion(tenant_id=row.tenant_id, id=new_id(), order_id=row.order_id,
                                        reason=f"申诉成立: {note.strip()}", reviewed_by=acting.actor.user_id,
                                        reviewed_by_label=acting.actor.label))
    audit.record(session, row.tenant_id, acting.actor, "evaluation.appeal_decided", ("evaluation_appeal", row.id),
                 after={"status": row.status, "note": row.decision_note})
    await session.flush()
    return row


async def appeals(session: AsyncSession, acting: Acting, assessment_id: uuid.UUID) -> list[EvaluationAppeal]:
    found = await _assessment(session, acting, assessment_id)
    allowed = await own_units(session, acting, found.tenant_id)
    return await repo.appeals_of(session, acting.scope, found, None if allowed is None else sorted(allowed))
