"""Orders of a tenant by creation time, for figures over a period that read no order's text.

The evaluation's hotline figures (the direct-answer rate, 直办率) count a period's orders and their direct
answers; without an index on (tenant_id, created_at) that was a scan of every tenant's orders of every year.
Both indexes carry the columns those counts filter on, so they are answered from the index alone.

Revision ID: 20261122_orders_by_period
Revises: 20261122_supervision
Create Date: 2026-11-22 14:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "20261122_orders_by_period"
down_revision: str | None = "20261122_supervision"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTED = ["state", "request_type", "category_code"]


def upgrade() -> None:
    op.create_index("ix_work_orders_period", "work_orders", ["tenant_id", "created_at"], postgresql_include=COUNTED)
    op.create_index("ix_work_orders_direct_answers", "work_orders", ["tenant_id", "created_at"],
                    postgresql_include=[*COUNTED, "closed_at"], postgresql_where="direct_answer IS NOT NULL")


def downgrade() -> None:
    op.drop_index("ix_work_orders_direct_answers", "work_orders")
    op.drop_index("ix_work_orders_period", "work_orders")
