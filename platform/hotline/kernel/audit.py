"""Append-only audit: one row per state change, written in the same transaction as the change.

The application role may insert and read audit rows but never update or delete them (grants in the
first migration). There are no triggers: Citus refuses them on distributed tables.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import structlog
from sqlalchemy import DateTime, Index, String, func
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from hotline.kernel import appends
from hotline.kernel.context import Actor
from hotline.kernel.ids import new_id
from hotline.kernel.models import Base, TenantRow, utcnow


class AuditRecord(TenantRow, Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_object", "tenant_id", "object_type", "object_id"),)

    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    actor_tenant_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    actor_label: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[str | None] = mapped_column(String(100))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    request_id: Mapped[str | None] = mapped_column(String(64))


def record(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    actor: Actor,
    action: str,
    obj: tuple[str, object],
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append an audit row to the session; it is written with the change or not at all."""
    object_type, object_id = obj
    now = utcnow()
    appends.append(session, AuditRecord, {
        "tenant_id": tenant_id, "id": new_id(), "created_at": now, "occurred_at": now,
        "actor_user_id": actor.user_id, "actor_tenant_id": actor.tenant_id, "actor_label": actor.label,
        "action": action, "object_type": object_type, "object_id": None if object_id is None else str(object_id),
        "before": before, "after": after, "request_id": structlog.contextvars.get_contextvars().get("request_id"),
    })
