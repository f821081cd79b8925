"""Queries of the knowledge base and the 一企来 line: the only place that builds them.

Shared articles are read with `shared_visible(scope)`, the same visibility as the RLS policy written out
explicitly (own subtree; ancestors' 'subtree'/'alliance' rows; rows shared with the chain's alliances;
'public' rows). Functions named `system_*` run on the system role (the usage and expiry sweeps).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, bindparam, cast, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer
from sqlalchemy.types import String

from hotline.kernel.scope import TenantScope
from hotline.knowledge.models import (
    Article,
    ArticleStatus,
    ArticleVersion,
    Enterprise,
    EnterpriseQuestion,
    Notice,
    Override,
    PolicyRoute,
    QuestionStatus,
    ShareScope,
    Specialist,
    Term,
    Usage,
)


def shared_visible(scope: TenantScope) -> ColumnElement[bool]:
    conditions: list[ColumnElement[bool]] = [Article.tenant_id.in_(sorted(scope.tenant_ids)),
                                             Article.share_scope == ShareScope.PUBLIC]
    if scope.ancestor_ids:
        conditions.append(and_(Article.share_scope.in_((ShareScope.SUBTREE, ShareScope.ALLIANCE)),
                               Article.tenant_id.in_(list(scope.ancestor_ids))))
    if scope.alliance_codes:
        conditions.append(and_(Article.share_scope == ShareScope.ALLIANCE,
                               Article.alliance_code.in_(sorted(scope.alliance_codes))))
    return or_(*conditions)


def vector(literal: str) -> ColumnElement[str]:
    return cast(bindparam("search_vector_literal", literal, type_=String, unique=True), TSVECTOR)


# --- articles ------------------------------------------------------------------------------------


async def visible_article(session: AsyncSession, scope: TenantScope, article_id: uuid.UUID) -> Article | None:
    query = select(Article).where(shared_visible(scope), Article.id == article_id)
    return (await session.scalars(query)).one_or_none()


async def visible_articles(session: AsyncSession, scope: TenantScope,
                           keys: Sequence[tuple[uuid.UUID, uuid.UUID]]) -> list[Article]:
    if not keys:
        return []
    tenants = sorted({t for t, _ in keys})
    ids = sorted({i for _, i in keys})
    # The vectors are not shown: not reading them keeps their TOAST out of every search.
    query = (select(Article).options(defer(Article.search_vector), defer(Article.title_vector))
             .where(shared_visible(scope), Article.tenant_id.in_(tenants), Article.id.in_(ids)))
    return list((await session.scalars(query)).all())


async def writable_article(session: AsyncSession, scope: TenantScope, article_id: uuid.UUID,
                           for_update: bool = True) -> Article | None:
    """An article of the scope's subtree (where this transaction may write)."""
    query = select(Article).where(scope.visible(Article), Article.id == article_id)
    if for_update:
        query = query.with_for_update()
    return (await session.scalars(query)).one_or_none()


async def articles_of(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, status: str | None,
                      limit: int, offset: int = 0) -> Sequence[Article]:
    query = select(Article).where(scope.visible(Article), Article.tenant_id == tenant_id)
    if status:
        query = query.where(Article.status == status)
    query = query.order_by(Article.updated_at.desc(), Article.id).limit(limit).offset(offset)
    return (await session.scalars(query)).all()


async def set_vector(session: AsyncSession, article: Article, literal: str, title_literal: str) -> None:
    await session.execute(update(Article).where(Article.tenant_id == article.tenant_id, Article.id == article.id)
                          .values(search_vector=vector(literal), title_vector=vector(title_literal)))


async def versions_of(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID,
                      article_id: uuid.UUID) -> Sequence[ArticleVersion]:
    query = (select(ArticleVersion).where(scope.visible(ArticleVersion), ArticleVersion.tenant_id == tenant_id,
                                          ArticleVersion.article_id == article_id)
             .order_by(ArticleVersion.version))
    return (await session.scalars(query)).all()


async def latest_version(session: AsyncSession, scope: TenantScope, article: Article) -> ArticleVersion:
    query = (select(ArticleVersion).where(scope.visible(ArticleVersion), ArticleVersion.tenant_id == article.tenant_id,
                                          ArticleVersion.article_id == article.id,
                                          ArticleVersion.version == article.latest_version).with_for_update())
    return (await session.scalars(query)).one()


async def published_versions(session: AsyncSession, scope: TenantScope, article: Article) -> Sequence[ArticleVersion]:
    query = select(ArticleVersion).where(
        scope.visible(ArticleVersion), ArticleVersion.tenant_id == article.tenant_id,
        ArticleVersion.article_id == article.id, ArticleVersion.status == "published")
    return (await session.scalars(query)).all()


async def category_codes(session: AsyncSession) -> set[str]:
    from hotline.workorders.models import Category

    return set((await session.scalars(select(Category.code))).all())


# --- search --------------------------------------------------------------------------------------


async def search(session: AsyncSession, scope: TenantScope, tsquery: str, *, rank_by: str | None = None,
                 title: str | None = None, hide_for: Sequence[uuid.UUID],
                 kinds: Sequence[str] | None, categories: Sequence[str] | None, place: str | None,
                 on_day: dt.date | None, limit: int) -> list[tuple[Article, float]]:
    """Published articles matching a tsquery literal, best first by `rank_by` (default: the same query);
    those whose title matches `title` (default: `rank_by`, else the query) come first.

    The index search runs in `knowledge_search(...)` (see the knowledge migration and docs/knowledge.md);
    the rows are then read here under the caller's RLS and the explicit shared visibility.
    """
    found = (await session.execute(
        text("SELECT tenant_id, id, rank FROM knowledge_search(CAST(:q AS tsquery), CAST(:r AS tsquery), :reader, "
             "CAST(:hide AS uuid[]), CAST(:kinds AS text[]), CAST(:cats AS text[]), :place, :day, :lim, "
             "CAST(:t AS tsquery))"),
        {"q": tsquery, "r": rank_by, "t": title, "reader": scope.acting_tenant_id, "hide": [str(i) for i in hide_for],
         "kinds": list(kinds) if kinds else None,
         "cats": [f"{c}%" for c in categories] if categories else None,
         "place": place, "day": on_day, "lim": limit},
    )).all()
    if not found:
        return []
    rank = {(r.tenant_id, r.id): float(r.rank) for r in found}
    rows = await visible_articles(session, scope, list(rank))
    by_key = {(a.tenant_id, a.id): a for a in rows}
    return [(by_key[k], rank[k]) for k in rank if k in by_key]


# --- overrides (local supplements, hides) --------------------------------------------------------


async def overrides_for(session: AsyncSession, scope: TenantScope, tenant_ids: Sequence[uuid.UUID],
                        article_ids: Sequence[uuid.UUID]) -> Sequence[Override]:
    """Overrides written by the given tenants (the reader and its ancestors) on these articles."""
    if not article_ids or not tenant_ids:
        return []
    query = select(Override).where(scope.inherited(Override), Override.tenant_id.in_(list(tenant_ids)),
                                   Override.article_id.in_(list(article_ids)))
    return (await session.scalars(query)).all()


async def override_of(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID,
                      article: Article) -> Override | None:
    query = select(Override).where(scope.visible(Override), Override.tenant_id == tenant_id,
                                   Override.article_tenant_id == article.tenant_id, Override.article_id == article.id)
    return (await session.scalars(query.with_for_update())).one_or_none()


# --- dictionaries --------------------------------------------------------------------------------


async def terms_for(session: AsyncSession, scope: TenantScope, tenant_ids: Sequence[uuid.UUID]) -> Sequence[Term]:
    query = select(Term).where(scope.inherited(Term), Term.tenant_id.in_(list(tenant_ids))).order_by(Term.term)
    return (await session.scalars(query)).all()


async def term_of(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, term: str) -> Term | None:
    query = select(Term).where(scope.visible(Term), Term.tenant_id == tenant_id, Term.term == term)
    return (await session.scalars(query)).one_or_none()


# --- usage and notices ---------------------------------------------------------------------------


async def usage_counts(session: AsyncSession, scope: TenantScope,
                       article_ids: Sequence[uuid.UUID]) -> dict[tuple[uuid.UUID, str], int]:
    """Uses recorded in the scope (the acting tenant's subtree), per article and kind."""
    if not article_ids:
        return {}
    query = (select(Usage.article_id, Usage.kind, func.count()).where(scope.visible(Usage),
                                                                      Usage.article_id.in_(list(article_ids)))
             .group_by(Usage.article_id, Usage.kind))
    return {(a, k): n for a, k, n in (await session.execute(query)).all()}


async def usage_exists(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, order_id: uuid.UUID,
                       article_id: uuid.UUID, kind: str) -> bool:
    query = select(Usage.id).where(scope.visible(Usage), Usage.tenant_id == tenant_id, Usage.order_id == order_id,
                                   Usage.article_id == article_id, Usage.kind == kind)
    return (await session.scalars(query)).first() is not None


async def notices_of(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, unread_only: bool,
                     limit: int) -> Sequence[Notice]:
    query = select(Notice).where(scope.visible(Notice), Notice.tenant_id == tenant_id)
    if unread_only:
        query = query.where(Notice.read_at.is_(None))
    return (await session.scalars(query.order_by(Notice.created_at.desc()).limit(limit))).all()


async def notices_by_ids(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID,
                         ids: Sequence[uuid.UUID]) -> Sequence[Notice]:
    query = select(Notice).where(scope.visible(Notice), Notice.tenant_id == tenant_id, Notice.id.in_(list(ids)))
    return (await session.scalars(query.with_for_update())).all()


async def system_unreported_usages(session: AsyncSession, limit: int) -> Sequence[Usage]:
    query = (select(Usage).where(Usage.reported_at.is_(None)).order_by(Usage.created_at).limit(limit)
             .with_for_update(skip_locked=True))
    return (await session.scalars(query)).all()


async def system_mark_reported(session: AsyncSession, usages: Sequence[Usage], now: dt.datetime) -> None:
    for u in usages:
        await session.execute(update(Usage).where(Usage.tenant_id == u.tenant_id, Usage.id == u.id)
                              .values(reported_at=now))


async def system_add_totals(session: AsyncSession, tenant_id: uuid.UUID, article_id: uuid.UUID,
                            direct: int, helpful: int, unhelpful: int) -> None:
    await session.execute(
        update(Article).where(Article.tenant_id == tenant_id, Article.id == article_id).values(
            direct_answer_total=Article.direct_answer_total + direct, helpful_total=Article.helpful_total + helpful,
            unhelpful_total=Article.unhelpful_total + unhelpful))


async def system_expiring(session: AsyncSession, until: dt.date, limit: int) -> Sequence[Article]:
    """Published articles expiring on or before `until` whose owner was not yet told about that expiry."""
    query = (select(Article).where(Article.status == ArticleStatus.PUBLISHED, Article.expires_on <= until,
                                   or_(Article.expiry_reminded_for.is_(None),
                                       Article.expiry_reminded_for != Article.expires_on))
             .order_by(Article.expires_on).limit(limit).with_for_update(skip_locked=True))
    return (await session.scalars(query)).all()


async def system_overdue_questions(session: AsyncSession, now: dt.datetime, limit: int
                                  ) -> Sequence[EnterpriseQuestion]:
    """Questions still waiting for their specialist past their deadline (every line; the sweep's path)."""
    query = (select(EnterpriseQuestion).where(EnterpriseQuestion.status == QuestionStatus.ASSIGNED,
                                              EnterpriseQuestion.due_at < now)
             .order_by(EnterpriseQuestion.due_at).limit(limit).with_for_update(skip_locked=True))
    return (await session.scalars(query)).all()


async def system_mark_reminded(session: AsyncSession, article: Article) -> None:
    await session.execute(update(Article).where(Article.tenant_id == article.tenant_id, Article.id == article.id)
                          .values(expiry_reminded_for=article.expires_on))


async def public_articles(session: AsyncSession, limit: int, offset: int) -> Sequence[Article]:
    """Published public articles (read with an empty scope: RLS shows public rows only)."""
    query = (select(Article).where(Article.share_scope == ShareScope.PUBLIC, Article.status == ArticleStatus.PUBLISHED)
             .order_by(Article.published_at.desc(), Article.id).limit(limit).offset(offset))
    return (await session.scalars(query)).all()


async def public_article(session: AsyncSession, article_id: uuid.UUID) -> Article | None:
    query = select(Article).where(Article.share_scope == ShareScope.PUBLIC,
                                  Article.status == ArticleStatus.PUBLISHED, Article.id == article_id)
    return (await session.scalars(query)).one_or_none()


# --- 一企来 ----------------------------------------------------------------------------------------


async def enterprise_by_code(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID,
                             credit_code: str) -> Enterprise | None:
    query = select(Enterprise).where(scope.visible(Enterprise), Enterprise.tenant_id == tenant_id,
                                     Enterprise.credit_code == credit_code)
    return (await session.scalars(query)).one_or_none()


async def enterprises_by_ids(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID,
                             ids: Sequence[uuid.UUID]) -> Sequence[Enterprise]:
    query = select(Enterprise).where(scope.visible(Enterprise), Enterprise.tenant_id == tenant_id,
                                     Enterprise.id.in_(list(ids)))
    return (await session.scalars(query)).all()


async def specialists_of(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID) -> Sequence[Specialist]:
    query = (select(Specialist).where(scope.visible(Specialist), Specialist.tenant_id == tenant_id)
             .order_by(Specialist.display_name))
    return (await session.scalars(query)).all()


async def specialist_of_user(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID,
                             user_id: uuid.UUID) -> Specialist | None:
    query = select(Specialist).where(scope.visible(Specialist), Specialist.tenant_id == tenant_id,
                                     Specialist.user_id == user_id)
    return (await session.scalars(query)).one_or_none()


async def route_for(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, domain: str) -> PolicyRoute | None:
    query = select(PolicyRoute).where(scope.visible(PolicyRoute), PolicyRoute.tenant_id == tenant_id,
                                      PolicyRoute.policy_domain == domain)
    return (await session.scalars(query)).one_or_none()


async def routes_of(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID) -> Sequence[PolicyRoute]:
    query = (select(PolicyRoute).where(scope.visible(PolicyRoute), PolicyRoute.tenant_id == tenant_id)
             .order_by(PolicyRoute.policy_domain))
    return (await session.scalars(query)).all()


async def least_loaded_specialist(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, domain: str,
                                  department: str | None) -> Specialist | None:
    """An active specialist with the domain (of the route's department when one is named), fewest open first."""
    open_count = (select(func.count()).where(EnterpriseQuestion.tenant_id == Specialist.tenant_id,
                                             EnterpriseQuestion.specialist_id == Specialist.id,
                                             EnterpriseQuestion.status == "assigned")
                  .correlate(Specialist).scalar_subquery())
    query = select(Specialist).where(scope.visible(Specialist), Specialist.tenant_id == tenant_id, Specialist.active,
                                     Specialist.policy_domains.contains(cast([domain], ARRAY(String))))
    if department:
        query = query.where(Specialist.department == department)
    query = query.order_by(open_count, Specialist.created_at).limit(1)
    return (await session.scalars(query)).first()


async def question(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID,
                   question_id: uuid.UUID) -> EnterpriseQuestion | None:
    query = select(EnterpriseQuestion).where(scope.visible(EnterpriseQuestion),
                                             EnterpriseQuestion.tenant_id == tenant_id,
                                             EnterpriseQuestion.id == question_id).with_for_update()
    return (await session.scalars(query)).one_or_none()


async def questions(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID, *,
                    enterprise_id: uuid.UUID | None = None, specialist_id: uuid.UUID | None = None,
                    status: str | None = None, limit: int = 100) -> Sequence[EnterpriseQuestion]:
    query = select(EnterpriseQuestion).where(scope.visible(EnterpriseQuestion),
                                             EnterpriseQuestion.tenant_id == tenant_id)
    if enterprise_id is not None:
        query = query.where(EnterpriseQuestion.enterprise_id == enterprise_id)
    if specialist_id is not None:
        query = query.where(EnterpriseQuestion.specialist_id == specialist_id)
    if status is not None:
        query = query.where(EnterpriseQuestion.status == status)
    return (await session.scalars(query.order_by(EnterpriseQuestion.created_at.desc()).limit(limit))).all()


async def question_counts(session: AsyncSession, scope: TenantScope, start: dt.datetime,
                          end: dt.datetime) -> dict[str, int]:
    query = (select(EnterpriseQuestion.status, func.count()).where(
        scope.visible(EnterpriseQuestion), EnterpriseQuestion.created_at >= start, EnterpriseQuestion.created_at < end)
        .group_by(EnterpriseQuestion.status))
    return {s: n for s, n in (await session.execute(query)).all()}


async def order_counts_by_requester(session: AsyncSession, scope: TenantScope, start: dt.datetime,
                                    end: dt.datetime) -> tuple[int, int]:
    """Work orders of the scope in the period: (from enterprises, from citizens)."""
    from hotline.workorders.models import WorkOrder

    is_enterprise = or_(WorkOrder.enterprise_credit_code.is_not(None), WorkOrder.enterprise_name.is_not(None))
    query = select(func.count().filter(is_enterprise), func.count().filter(~is_enterprise)).where(
        scope.visible(WorkOrder), WorkOrder.created_at >= start, WorkOrder.created_at < end)
    enterprise, citizen = (await session.execute(query)).one()
    return int(enterprise), int(citizen)
