"""Calendar configuration: overrides, year schedules, working hours, warnings. Never commits.

Reading is open to anyone acting in a tenant of the scope (agents see deadlines too); changing is for
the tenant's admins (`tenant_admin`, or `province_admin` / `tenant_admin` granted on an ancestor).
Every change is audited in the tenant it changes and clears the session's cached calendars.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hotline.calendars import inheritance
from hotline.calendars import repository as repo
from hotline.calendars.inheritance import Chain
from hotline.calendars.models import CalendarOverride, CalendarYear, CalendarYearDay, WorkingHours
from hotline.calendars.repository import CalendarRows
from hotline.kernel import audit
from hotline.kernel.acting import Acting
from hotline.kernel.calendar import (
    DEFAULT_PERIODS,
    TIMEZONE,
    DayEntry,
    DayKind,
    Period,
    Schedule,
    WorkingCalendar,
    forget_calendars,
)
from hotline.kernel.context import Role
from hotline.kernel.errors import Validator, not_found
from hotline.kernel.ids import new_id
from hotline.kernel.models import utcnow
from hotline.kernel.scope import TenantScope
from hotline.tenancy.models import Tenant
from hotline.tenancy.service import tenant_in_scope

ADMINS = (Role.TENANT_ADMIN, Role.PROVINCE_ADMIN)
YEARS = range(2000, 2101)
MAX_NAME = 100
MAX_SOURCE = 300
MAX_LISTED = 120
MAX_PERIODS = 4
HHMM = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")
# How far ahead the next year's missing schedule starts to matter (deadlines reach into it).
WARNING_HORIZON = dt.timedelta(days=92)


# --- reading -------------------------------------------------------------------------------------


async def load_calendar(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID) -> WorkingCalendar:
    """The tenant's effective calendar; use `kernel.calendar.calendar_for`, which caches it."""
    chain = await inheritance.chain_of(session, scope, tenant_id)
    return build(chain, await _rows(session, scope, chain))


async def _rows(session: AsyncSession, scope: TenantScope, chain: Chain) -> CalendarRows:
    rows = CalendarRows()
    for part in await inheritance.load(session, scope, chain, repo.calendar_rows, repo.system_calendar_rows):
        rows.extend(part)
    return rows


def build(chain: Chain, rows: CalendarRows) -> WorkingCalendar:
    """Merge the chain's rows: for each date, year and setting the nearest tenant wins."""
    farthest_first = lambda row: -chain.depth(row.tenant_id)  # noqa: E731
    overrides = {o.day: DayEntry(DayKind(o.kind), o.name, o.tenant_id)
                 for o in sorted(rows.overrides, key=farthest_first)}
    schedules: dict[int, Schedule] = {}
    for y in sorted(rows.years, key=farthest_first):
        days = {d.day: DayEntry(DayKind(d.kind), d.name, d.tenant_id)
                for d in rows.year_days if d.tenant_id == y.tenant_id and d.year_id == y.id}
        schedules[y.year] = Schedule(y.year, y.tenant_id, y.source, days)
    periods, periods_tenant = DEFAULT_PERIODS, None
    for h in sorted(rows.hours, key=farthest_first):
        periods, periods_tenant = tuple(_period(p) for p in h.periods), h.tenant_id
    return WorkingCalendar(chain.tenant.tenant_id, periods, periods_tenant, overrides, schedules)


def _period(pair: Sequence[str]) -> Period:
    return dt.time.fromisoformat(pair[0]), dt.time.fromisoformat(pair[1])


@dataclass(frozen=True)
class EffectiveCalendar:
    """A tenant's calendar with the tenant each entry comes from, for admins."""

    chain: Chain
    calendar: WorkingCalendar
    overrides: list[CalendarOverride]  # the effective ones (nearest tenant per date), by date
    years: list[CalendarYear]  # the effective schedule per year, by year


async def effective(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID) -> EffectiveCalendar:
    chain = await inheritance.chain_of(session, scope, tenant_id, with_labels=True)
    rows = await _rows(session, scope, chain)
    calendar = build(chain, rows)
    overrides = sorted((o for o in rows.overrides if calendar.overrides[o.day].tenant_id == o.tenant_id),
                       key=lambda o: o.day)
    years = sorted((y for y in rows.years if calendar.schedules[y.year].tenant_id == y.tenant_id),
                   key=lambda y: y.year)
    return EffectiveCalendar(chain, calendar, overrides, years)


@dataclass(frozen=True)
class CalendarWarning:
    year: int
    severity: str  # "critical": the current year is unknown; "warning": the next year soon matters
    message: str


def warnings(calendar: WorkingCalendar, today: dt.date) -> list[CalendarWarning]:
    """Years deadlines may reach whose holiday schedule nobody has entered (the weekday rule applies)."""
    out = []
    if not calendar.year_known(today.year):
        out.append(CalendarWarning(today.year, "critical", (
            f"{today.year}年的节假日安排尚未录入，截止时间正按周一至周五推算，请立即录入国务院办公厅公布的放假安排。"
            f" The {today.year} holiday schedule is missing: deadlines use the Monday–Friday rule.")))
    upcoming = today.year + 1
    if today + WARNING_HORIZON >= dt.date(upcoming, 1, 1) and not calendar.year_known(upcoming):
        out.append(CalendarWarning(upcoming, "warning", (
            f"{upcoming}年的节假日安排尚未录入：跨入{upcoming}年的截止时间将按周一至周五推算并标注。"
            f"国务院办公厅公布后请录入。 Publish the {upcoming} holiday schedule when the State Council "
            f"announces it; until then deadlines reaching {upcoming} are computed by the weekday rule and flagged.")))
    return out


def today_in_china() -> dt.date:
    return dt.datetime.now(TIMEZONE).date()


# --- changing ------------------------------------------------------------------------------------


async def _admin_tenant(session: AsyncSession, acting: Acting, code: str | None) -> Tenant:
    tenant = await tenant_in_scope(session, acting.scope, code)
    acting.require(tenant.tenant_id, tenant.ancestors, ADMINS)
    return tenant


def _check_name(v: Validator, name: str, path: tuple[str, ...]) -> None:
    if v.check(bool(name.strip()), path, "name is required", "required"):
        v.check(len(name.strip()) <= MAX_NAME, path, f"at most {MAX_NAME} characters", "too_long")


def override_snapshot(o: CalendarOverride) -> dict[str, object]:
    return {"day": o.day.isoformat(), "kind": o.kind, "name": o.name}


async def set_override(session: AsyncSession, acting: Acting, tenant_code: str | None, day: dt.date,
                       kind: DayKind, name: str) -> CalendarOverride:
    """Make one date a holiday or a working day for the tenant and its subtree (replaces its own entry)."""
    tenant = await _admin_tenant(session, acting, tenant_code)
    v = Validator()
    v.check(day.year in YEARS, ("date",), f"the year must lie within {YEARS.start}–{YEARS.stop - 1}", "out_of_range")
    _check_name(v, name, ("name",))
    v.raise_if_any()
    row = await repo.override_on(session, acting.scope, tenant.tenant_id, day)
    before = override_snapshot(row) if row else None
    if row is None:
        row = CalendarOverride(tenant_id=tenant.tenant_id, id=new_id(), day=day, kind=kind, name=name.strip())
        session.add(row)
    else:
        row.kind, row.name, row.updated_at = kind, name.strip(), utcnow()
    audit.record(session, tenant.tenant_id, acting.actor, "calendar.override_set", ("calendar_override", row.id),
                 before=before, after=override_snapshot(row))
    forget_calendars(session)
    return row


async def remove_override(session: AsyncSession, acting: Acting, tenant_code: str | None,
                          day: dt.date) -> CalendarOverride:
    """Remove the tenant's own entry for a date (an ancestor's entry, if any, applies again)."""
    tenant = await _admin_tenant(session, acting, tenant_code)
    row = await repo.override_on(session, acting.scope, tenant.tenant_id, day)
    if row is None:
        raise not_found(("date",), "calendar override")
    await session.delete(row)
    audit.record(session, tenant.tenant_id, acting.actor, "calendar.override_removed",
                 ("calendar_override", row.id), before=override_snapshot(row))
    forget_calendars(session)
    return row


@dataclass(frozen=True)
class ListedDay:
    date: dt.date
    name: str


@dataclass(frozen=True)
class YearSchedule:
    year: int
    source: str
    holidays: Sequence[ListedDay]
    workdays: Sequence[ListedDay]  # 调休 make-up working days (weekend days worked)


def year_snapshot(y: CalendarYear, days: Sequence[CalendarYearDay]) -> dict[str, object]:
    return {"year": y.year, "source": y.source,
            "holidays": [[d.day.isoformat(), d.name] for d in days if d.kind == DayKind.HOLIDAY],
            "workdays": [[d.day.isoformat(), d.name] for d in days if d.kind == DayKind.WORKDAY]}


def _check_schedule(data: YearSchedule) -> None:
    v = Validator()
    year_ok = v.check(data.year in YEARS, ("year",), f"a year within {YEARS.start}–{YEARS.stop - 1}", "out_of_range")
    if v.check(bool(data.source.strip()), ("source",), "name the notice this schedule comes from", "required"):
        v.check(len(data.source.strip()) <= MAX_SOURCE, ("source",), f"at most {MAX_SOURCE} characters", "too_long")
    v.check(bool(data.holidays), ("holidays",), "list the year's holidays", "required")
    seen: dict[dt.date, str] = {}
    for field_name, listed in (("holidays", data.holidays), ("workdays", data.workdays)):
        v.check(len(listed) <= MAX_LISTED, (field_name,), f"at most {MAX_LISTED} dates", "too_many")
        for i, entry in enumerate(listed):
            path = (field_name, str(i))
            if year_ok:
                v.check(entry.date.year == data.year, (*path, "date"), f"not a date of {data.year}", "wrong_year")
            if entry.date in seen:
                v.check(False, (*path, "date"), f"already listed in {seen[entry.date]}", "duplicate")
            elif field_name == "workdays":
                v.check(entry.date.weekday() >= 5, (*path, "date"),
                        "a make-up working day (调休) is a Saturday or Sunday; weekdays already work", "not_a_weekend")
            seen.setdefault(entry.date, field_name)
            _check_name(v, entry.name, (*path, "name"))
    v.raise_if_any()


async def publish_year(session: AsyncSession, acting: Acting, tenant_code: str | None,
                       data: YearSchedule) -> tuple[CalendarYear, list[CalendarYearDay]]:
    """Enter (or replace) a whole year's holiday schedule for the tenant and its subtree."""
    tenant = await _admin_tenant(session, acting, tenant_code)
    _check_schedule(data)
    row = await repo.year_of(session, acting.scope, tenant.tenant_id, data.year)
    before = None
    if row is None:
        row = CalendarYear(tenant_id=tenant.tenant_id, id=new_id(), year=data.year, source=data.source.strip())
        session.add(row)
        await session.flush()
    else:
        before = year_snapshot(row, await repo.year_days(session, acting.scope, tenant.tenant_id, row.id))
        await repo.delete_year_days(session, acting.scope, tenant.tenant_id, row.id)
        row.source, row.updated_at = data.source.strip(), utcnow()
    days = [CalendarYearDay(tenant_id=tenant.tenant_id, id=new_id(), year_id=row.id, day=d.date, kind=kind,
                            name=d.name.strip())
            for kind, listed in ((DayKind.HOLIDAY, data.holidays), (DayKind.WORKDAY, data.workdays))
            for d in listed]
    session.add_all(days)
    await session.flush()
    days.sort(key=lambda d: d.day)
    audit.record(session, tenant.tenant_id, acting.actor, "calendar.year_published", ("calendar_year", row.id),
                 before=before, after=year_snapshot(row, days))
    forget_calendars(session)
    return row, days


async def withdraw_year(session: AsyncSession, acting: Acting, tenant_code: str | None, year: int) -> CalendarYear:
    """Remove the tenant's own schedule of a year (an ancestor's or the statutory one applies again)."""
    tenant = await _admin_tenant(session, acting, tenant_code)
    row = await repo.year_of(session, acting.scope, tenant.tenant_id, year)
    if row is None:
        raise not_found(("year",), "calendar year")
    before = year_snapshot(row, await repo.year_days(session, acting.scope, tenant.tenant_id, row.id))
    await repo.delete_year_days(session, acting.scope, tenant.tenant_id, row.id)
    await session.delete(row)
    audit.record(session, tenant.tenant_id, acting.actor, "calendar.year_withdrawn", ("calendar_year", row.id),
                 before=before)
    forget_calendars(session)
    return row


def _check_periods(periods: Sequence[tuple[str, str]]) -> list[Period]:
    v = Validator()
    v.check(len(periods) <= MAX_PERIODS, ("periods",), f"at most {MAX_PERIODS} periods a day", "too_many")
    parsed: list[Period] = []
    for i, (start, end) in enumerate(periods):
        ok = v.check(bool(HHMM.match(start)), ("periods", str(i), "start"), "a time as HH:MM", "invalid_format")
        ok = v.check(bool(HHMM.match(end)), ("periods", str(i), "end"), "a time as HH:MM", "invalid_format") and ok
        if not ok:
            continue
        period = (dt.time.fromisoformat(start), dt.time.fromisoformat(end))
        if not v.check(period[0] < period[1], ("periods", str(i), "end"), "must be after the start", "invalid_range"):
            continue
        if parsed:
            v.check(period[0] >= parsed[-1][1], ("periods", str(i), "start"),
                    "periods must be in order and must not overlap", "overlap")
        parsed.append(period)
    v.raise_if_any()
    return parsed


async def set_working_hours(session: AsyncSession, acting: Acting, tenant_code: str | None,
                            periods: Sequence[tuple[str, str]]) -> WorkingHours | None:
    """Set the tenant's working periods; an empty list removes its own setting (it inherits again)."""
    tenant = await _admin_tenant(session, acting, tenant_code)
    parsed = _check_periods(periods)
    stored = [[a.strftime("%H:%M"), b.strftime("%H:%M")] for a, b in parsed]
    row = await repo.hours_of(session, acting.scope, tenant.tenant_id)
    before = {"periods": row.periods} if row else None
    if not stored:
        if row is None:
            return None
        await session.delete(row)
        audit.record(session, tenant.tenant_id, acting.actor, "calendar.working_hours_removed",
                     ("working_hours", row.id), before=before)
        forget_calendars(session)
        return None
    if row is None:
        row = WorkingHours(tenant_id=tenant.tenant_id, id=new_id(), periods=stored)
        session.add(row)
    else:
        row.periods, row.updated_at = stored, utcnow()
    audit.record(session, tenant.tenant_id, acting.actor, "calendar.working_hours_set", ("working_hours", row.id),
                 before=before, after={"periods": stored})
    forget_calendars(session)
    return row


def require_range(first: dt.date, last: dt.date, limit: int = 366) -> None:
    v = Validator()
    if v.check(first <= last, ("to",), "must not be before from", "invalid_range"):
        v.check((last - first).days < limit, ("to",), f"at most {limit} days at once", "too_long")
    v.raise_if_any()

