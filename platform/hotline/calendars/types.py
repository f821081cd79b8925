"""GraphQL types of the working calendar."""

from __future__ import annotations

import datetime as dt

import strawberry

from hotline.calendars import models
from hotline.calendars.inheritance import Chain, TenantLabel
from hotline.calendars.service import CalendarWarning as WarningValue
from hotline.kernel import calendar as kc

DurationUnit = strawberry.enum(kc.DurationUnit, name="DurationUnit",
                               description="working_days end at the close of business; see the calendar docs.")
DayKind = strawberry.enum(kc.DayKind, name="DayKind")
DaySource = strawberry.enum(kc.DaySource, name="DaySource")


@strawberry.type(description="The tenant a configuration item comes from (the tenant itself or an ancestor).")
class SourceTenant:
    code: str
    name: str
    inherited: bool = strawberry.field(description="True when the item comes from an ancestor.")

    @classmethod
    def of(cls, label: TenantLabel | None, chain: Chain) -> SourceTenant | None:
        if label is None:
            return None
        return cls(code=label.code, name=label.name, inherited=label.tenant_id != chain.tenant.tenant_id)


@strawberry.type(description="A single date made a holiday or a working day by a tenant, for its subtree.")
class CalendarOverride:
    date: dt.date
    kind: DayKind  # type: ignore[valid-type]
    name: str
    from_tenant: SourceTenant | None

    @classmethod
    def of(cls, row: models.CalendarOverride, source: SourceTenant | None) -> CalendarOverride:
        return cls(date=row.day, kind=kc.DayKind(row.kind), name=row.name, from_tenant=source)


@strawberry.type
class ListedDay:
    date: dt.date
    name: str


@strawberry.type(description="A year's holiday schedule entered by a tenant (放假安排), for its subtree.")
class CalendarYear:
    year: int
    source: str
    holidays: list[ListedDay]
    workdays: list[ListedDay] = strawberry.field(description="调休: weekend days that are working days.")
    from_tenant: SourceTenant | None

    @classmethod
    def of(cls, row: models.CalendarYear, days: list[models.CalendarYearDay],
           source: SourceTenant | None) -> CalendarYear:
        def listed(kind: kc.DayKind) -> list[ListedDay]:
            return [ListedDay(date=d.day, name=d.name) for d in sorted(days, key=lambda d: d.day) if d.kind == kind]

        return cls(year=row.year, source=row.source, holidays=listed(kc.DayKind.HOLIDAY),
                   workdays=listed(kc.DayKind.WORKDAY), from_tenant=source)


@strawberry.type
class WorkingPeriod:
    start: str = strawberry.field(description="HH:MM, Asia/Shanghai")
    end: str


@strawberry.type(description="The working periods of a working day; fromTenant is null for the built-in default.")
class WorkingHours:
    periods: list[WorkingPeriod]
    from_tenant: SourceTenant | None

    @classmethod
    def of(cls, calendar: kc.WorkingCalendar, chain: Chain) -> WorkingHours:
        return cls(periods=[WorkingPeriod(start=a.strftime("%H:%M"), end=b.strftime("%H:%M"))
                            for a, b in calendar.periods],
                   from_tenant=SourceTenant.of(chain.label(calendar.periods_tenant_id), chain))


@strawberry.type(description="One date as the tenant's calendar sees it, and what decided it.")
class CalendarDay:
    date: dt.date
    working: bool
    source: DaySource  # type: ignore[valid-type]
    known: bool = strawberry.field(description="False: nobody published this year; the weekday rule applies.")
    name: str | None
    from_tenant: SourceTenant | None

    @classmethod
    def of(cls, day: kc.Day, chain: Chain) -> CalendarDay:
        return cls(date=day.date, working=day.working, source=kc.DaySource(day.source), known=day.known,
                   name=day.name, from_tenant=SourceTenant.of(chain.label(day.tenant_id), chain))


@strawberry.type
class CalendarDays:
    days: list[CalendarDay]


@strawberry.type(description="When a duration ends in this tenant's calendar.")
class DueAt:
    at: dt.datetime
    beyond_known_calendar: bool


@strawberry.type(description="A year that deadlines may reach whose holiday schedule nobody has entered yet.")
class CalendarWarning:
    year: int
    severity: str = strawberry.field(description="critical (the current year) or warning (the next year)")
    message: str
    tenant_code: str

    @classmethod
    def of(cls, w: WarningValue, tenant_code: str) -> CalendarWarning:
        return cls(year=w.year, severity=w.severity, message=w.message, tenant_code=tenant_code)


@strawberry.type
class WorkingHoursChanged:
    tenant_code: str
    working_hours: WorkingHours
