"""Evaluation (schemes, versions, exclusions, adjustments, assessments, results, appeals) and analytics
(report subscriptions, runs and deliveries, hotspot settings and alerts, 每月一题); indexes on the intake
and dispatch times of orders and assignments. Schemes and their versions are inherited configuration
(descendants read them); everything else is an ordinary tenant table.

Revision ID: 20261122_evaluation
Revises: 20261122_shared_reads
Create Date: 2026-11-22 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from hotline.kernel import rls

INHERITED_TABLES = ("evaluation_schemes", "evaluation_scheme_versions")
TENANT_TABLES = ("evaluation_exclusions", "evaluation_adjustments", "evaluation_assessments", "evaluation_results",
                 "evaluation_appeals", "report_subscriptions", "report_runs", "report_deliveries",
                 "hotspot_settings", "hotspot_alerts", "monthly_problems")
revision: str = "20261122_evaluation"
down_revision: str | None = "20261122_shared_reads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('evaluation_assessments',
    sa.Column('period_kind', sa.String(length=10), nullable=False),
    sa.Column('period_key', sa.String(length=10), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('as_of', sa.DateTime(timezone=True), nullable=False),
    sa.Column('scheme_tenant_id', sa.UUID(), nullable=False),
    sa.Column('scheme_id', sa.UUID(), nullable=False),
    sa.Column('scheme_version_id', sa.UUID(), nullable=False),
    sa.Column('scheme_version', sa.Integer(), nullable=False),
    sa.Column('definition', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('runs', sa.Integer(), nullable=False),
    sa.Column('hotline_figures', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('computed_by_label', sa.String(length=200), nullable=False),
    sa.Column('appeal_until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_by_label', sa.String(length=200), nullable=True),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_evaluation_assessments')),
    sa.UniqueConstraint('tenant_id', 'period_key', name=op.f('uq_evaluation_assessments_tenant_id_period_key'))
    )
    op.create_table('evaluation_schemes',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('mandatory', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_evaluation_schemes')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_evaluation_schemes_tenant_id'))
    )
    op.create_table('hotspot_alerts',
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('category_code', sa.String(length=20), nullable=True),
    sa.Column('division_code', sa.String(length=12), nullable=True),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('baseline', sa.Float(), nullable=True),
    sa.Column('callers', sa.Integer(), nullable=True),
    sa.Column('order_ids', postgresql.ARRAY(sa.UUID()), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by_label', sa.String(length=200), nullable=True),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_hotspot_alerts')),
    sa.UniqueConstraint('tenant_id', 'kind', 'key', 'day', name=op.f('uq_hotspot_alerts_tenant_id_kind_key_day'))
    )
    op.create_index('ix_hotspot_alerts_day', 'hotspot_alerts', ['tenant_id', 'day'], unique=False)
    op.create_table('hotspot_settings',
    sa.Column('baseline_days', sa.Integer(), nullable=False),
    sa.Column('spike_factor', sa.Float(), nullable=False),
    sa.Column('spike_sigmas', sa.Float(), nullable=False),
    sa.Column('spike_min_count', sa.Integer(), nullable=False),
    sa.Column('cluster_window_days', sa.Integer(), nullable=False),
    sa.Column('cluster_similarity', sa.Float(), nullable=False),
    sa.Column('cluster_min_callers', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_hotspot_settings')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_hotspot_settings_tenant_id'))
    )
    op.create_table('monthly_problems',
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('category_prefix', sa.String(length=20), nullable=False),
    sa.Column('division_prefix', sa.String(length=12), nullable=True),
    sa.Column('keyword', sa.String(length=50), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('chosen_by_label', sa.String(length=200), nullable=False),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_monthly_problems')),
    sa.UniqueConstraint('tenant_id', 'month', name=op.f('uq_monthly_problems_tenant_id_month'))
    )
    op.create_table('report_runs',
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('roll_up', sa.Boolean(), nullable=False),
    sa.Column('content', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('workbook', sa.LargeBinary(), nullable=False),
    sa.Column('generated_by_label', sa.String(length=200), nullable=False),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_report_runs')),
    sa.UniqueConstraint('tenant_id', 'kind', 'period_start', 'roll_up', name=op.f('uq_report_runs_tenant_id_kind_period_start_roll_up'))
    )
    op.create_table('report_subscriptions',
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('recipient', sa.String(length=200), nullable=False),
    sa.Column('roll_up', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by_label', sa.String(length=200), nullable=False),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_report_subscriptions')),
    sa.UniqueConstraint('tenant_id', 'kind', 'recipient', 'roll_up', name=op.f('uq_report_subscriptions_tenant_id_kind_recipient_roll_up'))
    )
    op.create_table('evaluation_results',
    sa.Column('assessment_id', sa.UUID(), nullable=False),
    sa.Column('unit_id', sa.UUID(), nullable=False),
    sa.Column('peer_group', sa.String(length=40), nullable=False),
    sa.Column('figures', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('indicators', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('base_score', sa.Float(), nullable=True),
    sa.Column('bonus', sa.Float(), nullable=False),
    sa.Column('penalty', sa.Float(), nullable=False),
    sa.Column('total', sa.Float(), nullable=True),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('group_size', sa.Integer(), nullable=False),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'assessment_id'], ['evaluation_assessments.tenant_id', 'evaluation_assessments.id'], name=op.f('fk_evaluation_results_tenant_id_assessment_id_evaluation_assessments')),
    sa.ForeignKeyConstraint(['tenant_id', 'unit_id'], ['units.tenant_id', 'units.id'], name=op.f('fk_evaluation_results_tenant_id_unit_id_units')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_evaluation_results')),
    sa.UniqueConstraint('tenant_id', 'assessment_id', 'unit_id', name=op.f('uq_evaluation_results_tenant_id_assessment_id_unit_id'))
    )
    op.create_table('evaluation_scheme_versions',
    sa.Column('scheme_id', sa.UUID(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('definition', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by_label', sa.String(length=200), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_by_label', sa.String(length=200), nullable=True),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'scheme_id'], ['evaluation_schemes.tenant_id', 'evaluation_schemes.id'], name=op.f('fk_evaluation_scheme_versions_tenant_id_scheme_id_evaluation_schemes')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_evaluation_scheme_versions')),
    sa.UniqueConstraint('tenant_id', 'scheme_id', 'version', name=op.f('uq_evaluation_scheme_versions_tenant_id_scheme_id_version'))
    )
    op.create_table('report_deliveries',
    sa.Column('run_id', sa.UUID(), nullable=False),
    sa.Column('subscription_id', sa.UUID(), nullable=False),
    sa.Column('recipient', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('attachment_name', sa.String(length=200), nullable=False),
    sa.Column('attachment_bytes', sa.Integer(), nullable=False),
    sa.Column('attachment_sha256', sa.String(length=64), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'run_id'], ['report_runs.tenant_id', 'report_runs.id'], name=op.f('fk_report_deliveries_tenant_id_run_id_report_runs')),
    sa.ForeignKeyConstraint(['tenant_id', 'subscription_id'], ['report_subscriptions.tenant_id', 'report_subscriptions.id'], name=op.f('fk_report_deliveries_tenant_id_subscription_id_report_subscriptions')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_report_deliveries')),
    sa.UniqueConstraint('tenant_id', 'run_id', 'subscription_id', name=op.f('uq_report_deliveries_tenant_id_run_id_subscription_id'))
    )
    op.create_table('evaluation_adjustments',
    sa.Column('unit_id', sa.UUID(), nullable=False),
    sa.Column('period_key', sa.String(length=10), nullable=False),
    sa.Column('item_code', sa.String(length=40), nullable=False),
    sa.Column('occurrences', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.UUID(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('recorded_by_label', sa.String(length=200), nullable=False),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'order_id'], ['work_orders.tenant_id', 'work_orders.id'], name=op.f('fk_evaluation_adjustments_tenant_id_order_id_work_orders')),
    sa.ForeignKeyConstraint(['tenant_id', 'unit_id'], ['units.tenant_id', 'units.id'], name=op.f('fk_evaluation_adjustments_tenant_id_unit_id_units')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_evaluation_adjustments'))
    )
    op.create_index('ix_evaluation_adjustments_period', 'evaluation_adjustments', ['tenant_id', 'period_key', 'unit_id'], unique=False)
    op.create_table('evaluation_appeals',
    sa.Column('assessment_id', sa.UUID(), nullable=False),
    sa.Column('unit_id', sa.UUID(), nullable=False),
    sa.Column('indicator_code', sa.String(length=40), nullable=False),
    sa.Column('order_id', sa.UUID(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('filed_by_label', sa.String(length=200), nullable=False),
    sa.Column('decided_by_label', sa.String(length=200), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'assessment_id'], ['evaluation_assessments.tenant_id', 'evaluation_assessments.id'], name=op.f('fk_evaluation_appeals_tenant_id_assessment_id_evaluation_assessments')),
    sa.ForeignKeyConstraint(['tenant_id', 'order_id'], ['work_orders.tenant_id', 'work_orders.id'], name=op.f('fk_evaluation_appeals_tenant_id_order_id_work_orders')),
    sa.ForeignKeyConstraint(['tenant_id', 'unit_id'], ['units.tenant_id', 'units.id'], name=op.f('fk_evaluation_appeals_tenant_id_unit_id_units')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_evaluation_appeals'))
    )
    op.create_index('ix_evaluation_appeals_assessment', 'evaluation_appeals', ['tenant_id', 'assessment_id'], unique=False)
    op.create_table('evaluation_exclusions',
    sa.Column('order_id', sa.UUID(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('reviewed_by', sa.UUID(), nullable=True),
    sa.Column('reviewed_by_label', sa.String(length=200), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_label', sa.String(length=200), nullable=True),
    sa.Column('revoke_reason', sa.Text(), nullable=True),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'order_id'], ['work_orders.tenant_id', 'work_orders.id'], name=op.f('fk_evaluation_exclusions_tenant_id_order_id_work_orders')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_evaluation_exclusions'))
    )
    op.create_index('ix_evaluation_exclusions_order', 'evaluation_exclusions', ['tenant_id', 'order_id'], unique=False)
    op.create_index('uq_evaluation_exclusions_active', 'evaluation_exclusions', ['tenant_id', 'order_id'], unique=True, postgresql_where=sa.text('revoked_at IS NULL'))
    op.create_index('ix_work_order_assignments_created', 'work_order_assignments', ['tenant_id', 'created_at'], unique=False)
    op.create_index('ix_work_orders_created', 'work_orders', ['tenant_id', 'created_at'], unique=False)
    for table in INHERITED_TABLES:
        op.execute(rls.inherited_table_sql(table))
    for table in TENANT_TABLES:
        op.execute(rls.tenant_table_sql(table))


def downgrade() -> None:
    op.drop_index('ix_work_orders_created', table_name='work_orders')
    op.drop_index('ix_work_order_assignments_created', table_name='work_order_assignments')
    op.drop_index('uq_evaluation_exclusions_active', table_name='evaluation_exclusions', postgresql_where=sa.text('revoked_at IS NULL'))
    op.drop_index('ix_evaluation_exclusions_order', table_name='evaluation_exclusions')
    op.drop_table('evaluation_exclusions')
    op.drop_index('ix_evaluation_appeals_assessment', table_name='evaluation_appeals')
    op.drop_table('evaluation_appeals')
    op.drop_index('ix_evaluation_adjustments_period', table_name='evaluation_adjustments')
    op.drop_table('evaluation_adjustments')
    op.drop_table('report_deliveries')
    op.drop_table('evaluation_scheme_versions')
    op.drop_table('evaluation_results')
    op.drop_table('report_subscriptions')
    op.drop_table('report_runs')
    op.drop_table('monthly_problems')
    op.drop_table('hotspot_settings')
    op.drop_index('ix_hotspot_alerts_day', table_name='hotspot_alerts')
    op.drop_table('hotspot_alerts')
    op.drop_table('evaluation_schemes')
    op.drop_table('evaluation_assessments')
