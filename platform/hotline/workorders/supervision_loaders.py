"""Per-request dataloaders of supervision: the notices of a page of orders in one query."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from hotline.kernel.scope import TenantScope
from hotline.workorders import supervision_repository as srepo
from hotline.workorders.supervision_models import SupervisionNotice

Key = tuple[uuid.UUID, uuid.UUID]


class SupervisionLoaders:
    def __init__(self, session: AsyncSession, scope: TenantScope) -> None:
        async def load(keys: Sequence[Key]) -> list[list[SupervisionNotice]]:
            grouped: dict[Key, list[SupervisionNotice]] = defaultdict(list)
            for n in await srepo.notices_of(session, scope, keys):
                grouped[(n.tenant_id, n.order_id)].append(n)
            return [grouped[k] for k in keys]

        self.of_order: DataLoader[Key, list[SupervisionNotice]] = DataLoader(load)
