"""The tenant scope of one transaction: the one door through which queries see tenants.

A scope names the acting tenant and every tenant whose rows the transaction may touch (the acting
tenant's subtree). Repositories filter with it explicitly; PostgreSQL row-level security reads the
same list from `SET LOCAL hotline.scope` as the backstop. An empty scope sees nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class TenantScope:
    acting_tenant_id: uuid.UUID
    tenant_ids: frozenset[uuid.UUID]
    # Read-only reach beyond the subtree, for inherited configuration and shared knowledge only
    # (tables created with `rls.inherited_table_sql` / `rls.shared_table_sql`).
    ancestor_ids: tuple[uuid.UUID, ...] = ()  # root first
    alliance_codes: frozenset[str] = frozenset()

    @classmethod
    def single(cls, tenant_id: uuid.UUID) -> TenantScope:
        return cls(tenant_id, frozenset({tenant_id}))

    def widened(self, extra: Iterable[uuid.UUID]) -> TenantScope:
        return replace(self, tenant_ids=self.tenant_ids | frozenset(extra))

    def acting(self, model: Any) -> ColumnElement[bool]:
        """Rows of the acting tenant only (the usual case)."""
        column: ColumnElement[uuid.UUID] = model.tenant_id
        return column == self.acting_tenant_id

    def visible(self, model: Any) -> ColumnElement[bool]:
        """Rows of any tenant in the scope (a province admin reading its subtree)."""
        column: ColumnElement[uuid.UUID] = model.tenant_id
        return column.in_(sorted(self.tenant_ids))

    def contains(self, tenant_id: uuid.UUID) -> bool:
        return tenant_id in self.tenant_ids

    def inherited(self, model: Any) -> ColumnElement[bool]:
        """Rows of the scope and of the acting tenant's ancestors (configuration flowing down the tree)."""
        column: ColumnElement[uuid.UUID] = model.tenant_id
        return column.in_(sorted(self.tenant_ids | frozenset(self.ancestor_ids)))


async def apply_scope(session: AsyncSession, scope: TenantScope) -> None:
    """Set the row-level-security scope for the current transaction only (`SET LOCAL`).

    Goes through the plpgsql helper so the ids travel as a bound parameter; Citus forwards
    `SET LOCAL` to its workers, which it would not do for a bare `set_config()`.
    """
    from hotline.kernel.database import driver_connection  # (database imports this module)

    connection = await driver_connection(session)  # the driver's own statement: it opens every transaction
    await connection.execute(
        "SELECT hotline_set_scope(%(ids)s::uuid[], %(ancestors)s::uuid[], %(alliances)s::text[])",
        _scope_parameters(scope))


@lru_cache(maxsize=4096)
def _scope_parameters(scope: TenantScope) -> dict[str, list[str]]:
    return {"ids": [str(t) for t in sorted(scope.tenant_ids)], "ancestors": [str(t) for t in scope.ancestor_ids],
            "alliances": sorted(scope.alliance_codes)}
