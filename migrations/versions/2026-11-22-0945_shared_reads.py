"""Shared reads: the scope also carries the acting tenant's ancestors and alliances (read-only reach).

Revision ID: 20261122_shared_reads
Revises: 20261122_workorders
Create Date: 2026-11-22 09:45:00
"""

from collections.abc import Sequence

from alembic import op

from hotline.kernel import rls

revision: str = "20261122_shared_reads"
down_revision: str | None = "20261122_workorders"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(rls.SHARED_READ_FUNCTIONS)
    op.execute(rls.grant_shared_read_sql())


def downgrade() -> None:
    op.execute(rls.DROP_SHARED_READ_FUNCTIONS)
