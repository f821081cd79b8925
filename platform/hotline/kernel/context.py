"""Who is acting, for logs and audit: bound per request or job with structlog's context variables."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    """The roles of DOMAIN.md, granted per tenant and optionally limited to a unit subtree."""

    AGENT = "agent"
    DISPATCHER = "dispatcher"
    UNIT_HANDLER = "unit_handler"
    SUPERVISOR = "supervisor"
    CALLBACK_AGENT = "callback_agent"
    TENANT_ADMIN = "tenant_admin"
    PROVINCE_ADMIN = "province_admin"
    POLICY_SPECIALIST = "policy_specialist"
    ANALYST = "analyst"
    LEADER = "leader"


# Roles that reach down the tree: a grant on a province covers its cities and counties.
SUBTREE_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.TENANT_ADMIN, Role.ANALYST, Role.LEADER})


@dataclass(frozen=True)
class Grant:
    tenant_id: uuid.UUID
    role: Role
    unit_id: uuid.UUID | None = None
    grant_id: uuid.UUID | None = None  # the role_grants row (None for grants made up in tests)
    tenant_code: str | None = None  # for showing: a grant's tenant may lie outside the acting scope


@dataclass(frozen=True)
class Subject:
    """An authenticated account and its role grants (across the tenants it may act in)."""

    user_id: uuid.UUID
    home_tenant_id: uuid.UUID
    login: str
    display_name: str
    grants: tuple[Grant, ...] = field(default=())
    session_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Actor:
    """What the audit log records about who did something."""

    user_id: uuid.UUID | None
    tenant_id: uuid.UUID | None
    label: str

    @classmethod
    def of(cls, subject: Subject) -> Actor:
        return cls(subject.user_id, subject.home_tenant_id, subject.login)

    @classmethod
    def system(cls, label: str) -> Actor:
        return cls(None, None, f"system:{label}")
