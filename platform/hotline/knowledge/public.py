"""A public read-only view of published public articles: `GET /api/public/knowledge/articles?q=&offset=`
and `GET /api/public/knowledge/articles/{id}`. No account, no scope: the transaction runs on the
application role with an empty scope, so row-level security itself shows only 'public' rows."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Response, get
from litestar.params import FromPath, FromQuery

from hotline.kernel import runtime
from hotline.kernel.scope import TenantScope
from hotline.knowledge import repository as repo
from hotline.knowledge import search as seg
from hotline.knowledge.models import Article

NOBODY = TenantScope(uuid.UUID(int=0), frozenset())
PAGE = 20


def _public(a: Article, full: bool) -> dict[str, Any]:
    data: dict[str, Any] = {"id": str(a.id), "kind": a.kind, "title": a.title, "question": a.question,
                            "categoryCodes": list(a.category_codes), "tags": list(a.tags),
                            "effectiveFrom": a.effective_from.isoformat() if a.effective_from else None,
                            "expiresOn": a.expires_on.isoformat() if a.expires_on else None,
                            "publishedAt": a.published_at.isoformat() if a.published_at else None}
    if full:
        data.update(body=a.body, sourceDocument=a.source_document,
                    attachments=[{"name": x["name"], "url": x.get("url")} for x in a.attachments])
    return data


class PublicKnowledgeController(Controller):
    path = "/api/public/knowledge"

    @get("/articles")
    async def list_articles(self, q: FromQuery[str | None] = None, offset: FromQuery[int] = 0) -> dict[str, Any]:
        async with runtime.database().transaction(NOBODY) as session:
            if q and q.strip():
                query = seg.build_query(q)
                rows = [a for a, _ in await repo.search(
                    session, NOBODY, query.strict or "", hide_for=[], kinds=None, categories=None, place=None,
                    on_day=None, limit=PAGE)] if query.strict else []
            else:
                rows = list(await repo.public_articles(session, PAGE, max(0, offset)))
            return {"items": [_public(a, False) for a in rows]}

    @get("/articles/{article_id:uuid}")
    async def article(self, article_id: FromPath[uuid.UUID]) -> Response[dict[str, Any]]:
        async with runtime.database().transaction(NOBODY) as session:
            found = await repo.public_article(session, article_id)
            if found is None:
                return Response({"errors": [{"path": [], "message": "no such public article", "code": "not_found"}]},
                                status_code=404)
            return Response(_public(found, True))
