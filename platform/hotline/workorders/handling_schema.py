"""Mutations of handling: notes and contacts (the unit), extensions and suspensions (asked by the unit,
decided by the hotline), resumption. Each returns the order as the caller may see it, or
`ValidationErrors` (`not_found`, `forbidden`, `invalid_state`, `over_limit`, field paths of bad input).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Awaitable, Callable

import strawberry

from hotline.api.context import Info
from hotline.api.errors import ValidationErrors, attempt
from hotline.kernel.acting import Acting
from hotline.workorders import access, handling_records, handling_requests
from hotline.workorders import handling_models as hm
from hotline.workorders import models as m
from hotline.workorders import repository as repo
from hotline.workorders.handling_types import ContactMethod
from hotline.workorders.schema import WorkOrderResult
from hotline.workorders.types import WorkOrder


@strawberry.input(description="联系记录: a contact (or an attempt) with the citizen.")
class CitizenContactInput:
    method: ContactMethod  # type: ignore[valid-type]
    reached: bool
    text: str = strawberry.field(description="What was said, or why the citizen was not reached.")
    contacted_at: dt.datetime | None = strawberry.field(
        default=None, description="When (default: now); without an offset, Beijing time.")

    def to_data(self) -> handling_records.ContactData:
        return handling_records.ContactData(method=hm.ContactMethod(self.method), reached=self.reached,
                                            text=self.text, contacted_at=self.contacted_at)


def _order_of(info: Info, change: Callable[[Acting], Awaitable[m.Assignment | hm.HandlingRequest]]
              ) -> Awaitable[WorkOrder | ValidationErrors]:
    async def run(acting: Acting) -> WorkOrder:
        s = info.context.session
        changed = await change(acting)
        order = await repo.order_by_id(s, acting.scope, changed.order_id)
        assert order is not None
        who = await access.viewer(s, acting)
        return WorkOrder.of(order, anonymised=who.anonymised(order))

    return attempt(info.context, run)


@strawberry.type
class HandlingMutation:
    @strawberry.mutation(description="办理记录: the unit notes what it did or found.")
    async def record_handling_note(self, info: Info, assignment_id: uuid.UUID, text: str) -> WorkOrderResult:
        s = info.context.session
        return await _order_of(info, lambda a: handling_records.record_note(s, a, assignment_id, text))

    @strawberry.mutation(description="联系记录: the unit contacted the citizen; the first contact meets "
                                     "the first_contact deadline.")
    async def record_citizen_contact(self, info: Info, assignment_id: uuid.UUID,
                                     input: CitizenContactInput) -> WorkOrderResult:
        s, data = info.context.session, input.to_data()
        return await _order_of(info, lambda a: handling_records.record_contact(s, a, assignment_id, data))

    @strawberry.mutation(description="延期申请: the unit asks for more working days to reply.")
    async def request_extension(self, info: Info, assignment_id: uuid.UUID, days: int,
                                reason: str) -> WorkOrderResult:
        s = info.context.session
        return await _order_of(info, lambda a: handling_requests.request_extension(s, a, assignment_id, days,
                                                                                     reason))

    @strawberry.mutation(description="The hotline grants an extension (optionally fewer days than asked); "
                                     "the reply deadline moves by working days.")
    async def approve_extension(self, info: Info, request_id: uuid.UUID, days: int | None = None,
                                note: str | None = None) -> WorkOrderResult:
        s = info.context.session
        return await _order_of(info, lambda a: handling_requests.approve_extension(s, a, request_id, days, note))

    @strawberry.mutation(description="The hotline refuses an extension; the reply deadline stays.")
    async def refuse_extension(self, info: Info, request_id: uuid.UUID, reason: str) -> WorkOrderResult:
        s = info.context.session
        return await _order_of(info, lambda a: handling_requests.refuse_extension(s, a, request_id, reason))

    @strawberry.mutation(description="挂起申请: the unit asks to stop the clock while it waits on the citizen.")
    async def request_suspension(self, info: Info, assignment_id: uuid.UUID, reason: str) -> WorkOrderResult:
        s = info.context.session
        return await _order_of(info, lambda a: handling_requests.request_suspension(s, a, assignment_id, reason))

    @strawberry.mutation(description="The hotline approves a suspension: the reply clock stops.")
    async def approve_suspension(self, info: Info, request_id: uuid.UUID, note: str | None = None
                                 ) -> WorkOrderResult:
        s = info.context.session
        return await _order_of(info, lambda a: handling_requests.approve_suspension(s, a, request_id, note))

    @strawberry.mutation(description="The hotline refuses a suspension.")
    async def refuse_suspension(self, info: Info, request_id: uuid.UUID, reason: str) -> WorkOrderResult:
        s = info.context.session
        return await _order_of(info, lambda a: handling_requests.refuse_suspension(s, a, request_id, reason))

    @strawberry.mutation(description="恢复办理: end a suspension (the unit or the hotline); the reply deadline "
                                     "moves by the time spent suspended.")
    async def resume_assignment(self, info: Info, assignment_id: uuid.UUID, note: str | None = None
                                ) -> WorkOrderResult:
        s = info.context.session
        return await _order_of(info, lambda a: handling_requests.resume(s, a, assignment_id, note))
