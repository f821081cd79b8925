"""Row-level-security DDL shared by the migrations, and the list of reference tables.

Every table with a `tenant_id` column is a tenant table unless it is named here; tests walk the
catalogue and fail on a tenant table without forced RLS.
"""

from __future__ import annotations

APP_ROLE = "hotline_app"
SYSTEM_ROLE = "hotline_system"

# Shared across tenants on purpose. Directories hold tenant ids but no tenant data and are read
# only by the system role; regions and alliances are public reference data.
REFERENCE_TABLES = frozenset(
    {"tenant_directory", "login_directory", "alliances", "alliance_members", "regions", "alembic_version",
     "categories"}
)
SYSTEM_ONLY_TABLES = frozenset({"tenant_directory", "login_directory"})
# Append-only for the application role.
APPEND_ONLY_TABLES = frozenset({"audit_log", "work_order_events"})

SCOPE_FUNCTIONS = """
CREATE OR REPLACE FUNCTION hotline_scope() RETURNS uuid[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_to_array(nullif(current_setting('hotline.scope', true), ''), ',')::uuid[],
                  '{}'::uuid[])
$$;

CREATE OR REPLACE FUNCTION hotline_set_scope(tenant_ids uuid[]) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  -- SET LOCAL (not set_config): lasts until the end of the transaction, and Citus forwards it.
  EXECUTE format('SET LOCAL hotline.scope = %L', array_to_string(tenant_ids, ','));
END
$$;
"""

DROP_SCOPE_FUNCTIONS = """
DROP FUNCTION IF EXISTS hotline_set_scope(uuid[]);
DROP FUNCTION IF EXISTS hotline_scope();
"""


# Reading down the tree and across alliances (migration 20261122_shared_reads). Besides its subtree, a
# transaction knows the acting tenant's ancestors and the alliances its chain belongs to; tables of
# configuration that flows down the tree, and of shared knowledge, let it READ matching rows of those.
# Writes stay confined to the subtree.
SHARED_READ_FUNCTIONS = """
CREATE OR REPLACE FUNCTION hotline_ancestors() RETURNS uuid[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_to_array(nullif(current_setting('hotline.ancestors', true), ''), ',')::uuid[],
                  '{}'::uuid[])
$$;

CREATE OR REPLACE FUNCTION hotline_alliances() RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_to_array(nullif(current_setting('hotline.alliances', true), ''), ','), '{}'::text[])
$$;

CREATE OR REPLACE FUNCTION hotline_set_scope(tenant_ids uuid[], ancestor_ids uuid[], alliance_codes text[])
RETURNS void LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  EXECUTE format('SET LOCAL hotline.scope = %L', array_to_string(tenant_ids, ','));
  EXECUTE format('SET LOCAL hotline.ancestors = %L', array_to_string(ancestor_ids, ','));
  EXECUTE format('SET LOCAL hotline.alliances = %L', array_to_string(alliance_codes, ','));
END
$$;
"""

DROP_SHARED_READ_FUNCTIONS = """
DROP FUNCTION IF EXISTS hotline_set_scope(uuid[], uuid[], text[]);
DROP FUNCTION IF EXISTS hotline_alliances();
DROP FUNCTION IF EXISTS hotline_ancestors();
"""


def grant_shared_read_sql() -> str:
    return (f"GRANT EXECUTE ON FUNCTION hotline_ancestors(), hotline_alliances(), "
            f"hotline_set_scope(uuid[], uuid[], text[]) TO {APP_ROLE}, {SYSTEM_ROLE};")


def _write_policies(table: str) -> str:
    scoped = "tenant_id = ANY (hotline_scope())"
    return f"""
CREATE POLICY tenant_insert ON {table} FOR INSERT TO {APP_ROLE} WITH CHECK ({scoped});
CREATE POLICY tenant_update ON {table} FOR UPDATE TO {APP_ROLE} USING ({scoped}) WITH CHECK ({scoped});
CREATE POLICY tenant_delete ON {table} FOR DELETE TO {APP_ROLE} USING ({scoped});
CREATE POLICY system_all ON {table} TO {SYSTEM_ROLE} USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {APP_ROLE}, {SYSTEM_ROLE};
"""


def inherited_table_sql(table: str) -> str:
    """Forced RLS for configuration that flows down the tree: descendants read an ancestor's rows."""
    return f"""
ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_read ON {table} FOR SELECT TO {APP_ROLE}
  USING (tenant_id = ANY (hotline_scope()) OR tenant_id = ANY (hotline_ancestors()));
{_write_policies(table)}"""


def shared_table_sql(table: str, share_column: str = "share_scope", alliance_column: str = "alliance_code") -> str:
    """Forced RLS for shared content (knowledge): `share_column` is 'own', 'subtree', 'alliance' or 'public'.

    'subtree' rows reach the owner's descendants; 'alliance' rows also reach the members (and their
    descendants) of the alliance named in `alliance_column`; 'public' rows reach everyone.
    """
    return f"""
ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_read ON {table} FOR SELECT TO {APP_ROLE} USING (
  tenant_id = ANY (hotline_scope())
  OR ({share_column} IN ('subtree', 'alliance') AND tenant_id = ANY (hotline_ancestors()))
  OR ({share_column} = 'alliance' AND {alliance_column} = ANY (hotline_alliances()))
  OR {share_column} = 'public');
{_write_policies(table)}"""


def create_roles_sql() -> str:
    parts = []
    for role in (APP_ROLE, SYSTEM_ROLE):
        parts.append(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN "
            f"CREATE ROLE {role} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE; END IF; END $$;"
        )
    return "\n".join(parts)


def grant_database_sql() -> str:
    return (
        f"DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO {APP_ROLE}, {SYSTEM_ROLE}', "
        f"current_database()); END $$;\n"
        f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}, {SYSTEM_ROLE};\n"
        f"GRANT EXECUTE ON FUNCTION hotline_scope(), hotline_set_scope(uuid[]) TO {APP_ROLE}, {SYSTEM_ROLE};"
    )


def tenant_table_sql(table: str) -> str:
    """Enable and force RLS with the scope policy for the app role and the all-tenants policy for system."""
    app_rights = "SELECT, INSERT" if table in APPEND_ONLY_TABLES else "SELECT, INSERT, UPDATE, DELETE"
    return f"""
ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_scope ON {table} TO {APP_ROLE}
  USING (tenant_id = ANY (hotline_scope())) WITH CHECK (tenant_id = ANY (hotline_scope()));
CREATE POLICY system_all ON {table} TO {SYSTEM_ROLE} USING (true) WITH CHECK (true);
GRANT {app_rights} ON {table} TO {APP_ROLE};
GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {SYSTEM_ROLE};
"""


def reference_table_sql(table: str) -> str:
    grants = f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {SYSTEM_ROLE};"
    if table in SYSTEM_ONLY_TABLES:
        # The app may claim a new code or login (a duplicate fails on the key) but never list them.
        grants += f"\nGRANT INSERT ON {table} TO {APP_ROLE};"
    else:
        grants += f"\nGRANT SELECT ON {table} TO {APP_ROLE};"
    return grants


def revoke_sql() -> str:
    return (
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {APP_ROLE}, {SYSTEM_ROLE};\n"
        f"REVOKE USAGE ON SCHEMA public FROM {APP_ROLE}, {SYSTEM_ROLE};\n"
        f"DO $$ BEGIN EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM {APP_ROLE}, {SYSTEM_ROLE}', "
        f"current_database()); END $$;"
    )
