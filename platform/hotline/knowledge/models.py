"""Knowledge base shared down the tree, and the 一企来 enterprise line.

`knowledge_articles` is shared content (`rls.shared_table_sql`): a tenant reads its own articles, its
ancestors' 'subtree' and 'alliance' ones, those shared with its alliances and 'public' ones; it writes only
its subtree. Local supplements and hides (`knowledge_overrides`) and the dictionaries (`knowledge_terms`)
flow down the tree (`rls.inherited_table_sql`). Everything else is an ordinary tenant table.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hotline.kernel.models import Base, TenantRow, utcnow


class ArticleKind(StrEnum):
    QA = "qa"  # 问答: a question and its answer
    POLICY = "policy"  # 政策文件 (the 一企来 knowledge base)
    STANDARD = "standard"  # 办理标准 / 处置规范


class ArticleStatus(StrEnum):
    DRAFT = "draft"
    REVIEW = "review"
    PUBLISHED = "published"
    RETIRED = "retired"


class VersionStatus(StrEnum):
    DRAFT = "draft"
    REVIEW = "review"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"  # an older published version
    RETIRED = "retired"


class ShareScope(StrEnum):
    OWN = "own"
    SUBTREE = "subtree"
    ALLIANCE = "alliance"
    PUBLIC = "public"


class UsageKind(StrEnum):
    DIRECT_ANSWER = "direct_answer"  # 直办 answered from this article
    HELPFUL = "helpful"
    UNHELPFUL = "unhelpful"


class NoticeKind(StrEnum):
    EXPIRING = "expiring"
    EXPIRED = "expired"
    UNHELPFUL = "unhelpful"
    USED = "used"


class TermKind(StrEnum):
    WORD = "word"  # a local term the segmenter must keep whole
    PLACE = "place"  # a local place name (also kept whole)
    SYNONYM = "synonym"  # `term` and `synonyms` are searched as one


class Article(TenantRow, Base):
    """The head of an article: the content readers see (the published version, or the draft before the
    first publication) and its search vector, computed by the application (no triggers)."""

    __tablename__ = "knowledge_articles"
    __table_args__ = (
        Index("ix_knowledge_articles_search", "search_vector", postgresql_using="gin",
              postgresql_where=text("status = 'published'")),
        Index("ix_knowledge_articles_title", "title_vector", postgresql_using="gin",
              postgresql_where=text("status = 'published'")),
        Index("ix_knowledge_articles_tenant_id_status", "tenant_id", "status"),
        Index("ix_knowledge_articles_expiry", "expires_on", postgresql_where=text("status = 'published'")),
        Index("ix_knowledge_articles_public", "share_scope", "status"),
        ForeignKeyConstraint(["tenant_id", "owner_unit_id"], ["units.tenant_id", "units.id"]),
    )

    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default=ArticleStatus.DRAFT)
    share_scope: Mapped[str] = mapped_column(String(10), default=ShareScope.OWN)
    alliance_code: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    question: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    category_codes: Mapped[list[str]] = mapped_column(ARRAY(String(20)), default=list)
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(40)), default=list)
    policy_domain: Mapped[str | None] = mapped_column(String(40))
    division_code: Mapped[str | None] = mapped_column(String(12))  # place scope: this division's subtree
    effective_from: Mapped[dt.date | None] = mapped_column(Date)
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    source_document: Mapped[str | None] = mapped_column(String(300))
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    version: Mapped[int] = mapped_column(Integer, default=1)  # the version shown here
    latest_version: Mapped[int] = mapped_column(Integer, default=1)
    search_vector: Mapped[str] = mapped_column(TSVECTOR)
    title_vector: Mapped[str] = mapped_column(TSVECTOR)  # the title's words and bigrams: the first search tier
    owner_user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    # The handling unit that keeps this entry current (责任单位; the knowledge-upkeep indicator judges it).
    owner_unit_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by_label: Mapped[str] = mapped_column(String(200))
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    published_by_label: Mapped[str | None] = mapped_column(String(200))
    retired_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Totals across the deployment, folded in by the usage sweep (system role) for the owner.
    direct_answer_total: Mapped[int] = mapped_column(Integer, default=0)
    helpful_total: Mapped[int] = mapped_column(Integer, default=0)
    unhelpful_total: Mapped[int] = mapped_column(Integer, default=0)
    expiry_reminded_for: Mapped[dt.date | None] = mapped_column(Date)


class ArticleVersion(TenantRow, Base):
    """Every version of an article's content with its own status; a published version is never edited.

    A version that was published records when it was in force, [published_at, ended_at), with the expiry
    date and the responsible unit it published: the history the knowledge-upkeep indicator (知识库维护率)
    is computed from, unchanged by anything done later (docs/evaluation.md).
    """

    __tablename__ = "knowledge_article_versions"
    __table_args__ = (
        UniqueConstraint("tenant_id", "article_id", "version"),
        ForeignKeyConstraint(["tenant_id", "article_id"], ["knowledge_articles.tenant_id", "knowledge_articles.id"]),
        ForeignKeyConstraint(["tenant_id", "owner_unit_id"], ["units.tenant_id", "units.id"]),
        # A period's expiry dates of published versions (the upkeep indicator's one range read).
        Index("ix_knowledge_article_versions_tenant_id_expires_on", "tenant_id", "expires_on",
              postgresql_where=text("published_at IS NOT NULL")),
    )

    article_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))
    content: Mapped[dict[str, Any]] = mapped_column(JSONB)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by_label: Mapped[str] = mapped_column(String(200))
    review_note: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))  # superseded or retired
    expires_on: Mapped[dt.date | None] = mapped_column(Date)  # as published
    owner_unit_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))  # as published


class Override(TenantRow, Base):
    """A lower tenant's local supplement to an inherited article, or its hiding; read down the tree."""

    __tablename__ = "knowledge_overrides"
    __table_args__ = (UniqueConstraint("tenant_id", "article_tenant_id", "article_id"),)

    article_tenant_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    article_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    supplement: Mapped[str | None] = mapped_column(Text)
    local_phone: Mapped[str | None] = mapped_column(String(40))
    local_office: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by_label: Mapped[str] = mapped_column(String(200))


class Usage(TenantRow, Base):
    """An article used or judged in the using tenant (直办 answered from it, helpful, unhelpful)."""

    __tablename__ = "knowledge_usages"
    __table_args__ = (
        Index("ix_knowledge_usages_article", "tenant_id", "article_id"),
        Index("ix_knowledge_usages_unreported", "created_at", postgresql_where=text("reported_at IS NULL")),
        UniqueConstraint("tenant_id", "order_id", "article_id", "kind"),
    )

    article_tenant_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    article_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    kind: Mapped[str] = mapped_column(String(20))
    order_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    comment: Mapped[str | None] = mapped_column(Text)
    actor_label: Mapped[str] = mapped_column(String(200))
    reported_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Notice(TenantRow, Base):
    """Something the owner of an article must see: expiring or expired, found unhelpful."""

    __tablename__ = "knowledge_notices"
    __table_args__ = (UniqueConstraint("tenant_id", "article_id", "kind", "key"),)

    article_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(60))  # what makes it unique (the expiry date, the usage id…)
    message: Mapped[str] = mapped_column(Text)
    read_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Term(TenantRow, Base):
    """A tenant's dictionary entry: a local word or place name, or a synonym group; inherited down the tree."""

    __tablename__ = "knowledge_terms"
    __table_args__ = (UniqueConstraint("tenant_id", "term"),)

    term: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10))
    synonyms: Mapped[list[str]] = mapped_column(ARRAY(String(40)), default=list)


# --- 一企来 ----------------------------------------------------------------------------------------


class QuestionStatus(StrEnum):
    ASSIGNED = "assigned"  # routed to a specialist, waiting for the answer
    UNROUTED = "unrouted"  # no route or no specialist for its policy domain
    ANSWERED = "answered"
    ESCALATED = "escalated"  # handed to a department the specialist named


class Enterprise(TenantRow, Base):
    """An enterprise caller of the line, identified by its unified social credit code."""

    __tablename__ = "enterprises"
    __table_args__ = (UniqueConstraint("tenant_id", "credit_code"),)

    credit_code: Mapped[str] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(200))
    contact_name: Mapped[str | None] = mapped_column(String(100))
    industry: Mapped[str | None] = mapped_column(String(100))
    access_key_hash: Mapped[str | None] = mapped_column(String(64))  # the enterprise's own history view


class Specialist(TenantRow, Base):
    """A policy specialist (政策专员) of the line: an account of the tenant, from a department, with domains."""

    __tablename__ = "policy_specialists"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id"),)

    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    display_name: Mapped[str] = mapped_column(String(120))
    department: Mapped[str] = mapped_column(String(100))
    policy_domains: Mapped[list[str]] = mapped_column(ARRAY(String(40)), default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PolicyRoute(TenantRow, Base):
    """The routing table: a policy domain goes to a department, answered within `answer_hours`."""

    __tablename__ = "policy_routes"
    __table_args__ = (UniqueConstraint("tenant_id", "policy_domain"),)

    policy_domain: Mapped[str] = mapped_column(String(40))
    department: Mapped[str] = mapped_column(String(100))
    answer_hours: Mapped[float] = mapped_column(Float, default=24.0)


class EnterpriseQuestion(TenantRow, Base):
    __tablename__ = "enterprise_questions"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id", "enterprise_id"], ["enterprises.tenant_id", "enterprises.id"]),
        ForeignKeyConstraint(["tenant_id", "specialist_id"], ["policy_specialists.tenant_id", "policy_specialists.id"]),
        Index("ix_enterprise_questions_enterprise", "tenant_id", "enterprise_id"),
        Index("ix_enterprise_questions_specialist", "tenant_id", "specialist_id", "status"),
        Index("ix_enterprise_questions_due", "due_at", postgresql_where=text("status = 'assigned'")),
    )

    enterprise_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    policy_domain: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))
    department: Mapped[str | None] = mapped_column(String(100))
    specialist_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    due_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    answered_by_label: Mapped[str | None] = mapped_column(String(200))
    article_tenant_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    article_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    escalated_to: Mapped[str | None] = mapped_column(String(100))
    escalation_reason: Mapped[str | None] = mapped_column(Text)
    escalated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    overdue_notified: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_label: Mapped[str] = mapped_column(String(200))
