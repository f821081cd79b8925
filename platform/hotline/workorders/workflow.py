"""The state machine of orders and assignments: every allowed move in one table, and `step` to take one.

A move names the states it may start from, the roles that may take it and the state it leads to
(`None`: the service decides among the listed `targets`, e.g. a refused return goes back to where it
was). `step` refuses a wrong role with `forbidden` and a wrong state with `invalid_state`, then
writes the timeline event and the audit record in the caller's transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel import appends, audit
from hotline.kernel.context import Actor, Role
from hotline.kernel.errors import DomainError, forbidden
from hotline.kernel.ids import new_id
from hotline.kernel.models import utcnow
from hotline.workorders.models import Assignment, AssignmentState, OrderState, WorkOrder, WorkOrderEvent

A, S = AssignmentState, OrderState


@dataclass(frozen=True)
class Move:
    action: str
    label: str  # what the refusal says the user tried
    sources: frozenset[str]
    roles: frozenset[Role]
    target: str | None
    targets: frozenset[str] = frozenset()


def _move(action: str, label: str, sources: set[str], roles: set[Role], target: str | None,
          targets: set[str] | None = None) -> Move:
    return Move(action, label, frozenset(sources), frozenset(roles), target,
                frozenset(targets or ({target} if target else set())))


ORDER_MOVES: dict[str, Move] = {m.action: m for m in (
    _move("create", "create", set(), {Role.AGENT}, S.PENDING_DISPATCH),
    _move("answer_directly", "answer directly (直办)", {S.PENDING_DISPATCH}, {Role.AGENT}, S.CLOSED),
    _move("dispatch", "dispatch", {S.PENDING_DISPATCH}, {Role.DISPATCHER}, S.IN_PROGRESS),
    _move("add_units", "add units to", {S.IN_PROGRESS}, {Role.DISPATCHER}, S.IN_PROGRESS),
    # Taken by the system inside another move (an approved return, an accepted reply).
    _move("back_to_dispatch", "send back to dispatch", {S.IN_PROGRESS}, {Role.DISPATCHER}, S.PENDING_DISPATCH),
    _move("complete", "complete", {S.IN_PROGRESS}, {Role.DISPATCHER}, None,
          {S.PENDING_CALLBACK, S.CLOSED}),
    _move("record_callback", "record a callback on", {S.PENDING_CALLBACK}, {Role.CALLBACK_AGENT}, None,
          {S.PENDING_CALLBACK, S.CLOSED, S.IN_PROGRESS}),
    _move("archive", "archive", {S.CLOSED}, {Role.CALLBACK_AGENT, Role.DISPATCHER, Role.SUPERVISOR}, S.ARCHIVED),
    _move("merge", "merge", {S.PENDING_DISPATCH}, {Role.AGENT, Role.DISPATCHER}, S.MERGED),
    _move("link", "link", {S.PENDING_DISPATCH, S.IN_PROGRESS, S.PENDING_CALLBACK, S.CLOSED, S.ARCHIVED},
          {Role.AGENT, Role.DISPATCHER, Role.SUPERVISOR}, None, set()),
    _move("supervise", "put under supervision", {S.PENDING_DISPATCH, S.IN_PROGRESS, S.PENDING_CALLBACK},
          {Role.DISPATCHER, Role.SUPERVISOR}, None, set()),
)}

ASSIGNMENT_MOVES: dict[str, Move] = {m.action: m for m in (
    _move("sign_for", "sign for (签收)", {A.PENDING_SIGN}, {Role.UNIT_HANDLER}, A.IN_PROGRESS),
    _move("request_return", "return (回退)", {A.PENDING_SIGN, A.IN_PROGRESS}, {Role.UNIT_HANDLER},
          A.RETURN_REQUESTED),
    _move("approve_return", "approve the return of", {A.RETURN_REQUESTED}, {Role.DISPATCHER}, A.RETURNED),
    _move("reject_return", "reject the return of", {A.RETURN_REQUESTED}, {Role.DISPATCHER}, None,
          {A.PENDING_SIGN, A.IN_PROGRESS}),
    _move("reply", "reply to (办结反馈)", {A.IN_PROGRESS}, {Role.UNIT_HANDLER}, A.REPLIED),
    _move("accept_reply", "accept the reply of", {A.REPLIED}, {Role.DISPATCHER}, A.ACCEPTED),
    _move("send_back", "send back for rework (退回重办)", {A.REPLIED}, {Role.DISPATCHER}, A.IN_PROGRESS),
    _move("whistle", "blow the whistle (吹哨) on", {A.IN_PROGRESS}, {Role.UNIT_HANDLER}, None, set()),
    _move("reopen", "reopen", {A.ACCEPTED}, {Role.CALLBACK_AGENT}, A.IN_PROGRESS),
    # Handling (handling_records.py, handling_requests.py). Without a target: the state stays.
    _move("record_note", "record a handling note (办理记录) on", {A.IN_PROGRESS, A.SUSPENDED},
          {Role.UNIT_HANDLER}, None, set()),
    _move("record_contact", "record contact with the citizen (联系记录) on", {A.IN_PROGRESS, A.SUSPENDED},
          {Role.UNIT_HANDLER}, None, set()),
    _move("request_extension", "ask for an extension (延期申请) of", {A.IN_PROGRESS, A.SUSPENDED},
          {Role.UNIT_HANDLER}, None, set()),
    _move("approve_extension", "approve an extension of", {A.IN_PROGRESS, A.SUSPENDED, A.RETURN_REQUESTED},
          {Role.DISPATCHER, Role.SUPERVISOR}, None, set()),
    _move("refuse_extension", "refuse an extension of", {A.IN_PROGRESS, A.SUSPENDED, A.RETURN_REQUESTED},
          {Role.DISPATCHER, Role.SUPERVISOR}, None, set()),
    _move("request_suspension", "ask to suspend (挂起)", {A.IN_PROGRESS}, {Role.UNIT_HANDLER}, None, set()),
    _move("approve_suspension", "approve the suspension of", {A.IN_PROGRESS}, {Role.DISPATCHER, Role.SUPERVISOR},
          A.SUSPENDED),
    _move("refuse_suspension", "refuse the suspension of", {A.IN_PROGRESS, A.RETURN_REQUESTED},
          {Role.DISPATCHER, Role.SUPERVISOR}, None, set()),
    _move("resume", "resume (恢复办理)", {A.SUSPENDED}, {Role.UNIT_HANDLER, Role.DISPATCHER, Role.SUPERVISOR},
          A.IN_PROGRESS),
)}


def check(move: Move, state: str, roles: frozenset[Role] | set[Role], what: str) -> None:
    """Refuse a role that may not take the move (`forbidden`) or a state it cannot start from."""
    if not roles & move.roles:
        allowed = ", ".join(sorted(move.roles))
        raise forbidden(f"only {allowed} may {move.label} {what}s")
    if state not in move.sources:
        raise DomainError.one((), f"cannot {move.label} {what} that is {state}", "invalid_state")


def step(
    session: AsyncSession,
    actor: Actor,
    move: Move,
    order: WorkOrder,
    *,
    assignment: Assignment | None = None,
    target: str | None = None,
    note: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Move the order (or one of its assignments) to its next state, with its event and audit record."""
    subject: WorkOrder | Assignment = assignment if assignment is not None else order
    before = subject.state
    after = target if target is not None else (move.target or before)
    if move.targets and after not in move.targets:
        raise ValueError(f"{move.action} cannot lead to {after}")
    now = utcnow()
    subject.state, subject.updated_at = after, now
    if assignment is not None:
        order.updated_at = now
    record_event(session, actor, order, move.action, before=before, after=after, assignment=assignment,
                 note=note, detail=detail)


def record_event(
    session: AsyncSession,
    actor: Actor,
    order: WorkOrder,
    action: str,
    *,
    before: str | None = None,
    after: str | None = None,
    assignment: Assignment | None = None,
    note: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append the timeline event and the audit record of one step (also steps without a state change)."""
    extra = dict(detail or {})
    append_event(session, actor, order, action, assignment_id=assignment.id if assignment else None,
                 unit_id=assignment.unit_id if assignment else None, before=before, after=after, note=note,
                 detail=extra)
    obj: tuple[str, uuid.UUID] = ("work_order_assignment", assignment.id) if assignment else ("work_order", order.id)
    audit_after: dict[str, Any] = {"number": order.number, "state": after, **extra}
    if note:
        audit_after["note"] = note
    audit.record(session, order.tenant_id, actor, f"work_order.{action}", obj,
                 before={"state": before} if before else None, after=audit_after)


def append_event(session: AsyncSession, actor: Actor, order: WorkOrder, action: str, *,
                 assignment_id: uuid.UUID | None, unit_id: uuid.UUID | None, before: str | None,
                 after: str | None, note: str | None, detail: dict[str, Any]) -> None:
    """The timeline row of one step (written with the session's next flush, see kernel/appends.py)."""
    appends.append(session, WorkOrderEvent, {
        "tenant_id": order.tenant_id, "id": new_id(), "created_at": utcnow(), "order_id": order.id,
        "assignment_id": assignment_id, "unit_id": unit_id, "action": action, "actor_user_id": actor.user_id,
        "actor_label": actor.label, "from_state": before, "to_state": after, "note": note, "detail": detail,
    })
