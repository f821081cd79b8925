"""20261122_knowledge_upkeep fills existing articles: each published version's in-force interval, expiry date
and unit, and the article's responsible unit from its owner's only unit grant."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import create_engine, pool, text

from hotline.kernel import migrate
from hotline.kernel.database import driver_url
from tests.conftest import create_database, drop_database

pytestmark = pytest.mark.portability

BEFORE = "20261122_knowledge_title_rank"
T, UNIT, OTHER, OWNER, LONE = (uuid.uuid4() for _ in range(5))
SEED = """
INSERT INTO tenants (tenant_id, ancestors, code, name, kind, status)
    VALUES (:t, '{}', :code, '测试热线', 'city', 'active');
INSERT INTO units (tenant_id, id, code, name, kind, active) VALUES (:t, :unit, 'u1', '街道一', 'street', true),
    (:t, :other, 'u2', '街道二', 'street', true);
INSERT INTO role_grants (tenant_id, id, user_tenant_id, user_id, role, unit_id) VALUES
    (:t, gen_random_uuid(), :t, :owner, 'policy_specialist', :unit),
    (:t, gen_random_uuid(), :t, :lone, 'unit_handler', :unit),
    (:t, gen_random_uuid(), :t, :lone, 'unit_handler', :other);
"""
ARTICLE = """
INSERT INTO knowledge_articles (tenant_id, id, kind, status, share_scope, title, body, category_codes, tags,
    attachments, version, latest_version, search_vector, title_vector, owner_user_id, updated_at, updated_by_label,
    retired_at, direct_answer_total, helpful_total, unhelpful_total)
VALUES (:t, :id, 'qa', :status, 'own', 'x', 'y', '{}', '{}', '[]', 1, 3, '', '', :owner, '2024-09-01T00:00:00Z', 's',
    :retired, 0, 0, 0)
"""
VERSION = """
INSERT INTO knowledge_article_versions (tenant_id, id, article_id, version, status, content, updated_at,
    updated_by_label) VALUES (:t, gen_random_uuid(), :id, :n, :status, CAST(:content AS jsonb), :at, 's')
"""


def _seed(conn: Any) -> tuple[uuid.UUID, uuid.UUID]:
    for statement in SEED.strip().split(";\n"):
        conn.execute(text(statement), {"t": T, "code": f"fill{T.hex[:6]}", "unit": UNIT, "other": OTHER,
                                       "owner": OWNER, "lone": LONE})
    renewed, retired = uuid.uuid4(), uuid.uuid4()
    conn.execute(text(ARTICLE), {"t": T, "id": renewed, "status": "published", "owner": OWNER, "retired": None})
    conn.execute(text(ARTICLE), {"t": T, "id": retired, "status": "retired", "owner": LONE,
                                 "retired": "2024-08-01T00:00:00Z"})
    for article, n, status, expires, at in (
            (renewed, 1, "superseded", "2024-06-30", "2024-01-01T00:00:00Z"),
            (renewed, 2, "published", "2025-06-30", "2024-06-20T00:00:00Z"),
            (renewed, 3, "draft", "2026-06-30", "2024-07-01T00:00:00Z"),
            (retired, 1, "retired", "2024-07-31", "2024-02-01T00:00:00Z")):
        conn.execute(text(VERSION), {"t": T, "id": article, "n": n, "status": status, "at": at,
                                     "content": f'{{"expires_on": "{expires}"}}'})
    return renewed, retired


def test_the_fill_reconstructs_what_was_in_force(pg_server: str) -> None:
    name = f"hotline_fill_{uuid.uuid4().hex[:8]}"
    url = create_database(pg_server, name)
    engine = create_engine(driver_url(url), poolclass=pool.NullPool)
    try:
        migrate.upgrade(url, BEFORE)
        with engine.begin() as conn:
            renewed, retired = _seed(conn)
        migrate.upgrade(url)
        with engine.connect() as conn:
            units = dict(conn.execute(text("SELECT id, owner_unit_id FROM knowledge_articles")).all())
            rows = conn.execute(text(
                "SELECT article_id, version, published_at::date::text, ended_at::date::text, expires_on::text, "
                "owner_unit_id FROM knowledge_article_versions ORDER BY article_id = :r, version"),
                {"r": retired}).all()
        # The owner's one unit grant names the unit; two units leave it open.
        assert units == {renewed: UNIT, retired: None}
        assert [tuple(r) for r in rows] == [
            (renewed, 1, "2024-01-01", "2024-06-20", "2024-06-30", UNIT),  # ended when version 2 was published
            (renewed, 2, "2024-06-20", None, "2025-06-30", UNIT),
            (renewed, 3, None, None, None, None),  # a draft was never in force
            (retired, 1, "2024-02-01", "2024-08-01", "2024-07-31", None)]  # ended by the retirement
        migrate.downgrade(url, BEFORE)
    finally:
        engine.dispose()
        drop_database(pg_server, name)
