"""Jobs of the evaluation domain: computing a period's assessment from the recorded facts."""

from __future__ import annotations

import uuid
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.evaluation import service
from hotline.kernel.context import Actor
from hotline.kernel.errors import DomainError
from hotline.kernel.jobs import job
from hotline.kernel.scope import TenantScope

log = structlog.get_logger(__name__)


@job(service.COMPUTE_ACTOR)
async def compute_assessment(session: AsyncSession, tenant_id: uuid.UUID, payload: dict[str, Any]) -> None:
    """Compute (or recompute) the period; a period published meanwhile is left alone, and said so."""
    actor = Actor.system(f"evaluation (requested by {payload.get('requested_by', 'the scheduler')})")
    try:
        async with session.begin_nested():
            await service.compute(session, TenantScope.single(tenant_id), tenant_id, payload["period"], actor)
    except DomainError as error:
        log.warning("evaluation.not_computed", period=payload["period"], reason=str(error))
