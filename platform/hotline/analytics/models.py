"""Analytics tables: report subscriptions, generated reports and their deliveries, hotspot settings and
alerts, and the problem of the month (每月一题). Everything else is computed from the orders."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hotline.kernel.models import Base, TenantRow, utcnow
from hotline.workorders.models import WorkOrder

# Reports and hotspots select a tenant's orders by intake time (migration 20261122_evaluation).
Index("ix_work_orders_created", WorkOrder.tenant_id, WorkOrder.created_at)


class ReportKind(StrEnum):
    DAILY = "daily"  # 日通报
    WEEKLY = "weekly"  # 周汇总
    MONTHLY = "monthly"  # 月分析


class AlertKind(StrEnum):
    SPIKE = "spike"  # a category in a place far above its own baseline
    CLUSTER = "cluster"  # near-identical complaints from many callers


class ReportSubscription(TenantRow, Base):
    __tablename__ = "report_subscriptions"
    __table_args__ = (UniqueConstraint("tenant_id", "kind", "recipient", "roll_up"),)

    kind: Mapped[str] = mapped_column(String(10))
    recipient: Mapped[str] = mapped_column(String(200))  # an e-mail address
    roll_up: Mapped[bool] = mapped_column(Boolean, default=False)  # include the tenant's subtree
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_label: Mapped[str] = mapped_column(String(200))


class ReportRun(TenantRow, Base):
    """A generated report: its figures (JSON), its Excel workbook and its PDF."""

    __tablename__ = "report_runs"
    __table_args__ = (UniqueConstraint("tenant_id", "kind", "period_start", "roll_up"),)

    kind: Mapped[str] = mapped_column(String(10))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)  # exclusive
    roll_up: Mapped[bool] = mapped_column(Boolean, default=False)
    content: Mapped[dict[str, Any]] = mapped_column(JSONB)
    workbook: Mapped[bytes] = mapped_column(LargeBinary)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)  # None: generated before PDF export existed
    generated_by_label: Mapped[str] = mapped_column(String(200))


class ReportDelivery(TenantRow, Base):
    """A report mailed to a subscriber (the embedded mailer's record of what it sent)."""

    __tablename__ = "report_deliveries"
    __table_args__ = (
        UniqueConstraint("tenant_id", "run_id", "subscription_id"),
        ForeignKeyConstraint(["tenant_id", "run_id"], ["report_runs.tenant_id", "report_runs.id"]),
        ForeignKeyConstraint(["tenant_id", "subscription_id"],
                             ["report_subscriptions.tenant_id", "report_subscriptions.id"]),
    )

    run_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    subscription_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    recipient: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300))
    attachment_name: Mapped[str] = mapped_column(String(200))
    attachment_bytes: Mapped[int] = mapped_column(Integer)
    attachment_sha256: Mapped[str] = mapped_column(String(64))
    pdf_attachment_name: Mapped[str | None] = mapped_column(String(200))  # the same report as PDF
    pdf_attachment_bytes: Mapped[int | None] = mapped_column(Integer)
    pdf_attachment_sha256: Mapped[str | None] = mapped_column(String(64))
    delivered_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class HotspotSettings(TenantRow, Base):
    """A tenant's thresholds (defaults in `hotspots.DEFAULTS` when it has no row)."""

    __tablename__ = "hotspot_settings"
    __table_args__ = (UniqueConstraint("tenant_id"),)

    baseline_days: Mapped[int] = mapped_column(Integer)
    spike_factor: Mapped[float] = mapped_column(Float)  # today ≥ factor × baseline mean …
    spike_sigmas: Mapped[float] = mapped_column(Float)  # … and ≥ mean + sigmas × standard deviation
    spike_min_count: Mapped[int] = mapped_column(Integer)
    cluster_window_days: Mapped[int] = mapped_column(Integer)
    cluster_similarity: Mapped[float] = mapped_column(Float)  # share of character bigrams in common
    cluster_min_callers: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class HotspotAlert(TenantRow, Base):
    __tablename__ = "hotspot_alerts"
    __table_args__ = (
        UniqueConstraint("tenant_id", "kind", "key", "day"),
        Index("ix_hotspot_alerts_day", "tenant_id", "day"),
    )

    kind: Mapped[str] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(String(120))
    day: Mapped[dt.date] = mapped_column(Date)
    category_code: Mapped[str | None] = mapped_column(String(20))
    division_code: Mapped[str | None] = mapped_column(String(12))
    count: Mapped[int] = mapped_column(Integer)
    baseline: Mapped[float | None] = mapped_column(Float)
    callers: Mapped[int | None] = mapped_column(Integer)
    order_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)))
    summary: Mapped[str] = mapped_column(Text)
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    acknowledged_by_label: Mapped[str | None] = mapped_column(String(200))


class MonthlyProblem(TenantRow, Base):
    """每月一题: one problem chosen for a month, followed by its volume over time."""

    __tablename__ = "monthly_problems"
    __table_args__ = (UniqueConstraint("tenant_id", "month"),)

    month: Mapped[str] = mapped_column(String(7))  # 2026-04
    title: Mapped[str] = mapped_column(String(200))
    category_prefix: Mapped[str] = mapped_column(String(20))
    division_prefix: Mapped[str | None] = mapped_column(String(12))
    keyword: Mapped[str | None] = mapped_column(String(50))
    note: Mapped[str | None] = mapped_column(Text)
    chosen_by_label: Mapped[str] = mapped_column(String(200))


class DistrictBoundaries(TenantRow, Base):
    """The tenant's own district boundaries for the dashboard's map: a GeoJSON FeatureCollection, one feature
    per division code (`geojson.py`). The platform ships none: a published map in China must use approved map
    data (审图号), which the hotline gets from its surveying and mapping bureau; `source` says which."""

    __tablename__ = "district_boundaries"
    __table_args__ = (UniqueConstraint("tenant_id"),)

    geojson: Mapped[dict[str, Any]] = mapped_column(JSONB)
    divisions: Mapped[list[dict[str, str]]] = mapped_column(JSONB)  # [{code, name}]: listed without the shapes
    size_bytes: Mapped[int] = mapped_column(Integer)  # of the uploaded file
    source: Mapped[str] = mapped_column(String(300))  # e.g. 审图号 苏S(2024)012号
    set_by_label: Mapped[str] = mapped_column(String(200))
    set_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
