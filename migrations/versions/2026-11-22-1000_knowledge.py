"""Knowledge base shared down the tree (articles, versions, local supplements and hides, dictionaries,
usage, notices) and the 一企来 enterprise line (enterprises, policy specialists, routes, questions).

`knowledge_search(...)` is the full-text search: a SECURITY DEFINER function owned by `hotline_system`,
because `@@` (ts_match_vq) is not LEAKPROOF and so cannot become an index condition below the RLS quals of
`hotline_app`. The function applies the same visibility as the policy, from the same `SET LOCAL` scope,
takes no scope parameter, and returns ids only; the caller reads the rows under RLS (docs/knowledge.md).

Revision ID: 20261122_knowledge
Revises: 20261122_shared_reads
Create Date: 2026-11-22 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from hotline.kernel import rls

revision: str = "20261122_knowledge"
down_revision: str | None = "20261122_shared_reads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHARED = ("knowledge_articles",)
INHERITED = ("knowledge_overrides", "knowledge_terms")
TENANT = ("knowledge_article_versions", "knowledge_usages", "knowledge_notices", "enterprises",
          "policy_specialists", "policy_routes", "enterprise_questions")

# Visible to the reader, as the RLS policy says (from the same `SET LOCAL` scope), and the caller's filters.
_WHERE = """a.status = 'published'
    AND ((a.tenant_id = reader AND reader = ANY (hotline_scope()))
         OR (a.share_scope IN ('subtree', 'alliance') AND a.tenant_id = ANY (hotline_ancestors()))
         OR (a.share_scope = 'alliance' AND a.alliance_code = ANY (hotline_alliances()))
         OR a.share_scope = 'public')
    AND (kinds IS NULL OR a.kind = ANY (kinds))
    AND (categories IS NULL OR EXISTS (SELECT 1 FROM unnest(a.category_codes) c WHERE c LIKE ANY (categories)))
    AND (place IS NULL OR a.division_code IS NULL
         OR place LIKE regexp_replace(a.division_code, '(00)+$', '') || '%'
         OR a.division_code LIKE place || '%')
    AND (on_day IS NULL OR ((a.effective_from IS NULL OR a.effective_from <= on_day)
                            AND (a.expires_on IS NULL OR a.expires_on >= on_day)))
    AND NOT EXISTS (
      SELECT 1 FROM knowledge_overrides o
      WHERE o.tenant_id = ANY (hide_for) AND o.article_tenant_id = a.tenant_id AND o.article_id = a.id AND o.hidden
        AND (o.tenant_id = ANY (hotline_scope()) OR o.tenant_id = ANY (hotline_ancestors())))"""
_RANK = "ts_rank('{0.05, 0.2, 0.4, 1.0}', a.search_vector, coalesce(r, q))::real"
SIGNATURE = "knowledge_search(tsquery, tsquery, uuid, uuid[], text[], text[], text, date, integer)"
# Two tiers: matching articles whose title shares a word (or a bigram) with the query, ranked; then, if fewer than `lim`, those matching in the text,
# ranked among at most `body_cap` candidates (a common word may match tens of thousands of rows).
SEARCH_FUNCTION = f"""
CREATE FUNCTION knowledge_search(q tsquery, r tsquery, reader uuid, hide_for uuid[], kinds text[],
                                 categories text[], place text, on_day date, lim integer)
RETURNS TABLE (tenant_id uuid, id uuid, rank real)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  found integer;
  body_cap constant integer := 500;
BEGIN
  RETURN QUERY
    SELECT a.tenant_id, a.id, {_RANK} AS rank FROM knowledge_articles a
    WHERE a.search_vector @@ q AND a.title_vector @@ coalesce(r, q) AND {_WHERE}
    ORDER BY 3 DESC, 2 LIMIT lim;
  GET DIAGNOSTICS found = ROW_COUNT;
  IF found < lim THEN
    RETURN QUERY
      SELECT c.tenant_id, c.id, c.rank FROM (
        SELECT a.tenant_id, a.id, {_RANK} AS rank FROM knowledge_articles a
        WHERE a.search_vector @@ q AND NOT (a.title_vector @@ coalesce(r, q)) AND {_WHERE}
        LIMIT body_cap) c
      ORDER BY 3 DESC, 2 LIMIT lim - found;
  END IF;
END
$$;
ALTER FUNCTION {SIGNATURE} OWNER TO {rls.SYSTEM_ROLE};
REVOKE ALL ON FUNCTION {SIGNATURE} FROM PUBLIC;
GRANT EXECUTE ON FUNCTION {SIGNATURE} TO {rls.APP_ROLE};
"""


def _row() -> list[sa.Column[object]]:
    return [
        sa.Column("tenant_id", sa.UUID(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    ]


def _pk(table: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint("tenant_id", "id", name=f"pk_{table}")


def upgrade() -> None:
    op.create_table(
        "knowledge_articles", *_row(),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("share_scope", sa.String(10), nullable=False),
        sa.Column("alliance_code", sa.String(40), nullable=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("question", sa.Text(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("category_codes", postgresql.ARRAY(sa.String(20)), nullable=False),
        sa.Column("tags", postgresql.ARRAY(sa.String(40)), nullable=False),
        sa.Column("policy_domain", sa.String(40), nullable=True),
        sa.Column("division_code", sa.String(12), nullable=True),
        sa.Column("effective_from", sa.Date(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("source_document", sa.String(300), nullable=True),
        sa.Column("attachments", postgresql.JSONB(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("latest_version", sa.Integer(), nullable=False),
        sa.Column("search_vector", postgresql.TSVECTOR(), nullable=False),
        sa.Column("title_vector", postgresql.TSVECTOR(), nullable=False),
        sa.Column("owner_user_id", sa.UUID(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_label", sa.String(200), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by_label", sa.String(200), nullable=True),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("direct_answer_total", sa.Integer(), nullable=False),
        sa.Column("helpful_total", sa.Integer(), nullable=False),
        sa.Column("unhelpful_total", sa.Integer(), nullable=False),
        sa.Column("expiry_reminded_for", sa.Date(), nullable=True),
        _pk("knowledge_articles"),
        sa.CheckConstraint("share_scope IN ('own', 'subtree', 'alliance', 'public')", name="ck_knowledge_articles_share_scope"),
        sa.CheckConstraint("share_scope <> 'alliance' OR alliance_code IS NOT NULL", name="ck_knowledge_articles_alliance_named"),
    )
    op.create_index("ix_knowledge_articles_search", "knowledge_articles", ["search_vector"], postgresql_using="gin",
                    postgresql_where=sa.text("status = 'published'"))
    op.create_index("ix_knowledge_articles_title", "knowledge_articles", ["title_vector"], postgresql_using="gin",
                    postgresql_where=sa.text("status = 'published'"))
    op.create_index("ix_knowledge_articles_tenant_id_status", "knowledge_articles", ["tenant_id", "status"])
    op.create_index("ix_knowledge_articles_expiry", "knowledge_articles", ["expires_on"],
                    postgresql_where=sa.text("status = 'published'"))
    op.create_index("ix_knowledge_articles_public", "knowledge_articles", ["share_scope", "status"])
    op.create_table(
        "knowledge_article_versions", *_row(),
        sa.Column("article_id", sa.UUID(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("content", postgresql.JSONB(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_label", sa.String(200), nullable=False),
        sa.Column("review_note", sa.Text(), nullable=True),
        _pk("knowledge_article_versions"),
        sa.UniqueConstraint("tenant_id", "article_id", "version",
                            name="uq_knowledge_article_versions_tenant_id_article_id_version"),
        sa.ForeignKeyConstraint(["tenant_id", "article_id"], ["knowledge_articles.tenant_id", "knowledge_articles.id"],
                                name="fk_knowledge_article_versions_article"),
    )
    op.create_table(
        "knowledge_overrides", *_row(),
        sa.Column("article_tenant_id", sa.UUID(), nullable=False),
        sa.Column("article_id", sa.UUID(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("supplement", sa.Text(), nullable=True),
        sa.Column("local_phone", sa.String(40), nullable=True),
        sa.Column("local_office", sa.String(200), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_label", sa.String(200), nullable=False),
        _pk("knowledge_overrides"),
        sa.UniqueConstraint("tenant_id", "article_tenant_id", "article_id",
                            name="uq_knowledge_overrides_tenant_id_article_tenant_id_article_id"),
    )
    op.create_table(
        "knowledge_usages", *_row(),
        sa.Column("article_tenant_id", sa.UUID(), nullable=False),
        sa.Column("article_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("order_id", sa.UUID(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("actor_label", sa.String(200), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=True),
        _pk("knowledge_usages"),
        sa.UniqueConstraint("tenant_id", "order_id", "article_id", "kind",
                            name="uq_knowledge_usages_tenant_id_order_id_article_id_kind"),
    )
    op.create_index("ix_knowledge_usages_article", "knowledge_usages", ["tenant_id", "article_id"])
    op.create_index("ix_knowledge_usages_unreported", "knowledge_usages", ["created_at"],
                    postgresql_where=sa.text("reported_at IS NULL"))
    op.create_table(
        "knowledge_notices", *_row(),
        sa.Column("article_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("key", sa.String(60), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        _pk("knowledge_notices"),
        sa.UniqueConstraint("tenant_id", "article_id", "kind", "key",
                            name="uq_knowledge_notices_tenant_id_article_id_kind_key"),
    )
    op.create_table(
        "knowledge_terms", *_row(),
        sa.Column("term", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("synonyms", postgresql.ARRAY(sa.String(40)), nullable=False),
        _pk("knowledge_terms"),
        sa.UniqueConstraint("tenant_id", "term", name="uq_knowledge_terms_tenant_id_term"),
    )
    op.create_table(
        "enterprises", *_row(),
        sa.Column("credit_code", sa.String(18), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("contact_name", sa.String(100), nullable=True),
        sa.Column("industry", sa.String(100), nullable=True),
        sa.Column("access_key_hash", sa.String(64), nullable=True),
        _pk("enterprises"),
        sa.UniqueConstraint("tenant_id", "credit_code", name="uq_enterprises_tenant_id_credit_code"),
    )
    op.create_table(
        "policy_specialists", *_row(),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("display_name", sa.String(120), nullable=False),
        sa.Column("department", sa.String(100), nullable=False),
        sa.Column("policy_domains", postgresql.ARRAY(sa.String(40)), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _pk("policy_specialists"),
        sa.UniqueConstraint("tenant_id", "user_id", name="uq_policy_specialists_tenant_id_user_id"),
    )
    op.create_table(
        "policy_routes", *_row(),
        sa.Column("policy_domain", sa.String(40), nullable=False),
        sa.Column("department", sa.String(100), nullable=False),
        sa.Column("answer_hours", sa.Float(), nullable=False),
        _pk("policy_routes"),
        sa.UniqueConstraint("tenant_id", "policy_domain", name="uq_policy_routes_tenant_id_policy_domain"),
    )
    op.create_table(
        "enterprise_questions", *_row(),
        sa.Column("enterprise_id", sa.UUID(), nullable=False),
        sa.Column("policy_domain", sa.String(40), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("department", sa.String(100), nullable=True),
        sa.Column("specialist_id", sa.UUID(), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by_label", sa.String(200), nullable=True),
        sa.Column("article_tenant_id", sa.UUID(), nullable=True),
        sa.Column("article_id", sa.UUID(), nullable=True),
        sa.Column("escalated_to", sa.String(100), nullable=True),
        sa.Column("escalation_reason", sa.Text(), nullable=True),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("overdue_notified", sa.Boolean(), nullable=False),
        sa.Column("created_by_label", sa.String(200), nullable=False),
        _pk("enterprise_questions"),
        sa.ForeignKeyConstraint(["tenant_id", "enterprise_id"], ["enterprises.tenant_id", "enterprises.id"],
                                name="fk_enterprise_questions_enterprise"),
        sa.ForeignKeyConstraint(["tenant_id", "specialist_id"], ["policy_specialists.tenant_id", "policy_specialists.id"],
                                name="fk_enterprise_questions_specialist"),
    )
    op.create_index("ix_enterprise_questions_enterprise", "enterprise_questions", ["tenant_id", "enterprise_id"])
    op.create_index("ix_enterprise_questions_specialist", "enterprise_questions",
                    ["tenant_id", "specialist_id", "status"])
    op.create_index("ix_enterprise_questions_due", "enterprise_questions", ["due_at"],
                    postgresql_where=sa.text("status = 'assigned'"))
    for table in SHARED:
        op.execute(rls.shared_table_sql(table))
    for table in INHERITED:
        op.execute(rls.inherited_table_sql(table))
    for table in TENANT:
        op.execute(rls.tenant_table_sql(table))
    op.execute(SEARCH_FUNCTION)


def downgrade() -> None:
    op.execute(f"DROP FUNCTION IF EXISTS {SIGNATURE}")
    for table in ("enterprise_questions", "policy_routes", "policy_specialists", "enterprises", "knowledge_terms",
                  "knowledge_notices", "knowledge_usages", "knowledge_overrides", "knowledge_article_versions",
                  "knowledge_articles"):
        op.drop_table(table)
