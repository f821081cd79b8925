"""Dispatch: a rule chooses a named deadline policy; the classifier dispatches above a tenant's threshold.

- `deadline_rules.policy`: a rule of a named policy (part of the rule's key); `work_orders.deadline_policy`:
  the policy a dispatch rule chose for the order; `dispatch_decisions.deadline_policy`: recorded with the
  decision.
- `dispatch_settings`: one row per tenant; `classifier_threshold` null (the default) keeps the classifier to
  suggestions.

Revision ID: 20261122_dispatch_policy
Revises: 20261122_dispatch
Create Date: 2026-11-22 11:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from hotline.kernel import rls

revision: str = "20261122_dispatch_policy"
down_revision: str | None = "20261122_dispatch"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("deadline_rules", sa.Column("policy", sa.String(40), nullable=True))
    op.drop_constraint("uq_deadline_rules_key", "deadline_rules", type_="unique")
    op.execute("ALTER TABLE deadline_rules ADD CONSTRAINT uq_deadline_rules_key UNIQUE NULLS NOT DISTINCT "
               "(tenant_id, policy, response_level, request_type, category_code)")
    op.add_column("work_orders", sa.Column("deadline_policy", sa.String(40), nullable=True))
    op.add_column("dispatch_decisions", sa.Column("deadline_policy", sa.String(40), nullable=True))
    op.create_table(
        "dispatch_settings",
        sa.Column("tenant_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("classifier_threshold", sa.Float(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_dispatch_settings"),
        sa.UniqueConstraint("tenant_id", name="uq_dispatch_settings_tenant_id"),
    )
    op.execute(rls.tenant_table_sql("dispatch_settings"))


def downgrade() -> None:
    op.drop_table("dispatch_settings")
    op.drop_column("dispatch_decisions", "deadline_policy")
    op.drop_column("work_orders", "deadline_policy")
    op.drop_constraint("uq_deadline_rules_key", "deadline_rules", type_="unique")
    op.execute("DELETE FROM deadline_rules WHERE policy IS NOT NULL")
    op.execute("ALTER TABLE deadline_rules ADD CONSTRAINT uq_deadline_rules_key UNIQUE NULLS NOT DISTINCT "
               "(tenant_id, response_level, request_type, category_code)")
    op.drop_column("deadline_rules", "policy")
