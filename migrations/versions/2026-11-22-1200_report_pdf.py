"""Reports exported as PDF next to Excel: the run keeps its PDF, a delivery records the PDF attachment.

Nullable: runs generated before keep no PDF (a delivery builds it from the stored figures).

Revision ID: 20261122_report_pdf
Revises: 20261122_evaluation
Create Date: 2026-11-22 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261122_report_pdf"
down_revision: str | None = "20261122_evaluation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("report_runs", sa.Column("pdf", sa.LargeBinary(), nullable=True))
    op.add_column("report_deliveries", sa.Column("pdf_attachment_name", sa.String(length=200), nullable=True))
    op.add_column("report_deliveries", sa.Column("pdf_attachment_bytes", sa.Integer(), nullable=True))
    op.add_column("report_deliveries", sa.Column("pdf_attachment_sha256", sa.String(length=64), nullable=True))


def downgrade() -> None:
    for column in ("pdf_attachment_sha256", "pdf_attachment_bytes", "pdf_attachment_name"):
        op.drop_column("report_deliveries", column)
    op.drop_column("report_runs", "pdf")
