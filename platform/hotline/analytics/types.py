"""Strawberry types of the analytics domain."""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from hotline.analytics import document, workbook
from hotline.analytics import models as m

ReportKind = strawberry.enum(m.ReportKind, name="ReportKind")


@strawberry.type
class VolumeRow:
    key: str
    label: str
    count: int


@strawberry.type
class DeadlinePerformance:
    dispatched: int
    signed: int
    signed_on_time: int
    replied: int
    replied_on_time: int
    overdue_open: int


@strawberry.type
class BoardRow:
    code: str
    name: str
    assigned: int
    on_time_rate: float | None
    satisfaction_rate: float | None


@strawberry.type(description="Callback verdicts of a place's orders in the period: 群众满意率 by division.")
class PlaceSatisfaction:
    key: str = strawberry.field(description="The division code.")
    label: str
    rated: int = strawberry.field(description="Orders with a callback verdict.")
    satisfied: int = strawberry.field(description="Of those, satisfied or basically satisfied.")
    rate: float | None


@strawberry.type(description="A daily bulletin, weekly summary or monthly analysis (日通报、周汇总、月分析).")
class Report:
    tenant_code: str
    kind: str
    roll_up: bool
    period_start: dt.date
    period_end: dt.date = strawberry.field(description="Exclusive.")
    total: int
    by_channel: list[VolumeRow]
    by_request_type: list[VolumeRow]
    by_category: list[VolumeRow]
    by_place: list[VolumeRow]
    place_satisfaction: list[PlaceSatisfaction] = strawberry.field(
        description="Divisions with callback verdicts in the period (the map's rate view).")
    by_tenant: list[VolumeRow]
    deadlines: DeadlinePerformance
    red_list: list[BoardRow] = strawberry.field(description="红榜: best on-time reply and satisfaction.")
    black_list: list[BoardRow] = strawberry.field(description="黑榜: worst.")
    content: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="The report as an Excel workbook, base64.")
    def workbook_base64(self) -> str:
        return base64.b64encode(workbook.build(self.content)).decode()

    @strawberry.field(description="The report as a PDF (the same tables as the workbook), base64.")
    def pdf_base64(self) -> str:
        return base64.b64encode(document.build(self.content)).decode()

    @classmethod
    def of(cls, c: dict[str, Any]) -> Report:
        def rows(key: str) -> list[VolumeRow]:
            return [VolumeRow(key=r["key"], label=r["label"], count=r["count"]) for r in c[key]]

        def board(key: str) -> list[BoardRow]:
            return [BoardRow(**r) for r in c[key]]

        return cls(tenant_code=c["tenant_code"], kind=c["kind"], roll_up=c["roll_up"],
                   period_start=dt.date.fromisoformat(c["period_start"]),
                   period_end=dt.date.fromisoformat(c["period_end"]), total=c["total"],
                   by_channel=rows("by_channel"), by_request_type=rows("by_request_type"),
                   by_category=rows("by_category"), by_place=rows("by_place"), by_tenant=rows("by_tenant"),
                   place_satisfaction=[PlaceSatisfaction(**r) for r in c.get("place_satisfaction", [])],
                   deadlines=DeadlinePerformance(**c["deadlines"]), red_list=board("red_list"),
                   black_list=board("black_list"), content=c)


@strawberry.type
class ReportSubscription:
    id: uuid.UUID
    kind: str
    recipient: str
    roll_up: bool
    active: bool

    @classmethod
    def of(cls, r: m.ReportSubscription) -> ReportSubscription:
        return cls(id=r.id, kind=r.kind, recipient=r.recipient, roll_up=r.roll_up, active=r.active)


@strawberry.type(description="A generated report and how many deliveries were queued through the outbox.")
class ReportSent:
    run_id: uuid.UUID
    kind: str
    period_start: dt.date
    deliveries_queued: int


@strawberry.type
class HotspotAlert:
    id: uuid.UUID
    kind: str
    day: dt.date
    category_code: str | None
    division_code: str | None
    count: int
    baseline: float | None
    callers: int | None
    order_ids: list[uuid.UUID]
    summary: str
    acknowledged_at: dt.datetime | None

    @classmethod
    def of(cls, r: m.HotspotAlert) -> HotspotAlert:
        return cls(id=r.id, kind=r.kind, day=r.day, category_code=r.category_code, division_code=r.division_code,
                   count=r.count, baseline=r.baseline, callers=r.callers, order_ids=list(r.order_ids),
                   summary=r.summary, acknowledged_at=r.acknowledged_at)


@strawberry.type
class HotspotAlerts:
    items: list[HotspotAlert]


@strawberry.type
class MonthVolume:
    month: str
    count: int


@strawberry.type(description="每月一题: the chosen problem and its volume month by month.")
class MonthlyProblem:
    id: uuid.UUID
    month: str
    title: str
    category_prefix: str
    division_prefix: str | None
    keyword: str | None
    chosen_by: str
    trend: list[MonthVolume]
    change_from_chosen_month: float | None = strawberry.field(
        description="Latest month with orders against the chosen month (−0.487: down 48.7%).")


@strawberry.type
class MonthlyProblems:
    items: list[MonthlyProblem]


@strawberry.type
class BoundaryDivision:
    code: str
    name: str


@strawberry.type(description="The tenant's own district boundaries, drawn as the dashboard's map.")
class DistrictBoundaries:
    tenant_code: str
    source: str = strawberry.field(description="Where the map comes from, e.g. its approval number (审图号).")
    set_by: str
    set_at: dt.datetime
    size_bytes: int = strawberry.field(description="Of the uploaded file.")
    divisions: list[BoundaryDivision] = strawberry.field(description="One per feature, in the file's order.")
    row: strawberry.Private[m.DistrictBoundaries]

    @strawberry.field(description="A GeoJSON FeatureCollection; each feature's properties are its division code "
                                  "and official name.")
    def geojson(self) -> JSON:
        return cast(JSON, self.row.geojson)

    @classmethod
    def of(cls, r: m.DistrictBoundaries, tenant_code: str) -> DistrictBoundaries:
        return cls(tenant_code=tenant_code, source=r.source, set_by=r.set_by_label, set_at=r.set_at,
                   size_bytes=r.size_bytes, divisions=[BoundaryDivision(**d) for d in r.divisions], row=r)


@strawberry.type(description="The boundaries were removed; the dashboard shows its tile grid again.")
class DistrictBoundariesCleared:
    tenant_code: str
    divisions_removed: int
