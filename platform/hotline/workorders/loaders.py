"""Per-request dataloaders of the work-order domain (one query per kind of thing per page)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from hotline.kernel.scope import TenantScope
from hotline.tenancy.models import Unit
from hotline.workorders import handling_repository as hrepo
from hotline.workorders import repository as repo
from hotline.workorders.handling_models import HandlingRecord, HandlingRequest
from hotline.workorders.models import Assignment, Callback, Category, WorkOrder, WorkOrderEvent, WorkOrderLink

Key = repo.Key
T = TypeVar("T")


def _grouped(fetch: Callable[[Sequence[Key]], Coroutine[Any, Any, Sequence[T]]],
             key_of: Callable[[T], list[Key]]) -> DataLoader[Key, list[T]]:
    async def load(keys: Sequence[Key]) -> list[list[T]]:
        grouped: dict[Key, list[T]] = defaultdict(list)
        for row in await fetch(keys):
            for key in key_of(row):
                grouped[key].append(row)
        return [grouped[k] for k in keys]

    return DataLoader(load)


class WorkOrderLoaders:
    def __init__(self, session: AsyncSession, scope: TenantScope) -> None:
        self.session, self.scope = session, scope
        self.order: DataLoader[Key, WorkOrder | None] = DataLoader(self._orders)
        self.unit: DataLoader[Key, Unit | None] = DataLoader(self._units)
        self.category: DataLoader[str, Category | None] = DataLoader(self._categories)
        self.assignments: DataLoader[Key, list[Assignment]] = _grouped(
            lambda keys: repo.assignments_of(session, scope, keys), lambda a: [(a.tenant_id, a.order_id)])
        self.events: DataLoader[Key, list[WorkOrderEvent]] = _grouped(
            lambda keys: repo.events_of(session, scope, keys), lambda e: [(e.tenant_id, e.order_id)])
        self.callbacks: DataLoader[Key, list[Callback]] = _grouped(
            lambda keys: repo.callbacks_of(session, scope, keys), lambda c: [(c.tenant_id, c.order_id)])
        self.links: DataLoader[Key, list[WorkOrderLink]] = _grouped(
            lambda keys: repo.links_of(session, scope, keys),
            lambda k: [(k.tenant_id, k.order_id), (k.tenant_id, k.other_id)])
        # Notes, contacts and requests by order (the assignment's fields pick their own).
        self.handling_records: DataLoader[Key, list[HandlingRecord]] = _grouped(
            lambda keys: hrepo.records_of(session, scope, keys), lambda r: [(r.tenant_id, r.order_id)])
        self.handling_requests: DataLoader[Key, list[HandlingRequest]] = _grouped(
            lambda keys: hrepo.requests_of(session, scope, keys), lambda r: [(r.tenant_id, r.order_id)])

    async def _orders(self, keys: Sequence[Key]) -> list[WorkOrder | None]:
        found = {(o.tenant_id, o.id): o for o in await repo.orders_by_keys(self.session, self.scope, keys)}
        return [found.get(k) for k in keys]

    async def _units(self, keys: Sequence[Key]) -> list[Unit | None]:
        found = {(u.tenant_id, u.id): u for u in await repo.units_by_keys(self.session, self.scope, keys)}
        return [found.get(k) for k in keys]

    async def _categories(self, codes: Sequence[str]) -> list[Category | None]:
        found = {c.code: c for c in await repo.categories_by_codes(self.session, codes)}
        return [found.get(c) for c in codes]
