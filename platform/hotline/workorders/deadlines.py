"""Filling the deadline columns of orders and assignments from the tenant's policy and calendar.

The limits come from `workorders.policy.limits_for` (response level × request type × category, with
inheritance down the tree) and the arithmetic from `kernel.calendar.due_at` (working days, working
hours, natural hours); a limit the policy disables leaves its column empty. A deadline computed past
the published calendar keeps the weekday rule's answer and sets its `*_beyond_calendar` flag.
The sweep that acts on these columns (reminders, supervision notices) lives elsewhere.

When each clock starts:
- progress notice: at intake;
- sign-for, first contact, reply and the return window: at the dispatch of the assignment (a refused
  return does not restart them);
- reply again after a rework (退回重办 or 重办 after a dissatisfied callback): from that moment;
- callback: when the lead unit's reply is accepted.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel.calendar import Due, Duration, due_at
from hotline.kernel.scope import TenantScope
from hotline.workorders.models import Assignment, AssignmentState, WorkOrder
from hotline.workorders.policy import Limits, limits_for


async def _limits(session: AsyncSession, scope: TenantScope, order: WorkOrder) -> Limits:
    return await limits_for(session, scope, order.tenant_id, order.response_level, order.request_type,
                            order.category_code, order.deadline_policy)


async def _due(session: AsyncSession, scope: TenantScope, order: WorkOrder, start: dt.datetime,
               limit: Duration | None) -> Due | None:
    if limit is None:
        return None
    amount, unit = limit
    return await due_at(session, scope, order.tenant_id, start, amount, unit)


async def at_intake(session: AsyncSession, scope: TenantScope, order: WorkOrder) -> None:
    """The progress notice (J city: result or progress within 5 working days of intake)."""
    limits = await _limits(session, scope, order)
    due = await _due(session, scope, order, order.created_at, limits.progress_notice)
    order.progress_notice_due_at = due.at if due else None
    order.progress_notice_beyond_calendar = bool(due and due.beyond_known_calendar)


async def at_dispatch(session: AsyncSession, scope: TenantScope, order: WorkOrder, assignment: Assignment) -> None:
    """Sign-for, first contact, reply and the return window, counted from the dispatch."""
    limits = await _limits(session, scope, order)
    start = assignment.created_at
    sign = await _due(session, scope, order, start, limits.sign_for)
    contact = await _due(session, scope, order, start, limits.first_contact)
    reply = await _due(session, scope, order, start, limits.reply)
    window = await _due(session, scope, order, start, limits.return_window)
    assignment.sign_for_due_at, assignment.sign_for_beyond_calendar = _split(sign)
    assignment.first_contact_due_at, assignment.first_contact_beyond_calendar = _split(contact)
    assignment.reply_due_at, assignment.reply_beyond_calendar = _split(reply)
    assignment.return_due_at, assignment.return_beyond_calendar = _split(window)


async def at_rework(session: AsyncSession, scope: TenantScope, order: WorkOrder, assignment: Assignment,
                    start: dt.datetime) -> None:
    """A reply sent back (退回重办) or reopened (重办): a new reply limit from now."""
    limits = await _limits(session, scope, order)
    assignment.reply_due_at, assignment.reply_beyond_calendar = _split(
        await _due(session, scope, order, start, limits.reply))


async def at_completion(session: AsyncSession, scope: TenantScope, order: WorkOrder, start: dt.datetime) -> None:
    """The callback, counted from the acceptance of the lead unit's reply."""
    limits = await _limits(session, scope, order)
    order.callback_due_at, order.callback_beyond_calendar = _split(
        await _due(session, scope, order, start, limits.callback))


def _split(due: Due | None) -> tuple[dt.datetime | None, bool]:
    return (due.at, due.beyond_known_calendar) if due else (None, False)


def running_clock(assignment: Assignment) -> dt.datetime | None:
    """The clock an assignment runs against now: sign-for while pending, reply while in progress; none
    while suspended or done. `repository.next_due_at` is the same rule in SQL (for sorting queues)."""
    match assignment.state:
        case AssignmentState.PENDING_SIGN:
            return assignment.sign_for_due_at
        case AssignmentState.IN_PROGRESS:
            return assignment.reply_due_at
    return None
