"""Business rules of the knowledge base: articles and their versions, sharing, local supplements and
hides, dictionaries, search, use on direct answers (直办) and feedback. Takes a session, never commits.

Owners edit (tenant and province admins; policy specialists on an enterprise line), reviewers publish
(tenant and province admins), everyone in scope reads what is published.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel import audit
from hotline.kernel.acting import Acting
from hotline.kernel.context import Role
from hotline.kernel.errors import DomainError, Validator, forbidden, not_found
from hotline.kernel.ids import new_id
from hotline.kernel.models import utcnow
from hotline.kernel.scope import TenantScope
from hotline.knowledge import repository as repo
from hotline.knowledge import search as seg
from hotline.knowledge.models import (
    Article,
    ArticleKind,
    ArticleStatus,
    ArticleVersion,
    Notice,
    Override,
    ShareScope,
    Term,
    TermKind,
    Usage,
    UsageKind,
    VersionStatus,
)
from hotline.tenancy import repository as tenancy_repo
from hotline.tenancy.models import Tenant, TenantKind
from hotline.workorders import access
from hotline.workorders import repository as workorders_repo
from hotline.workorders.models import OrderState

ADMINS = (Role.TENANT_ADMIN, Role.PROVINCE_ADMIN)
REVIEWERS = ADMINS
MAX_ATTACHMENTS = 20
MAX_RESULTS = 50


# --- content -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleAttachment:
    name: str
    content_type: str = "application/octet-stream"
    size: int = 0
    url: str | None = None


@dataclass(frozen=True)
class ArticleData:
    kind: ArticleKind
    title: str
    body: str
    question: str | None = None
    category_codes: Sequence[str] = ()
    tags: Sequence[str] = ()
    policy_domain: str | None = None
    division_code: str | None = None
    effective_from: dt.date | None = None
    expires_on: dt.date | None = None
    source_document: str | None = None
    attachments: Sequence[ArticleAttachment] = ()
    share_scope: ShareScope = ShareScope.OWN
    alliance_code: str | None = None
    # The responsible unit's code (责任单位): None keeps the current one (on a new article: the editor's own
    # unit, when the editor's grants name exactly one), "" leaves the article without a unit.
    owner_unit_code: str | None = None

    def content(self, owner_unit_id: uuid.UUID | None = None) -> dict[str, Any]:
        return {
            "kind": str(self.kind), "title": self.title.strip(), "body": self.body.strip(),
            "question": (self.question or "").strip() or None, "category_codes": list(self.category_codes),
            "tags": _clean_tags(self.tags), "policy_domain": (self.policy_domain or "").strip() or None,
            "division_code": self.division_code or None,
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
            "expires_on": self.expires_on.isoformat() if self.expires_on else None,
            "source_document": (self.source_document or "").strip() or None,
            "attachments": [{"name": a.name.strip(), "content_type": a.content_type, "size": a.size, "url": a.url}
                            for a in self.attachments],
            "share_scope": str(self.share_scope),
            "alliance_code": self.alliance_code if self.share_scope == ShareScope.ALLIANCE else None,
            "owner_unit_id": str(owner_unit_id) if owner_unit_id else None,
        }


def _clean_tags(tags: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(t.strip() for t in tags if t.strip()))


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _apply(article: Article, content: dict[str, Any]) -> None:
    article.kind = content["kind"]
    article.title = content["title"]
    article.body = content["body"]
    article.question = content["question"]
    article.category_codes = content["category_codes"]
    article.tags = content["tags"]
    article.policy_domain = content["policy_domain"]
    article.division_code = content["division_code"]
    article.effective_from = _date(content["effective_from"])
    article.expires_on = _date(content["expires_on"])
    article.source_document = content["source_document"]
    article.attachments = content["attachments"]
    article.share_scope = content["share_scope"]
    article.alliance_code = content["alliance_code"]
    article.owner_unit_id = _unit_id(content)


def _unit_id(content: dict[str, Any]) -> uuid.UUID | None:
    value = content.get("owner_unit_id")  # absent in versions written before the responsible unit existed
    return uuid.UUID(value) if value else None


def _snapshot(article: Article) -> dict[str, Any]:
    return {"status": article.status, "version": article.version, "title": article.title,
            "share_scope": article.share_scope, "alliance_code": article.alliance_code,
            "owner_unit_id": str(article.owner_unit_id) if article.owner_unit_id else None}


async def validate(session: AsyncSession, acting: Acting, owner: Tenant, data: ArticleData,
                   prefix: tuple[str, ...] = (), known_categories: set[str] | None = None,
                   current_unit: uuid.UUID | None = None) -> uuid.UUID | None:
    """Every problem with its field path; answers the responsible unit's id (see `ArticleData.owner_unit_code`)."""
    v = Validator()
    p = prefix
    v.check(bool(data.title.strip()), (*p, "title"), "title is required", "required")
    v.check(len(data.title.strip()) <= 300, (*p, "title"), "title: at most 300 characters", "too_long")
    v.check(bool(data.body.strip()), (*p, "body"), "the answer or text is required", "required")
    v.check(data.kind in set(ArticleKind), (*p, "kind"), "kind is qa, policy or standard", "invalid_value")
    v.check(data.share_scope in set(ShareScope), (*p, "shareScope"), "unknown share scope", "invalid_value")
    if data.share_scope == ShareScope.ALLIANCE:
        v.check(bool(data.alliance_code) and data.alliance_code in acting.scope.alliance_codes,
                (*p, "allianceCode"), "name an alliance your hotline belongs to", "invalid_alliance")
    codes = list(dict.fromkeys(data.category_codes))
    if codes:
        if known_categories is None:
            known = {c.code for c in await workorders_repo.categories_by_codes(session, codes)}
        else:
            known = known_categories
        unknown = [c for c in codes if c not in known]
        v.check(not unknown, (*p, "categoryCodes"), f"unknown categories: {', '.join(unknown)}", "not_found")
    if data.division_code:
        region = await tenancy_repo.region(session, data.division_code)
        inside = owner.division_code is None or data.division_code.startswith(_prefix(owner.division_code))
        v.check(region is not None and inside, (*p, "divisionCode"), f"not a division within {owner.name}",
                "invalid_division")
    if data.effective_from and data.expires_on:
        v.check(data.effective_from <= data.expires_on, (*p, "expiresOn"), "expires before it takes effect",
                "out_of_range")
    v.check(len(data.tags) <= 20 and all(len(t) <= 40 for t in data.tags), (*p, "tags"),
            "at most 20 tags of 40 characters", "too_long")
    v.check(len(data.attachments) <= MAX_ATTACHMENTS, (*p, "attachments"), f"at most {MAX_ATTACHMENTS} attachments",
            "too_many")
    for i, a in enumerate(data.attachments):
        v.check(bool(a.name.strip()), (*p, "attachments", str(i), "name"), "name is required", "required")
        v.check(a.size >= 0, (*p, "attachments", str(i), "size"), "size cannot be negative", "out_of_range")
    unit_id = current_unit
    if data.owner_unit_code:
        unit = await tenancy_repo.unit_by_code(session, acting.scope, owner.tenant_id, data.owner_unit_code.strip())
        v.check(unit is not None and unit.active, (*p, "ownerUnitCode"), f"not an active unit of {owner.name}",
                "not_found")
        unit_id = unit.id if unit is not None else None
    elif data.owner_unit_code is not None:
        unit_id = None
    v.raise_if_any()
    return unit_id


def _editors_unit(acting: Acting, owner: Tenant) -> uuid.UUID | None:
    """The editor's own unit in the owner tenant, when the editor's grants there name exactly one."""
    units = {g.unit_id for g in acting.subject.grants if g.tenant_id == owner.tenant_id and g.unit_id is not None}
    return next(iter(units)) if len(units) == 1 else None


def _prefix(code: str) -> str:
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code


# --- permissions ---------------------------------------------------------------------------------


async def _tenant(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID) -> Tenant:
    found = await tenancy_repo.tenants_by_ids(session, scope, [tenant_id])
    if not found:
        raise not_found((), "tenant")
    return found[0]


def may_edit(acting: Acting, owner: Tenant) -> bool:
    roles = acting.roles_at(owner.tenant_id, owner.ancestors)
    if roles & set(ADMINS):
        return True
    return owner.kind == TenantKind.ENTERPRISE_LINE and Role.POLICY_SPECIALIST in roles


def _require_edit(acting: Acting, owner: Tenant) -> None:
    if not may_edit(acting, owner):
        raise forbidden("only the owner's admins (and policy specialists of an enterprise line) edit articles")


def _require_review(acting: Acting, owner: Tenant) -> None:
    acting.require(owner.tenant_id, owner.ancestors, REVIEWERS)


# --- dictionaries --------------------------------------------------------------------------------


class _DictionaryCache:
    """Effective dictionaries per tenant chain for a few seconds; cleared by any term change in this process."""

    def __init__(self, ttl: float = 30.0) -> None:
        self.ttl = ttl
        self._entries: dict[tuple[uuid.UUID, ...], tuple[float, seg.Dictionary]] = {}

    def get(self, chain: tuple[uuid.UUID, ...]) -> seg.Dictionary | None:
        entry = self._entries.get(chain)
        return entry[1] if entry and entry[0] > time.monotonic() else None

    def put(self, chain: tuple[uuid.UUID, ...], value: seg.Dictionary) -> None:
        if len(self._entries) > 1000:
            self._entries.clear()
        self._entries[chain] = (time.monotonic() + self.ttl, value)

    def clear(self) -> None:
        self._entries.clear()


DICTIONARIES = _DictionaryCache()


async def dictionary(session: AsyncSession, scope: TenantScope, chain: Sequence[uuid.UUID]) -> seg.Dictionary:
    key = tuple(chain)
    cached = DICTIONARIES.get(key)
    if cached is not None:
        return cached
    terms = await repo.terms_for(session, scope, chain)
    words = [t.term for t in terms if t.kind in (TermKind.WORD, TermKind.PLACE)]
    groups = [[t.term, *t.synonyms] for t in terms if t.kind == TermKind.SYNONYM]
    words += [w for g in groups for w in g if len(seg.query_words(w)) > 1]  # multi-word synonyms stay whole
    value = seg.Dictionary.of(words, groups)
    DICTIONARIES.put(key, value)
    return value


def _chain(tenant: Tenant) -> list[uuid.UUID]:
    return [*tenant.ancestors, tenant.tenant_id]


async def upsert_term(session: AsyncSession, acting: Acting, term: str, kind: TermKind,
                      synonyms: Sequence[str]) -> Term:
    tenant = await _tenant(session, acting.scope, acting.tenant_id)
    acting.require(tenant.tenant_id, tenant.ancestors, ADMINS)
    word = seg.normalise(term)
    v = Validator()
    v.check(1 < len(word) <= 40, ("term",), "a term has 2 to 40 characters", "invalid_format")
    v.check(kind in set(TermKind), ("kind",), "unknown kind", "invalid_value")
    v.check(kind != TermKind.SYNONYM or bool([s for s in synonyms if s.strip()]), ("synonyms",),
            "a synonym group needs at least one synonym", "required")
    v.raise_if_any()
    row = await repo.term_of(session, acting.scope, tenant.tenant_id, word)
    before = None
    if row is None:
        row = Term(tenant_id=tenant.tenant_id, id=new_id(), term=word, kind=kind, synonyms=[])
        session.add(row)
    else:
        before = {"kind": row.kind, "synonyms": list(row.synonyms)}
    row.kind = kind
    row.synonyms = [seg.normalise(s) for s in synonyms if s.strip()]
    await session.flush()
    audit.record(session, tenant.tenant_id, acting.actor, "knowledge_term.saved", ("knowledge_term", row.id),
                 before=before, after={"term": word, "kind": str(kind), "synonyms": row.synonyms})
    DICTIONARIES.clear()
    return row


async def delete_term(session: AsyncSession, acting: Acting, term: str) -> None:
    tenant = await _tenant(session, acting.scope, acting.tenant_id)
    acting.require(tenant.tenant_id, tenant.ancestors, ADMINS)
    row = await repo.term_of(session, acting.scope, tenant.tenant_id, seg.normalise(term))
    if row is None:
        raise not_found(("term",), "term")
    await session.delete(row)
    audit.record(session, tenant.tenant_id, acting.actor, "knowledge_term.deleted", ("knowledge_term", row.id),
                 before={"term": row.term})
    DICTIONARIES.clear()


# --- articles ------------------------------------------------------------------------------------


async def _index(session: AsyncSession, scope: TenantScope, owner: Tenant, article: Article) -> None:
    words = await dictionary(session, scope, _chain(owner))
    literal = seg.vector_literal([
        (article.title, "A"), (" ".join([*article.tags, article.policy_domain or ""]), "B"),
        (article.question or "", "B"), (article.body, "C"), (article.source_document or "", "D")], words)
    title_literal = seg.vector_literal([(article.title, "A")], words)
    await session.flush()
    await repo.set_vector(session, article, literal, title_literal)


async def create_article(session: AsyncSession, acting: Acting, data: ArticleData, *,
                         known_categories: set[str] | None = None, prefix: tuple[str, ...] = ()) -> Article:
    owner = await _tenant(session, acting.scope, acting.tenant_id)
    _require_edit(acting, owner)
    unit_id = await validate(session, acting, owner, data, prefix, known_categories, _editors_unit(acting, owner))
    now = utcnow()
    content = data.content(unit_id)
    article = Article(tenant_id=owner.tenant_id, id=new_id(), status=ArticleStatus.DRAFT, version=1, latest_version=1,
                      owner_user_id=acting.subject.user_id, updated_at=now, updated_by_label=acting.actor.label,
                      direct_answer_total=0, helpful_total=0, unhelpful_total=0, search_vector="", title_vector="")
    _apply(article, content)
    session.add(article)
    session.add(ArticleVersion(tenant_id=owner.tenant_id, id=new_id(), article_id=article.id, version=1,
                               status=VersionStatus.DRAFT, content=content, updated_at=now,
                               updated_by_label=acting.actor.label))
    await _index(session, acting.scope, owner, article)
    audit.record(session, owner.tenant_id, acting.actor, "knowledge_article.created", ("knowledge_article", article.id),
                 after={**_snapshot(article), "content": content})
    return article


async def _own(session: AsyncSession, acting: Acting, article_id: uuid.UUID) -> tuple[Article, Tenant]:
    article = await repo.writable_article(session, acting.scope, article_id)
    if article is None:
        seen = await repo.visible_article(session, acting.scope, article_id)
        if seen is not None and seen.status == ArticleStatus.PUBLISHED:
            raise forbidden("an inherited article is changed by its owner; add a local supplement instead")
        raise not_found(("articleId",), "article")
    return article, await _tenant(session, acting.scope, article.tenant_id)


async def update_article(session: AsyncSession, acting: Acting, article_id: uuid.UUID, data: ArticleData) -> Article:
    """Edit the draft. A published article keeps its published content until the new version is published."""
    article, owner = await _own(session, acting, article_id)
    _require_edit(acting, owner)
    if article.status == ArticleStatus.RETIRED:
        raise DomainError.one(("articleId",), "a retired article is not edited", "invalid_state")
    latest = await repo.latest_version(session, acting.scope, article)
    unit_id = await validate(session, acting, owner, data, current_unit=_unit_id(latest.content))
    now = utcnow()
    content = data.content(unit_id)
    if latest.status in (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED, VersionStatus.RETIRED):
        latest = ArticleVersion(tenant_id=owner.tenant_id, id=new_id(), article_id=article.id,
                                version=article.latest_version + 1, status=VersionStatus.DRAFT, content=content,
                                updated_at=now, updated_by_label=acting.actor.label)
        session.add(latest)
        article.latest_version = latest.version
    else:
        latest.content = content
        latest.status = VersionStatus.DRAFT  # editing a version under review sends it back to draft
        latest.updated_at = now
        latest.updated_by_label = acting.actor.label
    if article.status in (ArticleStatus.DRAFT, ArticleStatus.REVIEW):
        _apply(article, content)
        article.status = ArticleStatus.DRAFT
        article.version = latest.version
        await _index(session, acting.scope, owner, article)
    article.updated_at = now
    article.updated_by_label = acting.actor.label
    audit.record(session, owner.tenant_id, acting.actor, "knowledge_article.edited", ("knowledge_article", article.id),
                 after={"version": latest.version, "content": content})
    return article


async def submit_article(session: AsyncSession, acting: Acting, article_id: uuid.UUID) -> Article:
    article, owner = await _own(session, acting, article_id)
    _require_edit(acting, owner)
    latest = await repo.latest_version(session, acting.scope, article)
    if latest.status != VersionStatus.DRAFT:
        raise DomainError.one(("articleId",), "there is no draft to submit", "invalid_state")
    latest.status = VersionStatus.REVIEW
    if article.status == ArticleStatus.DRAFT:
        article.status = ArticleStatus.REVIEW
    article.updated_at = utcnow()
    audit.record(session, owner.tenant_id, acting.actor, "knowledge_article.submitted",
                 ("knowledge_article", article.id), after={"version": latest.version})
    return article


async def publish_article(session: AsyncSession, acting: Acting, article_id: uuid.UUID) -> Article:
    article, owner = await _own(session, acting, article_id)
    _require_review(acting, owner)
    latest = await repo.latest_version(session, acting.scope, article)
    if latest.status != VersionStatus.REVIEW:
        raise DomainError.one(("articleId",), "only a version under review is published", "invalid_state")
    before = _snapshot(article)
    now = utcnow()
    for old in await repo.published_versions(session, acting.scope, article):
        old.status, old.ended_at = VersionStatus.SUPERSEDED, now
    latest.status = VersionStatus.PUBLISHED
    latest.updated_at = now
    # What was in force from now on: the upkeep indicator reads these, never the editable content.
    latest.published_at, latest.ended_at = now, None
    latest.expires_on, latest.owner_unit_id = _date(latest.content["expires_on"]), _unit_id(latest.content)
    _apply(article, latest.content)
    article.status = ArticleStatus.PUBLISHED
    article.version = latest.version
    article.published_at = now
    article.published_by_label = acting.actor.label
    article.retired_at = None
    article.updated_at = now
    await _index(session, acting.scope, owner, article)
    audit.record(session, owner.tenant_id, acting.actor, "knowledge_article.published",
                 ("knowledge_article", article.id), before=before, after=_snapshot(article))
    return article


async def reject_article(session: AsyncSession, acting: Acting, article_id: uuid.UUID, note: str) -> Article:
    article, owner = await _own(session, acting, article_id)
    _require_review(acting, owner)
    latest = await repo.latest_version(session, acting.scope, article)
    if latest.status != VersionStatus.REVIEW:
        raise DomainError.one(("articleId",), "only a version under review is sent back", "invalid_state")
    if not note.strip():
        raise DomainError.one(("note",), "say what must change", "required")
    latest.status = VersionStatus.DRAFT
    latest.review_note = note.strip()
    if article.status == ArticleStatus.REVIEW:
        article.status = ArticleStatus.DRAFT
    audit.record(session, owner.tenant_id, acting.actor, "knowledge_article.sent_back",
                 ("knowledge_article", article.id), after={"version": latest.version, "note": note.strip()})
    return article


async def retire_article(session: AsyncSession, acting: Acting, article_id: uuid.UUID) -> Article:
    article, owner = await _own(session, acting, article_id)
    _require_review(acting, owner)
    if article.status != ArticleStatus.PUBLISHED:
        raise DomainError.one(("articleId",), "only a published article is retired", "invalid_state")
    before = _snapshot(article)
    now = utcnow()
    for version in await repo.published_versions(session, acting.scope, article):
        version.status, version.ended_at = VersionStatus.RETIRED, now
    article.status = ArticleStatus.RETIRED
    article.retired_at = now
    article.updated_at = article.retired_at
    audit.record(session, owner.tenant_id, acting.actor, "knowledge_article.retired",
                 ("knowledge_article", article.id), before=before, after=_snapshot(article))
    return article


# --- reading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Supplement:
    tenant_id: uuid.UUID
    supplement: str | None
    local_phone: str | None
    local_office: str | None


@dataclass
class ArticleView:
    article: Article
    rank: float | None = None
    fuzzy: bool = False
    supplements: list[Supplement] = field(default_factory=list)
    hidden: bool = False
    editable: bool = False
    inherited: bool = False


def _reader_chain(acting: Acting) -> list[uuid.UUID]:
    return [*acting.scope.ancestor_ids, acting.tenant_id]


async def _views(session: AsyncSession, acting: Acting, rows: Sequence[tuple[Article, float | None, bool]]
                 ) -> list[ArticleView]:
    chain = _reader_chain(acting)
    overrides = await repo.overrides_for(session, acting.scope, chain, [a.id for a, _, _ in rows])
    by_article: dict[tuple[uuid.UUID, uuid.UUID], list[Override]] = {}
    for o in overrides:
        by_article.setdefault((o.article_tenant_id, o.article_id), []).append(o)
    order = {t: i for i, t in enumerate(chain)}
    views = []
    for article, rank, fuzzy in rows:
        found = sorted(by_article.get((article.tenant_id, article.id), []), key=lambda o: order.get(o.tenant_id, 99))
        supplements = [Supplement(o.tenant_id, o.supplement, o.local_phone, o.local_office) for o in found
                       if o.supplement or o.local_phone or o.local_office]
        views.append(ArticleView(article, rank, fuzzy, supplements, hidden=any(o.hidden for o in found),
                                 editable=acting.scope.contains(article.tenant_id),
                                 inherited=article.tenant_id != acting.tenant_id))
    return views


async def get_article(session: AsyncSession, acting: Acting, article_id: uuid.UUID) -> ArticleView:
    """A published article in reach, or one of the subtree in any state for its editors."""
    article = await repo.visible_article(session, acting.scope, article_id)
    if article is None:
        raise not_found(("articleId",), "article")
    if article.status != ArticleStatus.PUBLISHED:
        owner = await _tenant(session, acting.scope, article.tenant_id) if acting.scope.contains(article.tenant_id) \
            else None
        if owner is None or not may_edit(acting, owner):
            raise not_found(("articleId",), "article")
    return (await _views(session, acting, [(article, None, False)]))[0]


async def list_articles(session: AsyncSession, acting: Acting, status: ArticleStatus | None, limit: int,
                        offset: int) -> list[ArticleView]:
    """The acting tenant's own articles; drafts and reviews only for its editors."""
    tenant = await _tenant(session, acting.scope, acting.tenant_id)
    if status != ArticleStatus.PUBLISHED and not may_edit(acting, tenant):
        status = ArticleStatus.PUBLISHED
    rows = await repo.articles_of(session, acting.scope, tenant.tenant_id, status, max(1, min(limit, 200)), offset)
    return await _views(session, acting, [(a, None, False) for a in rows])


async def versions(session: AsyncSession, acting: Acting, article_id: uuid.UUID) -> Sequence[ArticleVersion]:
    article, owner = await _own(session, acting, article_id)
    _require_edit(acting, owner)
    return await repo.versions_of(session, acting.scope, article.tenant_id, article.id)


@dataclass(frozen=True)
class SearchFilter:
    kinds: Sequence[ArticleKind] = ()
    category_codes: Sequence[str] = ()
    division_code: str | None = None
    valid_on: dt.date | None = None
    include_expired: bool = False


async def search(session: AsyncSession, acting: Acting, text: str, filters: SearchFilter = SearchFilter(),
                 limit: int = 10, *, typing: bool = False) -> list[ArticleView]:
    """Published articles in reach, best first: every word (or a synonym) first, then the fuzzy fallback."""
    limit = max(1, min(limit, MAX_RESULTS))
    words = await dictionary(session, acting.scope, _reader_chain(acting))
    query = seg.build_query(text, words, typing=typing)
    if query.strict is None:
        return []
    on_day = None if filters.include_expired else (filters.valid_on or utcnow().date())
    params: dict[str, Any] = {
        "hide_for": _reader_chain(acting), "kinds": [str(k) for k in filters.kinds] or None,
        "categories": list(filters.category_codes) or None,
        "place": _prefix(filters.division_code) if filters.division_code else None, "on_day": on_day}
    found = await repo.search(session, acting.scope, query.strict, rank_by=query.loose, title=query.title,
                              limit=limit, **params)
    rows: list[tuple[Article, float | None, bool]] = [(a, r, False) for a, r in found]
    if len(rows) < limit and query.loose:
        seen = {a.id for a, _, _ in rows}
        more = await repo.search(session, acting.scope, query.loose, limit=limit, **params)
        rows += [(a, r, True) for a, r in more if a.id not in seen][: limit - len(rows)]
    return await _views(session, acting, rows)


# --- local supplements and hides -----------------------------------------------------------------


@dataclass(frozen=True)
class LocalChange:
    supplement: str | None = None
    local_phone: str | None = None
    local_office: str | None = None
    hidden: bool | None = None


async def set_local(session: AsyncSession, acting: Acting, article_id: uuid.UUID, change: LocalChange) -> ArticleView:
    """A lower tenant's supplement to, or hiding of, an article it inherits (never a copy of it)."""
    tenant = await _tenant(session, acting.scope, acting.tenant_id)
    acting.require(tenant.tenant_id, tenant.ancestors, ADMINS)
    article = await repo.visible_article(session, acting.scope, article_id)
    if article is None or article.status != ArticleStatus.PUBLISHED:
        raise not_found(("articleId",), "article")
    if article.tenant_id == tenant.tenant_id:
        raise DomainError.one(("articleId",), "your own article is edited, not supplemented", "own_article")
    v = Validator()
    v.check(len(change.local_phone or "") <= 40, ("localPhone",), "at most 40 characters", "too_long")
    v.check(len(change.local_office or "") <= 200, ("localOffice",), "at most 200 characters", "too_long")
    v.raise_if_any()
    row = await repo.override_of(session, acting.scope, tenant.tenant_id, article)
    before = None
    if row is None:
        row = Override(tenant_id=tenant.tenant_id, id=new_id(), article_tenant_id=article.tenant_id,
                       article_id=article.id, hidden=False)
        session.add(row)
    else:
        before = {"hidden": row.hidden, "supplement": row.supplement, "local_phone": row.local_phone,
                  "local_office": row.local_office}
    if change.hidden is not None:
        row.hidden = change.hidden
    if change.supplement is not None:
        row.supplement = change.supplement.strip() or None
    if change.local_phone is not None:
        row.local_phone = change.local_phone.strip() or None
    if change.local_office is not None:
        row.local_office = change.local_office.strip() or None
    row.updated_at = utcnow()
    row.updated_by_label = acting.actor.label
    await session.flush()
    audit.record(session, tenant.tenant_id, acting.actor, "knowledge_article.localised", ("knowledge_article",
                                                                                          article.id),
                 before=before, after={"hidden": row.hidden, "supplement": row.supplement,
                                       "local_phone": row.local_phone, "local_office": row.local_office})
    return (await _views(session, acting, [(article, None, False)]))[0]


# --- use and feedback ----------------------------------------------------------------------------


async def record_direct_answer(session: AsyncSession, acting: Acting, order_id: uuid.UUID,
                               article_id: uuid.UUID) -> Usage:
    """"Answered from article X": an order closed by direct answer (直办) records the article it used."""
    who = await access.viewer(session, acting)
    if Role.AGENT not in who.roles:
        raise forbidden("only agents record direct answers")
    order = await access.visible_order(session, who, order_id, ("orderId",), for_update=False)
    if order.state != OrderState.CLOSED or order.direct_answer is None:
        raise DomainError.one(("orderId",), "the order was not closed by a direct answer", "invalid_state")
    article = await repo.visible_article(session, acting.scope, article_id)
    if article is None or article.status != ArticleStatus.PUBLISHED:
        raise not_found(("articleId",), "article")
    if await repo.usage_exists(session, acting.scope, order.tenant_id, order.id, article.id, UsageKind.DIRECT_ANSWER):
        raise DomainError.one(("articleId",), "already recorded for this order", "already_exists")
    usage = Usage(tenant_id=order.tenant_id, id=new_id(), article_tenant_id=article.tenant_id, article_id=article.id,
                  kind=UsageKind.DIRECT_ANSWER, order_id=order.id, actor_label=acting.actor.label)
    session.add(usage)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise DomainError.one(("articleId",), "already recorded for this order", "already_exists") from None
    audit.record(session, order.tenant_id, acting.actor, "knowledge_article.answered_from", ("work_order", order.id),
                 after={"article_id": str(article.id), "article_tenant_id": str(article.tenant_id),
                        "number": order.number})
    return usage


async def feedback(session: AsyncSession, acting: Acting, article_id: uuid.UUID, helpful: bool,
                   comment: str | None) -> Usage:
    article = await repo.visible_article(session, acting.scope, article_id)
    if article is None or article.status != ArticleStatus.PUBLISHED:
        raise not_found(("articleId",), "article")
    if not helpful and not (comment or "").strip():
        raise DomainError.one(("comment",), "say what was wrong or missing", "required")
    usage = Usage(tenant_id=acting.tenant_id, id=new_id(), article_tenant_id=article.tenant_id, article_id=article.id,
                  kind=UsageKind.HELPFUL if helpful else UsageKind.UNHELPFUL, comment=(comment or "").strip() or None,
                  actor_label=acting.actor.label)
    session.add(usage)
    await session.flush()
    audit.record(session, acting.tenant_id, acting.actor, "knowledge_article.feedback", ("knowledge_article",
                                                                                         article.id),
                 after={"helpful": helpful, "comment": usage.comment})
    return usage


@dataclass(frozen=True)
class UsageFigures:
    direct_answers: int
    helpful: int
    unhelpful: int


async def usage_in_scope(session: AsyncSession, acting: Acting,
                         article_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, UsageFigures]:
    """Uses recorded in the acting tenant's subtree, per article (live; the owner's totals come from the sweep)."""
    counts = await repo.usage_counts(session, acting.scope, article_ids)
    return {a: UsageFigures(counts.get((a, UsageKind.DIRECT_ANSWER), 0), counts.get((a, UsageKind.HELPFUL), 0),
                            counts.get((a, UsageKind.UNHELPFUL), 0)) for a in article_ids}


async def notices(session: AsyncSession, acting: Acting, unread_only: bool, limit: int) -> Sequence[Notice]:
    tenant = await _tenant(session, acting.scope, acting.tenant_id)
    if not may_edit(acting, tenant):
        raise forbidden("notices go to the articles' owners")
    return await repo.notices_of(session, acting.scope, tenant.tenant_id, unread_only, max(1, min(limit, 200)))


async def mark_notices_read(session: AsyncSession, acting: Acting, notice_ids: Sequence[uuid.UUID]
                            ) -> Sequence[Notice]:
    """Mark the tenant's notices read (again: no change); an id that is not one of them is not found."""
    tenant = await _tenant(session, acting.scope, acting.tenant_id)
    if not may_edit(acting, tenant):
        raise forbidden("notices go to the articles' owners")
    wanted = list(dict.fromkeys(notice_ids))
    v = Validator()
    v.check(0 < len(wanted) <= 200, ("noticeIds",), "1 to 200 notices", "out_of_range")
    v.raise_if_any()
    found = {n.id: n for n in await repo.notices_by_ids(session, acting.scope, tenant.tenant_id, wanted)}
    for i, notice_id in enumerate(notice_ids):
        if notice_id not in found:
            raise not_found(("noticeIds", str(i)), "notice")
    now = utcnow()
    for notice in found.values():
        notice.read_at = notice.read_at or now
    await session.flush()
    return [found[i] for i in wanted]


def data_of(article: Article) -> ArticleData:
    return ArticleData(
        kind=ArticleKind(article.kind), title=article.title, body=article.body, question=article.question,
        category_codes=list(article.category_codes), tags=list(article.tags), policy_domain=article.policy_domain,
        division_code=article.division_code, effective_from=article.effective_from, expires_on=article.expires_on,
        source_document=article.source_document,
        attachments=[ArticleAttachment(a["name"], a.get("content_type") or "", int(a.get("size") or 0), a.get("url"))
                     for a in article.attachments],
        share_scope=ShareScope(article.share_scope), alliance_code=article.alliance_code)

