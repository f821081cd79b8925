"""Knowledge sweeps and jobs: usage folded into the owners' totals (unhelpful feedback becomes a notice),
and expiry reminders through the outbox.

Both sweeps run on the system role (a named cross-tenant path: the owner of an article used in another
tenant, or in another province of the alliance, is not in the user's scope). The reminder itself is a job
in the owner's tenant, idempotent on the outbox id and on the notice's unique key.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from typing import Any

import structlog
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel import jobs, outbox, runtime, scheduler
from hotline.kernel.ids import new_id
from hotline.kernel.models import utcnow
from hotline.knowledge import enterprise
from hotline.knowledge import repository as repo
from hotline.knowledge.models import Notice, NoticeKind, UsageKind

log = structlog.get_logger(__name__)
EXPIRY_ACTOR = "knowledge.expiry_reminder"
REMIND_BEFORE = dt.timedelta(days=14)


def _notice(tenant_id: uuid.UUID, article_id: uuid.UUID, kind: str, key: str, message: str) -> Any:
    return insert(Notice).values(tenant_id=tenant_id, id=new_id(), article_id=article_id, kind=kind, key=key,
                                 message=message).on_conflict_do_nothing(
        index_elements=["tenant_id", "article_id", "kind", "key"])


async def fold_usage(session: AsyncSession, limit: int = 1000) -> int:
    """Add unreported uses to their articles' totals; unhelpful feedback becomes a notice to the owner."""
    usages = await repo.system_unreported_usages(session, limit)
    totals: dict[tuple[uuid.UUID, uuid.UUID], list[int]] = defaultdict(lambda: [0, 0, 0])
    for u in usages:
        slot = {UsageKind.DIRECT_ANSWER: 0, UsageKind.HELPFUL: 1, UsageKind.UNHELPFUL: 2}[UsageKind(u.kind)]
        totals[(u.article_tenant_id, u.article_id)][slot] += 1
        if u.kind == UsageKind.UNHELPFUL:
            await session.execute(_notice(u.article_tenant_id, u.article_id, NoticeKind.UNHELPFUL, str(u.id),
                                          f"found unhelpful: {u.comment or ''}".strip()))
    for (tenant_id, article_id), (direct, helpful, unhelpful) in totals.items():
        await repo.system_add_totals(session, tenant_id, article_id, direct, helpful, unhelpful)
    await repo.system_mark_reported(session, usages, utcnow())
    return len(usages)


async def remind_expiring(session: AsyncSession, today: dt.date, limit: int = 500) -> int:
    """Enqueue one reminder per article and expiry date, in the owner's tenant."""
    articles = await repo.system_expiring(session, today + REMIND_BEFORE, limit)
    for article in articles:
        outbox.enqueue(session, article.tenant_id, EXPIRY_ACTOR,
                       {"article_id": str(article.id), "expires_on": article.expires_on.isoformat()
                        if article.expires_on else None})
        await repo.system_mark_reminded(session, article)
    return len(articles)


@scheduler.periodic("knowledge.usage_and_expiry", every_seconds=300)
async def sweep() -> None:
    async with runtime.database().system_transaction() as session:
        folded = await fold_usage(session)
        reminded = await remind_expiring(session, utcnow().date())
        escalated = await enterprise.escalate_overdue(session, utcnow())
    if folded or reminded or escalated:
        log.info("knowledge.swept", folded=folded, reminded=reminded, escalated=escalated)


@jobs.job(EXPIRY_ACTOR)
async def expiry_reminder(session: AsyncSession, tenant_id: uuid.UUID, payload: dict[str, Any]) -> None:
    expires_on = payload.get("expires_on")
    if not expires_on:
        return
    day = dt.date.fromisoformat(expires_on)
    kind = NoticeKind.EXPIRED if day < utcnow().date() else NoticeKind.EXPIRING
    message = f"{'expired' if kind == NoticeKind.EXPIRED else 'expires'} on {day.isoformat()}: review or retire it"
    await session.execute(_notice(tenant_id, uuid.UUID(payload["article_id"]), kind, day.isoformat(), message))
