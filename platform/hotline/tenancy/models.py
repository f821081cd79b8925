"""Tenants and their tree, alliances, units, users, role grants and sign-in sessions."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hotline.kernel.models import Base, TenantRow, utcnow


class TenantKind(StrEnum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    ENTERPRISE_LINE = "enterprise_line"  # 一企来
    SUB_CENTRE = "sub_centre"  # 分中心


class TenantStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


class UnitKind(StrEnum):
    HOTLINE_OFFICE = "hotline_office"  # 热线办
    DISTRICT = "district"  # 区县 (as a handling unit of a city)
    DEPARTMENT = "department"  # 职能部门
    SECTION = "section"  # 科室
    STREET = "street"  # 街道
    TOWNSHIP = "township"  # 乡镇
    COMMUNITY = "community"  # 社区
    VILLAGE = "village"  # 村
    COMPANY = "company"  # 公共服务企业 (water, power, gas, heating)


class Tenant(Base):
    """A hotline. Its id is its own tenant_id, so the table distributes like every other."""

    __tablename__ = "tenants"
    __table_args__ = (Index("ix_tenants_ancestors", "ancestors", postgresql_using="gin"),)

    tenant_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    # Root first; lets a subtree be found with one indexed predicate.
    ancestors: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)), default=list)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    division_code: Mapped[str | None] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(20), default=TenantStatus.ACTIVE)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    server_default=func.now())


class TenantDirectory(Base):
    """Reference table: tenant code → id, the deployment-wide uniqueness of codes (system role only)."""

    __tablename__ = "tenant_directory"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))


class Alliance(Base):
    """Reference table: a region alliance such as 京津冀 or 长三角."""

    __tablename__ = "alliances"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class AllianceMember(Base):
    __tablename__ = "alliance_members"
    __table_args__ = (ForeignKeyConstraint(["alliance_code"], ["alliances.code"], ondelete="CASCADE"),)

    alliance_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant_code: Mapped[str] = mapped_column(String(40), primary_key=True)


class Region(Base):
    """Reference table: division codes province → city → county → street (GB/T 2260 style)."""

    __tablename__ = "regions"
    __table_args__ = (Index("ix_regions_parent_code", "parent_code"),)

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(10))  # province | city | county | street
    parent_code: Mapped[str | None] = mapped_column(String(12))
    statistical_zone: Mapped[bool] = mapped_column(Boolean, default=False)


class Unit(TenantRow, Base):
    """A handling unit (承办单位) in the tenant's own unit tree."""

    __tablename__ = "units"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code"),
        ForeignKeyConstraint(["tenant_id", "parent_id"], ["units.tenant_id", "units.id"]),
    )

    parent_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    division_code: Mapped[str | None] = mapped_column(String(12))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class User(TenantRow, Base):
    """An account; its tenant is its home tenant. Logins are unique across the deployment."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("tenant_id", "login"),)

    login: Mapped[str] = mapped_column(String(80))
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class LoginDirectory(Base):
    """Reference table: login → (tenant, user), read only by the sign-in path (system role)."""

    __tablename__ = "login_directory"

    login: Mapped[str] = mapped_column(String(80), primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))


class RoleGrant(TenantRow, Base):
    """A role granted to a user in a tenant (tenant_id), optionally limited to a unit subtree."""

    __tablename__ = "role_grants"
    __table_args__ = (
        UniqueConstraint("tenant_id", "user_id", "role", "unit_id", postgresql_nulls_not_distinct=True),
        ForeignKeyConstraint(["tenant_id", "unit_id"], ["units.tenant_id", "units.id"]),
        Index("ix_role_grants_user", "user_tenant_id", "user_id"),
    )

    user_tenant_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    role: Mapped[str] = mapped_column(String(30))
    unit_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class AuthSession(TenantRow, Base):
    """A console session (cookie) or a machine client's bearer token; stored as a hash only."""

    __tablename__ = "auth_sessions"
    __table_args__ = (
        UniqueConstraint("tenant_id", "token_hash"),
        ForeignKeyConstraint(["tenant_id", "user_id"], ["users.tenant_id", "users.id"]),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    token_hash: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(10))  # cookie | bearer
    label: Mapped[str | None] = mapped_column(String(100))
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
