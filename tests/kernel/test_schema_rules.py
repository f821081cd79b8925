"""The schema keeps the tenancy and Citus rules: walks the live catalogue after the real migrations."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from hotline.kernel.rls import APP_ROLE, REFERENCE_TABLES, SYSTEM_ROLE

pytestmark = pytest.mark.portability


def tenant_tables(conn: Any) -> list[str]:
    rows = conn.execute(text(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1")).scalars().all()
    return [r for r in rows if r not in REFERENCE_TABLES]


def test_every_tenant_table_has_forced_rls_with_using_and_with_check(owner_engine: Any) -> None:
    with owner_engine.connect() as conn:
        tables = tenant_tables(conn)
        assert {"tenants", "units", "users", "role_grants", "audit_log", "outbox"} <= set(tables)
        for table in tables:
            enabled, forced = conn.execute(text(
                "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = :t"), {"t": table}).one()
            assert enabled and forced, f"{table}: row-level security must be enabled and forced"
            policies = conn.execute(text(
                "SELECT policyname, cmd, roles::text[], qual, with_check FROM pg_policies WHERE tablename = :t"),
                {"t": table}).all()
            app = [p for p in policies if APP_ROLE in p.roles]
            covered = set()
            for p in app:
                needs_using = p.cmd in ("ALL", "SELECT", "UPDATE", "DELETE")
                needs_check = p.cmd in ("ALL", "INSERT", "UPDATE")
                if needs_using:
                    assert p.qual and "hotline_scope()" in p.qual, f"{table}.{p.policyname}: USING must use the scope"
                if needs_check:
                    assert p.with_check == "(tenant_id = ANY (hotline_scope()))", \
                        f"{table}.{p.policyname}: WITH CHECK must confine writes to the scope"
                covered |= {"SELECT", "INSERT", "UPDATE", "DELETE"} if p.cmd == "ALL" else {p.cmd}
            assert covered == {"SELECT", "INSERT", "UPDATE", "DELETE"}, f"{table}: app policies cover {covered}"
            assert not [p for p in policies if "public" in p.roles], f"{table}: a policy for PUBLIC"


def test_application_role_cannot_bypass_rls_and_owns_nothing(owner_engine: Any) -> None:
    with owner_engine.connect() as conn:
        for role in (APP_ROLE, SYSTEM_ROLE):
            superuser, bypass = conn.execute(text(
                "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = :r"), {"r": role}).one()
            assert not superuser and not bypass, role
            owned = conn.execute(text(
                "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = :r"),
                {"r": role}).scalar()
            assert owned == 0, f"{role} owns {owned} relations"


def test_keys_and_foreign_keys_of_tenant_tables_include_tenant_id(owner_engine: Any) -> None:
    with owner_engine.connect() as conn:
        tables = tenant_tables(conn)
        rows = conn.execute(text(
            "SELECT cl.relname AS tbl, con.conname, con.contype, con.confrelid::regclass::text AS target, "
            "ARRAY(SELECT a.attname FROM unnest(con.conkey) k JOIN pg_attribute a "
            "      ON a.attrelid = con.conrelid AND a.attnum = k)::text[] AS cols "
            "FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid "
            "WHERE con.contype IN ('p', 'u', 'f') AND cl.relname = ANY(:tables)"), {"tables": tables}).all()
        for row in rows:
            if row.contype == "f" and row.target in REFERENCE_TABLES:
                continue  # a tenant table may point at shared reference data (Citus allows it)
            assert "tenant_id" in row.cols, f"{row.tbl}.{row.conname} ({row.contype}) lacks tenant_id"
        unique_indexes = conn.execute(text(
            "SELECT indexrelid::regclass::text AS idx, indrelid::regclass::text AS tbl, "
            "pg_get_indexdef(indexrelid) AS d "
            "FROM pg_index WHERE indisunique AND indrelid::regclass::text = ANY(:tables)"), {"tables": tables}).all()
        for idx in unique_indexes:
            assert "tenant_id" in idx.d, f"{idx.tbl}: unique index {idx.idx} lacks tenant_id"


def test_reference_tables_never_reference_tenant_tables(owner_engine: Any) -> None:
    with owner_engine.connect() as conn:
        tables = tenant_tables(conn)
        refs = conn.execute(text(
            "SELECT conrelid::regclass::text AS src, confrelid::regclass::text AS dst FROM pg_constraint "
            "WHERE contype = 'f'")).all()
        for ref in refs:
            if ref.src in REFERENCE_TABLES:
                assert ref.dst not in tables, f"reference table {ref.src} points at tenant table {ref.dst}"


def test_no_triggers_and_no_int_or_serial_ids(owner_engine: Any) -> None:
    with owner_engine.connect() as conn:
        tables = tenant_tables(conn)
        triggers = conn.execute(text(
            "SELECT tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal "
            "AND tgrelid::regclass::text = ANY(:t)"), {"t": tables}).scalars().all()
        assert triggers == []
        bad = conn.execute(text(
            "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND (column_name = 'id' OR column_name LIKE '%\\_id') AND (data_type IN ('integer', 'smallint') "
            "OR column_default LIKE 'nextval%')")).scalars().all()
        assert bad == []
        tenant_id_types = set(conn.execute(text(
            "SELECT DISTINCT data_type FROM information_schema.columns WHERE table_schema = 'public' "
            "AND column_name = 'tenant_id'")).scalars().all())
        assert tenant_id_types == {"uuid"}
