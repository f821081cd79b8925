"""Jobs of the work-order domain: telling the caller (receipt, result, progress) by SMS."""

from __future__ import annotations

import uuid
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel.jobs import job
from hotline.kernel.scope import TenantScope
from hotline.tenancy import repository as tenancy_repo
from hotline.workorders import pii, sms
from hotline.workorders import repository as repo
from hotline.workorders.intake import NOTIFY_ACTOR
from hotline.workorders.models import OrderState, WorkOrder

log = structlog.get_logger(__name__)
STATE_WORDS = {OrderState.PENDING_DISPATCH: "正在派单", OrderState.IN_PROGRESS: "正在办理",
               OrderState.PENDING_CALLBACK: "已办结，待回访", OrderState.CLOSED: "已办结",
               OrderState.ARCHIVED: "已办结", OrderState.MERGED: "已与相同诉求合并办理"}
MAX_RESULT = 200


def compose(kind: str, hotline: str, order: WorkOrder, result_text: str | None) -> str:
    if kind == "receipt":
        return (f"【{hotline}】您的诉求已受理，工单号{order.number}。"
                "可凭工单号和本机号码查询办理进度。")
    if kind == "result":
        summary = (result_text or "")[:MAX_RESULT]
        return f"【{hotline}】您的工单{order.number}已办结。办理结果：{summary}"
    words = STATE_WORDS.get(OrderState(order.state), "正在办理")
    return f"【{hotline}】您的工单{order.number}{words}，感谢您的耐心等待。"


@job(NOTIFY_ACTOR)
async def notify_caller(session: AsyncSession, tenant_id: uuid.UUID, payload: dict[str, Any]) -> None:
    scope = TenantScope.single(tenant_id)
    order = await repo.order_by_id(session, scope, uuid.UUID(payload["order_id"]))
    tenants = await tenancy_repo.tenants_by_ids(session, scope, [tenant_id])
    if order is None or order.caller_phone_cipher is None or not tenants:
        log.info("workorders.notify_skipped", reason="no order or no phone")
        return
    result_text = None
    if payload["kind"] == "result":
        leads = [a for a in await repo.assignments_of(session, scope, [(tenant_id, order.id)])
                 if a.role == "lead" and a.reply_text]
        result_text = leads[-1].reply_text if leads else None
    phone = pii.decrypt(tenant_id, order.caller_phone_cipher)
    body = compose(payload["kind"], tenants[0].name, order, result_text)
    await sms.provider().send(session, sms.Sms(tenant_id=tenant_id, notice_id=uuid.UUID(payload["notice_id"]),
                                               order_id=order.id, kind=payload["kind"], phone=phone, body=body))
