"""Per-tenant calendar configuration: single-day overrides, whole-year schedules, working hours.

Every row belongs to the tenant that entered it; descendants inherit it (see `kernel/calendar.py` for
the order in which entries decide a date).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, DateTime, ForeignKeyConstraint, Integer, String, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hotline.kernel import config_cache
from hotline.kernel.models import Base, TenantRow, utcnow


class CalendarOverride(TenantRow, Base):
    """One date made a holiday (local holiday) or a working day, for the tenant and its subtree."""

    __tablename__ = "calendar_overrides"
    __table_args__ = (UniqueConstraint("tenant_id", "day"),)

    day: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(10))  # DayKind: holiday | workday
    name: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    server_default=func.now())


class CalendarYear(TenantRow, Base):
    """A year's national holiday schedule (放假安排) as entered by an admin when it is published."""

    __tablename__ = "calendar_years"
    __table_args__ = (UniqueConstraint("tenant_id", "year"),)

    year: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(300))  # e.g. 国务院办公厅关于2027年部分节假日安排的通知
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    server_default=func.now())


class CalendarYearDay(TenantRow, Base):
    """A listed date of a year's schedule: a holiday or a 调休 make-up working day."""

    __tablename__ = "calendar_year_days"
    __table_args__ = (
        UniqueConstraint("tenant_id", "day"),
        ForeignKeyConstraint(["tenant_id", "year_id"], ["calendar_years.tenant_id", "calendar_years.id"],
                             ondelete="CASCADE"),
    )

    year_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    day: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(100))


class WorkingHours(TenantRow, Base):
    """The tenant's working periods of a working day, e.g. [["09:00","12:00"],["13:30","17:30"]]."""

    __tablename__ = "working_hours"
    __table_args__ = (UniqueConstraint("tenant_id"),)

    periods: Mapped[list[list[str]]] = mapped_column(JSONB)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    server_default=func.now())


config_cache.watch(CalendarOverride, CalendarYear, CalendarYearDay, WorkingHours)
