"""Reading down the tree and across alliances: tables made with `rls.inherited_table_sql` and
`rls.shared_table_sql` let a tenant read its ancestors' (and alliances') rows, never write them."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import exc, text

from hotline.kernel import rls
from tests.conftest import Api

pytestmark = pytest.mark.portability


@pytest.fixture(scope="module")
def shared_tables(owner_engine: Any) -> Any:
    with owner_engine.begin() as conn:
        for table in ("probe_inherited", "probe_shared"):
            conn.execute(text(f"DROP TABLE IF EXISTS {table}"))
        conn.execute(text("CREATE TABLE probe_inherited (tenant_id uuid, id uuid, label text, "
                          "PRIMARY KEY (tenant_id, id))"))
        conn.execute(text("CREATE TABLE probe_shared (tenant_id uuid, id uuid, label text, share_scope text, "
                          "alliance_code text, PRIMARY KEY (tenant_id, id))"))
        conn.execute(text(rls.inherited_table_sql("probe_inherited")))
        conn.execute(text(rls.shared_table_sql("probe_shared")))
        conn.execute(text("SET LOCAL ROLE hotline_system"))
        ids = dict(conn.execute(text("SELECT code, tenant_id FROM tenants WHERE code IN "
                                     "('320000', '320100', '320500', '310000', '110000')")).all())
        for code, tenant in ids.items():
            conn.execute(text("INSERT INTO probe_inherited VALUES (:t, :i, :l)"),
                         {"t": tenant, "i": uuid.uuid4(), "l": code})
            for scope in ("own", "subtree", "alliance", "public"):
                alliance = {"310000": "changsanjiao", "110000": "jingjinji"}.get(code)
                conn.execute(text("INSERT INTO probe_shared VALUES (:t, :i, :l, :s, :a)"),
                             {"t": tenant, "i": uuid.uuid4(), "l": f"{code}:{scope}", "s": scope, "a": alliance})
    yield ids
    with owner_engine.begin() as conn:
        conn.execute(text("DROP TABLE probe_inherited"))
        conn.execute(text("DROP TABLE probe_shared"))


def as_app(app_engine: Any, scope: list[uuid.UUID], ancestors: list[uuid.UUID], alliances: list[str],
           statement: str) -> list[str]:
    with app_engine.begin() as conn:
        conn.execute(text("SELECT hotline_set_scope(CAST(:s AS uuid[]), CAST(:a AS uuid[]), CAST(:l AS text[]))"),
                     {"s": [str(i) for i in scope], "a": [str(i) for i in ancestors], "l": alliances})
        return sorted(conn.execute(text(statement)).scalars())


def test_a_city_reads_its_provinces_configuration_but_not_a_siblings(app_engine: Any, shared_tables: Any) -> None:
    ids = shared_tables
    seen = as_app(app_engine, [ids["320100"]], [ids["320000"]], [], "SELECT label FROM probe_inherited")
    assert seen == ["320000", "320100"]


def test_shared_rows_reach_descendants_alliances_and_everyone_as_their_scope_says(
    app_engine: Any, shared_tables: Any
) -> None:
    ids = shared_tables
    seen = as_app(app_engine, [ids["320100"]], [ids["320000"]], ["changsanjiao"], "SELECT label FROM probe_shared")
    assert seen == sorted([
        "320100:own", "320100:subtree", "320100:alliance", "320100:public",  # its own, all of them
        "320000:subtree", "320000:alliance", "320000:public",  # the province's shared ones
        "310000:alliance", "310000:public",  # 上海 shares with 长三角
        "320500:public", "110000:public",  # a sibling's and 北京's public ones only
    ])


def test_an_ancestors_rows_cannot_be_written_from_below(app_engine: Any, shared_tables: Any) -> None:
    ids = shared_tables
    for statement in ("UPDATE probe_inherited SET label = 'x' WHERE tenant_id = '{p}' RETURNING label",
                      "DELETE FROM probe_inherited WHERE tenant_id = '{p}' RETURNING label"):
        changed = as_app(app_engine, [ids["320100"]], [ids["320000"]], [], statement.format(p=ids["320000"]))
        assert changed == []
    with pytest.raises(exc.ProgrammingError, match="row-level security"):
        as_app(app_engine, [ids["320100"]], [ids["320000"]], [],
               f"INSERT INTO probe_inherited VALUES ('{ids['320000']}', gen_random_uuid(), 'x') RETURNING label")


def test_without_a_scope_nothing_shared_but_public_rows_is_seen(app_engine: Any, shared_tables: Any) -> None:
    assert as_app(app_engine, [], [], [], "SELECT label FROM probe_inherited") == []
    assert all(label.endswith(":public") for label in as_app(app_engine, [], [], [], "SELECT label FROM probe_shared"))


async def test_signed_in_scope_carries_ancestors_and_alliances(api: Api) -> None:
    from hotline.tenancy import signin

    token = await api.token("nj.agent")
    cached = [v for k, v in signin.CALLERS._entries.items() if k[0] == token]
    if not cached:
        await api.gql("{ me { login } }", as_user="nj.agent")
        cached = [v for k, v in signin.CALLERS._entries.items() if k[0] == token]
    acting = cached[0][2]
    assert acting is not None and len(acting.scope.ancestor_ids) == 1
    assert acting.scope.alliance_codes == frozenset({"changsanjiao"})
