"""Joint evaluation of a department with its industry or system (部门+行业/系统 联动考核): a result records
the department's own total and its industry's part. Nullable: only joint departments have it.

Revision ID: 20261122_evaluation_joint
Revises: 20261122_report_pdf
Create Date: 2026-11-22 12:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "20261122_evaluation_joint"
down_revision: str | None = "20261122_report_pdf"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("evaluation_results", sa.Column("joint", postgresql.JSONB(astext_type=sa.Text()), nullable=True))


def downgrade() -> None:
    op.drop_column("evaluation_results", "joint")
