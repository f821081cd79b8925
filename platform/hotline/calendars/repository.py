"""Queries on calendar configuration. Scoped functions filter with the `TenantScope` they are given;
`system_*` functions are the read-only inherited-configuration path of `calendars.inheritance`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.calendars.models import CalendarOverride, CalendarYear, CalendarYearDay, WorkingHours
from hotline.kernel.scope import TenantScope


@dataclass
class CalendarRows:
    """Everything calendar-related of some tenants, as loaded in one go."""

    overrides: list[CalendarOverride] = field(default_factory=list)
    years: list[CalendarYear] = field(default_factory=list)
    year_days: list[CalendarYearDay] = field(default_factory=list)
    hours: list[WorkingHours] = field(default_factory=list)

    def extend(self, other: CalendarRows) -> None:
        self.overrides += other.overrides
        self.years += other.years
        self.year_days += other.year_days
        self.hours += other.hours


def _in(model: Any, tenant_ids: Sequence[uuid.UUID], scope: TenantScope | None) -> list[ColumnElement[bool]]:
    column: ColumnElement[uuid.UUID] = model.tenant_id
    conditions: list[ColumnElement[bool]] = [column.in_(sorted(tenant_ids))]
    if scope is not None:
        conditions.append(scope.visible(model))
    return conditions


async def _rows(session: AsyncSession, tenant_ids: Sequence[uuid.UUID], scope: TenantScope | None) -> CalendarRows:
    return CalendarRows(
        overrides=list((await session.scalars(
            select(CalendarOverride).where(*_in(CalendarOverride, tenant_ids, scope)))).all()),
        years=list((await session.scalars(select(CalendarYear).where(*_in(CalendarYear, tenant_ids, scope)))).all()),
        year_days=list((await session.scalars(
            select(CalendarYearDay).where(*_in(CalendarYearDay, tenant_ids, scope)))).all()),
        hours=list((await session.scalars(select(WorkingHours).where(*_in(WorkingHours, tenant_ids, scope)))).all()),
    )


async def calendar_rows(session: AsyncSession, scope: TenantScope, tenant_ids: Sequence[uuid.UUID]) -> CalendarRows:
    return await _rows(session, tenant_ids, scope)


async def system_calendar_rows(session: AsyncSession, tenant_ids: Sequence[uuid.UUID]) -> CalendarRows:
    """Calendar rows of ancestors outside the caller's scope (read only; see `calendars.inheritance`)."""
    return await _rows(session, tenant_ids, None)


# --- one tenant's own rows, for changing them ----------------------------------------------------


async def override_on(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID,
                      day: dt.date) -> CalendarOverride | None:
    query = select(CalendarOverride).where(scope.visible(CalendarOverride), CalendarOverride.tenant_id == tenant_id,
                                           CalendarOverride.day == day)
    return (await session.scalars(query)).one_or_none()


async def year_of(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, year: int) -> CalendarYear | None:
    query = select(CalendarYear).where(scope.visible(CalendarYear), CalendarYear.tenant_id == tenant_id,
                                       CalendarYear.year == year)
    return (await session.scalars(query)).one_or_none()


async def delete_year_days(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID,
                           year_id: uuid.UUID) -> None:
    await session.execute(delete(CalendarYearDay).where(
        scope.visible(CalendarYearDay), CalendarYearDay.tenant_id == tenant_id, CalendarYearDay.year_id == year_id))


async def year_days(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID,
                    year_id: uuid.UUID) -> Sequence[CalendarYearDay]:
    query = (select(CalendarYearDay).where(scope.visible(CalendarYearDay), CalendarYearDay.tenant_id == tenant_id,
                                           CalendarYearDay.year_id == year_id).order_by(CalendarYearDay.day))
    return (await session.scalars(query)).all()


async def hours_of(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID) -> WorkingHours | None:
    query = select(WorkingHours).where(scope.visible(WorkingHours), WorkingHours.tenant_id == tenant_id)
    return (await session.scalars(query)).one_or_none()
