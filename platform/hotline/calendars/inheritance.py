"""Reading configuration that flows down the tenant tree (calendars, deadline policies).

A tenant's effective configuration merges its own rows with its ancestors'. The tenant itself is read
through the caller's scope (another tenant is "not found"); its `ancestors` column names the chain.
Ancestors inside the scope (a province admin reading a county) are read through the caller's session
like everything else. Ancestors *outside* the scope — a city admin's province, or any ancestor in a
job scoped to one tenant — are read with the system role in a short read-only transaction of their
own: a named cross-tenant path, limited to the ancestors of a tenant the caller may already see, to
configuration tables only, and never writing. The caller's own role is never widened for it (the
`hotline_app` scope stays exactly what the edge set), which is what ARCHITECTURE.md asks of every
deliberate cross-tenant read. Such rows are committed ones; a transaction can only have uncommitted
changes in tenants of its own scope, and those are read through its own session.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel import runtime
from hotline.kernel.errors import not_found
from hotline.kernel.scope import TenantScope
from hotline.tenancy import repository as tenancy_repo
from hotline.tenancy.models import Tenant

T = TypeVar("T")


@dataclass(frozen=True)
class TenantLabel:
    tenant_id: uuid.UUID
    code: str
    name: str


@dataclass(frozen=True)
class Chain:
    """A tenant and its ancestors, nearest first: (the tenant, its parent, …, the root)."""

    tenant: Tenant
    ids: tuple[uuid.UUID, ...]
    labels: dict[uuid.UUID, TenantLabel] = field(default_factory=dict)

    def depth(self, tenant_id: uuid.UUID | None) -> int:
        """0 for the tenant itself, 1 for its parent…; built-in defaults (None) come last."""
        return self.ids.index(tenant_id) if tenant_id in self.ids else len(self.ids)

    def label(self, tenant_id: uuid.UUID | None) -> TenantLabel | None:
        return None if tenant_id is None else self.labels.get(tenant_id)


async def chain_of(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, *,
                   path: tuple[str, ...] = ("tenantId",), with_labels: bool = False) -> Chain:
    """The tenant's chain; `not_found` at `path` when the tenant is not in the scope."""
    found = await tenancy_repo.tenants_by_ids(session, scope, [tenant_id])
    if not found:
        raise not_found(path, "tenant")
    tenant = found[0]
    chain = Chain(tenant, (tenant.tenant_id, *reversed(tenant.ancestors)))
    if with_labels:
        chain.labels.update(await _labels(session, scope, chain))
    return chain


ScopedLoad = Callable[[AsyncSession, TenantScope, Sequence[uuid.UUID]], Awaitable[T]]
SystemLoad = Callable[[AsyncSession, Sequence[uuid.UUID]], Awaitable[T]]


async def load(session: AsyncSession, scope: TenantScope, chain: Chain,
               scoped: ScopedLoad[T], system: SystemLoad[T]) -> list[T]:
    """Rows of every tenant of the chain: one batch through the scope, one through the system role.

    Each loader returns one result (a list or a bundle of lists) for the tenants it is given.
    """
    inside = [t for t in chain.ids if scope.contains(t)]
    outside = [t for t in chain.ids if not scope.contains(t)]
    results = [await scoped(session, scope, inside)] if inside else []
    if outside:
        async with runtime.database().system_transaction() as system_session:
            results.append(await system(system_session, outside))
    return results


async def _labels(session: AsyncSession, scope: TenantScope, chain: Chain) -> dict[uuid.UUID, TenantLabel]:
    inside = [t for t in chain.ids if scope.contains(t)]
    tenants = list(await tenancy_repo.tenants_by_ids(session, scope, inside))
    outside = [t for t in chain.ids if not scope.contains(t)]
    if outside:
        async with runtime.database().system_transaction() as system_session:
            for tenant_id in outside:
                tenant = await tenancy_repo.system_tenant(system_session, tenant_id)
                if tenant is not None:
                    tenants.append(tenant)
    return {t.tenant_id: TenantLabel(t.tenant_id, t.code, t.name) for t in tenants}
