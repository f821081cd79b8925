"""Evaluation tables. Schemes and their versions flow down the tree (descendants read them); exclusions,
adjustments, assessments, results and appeals belong to the assessed tenant.

A published scheme version is never changed; a published assessment is never rewritten.
"""

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
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hotline.kernel.models import Base, TenantRow, utcnow
from hotline.workorders.models import Assignment


class VersionStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class AssessmentStatus(StrEnum):
    COMPUTED = "computed"  # 初评: units may look and appeal; recomputing replaces it
    PUBLISHED = "published"  # 终评: frozen


class AppealStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


# The assessment selects a unit's assignments of a period by dispatch time (migration 20261122_evaluation).
Index("ix_work_order_assignments_created", Assignment.tenant_id, Assignment.created_at)


class EvaluationScheme(TenantRow, Base):
    """A tenant's scheme (at most one); `mandatory` (province admins) binds every descendant."""

    __tablename__ = "evaluation_schemes"
    __table_args__ = (UniqueConstraint("tenant_id"),)

    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    mandatory: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EvaluationSchemeVersion(TenantRow, Base):
    __tablename__ = "evaluation_scheme_versions"
    __table_args__ = (
        UniqueConstraint("tenant_id", "scheme_id", "version"),
        ForeignKeyConstraint(["tenant_id", "scheme_id"], ["evaluation_schemes.tenant_id", "evaluation_schemes.id"]),
    )

    scheme_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))
    definition: Mapped[dict[str, Any]] = mapped_column(JSONB)
    effective_from: Mapped[dt.date] = mapped_column(Date)  # the first period start it applies to
    note: Mapped[str | None] = mapped_column(Text)
    created_by_label: Mapped[str] = mapped_column(String(200))
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    published_by_label: Mapped[str | None] = mapped_column(String(200))


class EvaluationExclusion(TenantRow, Base):
    """An order reviewed as unreasonable (不合理诉求): left out of every figure while in force."""

    __tablename__ = "evaluation_exclusions"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "order_id"], ["work_orders.tenant_id", "work_orders.id"]),
        Index("ix_evaluation_exclusions_order", "tenant_id", "order_id"),
        Index("uq_evaluation_exclusions_active", "tenant_id", "order_id", unique=True,
              postgresql_where=text("revoked_at IS NULL")),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    reason: Mapped[str] = mapped_column(Text)
    reviewed_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    reviewed_by_label: Mapped[str] = mapped_column(String(200))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by_label: Mapped[str | None] = mapped_column(String(200))
    revoke_reason: Mapped[str | None] = mapped_column(Text)


class EvaluationAdjustment(TenantRow, Base):
    """Occurrences of a bonus or penalty item for a unit in a period (加分 / 扣分), with the reason."""

    __tablename__ = "evaluation_adjustments"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "unit_id"], ["units.tenant_id", "units.id"]),
        ForeignKeyConstraint(["tenant_id", "order_id"], ["work_orders.tenant_id", "work_orders.id"]),
        Index("ix_evaluation_adjustments_period", "tenant_id", "period_key", "unit_id"),
    )

    unit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    period_key: Mapped[str] = mapped_column(String(10))
    item_code: Mapped[str] = mapped_column(String(40))
    occurrences: Mapped[int] = mapped_column(Integer, default=1)
    order_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    reason: Mapped[str] = mapped_column(Text)
    recorded_by_label: Mapped[str] = mapped_column(String(200))


class EvaluationAssessment(TenantRow, Base):
    """A tenant's assessment of one period, with the scheme version that produced it."""

    __tablename__ = "evaluation_assessments"
    __table_args__ = (UniqueConstraint("tenant_id", "period_key"),)

    period_kind: Mapped[str] = mapped_column(String(10))
    period_key: Mapped[str] = mapped_column(String(10))  # 2026-10, 2026-Q4
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)  # exclusive
    as_of: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))  # facts recorded up to here
    scheme_tenant_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    scheme_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    scheme_version_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    scheme_version: Mapped[int] = mapped_column(Integer)
    definition: Mapped[dict[str, Any]] = mapped_column(JSONB)  # the version's, copied: self-contained
    status: Mapped[str] = mapped_column(String(12))
    runs: Mapped[int] = mapped_column(Integer, default=1)
    hotline_figures: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    computed_by_label: Mapped[str] = mapped_column(String(200))
    appeal_until: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    published_by_label: Mapped[str | None] = mapped_column(String(200))


class EvaluationResult(TenantRow, Base):
    """One unit's figures and score in an assessment."""

    __tablename__ = "evaluation_results"
    __table_args__ = (
        UniqueConstraint("tenant_id", "assessment_id", "unit_id"),
        ForeignKeyConstraint(["tenant_id", "assessment_id"],
                             ["evaluation_assessments.tenant_id", "evaluation_assessments.id"]),
        ForeignKeyConstraint(["tenant_id", "unit_id"], ["units.tenant_id", "units.id"]),
    )

    assessment_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    peer_group: Mapped[str] = mapped_column(String(40))
    figures: Mapped[dict[str, Any]] = mapped_column(JSONB)  # built-in code → [numerator, denominator]
    indicators: Mapped[dict[str, Any]] = mapped_column(JSONB)  # code → {value, weight, points}
    base_score: Mapped[float | None] = mapped_column(Float)
    bonus: Mapped[float] = mapped_column(Float, default=0)
    penalty: Mapped[float] = mapped_column(Float, default=0)
    total: Mapped[float | None] = mapped_column(Float)
    rank: Mapped[int | None] = mapped_column(Integer)
    group_size: Mapped[int] = mapped_column(Integer, default=0)
    joint: Mapped[dict[str, Any] | None] = mapped_column(JSONB)  # 部门+行业: own and industry parts of the total


class EvaluationAppeal(TenantRow, Base):
    """A unit's appeal (申诉) against a figure, optionally naming the order; decided by the hotline."""

    __tablename__ = "evaluation_appeals"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "assessment_id"],
                             ["evaluation_assessments.tenant_id", "evaluation_assessments.id"]),
        ForeignKeyConstraint(["tenant_id", "unit_id"], ["units.tenant_id", "units.id"]),
        ForeignKeyConstraint(["tenant_id", "order_id"], ["work_orders.tenant_id", "work_orders.id"]),
        Index("ix_evaluation_appeals_assessment", "tenant_id", "assessment_id"),
    )

    assessment_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    indicator_code: Mapped[str] = mapped_column(String(40))
    order_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))
    filed_by_label: Mapped[str] = mapped_column(String(200))
    decided_by_label: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decision_note: Mapped[str | None] = mapped_column(Text)
