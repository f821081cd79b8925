"""Dispatch and handling: 派单 (lead, supporting, joint), 签收, 回退 and its review, 办结反馈 and its review, 吹哨."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel.acting import Acting
from hotline.kernel.context import Role
from hotline.kernel.errors import DomainError, Validator, forbidden
from hotline.kernel.ids import new_id
from hotline.kernel.models import utcnow
from hotline.tenancy.models import Unit, UnitKind
from hotline.workorders import access, deadlines, rules, workflow
from hotline.workorders import handling_repository as hrepo
from hotline.workorders import repository as repo
from hotline.workorders.handling_models import RequestStatus
from hotline.workorders.intake import notify_caller
from hotline.workorders.models import (
    Assignment,
    AssignmentRole,
    AssignmentState,
    OrderState,
    ResultClass,
    ReturnReason,
    WorkOrder,
)

OPEN = set(repo.OPEN_ASSIGNMENT)
MIN_EXPLANATION = 4
STREET_KINDS = {UnitKind.STREET, UnitKind.TOWNSHIP}
SUMMONED_KINDS = {UnitKind.DEPARTMENT, UnitKind.DISTRICT, UnitKind.SECTION, UnitKind.COMPANY}


@dataclass(frozen=True)
class DispatchPlan:
    """Lead units (several: 联合双派, joint dispatch to a street and a department at once) and supporters."""

    lead_unit_codes: Sequence[str]
    support_unit_codes: Sequence[str] = field(default_factory=tuple)
    note: str | None = None


async def _units(session: AsyncSession, acting: Acting, groups: Sequence[tuple[tuple[str, ...], Sequence[str]]]
                 ) -> list[list[Unit]]:
    """Active units of the acting tenant by code, group by group; every unknown or repeated code reported."""
    codes = [c for _, group in groups for c in group]
    found = {u.code: u for u in await repo.units_by_codes(session, acting.scope, acting.tenant_id, codes)}
    v = Validator()
    seen: set[str] = set()
    for prefix, group in groups:
        for i, code in enumerate(group):
            path = (*prefix, str(i))
            unit = found.get(code)
            if v.check(unit is not None, path, f"unit {code} not found", "not_found") and unit is not None:
                v.check(unit.active, path, f"unit {code} is inactive", "inactive")
            v.check(code not in seen, path, f"unit {code} is named twice", "duplicate")
            seen.add(code)
    v.raise_if_any()
    return [[found[c] for c in group] for _, group in groups]


async def _resolve_units(session: AsyncSession, acting: Acting, plan: DispatchPlan, prefix: tuple[str, ...] = ()
                         ) -> tuple[list[Unit], list[Unit]]:
    if not plan.lead_unit_codes:
        raise DomainError.one((*prefix, "leadUnitCodes"), "at least one lead unit", "required")
    leads, supports = await _units(session, acting, [((*prefix, "leadUnitCodes"), plan.lead_unit_codes),
                                                    ((*prefix, "supportUnitCodes"), plan.support_unit_codes)])
    return leads, supports


async def _assign(session: AsyncSession, acting: Acting, order: WorkOrder, unit: Unit, role: AssignmentRole,
                  *, summoned_by: Assignment | None = None, note: str | None = None) -> Assignment:
    now, actor = utcnow(), acting.actor
    assignment = Assignment(
        tenant_id=order.tenant_id, id=new_id(), order_id=order.id, unit_id=unit.id, role=role,
        state=AssignmentState.PENDING_SIGN, summoned_by_id=summoned_by.id if summoned_by else None,
        dispatched_by=actor.user_id, created_at=now, updated_at=now, return_requests=0, rework_count=0,
        sign_for_beyond_calendar=False, first_contact_beyond_calendar=False, reply_beyond_calendar=False,
        return_beyond_calendar=False,
    )
    await deadlines.at_dispatch(session, acting.scope, order, assignment)
    session.add(assignment)
    workflow.record_event(session, actor, order, "assign", after=AssignmentState.PENDING_SIGN, assignment=assignment,
                          note=note, detail={"unit_code": unit.code, "role": role})
    return assignment


async def send(session: AsyncSession, acting: Acting, order: WorkOrder, plan: DispatchPlan, leads: list[Unit],
               supports: list[Unit]) -> list[Assignment]:
    """Assign an order to units already resolved in its tenant (lead first, then supporting).

    The caller has checked the move and recorded the dispatch step: a dispatcher's `dispatch` below, or
    the dispatch rules and the classifier at intake (`dispatch.decide`)."""
    if len(leads) > 1 or order.dispatch_mode is None:
        order.dispatch_mode = "joint" if len(leads) > 1 else "single"
    made = [await _assign(session, acting, order, u, AssignmentRole.LEAD, note=plan.note) for u in leads]
    made += [await _assign(session, acting, order, u, AssignmentRole.SUPPORT, note=plan.note) for u in supports]
    return made


async def dispatch(session: AsyncSession, acting: Acting, order_id: uuid.UUID, plan: DispatchPlan) -> WorkOrder:
    """Send an order waiting for dispatch to its lead unit(s) and any supporting units."""
    who = await access.viewer(session, acting)
    order = await access.visible_order(session, who, order_id, ("orderId",))
    move = workflow.ORDER_MOVES["dispatch"]
    workflow.check(move, order.state, who.roles, "an order")
    leads, supports = await _resolve_units(session, acting, plan)
    workflow.step(session, acting.actor, move, order, note=plan.note,
                  detail={"lead": [u.code for u in leads], "support": [u.code for u in supports]})
    await send(session, acting, order, plan, leads, supports)
    return order


def check_move(who: access.Viewer, move: workflow.Move, assignment: Assignment) -> None:
    if move.roles == {Role.UNIT_HANDLER} and Role.UNIT_HANDLER in who.roles and not who.handles(assignment.unit_id):
        raise forbidden("this assignment belongs to another unit")
    workflow.check(move, assignment.state, who.unit_roles(assignment), "an assignment")


async def open_assignment(session: AsyncSession, acting: Acting, assignment_id: uuid.UUID, action: str,
                          path: tuple[str, ...] = ("assignmentId",)
                          ) -> tuple[access.Viewer, WorkOrder, Assignment, workflow.Move]:
    """The assignment (its order locked) when the viewer may see it and take the move on it."""
    who = await access.viewer(session, acting)
    order, assignment = await access.visible_assignment(session, who, assignment_id, path)
    move = workflow.ASSIGNMENT_MOVES[action]
    check_move(who, move, assignment)
    return who, order, assignment, move


async def sign_for(session: AsyncSession, acting: Acting, assignment_id: uuid.UUID) -> Assignment:
    _, order, assignment, move = await open_assignment(session, acting, assignment_id, "sign_for")
    assignment.signed_at = utcnow()
    workflow.step(session, acting.actor, move, order, assignment=assignment)
    return assignment


async def request_return(session: AsyncSession, acting: Acting, assignment_id: uuid.UUID, reason: ReturnReason,
                         explanation: str) -> Assignment:
    """A unit objects to a wrong dispatch (回退) with a coded reason, within the tenant's time limit."""
    _, order, assignment, move = await open_assignment(session, acting, assignment_id, "request_return")
    if len(explanation.strip()) < MIN_EXPLANATION:
        raise DomainError.one(("explanation",), "explain why the order is not yours", "required")
    if assignment.return_due_at is not None and utcnow() > assignment.return_due_at:
        raise DomainError.one((), "the time limit for returning this order has passed", "deadline_passed")
    assignment.return_reason, assignment.return_explanation = reason, explanation.strip()
    assignment.return_requests += 1
    workflow.step(session, acting.actor, move, order, assignment=assignment, note=explanation.strip(),
                  detail={"reason": reason})
    return assignment


async def approve_return(session: AsyncSession, acting: Acting, assignment_id: uuid.UUID, note: str | None,
                         redispatch: DispatchPlan | None) -> WorkOrder:
    """The dispatcher agrees: the unit is done with the order; a lead's order is re-dispatched or waits."""
    _, order, assignment, move = await open_assignment(session, acting, assignment_id, "approve_return")
    leads: list[Unit] = []
    supports: list[Unit] = []
    if redispatch is not None:
        leads, supports = await _resolve_units(session, acting, redispatch, ("redispatch",))
    assignment.finished_at = utcnow()
    workflow.step(session, acting.actor, move, order, assignment=assignment, note=note)
    await _lapse_requests(session, acting, order, assignment, "the return was approved")
    if assignment.role == AssignmentRole.LEAD:
        order.return_count += 1
        await _supervise_if_bounced(session, acting, order)
    if redispatch is not None:
        workflow.record_event(session, acting.actor, order, "redispatch", before=order.state, after=order.state,
                              note=redispatch.note, detail={"lead": [u.code for u in leads],
                                                            "support": [u.code for u in supports]})
        await send(session, acting, order, redispatch, leads, supports)
    elif not await _open_leads(session, acting, order):
        workflow.step(session, acting.actor, workflow.ORDER_MOVES["back_to_dispatch"], order,
                      note="the lead unit's return was approved")
    return order


async def _open_leads(session: AsyncSession, acting: Acting, order: WorkOrder) -> list[Assignment]:
    assignments = await repo.assignments_of(session, acting.scope, [(order.tenant_id, order.id)])
    return [a for a in assignments if a.role == AssignmentRole.LEAD and a.state != AssignmentState.RETURNED
            and a.state != AssignmentState.CANCELLED]


async def _supervise_if_bounced(session: AsyncSession, acting: Acting, order: WorkOrder) -> None:
    """More approved returns than the tenant allows: the order is pushed around (推诿) and supervised."""
    policy = await rules.effective(session, acting.scope, order.tenant_id)
    if order.return_count > policy.return_supervision_threshold and not order.supervised:
        order.supervised, order.supervision_reason = True, "repeated_returns"
        workflow.record_event(session, acting.actor, order, "supervise", before=order.state, after=order.state,
                              detail={"reason": "repeated_returns", "returns": order.return_count})


async def reject_return(session: AsyncSession, acting: Acting, assignment_id: uuid.UUID, reason: str) -> Assignment:
    """The dispatcher refuses: the order goes back to the unit where it was, its clock not reset."""
    _, order, assignment, move = await open_assignment(session, acting, assignment_id, "reject_return")
    if len(reason.strip()) < MIN_EXPLANATION:
        raise DomainError.one(("reason",), "say why the return is refused", "required")
    back = AssignmentState.IN_PROGRESS if assignment.signed_at else AssignmentState.PENDING_SIGN
    workflow.step(session, acting.actor, move, order, assignment=assignment, target=back, note=reason.strip())
    return assignment


async def reply(session: AsyncSession, acting: Acting, assignment_id: uuid.UUID, result: ResultClass,
                text: str) -> Assignment:
    """The unit reports what it did (办结反馈), with the text the citizen will be told."""
    _, order, assignment, move = await open_assignment(session, acting, assignment_id, "reply")
    if len(text.strip()) < MIN_EXPLANATION:
        raise DomainError.one(("text",), "the reply needs the text for the citizen", "required")
    assignment.result_class, assignment.reply_text, assignment.replied_at = result, text.strip(), utcnow()
    workflow.step(session, acting.actor, move, order, assignment=assignment, note=text.strip(),
                  detail={"result_class": result})
    await _lapse_requests(session, acting, order, assignment, "the unit replied")
    return assignment


async def _lapse_requests(session: AsyncSession, acting: Acting, order: WorkOrder, assignment: Assignment,
                          why: str) -> None:
    """Extension or suspension requests still waiting when the unit is done lapse (handling_requests.py)."""
    for request in await hrepo.pending_of_assignment(session, acting.scope, assignment.tenant_id, assignment.id):
        request.status, request.decided_at, request.decision_note = RequestStatus.LAPSED, utcnow(), why
        workflow.record_event(session, acting.actor, order, "lapse_request", before=assignment.state,
                              after=assignment.state, assignment=assignment, note=why,
                              detail={"request_id": str(request.id), "kind": request.kind})


async def accept_reply(session: AsyncSession, acting: Acting, assignment_id: uuid.UUID, note: str | None) -> WorkOrder:
    """The hotline accepts a reply; the order completes when every lead reply is accepted."""
    _, order, assignment, move = await open_assignment(session, acting, assignment_id, "accept_reply")
    others = [a for a in await repo.assignments_of(session, acting.scope, [(order.tenant_id, order.id)])
              if a.id != assignment.id]
    if assignment.role == AssignmentRole.LEAD and any(
            a.role == AssignmentRole.SUPPORT and a.state in OPEN for a in others):
        raise DomainError.one((), "supporting units have not all replied yet", "invalid_state")
    assignment.finished_at = utcnow()
    workflow.step(session, acting.actor, move, order, assignment=assignment, note=note)
    leads_open = [a for a in others if a.role == AssignmentRole.LEAD and a.state in OPEN]
    if assignment.role == AssignmentRole.LEAD and not leads_open:
        await _complete(session, acting, order)
    return order


async def _complete(session: AsyncSession, acting: Acting, order: WorkOrder) -> None:
    policy = await rules.effective(session, acting.scope, order.tenant_id)
    exempt = order.request_type in policy.callback_exempt_types
    now = utcnow()
    target = OrderState.CLOSED if exempt else OrderState.PENDING_CALLBACK
    if exempt:
        order.closed_at = now
    else:
        await deadlines.at_completion(session, acting.scope, order, now)
    workflow.step(session, acting.actor, workflow.ORDER_MOVES["complete"], order, target=target,
                  detail={"callback_exempt": exempt})
    if order.caller_phone_cipher is not None:
        order.progress_notified_at = now
        notify_caller(session, order, "result")


async def send_back(session: AsyncSession, acting: Acting, assignment_id: uuid.UUID, reason: str) -> Assignment:
    """The hotline refuses the reply and sends it back for rework (退回重办)."""
    _, order, assignment, move = await open_assignment(session, acting, assignment_id, "send_back")
    if len(reason.strip()) < MIN_EXPLANATION:
        raise DomainError.one(("reason",), "say what must be reworked", "required")
    assignment.rework_count += 1
    assignment.review_note = reason.strip()
    await deadlines.at_rework(session, acting.scope, order, assignment, utcnow())
    workflow.step(session, acting.actor, move, order, assignment=assignment, note=reason.strip())
    return assignment


async def blow_whistle(session: AsyncSession, acting: Acting, assignment_id: uuid.UUID, unit_codes: Sequence[str],
                       note: str) -> list[Assignment]:
    """A street that cannot solve a problem alone summons departments (吹哨报到); each must sign in."""
    _, order, assignment, move = await open_assignment(session, acting, assignment_id, "whistle")
    own = (await repo.units_by_keys(session, acting.scope, [(order.tenant_id, assignment.unit_id)]))[0]
    if own.kind not in STREET_KINDS or assignment.role != AssignmentRole.LEAD:
        raise DomainError.one((), "only a street or township leading the order can blow the whistle",
                              "invalid_state")
    if len(note.strip()) < MIN_EXPLANATION:
        raise DomainError.one(("note",), "say what the departments are summoned for", "required")
    if not unit_codes:
        raise DomainError.one(("unitCodes",), "name at least one department", "required")
    (units,) = await _units(session, acting, [(("unitCodes",), unit_codes)])
    v = Validator()
    taken = {a.unit_id for a in await repo.assignments_of(session, acting.scope, [(order.tenant_id, order.id)])
             if a.state in OPEN}
    for i, unit in enumerate(units):
        v.check(unit.kind in SUMMONED_KINDS, ("unitCodes", str(i)), f"{unit.name} is not a department",
                "invalid_unit")
        v.check(unit.id not in taken, ("unitCodes", str(i)), f"{unit.name} already handles this order",
                "duplicate")
    v.raise_if_any()
    workflow.step(session, acting.actor, move, order, assignment=assignment, note=note.strip(),
                  detail={"summoned": [u.code for u in units]})
    return [await _assign(session, acting, order, u, AssignmentRole.SUPPORT, summoned_by=assignment,
                          note=note.strip()) for u in units]
