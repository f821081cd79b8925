"""Dispatch configuration: drafts, validation, publication, rollback, and the effective set per tenant.

Who may do what: province admins make items mandatory (and change or remove mandatory ones); tenant
admins (and province admins above them) edit the rest of a tenant's draft, publish and roll back;
dispatchers, agents and supervisors read. Every change is audited with who and why (`reason`).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hotline.dispatch import config, engine, rules
from hotline.dispatch import repository as repo
from hotline.dispatch.config import Item, Merged
from hotline.dispatch.engine import Engine, NationalCategory
from hotline.dispatch.models import DispatchItem, DispatchSettings, DispatchVersion, ItemKind
from hotline.kernel import audit, config_cache
from hotline.kernel.acting import Acting
from hotline.kernel.context import Role
from hotline.kernel.errors import DomainError, Validator, forbidden, not_found
from hotline.kernel.ids import new_id
from hotline.kernel.models import utcnow
from hotline.kernel.scope import TenantScope
from hotline.tenancy.models import Tenant
from hotline.tenancy.service import tenant_in_scope
from hotline.workorders import policy as deadline_policy

ADMINS = (Role.TENANT_ADMIN, Role.PROVINCE_ADMIN)
READERS = (*ADMINS, Role.DISPATCHER, Role.AGENT, Role.SUPERVISOR, Role.LEADER, Role.ANALYST)
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,59}$")
CATEGORY_CODE_RE = re.compile(r"^\d{2,12}$")
ACTIONS = ("dispatch", "set_level", "deadline_policy", "review", "tag", "stop")
MAX_WORDS = 50
_CACHE_KIND = "dispatch_engine"
_national: dict[str, NationalCategory] = {}


# --- the effective set -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Label:
    code: str
    name: str


@dataclass
class Effective:
    """A tenant's effective configuration (published, or with its draft) and where each part comes from."""

    tenant: Tenant
    chain: tuple[uuid.UUID, ...]  # root first
    engine: Engine
    labels: dict[uuid.UUID, Label] = field(default_factory=dict)
    versions: list[dict[str, Any]] = field(default_factory=list)  # [{tenant_id, tenant, number}]
    draft: bool = False

    @property
    def merged(self) -> Merged:
        return self.engine.merged

    @property
    def own_version(self) -> int | None:
        own = str(self.tenant.tenant_id)
        return next((v["number"] for v in self.versions if v["tenant_id"] == own), None)

    @property
    def empty(self) -> bool:
        return not self.merged.items


def chain_of(tenant: Tenant) -> tuple[uuid.UUID, ...]:
    return (*tenant.ancestors, tenant.tenant_id)


async def national(session: AsyncSession) -> dict[str, NationalCategory]:
    """The national taxonomy (a reference table loaded by migration; read once per process)."""
    if not _national:
        for c in await repo.national_categories(session):
            _national[c.code] = NationalCategory(c.code, c.parent_code, c.level, c.name)
    return _national


def _items(tenant_id: uuid.UUID, snapshot: Sequence[Mapping[str, Any]]) -> list[Item]:
    return [Item.of(tenant_id, data) for data in snapshot]


def _row_item(row: DispatchItem) -> Item:
    return Item(row.tenant_id, row.kind, row.key, row.mandatory, row.disabled, row.position, row.body)


async def effective(session: AsyncSession, scope: TenantScope, tenant: Tenant, *, draft: bool = False,
                    upto_parent: bool = False) -> Effective:
    """The merged configuration of `tenant`: its ancestors' published versions and its own published
    version (or its draft). `upto_parent`: only the ancestors' (what the tenant inherits)."""
    chain = chain_of(tenant)
    if not draft and not upto_parent:
        cached: Effective | None = config_cache.get(session, _CACHE_KIND, tenant.tenant_id)
        if cached is not None and cached.chain == chain:
            return cached
    rows = await repo.latest_versions(session, scope, chain)
    by_tenant: dict[uuid.UUID, list[Item]] = {}
    labels = {tenant.tenant_id: Label(tenant.code, tenant.name)}
    versions = []
    for row in sorted(rows, key=lambda r: chain.index(r.tenant_id)):
        labels.setdefault(row.tenant_id, Label(row.tenant_code, row.tenant_name))
        if (draft or upto_parent) and row.tenant_id == tenant.tenant_id:
            continue
        by_tenant[row.tenant_id] = _items(row.tenant_id, row.items)
        versions.append({"tenant_id": str(row.tenant_id), "tenant": row.tenant_code, "number": row.number})
    if draft:
        by_tenant[tenant.tenant_id] = [_row_item(r) for r in await repo.draft_items(session, scope,
                                                                                     [tenant.tenant_id])]
    used_chain = chain[:-1] if upto_parent else chain
    merged = config.merge(tenant.tenant_id, used_chain, by_tenant)
    result = Effective(tenant, chain, Engine.build(tenant.tenant_id, used_chain, await national(session), merged),
                       labels, versions, draft)
    if not draft and not upto_parent:
        config_cache.put(session, _CACHE_KIND, tenant.tenant_id, result)
    return result


async def effective_at(session: AsyncSession, scope: TenantScope, tenant: Tenant,
                       versions: Sequence[Mapping[str, Any]]) -> Effective:
    """The configuration as it was with exactly these versions (recorded on a decision)."""
    chain = chain_of(tenant)
    by_tenant: dict[uuid.UUID, list[Item]] = {}
    labels = {tenant.tenant_id: Label(tenant.code, tenant.name)}
    for entry in versions:
        tenant_id = uuid.UUID(entry["tenant_id"])
        row = await repo.version(session, scope, tenant_id, int(entry["number"]))
        if row is not None:
            by_tenant[tenant_id] = _items(tenant_id, row.items)
            labels.setdefault(tenant_id, Label(row.tenant_code, row.tenant_name))
    used = tuple(t for t in chain if t in by_tenant) or chain
    merged = config.merge(tenant.tenant_id, used, by_tenant)
    return Effective(tenant, chain, Engine.build(tenant.tenant_id, used, await national(session), merged), labels,
                     [dict(v) for v in versions])


# --- permissions -----------------------------------------------------------------------------------


async def readable_tenant(session: AsyncSession, acting: Acting, tenant_code: str | None) -> Tenant:
    tenant = await tenant_in_scope(session, acting.scope, tenant_code)
    acting.require(tenant.tenant_id, tenant.ancestors, READERS)
    return tenant


async def admin_tenant(session: AsyncSession, acting: Acting, tenant_code: str | None) -> Tenant:
    tenant = await tenant_in_scope(session, acting.scope, tenant_code)
    acting.require(tenant.tenant_id, tenant.ancestors, ADMINS)
    return tenant


def _province_admin(acting: Acting, tenant: Tenant) -> bool:
    return Role.PROVINCE_ADMIN in acting.roles_at(tenant.tenant_id, tenant.ancestors)


def _reason(v: Validator, reason: str) -> str:
    v.check(len(reason.strip()) >= 2, ("reason",), "say why (it is kept in the audit log)", "required")
    return reason.strip()


# --- validation of items ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Known:
    tenant: Tenant
    categories: set[str]
    units: dict[str, bool]  # code → active
    deadline_policies: frozenset[str]  # named policies of the tenant's deadline rules and its ancestors'


async def _known(session: AsyncSession, acting: Acting, tenant: Tenant) -> Known:
    draft = await effective(session, acting.scope, tenant, draft=True)
    units = {u.code: u.active for u in await repo.units_of(session, acting.scope, tenant.tenant_id)}
    deadlines = await deadline_policy.policy_for(session, acting.scope, tenant.tenant_id)
    return Known(tenant, set(draft.engine.taxonomy), units, deadlines.names)


def _check_units(v: Validator, units: Any, path: tuple[str, ...], known: Known, *, need_lead: bool) -> None:
    if not v.check(isinstance(units, list) and bool(units), path, "name at least one unit", "required"):
        return
    for i, u in enumerate(units):
        here = (*path, str(i))
        if not v.check(isinstance(u, Mapping), here, "a unit and its role", "invalid_value"):
            continue
        v.check(u.get("role", "lead") in engine.ROLES, (*here, "role"), "lead, supporting or joint", "invalid_value")
        if u.get("street"):
            continue
        code = u.get("unit")
        if v.check(isinstance(code, str) and bool(code), (*here, "unit"), "a unit code", "required"):
            v.check(code in known.units, (*here, "unit"), f"unit {code} is not a unit of {known.tenant.name}",
                    "unknown_unit")
            v.check(known.units.get(str(code), True), (*here, "unit"), f"unit {code} is inactive", "inactive")
    if need_lead:
        v.check(any(isinstance(u, Mapping) and u.get("role", "lead") in engine.LEAD_ROLES for u in units), path,
                "at least one lead or joint unit", "required")


def _check_actions(v: Validator, actions: Sequence[Mapping[str, Any]], known: Known) -> None:
    v.check(bool(actions), ("then",), "at least one action", "required")
    for i, action in enumerate(actions):
        here = ("then", str(i))
        kind = action.get("type")
        if not v.check(kind in ACTIONS, (*here, "type"), f"one of {', '.join(ACTIONS)}", "invalid_value"):
            continue
        if kind == "dispatch":
            _check_units(v, action.get("units"), (*here, "units"), known, need_lead=False)
        elif kind == "set_level":
            level = action.get("level")
            v.check(isinstance(level, int) and 1 <= level <= 4, (*here, "level"), "a level from 1 to 4",
                    "out_of_range")
        elif kind == "deadline_policy":
            name = action.get("policy")
            if v.check(isinstance(name, str) and bool(name), (*here, "policy"), "a deadline policy name", "required"):
                v.check(name in known.deadline_policies, (*here, "policy"),
                        f"no deadline rule of {known.tenant.name} or its parents names the policy {name!r}"
                        + (f"; known: {', '.join(sorted(known.deadline_policies))}" if known.deadline_policies
                           else ""), "unknown_deadline_policy")
        elif kind == "tag":
            tag = action.get("tag")
            v.check(isinstance(tag, str) and 0 < len(tag.strip()) <= 40, (*here, "tag"), "1–40 characters",
                    "invalid_value")


def _words(v: Validator, words: Sequence[str], path: tuple[str, ...]) -> list[str]:
    v.check(len(words) <= MAX_WORDS, path, f"at most {MAX_WORDS}", "too_many")
    for i, w in enumerate(words):
        v.check(0 < len(w.strip()) <= 20, (*path, str(i)), "1–20 characters", "invalid_value")
    return [w.strip() for w in words if w.strip()]


@dataclass(frozen=True)
class Change:
    kind: ItemKind
    key: str
    body: dict[str, Any]
    mandatory: bool = False
    position: int = 0


async def _check_rule(session: AsyncSession, v: Validator, known: Known, key: str, name: str, when: Any,
                      actions: Sequence[Mapping[str, Any]]) -> None:
    v.check(bool(KEY_RE.match(key)), ("key",), "1–60 lower-case letters, digits, '.', '_' or '-'", "invalid_format")
    v.check(0 < len(name.strip()) <= 100, ("name",), "1–100 characters", "required")
    places = _places(when)
    regions = await repo.existing_regions(session, places)
    rules.validate(v, when, ("when",), rules.Known(known.categories, regions))
    _check_actions(v, actions, known)


def _places(cond: Any) -> list[str]:
    if isinstance(cond, Mapping):
        out: list[str] = []
        for key, value in cond.items():
            if key == "place" and isinstance(value, list):
                out.extend(str(x) for x in value)
            elif key in ("all", "any") and isinstance(value, list):
                for child in value:
                    out.extend(_places(child))
            elif key == "not":
                out.extend(_places(value))
        return out
    return []


async def rule_change(session: AsyncSession, acting: Acting, tenant: Tenant, key: str, name: str, position: int,
                      when: Any, actions: Sequence[Mapping[str, Any]], mandatory: bool, v: Validator) -> Change:
    known = await _known(session, acting, tenant)
    await _check_rule(session, v, known, key, name, when, actions)
    return Change(ItemKind.RULE, key, {"name": name.strip(), "when": when, "then": [dict(a) for a in actions]},
                  mandatory, position)


async def entry_change(session: AsyncSession, acting: Acting, tenant: Tenant, category: str, place: str | None,
                       units: Sequence[Mapping[str, Any]], mandatory: bool, v: Validator) -> Change:
    known = await _known(session, acting, tenant)
    v.check(category in known.categories, ("categoryCode",), f"unknown category {category}", "unknown_category")
    if place:
        exists = bool(await repo.existing_regions(session, [place]))
        inside = tenant.division_code is None or place.startswith(rules.division_prefix(tenant.division_code))
        v.check(exists and inside, ("divisionCode",), f"not a division code within {tenant.name}",
                "unknown_division")
    _check_units(v, list(units), ("units",), known, need_lead=True)
    return Change(ItemKind.ENTRY, f"{category}@{place or '*'}",
                  {"category": category, "place": place or None, "units": [dict(u) for u in units]}, mandatory)


async def category_change(session: AsyncSession, acting: Acting, tenant: Tenant, code: str, parent: str | None,
                          name: str | None, hidden: bool, keywords: Sequence[str], synonyms: Sequence[str],
                          mandatory: bool, v: Validator) -> Change:
    nat = await national(session)
    inherited = await effective(session, acting.scope, tenant, draft=True)
    taxonomy = inherited.engine.taxonomy
    body: dict[str, Any] = {"hidden": hidden, "keywords": _words(v, keywords, ("keywords",)),
                            "synonyms": _words(v, synonyms, ("synonyms",))}
    if name is not None:
        v.check(0 < len(name.strip()) <= 100, ("name",), "1–100 characters", "invalid_value")
        body["name"] = name.strip()
    if not v.check(bool(CATEGORY_CODE_RE.match(code)), ("code",), "a code of digits", "invalid_format"):
        return Change(ItemKind.CATEGORY, code, body, mandatory)
    if code in nat:
        v.check(parent is None or parent == nat[code].parent_code, ("parentCode",),
                "a national category keeps its place in the taxonomy", "invalid_value")
        return Change(ItemKind.CATEGORY, code, body, mandatory)
    # A new subcategory: a stable code that extends its parent's by two digits.
    own = next((e for e in inherited.merged.of_kind(ItemKind.CATEGORY) if e.item.key == code), None)
    parent = parent or (str(own.item.body.get("parent")) if own else None)
    if v.check(parent is not None and parent in taxonomy, ("parentCode",), "a parent category that exists",
               "unknown_category") and parent is not None:
        v.check(code.startswith(parent) and len(code) == len(parent) + 2, ("code",),
                f"a new subcategory's code is its parent's code and two digits ({parent}01 … {parent}99)",
                "invalid_code")
    v.check(name is not None, ("name",), "a new subcategory needs a name", "required")
    body["parent"] = parent
    return Change(ItemKind.CATEGORY, code, body, mandatory)


# --- draft changes, publication, rollback ---------------------------------------------------------


def _snapshot(row: DispatchItem) -> dict[str, Any]:
    return _row_item(row).snapshot()


async def save(session: AsyncSession, acting: Acting, tenant: Tenant, change: Change, reason: str,
               v: Validator) -> DispatchItem:
    """Create or replace the tenant's draft item of this key (after validating the change)."""
    why = _reason(v, reason)
    province = _province_admin(acting, tenant)
    if change.mandatory:
        v.check(province, ("mandatory",), "only a province admin makes items mandatory", "forbidden")
    parent = await effective(session, acting.scope, tenant, upto_parent=True)
    lock = config.lock_on(parent.merged, (change.kind, change.key))
    if lock is not None:
        label = parent.labels.get(lock.tenant_id)
        v.check(False, ("key",), f"locked by a mandatory item of {label.name if label else 'an ancestor'}", "locked")
    row = await repo.draft_item(session, acting.scope, tenant.tenant_id, change.kind, change.key)
    if row is not None and row.mandatory and not province:
        v.check(False, ("key",), "only a province admin changes a mandatory item", "forbidden")
    v.raise_if_any()
    before = _snapshot(row) if row is not None else None
    if row is None:
        row = DispatchItem(tenant_id=tenant.tenant_id, id=new_id(), kind=change.kind, key=change.key)
        session.add(row)
    row.mandatory, row.disabled, row.position, row.body = change.mandatory, False, change.position, change.body
    row.updated_at, row.updated_by = utcnow(), acting.actor.label
    await session.flush()
    audit.record(session, tenant.tenant_id, acting.actor, f"dispatch_{change.kind}.saved",
                 ("dispatch_item", row.id), before=before, after={**_snapshot(row), "reason": why})
    return row


async def disable_inherited(session: AsyncSession, acting: Acting, tenant_code: str | None, kind: ItemKind, key: str,
                            reason: str) -> DispatchItem:
    """Switch off, for this tenant and its subtree, an item it inherits (not one locked as mandatory)."""
    tenant = await admin_tenant(session, acting, tenant_code)
    v = Validator()
    why = _reason(v, reason)
    parent = await effective(session, acting.scope, tenant, upto_parent=True)
    inherited = parent.merged.items.get((kind, key))
    if inherited is None:
        raise not_found(("key",), f"inherited {kind}")
    if inherited.item.mandatory:
        label = parent.labels.get(inherited.item.tenant_id)
        v.check(False, ("key",), f"locked by a mandatory item of {label.name if label else 'an ancestor'}", "locked")
    v.raise_if_any()
    row = await repo.draft_item(session, acting.scope, tenant.tenant_id, kind, key)
    before = _snapshot(row) if row is not None else None
    if row is None:
        row = DispatchItem(tenant_id=tenant.tenant_id, id=new_id(), kind=kind, key=key)
        session.add(row)
    row.mandatory, row.disabled, row.position, row.body = False, True, 0, {}
    row.updated_at, row.updated_by = utcnow(), acting.actor.label
    await session.flush()
    audit.record(session, tenant.tenant_id, acting.actor, f"dispatch_{kind}.disabled", ("dispatch_item", row.id),
                 before=before, after={**_snapshot(row), "reason": why})
    return row


async def remove(session: AsyncSession, acting: Acting, tenant_code: str | None, kind: ItemKind, key: str,
                 reason: str) -> DispatchItem:
    """Remove one of the tenant's own draft items (an inherited item of that key applies again)."""
    tenant = await admin_tenant(session, acting, tenant_code)
    v = Validator()
    why = _reason(v, reason)
    v.raise_if_any()
    row = await repo.draft_item(session, acting.scope, tenant.tenant_id, kind, key)
    if row is None:
        raise not_found(("key",), f"draft {kind}")
    if row.mandatory and not _province_admin(acting, tenant):
        raise forbidden("only a province admin removes a mandatory item")
    await session.delete(row)
    await session.flush()
    audit.record(session, tenant.tenant_id, acting.actor, f"dispatch_{kind}.removed", ("dispatch_item", row.id),
                 before=_snapshot(row), after={"reason": why})
    return row


async def publish(session: AsyncSession, acting: Acting, tenant_code: str | None, reason: str) -> DispatchVersion:
    """Freeze the tenant's draft as its next numbered version, in force at once for it and its subtree."""
    tenant = await admin_tenant(session, acting, tenant_code)
    v = Validator()
    why = _reason(v, reason)
    v.raise_if_any()
    rows = await repo.draft_items(session, acting.scope, [tenant.tenant_id])
    items = sorted((_snapshot(r) for r in rows), key=lambda i: (i["kind"], i["key"]))
    return await _new_version(session, acting, tenant, items, why, None)


async def rollback(session: AsyncSession, acting: Acting, tenant_code: str | None, number: int,
                   reason: str) -> DispatchVersion:
    """Put an earlier version back in force (as a new version) and make it the draft again."""
    tenant = await admin_tenant(session, acting, tenant_code)
    v = Validator()
    why = _reason(v, reason)
    v.raise_if_any()
    earlier = await repo.version(session, acting.scope, tenant.tenant_id, number)
    if earlier is None:
        raise not_found(("version",), "version")
    if any(i.get("mandatory") for i in earlier.items) and not _province_admin(acting, tenant):
        raise forbidden("the version has mandatory items: only a province admin rolls back to it")
    for row in await repo.draft_items(session, acting.scope, [tenant.tenant_id]):
        await session.delete(row)
    await session.flush()
    for data in earlier.items:
        session.add(DispatchItem(tenant_id=tenant.tenant_id, id=new_id(), kind=data["kind"], key=data["key"],
                                 mandatory=bool(data.get("mandatory")), disabled=bool(data.get("disabled")),
                                 position=int(data.get("position") or 0), body=data.get("body") or {},
                                 updated_at=utcnow(), updated_by=acting.actor.label))
    return await _new_version(session, acting, tenant, list(earlier.items), why, number)


async def _new_version(session: AsyncSession, acting: Acting, tenant: Tenant, items: list[dict[str, Any]],
                       reason: str, rollback_of: int | None) -> DispatchVersion:
    await repo.lock_tenant_versions(session, tenant.tenant_id)
    number = await repo.last_number(session, acting.scope, tenant.tenant_id) + 1
    row = DispatchVersion(tenant_id=tenant.tenant_id, id=new_id(), number=number, tenant_code=tenant.code,
                          tenant_name=tenant.name, items=items, reason=reason, rollback_of=rollback_of,
                          published_by=acting.actor.label, published_by_user=acting.actor.user_id,
                          created_at=utcnow())
    session.add(row)
    await session.flush()
    audit.record(session, tenant.tenant_id, acting.actor,
                 "dispatch.rolled_back" if rollback_of else "dispatch.published", ("dispatch_version", row.id),
                 after={"number": number, "items": len(items), "rollback_of": rollback_of, "reason": reason})
    return row


async def versions(session: AsyncSession, acting: Acting, tenant_code: str | None
                   ) -> tuple[Tenant, list[DispatchVersion]]:
    tenant = await readable_tenant(session, acting, tenant_code)
    return tenant, await repo.versions_of(session, acting.scope, tenant.tenant_id)


async def view(session: AsyncSession, acting: Acting, tenant_code: str | None, draft: bool) -> Effective:
    tenant = await readable_tenant(session, acting, tenant_code)
    if draft:
        acting.require(tenant.tenant_id, tenant.ancestors, ADMINS)
    return await effective(session, acting.scope, tenant, draft=draft)


# --- settings --------------------------------------------------------------------------------------

# Below an even chance the top unit is not even the likelier of two: the classifier never dispatches so.
MIN_THRESHOLD = 0.5


async def settings(session: AsyncSession, acting: Acting, tenant_code: str | None
                   ) -> tuple[Tenant, DispatchSettings | None]:
    tenant = await readable_tenant(session, acting, tenant_code)
    return tenant, await repo.settings_of(session, acting.scope, tenant.tenant_id)


async def set_classifier_threshold(session: AsyncSession, acting: Acting, tenant_code: str | None,
                                   threshold: float | None, reason: str) -> tuple[Tenant, DispatchSettings]:
    """Let the classifier dispatch by itself when its top unit is at least `threshold` probable (None: never)."""
    tenant = await admin_tenant(session, acting, tenant_code)
    v = Validator()
    why = _reason(v, reason)
    if threshold is not None:
        v.check(MIN_THRESHOLD <= threshold <= 1.0, ("threshold",),
                f"a probability from {MIN_THRESHOLD} to 1, or null to keep the classifier to suggestions",
                "out_of_range")
    v.raise_if_any()
    row = await repo.settings_of(session, acting.scope, tenant.tenant_id)
    before = {"classifier_threshold": row.classifier_threshold} if row else None
    if row is None:
        row = DispatchSettings(tenant_id=tenant.tenant_id, id=new_id())
        session.add(row)
    row.classifier_threshold, row.updated_at = threshold, utcnow()
    await session.flush()
    audit.record(session, tenant.tenant_id, acting.actor, "dispatch_settings.set", ("dispatch_settings", row.id),
                 before=before, after={"classifier_threshold": threshold, "reason": why})
    return tenant, row


def raise_if(v: Validator) -> None:
    if v.errors:
        raise DomainError(list(v.errors))


config_cache.watch(DispatchVersion)
