"""District boundaries a tenant supplies for the dashboard's map (GeoJSON, one row per tenant).

Revision ID: 20261122_district_boundaries
Revises: 20261122_evaluation_joint
Create Date: 2026-11-22 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from hotline.kernel import rls

revision: str = "20261122_district_boundaries"
down_revision: str | None = "20261122_evaluation_joint"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "district_boundaries",
        sa.Column("geojson", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("divisions", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("set_by_label", sa.String(length=200), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_district_boundaries")),
        sa.UniqueConstraint("tenant_id", name=op.f("uq_district_boundaries_tenant_id")),
    )
    op.execute(rls.tenant_table_sql("district_boundaries"))


def downgrade() -> None:
    op.drop_table("district_boundaries")
