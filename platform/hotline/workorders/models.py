"""Work orders (工单): intake, assignments to units, the append-only timeline, callbacks, links, SMS.

The order and each unit's assignment carry their own state; the allowed moves between states live
in `workflow.py`. Deadlines are columns (filled from the tenant's policy and calendar), swept later.
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
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hotline.kernel.models import Base, TenantRow, utcnow


class Channel(StrEnum):
    PHONE = "phone"
    SMS = "sms"
    WEB = "web"
    MAILBOX = "mailbox"  # 市长信箱
    WECHAT = "wechat"
    WEIBO = "weibo"
    APP = "app"
    MESSAGE_BOARD = "message_board"  # 领导留言板


class RequestType(StrEnum):
    CONSULTATION = "consultation"  # 咨询
    HELP = "help"  # 求助
    COMPLAINT = "complaint"  # 投诉
    REPORT = "report"  # 举报
    SUGGESTION = "suggestion"  # 建议
    PRAISE = "praise"  # 表扬


class OrderState(StrEnum):
    PENDING_DISPATCH = "pending_dispatch"  # 待派单
    IN_PROGRESS = "in_progress"  # 办理中 (dispatched to units)
    PENDING_CALLBACK = "pending_callback"  # 待回访 (the lead reply was accepted)
    CLOSED = "closed"  # 办结
    ARCHIVED = "archived"  # 归档
    MERGED = "merged"  # 并单: follows its main order


class AssignmentRole(StrEnum):
    LEAD = "lead"  # 主办 (several at once: 联合双派)
    SUPPORT = "support"  # 协办 (also a department summoned by a whistle, 吹哨报到)


class AssignmentState(StrEnum):
    PENDING_SIGN = "pending_sign"  # 待签收
    IN_PROGRESS = "in_progress"  # 办理中
    RETURN_REQUESTED = "return_requested"  # 回退申请
    RETURNED = "returned"  # 回退已同意 (this unit is done with the order)
    SUSPENDED = "suspended"  # 挂起: waiting on the citizen, the reply clock paused (approved by the hotline)
    REPLIED = "replied"  # 已反馈, awaiting the hotline's review
    ACCEPTED = "accepted"  # 反馈已通过
    CANCELLED = "cancelled"  # withdrawn by the hotline


class ResultClass(StrEnum):
    RESOLVED = "resolved"  # 已解决
    PARTLY_RESOLVED = "partly_resolved"  # 部分解决
    EXPLAINED = "explained"  # 已解释说明, cannot be resolved
    NOT_WITHIN_DUTIES = "not_within_duties"  # 不属于职责范围


class ReturnReason(StrEnum):
    NOT_WITHIN_DUTIES = "not_within_duties"  # 非本单位职责
    OUTSIDE_JURISDICTION = "outside_jurisdiction"  # 不在辖区
    INCOMPLETE_INFORMATION = "incomplete_information"  # 信息不全, cannot be handled
    DUPLICATE = "duplicate"  # 重复工单
    OTHER = "other"


class Satisfaction(StrEnum):
    SATISFIED = "satisfied"  # 满意
    BASICALLY_SATISFIED = "basically_satisfied"  # 基本满意
    DISSATISFIED = "dissatisfied"  # 不满意


class LinkKind(StrEnum):
    MERGED = "merged"  # the order was merged into the other (counted once)
    RELATED = "related"


class Queue(StrEnum):
    TODAY_INTAKE = "today_intake"  # agent: what I recorded today
    TO_DISPATCH = "to_dispatch"  # dispatcher
    RETURNS_TO_REVIEW = "returns_to_review"  # dispatcher: 回退 awaiting a decision
    REPLIES_TO_REVIEW = "replies_to_review"  # dispatcher: 办结反馈 awaiting review
    REQUESTS_TO_REVIEW = "requests_to_review"  # dispatcher, supervisor: 延期 / 挂起 awaiting a decision
    TO_SIGN = "to_sign"  # unit: 待签收
    IN_PROGRESS = "in_progress"  # unit: signed, being handled (also reworks)
    SUPERVISED = "supervised"  # unit: its supervised orders; hotline: every open supervised order
    DUE_CALLBACKS = "due_callbacks"  # callback agent
    ALL = "all"  # every order the viewer may see, with the filters


class Category(Base):
    """Reference table: the national three-level taxonomy with stable codes (taxonomy/categories.csv)."""

    __tablename__ = "categories"
    __table_args__ = (Index("ix_categories_parent_code", "parent_code"),)

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    parent_code: Mapped[str | None] = mapped_column(String(20))
    level: Mapped[int] = mapped_column(SmallInteger)
    name: Mapped[str] = mapped_column(String(100))
    path: Mapped[str] = mapped_column(String(300))  # 城乡建设 / 安全生产 / 事故处理


class WorkOrderCounter(Base):
    """The last order number handed out per tenant and day (UPSERT … RETURNING; no duplicates)."""

    __tablename__ = "work_order_counters"

    tenant_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer)


class WorkOrderSettings(TenantRow, Base):
    """A tenant's rules for the loop that are not deadlines (those are the deadline policy's)."""

    __tablename__ = "work_order_settings"
    __table_args__ = (UniqueConstraint("tenant_id"),)

    # Approved returns of one order beyond which it is put under supervision (推诿).
    return_supervision_threshold: Mapped[int] = mapped_column(Integer, default=2)
    reopen_on_dissatisfied: Mapped[bool] = mapped_column(Boolean, default=True)
    callback_exempt_types: Mapped[list[str]] = mapped_column(ARRAY(String(20)), default=lambda: ["praise"])
    callback_max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    duplicate_window_days: Mapped[int] = mapped_column(Integer, default=30)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WorkOrder(TenantRow, Base):
    __tablename__ = "work_orders"
    __table_args__ = (
        UniqueConstraint("tenant_id", "number"),
        ForeignKeyConstraint(["category_code"], ["categories.code"]),
        ForeignKeyConstraint(["tenant_id", "merged_into_id"], ["work_orders.tenant_id", "work_orders.id"]),
        Index("ix_work_orders_state", "tenant_id", "state", "id"),
        Index("ix_work_orders_phone_hash", "tenant_id", "caller_phone_hash"),
        Index("ix_work_orders_place", "tenant_id", "division_code", "category_code", "created_at"),
        Index("ix_work_orders_created_by", "tenant_id", "created_by", "created_at"),
        # A period's orders counted from the index alone (evaluation's hotline figures; 20261122_orders_by_period).
        Index("ix_work_orders_period", "tenant_id", "created_at",
              postgresql_include=["state", "request_type", "category_code"]),
        Index("ix_work_orders_direct_answers", "tenant_id", "created_at",
              postgresql_include=["state", "request_type", "category_code", "closed_at"],
              postgresql_where=text("direct_answer IS NOT NULL")),
        Index("ix_work_orders_callback_due", "callback_due_at",
              postgresql_where=text("state = 'pending_callback'")),
        Index("ix_work_orders_progress_notice_due", "progress_notice_due_at",
              postgresql_where=text("progress_notified_at IS NULL")),
    )

    number: Mapped[str] = mapped_column(String(60))
    state: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    request_type: Mapped[str] = mapped_column(String(20))
    category_code: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    division_code: Mapped[str | None] = mapped_column(String(12))
    address: Mapped[str | None] = mapped_column(String(300))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    caller_name: Mapped[str | None] = mapped_column(String(100))
    caller_phone_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    caller_phone_hash: Mapped[str | None] = mapped_column(String(64))
    caller_phone_masked: Mapped[str | None] = mapped_column(String(30))
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)  # 保密: anonymous to the unit
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    enterprise_credit_code: Mapped[str | None] = mapped_column(String(18))  # 统一社会信用代码
    response_level: Mapped[int] = mapped_column(SmallInteger)  # 四级响应: 1 most urgent
    # A named deadline policy a dispatch rule chose (`workorders.policy`); None: the ordinary rules.
    deadline_policy: Mapped[str | None] = mapped_column(String(40))
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    direct_answer: Mapped[str | None] = mapped_column(Text)  # 直办: what was answered on the call
    dispatch_mode: Mapped[str | None] = mapped_column(String(10))  # single | joint (联合双派)
    return_count: Mapped[int] = mapped_column(Integer, default=0)  # approved returns (bounces)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)  # 重办 after a dissatisfied callback
    callback_attempts: Mapped[int] = mapped_column(Integer, default=0)
    supervised: Mapped[bool] = mapped_column(Boolean, default=False)
    supervision_reason: Mapped[str | None] = mapped_column(String(40))
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    satisfaction: Mapped[str | None] = mapped_column(String(30))
    resolved: Mapped[bool | None] = mapped_column(Boolean)
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    created_by_label: Mapped[str] = mapped_column(String(200))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    archived_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Deadlines (policy × calendar); *_beyond_calendar: computed past the known calendar by the weekday rule.
    progress_notice_due_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    progress_notice_beyond_calendar: Mapped[bool] = mapped_column(Boolean, default=False)
    progress_notified_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    callback_due_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    callback_beyond_calendar: Mapped[bool] = mapped_column(Boolean, default=False)


class Assignment(TenantRow, Base):
    """One unit's share of an order, with its own state and deadlines."""

    __tablename__ = "work_order_assignments"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "order_id"], ["work_orders.tenant_id", "work_orders.id"]),
        ForeignKeyConstraint(["tenant_id", "unit_id"], ["units.tenant_id", "units.id"]),
        ForeignKeyConstraint(["tenant_id", "summoned_by_id"],
                             ["work_order_assignments.tenant_id", "work_order_assignments.id"]),
        Index("ix_work_order_assignments_order", "tenant_id", "order_id"),
        Index("ix_work_order_assignments_unit_state", "tenant_id", "unit_id", "state"),
        Index("ix_work_order_assignments_state", "tenant_id", "state", "order_id"),
        Index("ix_work_order_assignments_sign_for_due", "sign_for_due_at",
              postgresql_where=text("state = 'pending_sign'")),
        Index("ix_work_order_assignments_reply_due", "reply_due_at",
              postgresql_where=text("state = 'in_progress'")),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    role: Mapped[str] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(20))
    summoned_by_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))  # 吹哨: the street's assignment
    dispatched_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    signed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    return_reason: Mapped[str | None] = mapped_column(String(30))
    return_explanation: Mapped[str | None] = mapped_column(Text)
    return_requests: Mapped[int] = mapped_column(Integer, default=0)
    result_class: Mapped[str | None] = mapped_column(String(30))
    reply_text: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    rework_count: Mapped[int] = mapped_column(Integer, default=0)
    review_note: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sign_for_due_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    sign_for_beyond_calendar: Mapped[bool] = mapped_column(Boolean, default=False)
    first_contact_due_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    first_contact_beyond_calendar: Mapped[bool] = mapped_column(Boolean, default=False)
    reply_due_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    reply_beyond_calendar: Mapped[bool] = mapped_column(Boolean, default=False)
    return_due_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    return_beyond_calendar: Mapped[bool] = mapped_column(Boolean, default=False)
    # Handling (handling_records.py, handling_requests.py): the first contact with the citizen, the
    # working days granted by extensions, the start of the running suspension.
    first_contacted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    extension_days_granted: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    suspended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class WorkOrderEvent(TenantRow, Base):
    """Append-only: one row per step of an order (who, when, from which state to which). The timeline."""

    __tablename__ = "work_order_events"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "order_id"], ["work_orders.tenant_id", "work_orders.id"]),
        Index("ix_work_order_events_order", "tenant_id", "order_id", "id"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    assignment_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    action: Mapped[str] = mapped_column(String(40))
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    actor_label: Mapped[str] = mapped_column(String(200))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)


class Callback(TenantRow, Base):
    """One callback attempt (回访): reached or not; when reached, resolution and satisfaction."""

    __tablename__ = "work_order_callbacks"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "order_id"], ["work_orders.tenant_id", "work_orders.id"]),
        Index("ix_work_order_callbacks_order", "tenant_id", "order_id"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    reached: Mapped[bool] = mapped_column(Boolean)
    resolved: Mapped[bool | None] = mapped_column(Boolean)
    satisfaction: Mapped[str | None] = mapped_column(String(30))
    comment: Mapped[str | None] = mapped_column(Text)
    agent_user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class WorkOrderLink(TenantRow, Base):
    """A merge (the order follows `other_id` and is counted once) or a plain relation."""

    __tablename__ = "work_order_links"
    __table_args__ = (
        UniqueConstraint("tenant_id", "order_id", "other_id"),
        ForeignKeyConstraint(["tenant_id", "order_id"], ["work_orders.tenant_id", "work_orders.id"]),
        ForeignKeyConstraint(["tenant_id", "other_id"], ["work_orders.tenant_id", "work_orders.id"]),
        Index("ix_work_order_links_other", "tenant_id", "other_id"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    other_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    kind: Mapped[str] = mapped_column(String(10))


class SentMessage(TenantRow, Base):
    """An SMS handed to the provider (the embedded provider's record of what it sent)."""

    __tablename__ = "sent_messages"
    __table_args__ = (
        UniqueConstraint("tenant_id", "notice_id"),
        ForeignKeyConstraint(["tenant_id", "order_id"], ["work_orders.tenant_id", "work_orders.id"]),
        Index("ix_sent_messages_order", "tenant_id", "order_id"),
    )

    # Set when the notice is enqueued; jobs are not told their outbox id, so the notice carries its own.
    notice_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    order_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    provider: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(30))
    phone_cipher: Mapped[bytes] = mapped_column(LargeBinary)
    phone_masked: Mapped[str] = mapped_column(String(30))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 server_default=func.now())
