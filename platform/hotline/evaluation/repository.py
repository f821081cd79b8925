"""Queries of the evaluation domain. The assessment's figures come from ONE aggregate over the period's
assignments (GROUP BY unit, FILTER per figure); the orders behind a figure use the same conditions.

Every query carries `tenant_id`; the conditions of each built-in indicator are written once, in
`CONDITIONS`, and documented in docs/evaluation.md.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.evaluation.definition import ExclusionRules
from hotline.evaluation.models import (
    EvaluationAdjustment,
    EvaluationAppeal,
    EvaluationAssessment,
    EvaluationExclusion,
    EvaluationResult,
    EvaluationScheme,
    EvaluationSchemeVersion,
)
from hotline.kernel.calendar import TIMEZONE
from hotline.kernel.scope import TenantScope
from hotline.tenancy.models import Tenant, TenantStatus, Unit

# (denominator, numerator) of each per-unit built-in, over one assignment `a` joined to its order `o`;
# :as_of is the moment up to which recorded facts count.
NOT_RETURNED = "a.state <> 'returned'"
RETURNED = "(a.state = 'returned' AND a.finished_at <= :as_of)"
SIGNED = "a.signed_at <= :as_of"
REPLIED = "a.replied_at <= :as_of"
VERDICT = "a.role = 'lead' AND " + NOT_RETURNED + " AND o.closed_at <= :as_of"
CONDITIONS: dict[str, tuple[str, str]] = {
    "response_rate": ("true", f"({SIGNED} OR {RETURNED})"),
    "on_time_sign_rate": (
        f"{NOT_RETURNED} AND ({SIGNED} OR a.sign_for_due_at <= :as_of)",
        f"{NOT_RETURNED} AND {SIGNED} AND (a.sign_for_due_at IS NULL OR a.signed_at <= a.sign_for_due_at)"),
    "on_time_reply_rate": (
        f"{NOT_RETURNED} AND ({REPLIED} OR a.reply_due_at <= :as_of)",
        f"{NOT_RETURNED} AND {REPLIED} AND (a.reply_due_at IS NULL OR a.replied_at <= a.reply_due_at)"),
    "return_rate": ("true", RETURNED),
    "rework_rate": (REPLIED, f"{REPLIED} AND a.rework_count > 0"),
    "resolution_rate": (f"{VERDICT} AND o.resolved IS NOT NULL", f"{VERDICT} AND o.resolved"),
    "satisfaction_rate": (f"{VERDICT} AND o.satisfaction IS NOT NULL",
                          f"{VERDICT} AND o.satisfaction IN ('satisfied', 'basically_satisfied')"),
}


@dataclass(frozen=True)
class Window:
    tenant_id: uuid.UUID
    start: dt.datetime
    end: dt.datetime  # exclusive
    as_of: dt.datetime
    exclusions: ExclusionRules

    def params(self) -> dict[str, Any]:
        return {"t": self.tenant_id, "start": self.start, "end": self.end, "as_of": self.as_of,
                "types": list(self.exclusions.request_types),
                "prefixes": [p + "%" for p in self.exclusions.category_prefixes]}


def _where(window: Window) -> str:
    parts = ["a.tenant_id = :t", "o.tenant_id = :t", "a.created_at >= :start", "a.created_at < :end",
             "a.created_at <= :as_of", "a.state <> 'cancelled'"]
    if window.exclusions.request_types:
        parts.append("o.request_type <> ALL (CAST(:types AS text[]))")
    if window.exclusions.category_prefixes:
        parts.append("NOT (o.category_code LIKE ANY (CAST(:prefixes AS text[])))")
    if window.exclusions.honour_reviewed:
        parts.append("NOT EXISTS (SELECT 1 FROM evaluation_exclusions x WHERE x.tenant_id = a.tenant_id "
                     "AND x.order_id = a.order_id AND x.created_at <= :as_of "
                     "AND (x.revoked_at IS NULL OR x.revoked_at > :as_of))")
    return " AND ".join(parts)


# Both sides are filtered to the tenant (`_where`), so the join needs the order's id only: without
# tenant_id in the key, the hash of the tenant's orders is a third narrower and spills less to disk when a
# month holds millions of orders (docs/evaluation.md, Benchmark).
FROM = "FROM work_order_assignments a JOIN work_orders o ON o.id = a.order_id"


# Each distinct condition is counted once (`c0`, `c1`, …): several figures share a denominator.
COUNTED = list(dict.fromkeys(c for pair in CONDITIONS.values() for c in pair if c != "true"))


def aggregate_sql(window: Window) -> str:
    columns = [f"count(*) FILTER (WHERE {condition}) AS c{i}" for i, condition in enumerate(COUNTED)]
    return f"SELECT a.unit_id, count(*) AS assigned, {', '.join(columns)} {FROM} WHERE {_where(window)} " \
           "GROUP BY a.unit_id"


def _count(row: Any, condition: str) -> int:
    return int(row["assigned"] if condition == "true" else row[f"c{COUNTED.index(condition)}"])


@dataclass(frozen=True)
class UnitFigures:
    unit_id: uuid.UUID
    assigned: int
    figures: dict[str, tuple[int, int]]  # code → (numerator, denominator)


# The period's orders are hashed for the join (a month of 2,000,000 orders is ~200 MB); with the default
# work_mem the hash spills to disk in batches. The assessment is one job at a time, so it may use more.
ASSESSMENT_WORK_MEM = "256MB"


async def unit_figures(session: AsyncSession, window: Window) -> list[UnitFigures]:
    await session.execute(text(f"SET LOCAL work_mem = '{ASSESSMENT_WORK_MEM}'"))  # this transaction only
    rows = (await session.execute(text(aggregate_sql(window)), window.params())).mappings().all()
    return [UnitFigures(r["unit_id"], int(r["assigned"]),
                        {code: (_count(r, num), _count(r, den)) for code, (den, num) in CONDITIONS.items()})
            for r in rows]


async def hotline_figures(session: AsyncSession, window: Window) -> dict[str, tuple[int, int]]:
    """Figures of the hotline itself: the direct-answer rate (直办率) over the period's orders."""
    where = ["o.tenant_id = :t", "o.created_at >= :start", "o.created_at < :end", "o.created_at <= :as_of",
             "o.state <> 'merged'"]
    if window.exclusions.request_types:
        where.append("o.request_type <> ALL (CAST(:types AS text[]))")
    if window.exclusions.category_prefixes:
        where.append("NOT (o.category_code LIKE ANY (CAST(:prefixes AS text[])))")
    # Two counts, each answered from an index alone (20261122_orders_by_period): no order's text is read.
    counted = f"SELECT count(*) FROM work_orders o WHERE {' AND '.join(where)}"
    sql = (f"SELECT ({counted}) AS den, "
           f"({counted} AND o.direct_answer IS NOT NULL AND o.closed_at <= :as_of) AS num")
    row = (await session.execute(text(sql), window.params())).mappings().one()
    return {"direct_answer_rate": (int(row["num"]), int(row["den"]))}


@dataclass(frozen=True)
class FigureOrder:
    order_id: uuid.UUID
    number: str
    title: str
    counted: bool  # in the numerator (True) or lost (False)


async def figure_orders(session: AsyncSession, window: Window, unit_id: uuid.UUID, code: str,
                        limit: int = 500) -> list[FigureOrder]:
    """The orders behind one unit's figure: every order in the denominator, and whether it counted."""
    den, num = CONDITIONS[code]
    sql = (f"SELECT o.id, o.number, o.title, bool_or({num}) AS counted {FROM} "
           f"WHERE {_where(window)} AND a.unit_id = :unit AND ({den}) "
           "GROUP BY o.id, o.number, o.title ORDER BY counted, o.number LIMIT :limit")
    rows = (await session.execute(text(sql), {**window.params(), "unit": unit_id, "limit": limit})).all()
    return [FigureOrder(r[0], r[1], r[2], bool(r[3])) for r in rows]


# --- knowledge-base upkeep (知识库维护率) -----------------------------------------------------------
# A due event is an article of the tenant and an expiry date D in the period, set by a version published
# (≤ as_of) before D ended. It is judged at the end of D (00:00 the next day, local time), or at as_of if
# that comes first: kept when no version in force then expires on or before D (renewed past D, or retired).
# Counted: kept, or D ended by as_of (an open event before its date is not due yet). The unit is the one
# the last such version named. Versions only: what was in force when is never rewritten (knowledge models).

UPKEEP_DUE = """
SELECT DISTINCT ON (v.article_id, v.expires_on) v.article_id, v.expires_on AS due_on, v.owner_unit_id AS unit_id,
       least(e.ends, :as_of) AS checked_at, e.ends <= :as_of AS reached
FROM knowledge_article_versions v
CROSS JOIN LATERAL (SELECT (v.expires_on + 1)::timestamp AT TIME ZONE :tz AS ends) e
WHERE v.tenant_id = :t AND v.expires_on >= :first_day AND v.expires_on < :end_day
  AND v.published_at IS NOT NULL AND v.published_at <= :as_of AND v.published_at < e.ends
ORDER BY v.article_id, v.expires_on, v.published_at DESC
"""


def _in_force(alias: str, at: str) -> str:
    """The version of d's article in force at `at` (none: retired), as a lateral join."""
    return (f"LEFT JOIN LATERAL (SELECT true AS found, w.expires_on FROM knowledge_article_versions w "
            f"WHERE w.tenant_id = :t AND w.article_id = d.article_id AND w.published_at <= {at} "
            f"AND (w.ended_at IS NULL OR w.ended_at > {at}) ORDER BY w.published_at DESC LIMIT 1) {alias} ON true")


def _current(alias: str) -> str:
    """No version in force expires on or before the due date: renewed past it, or retired."""
    return f"NOT coalesce({alias}.expires_on <= d.due_on, false)"


def upkeep_params(window: Window) -> dict[str, Any]:
    return {"t": window.tenant_id, "as_of": window.as_of, "tz": TIMEZONE.key,
            "first_day": window.start.astimezone(TIMEZONE).date(), "end_day": window.end.astimezone(TIMEZONE).date()}


UPKEEP_KEPT = _current("f")
UPKEEP_FROM = f"FROM ({UPKEEP_DUE}) d {_in_force('f', 'd.checked_at')}"


UPKEEP_AGGREGATE = (f"SELECT d.unit_id, count(*) FILTER (WHERE {UPKEEP_KEPT}) AS num, "
                    f"count(*) FILTER (WHERE d.reached OR {UPKEEP_KEPT}) AS den {UPKEEP_FROM} "
                    "WHERE d.unit_id IS NOT NULL GROUP BY d.unit_id")


async def upkeep_figures(session: AsyncSession, window: Window) -> dict[uuid.UUID, tuple[int, int]]:
    """(numerator, denominator) of knowledge_upkeep_rate per unit with due events; reads no order."""
    rows = (await session.execute(text(UPKEEP_AGGREGATE), upkeep_params(window))).all()
    return {r[0]: (int(r[1]), int(r[2])) for r in rows if r[2]}


@dataclass(frozen=True)
class FigureArticle:
    article_id: uuid.UUID
    title: str
    due_on: dt.date
    counted: bool
    outcome: str  # renewed | retired (kept); late (put right after its date) | unattended


async def figure_articles(session: AsyncSession, window: Window, unit_id: uuid.UUID,
                          limit: int = 500) -> list[FigureArticle]:
    """The articles behind a unit's upkeep figure: every due event counted, and how it ended."""
    outcome = (f"CASE WHEN {UPKEEP_KEPT} THEN (CASE WHEN f.found THEN 'renewed' ELSE 'retired' END) "
               f"WHEN {_current('n')} THEN 'late' ELSE 'unattended' END")
    sql = (f"SELECT d.article_id, a.title, d.due_on, {UPKEEP_KEPT} AS counted, {outcome} AS outcome "
           f"{UPKEEP_FROM} "
           f"{_in_force('n', ':as_of')} "
           "JOIN knowledge_articles a ON a.tenant_id = :t AND a.id = d.article_id "
           f"WHERE d.unit_id = :unit AND (d.reached OR {UPKEEP_KEPT}) ORDER BY counted, d.due_on, a.title LIMIT :limit")
    rows = (await session.execute(text(sql), {**upkeep_params(window), "unit": unit_id, "limit": limit})).all()
    return [FigureArticle(r[0], r[1], r[2], bool(r[3]), r[4]) for r in rows]


# --- schemes -------------------------------------------------------------------------------------


async def system_active_tenants(session: AsyncSession) -> list[uuid.UUID]:
    """Every active tenant (system role: the sweep that assesses the period just ended)."""
    query = select(Tenant.tenant_id).where(Tenant.status == TenantStatus.ACTIVE).order_by(Tenant.code)
    return list((await session.scalars(query)).all())


async def schemes_of(session: AsyncSession, scope: TenantScope, tenant_ids: Sequence[uuid.UUID]
                     ) -> tuple[list[EvaluationScheme], list[EvaluationSchemeVersion]]:
    schemes = (await session.scalars(select(EvaluationScheme).where(
        scope.inherited(EvaluationScheme), EvaluationScheme.tenant_id.in_(sorted(tenant_ids))))).all()
    versions = (await session.scalars(select(EvaluationSchemeVersion).where(
        scope.inherited(EvaluationSchemeVersion), EvaluationSchemeVersion.tenant_id.in_(sorted(tenant_ids))))).all()
    return list(schemes), list(versions)


async def system_schemes_of(session: AsyncSession, tenant_ids: Sequence[uuid.UUID]
                            ) -> tuple[list[EvaluationScheme], list[EvaluationSchemeVersion]]:
    """Ancestors' schemes outside the caller's scope (read only; see `calendars.inheritance`)."""
    schemes = (await session.scalars(select(EvaluationScheme).where(
        EvaluationScheme.tenant_id.in_(sorted(tenant_ids))))).all()
    versions = (await session.scalars(select(EvaluationSchemeVersion).where(
        EvaluationSchemeVersion.tenant_id.in_(sorted(tenant_ids))))).all()
    return list(schemes), list(versions)


async def own_scheme(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID) -> EvaluationScheme | None:
    query = select(EvaluationScheme).where(scope.visible(EvaluationScheme), EvaluationScheme.tenant_id == tenant_id)
    return (await session.scalars(query)).one_or_none()


async def version_by_id(session: AsyncSession, scope: TenantScope, version_id: uuid.UUID
                        ) -> EvaluationSchemeVersion | None:
    query = select(EvaluationSchemeVersion).where(scope.visible(EvaluationSchemeVersion),
                                                  EvaluationSchemeVersion.id == version_id)
    return (await session.scalars(query)).one_or_none()


async def system_version(session: AsyncSession, tenant_id: uuid.UUID, version_id: uuid.UUID
                         ) -> EvaluationSchemeVersion | None:
    query = select(EvaluationSchemeVersion).where(EvaluationSchemeVersion.tenant_id == tenant_id,
                                                  EvaluationSchemeVersion.id == version_id)
    return (await session.scalars(query)).one_or_none()


# --- assessments ---------------------------------------------------------------------------------


async def assessment(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, period_key: str
                     ) -> EvaluationAssessment | None:
    query = select(EvaluationAssessment).where(scope.visible(EvaluationAssessment),
                                               EvaluationAssessment.tenant_id == tenant_id,
                                               EvaluationAssessment.period_key == period_key)
    return (await session.scalars(query)).one_or_none()


async def assessment_by_id(session: AsyncSession, scope: TenantScope, assessment_id: uuid.UUID
                           ) -> EvaluationAssessment | None:
    query = select(EvaluationAssessment).where(scope.visible(EvaluationAssessment),
                                               EvaluationAssessment.id == assessment_id)
    return (await session.scalars(query)).one_or_none()


async def results_of(session: AsyncSession, scope: TenantScope, a: EvaluationAssessment,
                     unit_ids: Sequence[uuid.UUID] | None = None) -> list[EvaluationResult]:
    query = select(EvaluationResult).where(scope.visible(EvaluationResult), EvaluationResult.tenant_id == a.tenant_id,
                                           EvaluationResult.assessment_id == a.id)
    if unit_ids is not None:
        query = query.where(EvaluationResult.unit_id.in_(sorted(unit_ids)))
    return list((await session.scalars(query.order_by(EvaluationResult.peer_group, EvaluationResult.rank))).all())


async def delete_results(session: AsyncSession, scope: TenantScope, a: EvaluationAssessment) -> None:
    await session.execute(text("DELETE FROM evaluation_results WHERE tenant_id = :t AND assessment_id = :a"),
                          {"t": a.tenant_id, "a": a.id})


async def units_by_ids(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID,
                       ids: Sequence[uuid.UUID]) -> list[Unit]:
    query = select(Unit).where(scope.visible(Unit), Unit.tenant_id == tenant_id, Unit.id.in_(sorted(ids)))
    return list((await session.scalars(query)).all())


async def adjustments_of(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, period_key: str
                         ) -> list[EvaluationAdjustment]:
    query = select(EvaluationAdjustment).where(scope.visible(EvaluationAdjustment),
                                               EvaluationAdjustment.tenant_id == tenant_id,
                                               EvaluationAdjustment.period_key == period_key)
    return list((await session.scalars(query.order_by(EvaluationAdjustment.id))).all())


async def active_exclusion(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, order_id: uuid.UUID
                           ) -> EvaluationExclusion | None:
    query = select(EvaluationExclusion).where(
        scope.visible(EvaluationExclusion), EvaluationExclusion.tenant_id == tenant_id,
        EvaluationExclusion.order_id == order_id, EvaluationExclusion.revoked_at.is_(None))
    return (await session.scalars(query)).one_or_none()


async def exclusion_by_id(session: AsyncSession, scope: TenantScope, exclusion_id: uuid.UUID
                          ) -> EvaluationExclusion | None:
    query = select(EvaluationExclusion).where(scope.visible(EvaluationExclusion),
                                              EvaluationExclusion.id == exclusion_id)
    return (await session.scalars(query)).one_or_none()


async def appeals_of(session: AsyncSession, scope: TenantScope, a: EvaluationAssessment,
                     unit_ids: Sequence[uuid.UUID] | None = None) -> list[EvaluationAppeal]:
    query = select(EvaluationAppeal).where(scope.visible(EvaluationAppeal), EvaluationAppeal.tenant_id == a.tenant_id,
                                           EvaluationAppeal.assessment_id == a.id)
    if unit_ids is not None:
        query = query.where(EvaluationAppeal.unit_id.in_(sorted(unit_ids)))
    return list((await session.scalars(query.order_by(EvaluationAppeal.id))).all())


async def appeal_by_id(session: AsyncSession, scope: TenantScope, appeal_id: uuid.UUID) -> EvaluationAppeal | None:
    query = select(EvaluationAppeal).where(scope.visible(EvaluationAppeal), EvaluationAppeal.id == appeal_id)
    return (await session.scalars(query)).one_or_none()
