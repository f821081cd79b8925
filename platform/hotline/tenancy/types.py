"""GraphQL types of the tenancy domain."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import Enum

import strawberry

from hotline.api.context import Info
from hotline.kernel.context import Role as RoleValue
from hotline.kernel.models import utcnow
from hotline.tenancy import models

TenantKind = strawberry.enum(models.TenantKind, name="TenantKind")
TenantStatus = strawberry.enum(models.TenantStatus, name="TenantStatus")
UnitKind = strawberry.enum(models.UnitKind, name="UnitKind")
Role = strawberry.enum(RoleValue, name="Role")


@strawberry.type(description="A handling unit (承办单位) of a tenant.")
class Unit:
    id: uuid.UUID
    code: str
    name: str
    kind: UnitKind  # type: ignore[valid-type]
    division_code: str | None
    active: bool
    parent_id: uuid.UUID | None

    @classmethod
    def of(cls, u: models.Unit) -> Unit:
        return cls(id=u.id, code=u.code, name=u.name, kind=models.UnitKind(u.kind), division_code=u.division_code,
                   active=u.active, parent_id=u.parent_id)


@strawberry.type(description="A hotline in the province → city → county tree (or a sub-tenant).")
class Tenant:
    id: uuid.UUID
    code: str
    name: str
    kind: TenantKind  # type: ignore[valid-type]
    division_code: str | None
    status: TenantStatus  # type: ignore[valid-type]
    parent_id: strawberry.Private[uuid.UUID | None]
    created_at: dt.datetime

    @classmethod
    def of(cls, t: models.Tenant) -> Tenant:
        return cls(id=t.tenant_id, code=t.code, name=t.name, kind=models.TenantKind(t.kind),
                   division_code=t.division_code, status=models.TenantStatus(t.status), parent_id=t.parent_id,
                   created_at=t.created_at)

    @strawberry.field(description="The parent tenant, when it is within your scope.")
    async def parent(self, info: Info) -> Tenant | None:
        if self.parent_id is None:
            return None
        parent = await info.context.loaders.tenant.load(self.parent_id)
        return Tenant.of(parent) if parent else None

    @strawberry.field
    async def children(self, info: Info) -> list[Tenant]:
        return [Tenant.of(t) for t in await info.context.loaders.children.load(self.id)]

    @strawberry.field(description="The tenant's handling units, a flat list by code; parentId makes the tree.")
    async def units(self, info: Info) -> list[Unit]:
        return [Unit.of(u) for u in await info.context.loaders.units.load(self.id)]


@strawberry.type
class User:
    id: uuid.UUID
    login: str
    display_name: str
    active: bool
    locked: bool

    @classmethod
    def of(cls, u: models.User) -> User:
        locked = u.locked_until is not None and u.locked_until > utcnow()
        return cls(id=u.id, login=u.login, display_name=u.display_name, active=u.active, locked=locked)


@strawberry.type(description="A role granted in a tenant, optionally limited to a unit subtree.")
class RoleGrant:
    id: uuid.UUID
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    role: Role  # type: ignore[valid-type]
    unit_id: uuid.UUID | None

    @classmethod
    def of(cls, g: models.RoleGrant) -> RoleGrant:
        return cls(id=g.id, tenant_id=g.tenant_id, user_id=g.user_id, role=RoleValue(g.role), unit_id=g.unit_id)

    known_tenant_code: strawberry.Private[str | None] = None  # the viewer's own grants carry it from sign-in

    @strawberry.field(description="The code of the tenant the role is held in.")
    async def tenant_code(self, info: Info) -> str | None:
        if self.known_tenant_code:
            return self.known_tenant_code
        tenant = await info.context.loaders.tenant.load(self.tenant_id)
        return tenant.code if tenant else None

    @strawberry.field(description="The unit the role is limited to (with its subtree), if any.")
    async def unit_code(self, info: Info) -> str | None:
        if self.unit_id is None:
            return None
        units = await info.context.loaders.units.load(self.tenant_id)
        return next((u.code for u in units if u.id == self.unit_id), None)


@strawberry.type(description="One page of a tenant's accounts, with the roles they hold in that tenant.")
class UserPage:
    total_count: int
    users: list[User]
    grants: list[RoleGrant]


@strawberry.enum
class AccountState(Enum):
    ACTIVE = "active"
    LOCKED = "locked"
    INACTIVE = "inactive"


@strawberry.type(description="A division (province, city, county or street) by its statistical code.")
class Region:
    code: str
    name: str
    level: str
    parent_code: str | None
    statistical_zone: bool

    @classmethod
    def of(cls, r: models.Region) -> Region:
        return cls(code=r.code, name=r.name, level=r.level, parent_code=r.parent_code,
                   statistical_zone=r.statistical_zone)


@strawberry.type(description="A region alliance such as 京津冀 or 长三角.")
class Alliance:
    code: str
    name: str
    member_codes: list[str]


@strawberry.type(description="The signed-in account and where it acts.")
class Me:
    user_id: uuid.UUID
    login: str
    display_name: str
    acting_tenant: Tenant | None
    roles: list[Role]  # type: ignore[valid-type]
    grants: list[RoleGrant]


@strawberry.type
class LoginSuccess:
    me: Me
    token: str = strawberry.field(description="Also set as an HttpOnly cookie; machine clients send it as a bearer.")


@strawberry.type
class ApiToken:
    token: str
    label: str


@strawberry.type
class Done:
    ok: bool = True


