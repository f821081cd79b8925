"""Queries of the analytics domain: GROUP BY aggregates over a tenant's (or a subtree's) orders.

Every query carries `tenant_id = ANY(:tenants)`; days are local (Asia/Shanghai).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.analytics.models import (
    DistrictBoundaries,
    HotspotAlert,
    HotspotSettings,
    MonthlyProblem,
    ReportDelivery,
    ReportRun,
    ReportSubscription,
)
from hotline.kernel.scope import TenantScope

LOCAL_DAY = "(o.created_at AT TIME ZONE 'Asia/Shanghai')::date"
ORDERS = "work_orders o WHERE o.tenant_id = ANY(CAST(:tenants AS uuid[])) AND o.created_at >= :start " \
         "AND o.created_at < :end AND o.state <> 'merged'"


def _params(tenants: Sequence[uuid.UUID], start: dt.datetime, end: dt.datetime, **extra: Any) -> dict[str, Any]:
    return {"tenants": [str(t) for t in tenants], "start": start, "end": end, **extra}


async def volume_by(session: AsyncSession, tenants: Sequence[uuid.UUID], start: dt.datetime, end: dt.datetime,
                    expression: str) -> list[tuple[str, int]]:
    sql = f"SELECT {expression} AS k, count(*) FROM {ORDERS} GROUP BY 1 ORDER BY 2 DESC, 1"
    rows = (await session.execute(text(sql), _params(tenants, start, end))).all()
    return [(str(r[0]) if r[0] is not None else "", int(r[1])) for r in rows]


async def satisfaction_by_place(session: AsyncSession, tenants: Sequence[uuid.UUID], start: dt.datetime,
                                end: dt.datetime) -> list[tuple[str, int, int]]:
    """Per division: orders with a callback verdict, and those satisfied or basically satisfied (满意率)."""
    sql = f"""SELECT o.division_code AS k, count(*) FILTER (WHERE o.satisfaction IS NOT NULL) AS rated,
      count(*) FILTER (WHERE o.satisfaction IN ('satisfied', 'basically_satisfied')) AS satisfied
      FROM {ORDERS} AND o.division_code IS NOT NULL
      GROUP BY 1 HAVING count(*) FILTER (WHERE o.satisfaction IS NOT NULL) > 0 ORDER BY 1"""
    rows = (await session.execute(text(sql), _params(tenants, start, end))).all()
    return [(str(r[0]), int(r[1]), int(r[2])) for r in rows]


async def deadline_performance(session: AsyncSession, tenants: Sequence[uuid.UUID], start: dt.datetime,
                               end: dt.datetime, now: dt.datetime) -> dict[str, int]:
    sql = """SELECT count(*) AS dispatched,
      count(*) FILTER (WHERE a.signed_at IS NOT NULL) AS signed,
      count(*) FILTER (WHERE a.signed_at <= a.sign_for_due_at
                       OR (a.signed_at IS NOT NULL AND a.sign_for_due_at IS NULL)) AS signed_on_time,
      count(*) FILTER (WHERE a.replied_at IS NOT NULL) AS replied,
      count(*) FILTER (WHERE a.replied_at <= a.reply_due_at OR (a.replied_at IS NOT NULL AND a.reply_due_at IS NULL))
        AS replied_on_time,
      count(*) FILTER (WHERE a.state IN ('pending_sign', 'in_progress') AND a.reply_due_at < :now) AS overdue_open
      FROM work_order_assignments a WHERE a.tenant_id = ANY(CAST(:tenants AS uuid[])) AND a.created_at >= :start
      AND a.created_at < :end AND a.state <> 'cancelled'"""
    row = (await session.execute(text(sql), _params(tenants, start, end, now=now))).mappings().one()
    return {k: int(v) for k, v in row.items()}


async def unit_board(session: AsyncSession, tenants: Sequence[uuid.UUID], start: dt.datetime, end: dt.datetime
                     ) -> list[dict[str, Any]]:
    """Per unit: assignments, replied on time, satisfied callbacks (红黑榜 material)."""
    sql = """SELECT u.tenant_id, u.code, u.name, count(*) AS assigned,
      count(*) FILTER (WHERE a.replied_at <= a.reply_due_at OR (a.replied_at IS NOT NULL AND a.reply_due_at IS NULL))
        AS on_time,
      count(*) FILTER (WHERE a.role = 'lead' AND o.satisfaction IS NOT NULL) AS rated,
      count(*) FILTER (WHERE a.role = 'lead' AND o.satisfaction IN ('satisfied', 'basically_satisfied')) AS satisfied
      FROM work_order_assignments a
      JOIN work_orders o ON o.tenant_id = a.tenant_id AND o.id = a.order_id
      JOIN units u ON u.tenant_id = a.tenant_id AND u.id = a.unit_id
      WHERE a.tenant_id = ANY(CAST(:tenants AS uuid[])) AND a.created_at >= :start AND a.created_at < :end
        AND a.state NOT IN ('cancelled', 'returned')
      GROUP BY u.tenant_id, u.code, u.name"""
    return [dict(r) for r in (await session.execute(text(sql), _params(tenants, start, end))).mappings().all()]


async def names(session: AsyncSession, table: str, codes: Sequence[str]) -> dict[str, str]:
    if not codes:
        return {}
    rows = (await session.execute(text(f"SELECT code, name FROM {table} WHERE code = ANY(CAST(:c AS text[]))"),
                                  {"c": list(codes)})).all()
    return {r[0]: r[1] for r in rows}


async def tenant_names(session: AsyncSession, scope: TenantScope, ids: Sequence[uuid.UUID]) -> dict[str, str]:
    rows = (await session.execute(text("SELECT tenant_id, name FROM tenants WHERE tenant_id = ANY(CAST(:t AS uuid[]))"),
                                  {"t": [str(i) for i in ids if scope.contains(i)]})).all()
    return {str(r[0]): r[1] for r in rows}


async def subtree(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID) -> list[uuid.UUID]:
    rows = (await session.execute(text(
        "SELECT tenant_id FROM tenants WHERE tenant_id = ANY(CAST(:scope AS uuid[])) "
        "AND (tenant_id = :t OR :t = ANY(ancestors))"),
        {"scope": [str(t) for t in scope.tenant_ids], "t": tenant_id})).all()
    return [r[0] for r in rows]


# --- hotspots ------------------------------------------------------------------------------------


async def daily_counts(session: AsyncSession, tenant_id: uuid.UUID, start: dt.datetime, end: dt.datetime,
                       day: dt.date) -> list[dict[str, Any]]:
    """Per (place, category): the day's count, and the sum and sum of squares of the days before."""
    sql = f"""WITH daily AS (
      SELECT o.division_code, o.category_code, {LOCAL_DAY} AS d, count(*) AS n FROM work_orders o
      WHERE o.tenant_id = :t AND o.created_at >= :start AND o.created_at < :end AND o.state <> 'merged'
        AND o.division_code IS NOT NULL
      GROUP BY 1, 2, 3)
    SELECT division_code, category_code, coalesce(sum(n) FILTER (WHERE d = :day), 0) AS today,
      coalesce(sum(n) FILTER (WHERE d < :day), 0) AS total, coalesce(sum(n * n) FILTER (WHERE d < :day), 0) AS squares
    FROM daily GROUP BY 1, 2 HAVING coalesce(sum(n) FILTER (WHERE d = :day), 0) > 0"""
    rows = (await session.execute(text(sql), {"t": tenant_id, "start": start, "end": end, "day": day})).mappings()
    return [dict(r) for r in rows.all()]


async def orders_in(session: AsyncSession, tenant_id: uuid.UUID, start: dt.datetime, end: dt.datetime,
                    division: str | None = None, category: str | None = None, limit: int = 2000
                    ) -> list[dict[str, Any]]:
    sql = ("SELECT o.id, o.title, o.content, o.caller_phone_hash, o.division_code, o.category_code, o.created_at "
           "FROM work_orders o WHERE o.tenant_id = :t AND o.created_at >= :start AND o.created_at < :end "
           "AND o.state <> 'merged'")
    params: dict[str, Any] = {"t": tenant_id, "start": start, "end": end, "limit": limit}
    if division is not None:
        sql += " AND o.division_code = :division"
        params["division"] = division
    if category is not None:
        sql += " AND o.category_code = :category"
        params["category"] = category
    rows = (await session.execute(text(sql + " ORDER BY o.id LIMIT :limit"), params)).mappings().all()
    return [dict(r) for r in rows]


async def crowded_groups(session: AsyncSession, tenant_id: uuid.UUID, start: dt.datetime, end: dt.datetime,
                         minimum: int) -> list[tuple[str | None, str]]:
    sql = ("SELECT o.division_code, o.category_code FROM work_orders o WHERE o.tenant_id = :t "
           "AND o.created_at >= :start AND o.created_at < :end AND o.state <> 'merged' "
           "GROUP BY 1, 2 HAVING count(DISTINCT coalesce(o.caller_phone_hash, o.id::text)) >= :m")
    rows = (await session.execute(text(sql), {"t": tenant_id, "start": start, "end": end, "m": minimum})).all()
    return [(r[0], r[1]) for r in rows]


async def settings_of(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID) -> HotspotSettings | None:
    query = select(HotspotSettings).where(scope.visible(HotspotSettings), HotspotSettings.tenant_id == tenant_id)
    return (await session.scalars(query)).one_or_none()


async def alerts(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, start: dt.date, end: dt.date
                 ) -> list[HotspotAlert]:
    query = select(HotspotAlert).where(scope.visible(HotspotAlert), HotspotAlert.tenant_id == tenant_id,
                                       HotspotAlert.day >= start, HotspotAlert.day <= end)
    return list((await session.scalars(query.order_by(HotspotAlert.day.desc(), HotspotAlert.count.desc()))).all())


async def alert_by_key(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, kind: str, key: str,
                       day: dt.date) -> HotspotAlert | None:
    query = select(HotspotAlert).where(scope.visible(HotspotAlert), HotspotAlert.tenant_id == tenant_id,
                                       HotspotAlert.kind == kind, HotspotAlert.key == key, HotspotAlert.day == day)
    return (await session.scalars(query)).one_or_none()


async def monthly_problems(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID) -> list[MonthlyProblem]:
    query = select(MonthlyProblem).where(scope.visible(MonthlyProblem), MonthlyProblem.tenant_id == tenant_id)
    return list((await session.scalars(query.order_by(MonthlyProblem.month.desc()))).all())


async def problem_volume(session: AsyncSession, p: MonthlyProblem, start: dt.datetime, end: dt.datetime
                         ) -> dict[str, int]:
    sql = ("SELECT to_char(o.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS m, count(*) FROM work_orders o "
           "WHERE o.tenant_id = :t AND o.created_at >= :start AND o.created_at < :end AND o.state <> 'merged' "
           "AND o.category_code LIKE :cat")
    params: dict[str, Any] = {"t": p.tenant_id, "start": start, "end": end, "cat": p.category_prefix + "%"}
    if p.division_prefix:
        sql += " AND o.division_code LIKE :div"
        params["div"] = p.division_prefix + "%"
    if p.keyword:
        sql += " AND (strpos(o.title, :kw) > 0 OR strpos(o.content, :kw) > 0)"
        params["kw"] = p.keyword
    rows = (await session.execute(text(sql + " GROUP BY 1"), params)).all()
    return {r[0]: int(r[1]) for r in rows}


async def subscriptions(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, kind: str | None = None
                        ) -> list[ReportSubscription]:
    query = select(ReportSubscription).where(scope.visible(ReportSubscription),
                                             ReportSubscription.tenant_id == tenant_id)
    if kind is not None:
        query = query.where(ReportSubscription.kind == kind, ReportSubscription.active.is_(True))
    return list((await session.scalars(query.order_by(ReportSubscription.id))).all())


async def run_by_key(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, kind: str, start: dt.date,
                     roll_up: bool) -> ReportRun | None:
    query = select(ReportRun).where(scope.visible(ReportRun), ReportRun.tenant_id == tenant_id,
                                    ReportRun.kind == kind, ReportRun.period_start == start,
                                    ReportRun.roll_up.is_(roll_up))
    return (await session.scalars(query)).one_or_none()


async def system_subscribed_tenants(session: AsyncSession) -> list[tuple[uuid.UUID, str, bool]]:
    """(tenant, kind, roll_up) of every active subscription (the scheduled sweep's named cross-tenant read)."""
    rows = (await session.execute(text("SELECT DISTINCT tenant_id, kind, roll_up FROM report_subscriptions "
                                       "WHERE active"))).all()
    return [(r[0], r[1], bool(r[2])) for r in rows]


async def delivery_of(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, run_id: uuid.UUID,
                      subscription_id: uuid.UUID) -> ReportDelivery | None:
    query = select(ReportDelivery).where(scope.visible(ReportDelivery), ReportDelivery.tenant_id == tenant_id,
                                         ReportDelivery.run_id == run_id,
                                         ReportDelivery.subscription_id == subscription_id)
    return (await session.scalars(query)).one_or_none()


# --- district boundaries -------------------------------------------------------------------------


async def boundaries_of(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID) -> DistrictBoundaries | None:
    query = select(DistrictBoundaries).where(scope.visible(DistrictBoundaries),
                                             DistrictBoundaries.tenant_id == tenant_id)
    return (await session.scalars(query)).one_or_none()
