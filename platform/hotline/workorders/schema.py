"""Queries and mutations of the work-order domain.

Every field returns `… | ValidationErrors`: another tenant's order is `not_found`, a wrong role
`forbidden`, a wrong state `invalid_state`, bad input the field paths of the form.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated

import strawberry

from hotline.api.context import Info
from hotline.api.errors import ValidationErrors, attempt, read
from hotline.kernel.acting import Acting
from hotline.kernel.errors import DomainError
from hotline.workorders import access, callback, duplicates, handling, intake, queues, rules
from hotline.workorders import models as m
from hotline.workorders import repository as repo
from hotline.workorders.inputs import (
    CallbackInput,
    CreateWorkOrderInput,
    DispatchInput,
    DuplicateProbeInput,
    WorkOrderFilter,
    WorkOrderOrder,
    WorkOrderQueue,
    WorkOrderRulesInput,
    plan_of,
)
from hotline.workorders.types import (
    CallerHistory,
    Category,
    DuplicateSuggestion,
    DuplicateSuggestions,
    PageInfo,
    ResultClass,
    ReturnReason,
    RevealedPhone,
    WorkOrder,
    WorkOrderConnection,
    WorkOrderEdge,
    WorkOrderRules,
)

WorkOrderResult = Annotated[WorkOrder | ValidationErrors, strawberry.union("WorkOrderResult")]
WorkOrderConnectionResult = Annotated[WorkOrderConnection | ValidationErrors,
                                      strawberry.union("WorkOrderConnectionResult")]
CallerHistoryResult = Annotated[CallerHistory | ValidationErrors, strawberry.union("CallerHistoryResult")]
RevealedPhoneResult = Annotated[RevealedPhone | ValidationErrors, strawberry.union("RevealedPhoneResult")]
DuplicateSuggestionsResult = Annotated[DuplicateSuggestions | ValidationErrors,
                                       strawberry.union("DuplicateSuggestionsResult")]
WorkOrderRulesResult = Annotated[WorkOrderRules | ValidationErrors, strawberry.union("WorkOrderRulesResult")]


async def _view(info: Info, order: m.WorkOrder) -> WorkOrder:
    ctx = info.context
    who = await access.viewer(ctx.session, ctx.require_acting())
    return WorkOrder.of(order, anonymised=who.anonymised(order))


def _rules(r: rules.Rules) -> WorkOrderRules:
    return WorkOrderRules(return_supervision_threshold=r.return_supervision_threshold,
                          reopen_on_dissatisfied=r.reopen_on_dissatisfied,
                          callback_exempt_types=[m.RequestType(t) for t in r.callback_exempt_types],
                          callback_max_attempts=r.callback_max_attempts, duplicate_window_days=r.duplicate_window_days)


@strawberry.type
class WorkOrderQuery:
    @strawberry.field(description="An order of the acting tenant by id or number.")
    async def work_order(self, info: Info, id: uuid.UUID | None = None, number: str | None = None
                         ) -> WorkOrderResult:
        s = info.context.session

        async def find(acting: Acting) -> WorkOrder:
            who = await access.viewer(s, acting)
            order = await repo.order_by_id(s, acting.scope, id) if id else \
                await repo.order_by_number(s, acting.scope, number or "")
            if order is None or not await access.may_see(s, who, order):
                raise DomainError.one(("id",) if id else ("number",), "work order not found", "not_found")
            return WorkOrder.of(order, anonymised=who.anonymised(order))

        return await read(info.context, find)

    @strawberry.field(description="A work queue of your role, filtered and sorted (oldest first by default). "
                                  "Relay cursor pagination; `offset` jumps to a page (not with `after`).")
    async def work_order_queue(self, info: Info, queue: WorkOrderQueue, first: int = 20,  # type: ignore[valid-type]
                               after: str | None = None, filter: WorkOrderFilter | None = None,
                               order_by: WorkOrderOrder | None = None, offset: int | None = None
                               ) -> WorkOrderConnectionResult:
        s = info.context.session

        async def load(acting: Acting) -> WorkOrderConnection:
            f = filter.to_filter() if filter else queues.Filter()
            sort = order_by.to_sort() if order_by else queues.Sort()
            page = await queues.page(s, acting, m.Queue(queue), first, after, f, sort, offset)
            who = await access.viewer(s, acting)
            edges = [WorkOrderEdge(cursor=page.cursor(i), node=WorkOrder.of(o, anonymised=who.anonymised(o)))
                     for i, o in enumerate(page.orders)]
            return WorkOrderConnection(edges=edges, total_count=page.total, page_info=PageInfo(
                has_next_page=page.has_next, end_cursor=edges[-1].cursor if edges else None))

        return await read(info.context, load)

    @strawberry.field(description="The caller's past and open orders in this tenant (repeat callers).")
    async def caller_history(self, info: Info, phone: str) -> CallerHistoryResult:
        s = info.context.session

        async def load(acting: Acting) -> CallerHistory:
            found = await intake.caller_history(s, acting, phone)
            return CallerHistory(repeat_caller=found.repeat_caller, total=found.total, open=found.open,
                                 orders=[WorkOrder.of(o, anonymised=False) for o in found.orders])

        return await read(info.context, load)

    @strawberry.field(description="Possible duplicates of an order being recorded (or of an existing one).")
    async def duplicate_suggestions(self, info: Info, input: DuplicateProbeInput) -> DuplicateSuggestionsResult:
        s = info.context.session

        async def load(acting: Acting) -> DuplicateSuggestions:
            found = await duplicates.suggest(s, acting, input.to_probe())
            return DuplicateSuggestions(suggestions=[DuplicateSuggestion(
                order=WorkOrder.of(x.order, anonymised=False), same_caller=x.same_caller,
                same_place_and_category=x.same_place, text_similarity=x.similarity) for x in found])

        return await read(info.context, load)

    @strawberry.field(description="The national taxonomy: categories directly below a code (the top without one).")
    async def categories(self, info: Info, parent_code: str | None = None) -> list[Category]:
        return [Category.of(c) for c in await repo.categories_under(info.context.session, parent_code)]

    @strawberry.field(description="The acting tenant's rules for the loop.")
    async def work_order_rules(self, info: Info) -> WorkOrderRulesResult:
        s = info.context.session

        async def load(acting: Acting) -> WorkOrderRules:
            return _rules(await rules.effective(s, acting.scope, acting.tenant_id))

        return await read(info.context, load)


def _order(info: Info, change: Callable[[Acting], Awaitable[m.WorkOrder]]) -> Awaitable[WorkOrder | ValidationErrors]:
    async def run(acting: Acting) -> WorkOrder:
        return await _view(info, await change(acting))

    return attempt(info.context, run)


def _of_assignment(info: Info, change: Callable[[Acting], Awaitable[m.Assignment]]
                   ) -> Awaitable[WorkOrder | ValidationErrors]:
    async def run(acting: Acting) -> WorkOrder:
        assignment = await change(acting)
        order = await repo.order_by_id(info.context.session, acting.scope, assignment.order_id)
        assert order is not None
        return await _view(info, order)

    return attempt(info.context, run)


@strawberry.type
class WorkOrderMutation:
    @strawberry.mutation(description="受理: record an order (agents); with directAnswer a consultation closes (直办).")
    async def create_work_order(self, info: Info, input: CreateWorkOrderInput) -> WorkOrderResult:
        s, data = info.context.session, input.to_data()
        return await _order(info, lambda a: intake.create_work_order(s, a, data))

    @strawberry.mutation(description="直办: close a consultation waiting for dispatch with the answer given.")
    async def answer_directly(self, info: Info, order_id: uuid.UUID, answer: str) -> WorkOrderResult:
        s = info.context.session
        return await _order(info, lambda a: intake.answer_directly(s, a, order_id, answer))

    @strawberry.mutation(description="The caller's full phone number (audited); agents, callback agents, "
                                     "supervisors, and the unit of a non-confidential order.")
    async def reveal_caller_phone(self, info: Info, order_id: uuid.UUID) -> RevealedPhoneResult:
        s = info.context.session

        async def run(acting: Acting) -> RevealedPhone:
            return RevealedPhone(order_id=order_id, phone=await intake.reveal_phone(s, acting, order_id))

        return await attempt(info.context, run)

    @strawberry.mutation(description="派单: lead unit(s) (two or more: 联合双派) and supporting units (协办).")
    async def dispatch_work_order(self, info: Info, input: DispatchInput) -> WorkOrderResult:
        s, plan = info.context.session, plan_of(input.lead_unit_codes, input.support_unit_codes, input.note)
        return await _order(info, lambda a: handling.dispatch(s, a, input.order_id, plan))

    @strawberry.mutation(description="签收: the unit takes the order.")
    async def sign_for_assignment(self, info: Info, assignment_id: uuid.UUID) -> WorkOrderResult:
        s = info.context.session
        return await _of_assignment(info, lambda a: handling.sign_for(s, a, assignment_id))

    @strawberry.mutation(description="回退: the unit objects to the dispatch, with a coded reason.")
    async def request_return(self, info: Info, assignment_id: uuid.UUID, reason: ReturnReason,  # type: ignore[valid-type]
                             explanation: str) -> WorkOrderResult:
        s, code = info.context.session, m.ReturnReason(reason)
        return await _of_assignment(info, lambda a: handling.request_return(s, a, assignment_id, code, explanation))

    @strawberry.mutation(description="The dispatcher agrees to a return; optionally re-dispatches at once.")
    async def approve_return(self, info: Info, assignment_id: uuid.UUID, note: str | None = None,
                             redispatch: DispatchInput | None = None) -> WorkOrderResult:
        s = info.context.session
        plan = plan_of(redispatch.lead_unit_codes, redispatch.support_unit_codes, redispatch.note) \
            if redispatch else None
        return await _order(info, lambda a: handling.approve_return(s, a, assignment_id, note, plan))

    @strawberry.mutation(description="The dispatcher refuses a return: back to the unit, clock not reset.")
    async def reject_return(self, info: Info, assignment_id: uuid.UUID, reason: str) -> WorkOrderResult:
        s = info.context.session
        return await _of_assignment(info, lambda a: handling.reject_return(s, a, assignment_id, reason))

    @strawberry.mutation(description="办结反馈: the unit's reply with its result class and the text for the citizen.")
    async def reply_to_work_order(self, info: Info, assignment_id: uuid.UUID, result: ResultClass,  # type: ignore[valid-type]
                                  text: str) -> WorkOrderResult:
        s, result_class = info.context.session, m.ResultClass(result)
        return await _of_assignment(info, lambda a: handling.reply(s, a, assignment_id, result_class, text))

    @strawberry.mutation(description="The hotline accepts a reply; the lead's acceptance completes the order.")
    async def accept_reply(self, info: Info, assignment_id: uuid.UUID, note: str | None = None) -> WorkOrderResult:
        s = info.context.session
        return await _order(info, lambda a: handling.accept_reply(s, a, assignment_id, note))

    @strawberry.mutation(description="退回重办: the hotline sends a reply back for rework.")
    async def send_back_reply(self, info: Info, assignment_id: uuid.UUID, reason: str) -> WorkOrderResult:
        s = info.context.session
        return await _of_assignment(info, lambda a: handling.send_back(s, a, assignment_id, reason))

    @strawberry.mutation(description="吹哨: a street leading the order summons departments as supporting units.")
    async def blow_whistle(self, info: Info, assignment_id: uuid.UUID, unit_codes: list[str],
                           note: str) -> WorkOrderResult:
        s = info.context.session

        async def run(acting: Acting) -> m.WorkOrder:
            made = await handling.blow_whistle(s, acting, assignment_id, unit_codes, note)
            order = await repo.order_by_id(s, acting.scope, made[0].order_id)
            assert order is not None
            return order

        return await _order(info, run)

    @strawberry.mutation(description="回访: record a callback attempt and, when reached, its outcome.")
    async def record_callback(self, info: Info, order_id: uuid.UUID, input: CallbackInput) -> WorkOrderResult:
        s, data = info.context.session, input.to_record()
        return await _order(info, lambda a: callback.record_callback(s, a, order_id, data))

    @strawberry.mutation(description="归档: file a closed order.")
    async def archive_work_order(self, info: Info, order_id: uuid.UUID) -> WorkOrderResult:
        s = info.context.session
        return await _order(info, lambda a: callback.archive(s, a, order_id))

    @strawberry.mutation(description="并单: merge a repeated request into its main order; returns the main order.")
    async def merge_work_order(self, info: Info, order_id: uuid.UUID, into_order_id: uuid.UUID) -> WorkOrderResult:
        s = info.context.session
        return await _order(info, lambda a: duplicates.merge(s, a, order_id, into_order_id))

    @strawberry.mutation(description="Link two orders as related (both stay counted).")
    async def link_work_orders(self, info: Info, order_id: uuid.UUID, other_order_id: uuid.UUID) -> WorkOrderResult:
        s = info.context.session
        return await _order(info, lambda a: duplicates.link(s, a, order_id, other_order_id))

    @strawberry.mutation(description="Change the acting tenant's rules for the loop (tenant admins).")
    async def update_work_order_rules(self, info: Info, input: WorkOrderRulesInput) -> WorkOrderRulesResult:
        s, change = info.context.session, input.to_change()

        async def run(acting: Acting) -> WorkOrderRules:
            return _rules(await rules.update(s, acting, change))

        return await attempt(info.context, run)

