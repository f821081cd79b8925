"""Dispatch configuration (taxonomy adjustments, catalogue entries, rules), its versions, the decision
recorded for each order, the classifier's models and imported history.

Configuration rows are read down the tree (`rls.inherited_table_sql`): a tenant reads its ancestors'
items and versions, and writes only in its subtree. Versions are append-only: the application role may
insert and read them, never update or delete them (grants in the migration).
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hotline.kernel.models import Base, TenantRow, utcnow


class ItemKind(StrEnum):
    CATEGORY = "category"  # a taxonomy adjustment: key = the category code
    ENTRY = "entry"  # a dispatch catalogue entry (派单目录): key = "<category>@<division prefix or *>"
    RULE = "rule"  # an ordered dispatch rule: key = its name chosen by the admin


class DispatchItem(TenantRow, Base):
    """One item of a tenant's draft. `disabled`: the tenant switches off the inherited item of that key."""

    __tablename__ = "dispatch_items"
    __table_args__ = (UniqueConstraint("tenant_id", "kind", "key"),)

    kind: Mapped[str] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(String(80))
    mandatory: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    body: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200))


class DispatchVersion(TenantRow, Base):
    """A published, immutable snapshot of a tenant's items; the highest number is in force."""

    __tablename__ = "dispatch_versions"
    __table_args__ = (UniqueConstraint("tenant_id", "number"),)

    number: Mapped[int] = mapped_column(Integer)
    # The publishing tenant as it was named then: descendants show where an item comes from without
    # reading an ancestor's tenant row (which their scope does not reach).
    tenant_code: Mapped[str] = mapped_column(String(40))
    tenant_name: Mapped[str] = mapped_column(String(200))
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    reason: Mapped[str] = mapped_column(Text)
    rollback_of: Mapped[int | None] = mapped_column(Integer)  # the earlier number this version restores
    published_by: Mapped[str] = mapped_column(String(200))
    published_by_user: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class Outcome(StrEnum):
    DISPATCHED = "dispatched"  # sent to units at intake
    REVIEW = "review"  # waits for a dispatcher, with suggestions
    NONE = "none"  # nothing matched: waits for a dispatcher


class DispatchDecision(TenantRow, Base):
    """What the dispatch configuration decided for an order at intake (one row per order)."""

    __tablename__ = "dispatch_decisions"
    __table_args__ = (
        UniqueConstraint("tenant_id", "order_id"),
        ForeignKeyConstraint(["tenant_id", "order_id"], ["work_orders.tenant_id", "work_orders.id"]),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    outcome: Mapped[str] = mapped_column(String(12))
    # The published version of each tenant of the chain that took part: [{"tenant": code, "number": n}, …]
    versions: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    own_version: Mapped[int | None] = mapped_column(Integer)  # the order's tenant's own version number
    matched_kind: Mapped[str | None] = mapped_column(String(10))  # rule | entry: what chose the lead units
    matched_key: Mapped[str | None] = mapped_column(String(80))
    matched_tenant: Mapped[str | None] = mapped_column(String(40))  # tenant code the matched item comes from
    category_code: Mapped[str | None] = mapped_column(String(20))  # refined (may be a tenant's local code)
    response_level: Mapped[int | None] = mapped_column(Integer)
    deadline_policy: Mapped[str | None] = mapped_column(String(40))  # the named deadline policy a rule chose
    tags: Mapped[list[str]] = mapped_column(JSONB, default=list)
    suggestions: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    trace: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)


class DispatchSettings(TenantRow, Base):
    """A tenant's dispatch settings (one row; absent: the defaults)."""

    __tablename__ = "dispatch_settings"
    __table_args__ = (UniqueConstraint("tenant_id"),)

    # The classifier dispatches by itself when its top lead unit is at least this probable; None: never
    # (the default), it only suggests.
    classifier_threshold: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    server_default=func.now())


class ClassifierModel(TenantRow, Base):
    """A trained category and lead-unit classifier of one tenant (the newest is used)."""

    __tablename__ = "dispatch_classifiers"
    __table_args__ = (Index("ix_dispatch_classifiers_tenant", "tenant_id", "created_at"),)

    samples: Mapped[int] = mapped_column(Integer)
    category_accuracy: Mapped[float | None] = mapped_column(Float)  # cross-validated
    unit_accuracy: Mapped[float | None] = mapped_column(Float)
    folds: Mapped[int] = mapped_column(Integer)
    trigger: Mapped[str] = mapped_column(String(20))  # scheduled | on_demand
    model: Mapped[bytes] = mapped_column(LargeBinary)  # written only by this process's trainer


class HistoryImport(TenantRow, Base):
    """One import of past orders (CSV or XLSX) and the rows it rejected, with reasons."""

    __tablename__ = "dispatch_history_imports"

    file_name: Mapped[str] = mapped_column(String(200))
    accepted: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    mapping: Mapped[dict[str, Any]] = mapped_column(JSONB)
    imported_by: Mapped[str] = mapped_column(String(200))


class HistoryOrder(TenantRow, Base):
    """A past order imported to train the classifier (never a work order)."""

    __tablename__ = "dispatch_history_orders"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "import_id"],
                             ["dispatch_history_imports.tenant_id", "dispatch_history_imports.id"],
                             name="fk_dispatch_history_orders_import"),
        Index("ix_dispatch_history_orders_import", "tenant_id", "import_id"),
    )

    import_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    content: Mapped[str] = mapped_column(Text)
    category_code: Mapped[str] = mapped_column(String(20))
    unit_code: Mapped[str | None] = mapped_column(String(40))
    received_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


INHERITED_TABLES = ("dispatch_items", "dispatch_versions")
TENANT_TABLES = ("dispatch_decisions", "dispatch_settings", "dispatch_classifiers", "dispatch_history_imports",
                 "dispatch_history_orders")
