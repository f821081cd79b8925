"""Jobs: actors registered by name, the broker, and the outbox relay.

An actor receives (outbox id, tenant id, payload). It opens its own transaction scoped to that tenant
only, records the outbox id as done in the same transaction as its effect, and skips a message whose
id is already done: redelivery after any crash never doubles an effect.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import dramatiq
import structlog
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware.asyncio import AsyncIO
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel import runtime
from hotline.kernel.models import utcnow
from hotline.kernel.outbox import OutboxMessage
from hotline.kernel.scheduler import sleep_unless_stopped
from hotline.kernel.scope import TenantScope

log = structlog.get_logger(__name__)
JobFn = Callable[[AsyncSession, uuid.UUID, dict[str, Any]], Awaitable[None]]
_jobs: dict[str, JobFn] = {}
QUEUE = "hotline"


def job(name: str) -> Callable[[JobFn], JobFn]:
    """Register an idempotent effect under a string name, e.g. "tenancy.provision_tenant"."""

    def register(fn: JobFn) -> JobFn:
        _jobs[name] = fn
        return fn

    return register


def make_broker(url: str, queue: str = QUEUE, max_retries: int = 20) -> dramatiq.Broker:
    """RabbitMQ for an AMQP URL; otherwise the in-process broker (single-process mode: the outbox
    already makes the work durable, so a lost in-memory queue is re-filled by the relay)."""
    broker: dramatiq.Broker
    if url.startswith(("amqp://", "amqps://")):
        from dramatiq.brokers.rabbitmq import RabbitmqBroker

        broker = RabbitmqBroker(url=url, confirm_delivery=True)
    else:
        broker = StubBroker()
    broker.add_middleware(AsyncIO())
    for name in _jobs:
        declare = dramatiq.actor(actor_name=name, queue_name=queue, broker=broker, max_retries=max_retries,
                                 min_backoff=500, max_backoff=60_000)
        declare(_runner(name))
    dramatiq.set_broker(broker)
    return broker


def _runner(name: str) -> Callable[[str, str, dict[str, Any]], Awaitable[None]]:
    async def run(outbox_id: str, tenant_id: str, payload: dict[str, Any]) -> None:
        await run_job(name, uuid.UUID(outbox_id), uuid.UUID(tenant_id), payload)

    run.__name__ = name.replace(".", "_")
    return run


async def run_job(name: str, outbox_id: uuid.UUID, tenant_id: uuid.UUID, payload: dict[str, Any]) -> bool:
    """Do the effect once for this outbox id; return False when it had already been done."""
    structlog.contextvars.bind_contextvars(tenant_id=str(tenant_id), job=name, outbox_id=str(outbox_id))
    db = runtime.database()
    async with db.transaction(TenantScope.single(tenant_id)) as session:
        claimed = await session.execute(
            text("INSERT INTO outbox_done (tenant_id, outbox_id) VALUES (:t, :o) "
                 "ON CONFLICT (tenant_id, outbox_id) DO NOTHING RETURNING outbox_id"),
            {"t": tenant_id, "o": outbox_id},
        )
        if claimed.first() is None:
            log.info("job.already_done")
            return False
        await _jobs[name](session, tenant_id, payload)
    log.info("job.done")
    return True


async def relay_once(
    broker: dramatiq.Broker, limit: int = 200, after_publish: Callable[[], None] | None = None
) -> int:
    """Publish committed outbox rows to the broker and mark them published (system role).

    If the process dies after publishing and before the commit, the rows are published again on the
    next pass; the actors' idempotence absorbs the duplicate.
    """
    db = runtime.database()
    async with db.system_transaction() as session:
        rows = (await session.scalars(
            select(OutboxMessage).where(OutboxMessage.published_at.is_(None))
            .order_by(OutboxMessage.created_at).limit(limit).with_for_update(skip_locked=True)
        )).all()
        for row in rows:
            queue = broker.get_actor(row.actor_name).queue_name
            message: dramatiq.Message[Any] = dramatiq.Message(queue_name=queue, actor_name=row.actor_name,
                                       args=(str(row.id), str(row.tenant_id), row.payload), kwargs={}, options={})
            broker.enqueue(message)
        if rows and after_publish is not None:
            after_publish()
        ids = [(r.tenant_id, r.id) for r in rows]
        for tenant_id, message_id in ids:
            await session.execute(
                update(OutboxMessage).where(OutboxMessage.tenant_id == tenant_id, OutboxMessage.id == message_id)
                .values(published_at=utcnow(), attempts=OutboxMessage.attempts + 1)
            )
    return len(rows)


async def relay_forever(broker: dramatiq.Broker, interval: float, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            published = await relay_once(broker)
        except Exception:  # keep relaying: the rows stay unpublished and are retried
            log.exception("relay.failed")
            published = 0
        if not published:
            await sleep_unless_stopped(stop, interval)
