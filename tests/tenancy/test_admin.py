"""Administration of the tree: tenants, units, users and role grants, with their refusals."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from tests.conftest import Api, run_jobs, unique

CREATE_TENANT = """mutation($i:CreateTenantInput!){createTenant(input:$i){__typename
  ... on Tenant{code name kind status parent{code}} ... on ValidationErrors{errors{path message code}}}}"""
RENAME = """mutation($c:String!,$n:String!){renameTenant(code:$c,name:$n){__typename
  ... on Tenant{name} ... on ValidationErrors{errors{path code}}}}"""
SUSPEND = """mutation($c:String!){suspendTenant(code:$c){__typename
  ... on Tenant{status} ... on ValidationErrors{errors{path code}}}}"""
CREATE_UNIT = """mutation($i:CreateUnitInput!){createUnit(input:$i){__typename
  ... on Unit{code name kind parentId} ... on ValidationErrors{errors{path message code}}}}"""
UPDATE_UNIT = """mutation($i:UpdateUnitInput!){updateUnit(input:$i){__typename
  ... on Unit{code name active parentId} ... on ValidationErrors{errors{path code}}}}"""


def errors(result: dict[str, Any]) -> list[tuple[str, str]]:
    return [(".".join(e["path"]), e["code"]) for e in result.get("errors", [])]


def new_county(parent: str = "320500") -> dict[str, Any]:
    # A sub-centre keeps codes free of the real division codes the catalogue already uses.
    return {"parentCode": parent, "code": unique("t-"), "name": "测试分中心", "kind": "SUB_CENTRE"}


async def test_province_admin_creates_renames_and_suspends_a_county_level_tenant(api: Api) -> None:
    code = unique("t-")
    created = await api.gql(CREATE_TENANT, {"i": {"parentCode": "320100", "code": code, "name": "江北新区分中心",
                                                  "kind": "SUB_CENTRE"}}, as_user="js.admin")
    assert created["createTenant"] == {"__typename": "Tenant", "code": code, "name": "江北新区分中心",
                                       "kind": "SUB_CENTRE", "status": "ACTIVE", "parent": {"code": "320100"}}
    renamed = await api.gql(RENAME, {"c": code, "n": "江北新区12345分中心"}, as_user="js.admin")
    assert renamed["renameTenant"] == {"__typename": "Tenant", "name": "江北新区12345分中心"}
    suspended = await api.gql(SUSPEND, {"c": code}, as_user="js.admin")
    assert suspended["suspendTenant"]["status"] == "SUSPENDED"
    seen = await api.gql('query($c:String!){ tenant(code:$c) { name status } }', {"c": code}, as_user="nj.admin")
    assert seen["tenant"] == {"name": "江北新区12345分中心", "status": "SUSPENDED"}


async def test_a_county_is_created_with_a_real_division_code_inside_its_city(api: Api, owner_engine: Any) -> None:
    with owner_engine.begin() as conn:  # free a real county code for this test by removing its tenant
        conn.execute(text("SET LOCAL ROLE hotline_system"))
        taken = conn.execute(text("SELECT 1 FROM tenants WHERE code = '320507'")).first()
    code = "320507" if not taken else None
    bad = await api.gql(CREATE_TENANT, {"i": {"parentCode": "320100", "code": "x320599", "name": "不存在的区",
                                              "kind": "COUNTY", "divisionCode": "320599"}}, as_user="js.admin")
    assert ("divisionCode", "invalid_division") in errors(bad["createTenant"])
    outside = await api.gql(CREATE_TENANT, {"i": {"parentCode": "320100", "code": "x320507", "name": "相城区",
                                                  "kind": "COUNTY", "divisionCode": "320507"}}, as_user="js.admin")
    assert ("divisionCode", "invalid_division") in errors(outside["createTenant"])  # 相城 is in 苏州, not 南京
    assert code is None  # the demo catalogue already holds every Jiangsu county


async def test_a_division_another_tenant_serves_is_refused(api: Api, owner_engine: Any) -> None:
    for parent, kind, division in (("320000", "CITY", "320200"), ("320100", "COUNTY", "320102")):
        code = unique("dup-")
        taken = await api.gql(CREATE_TENANT, {"i": {"parentCode": parent, "code": code, "name": "重复的热线",
                                                    "kind": kind, "divisionCode": division}}, as_user="js.admin")
        assert errors(taken["createTenant"]) == [("divisionCode", "division_taken")], division
        with owner_engine.begin() as conn:
            conn.execute(text("SET LOCAL ROLE hotline_system"))
            assert conn.execute(text("SELECT count(*) FROM tenants WHERE division_code = :d"),
                                {"d": division}).scalar() == 1
    other = await api.gql(CREATE_TENANT, {"i": {"parentCode": "320000", "code": unique("dup-"), "name": "x",
                                                "kind": "CITY", "divisionCode": "320200"}}, as_user="sz.admin")
    assert errors(other["createTenant"]) == [("parentCode", "not_found")]


async def test_a_new_tenant_gets_its_hotline_office_through_the_outbox(api: Api, stub_broker: Any) -> None:
    data = new_county()
    await api.gql(CREATE_TENANT, {"i": data}, as_user="js.admin")
    assert await run_jobs(stub_broker) >= 1
    units = await api.gql('query($c:String!){ tenant(code:$c) { units { code kind name } } }',
                          {"c": data["code"]}, as_user="js.admin")
    assert units["tenant"]["units"] == [{"code": "office", "kind": "HOTLINE_OFFICE", "name": "测试分中心热线办"}]


async def test_city_admin_cannot_touch_the_province_or_a_sibling_city(api: Api) -> None:
    for code in ("320000", "320500", "320505"):
        result = await api.gql(RENAME, {"c": code, "n": "改名"}, as_user="nj.admin")
        assert errors(result["renameTenant"]) == [("code", "not_found")], code
        suspended = await api.gql(SUSPEND, {"c": code}, as_user="nj.admin")
        assert errors(suspended["suspendTenant"]) == [("code", "not_found")]
    sibling = await api.gql(CREATE_TENANT, {"i": new_county("320500")}, as_user="nj.admin")
    assert errors(sibling["createTenant"]) == [("parentCode", "not_found")]
    own = await api.gql(CREATE_TENANT, {"i": new_county("320100")}, as_user="nj.admin")
    assert errors(own["createTenant"]) == [("", "forbidden")]
    unit = await api.gql(CREATE_UNIT, {"i": {"tenantCode": "320500", "code": unique("u-"), "name": "x",
                                             "kind": "DEPARTMENT"}}, as_user="nj.admin")
    assert errors(unit["createUnit"]) == [("tenantCode", "not_found")]


async def test_bad_tenant_input_returns_every_field_error_and_writes_nothing(api: Api) -> None:
    result = await api.gql(CREATE_TENANT, {"i": {"parentCode": "320100", "code": "!", "name": " ",
                                                 "kind": "PROVINCE"}}, as_user="js.admin")
    assert set(errors(result["createTenant"])) == {("code", "invalid_format"), ("name", "required"),
                                                   ("kind", "invalid_parent")}
    duplicate = await api.gql(CREATE_TENANT, {"i": {**new_county("320100"), "code": "320102"}}, as_user="js.admin")
    assert errors(duplicate["createTenant"]) == [("code", "already_exists")]


async def test_tenant_admin_manages_the_unit_tree(api: Api) -> None:
    parent, child = unique("d-"), unique("s-")
    made = await api.gql(CREATE_UNIT, {"i": {"code": parent, "name": "市供暖公司", "kind": "COMPANY"}},
                         as_user="nj.admin")
    assert made["createUnit"]["__typename"] == "Unit"
    sub = await api.gql(CREATE_UNIT, {"i": {"code": child, "name": "客服科", "kind": "SECTION", "parentCode": parent}},
                        as_user="nj.admin")
    assert sub["createUnit"]["parentId"]
    cycle = await api.gql(UPDATE_UNIT, {"i": {"code": parent, "parentCode": child}}, as_user="nj.admin")
    assert errors(cycle["updateUnit"]) == [("parentCode", "cycle")]
    off = await api.gql(UPDATE_UNIT, {"i": {"code": child, "name": "热线客服科", "active": False}}, as_user="nj.admin")
    assert off["updateUnit"]["name"] == "热线客服科" and off["updateUnit"]["active"] is False
    again = await api.gql(CREATE_UNIT, {"i": {"code": parent, "name": "重复", "kind": "COMPANY",
                                              "parentCode": "nope"}}, as_user="nj.admin")
    assert set(errors(again["createUnit"])) == {("code", "already_exists"), ("parentCode", "not_found")}
    agent = await api.gql(CREATE_UNIT, {"i": {"code": unique("x-"), "name": "x", "kind": "COMPANY"}},
                          as_user="nj.agent")
    assert errors(agent["createUnit"]) == [("", "forbidden")]


async def test_role_grants_limited_to_a_unit_are_audited(api: Api, owner_engine: Any) -> None:
    login = unique("h.")
    await api.gql("mutation($i:CreateUserInput!){createUser(input:$i){__typename}}",
                  {"i": {"login": login, "displayName": "梅园新村承办人", "password": "long-enough-1"}},
                  as_user="nj.admin")
    granted = await api.gql("""mutation($i:GrantRoleInput!){grantRole(input:$i){__typename
        ... on RoleGrant{id role unitId} ... on ValidationErrors{errors{path code}}}}""",
                            {"i": {"login": login, "role": "UNIT_HANDLER", "unitCode": "320102002"}},
                            as_user="nj.admin")
    grant = granted["grantRole"]
    assert grant["role"] == "UNIT_HANDLER" and grant["unitId"]
    revoked = await api.gql("mutation($g:UUID!){revokeRole(grantId:$g){__typename}}", {"g": grant["id"]},
                            as_user="nj.admin")
    assert revoked["revokeRole"]["__typename"] == "RoleGrant"
    with owner_engine.connect() as conn:
        conn.execute(text("SET ROLE hotline_system"))
        actions = set(conn.execute(text("SELECT action FROM audit_log WHERE object_id = :g"),
                                   {"g": grant["id"]}).scalars())
    assert actions == {"permission.granted", "permission.revoked"}
    foreign = await api.gql("mutation($g:UUID!){revokeRole(grantId:$g){... on ValidationErrors{errors{code}}}}",
                            {"g": grant["id"]}, as_user="sz.admin")
    assert foreign["revokeRole"]["errors"][0]["code"] == "not_found"


async def test_a_suspended_tenant_refuses_its_own_users(api: Api) -> None:
    data = new_county("320100")
    await api.gql(CREATE_TENANT, {"i": data}, as_user="js.admin")
    login = unique("s.")
    await api.gql("mutation($i:CreateUserInput!){createUser(input:$i){__typename}}",
                  {"i": {"login": login, "displayName": "x", "password": "long-enough-1", "tenantCode": data["code"]}},
                  as_user="js.admin", tenant=data["code"])
    await api.gql("mutation($i:GrantRoleInput!){grantRole(input:$i){__typename}}",
                  {"i": {"login": login, "role": "AGENT", "tenantCode": data["code"]}}, as_user="js.admin")
    await api.token(login, "long-enough-1")
    before = await api.gql("{ actingTenant { code } }", as_user=login)
    assert before["actingTenant"] == {"code": data["code"]}
    await api.gql(SUSPEND, {"c": data["code"]}, as_user="js.admin")
    after = await api.gql("{ actingTenant { code } }", as_user=login)
    assert after["actingTenant"] is None


async def test_a_province_admin_acting_in_a_city_holds_its_role_there(api: Api) -> None:
    me = await api.gql("{ me { roles actingTenant { code } } }", as_user="js.admin", tenant="320100")
    assert me["me"] == {"roles": ["PROVINCE_ADMIN"], "actingTenant": {"code": "320100"}}
    queue = await api.raw("{ me { login } }", as_user="js.admin", tenant="320500")
    assert queue["data"]["me"]["login"] == "js.admin"
