"""GraphQL types of the work-order domain."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.scalars import JSON

from hotline.api.context import Info
from hotline.kernel.models import utcnow
from hotline.tenancy.types import Unit
from hotline.workorders import deadlines, models
from hotline.workorders.handling_types import HandlingRecord, HandlingRequest

if TYPE_CHECKING:
    from hotline.workorders.supervision_types import SupervisionNotice

Channel = strawberry.enum(models.Channel, name="Channel")
RequestType = strawberry.enum(models.RequestType, name="RequestType")
WorkOrderState = strawberry.enum(models.OrderState, name="WorkOrderState")
AssignmentRole = strawberry.enum(models.AssignmentRole, name="AssignmentRole")
AssignmentState = strawberry.enum(models.AssignmentState, name="AssignmentState")
ResultClass = strawberry.enum(models.ResultClass, name="ResultClass")
ReturnReason = strawberry.enum(models.ReturnReason, name="ReturnReason")
Satisfaction = strawberry.enum(models.Satisfaction, name="Satisfaction")
LinkKind = strawberry.enum(models.LinkKind, name="LinkKind")


@strawberry.type(description="A category of the national three-level taxonomy, by its stable code.")
class Category:
    code: str
    name: str
    level: int
    path: str
    parent_code: str | None

    @classmethod
    def of(cls, c: models.Category) -> Category:
        return cls(code=c.code, name=c.name, level=c.level, path=c.path, parent_code=c.parent_code)


@strawberry.type(description="A deadline: when it falls due, whether it was met.")
class Deadline:
    kind: str
    due_at: dt.datetime
    beyond_known_calendar: bool = strawberry.field(
        description="Computed by the weekday rule past the published calendar: the tenant must publish the year.")
    done_at: dt.datetime | None
    met: bool | None = strawberry.field(description="null while open and not yet overdue.")


def deadline(kind: str, due: dt.datetime | None, beyond: bool, done: dt.datetime | None) -> Deadline | None:
    if due is None:
        return None
    if done is not None:
        met: bool | None = done <= due
    else:
        met = False if utcnow() > due else None
    return Deadline(kind=kind, due_at=due, beyond_known_calendar=beyond, done_at=done, met=met)


@strawberry.type
class Location:
    division_code: str | None
    address: str | None
    latitude: float | None
    longitude: float | None


@strawberry.type(description="The caller as this viewer may see them: the phone masked (reveal it by mutation).")
class Caller:
    name: str | None
    phone: str | None = strawberry.field(description="Masked, e.g. 138****5678.")
    confidential: bool = strawberry.field(description="保密: anonymous to the handling units.")
    anonymised: bool = strawberry.field(description="Hidden from you because the caller asked for it.")


@strawberry.type
class Enterprise:
    name: str | None
    credit_code: str | None


@strawberry.type
class AttachmentInfo:
    name: str
    content_type: str
    size: int
    url: str | None


@strawberry.type(description="One step of an order: who did what, when, from which state to which.")
class TimelineEvent:
    id: uuid.UUID
    action: str
    at: dt.datetime
    actor: str
    from_state: str | None
    to_state: str | None
    note: str | None
    assignment_id: uuid.UUID | None
    detail: JSON
    tenant_id: strawberry.Private[uuid.UUID]
    unit_id: strawberry.Private[uuid.UUID | None]

    @classmethod
    def of(cls, e: models.WorkOrderEvent) -> TimelineEvent:
        return cls(id=e.id, action=e.action, at=e.created_at, actor=e.actor_label, from_state=e.from_state,
                   to_state=e.to_state, note=e.note, assignment_id=e.assignment_id, detail=JSON(e.detail),
                   tenant_id=e.tenant_id, unit_id=e.unit_id)

    @strawberry.field
    async def unit(self, info: Info) -> Unit | None:
        if self.unit_id is None:
            return None
        found = await info.context.loaders.workorders.unit.load((self.tenant_id, self.unit_id))
        return Unit.of(found) if found else None


@strawberry.type(description="One unit's share of an order (主办 or 协办), with its own state and deadlines.")
class Assignment:
    id: uuid.UUID
    order_id: uuid.UUID
    role: AssignmentRole  # type: ignore[valid-type]
    state: AssignmentState  # type: ignore[valid-type]
    dispatched_at: dt.datetime
    signed_at: dt.datetime | None
    return_reason: ReturnReason | None  # type: ignore[valid-type]
    return_explanation: str | None
    return_requests: int
    result_class: ResultClass | None  # type: ignore[valid-type]
    reply_text: str | None
    replied_at: dt.datetime | None
    rework_count: int
    review_note: str | None
    finished_at: dt.datetime | None
    summoned_by_id: uuid.UUID | None
    first_contacted_at: dt.datetime | None
    extension_days_granted: int
    suspended_at: dt.datetime | None = strawberry.field(description="挂起: since when, while suspended.")
    deadlines: list[Deadline]
    tenant_id: strawberry.Private[uuid.UUID]
    unit_id: strawberry.Private[uuid.UUID]

    @classmethod
    def of(cls, a: models.Assignment) -> Assignment:
        found = [deadline("sign_for", a.sign_for_due_at, a.sign_for_beyond_calendar, a.signed_at),
                 deadline("first_contact", a.first_contact_due_at, a.first_contact_beyond_calendar,
                          a.first_contacted_at),
                 deadline("reply", a.reply_due_at, a.reply_beyond_calendar, a.replied_at),
                 deadline("return_window", a.return_due_at, a.return_beyond_calendar, None)]
        return cls(
            id=a.id, order_id=a.order_id, role=models.AssignmentRole(a.role), state=models.AssignmentState(a.state),
            dispatched_at=a.created_at, signed_at=a.signed_at,
            return_reason=models.ReturnReason(a.return_reason) if a.return_reason else None,
            return_explanation=a.return_explanation, return_requests=a.return_requests,
            result_class=models.ResultClass(a.result_class) if a.result_class else None, reply_text=a.reply_text,
            replied_at=a.replied_at, rework_count=a.rework_count, review_note=a.review_note,
            finished_at=a.finished_at, summoned_by_id=a.summoned_by_id, first_contacted_at=a.first_contacted_at,
            extension_days_granted=a.extension_days_granted, suspended_at=a.suspended_at,
            deadlines=[d for d in found if d], tenant_id=a.tenant_id, unit_id=a.unit_id)

    @strawberry.field
    async def unit(self, info: Info) -> Unit:
        found = await info.context.loaders.workorders.unit.load((self.tenant_id, self.unit_id))
        assert found is not None  # the composite foreign key guarantees it
        return Unit.of(found)

    @strawberry.field(description="办理记录 and 联系记录 of this unit, oldest first.")
    async def handling_records(self, info: Info) -> list[HandlingRecord]:
        rows = await info.context.loaders.workorders.handling_records.load((self.tenant_id, self.order_id))
        return [HandlingRecord.of(r) for r in rows if r.assignment_id == self.id]

    @strawberry.field(description="延期 and 挂起 requests of this unit, oldest first.")
    async def requests(self, info: Info) -> list[HandlingRequest]:
        rows = await info.context.loaders.workorders.handling_requests.load((self.tenant_id, self.order_id))
        return [HandlingRequest.of(r) for r in rows if r.assignment_id == self.id]


@strawberry.type
class CallbackRecord:
    id: uuid.UUID
    at: dt.datetime
    reached: bool
    resolved: bool | None
    satisfaction: Satisfaction | None  # type: ignore[valid-type]
    comment: str | None

    @classmethod
    def of(cls, c: models.Callback) -> CallbackRecord:
        return cls(id=c.id, at=c.created_at, reached=c.reached, resolved=c.resolved,
                   satisfaction=models.Satisfaction(c.satisfaction) if c.satisfaction else None, comment=c.comment)


@strawberry.type
class WorkOrderLink:
    kind: LinkKind  # type: ignore[valid-type]
    order_id: uuid.UUID
    other_id: uuid.UUID
    at: dt.datetime


@strawberry.type(description="A work order (工单).")
class WorkOrder:
    id: uuid.UUID
    number: str
    state: WorkOrderState  # type: ignore[valid-type]
    channel: Channel  # type: ignore[valid-type]
    request_type: RequestType  # type: ignore[valid-type]
    category_code: str
    title: str
    content: str
    location: Location
    caller: Caller
    enterprise: Enterprise | None
    response_level: int
    deadline_policy: str | None = strawberry.field(
        description="The named deadline policy a dispatch rule chose; null: the ordinary rules.")
    attachments: list[AttachmentInfo]
    direct_answer: str | None
    dispatch_mode: str | None
    return_count: int
    reopen_count: int
    callback_attempts: int
    supervised: bool
    supervision_reason: str | None
    merged_into_id: uuid.UUID | None
    resolved: bool | None
    satisfaction: Satisfaction | None  # type: ignore[valid-type]
    created_at: dt.datetime
    created_by: str
    closed_at: dt.datetime | None
    archived_at: dt.datetime | None
    deadlines: list[Deadline]
    tenant_id: strawberry.Private[uuid.UUID]

    @classmethod
    def of(cls, o: models.WorkOrder, *, anonymised: bool) -> WorkOrder:
        found = [deadline("progress_notice", o.progress_notice_due_at, o.progress_notice_beyond_calendar,
                          o.progress_notified_at),
                 deadline("callback", o.callback_due_at, o.callback_beyond_calendar,
                          o.closed_at if o.state in (models.OrderState.CLOSED, models.OrderState.ARCHIVED) else None)]
        caller = Caller(name=None if anonymised else o.caller_name,
                        phone=None if anonymised else o.caller_phone_masked, confidential=o.confidential,
                        anonymised=anonymised)
        enterprise = None if not (o.enterprise_name or o.enterprise_credit_code) else \
            Enterprise(name=o.enterprise_name, credit_code=o.enterprise_credit_code)
        return cls(
            id=o.id, number=o.number, state=models.OrderState(o.state), channel=models.Channel(o.channel),
            request_type=models.RequestType(o.request_type), category_code=o.category_code, title=o.title,
            content=o.content, location=Location(division_code=o.division_code, address=o.address,
                                                 latitude=o.latitude, longitude=o.longitude),
            caller=caller, enterprise=enterprise, response_level=o.response_level,
            deadline_policy=o.deadline_policy,
            attachments=[_attachment(a) for a in o.attachments or []], direct_answer=o.direct_answer,
            dispatch_mode=o.dispatch_mode, return_count=o.return_count, reopen_count=o.reopen_count,
            callback_attempts=o.callback_attempts, supervised=o.supervised, supervision_reason=o.supervision_reason,
            merged_into_id=o.merged_into_id, resolved=o.resolved,
            satisfaction=models.Satisfaction(o.satisfaction) if o.satisfaction else None, created_at=o.created_at,
            created_by=o.created_by_label, closed_at=o.closed_at, archived_at=o.archived_at,
            deadlines=[d for d in found if d], tenant_id=o.tenant_id)

    @strawberry.field
    async def category(self, info: Info) -> Category | None:
        found = await info.context.loaders.workorders.category.load(self.category_code)
        return Category.of(found) if found else None

    @strawberry.field(description="The earliest running clock of its assignments (sign-for or reply); null when "
                              "none runs (waiting for dispatch, suspended, replied, closed).")
    async def next_due_at(self, info: Info) -> dt.datetime | None:
        found = await info.context.loaders.workorders.assignments.load((self.tenant_id, self.id))
        clocks = [c for c in map(deadlines.running_clock, found) if c is not None]
        return min(clocks, default=None)

    @strawberry.field(description="One per unit, in dispatch order.")
    async def assignments(self, info: Info) -> list[Assignment]:
        return [Assignment.of(a) for a in await info.context.loaders.workorders.assignments.load(
            (self.tenant_id, self.id))]

    @strawberry.field(description="Every step, oldest first (from the append-only event table).")
    async def timeline(self, info: Info) -> list[TimelineEvent]:
        return [TimelineEvent.of(e) for e in await info.context.loaders.workorders.events.load(
            (self.tenant_id, self.id))]

    @strawberry.field
    async def callbacks(self, info: Info) -> list[CallbackRecord]:
        return [CallbackRecord.of(c) for c in await info.context.loaders.workorders.callbacks.load(
            (self.tenant_id, self.id))]

    @strawberry.field(description="Supervision notices (督办) on this order, oldest first; a unit sees its own.")
    async def supervision_notices(self, info: Info) -> list[Annotated[
            SupervisionNotice, strawberry.lazy("hotline.workorders.supervision_types")]]:
        from hotline.workorders.supervision_types import notices_of_order

        return await notices_of_order(info, self.tenant_id, self.id)

    @strawberry.field(description="Merges and relations with other orders, on either side.")
    async def links(self, info: Info) -> list[WorkOrderLink]:
        return [WorkOrderLink(kind=models.LinkKind(k.kind), order_id=k.order_id, other_id=k.other_id, at=k.created_at)
                for k in await info.context.loaders.workorders.links.load((self.tenant_id, self.id))]


def _attachment(a: dict[str, Any]) -> AttachmentInfo:
    return AttachmentInfo(name=str(a.get("name", "")), content_type=str(a.get("content_type", "")),
                          size=int(a.get("size", 0)), url=a.get("url"))


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class WorkOrderEdge:
    cursor: str
    node: WorkOrder


@strawberry.type(description="A Relay-style page of orders.")
class WorkOrderConnection:
    edges: list[WorkOrderEdge]
    page_info: PageInfo
    total_count: int


@strawberry.type(description="What this tenant already has from the same phone number.")
class CallerHistory:
    repeat_caller: bool
    total: int
    open: int
    orders: list[WorkOrder]


@strawberry.type
class RevealedPhone:
    order_id: uuid.UUID
    phone: str | None


@strawberry.type(description="A possible duplicate of the order being recorded, and why.")
class DuplicateSuggestion:
    order: WorkOrder
    same_caller: bool
    same_place_and_category: bool
    text_similarity: float


@strawberry.type
class DuplicateSuggestions:
    suggestions: list[DuplicateSuggestion]


@strawberry.type(description="A tenant's rules for the loop (deadlines are the deadline policy's).")
class WorkOrderRules:
    return_supervision_threshold: int
    reopen_on_dissatisfied: bool
    callback_exempt_types: list[RequestType]  # type: ignore[valid-type]
    callback_max_attempts: int
    duplicate_window_days: int
