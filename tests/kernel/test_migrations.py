"""Every migration is reversible: upgrade → downgrade → upgrade on an empty database."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, inspect, pool

from hotline.kernel import migrate
from hotline.kernel.database import driver_url
from tests.conftest import create_database, drop_database

pytestmark = pytest.mark.portability


def tables(url: str) -> set[str]:
    engine = create_engine(driver_url(url), poolclass=pool.NullPool)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade_on_an_empty_database(pg_server: str) -> None:
    name = f"hotline_migr_{uuid.uuid4().hex[:8]}"
    url = create_database(pg_server, name)
    try:
        migrate.upgrade(url)
        upgraded = tables(url)
        assert {"tenants", "units", "users", "audit_log", "outbox"} <= upgraded
        migrate.downgrade(url, "base")
        assert tables(url) <= {"alembic_version"}
        migrate.upgrade(url)
        assert tables(url) == upgraded
    finally:
        drop_database(pg_server, name)
