"""A public read-only view of published public articles: `GET /api/public/knowledge/articles?q=&offset=`
and `GET /api/public/knowledge/articles/{id}`. No account, no scope: the transaction runs on the
application role with an empty scope, so row-level security itself shows only 'public' rows.

一企来 self-service: `GET /api/public/{line_code}/enterprises/{credit_code}/questions` with the header
`X-Enterprise-Key` (issued by the line's staff, `issueEnterpriseAccessKey`) shows that enterprise's own
questions and their progress. The line is found by code on the system role (like sign-in); the rest runs
on the application role scoped to the line alone. Rate-limited per client address like public intake."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Response, Router, get
from litestar.middleware.rate_limit import DurationUnit, RateLimitConfig
from litestar.params import FromPath, FromQuery, Parameter

from hotline.kernel import runtime
from hotline.kernel.scope import TenantScope
from hotline.knowledge import enterprise
from hotline.knowledge import repository as repo
from hotline.knowledge import search as seg
from hotline.knowledge.models import Article, EnterpriseQuestion, QuestionStatus
from hotline.tenancy import repository as tenancy_repo
from hotline.tenancy.models import TenantKind, TenantStatus
from hotline.workorders.public import rate_limit

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


STATUS_LABELS = {QuestionStatus.ASSIGNED: "政策专员办理中", QuestionStatus.UNROUTED: "待分派",
                 QuestionStatus.ANSWERED: "已答复", QuestionStatus.ESCALATED: "已转部门办理"}
NO_ENTERPRISE = {"errors": [{"path": [], "message": "no such enterprise for this key", "code": "not_found"}]}


def _progress(q: EnterpriseQuestion) -> dict[str, Any]:
    return {"id": str(q.id), "title": q.title, "policyDomain": q.policy_domain, "status": q.status,
            "label": STATUS_LABELS[QuestionStatus(q.status)], "askedAt": q.created_at.isoformat(),
            "dueAt": q.due_at.isoformat() if q.due_at else None, "answer": q.answer,
            "answeredAt": q.answered_at.isoformat() if q.answered_at else None, "escalatedTo": q.escalated_to}


class EnterpriseSelfService(Controller):
    path = "/api/public/{line_code:str}/enterprises"

    @get("/{credit_code:str}/questions")
    async def questions(self, line_code: FromPath[str], credit_code: FromPath[str],
                        key: Annotated[str, Parameter(header="X-Enterprise-Key")] = "") -> Response[dict[str, Any]]:
        async with runtime.database().system_transaction() as session:
            line = await tenancy_repo.system_tenant_by_code(session, line_code)
        if line is None or line.kind != TenantKind.ENTERPRISE_LINE or line.status != TenantStatus.ACTIVE:
            return Response(NO_ENTERPRISE, status_code=404)
        async with runtime.database().transaction(TenantScope.single(line.tenant_id)) as session:
            found = await enterprise.own_history(session, line.tenant_id, credit_code, key)
            if found is None:
                return Response(NO_ENTERPRISE, status_code=404)
            company, rows = found
            return Response({"creditCode": company.credit_code, "name": company.name,
                             "questions": [_progress(q) for q in rows]})


def enterprise_router(limit: tuple[DurationUnit, int] | None = None) -> Router:
    """The enterprise's own view behind the public rate limit (per client address)."""
    config = RateLimitConfig(rate_limit=limit or rate_limit(), store="enterprise_rate_limit")
    return Router(path="/", route_handlers=[EnterpriseSelfService], middleware=[config.middleware])


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
