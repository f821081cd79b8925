"""Configuration that flows down the tenant tree: merging a chain of tenants' items into one effective set.

Each tenant of the chain (root first) brings the items of its version (published, or the draft being
edited or simulated). An item is known by (kind, key):

- a tenant *adds* an item of a new key;
- it *overrides* an inherited item by defining the same key (the nearest tenant's item is in force);
- it *disables* an inherited item with a disabled item of the same key;
- an item an ancestor made *mandatory* (a province admin's) cannot be overridden or disabled below it:
  such attempts are ignored here and refused when saved (`locks`).

Every effective item keeps the tenant it comes from and the tenants whose items it replaced.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Key = tuple[str, str]  # (kind, key)


@dataclass(frozen=True)
class Item:
    tenant_id: uuid.UUID
    kind: str
    key: str
    mandatory: bool
    disabled: bool
    position: int
    body: Mapping[str, Any]

    @property
    def ident(self) -> Key:
        return self.kind, self.key

    def snapshot(self) -> dict[str, Any]:
        return {"kind": self.kind, "key": self.key, "mandatory": self.mandatory, "disabled": self.disabled,
                "position": self.position, "body": dict(self.body)}

    @classmethod
    def of(cls, tenant_id: uuid.UUID, data: Mapping[str, Any]) -> Item:
        return cls(tenant_id, data["kind"], data["key"], bool(data.get("mandatory")), bool(data.get("disabled")),
                   int(data.get("position") or 0), data.get("body") or {})


@dataclass(frozen=True)
class Effective:
    item: Item
    replaces: tuple[uuid.UUID, ...] = ()  # tenants whose item of this key it overrides, nearest last
    locked: bool = False  # mandatory and set by an ancestor of the tenant: fixed for it


@dataclass(frozen=True)
class Ignored:
    item: Item
    reason: str  # locked | nothing_to_disable
    by: uuid.UUID | None = None  # the tenant whose mandatory item locked it


@dataclass
class Merged:
    tenant_id: uuid.UUID
    items: dict[Key, Effective] = field(default_factory=dict)
    disabled: dict[Key, tuple[Item, Item]] = field(default_factory=dict)  # (disabling item, disabled item)
    ignored: list[Ignored] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Effective]:
        return [e for (k, _), e in self.items.items() if k == kind]


def merge(tenant_id: uuid.UUID, chain: Sequence[uuid.UUID], items: Mapping[uuid.UUID, Iterable[Item]]) -> Merged:
    """`chain` root first, ending with `tenant_id`; `items` per tenant of the chain."""
    out = Merged(tenant_id)
    for owner in chain:
        for item in sorted(items.get(owner, ()), key=lambda i: (i.kind, i.key)):
            ident = item.ident
            current = out.items.get(ident)
            if current is not None and current.item.mandatory and current.item.tenant_id != owner:
                out.ignored.append(Ignored(item, "locked", current.item.tenant_id))
                continue
            if item.disabled:
                if current is None:
                    out.ignored.append(Ignored(item, "nothing_to_disable"))
                else:
                    del out.items[ident]
                    out.disabled[ident] = (item, current.item)
                continue
            out.disabled.pop(ident, None)
            replaces = (*current.replaces, current.item.tenant_id) if current else ()
            out.items[ident] = Effective(item, replaces)
    for ident, eff in out.items.items():
        if eff.item.mandatory and eff.item.tenant_id != tenant_id:
            out.items[ident] = Effective(eff.item, eff.replaces, locked=True)
    return out


def lock_on(merged_ancestors: Merged, ident: Key) -> Item | None:
    """The ancestor's mandatory item that fixes this key, if any (`merged_ancestors`: the parent's set)."""
    found = merged_ancestors.items.get(ident)
    return found.item if found is not None and found.item.mandatory else None
