"""Jobs of the dispatch domain: retraining each tenant's classifier, nightly and after an import."""

from __future__ import annotations

import uuid
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.dispatch import classifier
from hotline.dispatch import repository as repo
from hotline.kernel import runtime
from hotline.kernel.errors import DomainError
from hotline.kernel.jobs import job
from hotline.kernel.scheduler import periodic
from hotline.kernel.scope import TenantScope

log = structlog.get_logger(__name__)
TRAIN_ACTOR = "dispatch.train_classifier"
RETRAIN_EVERY_SECONDS = 24 * 3600


@job(TRAIN_ACTOR)
async def train_classifier(session: AsyncSession, tenant_id: uuid.UUID, payload: dict[str, Any]) -> None:
    try:
        row = await classifier.train(session, TenantScope.single(tenant_id), tenant_id,
                                     str(payload.get("trigger", "on_demand")))
    except DomainError as error:
        log.info("dispatch.train_skipped", reason=str(error))
        return
    log.info("dispatch.trained", samples=row.samples, category_accuracy=row.category_accuracy)


@periodic("dispatch.retrain_classifiers", RETRAIN_EVERY_SECONDS)
async def retrain_classifiers() -> int:
    """Retrain every tenant with completed orders or imported history, one transaction per tenant."""
    db = runtime.database()
    async with db.system_transaction() as session:
        tenants = await repo.system_tenants_with_orders(session)
    trained = 0
    for tenant_id in tenants:
        try:
            async with db.transaction(TenantScope.single(tenant_id)) as session:
                await classifier.train(session, TenantScope.single(tenant_id), tenant_id, "scheduled")
                trained += 1
        except DomainError as error:
            log.info("dispatch.train_skipped", tenant_id=str(tenant_id), reason=str(error))
    return trained
