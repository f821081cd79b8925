"""Calendars and deadline policies: per-tenant calendar overrides, year schedules, working hours and
deadline rules, all inherited down the tenant tree; forced RLS on every table.

Revision ID: 20261122_calendar
Revises: 7273ce175059
Create Date: 2026-11-22 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from hotline.kernel import rls

revision: str = '20261122_calendar'
down_revision: str | None = '7273ce175059'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TENANT_TABLES = ("calendar_overrides", "calendar_years", "calendar_year_days", "working_hours", "deadline_rules")


def _tenant_row() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column('tenant_id', sa.UUID(), nullable=False),
        sa.Column('id', sa.UUID(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    ]


def upgrade() -> None:
    op.create_table('calendar_overrides',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    *_tenant_row(),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_calendar_overrides')),
    sa.UniqueConstraint('tenant_id', 'day', name=op.f('uq_calendar_overrides_tenant_id_day')),
    )
    op.create_table('calendar_years',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    *_tenant_row(),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_calendar_years')),
    sa.UniqueConstraint('tenant_id', 'year', name=op.f('uq_calendar_years_tenant_id_year')),
    )
    op.create_table('calendar_year_days',
    sa.Column('year_id', sa.UUID(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    *_tenant_row(),
    sa.ForeignKeyConstraint(['tenant_id', 'year_id'], ['calendar_years.tenant_id', 'calendar_years.id'],
                            name=op.f('fk_calendar_year_days_tenant_id_calendar_years'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_calendar_year_days')),
    sa.UniqueConstraint('tenant_id', 'day', name=op.f('uq_calendar_year_days_tenant_id_day')),
    )
    op.create_table('working_hours',
    sa.Column('periods', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    *_tenant_row(),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_working_hours')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_working_hours_tenant_id')),
    )
    op.create_table('deadline_rules',
    sa.Column('response_level', sa.SmallInteger(), nullable=True),
    sa.Column('request_type', sa.String(length=20), nullable=True),
    sa.Column('category_code', sa.String(length=40), nullable=True),
    sa.Column('limits', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('mandatory', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    *_tenant_row(),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_deadline_rules')),
    sa.UniqueConstraint('tenant_id', 'response_level', 'request_type', 'category_code',
                        name='uq_deadline_rules_key',
                        postgresql_nulls_not_distinct=True),
    )
    for table in TENANT_TABLES:
        op.execute(rls.tenant_table_sql(table))


def downgrade() -> None:
    for table in ("deadline_rules", "working_hours", "calendar_year_days", "calendar_years", "calendar_overrides"):
        op.drop_table(table)
