"""What a unit records while it handles its assignment, and what it asks the hotline for.

- `HandlingRecord`: a handling note (办理记录) or a contact with the citizen (联系记录: when, how,
  reached or not, what was said). The first contact fulfils the assignment's `first_contact` deadline.
- `HandlingRequest`: an extension (延期申请, N more working days) or a suspension (挂起, waiting on the
  citizen) asked by the unit and approved or refused by the hotline. A suspension's row also keeps
  the period it lasted and how far it moved the reply deadline.

Both are append-mostly: a request changes only its status and decision fields.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import Boolean, DateTime, ForeignKeyConstraint, Index, Integer, String, Text, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from hotline.kernel.models import Base, TenantRow


class RecordKind(StrEnum):
    NOTE = "note"  # 办理记录
    CONTACT = "contact"  # 联系记录


class ContactMethod(StrEnum):
    PHONE = "phone"  # 电话
    SMS = "sms"  # 短信
    VISIT = "visit"  # 上门 / 现场
    OTHER = "other"


class RequestKind(StrEnum):
    EXTENSION = "extension"  # 延期
    SUSPENSION = "suspension"  # 挂起


class RequestStatus(StrEnum):
    PENDING = "pending"  # awaiting the hotline's decision
    APPROVED = "approved"  # an extension granted; a suspension running or (resumed_at set) over
    REFUSED = "refused"
    LAPSED = "lapsed"  # the assignment moved on (replied, returned) before a decision


class HandlingRecord(TenantRow, Base):
    __tablename__ = "work_order_handling_records"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "order_id"], ["work_orders.tenant_id", "work_orders.id"],
                             name="fk_work_order_handling_records_order"),
        ForeignKeyConstraint(["tenant_id", "assignment_id"],
                             ["work_order_assignments.tenant_id", "work_order_assignments.id"],
                             name="fk_work_order_handling_records_assignment"),
        Index("ix_work_order_handling_records_order", "tenant_id", "order_id", "id"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    assignment_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    kind: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    contacted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))  # contacts only
    method: Mapped[str | None] = mapped_column(String(10))
    reached: Mapped[bool | None] = mapped_column(Boolean)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    recorded_by_label: Mapped[str] = mapped_column(String(200))


class HandlingRequest(TenantRow, Base):
    __tablename__ = "work_order_requests"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "order_id"], ["work_orders.tenant_id", "work_orders.id"],
                             name="fk_work_order_requests_order"),
        ForeignKeyConstraint(["tenant_id", "assignment_id"],
                             ["work_order_assignments.tenant_id", "work_order_assignments.id"],
                             name="fk_work_order_requests_assignment"),
        Index("ix_work_order_requests_order", "tenant_id", "order_id", "id"),
        # One open request of each kind per assignment (the order's row lock serialises; this is the backstop).
        Index("uq_work_order_requests_pending", "tenant_id", "assignment_id", "kind", unique=True,
              postgresql_where=text("status = 'pending'")),
        Index("ix_work_order_requests_pending", "tenant_id", "order_id",
              postgresql_where=text("status = 'pending'")),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    assignment_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    kind: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    days: Mapped[int | None] = mapped_column(Integer)  # extension: working days asked for
    days_granted: Mapped[int | None] = mapped_column(Integer)  # extension: working days approved
    requested_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    requested_by_label: Mapped[str] = mapped_column(String(200))
    decided_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    decided_by_label: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decision_note: Mapped[str | None] = mapped_column(Text)
    reply_due_before: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    reply_due_after: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Suspension: from approval to resumption; the time that counted on the reply clock meanwhile.
    suspended_from: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    resumed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    resumed_by_label: Mapped[str | None] = mapped_column(String(200))
    paused_seconds: Mapped[int | None] = mapped_column(Integer)
