"""Queries and mutations of the tenancy domain: the tree, units, users, grants, sign-in."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable
from typing import Annotated

import strawberry

from hotline.api.context import Info
from hotline.api.errors import ValidationErrors, attempt, read
from hotline.api.permissions import SignedIn
from hotline.kernel.acting import Acting
from hotline.kernel.context import Role as RoleValue
from hotline.kernel.errors import DomainError
from hotline.tenancy import models, service, signin
from hotline.tenancy import repository as repo
from hotline.tenancy.types import (
    AccountState,
    Alliance,
    ApiToken,
    Done,
    LoginSuccess,
    Me,
    Region,
    Role,
    RoleGrant,
    Tenant,
    TenantKind,
    Unit,
    UnitKind,
    User,
    UserPage,
)

SESSION_COOKIE = "hotline_session"

TenantResult = Annotated[Tenant | ValidationErrors, strawberry.union("TenantResult")]
UnitResult = Annotated[Unit | ValidationErrors, strawberry.union("UnitResult")]
UserResult = Annotated[User | ValidationErrors, strawberry.union("UserResult")]
UserPageResult = Annotated[UserPage | ValidationErrors, strawberry.union("UserPageResult")]
RoleGrantResult = Annotated[RoleGrant | ValidationErrors, strawberry.union("RoleGrantResult")]
LoginResult = Annotated[LoginSuccess | ValidationErrors, strawberry.union("LoginResult")]
ApiTokenResult = Annotated[ApiToken | ValidationErrors, strawberry.union("ApiTokenResult")]
DoneResult = Annotated[Done | ValidationErrors, strawberry.union("DoneResult")]


async def _tenant_or_none(info: Info, code: str | None) -> models.Tenant | None:
    """A tenant by code (default: the acting one) within the scope; None when signed out or not found."""
    if info.context.acting is None:
        return None
    try:
        return await service.tenant_in_scope(info.context.session, info.context.acting.scope, code)
    except DomainError:
        return None


async def _me(info: Info) -> Me | None:
    ctx = info.context
    if ctx.subject is None:
        return None
    acting_tenant, roles = None, []
    if ctx.acting is not None:
        tenant = await ctx.loaders.tenant.load(ctx.acting.tenant_id)
        if tenant is not None:
            acting_tenant = Tenant.of(tenant)
            roles = sorted(ctx.acting.roles_at(tenant.tenant_id, tenant.ancestors))
    grants = [RoleGrant(id=g.grant_id or uuid.UUID(int=0), tenant_id=g.tenant_id, user_id=ctx.subject.user_id,
                        role=g.role, unit_id=g.unit_id, known_tenant_code=g.tenant_code) for g in ctx.subject.grants]
    return Me(user_id=ctx.subject.user_id, login=ctx.subject.login, display_name=ctx.subject.display_name,
              acting_tenant=acting_tenant, roles=roles, grants=grants)


@strawberry.type
class TenancyQuery:
    @strawberry.field(description="The signed-in account, or null.")
    async def me(self, info: Info) -> Me | None:
        return await _me(info)

    @strawberry.field(description="Every tenant in your scope (the acting tenant and its subtree).")
    async def tenants(self, info: Info) -> list[Tenant]:
        ctx = info.context
        acting = ctx.require_acting() if ctx.acting else None
        if acting is None:
            return []
        return [Tenant.of(t) for t in await repo.tenants_in_scope(ctx.session, acting.scope)]

    @strawberry.field(description="A tenant by code; null when it does not exist or is outside your scope.")
    async def tenant(self, info: Info, code: str) -> Tenant | None:
        if info.context.acting is None:
            return None
        found = await repo.tenant_by_code(info.context.session, info.context.acting.scope, code)
        return Tenant.of(found) if found else None

    @strawberry.field(description="The acting tenant: the root of the tree you see.")
    async def acting_tenant(self, info: Info) -> Tenant | None:
        if info.context.acting is None:
            return None
        found = await info.context.loaders.tenant.load(info.context.acting.tenant_id)
        return Tenant.of(found) if found else None

    @strawberry.field(permission_classes=[SignedIn])
    async def users(self, info: Info, tenant_code: str | None = None) -> list[User]:
        ctx = info.context
        tenant = await _tenant_or_none(info, tenant_code)
        if tenant is None or ctx.acting is None:
            return []
        return [User.of(u) for u in await repo.users_of(ctx.session, ctx.acting.scope, tenant.tenant_id)]

    @strawberry.field(description="A page of a tenant's accounts (default: the acting one) by login; `search` "
                                  "matches words of the login or name.")
    async def user_page(self, info: Info, tenant_code: str | None = None, search: str | None = None,
                        state: AccountState | None = None, first: int = 20, offset: int = 0) -> UserPageResult:
        s = info.context.session

        async def load(acting: Acting) -> UserPage:
            total, users, grants = await service.user_page(s, acting, tenant_code, search,
                                                           state.value if state else None, first, offset)
            return UserPage(total_count=total, users=[User.of(u) for u in users],
                            grants=[RoleGrant.of(g) for g in grants])

        return await read(info.context, load)

    @strawberry.field(permission_classes=[SignedIn], description="Role grants held in a tenant; `foreignOnly`: "
                      "only those of accounts whose home is another tenant.")
    async def role_grants(self, info: Info, tenant_code: str | None = None,
                          foreign_only: bool = False) -> list[RoleGrant]:
        ctx = info.context
        tenant = await _tenant_or_none(info, tenant_code)
        if tenant is None or ctx.acting is None:
            return []
        fetch = repo.foreign_grants_in if foreign_only else repo.grants_in
        return [RoleGrant.of(g) for g in await fetch(ctx.session, ctx.acting.scope, tenant.tenant_id)]

    @strawberry.field(description="Divisions directly below a code (provinces when no code is given).")
    async def regions(self, info: Info, parent_code: str | None = None) -> list[Region]:
        return [Region.of(r) for r in await repo.regions_under(info.context.session, parent_code)]

    @strawberry.field(description="The region alliances that tenants of your scope belong to.")
    async def alliances(self, info: Info) -> list[Alliance]:
        ctx = info.context
        if ctx.acting is None:
            return []
        codes = [t.code for t in await repo.tenants_in_scope(ctx.session, ctx.acting.scope)]
        alliances = await repo.alliances_of(ctx.session, codes)
        members = await repo.alliance_members(ctx.session, [a.code for a in alliances])
        return [Alliance(code=a.code, name=a.name,
                         member_codes=[m.tenant_code for m in members if m.alliance_code == a.code])
                for a in alliances]


@strawberry.input
class CreateTenantInput:
    parent_code: str
    code: str
    name: str
    kind: TenantKind  # type: ignore[valid-type]
    division_code: str | None = None


@strawberry.input
class CreateUnitInput:
    code: str
    name: str
    kind: UnitKind  # type: ignore[valid-type]
    parent_code: str | None = None
    division_code: str | None = None
    tenant_code: str | None = strawberry.field(default=None, description="Default: the acting tenant.")


@strawberry.input
class UpdateUnitInput:
    code: str
    name: str | None = None
    parent_code: str | None = strawberry.field(default=None, description='"" moves the unit to the top.')
    active: bool | None = None
    tenant_code: str | None = None


@strawberry.input
class CreateUserInput:
    login: str
    display_name: str
    password: str
    tenant_code: str | None = None


@strawberry.input(description="Fields left null stay as they are.")
class UpdateUserInput:
    login: str
    display_name: str | None = None
    active: bool | None = strawberry.field(default=None, description="false ends the account's sessions at once.")
    unlock: bool = strawberry.field(default=False, description="Lift a lockout after repeated wrong passwords.")
    new_password: str | None = strawberry.field(default=None, description="A reset; ends the account's sessions.")


@strawberry.input
class GrantRoleInput:
    login: str
    role: Role  # type: ignore[valid-type]
    unit_code: str | None = None
    tenant_code: str | None = None


@strawberry.type
class TenancyMutation:
    @strawberry.mutation(description="Sign in; sets the session cookie and returns the token too.")
    async def login(self, info: Info, login: str, password: str) -> LoginResult:
        ctx = info.context
        # Its own transaction: a failed attempt must be counted even though the result is an error.
        async with ctx.db.system_transaction() as session:
            try:
                result = await signin.login(session, ctx.settings.auth, login.strip().lower(), password)
            except DomainError as error:
                failure: DomainError | None = error
            else:
                failure = None
        if failure is not None:
            return ValidationErrors.of(failure)
        ctx.cookies.append((SESSION_COOKIE, result.token))
        me = Me(user_id=result.subject.user_id, login=result.subject.login,
                display_name=result.subject.display_name, acting_tenant=None, roles=[], grants=[])
        return LoginSuccess(me=me, token=result.token)

    @strawberry.mutation
    async def logout(self, info: Info) -> Done:
        ctx = info.context
        if ctx.subject is not None:
            async with ctx.db.system_transaction() as session:
                await signin.logout(session, ctx.subject)
        ctx.cookies.append((SESSION_COOKIE, None))
        return Done()

    @strawberry.mutation(description="A bearer token for a machine client acting as you.")
    async def create_api_token(self, info: Info, label: str) -> ApiTokenResult:
        ctx = info.context
        if ctx.subject is None:
            return ValidationErrors.of(DomainError.one((), "sign in first", "unauthenticated"))
        if not label.strip():
            return ValidationErrors.of(DomainError.one(("label",), "label is required", "required"))
        subject = ctx.subject
        async with ctx.db.system_transaction() as session:
            token = await signin.create_api_token(session, subject, label.strip())
        return ApiToken(token=token, label=label.strip())

    @strawberry.mutation(description="Open a new hotline below a tenant of your subtree (province admins).")
    async def create_tenant(self, info: Info, input: CreateTenantInput) -> TenantResult:
        data = service.NewTenant(parent_code=input.parent_code, code=input.code.strip(), name=input.name,
                                 kind=models.TenantKind(input.kind), division_code=input.division_code)
        s = info.context.session
        return await attempt(info.context, lambda a: _tenant(service.create_tenant(s, a, data)))

    @strawberry.mutation
    async def rename_tenant(self, info: Info, code: str, name: str) -> TenantResult:
        s = info.context.session
        return await attempt(info.context, lambda a: _tenant(service.rename_tenant(s, a, code, name)))

    @strawberry.mutation(description="Suspend a tenant: its own users can no longer act in it.")
    async def suspend_tenant(self, info: Info, code: str) -> TenantResult:
        s = info.context.session
        status = models.TenantStatus.SUSPENDED
        return await attempt(info.context, lambda a: _tenant(service.set_tenant_status(s, a, code, status)))

    @strawberry.mutation
    async def resume_tenant(self, info: Info, code: str) -> TenantResult:
        s = info.context.session
        status = models.TenantStatus.ACTIVE
        return await attempt(info.context, lambda a: _tenant(service.set_tenant_status(s, a, code, status)))

    @strawberry.mutation
    async def create_unit(self, info: Info, input: CreateUnitInput) -> UnitResult:
        data = service.NewUnit(code=input.code.strip(), name=input.name, kind=models.UnitKind(input.kind),
                               parent_code=input.parent_code, division_code=input.division_code)
        s = info.context.session
        return await attempt(info.context, lambda a: _unit(service.create_unit(s, a, input.tenant_code, data)))

    @strawberry.mutation
    async def update_unit(self, info: Info, input: UpdateUnitInput) -> UnitResult:
        s = info.context.session
        return await attempt(info.context, lambda a: _unit(service.update_unit(
            s, a, input.tenant_code, input.code, name=input.name, parent_code=input.parent_code,
            active=input.active)))

    @strawberry.mutation
    async def create_user(self, info: Info, input: CreateUserInput) -> UserResult:
        data = service.NewUser(login=input.login.strip().lower(), display_name=input.display_name,
                               password=input.password)
        s = info.context.session
        return await attempt(info.context, lambda a: _user(service.create_user(s, a, input.tenant_code, data)))

    @strawberry.mutation(description="An administrator renames, deactivates, unlocks or resets an account.")
    async def update_user(self, info: Info, input: UpdateUserInput) -> UserResult:
        change = service.UserChange(login=input.login.strip().lower(), display_name=input.display_name,
                                    active=input.active, unlock=input.unlock, new_password=input.new_password)
        s = info.context.session
        return await attempt(info.context, lambda a: _user(service.update_user(s, a, change)))

    @strawberry.mutation
    async def grant_role(self, info: Info, input: GrantRoleInput) -> RoleGrantResult:
        s = info.context.session
        role = RoleValue(input.role)
        return await attempt(info.context, lambda a: _grant(service.grant_role(
            s, a, input.tenant_code, input.login.strip().lower(), role, input.unit_code)))

    @strawberry.mutation
    async def revoke_role(self, info: Info, grant_id: uuid.UUID) -> RoleGrantResult:
        s = info.context.session
        return await attempt(info.context, lambda a: _grant(service.revoke_role(s, a, grant_id)))


async def _tenant(pending: Awaitable[models.Tenant]) -> Tenant:
    return Tenant.of(await pending)


async def _unit(pending: Awaitable[models.Unit]) -> Unit:
    return Unit.of(await pending)


async def _user(pending: Awaitable[models.User]) -> User:
    return User.of(await pending)


async def _grant(pending: Awaitable[models.RoleGrant]) -> RoleGrant:
    return RoleGrant.of(await pending)
