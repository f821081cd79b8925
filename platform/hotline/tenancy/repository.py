"""Queries on tenants, units, users and grants. Every scoped query goes through `TenantScope`.

Functions named `system_*` run on the system role's session: sign-in and session lookup, which
must find an account before any tenant scope exists.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, func, not_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel import config_cache
from hotline.kernel.scope import TenantScope
from hotline.tenancy.models import (
    Alliance,
    AllianceMember,
    AuthSession,
    LoginDirectory,
    Region,
    RoleGrant,
    Tenant,
    Unit,
    User,
)

# --- tenants -------------------------------------------------------------------------------------


async def tenants_in_scope(session: AsyncSession, scope: TenantScope) -> Sequence[Tenant]:
    rows = await session.scalars(select(Tenant).where(scope.visible(Tenant)).order_by(Tenant.code))
    return rows.all()


async def tenant_by_code(session: AsyncSession, scope: TenantScope, code: str) -> Tenant | None:
    query = select(Tenant).where(scope.visible(Tenant), Tenant.code == code)
    return (await session.scalars(query)).one_or_none()


async def tenant_serving(session: AsyncSession, scope: TenantScope, division_code: str) -> Tenant | None:
    """The tenant of the scope that serves a division (a division's callers have one hotline)."""
    query = select(Tenant).where(scope.visible(Tenant), Tenant.division_code == division_code).limit(1)
    return (await session.scalars(query)).first()


async def tenants_by_ids(session: AsyncSession, scope: TenantScope, ids: Sequence[uuid.UUID]) -> list[Tenant]:
    allowed = [i for i in ids if scope.contains(i)]
    if not allowed:
        return []
    query = select(Tenant).where(scope.visible(Tenant), Tenant.tenant_id.in_(allowed))
    return list((await session.scalars(query)).all())


async def children_of(
    session: AsyncSession, scope: TenantScope, parent_ids: Sequence[uuid.UUID]
) -> Sequence[Tenant]:
    query = (select(Tenant).where(scope.visible(Tenant), Tenant.parent_id.in_(parent_ids))
             .order_by(Tenant.code))
    return (await session.scalars(query)).all()


# --- units ---------------------------------------------------------------------------------------


async def units_of(session: AsyncSession, scope: TenantScope, tenant_ids: Sequence[uuid.UUID]) -> Sequence[Unit]:
    query = (select(Unit).where(scope.visible(Unit), Unit.tenant_id.in_(tenant_ids))
             .order_by(Unit.tenant_id, Unit.code))
    return (await session.scalars(query)).all()


async def unit_by_code(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, code: str) -> Unit | None:
    query = select(Unit).where(scope.visible(Unit), Unit.tenant_id == tenant_id, Unit.code == code)
    return (await session.scalars(query)).one_or_none()


async def unit_by_id(
    session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, unit_id: uuid.UUID
) -> Unit | None:
    query = select(Unit).where(scope.visible(Unit), Unit.tenant_id == tenant_id, Unit.id == unit_id)
    return (await session.scalars(query)).one_or_none()


# --- users and grants ----------------------------------------------------------------------------


async def users_of(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID) -> Sequence[User]:
    query = select(User).where(scope.visible(User), User.tenant_id == tenant_id).order_by(User.login)
    return (await session.scalars(query)).all()


@dataclass(frozen=True)
class UserQuery:
    """One page of a tenant's accounts: words of the login or name, a state, an offset."""

    tenant_id: uuid.UUID
    search: str | None
    state: str | None  # active | locked | inactive
    now: dt.datetime
    offset: int
    limit: int


async def user_page(session: AsyncSession, scope: TenantScope, q: UserQuery) -> tuple[int, Sequence[User]]:
    where = [scope.visible(User), User.tenant_id == q.tenant_id]
    if q.search:
        where.append(or_(User.login.contains(q.search, autoescape=True),
                         User.display_name.contains(q.search, autoescape=True)))
    locked = and_(User.locked_until.is_not(None), User.locked_until > q.now)
    match q.state:
        case "inactive":
            where.append(User.active.is_(False))
        case "locked":
            where += [User.active.is_(True), locked]
        case "active":
            where += [User.active.is_(True), not_(locked)]
    total = (await session.execute(select(func.count()).select_from(User).where(*where))).scalar_one()
    rows = (await session.scalars(select(User).where(*where).order_by(User.login).offset(q.offset).limit(q.limit)))
    return int(total), rows.all()


async def user_by_login(session: AsyncSession, scope: TenantScope, login: str) -> User | None:
    query = select(User).where(scope.visible(User), User.login == login)
    return (await session.scalars(query)).one_or_none()


async def revoke_sessions_of(session: AsyncSession, scope: TenantScope, user: User, now: dt.datetime) -> int:
    """End every open session and token of a user (deactivated, password reset)."""
    result = await session.execute(
        update(AuthSession).where(scope.visible(AuthSession), AuthSession.tenant_id == user.tenant_id,
                                  AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now))
    return int(result.rowcount)  # type: ignore[attr-defined]


async def grants_in(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID) -> Sequence[RoleGrant]:
    query = (select(RoleGrant).where(scope.visible(RoleGrant), RoleGrant.tenant_id == tenant_id)
             .order_by(RoleGrant.created_at))
    return (await session.scalars(query)).all()


async def grants_of_users(
    session: AsyncSession, scope: TenantScope, user_ids: Sequence[uuid.UUID], tenant_id: uuid.UUID | None = None
) -> Sequence[RoleGrant]:
    """The grants these users hold (in one tenant, when given)."""
    query = select(RoleGrant).where(scope.visible(RoleGrant), RoleGrant.user_id.in_(user_ids))
    if tenant_id is not None:
        query = query.where(RoleGrant.tenant_id == tenant_id)
    return (await session.scalars(query.order_by(RoleGrant.created_at))).all()


async def foreign_grants_in(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID) -> Sequence[RoleGrant]:
    """Grants in a tenant held by accounts whose home is another tenant (a province admin acting here)."""
    query = (select(RoleGrant).where(scope.visible(RoleGrant), RoleGrant.tenant_id == tenant_id,
                                     RoleGrant.user_tenant_id != tenant_id).order_by(RoleGrant.created_at))
    return (await session.scalars(query)).all()


async def grant_by_id(session: AsyncSession, scope: TenantScope, grant_id: uuid.UUID) -> RoleGrant | None:
    query = select(RoleGrant).where(scope.visible(RoleGrant), RoleGrant.id == grant_id)
    return (await session.scalars(query)).one_or_none()


# --- reference data ------------------------------------------------------------------------------


async def region(session: AsyncSession, code: str) -> Region | None:
    return await session.get(Region, code)


async def region_known(session: AsyncSession, code: str) -> bool:
    """Whether the division code exists (intake asks on every order: known codes are cached)."""
    return await config_cache.known(session, "region", code, lambda: _region_exists(session, code))


async def _region_exists(session: AsyncSession, code: str) -> bool:
    return await region(session, code) is not None


async def regions_under(session: AsyncSession, parent_code: str | None) -> Sequence[Region]:
    condition = Region.parent_code.is_(None) if parent_code is None else Region.parent_code == parent_code
    return (await session.scalars(select(Region).where(condition).order_by(Region.code))).all()


async def alliances_of(session: AsyncSession, tenant_codes: Sequence[str]) -> Sequence[Alliance]:
    member_of = select(AllianceMember.alliance_code).where(AllianceMember.tenant_code.in_(tenant_codes))
    query = select(Alliance).where(Alliance.code.in_(member_of)).order_by(Alliance.code)
    return (await session.scalars(query)).all()


async def alliance_members(session: AsyncSession, codes: Sequence[str]) -> Sequence[AllianceMember]:
    query = select(AllianceMember).where(AllianceMember.alliance_code.in_(codes))
    return (await session.scalars(query.order_by(AllianceMember.tenant_code))).all()


# --- system paths (sign-in) ----------------------------------------------------------------------


async def system_login(session: AsyncSession, login: str) -> User | None:
    entry = await session.get(LoginDirectory, login)
    if entry is None:
        return None
    query = select(User).where(User.tenant_id == entry.tenant_id, User.id == entry.user_id)
    return (await session.scalars(query)).one_or_none()


async def system_session(session: AsyncSession, tenant_id: uuid.UUID, token_hash: str) -> AuthSession | None:
    query = select(AuthSession).where(
        AuthSession.tenant_id == tenant_id, AuthSession.token_hash == token_hash,
        AuthSession.revoked_at.is_(None),
    )
    return (await session.scalars(query)).one_or_none()


async def system_user(session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID) -> User | None:
    query = select(User).where(User.tenant_id == tenant_id, User.id == user_id)
    return (await session.scalars(query)).one_or_none()


async def system_tenant_codes(session: AsyncSession, tenant_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    rows = await session.execute(select(Tenant.tenant_id, Tenant.code).where(Tenant.tenant_id.in_(tenant_ids)))
    return {tenant_id: code for tenant_id, code in rows}


async def system_grants(session: AsyncSession, user_tenant_id: uuid.UUID, user_id: uuid.UUID) -> Sequence[RoleGrant]:
    query = select(RoleGrant).where(RoleGrant.user_tenant_id == user_tenant_id, RoleGrant.user_id == user_id)
    return (await session.scalars(query)).all()


async def system_tenant(session: AsyncSession, tenant_id: uuid.UUID) -> Tenant | None:
    return await session.get(Tenant, tenant_id)


async def system_tenant_by_code(session: AsyncSession, code: str) -> Tenant | None:
    return (await session.scalars(select(Tenant).where(Tenant.code == code))).one_or_none()


async def system_subtree(session: AsyncSession, tenant_id: uuid.UUID) -> list[uuid.UUID]:
    query = select(Tenant.tenant_id).where(
        or_(Tenant.tenant_id == tenant_id, Tenant.ancestors.contains([tenant_id]))
    )
    return list((await session.scalars(query)).all())


async def system_alliances_of_chain(session: AsyncSession, tenant: Tenant) -> list[str]:
    """Codes of the alliances that the tenant or one of its ancestors belongs to (长三角 for 南京)."""
    chain = [tenant.tenant_id, *tenant.ancestors]
    codes = select(Tenant.code).where(Tenant.tenant_id.in_(chain))
    query = select(AllianceMember.alliance_code).where(AllianceMember.tenant_code.in_(codes)).distinct()
    return sorted((await session.scalars(query)).all())


async def system_touch_session(session: AsyncSession, row: AuthSession, now: dt.datetime) -> None:
    await session.execute(
        update(AuthSession).where(AuthSession.tenant_id == row.tenant_id, AuthSession.id == row.id)
        .values(last_seen_at=now)
    )


async def system_revoke_idle_sessions(session: AsyncSession, idle_before: dt.datetime, now: dt.datetime) -> int:
    result = await session.execute(
        update(AuthSession).where(AuthSession.kind == "cookie", AuthSession.revoked_at.is_(None),
                                  AuthSession.last_seen_at < idle_before).values(revoked_at=now)
    )
    return result.rowcount or 0  # type: ignore[attr-defined]
