"""Working time: the one calendar service every deadline goes through.

Which days are working days, for a tenant, decided per date in this order (first answer wins):

1. a single-day override (`calendar_overrides`) of the tenant or, failing that, of its nearest
   ancestor that has one for that date (a county's entry beats its city's, the city's its province's);
2. a whole year's schedule (`calendar_years`) entered by the tenant or its nearest ancestor for that
   year (the State Council publishes next year's 放假安排 late in the year; until `chinese-calendar`
   ships it, an admin enters it through GraphQL). It lists holidays and 调休 make-up working days;
   other dates of that year follow the weekday rule;
3. the statutory data of the `chinese-calendar` package (2004–2026), holidays and 调休 included;
4. the weekday rule (Monday–Friday), and the year is *unknown*: a deadline whose arithmetic looked at
   such a day is flagged `beyond_known_calendar`, and `calendarWarnings` tells admins to publish it.

Working hours are per tenant too (inherited the same way, nearest tenant wins), default 09:00–12:00
and 13:30–17:30, Asia/Shanghai (all of China keeps Beijing time; there is no daylight saving time).

Durations (`DurationUnit`):

- `natural_hours`: plain elapsed time, e.g. 24 hours for an urgent order; no calendar involved.
- `working_hours`: only time inside the working periods of working days counts. A deadline that
  lands exactly on the end of a period ends there (12:00, not 13:30).
- `working_days`: counted like a legal period (民法典 第二百零一条、第二百零三条): the day of
  intake is not counted, counting starts with the next working day, and the period ends when the
  business day ends — the close of the last working period (17:30 by default) of the N-th working
  day after the intake date, whatever the clock time of intake. So an order taken on Friday
  2025-01-24 at 10:00 with 1 working day is due Sunday 2025-01-26 17:30 (a 调休 working day before
  春节). Zero working days means "the same working day": the close of the intake day when it is a
  working day, otherwise of the next working day. Working days must be whole numbers.

`due_at()` loads the tenant's effective calendar once per session (cached in `session.info`; the
calendar service clears the cache when it writes) and then computes in memory. Reading overrides of
ancestors outside the caller's scope goes through `hotline.calendars.inheritance` (a read-only,
named cross-tenant path; see there).
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from chinese_calendar.constants import holidays as _statutory_holidays
from chinese_calendar.constants import workdays as _statutory_workdays

from hotline.kernel import config_cache

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from hotline.kernel.scope import TenantScope

TIMEZONE = ZoneInfo("Asia/Shanghai")
Period = tuple[dt.time, dt.time]
DEFAULT_PERIODS: tuple[Period, ...] = ((dt.time(9, 0), dt.time(12, 0)), (dt.time(13, 30), dt.time(17, 30)))
STATUTORY_YEARS = range(min(_statutory_holidays).year, max(_statutory_holidays).year + 1)
# A calendar with no working day for this long is a configuration mistake, not a deadline.
MAX_SCAN_DAYS = 3 * 366
HOLIDAY_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "National Day": "国庆节", "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


class DurationUnit(StrEnum):
    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    NATURAL_HOURS = "natural_hours"


Duration = tuple[float, DurationUnit]


class DayKind(StrEnum):
    """What an entered date says: a day off, or a working day (调休 make-up day or extra working day)."""

    HOLIDAY = "holiday"
    WORKDAY = "workday"


class DaySource(StrEnum):
    OVERRIDE = "override"  # a tenant's single-day override
    SCHEDULE = "schedule"  # a year's schedule entered by a tenant
    STATUTORY = "statutory"  # the chinese-calendar package
    WEEKDAY_RULE = "weekday_rule"  # nothing lists the date: Monday–Friday work


class CalendarError(Exception):
    """The calendar cannot produce a deadline (e.g. no working day within years)."""


@dataclass(frozen=True)
class Due:
    at: dt.datetime  # timezone-aware, in UTC
    beyond_known_calendar: bool  # True when any day consulted lies in a year nobody published


@dataclass(frozen=True)
class DayEntry:
    kind: DayKind
    name: str
    tenant_id: uuid.UUID | None  # who entered it; None for the statutory data


@dataclass(frozen=True)
class Schedule:
    """A year's holiday schedule entered by a tenant: listed dates; the others follow the weekday rule."""

    year: int
    tenant_id: uuid.UUID
    source: str
    days: Mapping[dt.date, DayEntry] = field(default_factory=dict)


@dataclass(frozen=True)
class Day:
    date: dt.date
    working: bool
    source: DaySource
    known: bool  # the year's schedule is known (statutory data or a tenant-entered schedule)
    name: str | None = None
    tenant_id: uuid.UUID | None = None  # the tenant whose entry decided it


@dataclass(frozen=True)
class WorkingCalendar:
    """A tenant's effective calendar, already merged down the tree; pure, no database."""

    tenant_id: uuid.UUID
    periods: tuple[Period, ...] = DEFAULT_PERIODS
    periods_tenant_id: uuid.UUID | None = None  # who set the working hours (None: the default)
    overrides: Mapping[dt.date, DayEntry] = field(default_factory=dict)
    schedules: Mapping[int, Schedule] = field(default_factory=dict)

    def year_known(self, year: int) -> bool:
        return year in self.schedules or year in STATUTORY_YEARS

    def day(self, date: dt.date) -> Day:
        known = self.year_known(date.year)
        entry = self.overrides.get(date)
        if entry is not None:
            return Day(date, entry.kind == DayKind.WORKDAY, DaySource.OVERRIDE, known, entry.name, entry.tenant_id)
        schedule = self.schedules.get(date.year)
        if schedule is not None:
            entry = schedule.days.get(date)
            if entry is not None:
                return Day(date, entry.kind == DayKind.WORKDAY, DaySource.SCHEDULE, True, entry.name,
                           entry.tenant_id)
            return Day(date, date.weekday() < 5, DaySource.WEEKDAY_RULE, True, None, schedule.tenant_id)
        if date.year in STATUTORY_YEARS:
            if date in _statutory_workdays:
                return Day(date, True, DaySource.STATUTORY, True, _chinese(_statutory_workdays[date]))
            if date in _statutory_holidays:
                return Day(date, False, DaySource.STATUTORY, True, _chinese(_statutory_holidays[date]))
        return Day(date, date.weekday() < 5, DaySource.WEEKDAY_RULE, known)

    def days(self, first: dt.date, last: dt.date) -> Iterator[Day]:
        date = first
        while date <= last:
            yield self.day(date)
            date += dt.timedelta(days=1)

    def is_working_day(self, date: dt.date) -> bool:
        return self.day(date).working

    # --- arithmetic ------------------------------------------------------------------------------

    def due_at(self, start: dt.datetime, amount: float, unit: DurationUnit) -> Due:
        if start.tzinfo is None or start.utcoffset() is None:
            raise ValueError("start must be timezone-aware")
        if not math.isfinite(amount) or amount < 0:
            raise ValueError("amount must be a finite number ≥ 0")
        if unit == DurationUnit.NATURAL_HOURS:
            return Due((start + _hours(amount)).astimezone(dt.UTC), False)
        local = start.astimezone(TIMEZONE)
        if unit == DurationUnit.WORKING_HOURS:
            return self._add_working_hours(local, _hours(amount))
        if unit == DurationUnit.WORKING_DAYS:
            if amount != int(amount):
                raise ValueError("working days must be a whole number")
            return self._add_working_days(local, int(amount))
        raise ValueError(f"unknown unit {unit!r}")

    def _close(self, date: dt.date) -> dt.datetime:
        return dt.datetime.combine(date, self.periods[-1][1], TIMEZONE)

    def _add_working_days(self, local: dt.datetime, n: int) -> Due:
        date, beyond = local.date(), False
        if n == 0:
            today = self.day(date)
            if today.working and local < self._close(date):
                return Due(self._close(date).astimezone(dt.UTC), not today.known)
            n, beyond = 1, not today.known
        counted, idle = 0, 0
        while idle < MAX_SCAN_DAYS:
            date += dt.timedelta(days=1)
            day = self.day(date)
            beyond = beyond or not day.known
            idle = 0 if day.working else idle + 1
            if day.working:
                counted += 1
                if counted == n:
                    return Due(self._close(date).astimezone(dt.UTC), beyond)
        raise CalendarError(f"no working day found after {local.date()} (tenant {self.tenant_id})")

    def _add_working_hours(self, local: dt.datetime, remaining: dt.timedelta) -> Due:
        cursor, beyond, idle = local, False, 0
        date = local.date()
        while idle < MAX_SCAN_DAYS:
            day = self.day(date)
            beyond = beyond or not day.known
            idle = 0 if day.working else idle + 1
            if day.working:
                for start, end in self.periods:
                    period_end = dt.datetime.combine(date, end, TIMEZONE)
                    if period_end <= cursor:
                        continue
                    begin = max(dt.datetime.combine(date, start, TIMEZONE), cursor)
                    available = period_end - begin
                    if remaining <= available:
                        return Due((begin + remaining).astimezone(dt.UTC), beyond)
                    remaining -= available
            date += dt.timedelta(days=1)
            cursor = dt.datetime.combine(date, dt.time(0), TIMEZONE)
        raise CalendarError(f"no working day found after {local.date()} (tenant {self.tenant_id})")

    def working_time_between(self, start: dt.datetime, end: dt.datetime) -> tuple[dt.timedelta, bool]:
        """The working time inside [start, end) (e.g. a suspension), and whether an unknown year was
        consulted. Adding it back with `working_hours` moves a deadline by exactly that working time."""
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("start and end must be timezone-aware")
        first, last = start.astimezone(TIMEZONE), end.astimezone(TIMEZONE)
        total, beyond = dt.timedelta(0), False
        for day in self.days(first.date(), last.date()) if first < last else ():
            beyond = beyond or not day.known
            if not day.working:
                continue
            for period_start, period_end in self.periods:
                begin = max(dt.datetime.combine(day.date, period_start, TIMEZONE), first)
                finish = min(dt.datetime.combine(day.date, period_end, TIMEZONE), last)
                if finish > begin:
                    total += finish - begin
        return total, beyond

    def working_seconds_per_day(self) -> float:
        return sum((_seconds(end) - _seconds(start)) for start, end in self.periods)


def _hours(amount: float) -> dt.timedelta:
    # Whole seconds: deadlines are shown to the minute, and float noise must not move them.
    return dt.timedelta(seconds=round(amount * 3600))


def _seconds(t: dt.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _chinese(name: str) -> str:
    return HOLIDAY_NAMES.get(name, name)


def statutory_years() -> range:
    """The years the installed chinese-calendar package knows."""
    return STATUTORY_YEARS


# --- the service entry points --------------------------------------------------------------------

_CACHE_KEY = "hotline.calendar.effective"


async def calendar_for(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID) -> WorkingCalendar:
    """The tenant's effective calendar (its own entries merged with its ancestors'), cached per session.

    Raises `DomainError` (not_found) when the tenant is outside the scope.
    """
    cache: dict[uuid.UUID, WorkingCalendar] = session.info.setdefault(_CACHE_KEY, {})
    found = cache.get(tenant_id)
    if found is None and scope.contains(tenant_id):
        found = config_cache.get(session, "calendar", tenant_id)
    if found is None:
        from hotline.calendars.service import load_calendar

        found = cache[tenant_id] = await load_calendar(session, scope, tenant_id)
        config_cache.put(session, "calendar", tenant_id, found)
    return found


def forget_calendars(session: AsyncSession) -> None:
    """Drop the session's cached calendars (called by every write to calendar configuration)."""
    session.info.pop(_CACHE_KEY, None)


async def due_at(
    session: AsyncSession,
    scope: TenantScope,
    tenant_id: uuid.UUID,
    start: dt.datetime,
    amount: float,
    unit: DurationUnit,
) -> Due:
    """When a duration that starts at `start` ends in the tenant's calendar (see module docstring)."""
    if unit == DurationUnit.NATURAL_HOURS:
        return WorkingCalendar(tenant_id).due_at(start, amount, unit)
    calendar = await calendar_for(session, scope, tenant_id)
    return calendar.due_at(start, amount, unit)


async def working_time_between(
    session: AsyncSession,
    scope: TenantScope,
    tenant_id: uuid.UUID,
    start: dt.datetime,
    end: dt.datetime,
) -> tuple[dt.timedelta, bool]:
    """The tenant's working time inside [start, end), and whether it looked past the known calendar."""
    calendar = await calendar_for(session, scope, tenant_id)
    return calendar.working_time_between(start, end)
