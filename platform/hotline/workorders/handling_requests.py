"""Extension (延期申请) and suspension (挂起) requests: asked by the unit, decided by the hotline.

Extension: the unit asks for N more working days with a reason while it handles the assignment
(`in_progress` or `suspended`); a dispatcher or supervisor approves (all of it or fewer days) or
refuses with a reason. Approval moves the reply deadline by the granted working days in the tenant's
calendar (`kernel.calendar.due_at` from the current deadline, so holidays and 调休 count as they
should); refusal leaves it. The total granted per assignment may not exceed the policy's
`extension_max` for the order, checked at the request and again at the approval (`over_limit`). A
maximum set in working hours is compared through the tenant's working day length, one in natural
hours as 24 hours a day; 0 allows none.

Suspension: the unit asks to suspend an assignment in progress while it waits on the citizen; the
hotline approves (the assignment becomes `suspended` and its reply clock stops) or refuses. The unit
or the hotline resumes it: the reply deadline moves by the time spent suspended, counted as the reply
limit counts (working time in the tenant's calendar for working-day and working-hour limits, elapsed
time for natural hours). Sign-for and first-contact deadlines are not moved.

One request of each kind may wait at a time per assignment. A request still waiting when the unit
replies or its return is approved lapses (`lapsed`), with a timeline event. Every step is a move of
`workflow.ASSIGNMENT_MOVES` (role × state), writes its event and audit record, and a request of
another tenant (or of an order the viewer cannot see) is `not_found`.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel.acting import Acting
from hotline.kernel.calendar import Duration, DurationUnit, calendar_for, due_at, working_time_between
from hotline.kernel.errors import DomainError, Validator, not_found
from hotline.kernel.ids import new_id
from hotline.kernel.models import utcnow
from hotline.workorders import access, workflow
from hotline.workorders import handling_repository as hrepo
from hotline.workorders.handling import MIN_EXPLANATION, check_move, open_assignment
from hotline.workorders.handling_models import HandlingRequest, RequestKind, RequestStatus
from hotline.workorders.models import Assignment, AssignmentState, WorkOrder
from hotline.workorders.policy import limits_for

MAX_DAYS_PER_REQUEST = 60
MAX_TEXT = 4000


def _iso(at: dt.datetime | None) -> str | None:
    return at.astimezone(dt.UTC).isoformat() if at else None


def _reason(v: Validator, text: str, path: tuple[str, ...], message: str) -> str:
    body = text.strip()
    if v.check(len(body) >= MIN_EXPLANATION, path, message, "required"):
        v.check(len(body) <= MAX_TEXT, path, f"at most {MAX_TEXT} characters", "too_long")
    return body


async def _open_request(session: AsyncSession, acting: Acting, request_id: uuid.UUID, kind: RequestKind,
                        action: str) -> tuple[WorkOrder, Assignment, HandlingRequest, workflow.Move]:
    """A waiting request (its order locked) the viewer may decide; else not_found / forbidden / invalid_state."""
    who = await access.viewer(session, acting)
    request = await hrepo.request_by_id(session, acting.scope, request_id)
    if request is None or request.kind != kind:
        raise not_found(("requestId",), f"{kind} request")
    order, assignment = await access.visible_assignment(session, who, request.assignment_id, ("requestId",))
    await session.refresh(request)  # read after the order's lock
    move = workflow.ASSIGNMENT_MOVES[action]
    check_move(who, move, assignment)
    if request.status != RequestStatus.PENDING:
        raise DomainError.one(("requestId",), f"the request is already {request.status}", "invalid_state")
    return order, assignment, request, move


async def _no_pending(session: AsyncSession, acting: Acting, assignment: Assignment, kind: RequestKind) -> None:
    pending = await hrepo.pending_of_assignment(session, acting.scope, assignment.tenant_id, assignment.id)
    if any(r.kind == kind for r in pending):
        raise DomainError.one((), f"a {kind} request of this assignment is already waiting for a decision",
                              "already_pending")


def _new_request(acting: Acting, assignment: Assignment, kind: RequestKind, reason: str,
                 days: int | None = None) -> HandlingRequest:
    actor = acting.actor
    return HandlingRequest(tenant_id=assignment.tenant_id, id=new_id(), order_id=assignment.order_id,
                           assignment_id=assignment.id, unit_id=assignment.unit_id, kind=kind,
                           status=RequestStatus.PENDING, reason=reason, days=days, requested_by=actor.user_id,
                           requested_by_label=actor.label, created_at=utcnow())


def _decide(acting: Acting, request: HandlingRequest, status: RequestStatus, note: str | None) -> None:
    request.status, request.decided_at = status, utcnow()
    request.decided_by, request.decided_by_label = acting.actor.user_id, acting.actor.label
    request.decision_note = note


# --- extension -----------------------------------------------------------------------------------


async def _days_allowed(session: AsyncSession, acting: Acting, order: WorkOrder) -> float:
    """The policy's extension maximum for this order, in working days."""
    limits = await limits_for(session, acting.scope, order.tenant_id, order.response_level, order.request_type,
                              order.category_code, order.deadline_policy)
    amount, unit = limits.extension_max
    if unit == DurationUnit.WORKING_DAYS:
        return amount
    if unit == DurationUnit.WORKING_HOURS:
        calendar = await calendar_for(session, acting.scope, order.tenant_id)
        return amount * 3600 / calendar.working_seconds_per_day()
    return amount / 24


async def _check_room(v: Validator, session: AsyncSession, acting: Acting, order: WorkOrder,
                      assignment: Assignment, days: int) -> None:
    allowed = await _days_allowed(session, acting, order)
    granted = assignment.extension_days_granted
    if granted + days > allowed + 1e-9:
        left = max(0, math.floor(allowed - granted + 1e-9))
        v.check(False, ("days",), f"the policy allows {_number(allowed)} working days of extension in all; "
                f"{granted} already granted, at most {left} more", "over_limit")


def _number(value: float) -> int | float:
    return int(value) if value == int(value) else round(value, 2)


async def request_extension(session: AsyncSession, acting: Acting, assignment_id: uuid.UUID, days: int,
                            reason: str) -> HandlingRequest:
    """延期申请: the unit asks for `days` more working days to reply."""
    _, order, assignment, move = await open_assignment(session, acting, assignment_id, "request_extension")
    if assignment.reply_due_at is None:
        raise DomainError.one((), "this assignment has no reply deadline to extend", "invalid_state")
    await _no_pending(session, acting, assignment, RequestKind.EXTENSION)
    v = Validator()
    if v.check(1 <= days <= MAX_DAYS_PER_REQUEST, ("days",), f"1 to {MAX_DAYS_PER_REQUEST} working days",
               "out_of_range"):
        await _check_room(v, session, acting, order, assignment, days)
    body = _reason(v, reason, ("reason",), "say why more time is needed")
    v.raise_if_any()
    request = _new_request(acting, assignment, RequestKind.EXTENSION, body, days)
    session.add(request)
    workflow.step(session, acting.actor, move, order, assignment=assignment, note=body,
                  detail={"request_id": str(request.id), "days": days})
    return request


async def approve_extension(session: AsyncSession, acting: Acting, request_id: uuid.UUID, days: int | None,
                            note: str | None) -> HandlingRequest:
    """The hotline grants the extension (or fewer days): the reply deadline moves by working days."""
    order, assignment, request, move = await _open_request(session, acting, request_id, RequestKind.EXTENSION,
                                                           "approve_extension")
    asked = request.days or 0
    granted = asked if days is None else days
    v = Validator()
    if v.check(1 <= granted <= asked, ("days",), f"1 to the {asked} working days asked for", "out_of_range"):
        await _check_room(v, session, acting, order, assignment, granted)
    v.raise_if_any()
    before = assignment.reply_due_at
    if before is None:
        raise DomainError.one((), "this assignment has no reply deadline to extend", "invalid_state")
    due = await due_at(session, acting.scope, order.tenant_id, before, granted, DurationUnit.WORKING_DAYS)
    assignment.reply_due_at = due.at
    assignment.reply_beyond_calendar = assignment.reply_beyond_calendar or due.beyond_known_calendar
    assignment.extension_days_granted += granted
    clean = note.strip() if note and note.strip() else None
    _decide(acting, request, RequestStatus.APPROVED, clean)
    request.days_granted, request.reply_due_before, request.reply_due_after = granted, before, due.at
    workflow.step(session, acting.actor, move, order, assignment=assignment, note=clean, detail={
        "request_id": str(request.id), "days": granted, "reply_due_before": _iso(before),
        "reply_due_after": _iso(due.at), "extension_days_granted": assignment.extension_days_granted})
    return request


async def refuse_extension(session: AsyncSession, acting: Acting, request_id: uuid.UUID,
                           reason: str) -> HandlingRequest:
    """The hotline refuses the extension: the reply deadline stays."""
    order, assignment, request, move = await _open_request(session, acting, request_id, RequestKind.EXTENSION,
                                                           "refuse_extension")
    v = Validator()
    body = _reason(v, reason, ("reason",), "say why the extension is refused")
    v.raise_if_any()
    _decide(acting, request, RequestStatus.REFUSED, body)
    workflow.step(session, acting.actor, move, order, assignment=assignment, note=body,
                  detail={"request_id": str(request.id), "days": request.days})
    return request


# --- suspension ----------------------------------------------------------------------------------


async def request_suspension(session: AsyncSession, acting: Acting, assignment_id: uuid.UUID,
                             reason: str) -> HandlingRequest:
    """挂起申请: the unit waits on the citizen (documents, an appointment, …) and asks to stop the clock."""
    _, order, assignment, move = await open_assignment(session, acting, assignment_id, "request_suspension")
    await _no_pending(session, acting, assignment, RequestKind.SUSPENSION)
    v = Validator()
    body = _reason(v, reason, ("reason",), "say what the unit is waiting for")
    v.raise_if_any()
    request = _new_request(acting, assignment, RequestKind.SUSPENSION, body)
    session.add(request)
    workflow.step(session, acting.actor, move, order, assignment=assignment, note=body,
                  detail={"request_id": str(request.id)})
    return request


async def approve_suspension(session: AsyncSession, acting: Acting, request_id: uuid.UUID,
                             note: str | None) -> HandlingRequest:
    """The hotline approves: the assignment is suspended from now and its reply clock stops."""
    order, assignment, request, move = await _open_request(session, acting, request_id, RequestKind.SUSPENSION,
                                                           "approve_suspension")
    now = utcnow()
    clean = note.strip() if note and note.strip() else None
    _decide(acting, request, RequestStatus.APPROVED, clean)
    request.suspended_from, request.reply_due_before = now, assignment.reply_due_at
    assignment.suspended_at = now
    workflow.step(session, acting.actor, move, order, assignment=assignment, note=clean,
                  detail={"request_id": str(request.id), "reply_due_at": _iso(assignment.reply_due_at)})
    return request


async def refuse_suspension(session: AsyncSession, acting: Acting, request_id: uuid.UUID,
                            reason: str) -> HandlingRequest:
    order, assignment, request, move = await _open_request(session, acting, request_id, RequestKind.SUSPENSION,
                                                           "refuse_suspension")
    v = Validator()
    body = _reason(v, reason, ("reason",), "say why the suspension is refused")
    v.raise_if_any()
    _decide(acting, request, RequestStatus.REFUSED, body)
    workflow.step(session, acting.actor, move, order, assignment=assignment, note=body,
                  detail={"request_id": str(request.id)})
    return request


async def _paused(session: AsyncSession, acting: Acting, order: WorkOrder, start: dt.datetime,
                  end: dt.datetime) -> tuple[dt.timedelta, Duration | None]:
    """The time the suspension took off the reply clock, counted as the reply limit counts."""
    limits = await limits_for(session, acting.scope, order.tenant_id, order.response_level, order.request_type,
                              order.category_code, order.deadline_policy)
    if limits.reply is not None and limits.reply[1] == DurationUnit.NATURAL_HOURS:
        return end - start, limits.reply
    spent, _beyond = await working_time_between(session, acting.scope, order.tenant_id, start, end)
    return spent, limits.reply


async def resume(session: AsyncSession, acting: Acting, assignment_id: uuid.UUID, note: str | None) -> Assignment:
    """恢复办理 (the unit or the hotline): the reply deadline moves by the time spent suspended."""
    _, order, assignment, move = await open_assignment(session, acting, assignment_id, "resume")
    now = utcnow()
    suspension = await hrepo.running_suspension(session, acting.scope, assignment.tenant_id, assignment.id)
    start = assignment.suspended_at or (suspension.suspended_from if suspension else None) or now
    spent, limit = await _paused(session, acting, order, start, now)
    spent = dt.timedelta(seconds=int(spent.total_seconds()))  # whole seconds, as stored and shown
    before = assignment.reply_due_at
    after = before
    if before is not None and spent.total_seconds() >= 1:
        unit = DurationUnit.NATURAL_HOURS if limit and limit[1] == DurationUnit.NATURAL_HOURS \
            else DurationUnit.WORKING_HOURS
        due = await due_at(session, acting.scope, order.tenant_id, before, spent.total_seconds() / 3600, unit)
        after = assignment.reply_due_at = due.at
        assignment.reply_beyond_calendar = assignment.reply_beyond_calendar or due.beyond_known_calendar
    assignment.suspended_at = None
    clean = note.strip() if note and note.strip() else None
    if suspension is not None:
        suspension.resumed_at, suspension.resumed_by_label = now, acting.actor.label
        suspension.paused_seconds, suspension.reply_due_after = int(spent.total_seconds()), after
    detail: dict[str, Any] = {"request_id": str(suspension.id) if suspension else None,
                              "suspended_from": _iso(start), "paused_seconds": int(spent.total_seconds()),
                              "reply_due_before": _iso(before), "reply_due_after": _iso(after)}
    workflow.step(session, acting.actor, move, order, assignment=assignment, target=AssignmentState.IN_PROGRESS,
                  note=clean, detail=detail)
    return assignment
