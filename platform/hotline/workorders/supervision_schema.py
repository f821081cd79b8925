"""Queries and mutations of supervision (督办).

Every field answers `… | ValidationErrors`: another tenant's order or notice is `not_found` (so is a
notice addressed to another unit, for a unit handler), a wrong role `forbidden`, a wrong state
`invalid_state`, bad input the field paths of the form.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import strawberry

from hotline.api.context import Info
from hotline.api.errors import ValidationErrors, attempt
from hotline.kernel.acting import Acting
from hotline.kernel.errors import DomainError
from hotline.workorders import supervision
from hotline.workorders import supervision_models as sm
from hotline.workorders.supervision_types import (
    SupervisionBoardConnection,
    SupervisionBoardEdge,
    SupervisionBoardItem,
    SupervisionBoardSection,
    SupervisionLevel,
    SupervisionNotice,
    SupervisionNoticeConnection,
    SupervisionNoticeEdge,
    SupervisionReason,
    SupervisionSettings,
    SupervisionState,
)
from hotline.workorders.types import Assignment, PageInfo

T = TypeVar("T")
SupervisionNoticeResult = Annotated[SupervisionNotice | ValidationErrors, strawberry.union("SupervisionNoticeResult")]
SupervisionNoticeConnectionResult = Annotated[SupervisionNoticeConnection | ValidationErrors,
                                              strawberry.union("SupervisionNoticeConnectionResult")]
SupervisionBoardResult = Annotated[SupervisionBoardConnection | ValidationErrors,
                                   strawberry.union("SupervisionBoardResult")]
SupervisionSettingsResult = Annotated[SupervisionSettings | ValidationErrors,
                                      strawberry.union("SupervisionSettingsResult")]


@strawberry.input
class OpenSupervisionInput:
    order_id: uuid.UUID
    target_unit_code: str = strawberry.field(description="A unit that handles the order.")
    reason: SupervisionReason  # type: ignore[valid-type]
    instruction: str = strawberry.field(description="What the unit must do and report (督办要求).")
    level: SupervisionLevel = SupervisionLevel.NOTICE
    reply_due_at: dt.datetime | None = strawberry.field(
        default=None, description="The reply deadline; by default the tenant's noticeReplyDays working days.")

    def to_data(self) -> supervision.NewSupervision:
        return supervision.NewSupervision(
            order_id=self.order_id, target_unit_code=self.target_unit_code, reason=sm.SupervisionReason(self.reason),
            instruction=self.instruction, level=sm.SupervisionLevel(self.level.value), reply_due_at=self.reply_due_at)


@strawberry.input
class SupervisionSettingsInput:
    reminder_lead_hours: float | None = None
    notice_reply_days: int | None = None
    escalation_days: int | None = None

    def to_change(self) -> supervision.SettingsChange:
        return supervision.SettingsChange(reminder_lead_hours=self.reminder_lead_hours,
                                          notice_reply_days=self.notice_reply_days,
                                          escalation_days=self.escalation_days)


async def _read(info: Info, fn: Callable[[Acting], Awaitable[T]]) -> T | ValidationErrors:
    try:
        return await fn(info.context.require_acting())
    except DomainError as error:
        return ValidationErrors.of(error)


def _board(section: supervision.BoardSection, page: supervision.BoardPage) -> SupervisionBoardConnection:
    edges = [SupervisionBoardEdge(cursor=supervision.cursor_of(item.id), node=SupervisionBoardItem(
        deadline_kind=item.deadline_kind, due_at=item.due_at,
        assignment=Assignment.of(item.assignment) if item.assignment else None,
        notice=SupervisionNotice.of(item.notice) if item.notice else None, order_key=item.order_key))
        for item in page.items]
    return SupervisionBoardConnection(section=section, edges=edges, total_count=page.total, page_info=PageInfo(
        has_next_page=page.has_next, end_cursor=edges[-1].cursor if edges else None))


@strawberry.type
class SupervisionQuery:
    @strawberry.field(description="The supervisor's board, one section at a time (Relay cursor pagination).")
    async def supervision_board(self, info: Info, section: SupervisionBoardSection,  # type: ignore[valid-type]
                                first: int = 20, after: str | None = None) -> SupervisionBoardResult:
        s = info.context.session

        async def load(acting: Acting) -> SupervisionBoardConnection:
            chosen = supervision.BoardSection(section)
            return _board(chosen, await supervision.board(s, acting, chosen, first, after))

        return await _read(info, load)

    @strawberry.field(description="Supervision notices you may see, oldest first: the hotline all, a unit its own.")
    async def supervision_notices(self, info: Info, first: int = 20, after: str | None = None,
                                  states: list[SupervisionState] | None = None,  # type: ignore[valid-type]
                                  level: SupervisionLevel | None = None) -> SupervisionNoticeConnectionResult:
        s = info.context.session

        async def load(acting: Acting) -> SupervisionNoticeConnection:
            page = await supervision.notice_page(
                s, acting, first, after, [sm.SupervisionState(x) for x in states] if states else None,
                sm.SupervisionLevel(level.value) if level else None)
            edges = [SupervisionNoticeEdge(cursor=supervision.cursor_of(n.id), node=SupervisionNotice.of(n))
                     for n in page.notices]
            return SupervisionNoticeConnection(edges=edges, total_count=page.total, page_info=PageInfo(
                has_next_page=page.has_next, end_cursor=edges[-1].cursor if edges else None))

        return await _read(info, load)

    @strawberry.field(description="One supervision notice.")
    async def supervision_notice(self, info: Info, id: uuid.UUID) -> SupervisionNoticeResult:
        s = info.context.session

        async def load(acting: Acting) -> SupervisionNotice:
            return SupervisionNotice.of(await supervision.notice(s, acting, id))

        return await _read(info, load)

    @strawberry.field(description="The acting tenant's supervision limits.")
    async def supervision_settings(self, info: Info) -> SupervisionSettingsResult:
        s = info.context.session

        async def load(acting: Acting) -> SupervisionSettings:
            return SupervisionSettings.of(await supervision.settings(s, acting))

        return await _read(info, load)


def _notice(info: Info, change: Callable[[Acting], Awaitable[sm.SupervisionNotice]]
            ) -> Awaitable[SupervisionNotice | ValidationErrors]:
    async def run(acting: Acting) -> SupervisionNotice:
        return SupervisionNotice.of(await change(acting))

    return attempt(info.context, run)


@strawberry.type
class SupervisionMutation:
    @strawberry.mutation(description="督办: a supervisor opens a notice on an order for one of its units.")
    async def open_supervision(self, info: Info, input: OpenSupervisionInput) -> SupervisionNoticeResult:
        s, data = info.context.session, input.to_data()
        return await _notice(info, lambda a: supervision.open_supervision(s, a, data))

    @strawberry.mutation(description="The target unit answers a supervision notice.")
    async def reply_to_supervision(self, info: Info, notice_id: uuid.UUID, text: str) -> SupervisionNoticeResult:
        s = info.context.session
        return await _notice(info, lambda a: supervision.reply(s, a, notice_id, text))

    @strawberry.mutation(description="The supervisor closes a notice (an unanswered one only with a note).")
    async def close_supervision(self, info: Info, notice_id: uuid.UUID,
                                note: str | None = None) -> SupervisionNoticeResult:
        s = info.context.session
        return await _notice(info, lambda a: supervision.close(s, a, notice_id, note))

    @strawberry.mutation(description="Change the acting tenant's supervision limits (tenant admins).")
    async def update_supervision_settings(self, info: Info, input: SupervisionSettingsInput
                                          ) -> SupervisionSettingsResult:
        s, change = info.context.session, input.to_change()

        async def run(acting: Acting) -> SupervisionSettings:
            return SupervisionSettings.of(await supervision.update_settings(s, acting, change))

        return await attempt(info.context, run)
