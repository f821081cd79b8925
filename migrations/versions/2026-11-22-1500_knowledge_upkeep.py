"""Knowledge-base upkeep (知识库维护): the unit responsible for an article, and when each version was in force.

`knowledge_articles.owner_unit_id` names the handling unit that keeps the entry current. A published version
records `published_at`, `ended_at` (superseded or retired) and the expiry date and unit it published, so
that the evaluation's `knowledge_upkeep_rate` is computed from a history nothing later rewrites
(docs/evaluation.md). The index serves the one range read of a period's expiry dates.

Existing rows are filled from what they already hold: a version's publication is its last `updated_at`
(a published version is never edited afterwards), a superseded version ended when the next one was
published, a retired one when its article was retired; the unit is the article owner's, when the owner's
grants in that tenant name exactly one unit. The fill runs as the system role, whose policy sees every
tenant (the tables force row-level security on their owner too).

Revision ID: 20261122_knowledge_upkeep
Revises: 20261122_knowledge_title_rank
Create Date: 2026-11-22 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hotline.kernel import rls

revision: str = "20261122_knowledge_upkeep"
down_revision: str | None = "20261122_knowledge_title_rank"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VERSIONS = "knowledge_article_versions"
WAS_PUBLISHED = "('published', 'superseded', 'retired')"
FILL = f"""
SET LOCAL ROLE {rls.SYSTEM_ROLE};
UPDATE knowledge_articles a SET owner_unit_id = g.unit_id
FROM (SELECT tenant_id, user_id, min(unit_id::text)::uuid AS unit_id FROM role_grants
      WHERE unit_id IS NOT NULL GROUP BY tenant_id, user_id HAVING count(DISTINCT unit_id) = 1) g
WHERE g.tenant_id = a.tenant_id AND g.user_id = a.owner_user_id;
UPDATE {VERSIONS} v SET published_at = v.updated_at, expires_on = (v.content ->> 'expires_on')::date,
       owner_unit_id = a.owner_unit_id
FROM knowledge_articles a
WHERE a.tenant_id = v.tenant_id AND a.id = v.article_id AND v.status IN {WAS_PUBLISHED};
UPDATE {VERSIONS} v SET ended_at = coalesce(
    CASE WHEN v.status = 'retired' THEN a.retired_at END,
    (SELECT min(n.published_at) FROM {VERSIONS} n
     WHERE n.tenant_id = v.tenant_id AND n.article_id = v.article_id AND n.version > v.version
       AND n.published_at IS NOT NULL),
    a.updated_at)
FROM knowledge_articles a
WHERE a.tenant_id = v.tenant_id AND a.id = v.article_id AND v.status IN ('superseded', 'retired');
RESET ROLE;
"""


def upgrade() -> None:
    op.add_column("knowledge_articles", sa.Column("owner_unit_id", sa.UUID(), nullable=True))
    op.create_foreign_key("fk_knowledge_articles_tenant_id_owner_unit_id_units", "knowledge_articles", "units",
                          ["tenant_id", "owner_unit_id"], ["tenant_id", "id"])
    op.add_column(VERSIONS, sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(VERSIONS, sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(VERSIONS, sa.Column("expires_on", sa.Date(), nullable=True))
    op.add_column(VERSIONS, sa.Column("owner_unit_id", sa.UUID(), nullable=True))
    op.create_foreign_key("fk_knowledge_article_versions_tenant_id_owner_unit_id_units", VERSIONS, "units",
                          ["tenant_id", "owner_unit_id"], ["tenant_id", "id"])
    op.execute(FILL)
    op.create_index("ix_knowledge_article_versions_tenant_id_expires_on", VERSIONS, ["tenant_id", "expires_on"],
                    postgresql_where=sa.text("published_at IS NOT NULL"))


def downgrade() -> None:
    op.drop_index("ix_knowledge_article_versions_tenant_id_expires_on", table_name=VERSIONS)
    op.drop_constraint("fk_knowledge_article_versions_tenant_id_owner_unit_id_units", VERSIONS, type_="foreignkey")
    for column in ("owner_unit_id", "expires_on", "ended_at", "published_at"):
        op.drop_column(VERSIONS, column)
    op.drop_constraint("fk_knowledge_articles_tenant_id_owner_unit_id_units", "knowledge_articles",
                       type_="foreignkey")
    op.drop_column("knowledge_articles", "owner_unit_id")
