"""Configuration flowing down the tree: locked, overridden, disabled, versions, rollback, isolation, moves."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from hotline.kernel import config_cache
from hotline.tenancy.signin import CALLERS
from tests.conftest import Api, unique
from tests.dispatch.helpers import (
    DISABLE,
    ROLLBACK,
    SAVE_ENTRY,
    configuration,
    item,
    ok,
    publish,
    refused,
    save_rule,
)


def tag(value: str) -> list[dict[str, Any]]:
    return [{"type": "TAG", "tag": value}]


async def test_locked_overridden_and_disabled_items_merge_down_to_a_county(api: Api) -> None:
    token = unique("kw")
    lock, open_, off = unique("p-lock-"), unique("p-open-"), unique("p-off-")
    when = {"keywords": {"words": [token]}}
    for key, mandatory in ((lock, True), (open_, False), (off, False)):
        ok(await save_rule(api, "js.admin", key=key, when=when, then=tag(key), tenant="320000", mandatory=mandatory),
           "saveDispatchRule")
    province = await publish(api, "js.admin", "320000")
    assert province["tenantCode"] == "320000" and province["number"] >= 1

    # 南京 overrides the open rule, disables another, and cannot touch the locked one.
    ok(await save_rule(api, "nj.admin", key=open_, when=when, then=tag("南京版")), "saveDispatchRule")
    ok(await api.gql(DISABLE, {"k": "RULE", "key": off, "t": None}, as_user="nj.admin"), "disableInheritedDispatchItem")
    errors = refused(await save_rule(api, "nj.admin", key=lock, when=when, then=tag("x")), "saveDispatchRule")
    assert {(tuple(e["path"]), e["code"]) for e in errors} == {(("key",), "locked")}
    errors = refused(await api.gql(DISABLE, {"k": "RULE", "key": lock, "t": None}, as_user="nj.admin"),
                     "disableInheritedDispatchItem")
    assert errors[0]["code"] == "locked"
    # A tenant admin cannot make anything mandatory.
    errors = refused(await save_rule(api, "nj.admin", key=unique("m-"), when=when, then=tag("m"), mandatory=True),
                     "saveDispatchRule")
    assert ("mandatory",) in {tuple(e["path"]) for e in errors}
    nanjing = await publish(api, "nj.admin")

    county = await configuration(api, "xw.admin")
    locked = item(county, lock)
    assert locked and locked["source"] == {"code": "320000", "inherited": True} and locked["locked"]
    overridden = item(county, open_)
    assert overridden and overridden["source"]["code"] == "320100" and overridden["overrides"] == [{"code": "320000"}]
    assert overridden["body"]["then"] == [{"type": "tag", "tag": "南京版"}]
    assert item(county, off) is None
    assert {"kind": "RULE", "key": off, "disabledBy": {"code": "320100"}, "definedBy": {"code": "320000"}} \
        in county["disabled"]
    assert {"tenantCode": "320100", "number": nanjing["number"]} in county["versions"]

    # 苏州 inherits the province's items and sees nothing of 南京's.
    suzhou = await configuration(api, "sz.admin")
    assert item(suzhou, off) and item(suzhou, open_)["source"]["code"] == "320000"  # type: ignore[index]
    assert all(v["tenantCode"] != "320100" for v in suzhou["versions"])
    hidden = await api.gql("query { dispatchConfiguration(tenantCode: \"320100\") { __typename "
                           "... on ValidationErrors { errors { code } } } }", as_user="sz.admin")
    assert hidden["dispatchConfiguration"]["errors"][0]["code"] == "not_found"
    drafts = await api.gql("query { dispatchDraft(tenantCode: \"320100\") { key } }", as_user="sz.admin")
    assert drafts["dispatchDraft"] == []


async def test_a_child_item_saved_before_the_parent_locks_it_is_ignored_and_shown_as_such(api: Api) -> None:
    token = unique("kw")
    key = unique("late-lock-")
    when = {"keywords": {"words": [token]}}
    ok(await save_rule(api, "nj.admin", key=key, when=when, then=tag("南京先有")), "saveDispatchRule")
    await publish(api, "nj.admin")
    ok(await save_rule(api, "js.admin", key=key, when=when, then=tag("省级强制"), tenant="320000", mandatory=True),
       "saveDispatchRule")
    await publish(api, "js.admin", "320000")
    config = await configuration(api, "nj.admin")
    effective = item(config, key)
    assert effective and effective["source"]["code"] == "320000" and effective["locked"]
    assert {"kind": "RULE", "key": key, "reason": "locked", "source": {"code": "320100"},
            "lockedBy": {"code": "320000"}} in config["ignored"]


async def test_versions_are_numbered_and_rollback_restores_an_earlier_one(api: Api) -> None:
    key = unique("v-")
    when = {"keywords": {"words": [unique("kw")]}}
    ok(await save_rule(api, "nj.admin", key=key, when=when, then=tag("一")), "saveDispatchRule")
    first = await publish(api, "nj.admin")
    ok(await save_rule(api, "nj.admin", key=key, when=when, then=tag("二")), "saveDispatchRule")
    second = await publish(api, "nj.admin")
    assert second["number"] == first["number"] + 1
    assert item(await configuration(api, "nj.admin"), key)["body"]["then"][0]["tag"] == "二"  # type: ignore[index]
    back = ok(await api.gql(ROLLBACK, {"t": None, "v": first["number"]}, as_user="nj.admin"), "rollbackDispatch")
    assert back["number"] == second["number"] + 1 and back["rollbackOf"] == first["number"]
    assert item(await configuration(api, "nj.admin"), key)["body"]["then"][0]["tag"] == "一"  # type: ignore[index]
    draft = await configuration(api, "nj.admin", draft=True)
    assert item(draft, key)["body"]["then"][0]["tag"] == "一"  # type: ignore[index]
    # Dispatchers read; they do not publish. 苏州's admin cannot roll 南京 back.
    dispatcher = await configuration(api, "nj.dispatcher")
    assert item(dispatcher, key)
    refused(await api.gql("mutation { publishDispatch(reason: \"试试\") { __typename "
                          "... on ValidationErrors { errors { path message code } } } }", as_user="nj.dispatcher"),
            "publishDispatch")
    errors = refused(await api.gql(ROLLBACK, {"t": "320100", "v": 1}, as_user="sz.admin"), "rollbackDispatch")
    assert errors[0]["code"] == "not_found"
    audit = await api.gql("query { me { login } }", as_user="nj.admin")
    assert audit["me"]["login"] == "nj.admin"


async def test_validation_errors_come_with_their_paths(api: Api) -> None:
    when = {"all": [{"category": ["99"]}, {"pattern": "(unclosed"}, {"colour": ["red"]},
                    {"any": [{"time_of_day": {"from": "25:00", "to": "06:00"}}, {"weekday": [8]}]},
                    {"caller": {"vip": True}}, {"place": ["999999"]}]}
    then = [{"type": "DISPATCH", "units": [{"unitCode": "no-such-unit", "role": "LEAD"}]},
            {"type": "SET_LEVEL", "level": 9}]
    errors = refused(await save_rule(api, "nj.admin", key="Bad Key", when=when, then=then), "saveDispatchRule")
    found = {(".".join(e["path"]), e["code"]) for e in errors}
    assert {("key", "invalid_format"), ("when.all.0.category.0", "unknown_category"),
            ("when.all.1.pattern", "invalid_pattern"), ("when.all.2.colour", "unknown_field"),
            ("when.all.3.any.0.time_of_day.from", "invalid_value"), ("when.all.3.any.1.weekday.0", "out_of_range"),
            ("when.all.4.caller.vip", "unknown_field"), ("when.all.5.place.0", "unknown_division"),
            ("then.0.units.0.unit", "unknown_unit"), ("then.1.level", "out_of_range")} <= found, found
    # A unit of another tenant is not a unit of this one; 苏州's admin is refused 南京's draft.
    entry = {"categoryCode": "010201", "divisionCode": "320102003", "units": [{"unitCode": "320102003"}],
             "reason": "测试"}
    errors = refused(await api.gql(SAVE_ENTRY, {"i": entry}, as_user="sz.admin"), "saveCatalogueEntry")
    assert {(".".join(e["path"]), e["code"]) for e in errors} >= {("units.0.unit", "unknown_unit"),
                                                                   ("divisionCode", "unknown_division")}
    errors = refused(await api.gql(SAVE_ENTRY, {"i": {**entry, "tenantCode": "320100"}}, as_user="sz.admin"),
                     "saveCatalogueEntry")
    assert errors[0]["code"] == "not_found"


def free_counties(owner_engine: Any, city: str, n: int) -> list[str]:
    """County codes of a city that no tenant serves (a division has one hotline: createTenant refuses a
    second)."""
    with owner_engine.begin() as conn:
        conn.execute(text("SET LOCAL ROLE hotline_system"))
        rows = conn.execute(text(
            "SELECT code FROM regions WHERE level = 'county' AND parent_code = :c AND code NOT IN "
            "(SELECT division_code FROM tenants WHERE division_code IS NOT NULL) ORDER BY code LIMIT :n"),
            {"c": city, "n": n}).scalars().all()
    assert len(rows) == n, rows
    return list(rows)


async def test_a_tenant_moved_under_another_parent_inherits_from_its_new_parent(api: Api, owner_engine: Any) -> None:
    # Two counties of 石家庄 that no tenant serves yet; a sub-centre of the first moves under the second.
    first, second = free_counties(owner_engine, "130100", 2)
    made: dict[str, str] = {}
    for name, parent, kind, division in (("a", "130100", "COUNTY", first), ("b", "130100", "COUNTY", second),
                                         ("c", None, "SUB_CENTRE", None)):
        code = unique(f"mv{name}")
        data = await api.gql("mutation($i: CreateTenantInput!) { createTenant(input: $i) { __typename "
                             "... on ValidationErrors { errors { path code } } } }",
                             {"i": {"parentCode": parent or made["a"], "code": code, "name": f"测试{name}",
                                    "kind": kind, "divisionCode": division}}, as_user="hb.admin")
        assert data["createTenant"]["__typename"] == "Tenant", data
        made[name] = code
    key_a, key_b = unique("from-a-"), unique("from-b-")
    for parent, key in (("a", key_a), ("b", key_b)):
        ok(await save_rule(api, "hb.admin", key=key, when={"keywords": {"words": [unique("kw")]}}, then=tag(key),
                           tenant=made[parent]), "saveDispatchRule")
        await publish(api, "hb.admin", made[parent])
    before = await configuration(api, "hb.admin", made["c"])
    assert item(before, key_a) and not item(before, key_b)
    with owner_engine.begin() as conn:
        conn.execute(text("UPDATE tenants SET parent_id = p.tenant_id, ancestors = p.ancestors || p.tenant_id "
                          "FROM tenants p WHERE p.code = :b AND tenants.code = :c"), {"b": made["b"], "c": made["c"]})
    CALLERS.clear()
    config_cache.clear()
    after = await configuration(api, "hb.admin", made["c"])
    assert item(after, key_b)["source"]["code"] == made["b"] and not item(after, key_a)  # type: ignore[index]
