"""Handling: notes and contacts with the citizen, extension and suspension requests; the assignment's
first contact, granted extension days and running suspension.

Revision ID: 20261122_handling_requests
Revises: 20261122_shared_reads
Create Date: 2026-11-22 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hotline.kernel import rls

TENANT_TABLES = ("work_order_handling_records", "work_order_requests")
revision: str = "20261122_handling_requests"
down_revision: str | None = "20261122_shared_reads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("work_order_assignments", sa.Column("first_contacted_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("work_order_assignments", sa.Column("extension_days_granted", sa.Integer(),
                                                      server_default=sa.text("0"), nullable=False))
    op.add_column("work_order_assignments", sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "work_order_handling_records",
        sa.Column("order_id", sa.UUID(), nullable=False),
        sa.Column("assignment_id", sa.UUID(), nullable=False),
        sa.Column("unit_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("contacted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("method", sa.String(length=10), nullable=True),
        sa.Column("reached", sa.Boolean(), nullable=True),
        sa.Column("recorded_by", sa.UUID(), nullable=True),
        sa.Column("recorded_by_label", sa.String(length=200), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id", "assignment_id"],
                                ["work_order_assignments.tenant_id", "work_order_assignments.id"],
                                name="fk_work_order_handling_records_assignment"),
        sa.ForeignKeyConstraint(["tenant_id", "order_id"], ["work_orders.tenant_id", "work_orders.id"],
                                name="fk_work_order_handling_records_order"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_work_order_handling_records")),
    )
    op.create_index("ix_work_order_handling_records_order", "work_order_handling_records",
                    ["tenant_id", "order_id", "id"], unique=False)
    op.create_table(
        "work_order_requests",
        sa.Column("order_id", sa.UUID(), nullable=False),
        sa.Column("assignment_id", sa.UUID(), nullable=False),
        sa.Column("unit_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=True),
        sa.Column("days_granted", sa.Integer(), nullable=True),
        sa.Column("requested_by", sa.UUID(), nullable=True),
        sa.Column("requested_by_label", sa.String(length=200), nullable=False),
        sa.Column("decided_by", sa.UUID(), nullable=True),
        sa.Column("decided_by_label", sa.String(length=200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("reply_due_before", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reply_due_after", sa.DateTime(timezone=True), nullable=True),
        sa.Column("suspended_from", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resumed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resumed_by_label", sa.String(length=200), nullable=True),
        sa.Column("paused_seconds", sa.Integer(), nullable=True),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id", "assignment_id"],
                                ["work_order_assignments.tenant_id", "work_order_assignments.id"],
                                name="fk_work_order_requests_assignment"),
        sa.ForeignKeyConstraint(["tenant_id", "order_id"], ["work_orders.tenant_id", "work_orders.id"],
                                name="fk_work_order_requests_order"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_work_order_requests")),
    )
    op.create_index("ix_work_order_requests_order", "work_order_requests", ["tenant_id", "order_id", "id"],
                    unique=False)
    op.create_index("uq_work_order_requests_pending", "work_order_requests", ["tenant_id", "assignment_id", "kind"],
                    unique=True, postgresql_where=sa.text("status = 'pending'"))
    op.create_index("ix_work_order_requests_pending", "work_order_requests", ["tenant_id", "order_id"],
                    unique=False, postgresql_where=sa.text("status = 'pending'"))
    for table in TENANT_TABLES:
        op.execute(rls.tenant_table_sql(table))


def downgrade() -> None:
    op.drop_index("ix_work_order_requests_pending", table_name="work_order_requests",
                  postgresql_where=sa.text("status = 'pending'"))
    op.drop_index("uq_work_order_requests_pending", table_name="work_order_requests",
                  postgresql_where=sa.text("status = 'pending'"))
    op.drop_index("ix_work_order_requests_order", table_name="work_order_requests")
    op.drop_table("work_order_requests")
    op.drop_index("ix_work_order_handling_records_order", table_name="work_order_handling_records")
    op.drop_table("work_order_handling_records")
    op.drop_column("work_order_assignments", "suspended_at")
    op.drop_column("work_order_assignments", "extension_days_granted")
    op.drop_column("work_order_assignments", "first_contacted_at")
