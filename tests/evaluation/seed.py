"""Seeding for evaluation and analytics tests: fresh tenants and orders with chosen timestamps.

Written as the system role (the named cross-tenant path tests may use), so that every figure can be
computed by hand: dispatch, sign-for, reply and callback moments are set exactly, in past periods that
no other test touches.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import select, text

from hotline.kernel import runtime
from hotline.kernel.ids import new_id
from hotline.tenancy.models import Tenant, TenantDirectory, Unit
from hotline.tenancy.signin import CALLERS
from tests.conftest import unique

CST = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: float = 0.0) -> dt.datetime:
    """A local (Asia/Shanghai) moment: at("2024-05-06", 9.5) is 09:30 that day."""
    base = dt.datetime.fromisoformat(day).replace(tzinfo=CST)
    return base + dt.timedelta(hours=hour)


@dataclass
class Seeded:
    tenant_id: uuid.UUID
    code: str
    units: dict[str, uuid.UUID] = field(default_factory=dict)


async def tenant_id_of(code: str) -> uuid.UUID:
    async with runtime.database().system_transaction() as s:
        return (await s.scalars(select(Tenant.tenant_id).where(Tenant.code == code))).one()


async def unit_id_of(tenant_id: uuid.UUID, code: str) -> uuid.UUID:
    async with runtime.database().system_transaction() as s:
        return (await s.scalars(select(Unit.id).where(Unit.tenant_id == tenant_id, Unit.code == code))).one()


async def make_tenant(parent_code: str, units: list[tuple[str, str]], kind: str = "sub_centre") -> Seeded:
    """A tenant below `parent_code` with units (code, kind), e.g. [("s1", "street"), ("d1", "department")]."""
    async with runtime.database().system_transaction() as s:
        parent = (await s.scalars(select(Tenant).where(Tenant.code == parent_code))).one()
        code = unique("ev")
        tenant = Tenant(tenant_id=new_id(), parent_id=parent.tenant_id, ancestors=[*parent.ancestors, parent.tenant_id],
                        code=code, name=f"测试热线 {code}", kind=kind, status="active")
        s.add(tenant)
        s.add(TenantDirectory(code=code, tenant_id=tenant.tenant_id))
        seeded = Seeded(tenant.tenant_id, code)
        for unit_code, unit_kind in units:
            unit = Unit(tenant_id=tenant.tenant_id, id=new_id(), code=unit_code, name=f"单位{unit_code}",
                        kind=unit_kind, active=True)
            s.add(unit)
            seeded.units[unit_code] = unit.id
    CALLERS.clear()
    return seeded


async def add_order(tenant_id: uuid.UUID, created: dt.datetime, *, request_type: str = "complaint",
                    category: str = "010201", division: str | None = None, state: str = "in_progress",
                    direct: bool = False, closed_at: dt.datetime | None = None, resolved: bool | None = None,
                    satisfaction: str | None = None, title: str = "路灯不亮", content: str = "路灯连续三晚不亮。",
                    phone_hash: str | None = None, channel: str = "phone") -> uuid.UUID:
    order_id = new_id()
    async with runtime.database().system_transaction() as s:
        await s.execute(text(
            "INSERT INTO work_orders (tenant_id, id, created_at, number, state, channel, request_type, category_code, "
            "title, content, division_code, confidential, response_level, attachments, return_count, reopen_count, "
            "callback_attempts, supervised, created_by_label, updated_at, direct_answer, closed_at, resolved, "
            "satisfaction, caller_phone_hash, progress_notice_beyond_calendar, callback_beyond_calendar) VALUES "
            "(:t, :id, :created, :number, :state, :channel, :type, :category, :title, :content, :division, false, "
            "3, '[]', 0, 0, 0, false, 'seed', :created, :direct, :closed, :resolved, :satisfaction, :phone, false, "
            "false)"),
            {"t": tenant_id, "id": order_id, "created": created, "number": f"T-{uuid.uuid4().hex[:12]}",
             "state": state, "channel": channel, "type": request_type, "category": category, "title": title,
             "content": content, "division": division, "direct": "已当场答复" if direct else None,
             "closed": closed_at, "resolved": resolved, "satisfaction": satisfaction, "phone": phone_hash})
    return order_id


async def add_assignment(tenant_id: uuid.UUID, order_id: uuid.UUID, unit_id: uuid.UUID, created: dt.datetime, *,
                         role: str = "lead", state: str = "in_progress", signed: dt.datetime | None = None,
                         sign_due: dt.datetime | None = None, replied: dt.datetime | None = None,
                         reply_due: dt.datetime | None = None, finished: dt.datetime | None = None,
                         rework: int = 0) -> uuid.UUID:
    assignment_id = new_id()
    async with runtime.database().system_transaction() as s:
        await s.execute(text(
            "INSERT INTO work_order_assignments (tenant_id, id, created_at, order_id, unit_id, role, state, signed_at, "
            "sign_for_due_at, replied_at, reply_due_at, finished_at, rework_count, return_requests, updated_at, "
            "sign_for_beyond_calendar, first_contact_beyond_calendar, reply_beyond_calendar, return_beyond_calendar) "
            "VALUES (:t, :id, :created, :order, :unit, :role, :state, :signed, :sign_due, :replied, :reply_due, "
            ":finished, :rework, :returns, :created, false, false, false, false)"),
            {"t": tenant_id, "id": assignment_id, "created": created, "order": order_id, "unit": unit_id,
             "role": role, "state": state, "signed": signed, "sign_due": sign_due, "replied": replied,
             "reply_due": reply_due, "finished": finished, "rework": rework,
             "returns": 1 if state == "returned" else 0})
    return assignment_id


@dataclass(frozen=True)
class Published:
    """One version of a seeded article: in force from `at` until `ended` (None: still in force)."""

    at: dt.datetime | None  # None: a draft never published
    expires: dt.date | None
    unit: uuid.UUID | None
    ended: dt.datetime | None = None


ARTICLE_SQL = (
    "INSERT INTO knowledge_articles (tenant_id, id, created_at, kind, status, share_scope, title, body, "
    "category_codes, tags, attachments, version, latest_version, search_vector, title_vector, owner_unit_id, "
    "updated_at, updated_by_label, published_at, retired_at, expires_on, direct_answer_total, helpful_total, "
    "unhelpful_total) VALUES (:t, :id, :created, 'standard', :status, 'own', :title, :body, '{}', '{}', '[]', "
    ":version, :latest, '', '', :unit, :created, 'seed', :published, :retired, :expires, 0, 0, 0)")
VERSION_SQL = (
    "INSERT INTO knowledge_article_versions (tenant_id, id, created_at, article_id, version, status, content, "
    "updated_at, updated_by_label, published_at, ended_at, expires_on, owner_unit_id) VALUES (:t, :id, :created, "
    ":article, :number, :status, CAST(:content AS jsonb), :created, 'seed', :published, :ended, :expires, :unit)")


async def add_article(tenant_id: uuid.UUID, title: str, versions: list[Published],
                      retired: dt.datetime | None = None) -> uuid.UUID:
    """An article with its version history written as the knowledge service records it (status, in-force
    interval, expiry date and responsible unit of each published version); `retired` ends the last one."""
    article_id = new_id()
    number = max((n for n, v in enumerate(versions, 1) if v.at is not None), default=len(versions))
    head = versions[number - 1]
    status = "retired" if retired else ("published" if head.at is not None else "draft")
    async with runtime.database().system_transaction() as s:
        await s.execute(text(ARTICLE_SQL), {
            "t": tenant_id, "id": article_id, "created": versions[0].at or at("2024-01-01"), "status": status,
            "title": title, "body": f"{title}。", "version": number, "latest": len(versions), "unit": head.unit,
            "published": head.at, "retired": retired, "expires": head.expires})
        for n, v in enumerate(versions, start=1):
            ended = retired if n == number and retired else v.ended
            state = ("draft" if v.at is None else "retired" if n == number and retired else
                     "superseded" if ended else "published")
            content = {"title": title, "expires_on": v.expires.isoformat() if v.expires else None,
                       "owner_unit_id": str(v.unit) if v.unit else None}
            await s.execute(text(VERSION_SQL), {
                "t": tenant_id, "id": new_id(), "created": v.at or at("2024-01-01"), "article": article_id,
                "number": n, "status": state, "published": v.at, "ended": ended, "content": json.dumps(content),
                "expires": v.expires if v.at else None, "unit": v.unit if v.at else None})
    return article_id
