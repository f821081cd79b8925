"""The transactional outbox: work caused by a state change is written with the change.

A relay publishes committed rows to the broker; actors record the outbox id as done in the same
transaction as their effect, so a redelivery after a crash does nothing twice.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import DateTime, Index, Integer, String, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from hotline.kernel import appends
from hotline.kernel.ids import new_id
from hotline.kernel.models import Base, TenantRow, utcnow


class OutboxMessage(TenantRow, Base):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_unpublished", "created_at", postgresql_where=text("published_at IS NULL")),
    )

    actor_name: Mapped[str] = mapped_column(String(120))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class OutboxDone(Base):
    """Marks an outbox message whose effect has been committed (the idempotency key)."""

    __tablename__ = "outbox_done"

    tenant_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    outbox_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    done_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=text("now()"))


def enqueue(session: AsyncSession, tenant_id: uuid.UUID, actor_name: str, payload: dict[str, Any]) -> uuid.UUID:
    """Add an outbox row for `actor_name`; it is published only if the transaction commits."""
    message_id = new_id()
    appends.append(session, OutboxMessage, {"tenant_id": tenant_id, "id": message_id, "created_at": utcnow(),
                                            "actor_name": actor_name, "payload": payload, "published_at": None,
                                            "attempts": 0})
    return message_id
