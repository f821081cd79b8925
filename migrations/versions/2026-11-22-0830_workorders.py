"""Work orders: the national taxonomy (reference), orders, assignments, timeline events, callbacks,
links, sent messages, per-tenant numbering and settings; forced RLS on every tenant table.

Revision ID: 20261122_workorders
Revises: 20261122_calendar
Create Date: 2026-11-22 08:30:00
"""

import csv
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from hotline.kernel import rls

TENANT_TABLES = ("work_order_counters", "work_order_settings", "work_orders", "sent_messages",
                 "work_order_assignments", "work_order_callbacks", "work_order_events", "work_order_links")
TAXONOMY = Path(__file__).resolve().parents[2] / "platform" / "hotline" / "workorders" / "taxonomy" / "categories.csv"
revision: str = '20261122_workorders'
down_revision: str | None = '20261122_calendar'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('categories',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('parent_code', sa.String(length=20), nullable=True),
    sa.Column('level', sa.SmallInteger(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('path', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_categories'))
    )
    op.create_index('ix_categories_parent_code', 'categories', ['parent_code'], unique=False)
    op.create_table('work_order_counters',
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('tenant_id', 'day', name=op.f('pk_work_order_counters'))
    )
    op.create_table('work_order_settings',
    sa.Column('return_supervision_threshold', sa.Integer(), nullable=False),
    sa.Column('reopen_on_dissatisfied', sa.Boolean(), nullable=False),
    sa.Column('callback_exempt_types', postgresql.ARRAY(sa.String(length=20)), nullable=False),
    sa.Column('callback_max_attempts', sa.Integer(), nullable=False),
    sa.Column('duplicate_window_days', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_work_order_settings')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_work_order_settings_tenant_id'))
    )
    op.create_table('work_orders',
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('request_type', sa.String(length=20), nullable=False),
    sa.Column('category_code', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('division_code', sa.String(length=12), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('caller_name', sa.String(length=100), nullable=True),
    sa.Column('caller_phone_cipher', sa.LargeBinary(), nullable=True),
    sa.Column('caller_phone_hash', sa.String(length=64), nullable=True),
    sa.Column('caller_phone_masked', sa.String(length=30), nullable=True),
    sa.Column('confidential', sa.Boolean(), nullable=False),
    sa.Column('enterprise_name', sa.String(length=200), nullable=True),
    sa.Column('enterprise_credit_code', sa.String(length=18), nullable=True),
    sa.Column('response_level', sa.SmallInteger(), nullable=False),
    sa.Column('attachments', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('direct_answer', sa.Text(), nullable=True),
    sa.Column('dispatch_mode', sa.String(length=10), nullable=True),
    sa.Column('return_count', sa.Integer(), nullable=False),
    sa.Column('reopen_count', sa.Integer(), nullable=False),
    sa.Column('callback_attempts', sa.Integer(), nullable=False),
    sa.Column('supervised', sa.Boolean(), nullable=False),
    sa.Column('supervision_reason', sa.String(length=40), nullable=True),
    sa.Column('merged_into_id', sa.UUID(), nullable=True),
    sa.Column('satisfaction', sa.String(length=30), nullable=True),
    sa.Column('resolved', sa.Boolean(), nullable=True),
    sa.Column('created_by', sa.UUID(), nullable=True),
    sa.Column('created_by_label', sa.String(length=200), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('progress_notice_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('progress_notice_beyond_calendar', sa.Boolean(), nullable=False),
    sa.Column('progress_notified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('callback_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('callback_beyond_calendar', sa.Boolean(), nullable=False),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['category_code'], ['categories.code'], name=op.f('fk_work_orders_category_code_categories')),
    sa.ForeignKeyConstraint(['tenant_id', 'merged_into_id'], ['work_orders.tenant_id', 'work_orders.id'], name=op.f('fk_work_orders_tenant_id_merged_into_id_work_orders')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_work_orders')),
    sa.UniqueConstraint('tenant_id', 'number', name=op.f('uq_work_orders_tenant_id_number'))
    )
    op.create_index('ix_work_orders_callback_due', 'work_orders', ['callback_due_at'], unique=False, postgresql_where=sa.text("state = 'pending_callback'"))
    op.create_index('ix_work_orders_created_by', 'work_orders', ['tenant_id', 'created_by', 'created_at'], unique=False)
    op.create_index('ix_work_orders_phone_hash', 'work_orders', ['tenant_id', 'caller_phone_hash'], unique=False)
    op.create_index('ix_work_orders_place', 'work_orders', ['tenant_id', 'division_code', 'category_code', 'created_at'], unique=False)
    op.create_index('ix_work_orders_progress_notice_due', 'work_orders', ['progress_notice_due_at'], unique=False, postgresql_where=sa.text('progress_notified_at IS NULL'))
    op.create_index('ix_work_orders_state', 'work_orders', ['tenant_id', 'state', 'id'], unique=False)
    op.create_table('sent_messages',
    sa.Column('notice_id', sa.UUID(), nullable=False),
    sa.Column('order_id', sa.UUID(), nullable=True),
    sa.Column('provider', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('phone_cipher', sa.LargeBinary(), nullable=False),
    sa.Column('phone_masked', sa.String(length=30), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'order_id'], ['work_orders.tenant_id', 'work_orders.id'], name=op.f('fk_sent_messages_tenant_id_order_id_work_orders')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_sent_messages')),
    sa.UniqueConstraint('tenant_id', 'notice_id', name=op.f('uq_sent_messages_tenant_id_notice_id'))
    )
    op.create_index('ix_sent_messages_order', 'sent_messages', ['tenant_id', 'order_id'], unique=False)
    op.create_table('work_order_assignments',
    sa.Column('order_id', sa.UUID(), nullable=False),
    sa.Column('unit_id', sa.UUID(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('summoned_by_id', sa.UUID(), nullable=True),
    sa.Column('dispatched_by', sa.UUID(), nullable=True),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('return_reason', sa.String(length=30), nullable=True),
    sa.Column('return_explanation', sa.Text(), nullable=True),
    sa.Column('return_requests', sa.Integer(), nullable=False),
    sa.Column('result_class', sa.String(length=30), nullable=True),
    sa.Column('reply_text', sa.Text(), nullable=True),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rework_count', sa.Integer(), nullable=False),
    sa.Column('review_note', sa.Text(), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sign_for_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sign_for_beyond_calendar', sa.Boolean(), nullable=False),
    sa.Column('first_contact_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_contact_beyond_calendar', sa.Boolean(), nullable=False),
    sa.Column('reply_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reply_beyond_calendar', sa.Boolean(), nullable=False),
    sa.Column('return_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('return_beyond_calendar', sa.Boolean(), nullable=False),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'order_id'], ['work_orders.tenant_id', 'work_orders.id'], name=op.f('fk_work_order_assignments_tenant_id_order_id_work_orders')),
    sa.ForeignKeyConstraint(['tenant_id', 'summoned_by_id'], ['work_order_assignments.tenant_id', 'work_order_assignments.id'], name=op.f('fk_work_order_assignments_tenant_id_summoned_by_id_work_order_assignments')),
    sa.ForeignKeyConstraint(['tenant_id', 'unit_id'], ['units.tenant_id', 'units.id'], name=op.f('fk_work_order_assignments_tenant_id_unit_id_units')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_work_order_assignments'))
    )
    op.create_index('ix_work_order_assignments_order', 'work_order_assignments', ['tenant_id', 'order_id'], unique=False)
    op.create_index('ix_work_order_assignments_reply_due', 'work_order_assignments', ['reply_due_at'], unique=False, postgresql_where=sa.text("state = 'in_progress'"))
    op.create_index('ix_work_order_assignments_sign_for_due', 'work_order_assignments', ['sign_for_due_at'], unique=False, postgresql_where=sa.text("state = 'pending_sign'"))
    op.create_index('ix_work_order_assignments_state', 'work_order_assignments', ['tenant_id', 'state', 'order_id'], unique=False)
    op.create_index('ix_work_order_assignments_unit_state', 'work_order_assignments', ['tenant_id', 'unit_id', 'state'], unique=False)
    op.create_table('work_order_callbacks',
    sa.Column('order_id', sa.UUID(), nullable=False),
    sa.Column('reached', sa.Boolean(), nullable=False),
    sa.Column('resolved', sa.Boolean(), nullable=True),
    sa.Column('satisfaction', sa.String(length=30), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('agent_user_id', sa.UUID(), nullable=True),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'order_id'], ['work_orders.tenant_id', 'work_orders.id'], name=op.f('fk_work_order_callbacks_tenant_id_order_id_work_orders')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_work_order_callbacks'))
    )
    op.create_index('ix_work_order_callbacks_order', 'work_order_callbacks', ['tenant_id', 'order_id'], unique=False)
    op.create_table('work_order_events',
    sa.Column('order_id', sa.UUID(), nullable=False),
    sa.Column('assignment_id', sa.UUID(), nullable=True),
    sa.Column('unit_id', sa.UUID(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('actor_user_id', sa.UUID(), nullable=True),
    sa.Column('actor_label', sa.String(length=200), nullable=False),
    sa.Column('from_state', sa.String(length=20), nullable=True),
    sa.Column('to_state', sa.String(length=20), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('detail', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'order_id'], ['work_orders.tenant_id', 'work_orders.id'], name=op.f('fk_work_order_events_tenant_id_order_id_work_orders')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_work_order_events'))
    )
    op.create_index('ix_work_order_events_order', 'work_order_events', ['tenant_id', 'order_id', 'id'], unique=False)
    op.create_table('work_order_links',
    sa.Column('order_id', sa.UUID(), nullable=False),
    sa.Column('other_id', sa.UUID(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'order_id'], ['work_orders.tenant_id', 'work_orders.id'], name=op.f('fk_work_order_links_tenant_id_order_id_work_orders')),
    sa.ForeignKeyConstraint(['tenant_id', 'other_id'], ['work_orders.tenant_id', 'work_orders.id'], name=op.f('fk_work_order_links_tenant_id_other_id_work_orders')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_work_order_links')),
    sa.UniqueConstraint('tenant_id', 'order_id', 'other_id', name=op.f('uq_work_order_links_tenant_id_order_id_other_id'))
    )
    op.create_index('ix_work_order_links_other', 'work_order_links', ['tenant_id', 'other_id'], unique=False)
    op.execute(rls.reference_table_sql("categories"))
    for table in TENANT_TABLES:
        op.execute(rls.tenant_table_sql(table))
    _load_taxonomy()


def _load_taxonomy() -> None:
    """The national default taxonomy, with the stable codes written in the CSV."""
    with TAXONOMY.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    names = {r["code"]: r["name"] for r in rows}

    def path(code: str) -> str:
        parts = [names[code[:n]] for n in range(2, len(code) + 1, 2)]
        return " / ".join(parts)

    table = sa.table("categories", sa.column("code"), sa.column("parent_code"), sa.column("level"),
                     sa.column("name"), sa.column("path"))
    op.bulk_insert(table, [{"code": r["code"], "parent_code": r["parent_code"] or None, "level": int(r["level"]),
                            "name": r["name"], "path": path(r["code"])} for r in rows])


def downgrade() -> None:
    op.drop_index('ix_work_order_links_other', table_name='work_order_links')
    op.drop_table('work_order_links')
    op.drop_index('ix_work_order_events_order', table_name='work_order_events')
    op.drop_table('work_order_events')
    op.drop_index('ix_work_order_callbacks_order', table_name='work_order_callbacks')
    op.drop_table('work_order_callbacks')
    op.drop_index('ix_work_order_assignments_unit_state', table_name='work_order_assignments')
    op.drop_index('ix_work_order_assignments_state', table_name='work_order_assignments')
    op.drop_index('ix_work_order_assignments_sign_for_due', table_name='work_order_assignments', postgresql_where=sa.text("state = 'pending_sign'"))
    op.drop_index('ix_work_order_assignments_reply_due', table_name='work_order_assignments', postgresql_where=sa.text("state = 'in_progress'"))
    op.drop_index('ix_work_order_assignments_order', table_name='work_order_assignments')
    op.drop_table('work_order_assignments')
    op.drop_index('ix_sent_messages_order', table_name='sent_messages')
    op.drop_table('sent_messages')
    op.drop_index('ix_work_orders_state', table_name='work_orders')
    op.drop_index('ix_work_orders_progress_notice_due', table_name='work_orders', postgresql_where=sa.text('progress_notified_at IS NULL'))
    op.drop_index('ix_work_orders_place', table_name='work_orders')
    op.drop_index('ix_work_orders_phone_hash', table_name='work_orders')
    op.drop_index('ix_work_orders_created_by', table_name='work_orders')
    op.drop_index('ix_work_orders_callback_due', table_name='work_orders', postgresql_where=sa.text("state = 'pending_callback'"))
    op.drop_table('work_orders')
    op.drop_table('work_order_settings')
    op.drop_table('work_order_counters')
    op.drop_index('ix_categories_parent_code', table_name='categories')
    op.drop_table('categories')
