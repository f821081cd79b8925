"""The tenant catalogue as reviewable files: `hotline tenants apply DIR` and `hotline tenants export DIR`.

Each `*.yaml` file holds `tenants:` (flat list; `parent` names the parent's code) and/or `alliances:`.
Apply validates every file first and reports each mistake with its file and entry; then it applies
everything in one transaction of the system role (a named cross-tenant path), idempotently: a second
apply changes nothing. Every change is audited as `system:catalogue`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel import audit
from hotline.kernel.auth import hash_password
from hotline.kernel.context import Actor, Role
from hotline.kernel.ids import new_id
from hotline.tenancy import service
from hotline.tenancy.models import (
    Alliance,
    AllianceMember,
    LoginDirectory,
    Region,
    RoleGrant,
    Tenant,
    TenantDirectory,
    TenantKind,
    TenantStatus,
    Unit,
    UnitKind,
    User,
)
from hotline.tenancy.regions import load_regions

ACTOR = Actor.system("catalogue")


class CatalogueError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Entry:
    """One tenant entry with where it came from, for error messages."""

    file: str
    index: int
    data: dict[str, Any]

    @property
    def where(self) -> str:
        return f"{self.file}: tenants[{self.index}] ({self.data.get('code', '?')})"


@dataclass
class Catalogue:
    tenants: list[Entry] = field(default_factory=list)
    alliances: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def read(directory: Path) -> Catalogue:
    catalogue, problems = Catalogue(), []
    for path in sorted(directory.glob("*.yaml")):
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            problems.append(f"{path.name}: not valid YAML: {error}")
            continue
        if not isinstance(doc, dict) or set(doc) - {"tenants", "alliances"}:
            problems.append(f"{path.name}: expected only the keys 'tenants' and 'alliances'")
            continue
        for i, data in enumerate(doc.get("tenants") or []):
            catalogue.tenants.append(Entry(path.name, i, data if isinstance(data, dict) else {}))
        for data in doc.get("alliances") or []:
            catalogue.alliances.append((path.name, data if isinstance(data, dict) else {}))
    if problems:
        raise CatalogueError(problems)
    return catalogue


def validate(catalogue: Catalogue, region_codes: set[str]) -> list[str]:
    problems: list[str] = []
    codes: dict[str, Entry] = {}
    logins: set[str] = set()
    for entry in catalogue.tenants:
        problems += _check_tenant(entry, codes, logins, region_codes)
        codes.setdefault(str(entry.data.get("code")), entry)
    for entry in catalogue.tenants:
        parent = entry.data.get("parent")
        if parent is not None and str(parent) not in codes:
            problems.append(f"{entry.where}: parent '{parent}' is not in the catalogue")
    for file, alliance in catalogue.alliances:
        for member in alliance.get("members") or []:
            if str(member) not in codes:
                problems.append(f"{file}: alliance {alliance.get('code')}: member '{member}' is not a tenant")
    return problems


def _check_tenant(entry: Entry, codes: dict[str, Entry], logins: set[str], regions: set[str]) -> list[str]:
    d, out = entry.data, []
    code = str(d.get("code", ""))
    if not service.CODE_RE.match(code):
        out.append(f"{entry.where}: code must be 2–40 letters, digits, - or _")
    if code in codes:
        out.append(f"{entry.where}: code already used by {codes[code].where}")
    if not str(d.get("name", "")).strip():
        out.append(f"{entry.where}: name is required")
    if d.get("kind") not in {k.value for k in TenantKind}:
        out.append(f"{entry.where}: kind must be one of {', '.join(k.value for k in TenantKind)}")
    if d.get("division") is not None and str(d["division"]) not in regions:
        out.append(f"{entry.where}: unknown division code '{d['division']}'")
    out += _check_units(entry, d.get("units") or [], set(), "units")
    unit_codes = {str(u.get("code")) for u in _walk_units(d.get("units") or [])}
    for i, user in enumerate(d.get("users") or []):
        out += _check_user(entry, f"users[{i}]", user, logins, unit_codes)
    return out


def _check_units(entry: Entry, units: list[Any], seen: set[str], path: str) -> list[str]:
    out = []
    for i, unit in enumerate(units):
        here = f"{entry.where}: {path}[{i}]"
        if not isinstance(unit, dict) or not service.CODE_RE.match(str(unit.get("code", ""))):
            out.append(f"{here}: a unit needs a code of 2–40 letters, digits, - or _")
            continue
        if unit["code"] in seen:
            out.append(f"{here}: unit code '{unit['code']}' used twice")
        seen.add(str(unit["code"]))
        if unit.get("kind") not in {k.value for k in UnitKind}:
            out.append(f"{here}: kind must be one of {', '.join(k.value for k in UnitKind)}")
        out += _check_units(entry, unit.get("children") or [], seen, f"{path}[{i}].children")
    return out


def _check_user(entry: Entry, path: str, user: Any, logins: set[str], units: set[str]) -> list[str]:
    here = f"{entry.where}: {path}"
    if not isinstance(user, dict) or not service.LOGIN_RE.match(str(user.get("login", ""))):
        return [f"{here}: a user needs a login of 3–80 lower-case letters, digits, '.', '_' or '-'"]
    out = []
    if user["login"] in logins:
        out.append(f"{here}: login '{user['login']}' used twice")
    logins.add(user["login"])
    if not (user.get("password") or user.get("password_hash")):
        out.append(f"{here}: a user needs a password or a password_hash")
    for role in user.get("roles") or []:
        name, unit = (role, None) if isinstance(role, str) else (role.get("role"), role.get("unit"))
        if name not in {r.value for r in Role}:
            out.append(f"{here}: unknown role '{name}'")
        if unit is not None and str(unit) not in units:
            out.append(f"{here}: role {name} names unit '{unit}', which this tenant does not have")
    return out


def _walk_units(units: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for unit in units:
        if isinstance(unit, dict):
            yield unit
            yield from _walk_units(unit.get("children") or [])


# --- apply ---------------------------------------------------------------------------------------


@dataclass
class ApplyReport:
    regions_added: int = 0
    tenants_added: int = 0
    tenants_changed: int = 0
    units_added: int = 0
    users_added: int = 0
    grants_added: int = 0

    def changed(self) -> bool:
        return any(vars(self).values())


async def apply(session: AsyncSession, directory: Path) -> ApplyReport:
    """Validate the whole catalogue, then apply it; raises CatalogueError before writing anything."""
    catalogue = read(directory)
    report = ApplyReport(regions_added=await load_regions(session))
    regions = set((await session.scalars(select(Region.code).where(Region.level != "street"))).all())
    problems = validate(catalogue, regions)
    if problems:
        raise CatalogueError(problems)
    tenants = {t.code: t for t in (await session.scalars(select(Tenant))).all()}
    for entry in _parents_first(catalogue.tenants):
        tenant = await _apply_tenant(session, entry.data, tenants, report)
        await _apply_units(session, tenant, entry.data.get("units") or [], report)
        await _apply_users(session, tenant, entry.data.get("users") or [], report)
    await _apply_alliances(session, catalogue.alliances)
    return report


def _parents_first(entries: list[Entry]) -> list[Entry]:
    by_code = {str(e.data["code"]): e for e in entries}

    def depth(e: Entry) -> int:
        parent = e.data.get("parent")
        return 0 if parent is None else 1 + depth(by_code[str(parent)])

    return sorted(entries, key=depth)


async def _apply_tenant(session: AsyncSession, d: dict[str, Any], tenants: dict[str, Tenant],
                        report: ApplyReport) -> Tenant:
    parent = tenants[str(d["parent"])] if d.get("parent") is not None else None
    wanted = {"name": str(d["name"]).strip(), "kind": d["kind"], "division_code": _str(d.get("division")),
              "status": d.get("status", TenantStatus.ACTIVE), "parent_id": parent.tenant_id if parent else None,
              "ancestors": [*parent.ancestors, parent.tenant_id] if parent else []}
    tenant = tenants.get(str(d["code"]))
    if tenant is None:
        tenant = Tenant(tenant_id=new_id(), code=str(d["code"]), **wanted)
        session.add_all([tenant, TenantDirectory(code=tenant.code, tenant_id=tenant.tenant_id)])
        await session.flush()
        tenants[tenant.code] = tenant
        report.tenants_added += 1
        audit.record(session, tenant.tenant_id, ACTOR, "tenant.created", ("tenant", tenant.tenant_id),
                     after=service.tenant_snapshot(tenant))
        office = await service.provision_tenant(session, tenant)
        report.units_added += office is not None
    elif any(getattr(tenant, k) != v for k, v in wanted.items()):
        before = service.tenant_snapshot(tenant)
        for key, value in wanted.items():
            setattr(tenant, key, value)
        report.tenants_changed += 1
        audit.record(session, tenant.tenant_id, ACTOR, "tenant.updated", ("tenant", tenant.tenant_id),
                     before=before, after=service.tenant_snapshot(tenant))
    return tenant


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


async def _apply_units(session: AsyncSession, tenant: Tenant, units: list[dict[str, Any]],
                       report: ApplyReport) -> None:
    existing = {u.code: u for u in (await session.scalars(
        select(Unit).where(Unit.tenant_id == tenant.tenant_id))).all()}
    pending: list[tuple[dict[str, Any], uuid.UUID | None]] = [(data, None) for data in units]
    while pending:
        data, parent = pending.pop(0)
        unit = existing.get(str(data["code"]))
        if unit is None:
            unit = Unit(tenant_id=tenant.tenant_id, id=new_id(), code=str(data["code"]), active=True,
                        name=str(data["name"]), kind=data["kind"], division_code=_str(data.get("division")),
                        parent_id=parent)
            session.add(unit)
            existing[unit.code] = unit
            report.units_added += 1
            audit.record(session, tenant.tenant_id, ACTOR, "unit.created", ("unit", unit.id),
                         after=service.unit_snapshot(unit))
        pending += [(child, unit.id) for child in data.get("children") or []]
    await session.flush()


async def _apply_users(session: AsyncSession, tenant: Tenant, users: list[dict[str, Any]],
                       report: ApplyReport) -> None:
    for data in users:
        login = str(data["login"])
        entry = await session.get(LoginDirectory, login)
        if entry is None:
            user = User(tenant_id=tenant.tenant_id, id=new_id(), login=login, display_name=str(data.get("name", login)),
                        password_hash=data.get("password_hash") or hash_password(str(data["password"])),
                        active=True, failed_logins=0)
            session.add_all([user, LoginDirectory(login=login, tenant_id=tenant.tenant_id, user_id=user.id)])
            await session.flush()
            report.users_added += 1
            audit.record(session, tenant.tenant_id, ACTOR, "user.created", ("user", user.id), after={"login": login})
            user_tenant, user_id = tenant.tenant_id, user.id
        else:
            user_tenant, user_id = entry.tenant_id, entry.user_id
        for role in data.get("roles") or []:
            name, unit_code = (role, None) if isinstance(role, str) else (role["role"], role.get("unit"))
            report.grants_added += await _ensure_grant(session, tenant, user_tenant, user_id, name, unit_code)


async def _ensure_grant(session: AsyncSession, tenant: Tenant, user_tenant: uuid.UUID, user_id: uuid.UUID,
                        role: str, unit_code: str | None) -> int:
    unit_id = None
    if unit_code is not None:
        unit_id = (await session.scalars(select(Unit.id).where(
            Unit.tenant_id == tenant.tenant_id, Unit.code == str(unit_code)))).one()
    query = select(RoleGrant).where(RoleGrant.tenant_id == tenant.tenant_id, RoleGrant.user_id == user_id,
                                    RoleGrant.role == role, RoleGrant.unit_id.is_(None) if unit_id is None
                                    else RoleGrant.unit_id == unit_id)
    if (await session.scalars(query)).first() is not None:
        return 0
    grant = RoleGrant(tenant_id=tenant.tenant_id, id=new_id(), user_tenant_id=user_tenant, user_id=user_id,
                      role=role, unit_id=unit_id)
    session.add(grant)
    audit.record(session, tenant.tenant_id, ACTOR, "permission.granted", ("role_grant", grant.id),
                 after={"user_id": str(user_id), "role": role})
    return 1


async def _apply_alliances(session: AsyncSession, alliances: list[tuple[str, dict[str, Any]]]) -> None:
    for _, data in alliances:
        code = str(data["code"])
        alliance = await session.get(Alliance, code)
        if alliance is None:
            session.add(Alliance(code=code, name=str(data["name"])))
        else:
            alliance.name = str(data["name"])
        await session.flush()
        present = set((await session.scalars(
            select(AllianceMember.tenant_code).where(AllianceMember.alliance_code == code))).all())
        for member in data.get("members") or []:
            if str(member) not in present:
                session.add(AllianceMember(alliance_code=code, tenant_code=str(member)))


# --- export --------------------------------------------------------------------------------------


async def export(session: AsyncSession, directory: Path) -> list[Path]:
    """Write the database's tenants (one file per root tenant and its subtree) and alliances."""
    directory.mkdir(parents=True, exist_ok=True)
    tenants = list((await session.scalars(select(Tenant).order_by(Tenant.code))).all())
    units = (await session.scalars(select(Unit).order_by(Unit.code))).all()
    users = (await session.scalars(select(User).order_by(User.login))).all()
    grants = (await session.scalars(select(RoleGrant).order_by(RoleGrant.created_at))).all()
    by_id = {t.tenant_id: t for t in tenants}
    written = []
    for root in (t for t in tenants if t.parent_id is None):
        members = [t for t in tenants if t.tenant_id == root.tenant_id or root.tenant_id in t.ancestors]
        members.sort(key=lambda t: (len(t.ancestors), t.code))
        entries = [_export_tenant(t, by_id, units, users, grants) for t in members]
        path = directory / f"{root.code}.yaml"
        path.write_text(_dump({"tenants": entries}), encoding="utf-8")
        written.append(path)
    alliances = (await session.scalars(select(Alliance).order_by(Alliance.code))).all()
    members_rows = (await session.scalars(select(AllianceMember).order_by(AllianceMember.tenant_code))).all()
    path = directory / "alliances.yaml"
    path.write_text(_dump({"alliances": [
        {"code": a.code, "name": a.name, "members": [m.tenant_code for m in members_rows if m.alliance_code == a.code]}
        for a in alliances]}), encoding="utf-8")
    return [*written, path]


def _export_tenant(t: Tenant, by_id: dict[uuid.UUID, Tenant], units: Any, users: Any, grants: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"code": t.code, "name": t.name, "kind": t.kind}
    if t.parent_id:
        entry["parent"] = by_id[t.parent_id].code
    if t.division_code:
        entry["division"] = t.division_code
    if t.status != TenantStatus.ACTIVE:
        entry["status"] = t.status
    own_units = [u for u in units if u.tenant_id == t.tenant_id]
    unit_codes = {u.id: u.code for u in own_units}
    if own_units:
        entry["units"] = _unit_tree(own_units, None)
    own_users = [u for u in users if u.tenant_id == t.tenant_id]
    if own_users:
        entry["users"] = [_export_user(u, grants, unit_codes, t.tenant_id) for u in own_users]
    return entry


def _unit_tree(units: list[Unit], parent: uuid.UUID | None) -> list[dict[str, Any]]:
    out = []
    for u in (x for x in units if x.parent_id == parent):
        item: dict[str, Any] = {"code": u.code, "name": u.name, "kind": u.kind}
        if u.division_code:
            item["division"] = u.division_code
        children = _unit_tree(units, u.id)
        if children:
            item["children"] = children
        out.append(item)
    return out


def _export_user(u: User, grants: Any, unit_codes: dict[uuid.UUID, str], tenant_id: uuid.UUID) -> dict[str, Any]:
    roles: list[Any] = []
    for g in grants:
        if g.user_id == u.id and g.tenant_id == tenant_id:
            roles.append(g.role if g.unit_id is None else {"role": g.role, "unit": unit_codes[g.unit_id]})
    return {"login": u.login, "name": u.display_name, "password_hash": u.password_hash, "roles": roles}


def _dump(doc: dict[str, Any]) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120)
