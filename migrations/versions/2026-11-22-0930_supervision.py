"""Supervision (督办): notices, their messages, per-tenant settings; partial indexes for the sweep.

Revision ID: 20261122_supervision
Revises: 20261122_workorders
Create Date: 2026-11-22 09:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hotline.kernel import rls

TENANT_TABLES = ("supervision_settings", "supervision_notices", "supervision_messages")
revision: str = "20261122_supervision"
down_revision: str | None = "20261122_workorders"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN_ORDER = "state IN ('pending_dispatch', 'in_progress', 'pending_callback')"
OPEN_ASSIGNMENT = "state IN ('pending_sign', 'in_progress', 'return_requested', 'replied')"
PROGRESS_WHERE = ("progress_notified_at IS NULL AND caller_phone_cipher IS NOT NULL "
                  "AND state IN ('pending_dispatch', 'in_progress')")
ORDER_BEYOND_WHERE = f"(progress_notice_beyond_calendar OR callback_beyond_calendar) AND {OPEN_ORDER}"
ASSIGNMENT_BEYOND_WHERE = ("(sign_for_beyond_calendar OR first_contact_beyond_calendar OR reply_beyond_calendar "
                           f"OR return_beyond_calendar) AND {OPEN_ASSIGNMENT}")
ESCALATE_WHERE = "escalate_at IS NOT NULL AND state IN ('open', 'replied')"


def _tenant_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "supervision_settings",
        sa.Column("reminder_lead_hours", sa.Float(), nullable=False),
        sa.Column("notice_reply_days", sa.Integer(), nullable=False),
        sa.Column("escalation_days", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        *_tenant_columns(),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_supervision_settings")),
        sa.UniqueConstraint("tenant_id", name=op.f("uq_supervision_settings_tenant_id")),
    )
    op.create_table(
        "supervision_notices",
        sa.Column("order_id", sa.UUID(), nullable=False),
        sa.Column("assignment_id", sa.UUID(), nullable=True),
        sa.Column("unit_id", sa.UUID(), nullable=True),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=False),
        sa.Column("automatic", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("deadline_kind", sa.String(length=20), nullable=True),
        sa.Column("deadline_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        sa.Column("instruction", sa.Text(), nullable=False),
        sa.Column("reply_required", sa.Boolean(), nullable=False),
        sa.Column("reply_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reply_due_beyond_calendar", sa.Boolean(), nullable=False),
        sa.Column("escalate_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escalated_from_id", sa.UUID(), nullable=True),
        sa.Column("opened_by", sa.UUID(), nullable=True),
        sa.Column("opened_by_label", sa.String(length=200), nullable=False),
        sa.Column("reply_text", sa.Text(), nullable=True),
        sa.Column("replied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("replied_by_label", sa.String(length=200), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by_label", sa.String(length=200), nullable=True),
        sa.Column("close_note", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        *_tenant_columns(),
        sa.ForeignKeyConstraint(["tenant_id", "order_id"], ["work_orders.tenant_id", "work_orders.id"],
                                name="fk_supervision_notices_order"),
        sa.ForeignKeyConstraint(["tenant_id", "assignment_id"],
                                ["work_order_assignments.tenant_id", "work_order_assignments.id"],
                                name="fk_supervision_notices_assignment"),
        sa.ForeignKeyConstraint(["tenant_id", "unit_id"], ["units.tenant_id", "units.id"],
                                name="fk_supervision_notices_unit"),
        sa.ForeignKeyConstraint(["tenant_id", "escalated_from_id"],
                                ["supervision_notices.tenant_id", "supervision_notices.id"],
                                name="fk_supervision_notices_escalated_from"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_supervision_notices")),
        sa.UniqueConstraint("tenant_id", "dedupe_key", name=op.f("uq_supervision_notices_tenant_id_dedupe_key")),
    )
    op.create_index("ix_supervision_notices_order", "supervision_notices", ["tenant_id", "order_id", "id"])
    op.create_index("ix_supervision_notices_unit_state", "supervision_notices", ["tenant_id", "unit_id", "state", "id"])
    op.create_index("ix_supervision_notices_state_level", "supervision_notices",
                    ["tenant_id", "state", "level", "id"])
    op.create_index("ix_supervision_notices_deadline", "supervision_notices",
                    ["tenant_id", "assignment_id", "deadline_kind", "level"])
    op.create_index("ix_supervision_notices_escalate", "supervision_notices", ["escalate_at"],
                    postgresql_where=sa.text(ESCALATE_WHERE))
    op.create_table(
        "supervision_messages",
        sa.Column("notice_id", sa.UUID(), nullable=False),
        sa.Column("order_id", sa.UUID(), nullable=False),
        sa.Column("audience", sa.String(length=20), nullable=False),
        sa.Column("unit_id", sa.UUID(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        *_tenant_columns(),
        sa.ForeignKeyConstraint(["tenant_id", "notice_id"], ["supervision_notices.tenant_id", "supervision_notices.id"],
                                name="fk_supervision_messages_notice"),
        sa.ForeignKeyConstraint(["tenant_id", "unit_id"], ["units.tenant_id", "units.id"],
                                name="fk_supervision_messages_unit"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_supervision_messages")),
        sa.UniqueConstraint("tenant_id", "notice_id", "audience",
                            name="uq_supervision_messages_notice_audience"),
    )
    op.create_index("ix_supervision_messages_unit", "supervision_messages", ["tenant_id", "unit_id", "id"])
    op.create_index("ix_work_orders_progress_sweep", "work_orders", ["progress_notice_due_at"],
                    postgresql_where=sa.text(PROGRESS_WHERE))
    op.create_index("ix_work_orders_beyond_calendar", "work_orders", ["tenant_id", "id"],
                    postgresql_where=sa.text(ORDER_BEYOND_WHERE))
    op.create_index("ix_work_order_assignments_beyond_calendar", "work_order_assignments", ["tenant_id", "id"],
                    postgresql_where=sa.text(ASSIGNMENT_BEYOND_WHERE))
    for table in TENANT_TABLES:
        op.execute(rls.tenant_table_sql(table))


def downgrade() -> None:
    op.drop_index("ix_work_order_assignments_beyond_calendar", table_name="work_order_assignments")
    op.drop_index("ix_work_orders_beyond_calendar", table_name="work_orders")
    op.drop_index("ix_work_orders_progress_sweep", table_name="work_orders")
    op.drop_index("ix_supervision_messages_unit", table_name="supervision_messages")
    op.drop_table("supervision_messages")
    for name in ("ix_supervision_notices_escalate", "ix_supervision_notices_deadline",
                 "ix_supervision_notices_state_level", "ix_supervision_notices_unit_state",
                 "ix_supervision_notices_order"):
        op.drop_index(name, table_name="supervision_notices")
    op.drop_table("supervision_notices")
    op.drop_table("supervision_settings")
