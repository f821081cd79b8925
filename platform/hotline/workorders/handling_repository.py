"""Queries on handling records and requests. Every query filters by the given scope and tenant."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import ColumnElement, exists, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel.scope import TenantScope
from hotline.workorders.handling_models import HandlingRecord, HandlingRequest, RequestKind, RequestStatus
from hotline.workorders.models import WorkOrder

Key = tuple[uuid.UUID, uuid.UUID]  # (tenant_id, order id)


async def records_of(session: AsyncSession, scope: TenantScope, keys: Sequence[Key]) -> Sequence[HandlingRecord]:
    """Notes and contacts of several orders, oldest first."""
    tenants = sorted({k[0] for k in keys})
    query = (select(HandlingRecord).where(scope.visible(HandlingRecord), HandlingRecord.tenant_id.in_(tenants),
                                          HandlingRecord.order_id.in_([k[1] for k in keys]))
             .order_by(HandlingRecord.id))
    return (await session.scalars(query)).all()


async def requests_of(session: AsyncSession, scope: TenantScope, keys: Sequence[Key]) -> Sequence[HandlingRequest]:
    """Extension and suspension requests of several orders, oldest first."""
    tenants = sorted({k[0] for k in keys})
    query = (select(HandlingRequest).where(scope.visible(HandlingRequest), HandlingRequest.tenant_id.in_(tenants),
                                           HandlingRequest.order_id.in_([k[1] for k in keys]))
             .order_by(HandlingRequest.id))
    return (await session.scalars(query)).all()


async def request_by_id(session: AsyncSession, scope: TenantScope, request_id: uuid.UUID) -> HandlingRequest | None:
    query = select(HandlingRequest).where(scope.acting(HandlingRequest), HandlingRequest.id == request_id)
    return (await session.scalars(query)).one_or_none()


async def pending_of_assignment(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID,
                                assignment_id: uuid.UUID) -> Sequence[HandlingRequest]:
    query = select(HandlingRequest).where(
        scope.acting(HandlingRequest), HandlingRequest.tenant_id == tenant_id,
        HandlingRequest.assignment_id == assignment_id, HandlingRequest.status == RequestStatus.PENDING)
    return (await session.scalars(query)).all()


async def running_suspension(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID,
                             assignment_id: uuid.UUID) -> HandlingRequest | None:
    """The approved suspension of the assignment that has not been resumed yet."""
    query = (select(HandlingRequest).where(
        scope.acting(HandlingRequest), HandlingRequest.tenant_id == tenant_id,
        HandlingRequest.assignment_id == assignment_id, HandlingRequest.kind == RequestKind.SUSPENSION,
        HandlingRequest.status == RequestStatus.APPROVED, HandlingRequest.resumed_at.is_(None))
        .order_by(HandlingRequest.id.desc()).limit(1))
    return (await session.scalars(query)).one_or_none()


def pending_request_where(scope: TenantScope, tenant_id: uuid.UUID) -> ColumnElement[bool]:
    """Orders with an extension or suspension request awaiting the hotline (a queue condition)."""
    return exists(select(literal(1)).where(
        scope.acting(HandlingRequest), HandlingRequest.tenant_id == tenant_id,
        HandlingRequest.order_id == WorkOrder.id, HandlingRequest.status == RequestStatus.PENDING))
