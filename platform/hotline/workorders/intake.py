"""Intake (受理): recording an order, numbering it, the caller's phone, history and direct answers (直办)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel import appends, audit, config_cache, outbox
from hotline.kernel.acting import Acting
from hotline.kernel.context import Actor, Role
from hotline.kernel.errors import DomainError, Validator, forbidden
from hotline.kernel.ids import new_id
from hotline.kernel.models import utcnow
from hotline.kernel.scope import TenantScope
from hotline.tenancy import repository as tenancy_repo
from hotline.tenancy.models import Tenant, TenantKind
from hotline.workorders import access, deadlines, pii, workflow
from hotline.workorders import repository as repo
from hotline.workorders.models import Channel, OrderState, RequestType, WorkOrder

LOCAL_TIME = ZoneInfo("Asia/Shanghai")  # order numbers carry the hotline's local date
NOTIFY_ACTOR = "workorders.notify_caller"
CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
MAX_ATTACHMENTS = 20


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    size: int
    url: str | None = None


@dataclass(frozen=True)
class NewWorkOrder:
    channel: Channel
    request_type: RequestType
    category_code: str
    title: str
    content: str
    response_level: int = 4
    division_code: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    caller_phone: str | None = None
    caller_name: str | None = None
    confidential: bool = False
    enterprise_name: str | None = None
    enterprise_credit_code: str | None = None
    attachments: Sequence[Attachment] = field(default_factory=tuple)
    direct_answer: str | None = None  # 直办: a consultation answered on the call closes at once


def credit_code_valid(code: str) -> bool:
    """The unified social credit code (统一社会信用代码, GB 32100-2015) with its check character."""
    if not CREDIT_CODE_RE.match(code):
        return False
    total = sum(CREDIT_CODE_CHARS.index(c) * w for c, w in zip(code[:17], CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31] == code[17]


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LOCAL_TIME).date()


def _division_prefix(code: str) -> str:
    prefix = code
    while prefix.endswith("00") and len(prefix) > 2:
        prefix = prefix[:-2]
    return prefix


async def acting_tenant(session: AsyncSession, scope: TenantScope) -> Tenant:
    """The acting tenant's row, read only. Cached: intake needs it on every order, and a change to any
    tenant empties the cache (watched below)."""
    cached: Tenant | None = config_cache.get(session, "tenant", scope.acting_tenant_id)
    if cached is not None:
        return cached
    found = await tenancy_repo.tenants_by_ids(session, scope, [scope.acting_tenant_id])
    if not found:
        raise DomainError.one((), "tenant not found", "not_found")
    config_cache.put(session, "tenant", scope.acting_tenant_id, found[0])
    return found[0]


config_cache.watch(Tenant)


async def validate(session: AsyncSession, tenant: Tenant, data: NewWorkOrder) -> str | None:
    """All problems of the input at once, with field paths; returns the normalised phone number."""
    v = Validator()
    v.check(bool(data.title.strip()), ("title",), "title is required", "required")
    v.check(len(data.title.strip()) <= 200, ("title",), "title: at most 200 characters", "too_long")
    v.check(bool(data.content.strip()), ("content",), "content is required", "required")
    v.check(1 <= data.response_level <= 4, ("responseLevel",), "response level is 1 to 4", "out_of_range")
    v.check(await repo.category_known(session, data.category_code), ("categoryCode",), "unknown category",
            "not_found")
    await _validate_location(session, tenant, data, v)
    phone = None
    if data.caller_phone:
        phone = pii.normalise(data.caller_phone)
        v.check(phone is not None, ("caller", "phone"), "not a valid phone number", "invalid_format")
    v.check(len((data.caller_name or "").strip()) <= 100, ("caller", "name"), "name: at most 100 characters",
            "too_long")
    _validate_enterprise(tenant, data, v)
    v.check(len(data.attachments) <= MAX_ATTACHMENTS, ("attachments",),
            f"at most {MAX_ATTACHMENTS} attachments", "too_many")
    for i, a in enumerate(data.attachments):
        v.check(bool(a.name.strip()), ("attachments", str(i), "name"), "name is required", "required")
        v.check(a.size >= 0, ("attachments", str(i), "size"), "size cannot be negative", "out_of_range")
    if data.direct_answer is not None:
        v.check(data.request_type == RequestType.CONSULTATION, ("directAnswer",),
                "only a consultation can be answered directly", "invalid_request_type")
        v.check(bool(data.direct_answer.strip()), ("directAnswer",), "the answer is required", "required")
    v.raise_if_any()
    return phone


async def _validate_location(session: AsyncSession, tenant: Tenant, data: NewWorkOrder, v: Validator) -> None:
    if data.division_code:
        inside = tenant.division_code is None or data.division_code.startswith(
            _division_prefix(tenant.division_code))
        v.check(inside and await tenancy_repo.region_known(session, data.division_code), ("location", "divisionCode"),
                f"not a division code within {tenant.name}", "invalid_division")
    if (data.latitude is None) != (data.longitude is None):
        v.check(False, ("location", "latitude" if data.latitude is None else "longitude"),
                "give both latitude and longitude, or neither", "required")
    if data.latitude is not None:
        v.check(-90 <= data.latitude <= 90, ("location", "latitude"), "latitude is -90 to 90", "out_of_range")
    if data.longitude is not None:
        v.check(-180 <= data.longitude <= 180, ("location", "longitude"), "longitude is -180 to 180",
                "out_of_range")


def _validate_enterprise(tenant: Tenant, data: NewWorkOrder, v: Validator) -> None:
    if tenant.kind == TenantKind.ENTERPRISE_LINE:
        v.check(bool((data.enterprise_name or "").strip()), ("enterprise", "name"),
                "an enterprise line needs the enterprise's name", "required")
    if data.enterprise_credit_code:
        v.check(credit_code_valid(data.enterprise_credit_code.strip().upper()), ("enterprise", "creditCode"),
                "not a valid unified social credit code", "invalid_format")


async def create_work_order(session: AsyncSession, acting: Acting, data: NewWorkOrder) -> WorkOrder:
    """An agent records an order; with `direct_answer` a consultation closes at once (直办)."""
    who = await access.viewer(session, acting)
    if Role.AGENT not in who.roles:
        raise forbidden("only agents record work orders")
    tenant = await acting_tenant(session, acting.scope)
    order = await intake(session, tenant, acting.actor, data)
    if data.direct_answer is not None:
        _close_directly(session, acting.actor, order, data.direct_answer)
    return order


async def intake(session: AsyncSession, tenant: Tenant, actor: Actor, data: NewWorkOrder) -> WorkOrder:
    """Validate, number and store an order of `tenant` (the agent's path and the public one)."""
    phone = await validate(session, tenant, data)
    now = utcnow()
    sequence = await repo.next_number(session, tenant.tenant_id, local_day(now))
    order = WorkOrder(
        tenant_id=tenant.tenant_id, id=new_id(), number=f"{tenant.code}-{local_day(now):%Y%m%d}-{sequence:05d}",
        state=OrderState.PENDING_DISPATCH, channel=data.channel, request_type=data.request_type,
        category_code=data.category_code, title=data.title.strip(), content=data.content.strip(),
        division_code=data.division_code or None, address=(data.address or "").strip() or None,
        latitude=data.latitude, longitude=data.longitude, caller_name=(data.caller_name or "").strip() or None,
        confidential=data.confidential, enterprise_name=(data.enterprise_name or "").strip() or None,
        enterprise_credit_code=(data.enterprise_credit_code or "").strip().upper() or None,
        response_level=data.response_level, attachments=[_attachment(a) for a in data.attachments],
        created_by=actor.user_id, created_by_label=actor.label, created_at=now, updated_at=now,
        return_count=0, reopen_count=0, callback_attempts=0, supervised=False,
        progress_notice_beyond_calendar=False, callback_beyond_calendar=False,
    )
    if phone is not None:
        order.caller_phone_cipher = pii.encrypt(tenant.tenant_id, phone)
        order.caller_phone_hash = pii.lookup_hash(phone)
        order.caller_phone_masked = pii.mask(phone)
    await deadlines.at_intake(session, TenantScope.single(tenant.tenant_id), order)
    appends.insert_new(session, order)  # with its event, audit and outbox rows: one statement
    workflow.record_event(session, actor, order, "create", after=OrderState.PENDING_DISPATCH,
                          detail={"channel": data.channel, "request_type": data.request_type,
                                  "category_code": data.category_code})
    if phone is not None and data.direct_answer is None:
        notify_caller(session, order, "receipt")
    if data.direct_answer is None:
        # The tenant's published dispatch configuration runs now (imported here: dispatch imports handling,
        # which imports this module).
        from hotline.dispatch.decide import at_intake as dispatch_at_intake

        await dispatch_at_intake(session, tenant, order)
    return order


def notify_caller(session: AsyncSession, order: WorkOrder, kind: str) -> None:
    """An SMS to the caller after the commit (receipt, result or progress), through the outbox."""
    outbox.enqueue(session, order.tenant_id, NOTIFY_ACTOR,
                   {"order_id": str(order.id), "kind": kind, "notice_id": str(new_id())})


def _attachment(a: Attachment) -> dict[str, Any]:
    return {"name": a.name.strip(), "content_type": a.content_type, "size": a.size, "url": a.url}


def _close_directly(session: AsyncSession, actor: Actor, order: WorkOrder, answer: str) -> None:
    order.direct_answer = answer.strip()
    order.closed_at = utcnow()
    workflow.step(session, actor, workflow.ORDER_MOVES["answer_directly"], order, note=order.direct_answer)


async def answer_directly(session: AsyncSession, acting: Acting, order_id: uuid.UUID, answer: str) -> WorkOrder:
    """Close a consultation still waiting for dispatch with the answer given on the call (直办)."""
    who = await access.viewer(session, acting)
    order = await access.visible_order(session, who, order_id, ("orderId",))
    workflow.check(workflow.ORDER_MOVES["answer_directly"], order.state, who.roles, "an order")
    v = Validator()
    v.check(order.request_type == RequestType.CONSULTATION, ("orderId",),
            "only a consultation can be answered directly", "invalid_request_type")
    v.check(bool(answer.strip()), ("answer",), "the answer is required", "required")
    v.raise_if_any()
    _close_directly(session, acting.actor, order, answer)
    return order


async def reveal_phone(session: AsyncSession, acting: Acting, order_id: uuid.UUID) -> str | None:
    """The caller's full number for those allowed to call back; every reveal is audited."""
    who = await access.viewer(session, acting)
    order = await access.visible_order(session, who, order_id, ("orderId",), for_update=False)
    allowed = bool(who.roles & access.REVEAL_ROLES)
    if not allowed and not order.confidential:
        assignments = await repo.assignments_of(session, acting.scope, [(order.tenant_id, order.id)])
        allowed = any(who.handles(a.unit_id) for a in assignments)
    if not allowed:
        raise forbidden("your roles may not reveal this caller's phone number")
    if order.caller_phone_cipher is None:
        return None
    audit.record(session, order.tenant_id, acting.actor, "work_order.caller_phone_revealed", ("work_order", order.id),
                 after={"number": order.number})
    return pii.decrypt(order.tenant_id, order.caller_phone_cipher)


@dataclass(frozen=True)
class CallerHistory:
    total: int
    open: int
    orders: Sequence[WorkOrder]

    @property
    def repeat_caller(self) -> bool:
        return self.total > 0


async def caller_history(session: AsyncSession, acting: Acting, phone: str, limit: int = 20) -> CallerHistory:
    """What this tenant already has from the same phone number (by its keyed hash)."""
    who = await access.viewer(session, acting)
    if not who.roles & {Role.AGENT, Role.DISPATCHER, Role.SUPERVISOR, Role.CALLBACK_AGENT}:
        raise forbidden("only the hotline's staff look up callers")
    normalised = pii.normalise(phone)
    if normalised is None:
        raise DomainError.one(("phone",), "not a valid phone number", "invalid_format")
    total, open_count, latest = await repo.caller_history(
        session, acting.scope, acting.tenant_id, pii.lookup_hash(normalised), max(1, min(limit, 100)))
    return CallerHistory(total, open_count, latest)
