"""Foundation: tenants and their tree, units, accounts, audit, outbox; roles and row-level security.

Revision ID: 7273ce175059
Revises: 
Create Date: 2026-11-22 07:06:05.257582
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from hotline.kernel import rls

revision: str = '7273ce175059'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('alliances',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_alliances'))
    )
    op.create_table('audit_log',
    sa.Column('occurred_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('actor_user_id', sa.UUID(), nullable=True),
    sa.Column('actor_tenant_id', sa.UUID(), nullable=True),
    sa.Column('actor_label', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=100), nullable=False),
    sa.Column('object_type', sa.String(length=60), nullable=False),
    sa.Column('object_id', sa.String(length=100), nullable=True),
    sa.Column('before', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('after', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('request_id', sa.String(length=64), nullable=True),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_audit_log'))
    )
    op.create_index('ix_audit_log_object', 'audit_log', ['tenant_id', 'object_type', 'object_id'], unique=False)
    op.create_table('login_directory',
    sa.Column('login', sa.String(length=80), nullable=False),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('user_id', sa.UUID(), nullable=False),
    sa.PrimaryKeyConstraint('login', name=op.f('pk_login_directory'))
    )
    op.create_table('outbox',
    sa.Column('actor_name', sa.String(length=120), nullable=False),
    sa.Column('payload', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_outbox'))
    )
    op.create_index('ix_outbox_unpublished', 'outbox', ['created_at'], unique=False, postgresql_where=sa.text('published_at IS NULL'))
    op.create_table('outbox_done',
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('outbox_id', sa.UUID(), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('tenant_id', 'outbox_id', name=op.f('pk_outbox_done'))
    )
    op.create_table('regions',
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('parent_code', sa.String(length=12), nullable=True),
    sa.Column('statistical_zone', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_regions'))
    )
    op.create_index('ix_regions_parent_code', 'regions', ['parent_code'], unique=False)
    op.create_table('tenant_directory',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_tenant_directory'))
    )
    op.create_table('tenants',
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('parent_id', sa.UUID(), nullable=True),
    sa.Column('ancestors', postgresql.ARRAY(sa.UUID()), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('division_code', sa.String(length=12), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('tenant_id', name=op.f('pk_tenants'))
    )
    op.create_index('ix_tenants_ancestors', 'tenants', ['ancestors'], unique=False, postgresql_using='gin')
    op.create_table('units',
    sa.Column('parent_id', sa.UUID(), nullable=True),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('division_code', sa.String(length=12), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'parent_id'], ['units.tenant_id', 'units.id'], name=op.f('fk_units_tenant_id_parent_id_units')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_units')),
    sa.UniqueConstraint('tenant_id', 'code', name=op.f('uq_units_tenant_id_code'))
    )
    op.create_table('users',
    sa.Column('login', sa.String(length=80), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_users')),
    sa.UniqueConstraint('tenant_id', 'login', name=op.f('uq_users_tenant_id_login'))
    )
    op.create_table('alliance_members',
    sa.Column('alliance_code', sa.String(length=40), nullable=False),
    sa.Column('tenant_code', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['alliance_code'], ['alliances.code'], name=op.f('fk_alliance_members_alliance_code_alliances'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('alliance_code', 'tenant_code', name=op.f('pk_alliance_members'))
    )
    op.create_table('auth_sessions',
    sa.Column('user_id', sa.UUID(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=True),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'user_id'], ['users.tenant_id', 'users.id'], name=op.f('fk_auth_sessions_tenant_id_user_id_users')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_auth_sessions')),
    sa.UniqueConstraint('tenant_id', 'token_hash', name=op.f('uq_auth_sessions_tenant_id_token_hash'))
    )
    op.create_table('role_grants',
    sa.Column('user_tenant_id', sa.UUID(), nullable=False),
    sa.Column('user_id', sa.UUID(), nullable=False),
    sa.Column('role', sa.String(length=30), nullable=False),
    sa.Column('unit_id', sa.UUID(), nullable=True),
    sa.Column('tenant_id', sa.UUID(), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id', 'unit_id'], ['units.tenant_id', 'units.id'], name=op.f('fk_role_grants_tenant_id_unit_id_units')),
    sa.PrimaryKeyConstraint('tenant_id', 'id', name=op.f('pk_role_grants')),
    sa.UniqueConstraint('tenant_id', 'user_id', 'role', 'unit_id', name=op.f('uq_role_grants_tenant_id_user_id_role_unit_id'), postgresql_nulls_not_distinct=True)
    )
    op.create_index('ix_role_grants_user', 'role_grants', ['user_tenant_id', 'user_id'], unique=False)
    _secure()


TENANT_TABLES = ("tenants", "units", "users", "role_grants", "auth_sessions", "audit_log", "outbox", "outbox_done")
REFERENCE_TABLES = ("tenant_directory", "login_directory", "alliances", "alliance_members", "regions")


def _secure() -> None:
    op.execute(rls.create_roles_sql())
    op.execute(rls.SCOPE_FUNCTIONS)
    op.execute(rls.grant_database_sql())
    for table in TENANT_TABLES:
        op.execute(rls.tenant_table_sql(table))
    for table in REFERENCE_TABLES:
        op.execute(rls.reference_table_sql(table))


def downgrade() -> None:
    # The login roles are cluster-wide and may serve other databases: only this database's grants go.
    op.execute(rls.revoke_sql())
    op.drop_index('ix_role_grants_user', table_name='role_grants')
    op.drop_table('role_grants')
    op.drop_table('auth_sessions')
    op.drop_table('alliance_members')
    op.drop_table('users')
    op.drop_table('units')
    op.drop_index('ix_tenants_ancestors', table_name='tenants', postgresql_using='gin')
    op.drop_table('tenants')
    op.drop_table('tenant_directory')
    op.drop_index('ix_regions_parent_code', table_name='regions')
    op.drop_table('regions')
    op.drop_table('outbox_done')
    op.drop_index('ix_outbox_unpublished', table_name='outbox', postgresql_where=sa.text('published_at IS NULL'))
    op.drop_table('outbox')
    op.drop_table('login_directory')
    op.drop_index('ix_audit_log_object', table_name='audit_log')
    op.drop_table('audit_log')
    op.drop_table('alliances')
    op.execute(rls.DROP_SCOPE_FUNCTIONS)
