"""Public intake for citizens (web form, app, mini-program): file a request in a named hotline, follow it.

`POST /api/public/{tenant_code}/orders` creates an order and returns its number; `GET
/api/public/{tenant_code}/orders/{number}?phone=…` shows its progress when the phone matches the
caller's (compared by keyed hash). The answer never holds personal data, and an unknown number and a
wrong phone look the same. Both are rate-limited per client address. The tenant is found by code on
the system role (like sign-in, before any scope exists); everything else runs on the application
role scoped to that one tenant.
"""

from __future__ import annotations

import datetime as dt
import hmac
import os
from dataclasses import dataclass
from typing import Any

from litestar import Controller, Response, Router, get, post
from litestar.middleware.rate_limit import DurationUnit, RateLimitConfig
from litestar.params import FromPath, FromQuery, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel import runtime
from hotline.kernel.context import Actor
from hotline.kernel.errors import DomainError
from hotline.kernel.scope import TenantScope
from hotline.tenancy import repository as tenancy_repo
from hotline.tenancy.models import Tenant, TenantStatus
from hotline.workorders import intake, pii
from hotline.workorders import repository as repo
from hotline.workorders.models import AssignmentRole, AssignmentState, Channel, OrderState, RequestType

ACTOR = Actor.system("public_intake")
PUBLIC_CHANNELS = {Channel.WEB, Channel.APP, Channel.WECHAT, Channel.WEIBO, Channel.SMS, Channel.MAILBOX}
STATE_LABELS = {OrderState.PENDING_DISPATCH: "已受理，待派单", OrderState.IN_PROGRESS: "办理中",
                OrderState.PENDING_CALLBACK: "已办结，待回访", OrderState.CLOSED: "已办结",
                OrderState.ARCHIVED: "已办结", OrderState.MERGED: "已与相同诉求合并办理"}
DONE = {OrderState.PENDING_CALLBACK, OrderState.CLOSED, OrderState.ARCHIVED}
NOT_FOUND = {"errors": [{"path": [], "message": "no such order for this phone number", "code": "not_found"}]}


def rate_limit() -> tuple[DurationUnit, int]:
    """Requests per client address and minute (HOTLINE_PUBLIC_RATE_LIMIT, default 20)."""
    return "minute", int(os.environ.get("HOTLINE_PUBLIC_RATE_LIMIT", "20"))


def _errors(error: DomainError, status: int = 400) -> Response[dict[str, Any]]:
    return Response({"errors": [{"path": list(e.path), "message": e.message, "code": e.code}
                                for e in error.errors]}, status_code=status)


async def _tenant(code: str) -> Tenant | None:
    async with runtime.database().system_transaction() as session:
        tenant = await tenancy_repo.system_tenant_by_code(session, code)
    return tenant if tenant is not None and tenant.status == TenantStatus.ACTIVE else None


def _new_order(body: dict[str, Any]) -> intake.NewWorkOrder:
    """The citizen's form as an intake; enum values are checked here, the rest by the intake rules."""
    def text(name: str) -> str:
        value = body.get(name)
        return value if isinstance(value, str) else ""

    try:
        request_type = RequestType(text("requestType"))
    except ValueError:
        raise DomainError.one(("requestType",), "one of " + ", ".join(RequestType), "invalid_choice") from None
    channel = Channel(text("channel")) if text("channel") in {c.value for c in PUBLIC_CHANNELS} else Channel.WEB
    if not text("phone"):
        raise DomainError.one(("phone",), "a phone number is needed to follow the request", "required")
    return intake.NewWorkOrder(
        channel=channel, request_type=request_type, category_code=text("categoryCode"), title=text("title"),
        content=text("content"), response_level=4, division_code=text("divisionCode") or None,
        address=text("address") or None, caller_phone=text("phone"), caller_name=text("name") or None,
        confidential=bool(body.get("confidential", False)), enterprise_name=text("enterpriseName") or None,
        enterprise_credit_code=text("enterpriseCreditCode") or None)


@dataclass(frozen=True)
class Progress:
    number: str
    state: str
    label: str
    accepted_at: dt.datetime
    closed_at: dt.datetime | None
    result: str | None


async def progress(session: AsyncSession, tenant_id: Any, number: str, phone: str) -> Progress | None:
    scope = TenantScope.single(tenant_id)
    order = await repo.order_by_number(session, scope, number)
    normalised = pii.normalise(phone)
    if order is None or normalised is None or order.caller_phone_hash is None or \
            not hmac.compare_digest(order.caller_phone_hash, pii.lookup_hash(normalised)):
        return None
    result = None
    if order.state in DONE:
        accepted = [a for a in await repo.assignments_of(session, scope, [(order.tenant_id, order.id)])
                    if a.role == AssignmentRole.LEAD and a.state == AssignmentState.ACCEPTED]
        result = accepted[-1].reply_text if accepted else order.direct_answer
    state = OrderState(order.state)
    return Progress(number=order.number, state=state.value, label=STATE_LABELS[state], accepted_at=order.created_at,
                    closed_at=order.closed_at, result=result)


class PublicOrders(Controller):
    path = "/api/public/{tenant_code:str}/orders"

    @post("/", status_code=201)
    async def create(self, tenant_code: FromPath[str], data: JSONBody[dict[str, Any]]) -> Response[dict[str, Any]]:
        tenant = await _tenant(tenant_code)
        if tenant is None:
            return Response({"errors": [{"path": ["tenantCode"], "message": "no such hotline",
                                         "code": "not_found"}]}, status_code=404)
        try:
            form = _new_order(data)
            async with runtime.database().transaction(TenantScope.single(tenant.tenant_id)) as session:
                order = await intake.intake(session, tenant, ACTOR, form)
                number = order.number
        except DomainError as error:
            return _errors(error)
        return Response({"number": number}, status_code=201)

    @get("/{number:str}")
    async def follow(self, tenant_code: FromPath[str], number: FromPath[str],
                     phone: FromQuery[str] = "") -> Response[dict[str, Any]]:
        tenant = await _tenant(tenant_code)
        if tenant is None:
            return Response(NOT_FOUND, status_code=404)
        async with runtime.database().transaction(TenantScope.single(tenant.tenant_id)) as session:
            found = await progress(session, tenant.tenant_id, number, phone)
        if found is None:
            return Response(NOT_FOUND, status_code=404)
        return Response({"number": found.number, "state": found.state, "label": found.label,
                         "acceptedAt": found.accepted_at.isoformat(),
                         "closedAt": found.closed_at.isoformat() if found.closed_at else None,
                         "result": found.result})


def public_router(limit: tuple[DurationUnit, int] | None = None) -> Router:
    """The public endpoints behind their own rate limit (per client address)."""
    config = RateLimitConfig(rate_limit=limit or rate_limit(), store="public_rate_limit")
    return Router(path="/", route_handlers=[PublicOrders], middleware=[config.middleware])
