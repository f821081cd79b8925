"""Queries and mutations of the working calendar: overrides, year schedules, working hours, warnings."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import strawberry

from hotline.api.context import Info
from hotline.api.errors import ValidationErrors, attempt
from hotline.api.permissions import SignedIn
from hotline.calendars import service
from hotline.calendars.service import EffectiveCalendar
from hotline.calendars.types import (
    CalendarDay,
    CalendarDays,
    CalendarOverride,
    CalendarWarning,
    CalendarYear,
    DayKind,
    DueAt,
    DurationUnit,
    ListedDay,
    SourceTenant,
    WorkingHours,
    WorkingHoursChanged,
)
from hotline.kernel import calendar as kc
from hotline.kernel.acting import Acting
from hotline.kernel.errors import DomainError
from hotline.tenancy.service import tenant_in_scope

CalendarDaysResult = Annotated[CalendarDays | ValidationErrors, strawberry.union("CalendarDaysResult")]
DueAtResult = Annotated[DueAt | ValidationErrors, strawberry.union("DueAtResult")]
CalendarOverrideResult = Annotated[CalendarOverride | ValidationErrors, strawberry.union("CalendarOverrideResult")]
CalendarYearResult = Annotated[CalendarYear | ValidationErrors, strawberry.union("CalendarYearResult")]
WorkingHoursResult = Annotated[WorkingHoursChanged | ValidationErrors, strawberry.union("WorkingHoursResult")]


@strawberry.type(description="A tenant's effective working calendar: its own entries merged with its ancestors'.")
class TenantCalendar:
    effective: strawberry.Private[EffectiveCalendar]
    tenant_code: str

    @strawberry.field
    def working_hours(self) -> WorkingHours:
        return WorkingHours.of(self.effective.calendar, self.effective.chain)

    @strawberry.field(description="Single-date overrides in effect, nearest tenant first per date, by date.")
    def overrides(self) -> list[CalendarOverride]:
        chain = self.effective.chain
        return [CalendarOverride.of(o, SourceTenant.of(chain.label(o.tenant_id), chain))
                for o in self.effective.overrides]

    @strawberry.field(description="Year schedules entered by this tenant or its ancestors (nearest wins).")
    def years(self) -> list[CalendarYear]:
        chain, calendar = self.effective.chain, self.effective.calendar
        out = []
        for row in self.effective.years:
            schedule = calendar.schedules[row.year]
            days = [_day_row(d, entry) for d, entry in sorted(schedule.days.items())]
            out.append(CalendarYear(year=row.year, source=row.source,
                                    holidays=[x for k, x in days if k == kc.DayKind.HOLIDAY],
                                    workdays=[x for k, x in days if k == kc.DayKind.WORKDAY],
                                    from_tenant=SourceTenant.of(chain.label(row.tenant_id), chain)))
        return out

    @strawberry.field(description="The years the calendar knows: statutory data and entered schedules.")
    def known_years(self) -> list[int]:
        return sorted(set(kc.statutory_years()) | set(self.effective.calendar.schedules))

    @strawberry.field(description="Every date from..to (at most 366) as this tenant's calendar sees it.")
    def days(self, from_: Annotated[dt.date, strawberry.argument(name="from")], to: dt.date) -> CalendarDaysResult:
        try:
            service.require_range(from_, to)
        except DomainError as error:
            return ValidationErrors.of(error)
        chain = self.effective.chain
        return CalendarDays(days=[CalendarDay.of(d, chain) for d in self.effective.calendar.days(from_, to)])

    @strawberry.field(description="When a duration starting at `start` ends here (a preview of a deadline).")
    def due_at(self, start: dt.datetime, amount: float, unit: DurationUnit) -> DueAtResult:  # type: ignore[valid-type]
        try:
            due = self.effective.calendar.due_at(start, amount, kc.DurationUnit(unit))
        except ValueError as error:
            path = "start" if "start" in str(error) else "amount"
            return ValidationErrors.of(DomainError.one((path,), str(error), "invalid"))
        except kc.CalendarError as error:
            return ValidationErrors.of(DomainError.one(("amount",), str(error), "no_working_day"))
        return DueAt(at=due.at, beyond_known_calendar=due.beyond_known_calendar)

    @strawberry.field
    def warnings(self, as_of: dt.date | None = None) -> list[CalendarWarning]:
        today = as_of or service.today_in_china()
        return [CalendarWarning.of(w, self.tenant_code) for w in service.warnings(self.effective.calendar, today)]


def _day_row(date: dt.date, entry: kc.DayEntry) -> tuple[kc.DayKind, ListedDay]:
    return entry.kind, ListedDay(date=date, name=entry.name)


async def _effective(info: Info, tenant_code: str | None) -> EffectiveCalendar | None:
    ctx = info.context
    if ctx.acting is None:
        return None
    try:
        tenant = await tenant_in_scope(ctx.session, ctx.acting.scope, tenant_code)
        return await service.effective(ctx.session, ctx.acting.scope, tenant.tenant_id)
    except DomainError:
        return None


@strawberry.type
class CalendarQuery:
    @strawberry.field(description="A tenant's working calendar (default: the acting tenant); null when not found.",
                      permission_classes=[SignedIn])
    async def calendar(self, info: Info, tenant_code: str | None = None) -> TenantCalendar | None:
        found = await _effective(info, tenant_code)
        return TenantCalendar(effective=found, tenant_code=found.chain.tenant.code) if found else None

    @strawberry.field(description="Years deadlines may reach whose holiday schedule must still be entered.",
                      permission_classes=[SignedIn])
    async def calendar_warnings(self, info: Info, tenant_code: str | None = None,
                                as_of: dt.date | None = None) -> list[CalendarWarning]:
        found = await _effective(info, tenant_code)
        if found is None:
            return []
        today = as_of or service.today_in_china()
        return [CalendarWarning.of(w, found.chain.tenant.code) for w in service.warnings(found.calendar, today)]


@strawberry.input
class SetCalendarDayInput:
    date: dt.date
    kind: DayKind  # type: ignore[valid-type]
    name: str
    tenant_code: str | None = strawberry.field(default=None, description="Default: the acting tenant.")


@strawberry.input
class ListedDayInput:
    date: dt.date
    name: str


@strawberry.input
class PublishCalendarYearInput:
    year: int
    source: str = strawberry.field(description="The notice it comes from, e.g. 国办发明电〔2026〕X号.")
    holidays: list[ListedDayInput]
    workdays: list[ListedDayInput] = strawberry.field(description="调休 make-up working days (weekend days).")
    tenant_code: str | None = None


@strawberry.input
class WorkingPeriodInput:
    start: str
    end: str


@strawberry.input
class SetWorkingHoursInput:
    periods: list[WorkingPeriodInput] = strawberry.field(description="Empty: inherit again.")
    tenant_code: str | None = None


@strawberry.type
class CalendarMutation:
    @strawberry.mutation(description="Make one date a holiday or a working day for a tenant and its subtree.")
    async def set_calendar_day(self, info: Info, input: SetCalendarDayInput) -> CalendarOverrideResult:
        s = info.context.session

        async def change(a: Acting) -> CalendarOverride:
            row = await service.set_override(s, a, input.tenant_code, input.date, kc.DayKind(input.kind), input.name)
            return CalendarOverride.of(row, await _own(info, row.tenant_id))

        return await attempt(info.context, change)

    @strawberry.mutation(description="Remove a tenant's own entry for a date.")
    async def remove_calendar_day(self, info: Info, date: dt.date,
                                  tenant_code: str | None = None) -> CalendarOverrideResult:
        s = info.context.session

        async def change(a: Acting) -> CalendarOverride:
            row = await service.remove_override(s, a, tenant_code, date)
            return CalendarOverride.of(row, await _own(info, row.tenant_id))

        return await attempt(info.context, change)

    @strawberry.mutation(description="Enter or replace a year's holiday schedule (State Council 放假安排).")
    async def publish_calendar_year(self, info: Info, input: PublishCalendarYearInput) -> CalendarYearResult:
        s = info.context.session
        data = service.YearSchedule(
            year=input.year, source=input.source,
            holidays=[service.ListedDay(d.date, d.name) for d in input.holidays],
            workdays=[service.ListedDay(d.date, d.name) for d in input.workdays])

        async def change(a: Acting) -> CalendarYear:
            row, days = await service.publish_year(s, a, input.tenant_code, data)
            return CalendarYear.of(row, days, await _own(info, row.tenant_id))

        return await attempt(info.context, change)

    @strawberry.mutation(description="Remove a tenant's own schedule of a year.")
    async def withdraw_calendar_year(self, info: Info, year: int, tenant_code: str | None = None) -> CalendarYearResult:
        s = info.context.session

        async def change(a: Acting) -> CalendarYear:
            row = await service.withdraw_year(s, a, tenant_code, year)
            return CalendarYear.of(row, [], await _own(info, row.tenant_id))

        return await attempt(info.context, change)

    @strawberry.mutation(description="Set a tenant's working periods (Asia/Shanghai); an empty list inherits again.")
    async def set_working_hours(self, info: Info, input: SetWorkingHoursInput) -> WorkingHoursResult:
        s = info.context.session
        periods = [(p.start.strip(), p.end.strip()) for p in input.periods]

        async def change(a: Acting) -> WorkingHoursChanged:
            tenant = await tenant_in_scope(s, a.scope, input.tenant_code)
            await service.set_working_hours(s, a, input.tenant_code, periods)
            found = await service.effective(s, a.scope, tenant.tenant_id)
            return WorkingHoursChanged(tenant_code=tenant.code, working_hours=WorkingHours.of(found.calendar,
                                                                                              found.chain))

        return await attempt(info.context, change)


async def _own(info: Info, tenant_id: uuid.UUID) -> SourceTenant | None:
    tenant = await info.context.loaders.tenant.load(tenant_id)
    return SourceTenant(code=tenant.code, name=tenant.name, inherited=False) if tenant else None
