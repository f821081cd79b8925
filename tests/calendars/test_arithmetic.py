"""Deadline arithmetic of the working calendar, on the statutory data of chinese-calendar (no database).

2025 春节: 1-28 … 2-04 off, Sunday 1-26 and Saturday 2-08 worked (调休).
2025 国庆/中秋: 10-01 … 10-08 off, Sunday 9-28 and Saturday 10-11 worked.
2026 春节: 2-15 … 2-23 off, Saturday 2-14 and Saturday 2-28 worked.
2026 国庆: 10-01 … 10-07 off, Sunday 9-20 and Saturday 10-10 worked.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from hotline.kernel.calendar import (
    TIMEZONE,
    CalendarError,
    DayEntry,
    DayKind,
    DaySource,
    DurationUnit,
    Schedule,
    WorkingCalendar,
)

WD, WH, NH = DurationUnit.WORKING_DAYS, DurationUnit.WORKING_HOURS, DurationUnit.NATURAL_HOURS
TENANT = uuid.UUID(int=1)
CAL = WorkingCalendar(TENANT)


def cst(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=TIMEZONE)


def due(start: dt.datetime, amount: float, unit: DurationUnit, cal: WorkingCalendar = CAL) -> dt.datetime:
    result = cal.due_at(start, amount, unit)
    assert result.at.utcoffset() == dt.timedelta(0), "deadlines come back in UTC"
    return result.at.astimezone(TIMEZONE)


@pytest.mark.parametrize(("days", "expected"), [
    (1, cst(2025, 1, 26, 17, 30)),  # the 调休 Sunday before 春节 is a working day
    (2, cst(2025, 1, 27, 17, 30)),
    (3, cst(2025, 2, 5, 17, 30)),  # 1-28 … 2-04 skipped
    (5, cst(2025, 2, 7, 17, 30)),
    (6, cst(2025, 2, 8, 17, 30)),  # the 调休 Saturday after 春节 counts
    (7, cst(2025, 2, 10, 17, 30)),
])
def test_working_days_across_spring_festival_2025_count_the_make_up_days(days: int, expected: dt.datetime) -> None:
    assert due(cst(2025, 1, 24, 10, 0), days, WD) == expected


@pytest.mark.parametrize(("days", "expected"), [
    (1, cst(2025, 9, 28, 17, 30)),  # 调休 Sunday
    (3, cst(2025, 9, 30, 17, 30)),
    (4, cst(2025, 10, 9, 17, 30)),  # 10-01 … 10-08 skipped
    (6, cst(2025, 10, 11, 17, 30)),  # 调休 Saturday
    (7, cst(2025, 10, 13, 17, 30)),
])
def test_working_days_across_national_day_2025(days: int, expected: dt.datetime) -> None:
    assert due(cst(2025, 9, 26, 15, 0), days, WD) == expected


def test_working_days_across_spring_festival_and_national_day_2026() -> None:
    start = cst(2026, 2, 13, 9, 30)
    assert due(start, 1, WD) == cst(2026, 2, 14, 17, 30)  # Saturday 2-14 is worked
    assert due(start, 2, WD) == cst(2026, 2, 24, 17, 30)  # 2-15 … 2-23 off
    assert due(start, 6, WD) == cst(2026, 2, 28, 17, 30)  # Saturday 2-28 is worked
    national = cst(2026, 9, 30, 16, 0)
    assert due(national, 1, WD) == cst(2026, 10, 8, 17, 30)
    assert due(national, 3, WD) == cst(2026, 10, 10, 17, 30)  # Saturday 10-10 is worked
    assert due(cst(2026, 9, 18, 11, 0), 1, WD) == cst(2026, 9, 20, 17, 30)  # Sunday 9-20 is worked


def test_intake_day_is_not_counted_whatever_the_clock_time() -> None:
    # 民法典 201/203: counting starts the next day and ends when business ends on the last day.
    assert due(cst(2025, 3, 3, 8, 0), 1, WD) == cst(2025, 3, 4, 17, 30)
    assert due(cst(2025, 3, 3, 23, 59), 1, WD) == cst(2025, 3, 4, 17, 30)
    assert due(cst(2025, 3, 8, 10, 0), 1, WD) == cst(2025, 3, 10, 17, 30)  # taken on a Saturday
    assert due(cst(2025, 3, 3, 10, 0), 0, WD) == cst(2025, 3, 3, 17, 30)  # zero: the same working day
    assert due(cst(2025, 3, 3, 18, 0), 0, WD) == cst(2025, 3, 4, 17, 30)  # after closing: the next one


def test_working_hours_skip_lunch_nights_weekends_and_holidays() -> None:
    assert due(cst(2025, 3, 3, 10, 0), 2, WH) == cst(2025, 3, 3, 12, 0)  # ends at the end of a period
    assert due(cst(2025, 3, 3, 11, 0), 2, WH) == cst(2025, 3, 3, 14, 30)  # 12:00–13:30 lunch
    assert due(cst(2025, 3, 3, 20, 0), 1, WH) == cst(2025, 3, 4, 10, 0)  # at night: from 09:00
    assert due(cst(2025, 3, 7, 17, 0), 1, WH) == cst(2025, 3, 10, 9, 30)  # Friday → Monday
    assert due(cst(2025, 1, 27, 16, 0), 4, WH) == cst(2025, 2, 5, 11, 30)  # across 春节
    assert due(cst(2025, 3, 3, 9, 0), 7, WH) == cst(2025, 3, 3, 17, 30)  # a whole day is 7 hours
    assert due(cst(2025, 3, 3, 9, 0), 0.5, WH) == cst(2025, 3, 3, 9, 30)


def test_natural_hours_ignore_the_calendar_and_work_in_utc() -> None:
    start = cst(2025, 1, 27, 16, 0)
    assert due(start, 24, NH) == cst(2025, 1, 28, 16, 0)  # a holiday, still counted
    result = CAL.due_at(start.astimezone(dt.UTC), 1.5, NH)
    assert result.at == dt.datetime(2025, 1, 27, 9, 30, tzinfo=dt.UTC)
    assert result.beyond_known_calendar is False


def test_a_year_nobody_published_uses_the_weekday_rule_and_is_flagged() -> None:
    inside = CAL.due_at(cst(2026, 12, 21, 10, 0), 3, WD)
    assert inside.beyond_known_calendar is False
    across = CAL.due_at(cst(2026, 12, 30, 10, 0), 3, WD)
    assert across.at.astimezone(TIMEZONE) == cst(2027, 1, 4, 17, 30)  # 1-01 counted as a Friday at work
    assert across.beyond_known_calendar is True
    hours = CAL.due_at(cst(2026, 12, 31, 17, 0), 1, WH)
    assert hours.at.astimezone(TIMEZONE) == cst(2027, 1, 1, 9, 30) and hours.beyond_known_calendar
    assert CAL.day(dt.date(2027, 1, 1)) .source == DaySource.WEEKDAY_RULE
    assert not CAL.day(dt.date(2027, 1, 1)).known


def test_an_entered_year_schedule_makes_the_year_known() -> None:
    days = {dt.date(2027, 1, 1): DayEntry(DayKind.HOLIDAY, "元旦", TENANT),
            dt.date(2027, 1, 2): DayEntry(DayKind.HOLIDAY, "元旦", TENANT),
            dt.date(2027, 1, 3): DayEntry(DayKind.HOLIDAY, "元旦", TENANT),
            dt.date(2027, 1, 9): DayEntry(DayKind.WORKDAY, "元旦", TENANT)}
    cal = WorkingCalendar(TENANT, schedules={2027: Schedule(2027, TENANT, "通知", days)})
    result = cal.due_at(cst(2026, 12, 30, 10, 0), 3, WD)
    assert result.at.astimezone(TIMEZONE) == cst(2027, 1, 5, 17, 30)
    assert result.beyond_known_calendar is False
    assert due(cst(2027, 1, 8, 10, 0), 1, WD, cal) == cst(2027, 1, 9, 17, 30)  # the entered 调休 Saturday


def test_an_override_beats_the_statutory_data() -> None:
    cal = WorkingCalendar(TENANT, overrides={
        dt.date(2025, 3, 4): DayEntry(DayKind.HOLIDAY, "local", TENANT),
        dt.date(2025, 2, 1): DayEntry(DayKind.WORKDAY, "extra", TENANT)})
    assert due(cst(2025, 3, 3, 10, 0), 1, WD, cal) == cst(2025, 3, 5, 17, 30)
    assert cal.day(dt.date(2025, 2, 1)).working  # a statutory holiday made a working day
    assert cal.day(dt.date(2025, 2, 1)).source == DaySource.OVERRIDE


def test_other_working_hours_move_the_close_of_business() -> None:
    cal = WorkingCalendar(TENANT, periods=((dt.time(8, 30), dt.time(12, 0)), (dt.time(14, 30), dt.time(18, 0))))
    assert due(cst(2025, 3, 3, 10, 0), 1, WD, cal) == cst(2025, 3, 4, 18, 0)
    assert due(cst(2025, 3, 3, 11, 0), 2, WH, cal) == cst(2025, 3, 3, 15, 30)


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone"):
        CAL.due_at(dt.datetime(2025, 3, 3, 10, 0), 1, WD)
    with pytest.raises(ValueError, match="whole"):
        CAL.due_at(cst(2025, 3, 3), 1.5, WD)
    with pytest.raises(ValueError):
        CAL.due_at(cst(2025, 3, 3), -1, WH)
    never = WorkingCalendar(TENANT, overrides={
        dt.date(2030, 1, 1) + dt.timedelta(days=i): DayEntry(DayKind.HOLIDAY, "x", TENANT) for i in range(1200)})
    with pytest.raises(CalendarError):
        never.due_at(cst(2029, 12, 31, 10), 1, WD)
