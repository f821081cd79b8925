"""Reports (日通报、周汇总、月分析), subscriptions and deliveries, hotspots and 每月一题. Never commits.

Readers: admins, leaders, analysts and supervisors of the tenant (leaders and analysts granted on an
ancestor read down the tree, and roll-ups cover the tenant's subtree). Subscriptions, sending and the
problem of the month: admins and leaders. Alerts are acknowledged by admins, leaders and supervisors.
District boundaries (the dashboard's map): set and cleared by admins, read by the readers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import math
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hotline.analytics import document, geojson, workbook
from hotline.analytics import repository as repo
from hotline.analytics.models import (
    AlertKind,
    DistrictBoundaries,
    HotspotAlert,
    MonthlyProblem,
    ReportDelivery,
    ReportKind,
    ReportRun,
    ReportSubscription,
)
from hotline.kernel import audit, outbox
from hotline.kernel.acting import Acting
from hotline.kernel.calendar import TIMEZONE
from hotline.kernel.context import Actor, Role
from hotline.kernel.errors import DomainError, Validator, not_found
from hotline.kernel.ids import new_id
from hotline.kernel.models import utcnow
from hotline.kernel.scope import TenantScope
from hotline.tenancy.models import Tenant
from hotline.tenancy.regions import within
from hotline.tenancy.service import tenant_in_scope

READERS = (Role.TENANT_ADMIN, Role.PROVINCE_ADMIN, Role.LEADER, Role.ANALYST, Role.SUPERVISOR)
PUBLISHERS = (Role.TENANT_ADMIN, Role.PROVINCE_ADMIN, Role.LEADER)
ADMINS = (Role.TENANT_ADMIN, Role.PROVINCE_ADMIN)
MAX_SOURCE = 300
DELIVER_ACTOR = "analytics.deliver_report"
BOARD_SIZE = 5
DEFAULTS = {"baseline_days": 28, "spike_factor": 3.0, "spike_sigmas": 3.0, "spike_min_count": 5,
            "cluster_window_days": 7, "cluster_similarity": 0.6, "cluster_min_callers": 5}


def local(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), TIMEZONE)


def period(kind: ReportKind, day: dt.date) -> tuple[dt.date, dt.date]:
    """The day; the Monday-to-Sunday week; the calendar month containing `day` (end exclusive)."""
    if kind == ReportKind.DAILY:
        return day, day + dt.timedelta(days=1)
    if kind == ReportKind.WEEKLY:
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=7)
    start = day.replace(day=1)
    return start, (start + dt.timedelta(days=32)).replace(day=1)


async def _reader(session: AsyncSession, acting: Acting, tenant_code: str | None,
                  roles: tuple[Role, ...] = READERS) -> Tenant:
    tenant = await tenant_in_scope(session, acting.scope, tenant_code)
    acting.require(tenant.tenant_id, tenant.ancestors, roles)
    return tenant


def _rate(num: int, den: int) -> float | None:
    return None if den == 0 else round(num / den, 4)


async def build_report(session: AsyncSession, scope: TenantScope, tenant: Tenant, kind: ReportKind, day: dt.date,
                       roll_up: bool) -> dict[str, Any]:
    start_day, end_day = period(kind, day)
    start, end = local(start_day), local(end_day)
    tenants = await repo.subtree(session, scope, tenant.tenant_id) if roll_up else [tenant.tenant_id]

    def rows(pairs: list[tuple[str, int]], labels: dict[str, str] | None = None) -> list[dict[str, Any]]:
        return [{"key": k, "label": (labels or {}).get(k, k), "count": n} for k, n in pairs]

    categories = await repo.volume_by(session, tenants, start, end, "left(o.category_code, 2)")
    places = await repo.volume_by(session, tenants, start, end, "o.division_code")
    by_tenant = await repo.volume_by(session, tenants, start, end, "o.tenant_id") if roll_up else []
    board = []
    for u in await repo.unit_board(session, tenants, start, end):
        board.append({"code": u["code"], "name": u["name"], "assigned": int(u["assigned"]),
                      "on_time_rate": _rate(int(u["on_time"]), int(u["assigned"])),
                      "satisfaction_rate": _rate(int(u["satisfied"]), int(u["rated"]))})
    ranked = sorted(board, key=lambda b: (-(b["on_time_rate"] or 0.0), -(b["satisfaction_rate"] or 0.0),
                                          -b["assigned"], b["code"]))
    red = ranked[:BOARD_SIZE]
    black = [b for b in reversed(ranked) if b not in red][:BOARD_SIZE]
    total = sum(n for _, n in await repo.volume_by(session, tenants, start, end, "1"))
    satisfaction = await repo.satisfaction_by_place(session, tenants, start, end)
    place_names = await repo.names(session, "regions", [k for k, _ in places if k] + [k for k, _, _ in satisfaction])
    return {
        "tenant_code": tenant.code, "tenant_name": tenant.name, "kind": str(kind), "roll_up": roll_up,
        "period_start": start_day.isoformat(), "period_end": end_day.isoformat(), "total": total,
        "by_channel": rows(await repo.volume_by(session, tenants, start, end, "o.channel")),
        "by_request_type": rows(await repo.volume_by(session, tenants, start, end, "o.request_type")),
        "by_category": rows(categories, await repo.names(session, "categories", [k for k, _ in categories])),
        "by_place": rows(places, place_names),
        "place_satisfaction": [{"key": k, "label": place_names.get(k, k), "rated": rated, "satisfied": satisfied,
                                "rate": _rate(satisfied, rated)} for k, rated, satisfied in satisfaction],
        "by_tenant": rows(by_tenant, await repo.tenant_names(session, scope, [uuid.UUID(k) for k, _ in by_tenant])),
        "deadlines": await repo.deadline_performance(session, tenants, start, end, utcnow()),
        "red_list": red, "black_list": black,
    }


async def report(session: AsyncSession, acting: Acting, tenant_code: str | None, kind: ReportKind, day: dt.date,
                 roll_up: bool) -> dict[str, Any]:
    tenant = await _reader(session, acting, tenant_code)
    return await build_report(session, acting.scope, tenant, kind, day, roll_up)


# --- subscriptions and sending -------------------------------------------------------------------


async def subscribe(session: AsyncSession, acting: Acting, kind: ReportKind, recipient: str, roll_up: bool
                    ) -> ReportSubscription:
    tenant = await _reader(session, acting, None, PUBLISHERS)
    address = recipient.strip()
    v = Validator()
    v.check("@" in address and "." in address.split("@")[-1] and len(address) <= 200, ("recipient",),
            "an e-mail address", "invalid_format")
    v.raise_if_any()
    existing = [s for s in await repo.subscriptions(session, acting.scope, tenant.tenant_id)
                if s.kind == kind and s.recipient == address and s.roll_up == roll_up]
    if existing:
        existing[0].active = True
        return existing[0]
    row = ReportSubscription(tenant_id=tenant.tenant_id, id=new_id(), kind=kind, recipient=address,
                             roll_up=roll_up, active=True, created_by_label=acting.actor.label)
    session.add(row)
    audit.record(session, tenant.tenant_id, acting.actor, "report.subscribed", ("report_subscription", row.id),
                 after={"kind": str(kind), "recipient": address, "roll_up": roll_up})
    await session.flush()
    return row


async def publish_report(session: AsyncSession, scope: TenantScope, tenant: Tenant, actor: Actor, kind: ReportKind,
                         day: dt.date, roll_up: bool) -> tuple[ReportRun, int]:
    """Generate (once per period) and queue one delivery per active subscription through the outbox."""
    start, _ = period(kind, day)
    run = await repo.run_by_key(session, scope, tenant.tenant_id, kind, start, roll_up)
    if run is None:
        content = await build_report(session, scope, tenant, kind, day, roll_up)
        run = ReportRun(tenant_id=tenant.tenant_id, id=new_id(), kind=kind, period_start=start,
                        period_end=dt.date.fromisoformat(content["period_end"]), roll_up=roll_up, content=content,
                        workbook=workbook.build(content), pdf=document.build(content),
                        generated_by_label=actor.label)
        session.add(run)
        await session.flush()
    queued = 0
    for sub in await repo.subscriptions(session, scope, tenant.tenant_id, kind):
        if sub.roll_up == roll_up:
            outbox.enqueue(session, tenant.tenant_id, DELIVER_ACTOR, {"run_id": str(run.id),
                                                                     "subscription_id": str(sub.id)})
            queued += 1
    audit.record(session, tenant.tenant_id, actor, "report.published", ("report_run", run.id),
                 after={"kind": str(kind), "period_start": start.isoformat(), "deliveries": queued})
    return run, queued


async def send_report(session: AsyncSession, acting: Acting, kind: ReportKind, day: dt.date, roll_up: bool
                      ) -> tuple[ReportRun, int]:
    tenant = await _reader(session, acting, None, PUBLISHERS)
    return await publish_report(session, acting.scope, tenant, acting.actor, kind, day, roll_up)


async def deliver(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, run_id: uuid.UUID,
                  subscription_id: uuid.UUID) -> ReportDelivery | None:
    """The embedded mailer: records what it sends (recipient, subject, each attachment's size and hash: the
    Excel workbook and the PDF)."""
    run = await session.get(ReportRun, (tenant_id, run_id))
    sub = await session.get(ReportSubscription, (tenant_id, subscription_id))
    if run is None or sub is None or not scope.contains(tenant_id):
        return None
    if await repo.delivery_of(session, scope, tenant_id, run_id, subscription_id) is not None:
        return None  # one run reaches a subscriber once, however often it was asked for
    name = f"{run.content['tenant_code']}-{run.kind}-{run.period_start.isoformat()}"
    subject = f"{run.content['tenant_name']} {workbook.KIND_NAMES[run.kind]} {run.period_start.isoformat()}"
    pdf = run.pdf if run.pdf is not None else document.build(run.content)
    row = ReportDelivery(tenant_id=tenant_id, id=new_id(), run_id=run.id, subscription_id=sub.id,
                         recipient=sub.recipient, subject=subject, attachment_name=f"{name}.xlsx",
                         attachment_bytes=len(run.workbook),
                         attachment_sha256=hashlib.sha256(run.workbook).hexdigest(),
                         pdf_attachment_name=f"{name}.pdf", pdf_attachment_bytes=len(pdf),
                         pdf_attachment_sha256=hashlib.sha256(pdf).hexdigest())
    session.add(row)
    return row


# --- hotspots ------------------------------------------------------------------------------------


def _settings(row: Any) -> dict[str, Any]:
    return dict(DEFAULTS) if row is None else {k: getattr(row, k) for k in DEFAULTS}


def bigrams(text_: str) -> set[str]:
    chars = [c for c in text_ if not c.isspace() and c not in "，。！？、；：,.!?;:（）()"]
    return {a + b for a, b in itertools.pairwise(chars)}


def similar(a: set[str], b: set[str], threshold: float) -> bool:
    if not a or not b:
        return False
    return len(a & b) / min(len(a), len(b)) >= threshold


async def detect(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, day: dt.date
                 ) -> list[HotspotAlert]:
    """Spikes of a category in a place against its own baseline, and clusters of near-identical complaints
    from many callers, for one local day. Alerts are upserted per (kind, key, day)."""
    cfg = _settings(await repo.settings_of(session, scope, tenant_id))
    found: list[HotspotAlert] = []
    n = int(cfg["baseline_days"])
    start, end = local(day - dt.timedelta(days=n)), local(day + dt.timedelta(days=1))
    for r in await repo.daily_counts(session, tenant_id, start, end, day):
        today, mean = int(r["today"]), float(r["total"]) / n
        sd = math.sqrt(max(0.0, float(r["squares"]) / n - mean * mean))
        if today >= cfg["spike_min_count"] and today >= cfg["spike_factor"] * mean and \
                today >= mean + cfg["spike_sigmas"] * sd:
            ids = [o["id"] for o in await repo.orders_in(session, tenant_id, local(day), end, r["division_code"],
                                                         r["category_code"], 200)]
            found.append(await _alert(session, scope, tenant_id, AlertKind.SPIKE,
                                      f"{r['division_code']}:{r['category_code']}", day, r["category_code"],
                                      r["division_code"], today, round(mean, 4), None, ids,
                                      f"{r['division_code']} 的 {r['category_code']} 类诉求当日 {today} 件，"
                                      f"前 {n} 天日均 {mean:.2f} 件"))
    window_start = local(day - dt.timedelta(days=int(cfg["cluster_window_days"]) - 1))
    for division, category in await repo.crowded_groups(session, tenant_id, window_start, end,
                                                        int(cfg["cluster_min_callers"])):
        clusters: list[tuple[set[str], list[dict[str, Any]]]] = []
        for o in await repo.orders_in(session, tenant_id, window_start, end, division, category):
            grams = bigrams(f"{o['title']}{o['content']}")
            for rep, members in clusters:
                if similar(grams, rep, float(cfg["cluster_similarity"])):
                    members.append(o)
                    break
            else:
                clusters.append((grams, [o]))
        for _, members in clusters:
            callers = len({m["caller_phone_hash"] or str(m["id"]) for m in members})
            if callers >= cfg["cluster_min_callers"]:
                first = members[0]
                found.append(await _alert(session, scope, tenant_id, AlertKind.CLUSTER, f"{first['id']}", day,
                                          category, division, len(members), None, callers,
                                          [m["id"] for m in members],
                                          f"{callers} 位来电人反映同一问题：{first['title']}"))
    return found


async def _alert(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, kind: AlertKind, key: str,
                 day: dt.date, category: str | None, division: str | None, count: int, baseline: float | None,
                 callers: int | None, ids: list[uuid.UUID], summary: str) -> HotspotAlert:
    row = await repo.alert_by_key(session, scope, tenant_id, kind, key, day)
    if row is None:
        row = HotspotAlert(tenant_id=tenant_id, id=new_id(), kind=kind, key=key, day=day, category_code=category,
                           division_code=division, count=count, baseline=baseline, callers=callers,
                           order_ids=ids, summary=summary)
        session.add(row)
        audit.record(session, tenant_id, Actor.system("hotspots"), "hotspot.alert_raised", ("hotspot_alert", row.id),
                     after={"kind": str(kind), "key": key, "day": day.isoformat(), "count": count})
    else:
        row.count, row.baseline, row.callers, row.order_ids, row.summary = count, baseline, callers, ids, summary
    await session.flush()
    return row


async def detect_for(session: AsyncSession, acting: Acting, day: dt.date) -> list[HotspotAlert]:
    tenant = await _reader(session, acting, None)
    return await detect(session, acting.scope, tenant.tenant_id, day)


async def alerts(session: AsyncSession, acting: Acting, start: dt.date, end: dt.date) -> list[HotspotAlert]:
    tenant = await _reader(session, acting, None)
    return await repo.alerts(session, acting.scope, tenant.tenant_id, start, end)


async def acknowledge(session: AsyncSession, acting: Acting, alert_id: uuid.UUID) -> HotspotAlert:
    tenant = await _reader(session, acting, None, (*PUBLISHERS, Role.SUPERVISOR))
    row = await session.get(HotspotAlert, (tenant.tenant_id, alert_id))
    if row is None:
        raise not_found(("alertId",), "alert")
    if row.acknowledged_at is None:
        row.acknowledged_at, row.acknowledged_by_label = utcnow(), acting.actor.label
        audit.record(session, row.tenant_id, acting.actor, "hotspot.alert_acknowledged", ("hotspot_alert", row.id))
    return row


# --- 每月一题 ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProblemInput:
    month: str
    title: str
    category_prefix: str
    division_prefix: str | None = None
    keyword: str | None = None
    note: str | None = None


def _month_start(month: str) -> dt.date:
    try:
        return dt.date.fromisoformat(month + "-01")
    except ValueError:
        raise DomainError.one(("month",), "a month such as 2026-04", "invalid_format") from None


async def choose_problem(session: AsyncSession, acting: Acting, data: ProblemInput) -> MonthlyProblem:
    tenant = await _reader(session, acting, None, PUBLISHERS)
    _month_start(data.month)
    v = Validator()
    v.check(bool(data.title.strip()) and len(data.title) <= 200, ("title",), "a title", "required")
    v.check(data.category_prefix.isalnum() and len(data.category_prefix) <= 20, ("categoryPrefix",),
            "a category code (prefix)", "invalid_format")
    v.check(not data.division_prefix or data.division_prefix.isdigit(), ("divisionPrefix",),
            "a division code (prefix)", "invalid_format")
    v.raise_if_any()
    if any(p.month == data.month for p in await repo.monthly_problems(session, acting.scope, tenant.tenant_id)):
        raise DomainError.one(("month",), "a problem is already chosen for this month", "already_exists")
    row = MonthlyProblem(tenant_id=tenant.tenant_id, id=new_id(), month=data.month, title=data.title.strip(),
                         category_prefix=data.category_prefix, division_prefix=data.division_prefix or None,
                         keyword=(data.keyword or "").strip() or None, note=data.note,
                         chosen_by_label=acting.actor.label)
    session.add(row)
    audit.record(session, tenant.tenant_id, acting.actor, "monthly_problem.chosen", ("monthly_problem", row.id),
                 after={"month": data.month, "title": row.title, "category_prefix": row.category_prefix})
    await session.flush()
    return row


async def problems(session: AsyncSession, acting: Acting) -> list[MonthlyProblem]:
    tenant = await _reader(session, acting, None)
    return await repo.monthly_problems(session, acting.scope, tenant.tenant_id)


async def trend(session: AsyncSession, p: MonthlyProblem, months_before: int = 3, months_after: int = 6
                ) -> list[tuple[str, int]]:
    """Matching orders per month, from `months_before` before the chosen month to `months_after` after."""
    start = _month_start(p.month)
    first = start
    for _ in range(months_before):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    last = start
    for _ in range(months_after + 1):
        last = (last + dt.timedelta(days=32)).replace(day=1)
    counts = await repo.problem_volume(session, p, local(first), local(last))
    out, month = [], first
    while month < last:
        key = month.strftime("%Y-%m")
        out.append((key, counts.get(key, 0)))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return out


# --- district boundaries -------------------------------------------------------------------------


async def boundaries(session: AsyncSession, acting: Acting, tenant_code: str | None
                     ) -> tuple[Tenant, DistrictBoundaries | None]:
    tenant = await _reader(session, acting, tenant_code)
    return tenant, await repo.boundaries_of(session, acting.scope, tenant.tenant_id)


def _summary(row: DistrictBoundaries) -> dict[str, Any]:
    """What the audit keeps of a map: its source and divisions, not its shapes."""
    return {"source": row.source, "codes": [d["code"] for d in row.divisions], "size_bytes": row.size_bytes}


async def _checked_features(session: AsyncSession, tenant: Tenant, text_: str, v: Validator
                            ) -> tuple[list[geojson.Feature], dict[str, str]]:
    """The file's features whose codes are divisions inside the tenant's own, each once and none inside
    another (a street and its district would count the same orders twice); problems go to `v`."""
    try:
        found = geojson.features(geojson.parse(text_))
    except DomainError as error:
        v.errors.extend(error.errors)
        return [], {}
    names = await repo.names(session, "regions", sorted({f.code for f in found}))
    first: dict[str, int] = {}
    for f in found:
        path = (*geojson.ROOT, "features", str(f.index), "properties", "code")
        if not v.check(f.code not in first, path, f"the same division as feature {first.get(f.code)}", "duplicate"):
            continue
        first[f.code] = f.index
        if v.check(f.code in names, path, f"{f.code} is not a division code", "unknown_division"):
            v.check(within(f.code, tenant.division_code), path, f"{names[f.code]} is not within {tenant.name}",
                    "not_within_tenant")
    for f in found:
        outer = [c for c in first if c != f.code and within(f.code, c)]
        v.check(not outer, (*geojson.ROOT, "features", str(f.index), "properties", "code"),
                f"lies within feature {first[outer[0]]}" if outer else "", "nested")
    return found, names


async def set_boundaries(session: AsyncSession, acting: Acting, tenant_code: str | None, text_: str, source: str
                         ) -> tuple[Tenant, DistrictBoundaries]:
    """Replace the tenant's district boundaries with an uploaded GeoJSON file (admins)."""
    tenant = await _reader(session, acting, tenant_code, ADMINS)
    if tenant.division_code is None:
        raise DomainError.one((), "this hotline serves no division of its own", "no_division")
    v = Validator()
    note = source.strip()
    v.check(bool(note), ("source",), "where the map comes from (its approval number)", "required")
    v.check(len(note) <= MAX_SOURCE, ("source",), f"at most {MAX_SOURCE} characters", "too_long")
    found, names = await _checked_features(session, tenant, text_, v)
    v.raise_if_any()
    row = await repo.boundaries_of(session, acting.scope, tenant.tenant_id)
    before = None if row is None else _summary(row)
    if row is None:
        row = DistrictBoundaries(tenant_id=tenant.tenant_id, id=new_id())
        session.add(row)
    row.geojson = geojson.collection(found, names)
    row.divisions = [{"code": f.code, "name": names[f.code]} for f in found]
    row.size_bytes, row.source = len(text_.encode()), note
    row.set_by_label, row.set_at = acting.actor.label, utcnow()
    audit.record(session, tenant.tenant_id, acting.actor, "district_boundaries.set", ("district_boundaries", row.id),
                 before=before, after=_summary(row))
    await session.flush()
    return tenant, row


async def clear_boundaries(session: AsyncSession, acting: Acting, tenant_code: str | None
                           ) -> tuple[Tenant, DistrictBoundaries]:
    """Remove the tenant's boundaries: the dashboard goes back to its tile grid (admins)."""
    tenant = await _reader(session, acting, tenant_code, ADMINS)
    row = await repo.boundaries_of(session, acting.scope, tenant.tenant_id)
    if row is None:
        raise not_found((), "district boundaries")
    audit.record(session, tenant.tenant_id, acting.actor, "district_boundaries.cleared",
                 ("district_boundaries", row.id), before=_summary(row))
    await session.delete(row)
    await session.flush()
    return tenant, row
