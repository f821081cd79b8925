"""Callback (回访) after the accepted reply, reopening for rework (重办) on dissatisfaction, and archive (归档)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel.acting import Acting
from hotline.kernel.errors import Validator
from hotline.kernel.ids import new_id
from hotline.kernel.models import utcnow
from hotline.workorders import access, deadlines, rules, workflow
from hotline.workorders import repository as repo
from hotline.workorders.models import (
    AssignmentRole,
    AssignmentState,
    Callback,
    OrderState,
    Satisfaction,
    WorkOrder,
)

MAX_COMMENT = 2000


@dataclass(frozen=True)
class CallbackRecord:
    reached: bool
    resolved: bool | None = None
    satisfaction: Satisfaction | None = None
    comment: str | None = None


async def record_callback(session: AsyncSession, acting: Acting, order_id: uuid.UUID, data: CallbackRecord
                          ) -> WorkOrder:
    """One call to the citizen. Unreached: tried again until the tenant's limit, then closed as unreachable.
    Reached: resolution and satisfaction recorded; dissatisfaction reopens the order when the tenant says so.
    """
    who = await access.viewer(session, acting)
    order = await access.visible_order(session, who, order_id, ("orderId",))
    move = workflow.ORDER_MOVES["record_callback"]
    workflow.check(move, order.state, who.roles, "an order")
    _validate(data)
    policy = await rules.effective(session, acting.scope, order.tenant_id)
    comment = (data.comment or "").strip() or None
    session.add(Callback(tenant_id=order.tenant_id, id=new_id(), order_id=order.id, reached=data.reached,
                         resolved=data.resolved if data.reached else None,
                         satisfaction=data.satisfaction if data.reached else None, comment=comment,
                         agent_user_id=acting.subject.user_id))
    order.callback_attempts += 1
    detail: dict[str, object] = {"reached": data.reached, "attempt": order.callback_attempts}
    if not data.reached:
        give_up = order.callback_attempts >= policy.callback_max_attempts
        target = OrderState.CLOSED if give_up else OrderState.PENDING_CALLBACK
        if give_up:
            order.closed_at = utcnow()
            detail["unreachable"] = True
        workflow.step(session, acting.actor, move, order, target=target, note=comment, detail=detail)
        return order
    order.resolved, order.satisfaction = data.resolved, data.satisfaction
    detail.update(resolved=data.resolved, satisfaction=data.satisfaction)
    if data.satisfaction == Satisfaction.DISSATISFIED and policy.reopen_on_dissatisfied:
        await _reopen(session, acting, order, comment, detail)
    else:
        order.closed_at = utcnow()
        workflow.step(session, acting.actor, move, order, target=OrderState.CLOSED, note=comment, detail=detail)
    return order


def _validate(data: CallbackRecord) -> None:
    v = Validator()
    if data.reached:
        v.check(data.resolved is not None, ("resolved",), "say whether the problem was resolved", "required")
        v.check(data.satisfaction is not None, ("satisfaction",), "record the citizen's satisfaction", "required")
    v.check(len(data.comment or "") <= MAX_COMMENT, ("comment",), f"at most {MAX_COMMENT} characters", "too_long")
    v.raise_if_any()


async def _reopen(session: AsyncSession, acting: Acting, order: WorkOrder, comment: str | None,
                  detail: dict[str, object]) -> None:
    """重办: the lead units' accepted replies go back to them for rework; the order is handled again."""
    order.reopen_count += 1
    order.resolved = order.satisfaction = None  # the next callback decides again
    detail["reopened"] = order.reopen_count
    workflow.step(session, acting.actor, workflow.ORDER_MOVES["record_callback"], order,
                  target=OrderState.IN_PROGRESS, note=comment, detail=detail)
    reopen = workflow.ASSIGNMENT_MOVES["reopen"]
    for assignment in await repo.assignments_of(session, acting.scope, [(order.tenant_id, order.id)]):
        if assignment.role == AssignmentRole.LEAD and assignment.state == AssignmentState.ACCEPTED:
            assignment.rework_count += 1
            assignment.finished_at = None
            assignment.review_note = comment
            await deadlines.at_rework(session, acting.scope, order, assignment, utcnow())
            workflow.step(session, acting.actor, reopen, order, assignment=assignment, note=comment)


async def archive(session: AsyncSession, acting: Acting, order_id: uuid.UUID) -> WorkOrder:
    """归档: a closed order is filed; nothing moves it afterwards."""
    who = await access.viewer(session, acting)
    order = await access.visible_order(session, who, order_id, ("orderId",))
    move = workflow.ORDER_MOVES["archive"]
    workflow.check(move, order.state, who.roles, "an order")
    order.archived_at = utcnow()
    workflow.step(session, acting.actor, move, order)
    return order
