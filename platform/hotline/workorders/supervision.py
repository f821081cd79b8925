"""Supervision (督办) by hand and what every notice shares with the sweep's.

A supervisor opens a notice on an order for a unit that handles it (leader's instruction 领导批示,
media exposure 媒体曝光, repeated complaints 重复投诉, overdue, bounced 推诿, other), with a reply
deadline; the unit replies; the supervisor closes it. Levels: reminder (催办, no reply asked) → notice
(督办通知) → listed (挂牌督办, reported to leaders). A notice left unanswered past its reply deadline
plus the tenant's escalation limit is listed by the sweep (`sweep.py`), which also writes the
automatic notices for missed deadlines.

Every notice written: the row, an event on the order's timeline, an audit record, and an outbox
message for `workorders.notify_supervision` (the unit's message; for listed ones also the leaders').
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel import audit, outbox
from hotline.kernel.acting import Acting
from hotline.kernel.calendar import DurationUnit, due_at
from hotline.kernel.context import Actor, Role
from hotline.kernel.errors import DomainError, Validator, forbidden, not_found
from hotline.kernel.ids import new_id
from hotline.kernel.models import utcnow
from hotline.kernel.scope import TenantScope
from hotline.workorders import access, workflow
from hotline.workorders import repository as repo
from hotline.workorders import supervision_repository as srepo
from hotline.workorders.models import Assignment, WorkOrder
from hotline.workorders.supervision_models import (
    LEVEL_NAMES,
    LIVE_STATES,
    SupervisionLevel,
    SupervisionNotice,
    SupervisionReason,
    SupervisionSettings,
    SupervisionState,
)

NOTIFY_ACTOR = "workorders.notify_supervision"
MIN_TEXT, MAX_TEXT = 4, 2000
MAX_REPLY_AHEAD = dt.timedelta(days=90)
MAX_PAGE = 100
CURSOR_PREFIX = "sv:"
OPEN_ORDER = set(repo.OPEN_ORDER)
BOARD_ROLES = frozenset({Role.SUPERVISOR, Role.LEADER, Role.TENANT_ADMIN})
ADMINS = frozenset({Role.TENANT_ADMIN})


# --- settings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    reminder_lead_hours: float = 4.0
    notice_reply_days: int = 2
    escalation_days: int = 2


DEFAULTS = Settings()


def settings_of_row(row: SupervisionSettings | None) -> Settings:
    if row is None:
        return DEFAULTS
    return Settings(row.reminder_lead_hours, row.notice_reply_days, row.escalation_days)


async def settings(session: AsyncSession, acting: Acting) -> Settings:
    return settings_of_row(await srepo.settings_of(session, acting.scope, acting.tenant_id))


@dataclass(frozen=True)
class SettingsChange:
    reminder_lead_hours: float | None = None
    notice_reply_days: int | None = None
    escalation_days: int | None = None


async def update_settings(session: AsyncSession, acting: Acting, change: SettingsChange) -> Settings:
    """The tenant admin changes the acting tenant's supervision limits; audited."""
    if not acting.roles_at(acting.tenant_id, ()) & ADMINS:
        raise forbidden("only the tenant's admins change its supervision settings")
    v = Validator()
    if change.reminder_lead_hours is not None:
        v.check(0 <= change.reminder_lead_hours <= srepo.MAX_LEAD_HOURS, ("reminderLeadHours",),
                f"0 to {srepo.MAX_LEAD_HOURS:g} hours", "out_of_range")
    if change.notice_reply_days is not None:
        v.check(0 <= change.notice_reply_days <= 30, ("noticeReplyDays",), "0 to 30 working days", "out_of_range")
    if change.escalation_days is not None:
        v.check(0 <= change.escalation_days <= 30, ("escalationDays",), "0 to 30 working days", "out_of_range")
    v.raise_if_any()
    row = await srepo.settings_of(session, acting.scope, acting.tenant_id)
    before = asdict(settings_of_row(row))
    if row is None:
        row = SupervisionSettings(tenant_id=acting.tenant_id, id=new_id(), **asdict(DEFAULTS))
        session.add(row)
    for name, value in asdict(change).items():
        if value is not None:
            setattr(row, name, value)
    row.updated_at = utcnow()
    after = settings_of_row(row)
    audit.record(session, acting.tenant_id, acting.actor, "supervision_settings.updated",
                 ("supervision_settings", row.id), before=before, after=asdict(after))
    return after


# --- what every notice shares --------------------------------------------------------------------


async def working_days_after(session: AsyncSession, tenant_id: uuid.UUID, start: dt.datetime, days: int
                             ) -> tuple[dt.datetime, bool]:
    due = await due_at(session, TenantScope.single(tenant_id), tenant_id, start, days, DurationUnit.WORKING_DAYS)
    return due.at, due.beyond_known_calendar


def trace(session: AsyncSession, actor: Actor, order: WorkOrder, notice: SupervisionNotice, action: str,
          *, before: str | None, note: str | None = None, extra: dict[str, Any] | None = None) -> None:
    """The timeline event on the order and the audit record of the notice, for one step of a notice."""
    detail: dict[str, Any] = {"notice_id": str(notice.id), "level": LEVEL_NAMES[SupervisionLevel(notice.level)],
                              "reason": notice.reason, "state": notice.state, **(extra or {})}
    if notice.deadline_kind:
        detail["deadline"] = notice.deadline_kind
    workflow.append_event(session, actor, order, action, assignment_id=notice.assignment_id, unit_id=notice.unit_id,
                          before=order.state, after=order.state, note=note, detail=detail)
    audit.record(session, order.tenant_id, actor, f"supervision.{action}", ("supervision_notice", notice.id),
                 before={"state": before} if before else None,
                 after={"number": order.number, **detail, **({"note": note} if note else {})})


def announce(session: AsyncSession, notice: SupervisionNotice) -> None:
    """Tell the notice's audience after the commit (the unit; for listed ones the leaders too)."""
    audiences = ["unit" if notice.unit_id is not None else "callback"]
    if notice.level >= SupervisionLevel.LISTED:
        audiences.append("leaders")
    outbox.enqueue(session, notice.tenant_id, NOTIFY_ACTOR, {"notice_id": str(notice.id), "audiences": audiences})


def mark_supervised(order: WorkOrder, notice: SupervisionNotice) -> bool:
    """A notice (not a reminder) puts its order under supervision (the `supervised` queues show it)."""
    if notice.level < SupervisionLevel.NOTICE or notice.unit_id is None or order.supervised:
        return False
    order.supervised, order.supervision_reason, order.updated_at = True, notice.reason, utcnow()
    return True


# --- by hand -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewSupervision:
    order_id: uuid.UUID
    target_unit_code: str
    reason: SupervisionReason
    instruction: str
    level: SupervisionLevel = SupervisionLevel.NOTICE
    reply_due_at: dt.datetime | None = None


def _text(v: Validator, value: str | None, path: tuple[str, ...], what: str) -> str:
    stripped = (value or "").strip()
    if v.check(len(stripped) >= MIN_TEXT, path, f"{what} is required (at least {MIN_TEXT} characters)", "required"):
        v.check(len(stripped) <= MAX_TEXT, path, f"{what}: at most {MAX_TEXT} characters", "too_long")
    return stripped


async def open_supervision(session: AsyncSession, acting: Acting, data: NewSupervision) -> SupervisionNotice:
    """A supervisor opens a notice on an order for one of its units (escalating a lower live one)."""
    who = await access.viewer(session, acting)
    order = await access.visible_order(session, who, data.order_id, ("orderId",))
    if Role.SUPERVISOR not in who.roles:
        raise forbidden("only supervisors open supervision")
    if order.state not in OPEN_ORDER:
        raise DomainError.one(("orderId",), f"cannot supervise an order that is {order.state}", "invalid_state")
    now = utcnow()
    v = Validator()
    v.check(data.reason != SupervisionReason.DUE_SOON, ("reason",), "due_soon is for automatic reminders",
            "invalid_reason")
    instruction = _text(v, data.instruction, ("instruction",), "the instruction")
    if data.reply_due_at is not None:
        if data.reply_due_at.tzinfo is None:
            v.check(False, ("replyDueAt",), "give the time zone", "invalid_format")
        else:
            v.check(now < data.reply_due_at <= now + MAX_REPLY_AHEAD, ("replyDueAt",),
                    "the reply deadline must lie within the next 90 days", "out_of_range")
    units = await repo.units_by_codes(session, acting.scope, acting.tenant_id, [data.target_unit_code.strip()])
    unit = units[0] if units else None
    assignment: Assignment | None = None
    if v.check(unit is not None, ("targetUnitCode",), f"unit {data.target_unit_code} not found", "not_found"):
        assert unit is not None
        mine = [a for a in await repo.assignments_of(session, acting.scope, [(order.tenant_id, order.id)])
                if a.unit_id == unit.id]
        v.check(bool(mine), ("targetUnitCode",), f"{unit.name} does not handle this order", "not_assigned")
        assignment = next((a for a in reversed(mine) if a.state in repo.OPEN_ASSIGNMENT), mine[-1] if mine else None)
    v.raise_if_any()
    assert unit is not None
    live = await srepo.live_notices(session, acting.scope, order.tenant_id, order.id, unit.id)
    highest = max(live, key=lambda n: n.level, default=None)
    if highest is not None and highest.level >= data.level:
        raise DomainError.one(("targetUnitCode",), "this unit already has an open notice at this level or higher "
                              "on this order", "duplicate")
    notice = await _new_manual(session, acting, order, unit.id, assignment, data, instruction, now, highest)
    for lower in live:
        before = lower.state
        lower.state, lower.escalate_at, lower.updated_at = SupervisionState.ESCALATED, None, now
        trace(session, acting.actor, order, lower, "supervision_escalated", before=before,
              extra={"to_notice_id": str(notice.id)})
    return notice


async def _new_manual(session: AsyncSession, acting: Acting, order: WorkOrder, unit_id: uuid.UUID,
                      assignment: Assignment | None, data: NewSupervision, instruction: str, now: dt.datetime,
                      escalated_from: SupervisionNotice | None) -> SupervisionNotice:
    limits = await settings(session, acting)
    reply_required = data.level >= SupervisionLevel.NOTICE
    reply_due, beyond, escalate_at = None, False, None
    if reply_required:
        if data.reply_due_at is not None:
            reply_due = data.reply_due_at.astimezone(dt.UTC)
        else:
            reply_due, beyond = await working_days_after(session, order.tenant_id, now, limits.notice_reply_days)
        if data.level == SupervisionLevel.NOTICE:
            escalate_at, _ = await working_days_after(session, order.tenant_id, reply_due, limits.escalation_days)
    actor = acting.actor
    notice = SupervisionNotice(
        tenant_id=order.tenant_id, id=new_id(), order_id=order.id, assignment_id=assignment.id if assignment else None,
        unit_id=unit_id, level=int(data.level), reason=data.reason.value, automatic=False,
        state=SupervisionState.OPEN if reply_required else SupervisionState.SENT, deadline_kind=None,
        deadline_due_at=None, dedupe_key=None, instruction=instruction, reply_required=reply_required,
        reply_due_at=reply_due, reply_due_beyond_calendar=beyond, escalate_at=escalate_at,
        escalated_from_id=escalated_from.id if escalated_from else None, opened_by=actor.user_id,
        opened_by_label=actor.label, created_at=now, updated_at=now)
    session.add(notice)
    supervised = mark_supervised(order, notice)
    trace(session, actor, order, notice, "supervision_opened", before=None, note=instruction,
          extra={"supervised": supervised} if supervised else None)
    announce(session, notice)
    return notice


async def _visible_notice(session: AsyncSession, acting: Acting, notice_id: uuid.UUID, path: tuple[str, ...]
                          ) -> tuple[access.Viewer, WorkOrder, SupervisionNotice]:
    """A notice the viewer may see (the hotline: every one; a unit: those addressed to it), its order locked."""
    who = await access.viewer(session, acting)
    notice = await srepo.notice_by_id(session, acting.scope, notice_id)
    if notice is None or not (who.tenant_wide or (notice.unit_id is not None and who.handles(notice.unit_id))):
        raise not_found(path, "supervision notice")
    order = await repo.order_by_id(session, acting.scope, notice.order_id, for_update=True)
    if order is None or not await access.may_see(session, who, order):
        raise not_found(path, "supervision notice")
    await session.refresh(notice)  # the order's lock serialises the steps; read the notice after it
    return who, order, notice


async def reply(session: AsyncSession, acting: Acting, notice_id: uuid.UUID, text: str) -> SupervisionNotice:
    """The target unit answers the notice (what it did, when it will be done)."""
    who, order, notice = await _visible_notice(session, acting, notice_id, ("noticeId",))
    if notice.unit_id is None or not who.handles(notice.unit_id):
        raise forbidden("only the unit the notice is addressed to replies")
    if notice.state != SupervisionState.OPEN:
        raise DomainError.one(("noticeId",), f"cannot reply to a notice that is {notice.state}", "invalid_state")
    v = Validator()
    answer = _text(v, text, ("text",), "the reply")
    v.raise_if_any()
    now = utcnow()
    notice.state, notice.reply_text, notice.replied_at = SupervisionState.REPLIED, answer, now
    notice.replied_by_label, notice.updated_at = acting.actor.label, now
    trace(session, acting.actor, order, notice, "supervision_replied", before=SupervisionState.OPEN, note=answer,
          extra={"late": bool(notice.reply_due_at and now > notice.reply_due_at)})
    return notice


async def close(session: AsyncSession, acting: Acting, notice_id: uuid.UUID, note: str | None) -> SupervisionNotice:
    """The supervisor closes a notice: normally after the reply; an unanswered one only with a reason."""
    who, order, notice = await _visible_notice(session, acting, notice_id, ("noticeId",))
    if Role.SUPERVISOR not in who.roles:
        raise forbidden("only supervisors close supervision")
    if notice.state not in LIVE_STATES:
        raise DomainError.one(("noticeId",), f"cannot close a notice that is {notice.state}", "invalid_state")
    v = Validator()
    stripped = (note or "").strip() or None
    if notice.state == SupervisionState.OPEN:
        v.check(stripped is not None and len(stripped) >= MIN_TEXT, ("note",),
                "the unit has not replied: say why the notice is closed", "required")
    v.check(len(stripped or "") <= MAX_TEXT, ("note",), f"at most {MAX_TEXT} characters", "too_long")
    v.raise_if_any()
    before, now = notice.state, utcnow()
    notice.state, notice.closed_at, notice.close_note = SupervisionState.CLOSED, now, stripped
    notice.closed_by_label, notice.escalate_at, notice.updated_at = acting.actor.label, None, now
    trace(session, acting.actor, order, notice, "supervision_closed", before=before, note=stripped)
    return notice


# --- reading -------------------------------------------------------------------------------------


async def notice(session: AsyncSession, acting: Acting, notice_id: uuid.UUID) -> SupervisionNotice:
    who = await access.viewer(session, acting)
    found = await srepo.notice_by_id(session, acting.scope, notice_id)
    if found is None or not visible_to(who, found):
        raise not_found(("id",), "supervision notice")
    return found


def visible_to(who: access.Viewer, n: SupervisionNotice) -> bool:
    return who.tenant_wide or (n.unit_id is not None and who.handles(n.unit_id))


def cursor_of(row_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{row_id}".encode()).decode()


def parse_cursor(cursor: str | None) -> uuid.UUID | None:
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not raw.startswith(CURSOR_PREFIX):
            raise ValueError(raw)
        return uuid.UUID(raw[len(CURSOR_PREFIX):])
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise DomainError.one(("after",), "not a cursor of this list", "invalid_cursor") from None


def _page_query(where: list[Any], first: int, after: str | None) -> srepo.PageQuery:
    if not 1 <= first <= MAX_PAGE:
        raise DomainError.one(("first",), f"a page holds 1 to {MAX_PAGE} items", "out_of_range")
    return srepo.PageQuery(where=where, after=parse_cursor(after), limit=first)


@dataclass(frozen=True)
class NoticePage:
    notices: Sequence[SupervisionNotice]
    has_next: bool
    total: int


async def notice_page(session: AsyncSession, acting: Acting, first: int, after: str | None,
                      states: Sequence[SupervisionState] | None, level: SupervisionLevel | None) -> NoticePage:
    """Notices the viewer may see, oldest first: the hotline sees all, a unit those addressed to it."""
    who = await access.viewer(session, acting)
    if not (who.tenant_wide or Role.UNIT_HANDLER in who.roles):
        raise forbidden("supervision notices are for the hotline and its units")
    where: list[Any] = []
    if not who.tenant_wide and who.unit_ids is not None:
        where.append(SupervisionNotice.unit_id.in_(sorted(who.unit_ids)))
    if states:
        where.append(SupervisionNotice.state.in_([s.value for s in states]))
    if level is not None:
        where.append(SupervisionNotice.level == int(level))
    total, rows = await srepo.notice_page(session, acting.scope, acting.tenant_id, _page_query(where, first, after))
    return NoticePage(rows[:first], len(rows) > first, total)


class BoardSection(StrEnum):
    OVERDUE_ASSIGNMENTS = "overdue_assignments"  # missed sign-for or reply deadlines, still open
    OPEN_NOTICES = "open_notices"  # notices and listed notices waiting for a reply or for closing
    ESCALATIONS = "escalations"  # listed supervision (挂牌督办) still open
    OVERDUE_CALLBACKS = "overdue_callbacks"  # callbacks past their deadline


@dataclass(frozen=True)
class BoardItem:
    id: uuid.UUID
    order_key: tuple[uuid.UUID, uuid.UUID]
    assignment: Assignment | None = None
    notice: SupervisionNotice | None = None
    deadline_kind: str | None = None
    due_at: dt.datetime | None = None


@dataclass(frozen=True)
class BoardPage:
    items: Sequence[BoardItem]
    has_next: bool
    total: int


async def board(session: AsyncSession, acting: Acting, section: BoardSection, first: int, after: str | None,
                now: dt.datetime | None = None) -> BoardPage:
    """The supervisor's board, one section at a time (Relay pages, oldest first)."""
    who = await access.viewer(session, acting)
    if not who.roles & BOARD_ROLES:
        raise forbidden("the supervision board is for supervisors and leaders")
    now = now or utcnow()
    page = _page_query([], first, after)
    tenant = acting.tenant_id
    items: list[BoardItem]
    if section == BoardSection.OVERDUE_ASSIGNMENTS:
        total, assignments = await srepo.overdue_page(session, acting.scope, tenant, now, page)
        items = [_overdue(a, now) for a in assignments]
    elif section == BoardSection.OVERDUE_CALLBACKS:
        total, orders = await srepo.overdue_callback_page(session, acting.scope, tenant, now, page)
        items = [BoardItem(o.id, (o.tenant_id, o.id), deadline_kind="callback", due_at=o.callback_due_at)
                 for o in orders]
    else:
        lowest = SupervisionLevel.LISTED if section == BoardSection.ESCALATIONS else SupervisionLevel.NOTICE
        page = _page_query([SupervisionNotice.state.in_([s.value for s in LIVE_STATES]),
                            SupervisionNotice.level >= int(lowest)], first, after)
        total, notices = await srepo.notice_page(session, acting.scope, tenant, page)
        items = [BoardItem(n.id, (n.tenant_id, n.order_id), notice=n, deadline_kind=n.deadline_kind,
                           due_at=n.reply_due_at) for n in notices]
    return BoardPage(items[:first], len(items) > first, total)


def _overdue(a: Assignment, now: dt.datetime) -> BoardItem:
    signing = a.state == "pending_sign"
    return BoardItem(a.id, (a.tenant_id, a.order_id), assignment=a,
                     deadline_kind="sign_for" if signing else "reply",
                     due_at=a.sign_for_due_at if signing else a.reply_due_at)
