"""GraphQL types of supervision (督办)."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import Enum

import strawberry

from hotline.api.context import Info
from hotline.tenancy.types import Unit
from hotline.workorders import access, supervision
from hotline.workorders import supervision_models as sm
from hotline.workorders.types import Assignment, PageInfo, WorkOrder

Key = tuple[uuid.UUID, uuid.UUID]


@strawberry.enum(description="Escalation levels: 催办 → 督办通知 → 挂牌督办 (reported to leaders).")
class SupervisionLevel(Enum):
    REMINDER = 1
    NOTICE = 2
    LISTED = 3


SupervisionReason = strawberry.enum(sm.SupervisionReason, name="SupervisionReason")
SupervisionState = strawberry.enum(sm.SupervisionState, name="SupervisionState")
SupervisionBoardSection = strawberry.enum(supervision.BoardSection, name="SupervisionBoardSection")


@strawberry.type(description="A supervision notice (督办单) to one unit about one order.")
class SupervisionNotice:
    id: uuid.UUID
    order_id: uuid.UUID
    assignment_id: uuid.UUID | None
    level: SupervisionLevel
    reason: SupervisionReason  # type: ignore[valid-type]
    state: SupervisionState  # type: ignore[valid-type]
    automatic: bool = strawberry.field(description="Written by the deadline sweep rather than by a supervisor.")
    deadline_kind: str | None = strawberry.field(description="sign_for, reply or callback for automatic notices.")
    deadline_due_at: dt.datetime | None
    instruction: str
    reply_required: bool
    reply_due_at: dt.datetime | None
    reply_due_beyond_known_calendar: bool
    escalate_at: dt.datetime | None = strawberry.field(
        description="When it is listed (挂牌督办) if still live; null when it will not escalate.")
    escalated_from_id: uuid.UUID | None
    opened_at: dt.datetime
    opened_by: str
    reply_text: str | None
    replied_at: dt.datetime | None
    replied_by: str | None
    closed_at: dt.datetime | None
    closed_by: str | None
    close_note: str | None
    tenant_id: strawberry.Private[uuid.UUID]
    unit_id: strawberry.Private[uuid.UUID | None]

    @classmethod
    def of(cls, n: sm.SupervisionNotice) -> SupervisionNotice:
        return cls(
            id=n.id, order_id=n.order_id, assignment_id=n.assignment_id, level=SupervisionLevel(n.level),
            reason=sm.SupervisionReason(n.reason), state=sm.SupervisionState(n.state), automatic=n.automatic,
            deadline_kind=n.deadline_kind, deadline_due_at=n.deadline_due_at, instruction=n.instruction,
            reply_required=n.reply_required, reply_due_at=n.reply_due_at,
            reply_due_beyond_known_calendar=n.reply_due_beyond_calendar, escalate_at=n.escalate_at,
            escalated_from_id=n.escalated_from_id, opened_at=n.created_at, opened_by=n.opened_by_label,
            reply_text=n.reply_text, replied_at=n.replied_at, replied_by=n.replied_by_label, closed_at=n.closed_at,
            closed_by=n.closed_by_label, close_note=n.close_note, tenant_id=n.tenant_id, unit_id=n.unit_id)

    @strawberry.field(description="The unit that must answer; null for the callback team's flags.")
    async def unit(self, info: Info) -> Unit | None:
        if self.unit_id is None:
            return None
        found = await info.context.loaders.workorders.unit.load((self.tenant_id, self.unit_id))
        return Unit.of(found) if found else None

    @strawberry.field
    async def order(self, info: Info) -> WorkOrder | None:
        found = await info.context.loaders.workorders.order.load((self.tenant_id, self.order_id))
        if found is None:
            return None
        who = await access.viewer(info.context.session, info.context.require_acting())
        return WorkOrder.of(found, anonymised=who.anonymised(found))


@strawberry.type
class SupervisionNoticeEdge:
    cursor: str
    node: SupervisionNotice


@strawberry.type(description="A Relay-style page of supervision notices.")
class SupervisionNoticeConnection:
    edges: list[SupervisionNoticeEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type(description="One line of the supervisor's board: an order, and what is wrong with it.")
class SupervisionBoardItem:
    deadline_kind: str | None
    due_at: dt.datetime | None = strawberry.field(
        description="The missed deadline (overdue sections) or the notice's reply deadline (notice sections).")
    assignment: Assignment | None
    notice: SupervisionNotice | None
    order_key: strawberry.Private[Key]

    @strawberry.field
    async def order(self, info: Info) -> WorkOrder | None:
        found = await info.context.loaders.workorders.order.load(self.order_key)
        return WorkOrder.of(found, anonymised=False) if found else None


@strawberry.type
class SupervisionBoardEdge:
    cursor: str
    node: SupervisionBoardItem


@strawberry.type(description="A Relay-style page of one section of the supervisor's board.")
class SupervisionBoardConnection:
    section: SupervisionBoardSection  # type: ignore[valid-type]
    edges: list[SupervisionBoardEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type(description="A tenant's supervision limits.")
class SupervisionSettings:
    reminder_lead_hours: float = strawberry.field(description="催办: how many hours before a deadline.")
    notice_reply_days: int = strawberry.field(description="Working days a unit has to answer a notice.")
    escalation_days: int = strawberry.field(
        description="Working days after a missed deadline (or an unanswered notice) before listed supervision.")

    @classmethod
    def of(cls, s: supervision.Settings) -> SupervisionSettings:
        return cls(reminder_lead_hours=s.reminder_lead_hours, notice_reply_days=s.notice_reply_days,
                   escalation_days=s.escalation_days)


async def notices_of_order(info: Info, tenant_id: uuid.UUID, order_id: uuid.UUID) -> list[SupervisionNotice]:
    """The notices on an order's detail: the hotline sees all; a unit the ones addressed to it."""
    ctx = info.context
    who = await access.viewer(ctx.session, ctx.require_acting())
    found = await ctx.loaders.supervision.of_order.load((tenant_id, order_id))
    return [SupervisionNotice.of(n) for n in found if supervision.visible_to(who, n)]
