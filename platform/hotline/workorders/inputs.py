"""GraphQL inputs of the work-order domain and their translation into service data."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from enum import Enum

import strawberry

from hotline.workorders import callback, duplicates, handling, intake, queues, rules
from hotline.workorders import models as m
from hotline.workorders.types import Channel, RequestType, Satisfaction, WorkOrderState

WorkOrderQueue = strawberry.enum(m.Queue, name="WorkOrderQueue")


@strawberry.input
class LocationInput:
    division_code: str | None = strawberry.field(default=None, description="Down to the street: 320102003.")
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@strawberry.input
class CallerInput:
    phone: str | None = None
    name: str | None = None
    confidential: bool = strawberry.field(default=False, description="保密: stay anonymous to the unit.")


@strawberry.input
class EnterpriseInput:
    name: str | None = None
    credit_code: str | None = strawberry.field(default=None, description="统一社会信用代码 (18 characters).")


@strawberry.input
class AttachmentInput:
    name: str
    content_type: str = "application/octet-stream"
    size: int = 0
    url: str | None = None


@strawberry.input
class CreateWorkOrderInput:
    channel: Channel  # type: ignore[valid-type]
    request_type: RequestType  # type: ignore[valid-type]
    category_code: str
    title: str
    content: str
    response_level: int = strawberry.field(default=4, description="四级响应: 1 (most urgent) to 4.")
    location: LocationInput | None = None
    caller: CallerInput | None = None
    enterprise: EnterpriseInput | None = None
    attachments: list[AttachmentInput] = strawberry.field(default_factory=list)
    direct_answer: str | None = strawberry.field(default=None, description="直办: what was answered on the call.")

    def to_data(self) -> intake.NewWorkOrder:
        loc, caller, ent = self.location or LocationInput(), self.caller or CallerInput(), \
            self.enterprise or EnterpriseInput()
        return intake.NewWorkOrder(
            channel=m.Channel(self.channel), request_type=m.RequestType(self.request_type),
            category_code=self.category_code.strip(), title=self.title, content=self.content,
            response_level=self.response_level, division_code=loc.division_code, address=loc.address,
            latitude=loc.latitude, longitude=loc.longitude, caller_phone=caller.phone, caller_name=caller.name,
            confidential=caller.confidential, enterprise_name=ent.name, enterprise_credit_code=ent.credit_code,
            attachments=[intake.Attachment(a.name, a.content_type, a.size, a.url) for a in self.attachments],
            direct_answer=self.direct_answer)


@strawberry.input
class DispatchInput:
    order_id: uuid.UUID
    lead_unit_codes: list[str]
    support_unit_codes: list[str] = strawberry.field(default_factory=list)
    note: str | None = None


def plan_of(leads: Sequence[str], supports: Sequence[str], note: str | None) -> handling.DispatchPlan:
    return handling.DispatchPlan(lead_unit_codes=[c.strip() for c in leads],
                                 support_unit_codes=[c.strip() for c in supports], note=note)


@strawberry.input
class CallbackInput:
    reached: bool
    resolved: bool | None = None
    satisfaction: Satisfaction | None = None  # type: ignore[valid-type]
    comment: str | None = None

    def to_record(self) -> callback.CallbackRecord:
        return callback.CallbackRecord(
            reached=self.reached, resolved=self.resolved,
            satisfaction=m.Satisfaction(self.satisfaction) if self.satisfaction else None, comment=self.comment)


@strawberry.enum(description="Orders by their running clock (sign-for or reply).")
class DueFilter(Enum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"  # due within the next 24 hours


@strawberry.enum
class WorkOrderSortField(Enum):
    CREATED_AT = "created_at"
    NEXT_DUE = "next_due"  # the earliest running clock; orders without one last
    RESPONSE_LEVEL = "response_level"  # level 1 (most urgent) first


@strawberry.input
class WorkOrderOrder:
    field: WorkOrderSortField = WorkOrderSortField.CREATED_AT
    descending: bool = False

    def to_sort(self) -> queues.Sort:
        return queues.Sort(field=self.field.value, descending=self.descending)


@strawberry.input
class WorkOrderFilter:
    request_type: RequestType | None = None  # type: ignore[valid-type]
    response_level: int | None = None
    category_code: str | None = strawberry.field(default=None, description="This category or any below it.")
    state: WorkOrderState | None = None  # type: ignore[valid-type]
    supervised: bool | None = None
    channel: Channel | None = None  # type: ignore[valid-type]
    division_code: str | None = strawberry.field(default=None, description="This division or any below it.")
    created_from: dt.date | None = strawberry.field(default=None, description="Local day, included.")
    created_to: dt.date | None = strawberry.field(default=None, description="Local day, included.")
    text: str | None = strawberry.field(
        default=None, description="An order number, words of the title or content, or the caller's phone.")
    due: DueFilter | None = None

    def to_filter(self) -> queues.Filter:
        return queues.Filter(
            request_type=m.RequestType(self.request_type) if self.request_type else None,
            response_level=self.response_level, category_code=self.category_code,
            state=m.OrderState(self.state) if self.state else None, supervised=self.supervised,
            channel=m.Channel(self.channel) if self.channel else None, division_code=self.division_code,
            created_from=self.created_from, created_to=self.created_to, text=self.text,
            due=self.due.value if self.due else None)


@strawberry.input
class DuplicateProbeInput:
    phone: str | None = None
    division_code: str | None = None
    category_code: str | None = None
    title: str = ""
    content: str = ""
    exclude_order_id: uuid.UUID | None = None

    def to_probe(self) -> duplicates.Probe:
        return duplicates.Probe(phone=self.phone, division_code=self.division_code,
                                category_code=self.category_code, title=self.title, content=self.content,
                                exclude_order_id=self.exclude_order_id)


@strawberry.input
class WorkOrderRulesInput:
    return_supervision_threshold: int | None = None
    reopen_on_dissatisfied: bool | None = None
    callback_exempt_types: list[RequestType] | None = None  # type: ignore[valid-type]
    callback_max_attempts: int | None = None
    duplicate_window_days: int | None = None

    def to_change(self) -> rules.RulesChange:
        exempt = [m.RequestType(t) for t in self.callback_exempt_types] \
            if self.callback_exempt_types is not None else None
        return rules.RulesChange(
            return_supervision_threshold=self.return_supervision_threshold,
            reopen_on_dissatisfied=self.reopen_on_dissatisfied, callback_exempt_types=exempt,
            callback_max_attempts=self.callback_max_attempts, duplicate_window_days=self.duplicate_window_days)
