"""Queries and mutations of the analytics domain. Every field answers `… | ValidationErrors`."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import strawberry

from hotline.analytics import models as m
from hotline.analytics import service
from hotline.analytics.types import (
    DistrictBoundaries,
    DistrictBoundariesCleared,
    HotspotAlert,
    HotspotAlerts,
    MonthlyProblem,
    MonthlyProblems,
    MonthVolume,
    Report,
    ReportKind,
    ReportSent,
    ReportSubscription,
)
from hotline.api.context import Info
from hotline.api.errors import ValidationErrors, attempt, read
from hotline.api.permissions import SignedIn
from hotline.kernel.acting import Acting

ReportResult = Annotated[Report | ValidationErrors, strawberry.union("ReportResult")]
SubscriptionResult = Annotated[ReportSubscription | ValidationErrors, strawberry.union("ReportSubscriptionResult")]
ReportSentResult = Annotated[ReportSent | ValidationErrors, strawberry.union("ReportSentResult")]
AlertsResult = Annotated[HotspotAlerts | ValidationErrors, strawberry.union("HotspotAlertsResult")]
AlertResult = Annotated[HotspotAlert | ValidationErrors, strawberry.union("HotspotAlertResult")]
ProblemsResult = Annotated[MonthlyProblems | ValidationErrors, strawberry.union("MonthlyProblemsResult")]
BoundariesResult = Annotated[DistrictBoundaries | ValidationErrors, strawberry.union("DistrictBoundariesResult")]
ClearedResult = Annotated[DistrictBoundariesCleared | ValidationErrors,
                          strawberry.union("DistrictBoundariesClearedResult")]
ProblemResult = Annotated[MonthlyProblem | ValidationErrors, strawberry.union("MonthlyProblemResult")]


async def _problem(info: Info, row: m.MonthlyProblem) -> MonthlyProblem:
    trend = await service.trend(info.context.session, row)
    chosen = next((n for month, n in trend if month == row.month), 0)
    latest = next((n for month, n in reversed(trend) if month > row.month and n), None)
    change = None if latest is None or chosen == 0 else round((latest - chosen) / chosen, 4)
    return MonthlyProblem(id=row.id, month=row.month, title=row.title, category_prefix=row.category_prefix,
                          division_prefix=row.division_prefix, keyword=row.keyword, chosen_by=row.chosen_by_label,
                          trend=[MonthVolume(month=k, count=n) for k, n in trend], change_from_chosen_month=change)


@strawberry.type
class AnalyticsQuery:
    @strawberry.field(description="A report of the tenant (rollUp: with its subtree) for the period containing date.",
                      permission_classes=[SignedIn])
    async def report(self, info: Info, kind: ReportKind, date: dt.date,  # type: ignore[valid-type]
                     tenant_code: str | None = None, roll_up: bool = False) -> ReportResult:
        s = info.context.session

        async def load(a: Acting) -> Report:
            return Report.of(await service.report(s, a, tenant_code, m.ReportKind(kind), date, roll_up))

        return await read(info.context, load)

    @strawberry.field(description="Hotspot alerts raised between two days (inclusive).", permission_classes=[SignedIn])
    async def hotspot_alerts(self, info: Info, from_day: dt.date, to_day: dt.date) -> AlertsResult:
        s = info.context.session

        async def load(a: Acting) -> HotspotAlerts:
            return HotspotAlerts(items=[HotspotAlert.of(r) for r in await service.alerts(s, a, from_day, to_day)])

        return await read(info.context, load)

    @strawberry.field(description="每月一题: the chosen problems with their volume over time.",
                      permission_classes=[SignedIn])
    async def monthly_problems(self, info: Info) -> ProblemsResult:
        s = info.context.session

        async def load(a: Acting) -> MonthlyProblems:
            return MonthlyProblems(items=[await _problem(info, r) for r in await service.problems(s, a)])

        return await read(info.context, load)

    @strawberry.field(description="The tenant's own district boundaries for the dashboard's map; null when it "
                                  "has supplied none (the dashboard then shows a tile grid).",
                      permission_classes=[SignedIn])
    async def district_boundaries(self, info: Info, tenant_code: str | None = None) -> BoundariesResult | None:
        s = info.context.session

        async def load(a: Acting) -> DistrictBoundaries | None:
            tenant, row = await service.boundaries(s, a, tenant_code)
            return None if row is None else DistrictBoundaries.of(row, tenant.code)

        return await read(info.context, load)


@strawberry.input
class MonthlyProblemInput:
    month: str
    title: str
    category_prefix: str
    division_prefix: str | None = None
    keyword: str | None = None
    note: str | None = None


@strawberry.type
class AnalyticsMutation:
    @strawberry.mutation(description="Subscribe an e-mail address to a report (admins, leaders).")
    async def subscribe_to_report(self, info: Info, kind: ReportKind, recipient: str,  # type: ignore[valid-type]
                                  roll_up: bool = False) -> SubscriptionResult:
        s = info.context.session

        async def change(a: Acting) -> ReportSubscription:
            return ReportSubscription.of(await service.subscribe(s, a, m.ReportKind(kind), recipient, roll_up))

        return await attempt(info.context, change)

    @strawberry.mutation(description="Generate the report of the period containing date and mail it to its "
                                     "subscribers through the outbox.")
    async def send_report(self, info: Info, kind: ReportKind, date: dt.date,  # type: ignore[valid-type]
                          roll_up: bool = False) -> ReportSentResult:
        s = info.context.session

        async def change(a: Acting) -> ReportSent:
            run, queued = await service.send_report(s, a, m.ReportKind(kind), date, roll_up)
            return ReportSent(run_id=run.id, kind=run.kind, period_start=run.period_start, deliveries_queued=queued)

        return await attempt(info.context, change)

    @strawberry.mutation(description="Look for spikes and clusters on a day; returns the alerts raised or updated.")
    async def detect_hotspots(self, info: Info, day: dt.date) -> AlertsResult:
        s = info.context.session

        async def change(a: Acting) -> HotspotAlerts:
            return HotspotAlerts(items=[HotspotAlert.of(r) for r in await service.detect_for(s, a, day)])

        return await attempt(info.context, change)

    @strawberry.mutation(description="Acknowledge a hotspot alert.")
    async def acknowledge_hotspot_alert(self, info: Info, alert_id: uuid.UUID) -> AlertResult:
        s = info.context.session

        async def change(a: Acting) -> HotspotAlert:
            return HotspotAlert.of(await service.acknowledge(s, a, alert_id))

        return await attempt(info.context, change)

    @strawberry.mutation(description="Choose the problem of the month (每月一题; admins, leaders).")
    async def choose_monthly_problem(self, info: Info, input: MonthlyProblemInput) -> ProblemResult:
        s = info.context.session
        data = service.ProblemInput(month=input.month, title=input.title, category_prefix=input.category_prefix,
                                    division_prefix=input.division_prefix, keyword=input.keyword, note=input.note)

        async def change(a: Acting) -> MonthlyProblem:
            return await _problem(info, await service.choose_problem(s, a, data))

        return await attempt(info.context, change)

    @strawberry.mutation(description="Replace the tenant's district boundaries with a GeoJSON FeatureCollection "
                                     "(text, at most 5 MB): one Polygon or MultiPolygon per division code "
                                     "(properties.code or adcode) inside the tenant's division (admins).")
    async def set_district_boundaries(self, info: Info, geojson: str, source: str,
                                      tenant_code: str | None = None) -> BoundariesResult:
        s = info.context.session

        async def change(a: Acting) -> DistrictBoundaries:
            tenant, row = await service.set_boundaries(s, a, tenant_code, geojson, source)
            return DistrictBoundaries.of(row, tenant.code)

        return await attempt(info.context, change)

    @strawberry.mutation(description="Remove the tenant's district boundaries (admins).")
    async def clear_district_boundaries(self, info: Info, tenant_code: str | None = None) -> ClearedResult:
        s = info.context.session

        async def change(a: Acting) -> DistrictBoundariesCleared:
            tenant, row = await service.clear_boundaries(s, a, tenant_code)
            return DistrictBoundariesCleared(tenant_code=tenant.code, divisions_removed=len(row.divisions))

        return await attempt(info.context, change)
