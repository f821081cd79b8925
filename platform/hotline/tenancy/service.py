"""Business rules for the tenant tree, units, users and role grants. Takes a session, never commits."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel import audit, outbox
from hotline.kernel.acting import Acting
from hotline.kernel.auth import hash_password
from hotline.kernel.context import Role
from hotline.kernel.errors import DomainError, Validator, not_found
from hotline.kernel.ids import new_id
from hotline.kernel.models import utcnow
from hotline.kernel.scope import TenantScope, apply_scope
from hotline.tenancy import repository as repo
from hotline.tenancy.models import (
    LoginDirectory,
    RoleGrant,
    Tenant,
    TenantDirectory,
    TenantKind,
    TenantStatus,
    Unit,
    UnitKind,
    User,
)
from hotline.tenancy.regions import within
from hotline.tenancy.signin import CALLERS

ADMINS = (Role.TENANT_ADMIN, Role.PROVINCE_ADMIN)
# Which kinds of tenant may hang under which (a municipality's districts sit directly below it).
CHILD_KINDS = {
    TenantKind.PROVINCE: {TenantKind.CITY, TenantKind.COUNTY, TenantKind.ENTERPRISE_LINE, TenantKind.SUB_CENTRE},
    TenantKind.CITY: {TenantKind.COUNTY, TenantKind.ENTERPRISE_LINE, TenantKind.SUB_CENTRE},
    TenantKind.COUNTY: {TenantKind.ENTERPRISE_LINE, TenantKind.SUB_CENTRE},
    TenantKind.ENTERPRISE_LINE: set(),
    TenantKind.SUB_CENTRE: set(),
}
REGION_LEVEL = {TenantKind.CITY: "city", TenantKind.COUNTY: "county"}
CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{1,39}$")
LOGIN_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,79}$")
MIN_PASSWORD = 8
PROVISION_ACTOR = "tenancy.provision_tenant"


def tenant_snapshot(t: Tenant) -> dict[str, object]:
    return {"code": t.code, "name": t.name, "kind": t.kind, "status": t.status,
            "division_code": t.division_code, "parent_id": str(t.parent_id) if t.parent_id else None}


async def tenant_in_scope(session: AsyncSession, scope: TenantScope, code: str | None,
                          path: tuple[str, ...] = ("tenantCode",)) -> Tenant:
    """A tenant by code (default: the acting tenant), or "not found" — also when it exists outside the scope."""
    if code:
        tenant = await repo.tenant_by_code(session, scope, code)
    else:
        found = await repo.tenants_by_ids(session, scope, [scope.acting_tenant_id])
        tenant = found[0] if found else None
    if tenant is None:
        raise not_found(path, "tenant")
    return tenant


async def visible_tenant(session: AsyncSession, acting: Acting, code: str, path: tuple[str, ...]) -> Tenant:
    """A tenant in the acting scope by code, or "not found"."""
    return await tenant_in_scope(session, acting.scope, code or "-", path)


# --- tenants -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewTenant:
    parent_code: str
    code: str
    name: str
    kind: TenantKind
    division_code: str | None = None


async def create_tenant(session: AsyncSession, acting: Acting, data: NewTenant) -> Tenant:
    """A province admin opens a hotline below a tenant of its subtree; provisioning follows by outbox."""
    parent = await visible_tenant(session, acting, data.parent_code, ("parentCode",))
    acting.require(parent.tenant_id, parent.ancestors, (Role.PROVINCE_ADMIN,))
    await _validate_new_tenant(session, acting.scope, parent, data)
    tenant = Tenant(tenant_id=new_id(), parent_id=parent.tenant_id, ancestors=[*parent.ancestors, parent.tenant_id],
                    code=data.code, name=data.name.strip(), kind=data.kind, division_code=data.division_code,
                    status=TenantStatus.ACTIVE)
    await _claim(session, TenantDirectory(code=data.code, tenant_id=tenant.tenant_id), ("code",),
                 "a tenant with this code already exists")
    # The new tenant lies in the acting subtree: widen this transaction's scope to write it.
    scope = acting.scope.widened([tenant.tenant_id])
    await apply_scope(session, scope)
    session.add(tenant)
    await session.flush()
    audit.record(session, tenant.tenant_id, acting.actor, "tenant.created", ("tenant", tenant.tenant_id),
                 after=tenant_snapshot(tenant))
    outbox.enqueue(session, tenant.tenant_id, PROVISION_ACTOR, {"tenant_id": str(tenant.tenant_id)})
    CALLERS.clear()  # scopes cached in this process must include the new tenant
    return tenant


async def _validate_new_tenant(session: AsyncSession, scope: TenantScope, parent: Tenant, data: NewTenant
                               ) -> None:
    v = Validator()
    v.check(bool(CODE_RE.match(data.code)), ("code",), "code: 2–40 letters, digits, - or _", "invalid_format")
    v.check(bool(data.name.strip()), ("name",), "name is required", "required")
    v.check(data.kind in CHILD_KINDS[TenantKind(parent.kind)], ("kind",),
            f"a {data.kind} cannot be placed under a {parent.kind}", "invalid_parent")
    level = REGION_LEVEL.get(data.kind)
    if level is not None and v.check(bool(data.division_code), ("divisionCode",),
                                     "a city or county needs its division code", "required"):
        region = await repo.region(session, data.division_code or "")
        ok = region is not None and region.level == level and within(region.code, parent.division_code)
        if v.check(ok, ("divisionCode",), f"not a {level} division code within {parent.name}", "invalid_division"):
            # Every division of the subtree is inside the acting province admin's scope, so a scoped read
            # finds the tenant that already serves it.
            taken = await repo.tenant_serving(session, scope, data.division_code or "")
            v.check(taken is None, ("divisionCode",),
                    f"{taken.name if taken else ''} already serves this division", "division_taken")
    v.raise_if_any()


async def _claim(session: AsyncSession, row: TenantDirectory | LoginDirectory, path: tuple[str, ...], msg: str) -> None:
    """Insert a deployment-wide unique name; a duplicate fails on its key, inside a savepoint."""
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError:
        raise DomainError.one(path, msg, "already_exists") from None


async def rename_tenant(session: AsyncSession, acting: Acting, code: str, name: str) -> Tenant:
    tenant = await visible_tenant(session, acting, code, ("code",))
    acting.require(tenant.tenant_id, tenant.ancestors, (Role.PROVINCE_ADMIN,))
    if not name.strip():
        raise DomainError.one(("name",), "name is required", "required")
    before = tenant_snapshot(tenant)
    tenant.name, tenant.updated_at = name.strip(), utcnow()
    audit.record(session, tenant.tenant_id, acting.actor, "tenant.renamed", ("tenant", tenant.tenant_id),
                 before=before, after=tenant_snapshot(tenant))
    return tenant


async def set_tenant_status(session: AsyncSession, acting: Acting, code: str, status: TenantStatus) -> Tenant:
    """Suspend or resume a tenant below the acting one (a tenant cannot suspend itself)."""
    tenant = await visible_tenant(session, acting, code, ("code",))
    acting.require(tenant.tenant_id, tenant.ancestors, (Role.PROVINCE_ADMIN,))
    if tenant.tenant_id == acting.tenant_id:
        raise DomainError.one(("code",), "a tenant cannot change its own status", "invalid_target")
    before = tenant_snapshot(tenant)
    tenant.status, tenant.updated_at = status, utcnow()
    CALLERS.clear()
    audit.record(session, tenant.tenant_id, acting.actor, f"tenant.{status}", ("tenant", tenant.tenant_id),
                 before=before, after=tenant_snapshot(tenant))
    return tenant


# --- units ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewUnit:
    code: str
    name: str
    kind: UnitKind
    parent_code: str | None = None
    division_code: str | None = None


def unit_snapshot(u: Unit) -> dict[str, object]:
    return {"code": u.code, "name": u.name, "kind": u.kind, "active": u.active,
            "parent_id": str(u.parent_id) if u.parent_id else None, "division_code": u.division_code}


async def _admin_tenant(session: AsyncSession, acting: Acting, code: str | None) -> Tenant:
    tenant = await tenant_in_scope(session, acting.scope, code)
    acting.require(tenant.tenant_id, tenant.ancestors, ADMINS)
    return tenant


async def create_unit(session: AsyncSession, acting: Acting, tenant_code: str | None, data: NewUnit) -> Unit:
    tenant = await _admin_tenant(session, acting, tenant_code)
    v = Validator()
    v.check(bool(CODE_RE.match(data.code)), ("code",), "code: 2–40 letters, digits, - or _", "invalid_format")
    v.check(bool(data.name.strip()), ("name",), "name is required", "required")
    if await repo.unit_by_code(session, acting.scope, tenant.tenant_id, data.code) is not None:
        v.check(False, ("code",), "a unit with this code already exists", "already_exists")
    parent = None
    if data.parent_code:
        parent = await repo.unit_by_code(session, acting.scope, tenant.tenant_id, data.parent_code)
        v.check(parent is not None, ("parentCode",), "parent unit not found", "not_found")
    if data.division_code:
        v.check(await repo.region(session, data.division_code) is not None, ("divisionCode",),
                "unknown division code", "invalid_division")
    v.raise_if_any()
    unit = Unit(tenant_id=tenant.tenant_id, id=new_id(), parent_id=parent.id if parent else None, code=data.code,
                name=data.name.strip(), kind=data.kind, division_code=data.division_code, active=True)
    session.add(unit)
    audit.record(session, tenant.tenant_id, acting.actor, "unit.created", ("unit", unit.id),
                 after=unit_snapshot(unit))
    return unit


async def update_unit(
    session: AsyncSession, acting: Acting, tenant_code: str | None, code: str,
    *, name: str | None = None, parent_code: str | None = None, active: bool | None = None,
) -> Unit:
    """Rename, move (never under itself or its own descendants) or (de)activate a unit."""
    tenant = await _admin_tenant(session, acting, tenant_code)
    unit = await repo.unit_by_code(session, acting.scope, tenant.tenant_id, code)
    if unit is None:
        raise not_found(("code",), "unit")
    before = unit_snapshot(unit)
    if name is not None:
        if not name.strip():
            raise DomainError.one(("name",), "name is required", "required")
        unit.name = name.strip()
    if parent_code is not None:
        unit.parent_id = await _new_parent(session, acting, unit, parent_code)
    if active is not None:
        unit.active = active
    audit.record(session, tenant.tenant_id, acting.actor, "unit.updated", ("unit", unit.id),
                 before=before, after=unit_snapshot(unit))
    return unit


async def _new_parent(session: AsyncSession, acting: Acting, unit: Unit, parent_code: str) -> uuid.UUID | None:
    if parent_code == "":
        return None
    parent = await repo.unit_by_code(session, acting.scope, unit.tenant_id, parent_code)
    if parent is None:
        raise not_found(("parentCode",), "parent unit")
    units = {u.id: u for u in await repo.units_of(session, acting.scope, [unit.tenant_id])}
    cursor: Unit | None = parent
    while cursor is not None:
        if cursor.id == unit.id:
            raise DomainError.one(("parentCode",), "a unit cannot be moved under itself", "cycle")
        cursor = units.get(cursor.parent_id) if cursor.parent_id else None
    return parent.id


# --- users and role grants -----------------------------------------------------------------------


@dataclass(frozen=True)
class NewUser:
    login: str
    display_name: str
    password: str


async def create_user(session: AsyncSession, acting: Acting, tenant_code: str | None, data: NewUser) -> User:
    tenant = await _admin_tenant(session, acting, tenant_code)
    v = Validator()
    v.check(bool(LOGIN_RE.match(data.login)), ("login",),
            "login: 3–80 lower-case letters, digits, '.', '_' or '-'", "invalid_format")
    v.check(bool(data.display_name.strip()), ("displayName",), "name is required", "required")
    v.check(len(data.password) >= MIN_PASSWORD, ("password",),
            f"password needs at least {MIN_PASSWORD} characters", "too_short")
    v.raise_if_any()
    user = User(tenant_id=tenant.tenant_id, id=new_id(), login=data.login, display_name=data.display_name.strip(),
                password_hash=hash_password(data.password), active=True, failed_logins=0)
    await _claim(session, LoginDirectory(login=data.login, tenant_id=tenant.tenant_id, user_id=user.id),
                 ("login",), "this login is taken")
    session.add(user)
    audit.record(session, tenant.tenant_id, acting.actor, "user.created", ("user", user.id),
                 after={"login": user.login, "display_name": user.display_name})
    return user


MAX_USER_PAGE = 100
ACCOUNT_STATES = ("active", "locked", "inactive")


async def user_page(session: AsyncSession, acting: Acting, tenant_code: str | None, search: str | None,
                    state: str | None, first: int, offset: int) -> tuple[int, Sequence[User], Sequence[RoleGrant]]:
    """One page of a tenant's accounts (by login), with the roles they hold in that tenant."""
    v = Validator()
    v.check(1 <= first <= MAX_USER_PAGE, ("first",), f"a page holds 1 to {MAX_USER_PAGE} accounts", "out_of_range")
    v.check(offset >= 0, ("offset",), "the offset cannot be negative", "out_of_range")
    v.check(state is None or state in ACCOUNT_STATES, ("state",), "active, locked or inactive", "invalid")
    v.raise_if_any()
    tenant = await tenant_in_scope(session, acting.scope, tenant_code)
    query = repo.UserQuery(tenant_id=tenant.tenant_id, search=(search or "").strip().lower() or None, state=state,
                           now=utcnow(), offset=offset, limit=first)
    total, users = await repo.user_page(session, acting.scope, query)
    grants = await repo.grants_of_users(session, acting.scope, [u.id for u in users], tenant.tenant_id)
    return total, users, grants


@dataclass(frozen=True)
class UserChange:
    """What an administrator changes on an account; None leaves a field as it is."""

    login: str
    display_name: str | None = None
    active: bool | None = None
    unlock: bool = False  # lift a lockout after repeated wrong passwords
    new_password: str | None = None  # a reset: the person gets it through a safe channel


async def update_user(session: AsyncSession, acting: Acting, change: UserChange) -> User:
    """Rename, deactivate or reactivate, unlock, or reset the password of an account of the scope.

    Deactivating and resetting end the account's open sessions at once."""
    user = await repo.user_by_login(session, acting.scope, change.login)
    if user is None:
        raise not_found(("login",), "user")
    home = (await repo.tenants_by_ids(session, acting.scope, [user.tenant_id]))[0]
    acting.require(home.tenant_id, home.ancestors, ADMINS)
    v = Validator()
    if change.display_name is not None:
        v.check(bool(change.display_name.strip()), ("displayName",), "name is required", "required")
    if change.new_password is not None:
        v.check(len(change.new_password) >= MIN_PASSWORD, ("newPassword",),
                f"password needs at least {MIN_PASSWORD} characters", "too_short")
    v.check(not (change.active is False and user.id == acting.subject.user_id), ("active",),
            "you cannot deactivate your own account", "invalid_target")
    v.raise_if_any()
    before = {"display_name": user.display_name, "active": user.active, "locked": user.locked_until is not None}
    if change.display_name is not None:
        user.display_name = change.display_name.strip()
    if change.active is not None:
        user.active = change.active
    if change.unlock:
        user.locked_until, user.failed_logins = None, 0
    if change.new_password is not None:
        user.password_hash = hash_password(change.new_password)
    if change.active is False or change.new_password is not None:
        await repo.revoke_sessions_of(session, acting.scope, user, utcnow())
    CALLERS.clear()
    audit.record(session, user.tenant_id, acting.actor, "user.updated", ("user", user.id), before=before,
                 after={"display_name": user.display_name, "active": user.active, "unlocked": change.unlock,
                        "password_reset": change.new_password is not None})
    return user


async def grant_role(
    session: AsyncSession, acting: Acting, tenant_code: str | None, login: str, role: Role, unit_code: str | None
) -> RoleGrant:
    """Grant a role in a tenant of the acting scope to a user whose home is also in the scope."""
    tenant = await _admin_tenant(session, acting, tenant_code)
    if role == Role.PROVINCE_ADMIN:
        acting.require(tenant.tenant_id, tenant.ancestors, (Role.PROVINCE_ADMIN,))
    user = await repo.user_by_login(session, acting.scope, login)
    if user is None:
        raise not_found(("login",), "user")
    unit_id = None
    if unit_code:
        unit = await repo.unit_by_code(session, acting.scope, tenant.tenant_id, unit_code)
        if unit is None:
            raise not_found(("unitCode",), "unit")
        unit_id = unit.id
    grant = RoleGrant(tenant_id=tenant.tenant_id, id=new_id(), user_tenant_id=user.tenant_id, user_id=user.id,
                      role=role, unit_id=unit_id)
    try:
        async with session.begin_nested():
            session.add(grant)
            await session.flush()
    except IntegrityError:
        raise DomainError.one(("role",), "the user already holds this role here", "already_exists") from None
    CALLERS.clear()
    audit.record(session, tenant.tenant_id, acting.actor, "permission.granted", ("role_grant", grant.id),
                 after={"login": login, "role": role, "unit_id": str(unit_id) if unit_id else None})
    return grant


async def revoke_role(session: AsyncSession, acting: Acting, grant_id: uuid.UUID) -> RoleGrant:
    grant = await repo.grant_by_id(session, acting.scope, grant_id)
    if grant is None:
        raise not_found(("grantId",), "role grant")
    tenant = (await repo.tenants_by_ids(session, acting.scope, [grant.tenant_id]))[0]
    acting.require(tenant.tenant_id, tenant.ancestors,
                   (Role.PROVINCE_ADMIN,) if grant.role == Role.PROVINCE_ADMIN else ADMINS)
    await session.delete(grant)
    CALLERS.clear()
    audit.record(session, grant.tenant_id, acting.actor, "permission.revoked", ("role_grant", grant.id),
                 before={"user_id": str(grant.user_id), "role": grant.role})
    return grant


# --- provisioning (runs as a job after the tenant exists) ----------------------------------------


async def provision_tenant(session: AsyncSession, tenant: Tenant) -> Unit | None:
    """Give a new hotline its root unit, the hotline office (热线办), if it has none yet."""
    scope = TenantScope.single(tenant.tenant_id)
    if await repo.unit_by_code(session, scope, tenant.tenant_id, "office") is not None:
        return None
    unit = Unit(tenant_id=tenant.tenant_id, id=new_id(), code="office", name=f"{tenant.name}热线办",
                kind=UnitKind.HOTLINE_OFFICE, division_code=tenant.division_code, active=True)
    session.add(unit)
    return unit
