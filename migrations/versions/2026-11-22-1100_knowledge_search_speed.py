"""Knowledge search at 100,000 articles: one GIN index that answers the whole first tier.

`knowledge_search_terms(...)` is the article's search vector, its title lexemes marked `^`, and its reach
marked `#` (`#o<owner>`; `#d<owner>` when shared down the tree; `#l<alliance>`; `#p` when public), so an
index condition `terms @@ (query & reach & ^title words)` returns only visible rows that match and share a
title word: the heap is read for the candidates only, not for every row with a common word. The function's
visibility filter (the same as the policy, from the same `SET LOCAL` scope) is kept as it was; the reach
lexemes only narrow the index scan (docs/knowledge.md).

`knowledge_search` gains `t` (last, default NULL): what a title must match for the first tier; the service
passes the query words only (no character hints or bigrams). NULL keeps the former rule (`r`, else `q`).

Revision ID: 20261122_knowledge_search_speed
Revises: 20261122_knowledge
Create Date: 2026-11-22 11:00:00
"""

from collections.abc import Sequence

from alembic import op

from hotline.kernel import rls

revision: str = "20261122_knowledge_search_speed"
down_revision: str | None = "20261122_knowledge"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TERMS_FUNCTION = r"""
CREATE OR REPLACE FUNCTION knowledge_search_terms(search_vector tsvector, title_vector tsvector, tenant_id uuid,
                                                  share_scope text, alliance_code text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog AS $$
  SELECT search_vector
    || array_to_tsvector(ARRAY(SELECT '^' || l FROM unnest(tsvector_to_array(title_vector)) l))
    || array_to_tsvector(array_remove(ARRAY[
         '#o' || tenant_id::text,
         CASE WHEN share_scope IN ('subtree', 'alliance') THEN '#d' || tenant_id::text END,
         CASE WHEN share_scope = 'alliance' THEN '#l' || alliance_code END,
         CASE WHEN share_scope = 'public' THEN '#p' END], NULL))
$$;
"""
TERMS = "knowledge_search_terms(a.search_vector, a.title_vector, a.tenant_id, a.share_scope, a.alliance_code)"
TERMS_INDEX = ("CREATE INDEX ix_knowledge_articles_terms ON knowledge_articles USING gin "
               "(knowledge_search_terms(search_vector, title_vector, tenant_id, share_scope, alliance_code)) "
               "WHERE status = 'published'")

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
_ARGS = "tsquery, tsquery, uuid, uuid[], text[], text[], text, date, integer"
OLD_SIGNATURE = f"knowledge_search({_ARGS})"
SIGNATURE = f"knowledge_search({_ARGS}, tsquery)"


def _grants(signature: str) -> str:
    return f"""
ALTER FUNCTION {signature} OWNER TO {rls.SYSTEM_ROLE};
REVOKE ALL ON FUNCTION {signature} FROM PUBLIC;
GRANT EXECUTE ON FUNCTION {signature} TO {rls.APP_ROLE};
"""


# The reach of the reader as a tsquery of `#` lexemes (what `knowledge_search_terms` writes), from the scope;
# the title query with its lexemes marked `^` (tsquery text quotes each lexeme, doubling a quote inside).
SEARCH_FUNCTION = rf"""
CREATE OR REPLACE FUNCTION knowledge_search(q tsquery, r tsquery, reader uuid, hide_for uuid[], kinds text[],
                                            categories text[], place text, on_day date, lim integer,
                                            t tsquery DEFAULT NULL)
RETURNS TABLE (tenant_id uuid, id uuid, rank real)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  found integer;
  body_cap constant integer := 500;
  titled constant tsquery := coalesce(t, r, q);
  reach tsquery;
  marked tsquery;
BEGIN
  SELECT string_agg('''' || replace(replace(l, '\', '\\'), '''', '''''') || '''', ' | ')::tsquery INTO reach
  FROM (SELECT '#o' || reader::text AS l WHERE reader = ANY (hotline_scope())
        UNION ALL SELECT '#d' || x::text FROM unnest(hotline_ancestors()) x
        UNION ALL SELECT '#l' || x FROM unnest(hotline_alliances()) x
        UNION ALL SELECT '#p') s;
  marked := regexp_replace(titled::text, '''((?:[^'']|'''')*)''', '''^\1''', 'g')::tsquery;
  RETURN QUERY
    SELECT a.tenant_id, a.id, {_RANK} AS rank FROM knowledge_articles a
    WHERE {TERMS} @@ (q && reach && marked)
      AND a.search_vector @@ q AND a.title_vector @@ titled AND {_WHERE}
    ORDER BY 3 DESC, 2 LIMIT lim;
  GET DIAGNOSTICS found = ROW_COUNT;
  IF found < lim THEN
    RETURN QUERY
      SELECT c.tenant_id, c.id, c.rank FROM (
        SELECT a.tenant_id, a.id, {_RANK} AS rank FROM knowledge_articles a
        WHERE {TERMS} @@ (q && reach)
          AND a.search_vector @@ q AND NOT (a.title_vector @@ titled) AND {_WHERE}
        LIMIT body_cap) c
      ORDER BY 3 DESC, 2 LIMIT lim - found;
  END IF;
END
$$;
{_grants(SIGNATURE)}"""

# As revision 20261122_knowledge created it.
OLD_SEARCH_FUNCTION = f"""
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
{_grants(OLD_SIGNATURE)}"""


def upgrade() -> None:
    op.execute(TERMS_FUNCTION)
    op.execute(TERMS_INDEX)
    op.execute(f"DROP FUNCTION {OLD_SIGNATURE}")
    op.execute(SEARCH_FUNCTION)


def downgrade() -> None:
    op.execute(f"DROP FUNCTION {SIGNATURE}")
    op.execute(OLD_SEARCH_FUNCTION)
    op.execute("DROP INDEX ix_knowledge_articles_terms")
    op.execute("DROP FUNCTION knowledge_search_terms(tsvector, tsvector, uuid, text, text)")
