"""Supervision (督办): notices to units, the messages they produce, and each tenant's supervision settings.

A notice escalates through three levels (J city's rules): a reminder (催办) before a deadline falls
due, a formal supervision notice (督办通知) when it is missed or when a supervisor opens one by hand,
and listed supervision (挂牌督办), reported to the hotline's leaders, after a further limit.
Automatic notices are written by the sweep (`sweep.py`) and keyed so that no sweep writes one twice.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import IntEnum, StrEnum

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from hotline.kernel.models import Base, TenantRow, utcnow
from hotline.workorders.models import Assignment, WorkOrder


class SupervisionLevel(IntEnum):
    """Escalation levels, in order (stored as the number, so that "at least a notice" is a comparison)."""

    REMINDER = 1  # 催办
    NOTICE = 2  # 督办通知
    LISTED = 3  # 挂牌督办, reported to leaders


LEVEL_NAMES = {SupervisionLevel.REMINDER: "reminder", SupervisionLevel.NOTICE: "notice",
               SupervisionLevel.LISTED: "listed"}


class SupervisionReason(StrEnum):
    LEADER_INSTRUCTION = "leader_instruction"  # 领导批示
    MEDIA_EXPOSURE = "media_exposure"  # 媒体曝光
    REPEATED_COMPLAINTS = "repeated_complaints"  # 重复投诉, 集中投诉
    OVERDUE = "overdue"  # 超期
    BOUNCED = "bounced"  # 推诿 (returned though within duties, passed back and forth)
    DUE_SOON = "due_soon"  # a reminder before the deadline (automatic only)
    OTHER = "other"


class SupervisionState(StrEnum):
    OPEN = "open"  # waiting for the unit's reply
    REPLIED = "replied"  # the unit replied; waiting for the supervisor
    CLOSED = "closed"  # the supervisor closed it
    ESCALATED = "escalated"  # superseded by a notice of a higher level
    SENT = "sent"  # a reminder: told, no reply asked


LIVE_STATES = (SupervisionState.OPEN, SupervisionState.REPLIED)


class DeadlineKind(StrEnum):
    """The deadline an automatic notice is about."""

    SIGN_FOR = "sign_for"
    REPLY = "reply"
    CALLBACK = "callback"


class SupervisionSettings(TenantRow, Base):
    """A tenant's supervision limits; a tenant without a row follows `supervision.DEFAULTS`."""

    __tablename__ = "supervision_settings"
    __table_args__ = (UniqueConstraint("tenant_id"),)

    # Reminders (催办) go out this many natural hours before a sign-for or reply deadline; the caller's
    # progress notice is sent the same lead before it falls due.
    reminder_lead_hours: Mapped[float] = mapped_column(Float, default=4.0)
    # A supervision notice must be answered within this many working days.
    notice_reply_days: Mapped[int] = mapped_column(Integer, default=2)
    # Still overdue (or unanswered) this many working days later: listed supervision (挂牌督办).
    escalation_days: Mapped[int] = mapped_column(Integer, default=2)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SupervisionNotice(TenantRow, Base):
    """One notice to one unit (or, for overdue callbacks, to the hotline's callback team) about one order."""

    __tablename__ = "supervision_notices"
    __table_args__ = (
        # The idempotency key of automatic notices: (deadline kind, assignment or order, level, due moment);
        # of an escalation: the notice it escalates. Manual notices have none (NULLs are distinct).
        UniqueConstraint("tenant_id", "dedupe_key"),
        ForeignKeyConstraint(["tenant_id", "order_id"], ["work_orders.tenant_id", "work_orders.id"],
                             name="fk_supervision_notices_order"),
        ForeignKeyConstraint(["tenant_id", "assignment_id"],
                             ["work_order_assignments.tenant_id", "work_order_assignments.id"],
                             name="fk_supervision_notices_assignment"),
        ForeignKeyConstraint(["tenant_id", "unit_id"], ["units.tenant_id", "units.id"],
                             name="fk_supervision_notices_unit"),
        ForeignKeyConstraint(["tenant_id", "escalated_from_id"],
                             ["supervision_notices.tenant_id", "supervision_notices.id"],
                             name="fk_supervision_notices_escalated_from"),
        Index("ix_supervision_notices_order", "tenant_id", "order_id", "id"),
        Index("ix_supervision_notices_unit_state", "tenant_id", "unit_id", "state", "id"),
        Index("ix_supervision_notices_state_level", "tenant_id", "state", "level", "id"),
        # The sweep's anti-join: was this deadline already noticed at this level?
        Index("ix_supervision_notices_deadline", "tenant_id", "assignment_id", "deadline_kind", "level"),
        # The sweep's escalation scan (cross-tenant, through this index only).
        Index("ix_supervision_notices_escalate", "escalate_at",
              postgresql_where=text("escalate_at IS NOT NULL AND state IN ('open', 'replied')")),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    assignment_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))  # None: the callback team
    level: Mapped[int] = mapped_column(SmallInteger)
    reason: Mapped[str] = mapped_column(String(30))
    automatic: Mapped[bool] = mapped_column(Boolean)
    state: Mapped[str] = mapped_column(String(20))
    deadline_kind: Mapped[str | None] = mapped_column(String(20))
    deadline_due_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    instruction: Mapped[str] = mapped_column(Text)
    reply_required: Mapped[bool] = mapped_column(Boolean)
    reply_due_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    reply_due_beyond_calendar: Mapped[bool] = mapped_column(Boolean, default=False)
    escalate_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    escalated_from_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    opened_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    opened_by_label: Mapped[str] = mapped_column(String(200))
    reply_text: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    replied_by_label: Mapped[str | None] = mapped_column(String(200))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by_label: Mapped[str | None] = mapped_column(String(200))
    close_note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SupervisionMessage(TenantRow, Base):
    """What a notice told its audience: the unit, the hotline's leaders (listed), or the callback team.

    Written by the `workorders.notify_supervision` job, once per (notice, audience).
    """

    __tablename__ = "supervision_messages"
    __table_args__ = (
        UniqueConstraint("tenant_id", "notice_id", "audience", name="uq_supervision_messages_notice_audience"),
        ForeignKeyConstraint(["tenant_id", "notice_id"], ["supervision_notices.tenant_id", "supervision_notices.id"],
                             name="fk_supervision_messages_notice"),
        ForeignKeyConstraint(["tenant_id", "unit_id"], ["units.tenant_id", "units.id"],
                             name="fk_supervision_messages_unit"),
        Index("ix_supervision_messages_unit", "tenant_id", "unit_id", "id"),
    )

    notice_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    audience: Mapped[str] = mapped_column(String(20))  # unit | leaders | callback
    unit_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    body: Mapped[str] = mapped_column(Text)
    read_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


# Partial indexes the sweep reads through, on the work-order tables (created by the supervision migration).
_OPEN_ORDER = "state IN ('pending_dispatch', 'in_progress', 'pending_callback')"
_OPEN_ASSIGNMENT = "state IN ('pending_sign', 'in_progress', 'return_requested', 'replied')"
SWEEP_INDEXES = (
    # The J-city progress notice: open orders with a phone to tell, not yet told.
    Index("ix_work_orders_progress_sweep", WorkOrder.__table__.c.progress_notice_due_at,
          postgresql_where=text("progress_notified_at IS NULL AND caller_phone_cipher IS NOT NULL "
                                "AND state IN ('pending_dispatch', 'in_progress')")),
    # Deadlines computed past the known calendar, recomputed once a tenant publishes the year.
    Index("ix_work_orders_beyond_calendar", WorkOrder.__table__.c.tenant_id, WorkOrder.__table__.c.id,
          postgresql_where=text(f"(progress_notice_beyond_calendar OR callback_beyond_calendar) AND {_OPEN_ORDER}")),
    Index("ix_work_order_assignments_beyond_calendar", Assignment.__table__.c.tenant_id, Assignment.__table__.c.id,
          postgresql_where=text("(sign_for_beyond_calendar OR first_contact_beyond_calendar OR reply_beyond_calendar "
                                f"OR return_beyond_calendar) AND {_OPEN_ASSIGNMENT}")),
)
