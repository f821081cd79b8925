"""Dispatch: configuration items flowing down the tree, immutable versions, decisions per order, the
classifier's models and imported history.

Revision ID: 20261122_dispatch
Revises: 20261122_shared_reads
Create Date: 2026-11-22 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from hotline.kernel import rls

revision: str = "20261122_dispatch"
down_revision: str | None = "20261122_shared_reads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INHERITED = ("dispatch_items", "dispatch_versions")
TENANT = ("dispatch_decisions", "dispatch_classifiers", "dispatch_history_imports", "dispatch_history_orders")


def _row() -> list[sa.Column[object]]:
    return [
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "dispatch_items", *_row(),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("mandatory", sa.Boolean(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("body", postgresql.JSONB(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_dispatch_items"),
        sa.UniqueConstraint("tenant_id", "kind", "key", name="uq_dispatch_items_tenant_id_kind_key"),
    )
    op.create_table(
        "dispatch_versions", *_row(),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("tenant_code", sa.String(40), nullable=False),
        sa.Column("tenant_name", sa.String(200), nullable=False),
        sa.Column("items", postgresql.JSONB(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("rollback_of", sa.Integer(), nullable=True),
        sa.Column("published_by", sa.String(200), nullable=False),
        sa.Column("published_by_user", sa.UUID(), nullable=True),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_dispatch_versions"),
        sa.UniqueConstraint("tenant_id", "number", name="uq_dispatch_versions_tenant_id_number"),
    )
    op.create_table(
        "dispatch_decisions", *_row(),
        sa.Column("order_id", sa.UUID(), nullable=False),
        sa.Column("outcome", sa.String(12), nullable=False),
        sa.Column("versions", postgresql.JSONB(), nullable=False),
        sa.Column("own_version", sa.Integer(), nullable=True),
        sa.Column("matched_kind", sa.String(10), nullable=True),
        sa.Column("matched_key", sa.String(80), nullable=True),
        sa.Column("matched_tenant", sa.String(40), nullable=True),
        sa.Column("category_code", sa.String(20), nullable=True),
        sa.Column("response_level", sa.Integer(), nullable=True),
        sa.Column("tags", postgresql.JSONB(), nullable=False),
        sa.Column("suggestions", postgresql.JSONB(), nullable=False),
        sa.Column("trace", postgresql.JSONB(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_dispatch_decisions"),
        sa.UniqueConstraint("tenant_id", "order_id", name="uq_dispatch_decisions_tenant_id_order_id"),
        sa.ForeignKeyConstraint(["tenant_id", "order_id"], ["work_orders.tenant_id", "work_orders.id"],
                                name="fk_dispatch_decisions_tenant_id_order_id_work_orders"),
    )
    op.create_table(
        "dispatch_classifiers", *_row(),
        sa.Column("samples", sa.Integer(), nullable=False),
        sa.Column("category_accuracy", sa.Float(), nullable=True),
        sa.Column("unit_accuracy", sa.Float(), nullable=True),
        sa.Column("folds", sa.Integer(), nullable=False),
        sa.Column("trigger", sa.String(20), nullable=False),
        sa.Column("model", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_dispatch_classifiers"),
    )
    op.create_index("ix_dispatch_classifiers_tenant", "dispatch_classifiers", ["tenant_id", "created_at"])
    op.create_table(
        "dispatch_history_imports", *_row(),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("accepted", sa.Integer(), nullable=False),
        sa.Column("rejected", postgresql.JSONB(), nullable=False),
        sa.Column("mapping", postgresql.JSONB(), nullable=False),
        sa.Column("imported_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_dispatch_history_imports"),
    )
    op.create_table(
        "dispatch_history_orders", *_row(),
        sa.Column("import_id", sa.UUID(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("category_code", sa.String(20), nullable=False),
        sa.Column("unit_code", sa.String(40), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_dispatch_history_orders"),
        sa.ForeignKeyConstraint(["tenant_id", "import_id"],
                                ["dispatch_history_imports.tenant_id", "dispatch_history_imports.id"],
                                name="fk_dispatch_history_orders_import"),
    )
    op.create_index("ix_dispatch_history_orders_import", "dispatch_history_orders", ["tenant_id", "import_id"])
    for table in INHERITED:
        op.execute(rls.inherited_table_sql(table))
    # Published versions are immutable: the application role may add and read them, nothing else.
    op.execute(f"REVOKE UPDATE, DELETE ON dispatch_versions FROM {rls.APP_ROLE}")
    for table in TENANT:
        op.execute(rls.tenant_table_sql(table))


def downgrade() -> None:
    op.drop_index("ix_dispatch_history_orders_import", table_name="dispatch_history_orders")
    op.drop_table("dispatch_history_orders")
    op.drop_table("dispatch_history_imports")
    op.drop_index("ix_dispatch_classifiers_tenant", table_name="dispatch_classifiers")
    op.drop_table("dispatch_classifiers")
    op.drop_table("dispatch_decisions")
    op.drop_table("dispatch_versions")
    op.drop_table("dispatch_items")
