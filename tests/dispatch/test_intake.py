"""Dispatch at intake: a province's mandatory rule reaching a county's order, confident dispatch, review
with suggestions, explanation, simulation of a draft."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api, unique
from tests.dispatch.helpers import EXPLAIN, ok, publish, refused, save_rule
from tests.workorders.helpers import CREATE, order_input

SIMULATE = """query($last: Int) { simulateDispatch(last: $last) { __typename ... on DispatchSimulation {
  orders changedCount changes { number reason published { unitCodes decidedBy } draft { unitCodes decidedBy } } }
  ... on ValidationErrors { errors { path code } } } }"""


async def create(api: Api, as_user: str, tenant: str | None = None, **overrides: Any) -> dict[str, Any]:
    # No phone: no receipt SMS left in the shared outbox for other tests' job runs to relay.
    overrides.setdefault("caller", {"name": "王先生", "confidential": False})
    data = await api.gql(CREATE, {"input": order_input(**overrides)}, as_user=as_user, tenant=tenant)
    return ok(data, "createWorkOrder")


async def county_with_agent(api: Api) -> tuple[str, str]:
    """玄武区 (320102) gets a street unit and an agent of its own."""
    unit = unique("xw-street-")
    data = await api.gql("mutation($i: CreateUnitInput!) { createUnit(input: $i) { __typename "
                         "... on ValidationErrors { errors { path code } } } }",
                         {"i": {"code": unit, "name": "玄武区新街口街道工作站", "kind": "STREET",
                                "divisionCode": "320102003"}}, as_user="xw.admin")
    assert data["createUnit"]["__typename"] == "Unit", data
    login = unique("xw.agent.")
    data = await api.gql("mutation($i: CreateUserInput!) { createUser(input: $i) { __typename } }",
                         {"i": {"login": login, "displayName": "玄武坐席", "password": "lianxin-demo"}},
                         as_user="xw.admin")
    assert data["createUser"]["__typename"] == "User", data
    data = await api.gql("mutation($i: GrantRoleInput!) { grantRole(input: $i) { __typename } }",
                         {"i": {"login": login, "role": "AGENT"}}, as_user="xw.admin")
    assert data["grantRole"]["__typename"] == "RoleGrant", data
    return unit, login


async def test_a_province_mandatory_rule_reaches_a_county_order_at_intake(api: Api) -> None:
    unit, agent = await county_with_agent(api)
    token = unique("燃气泄漏")
    key = unique("gas-")
    then = [{"type": "SET_LEVEL", "level": 1}, {"type": "TAG", "tag": "燃气"},
            {"type": "DISPATCH", "units": [{"street": True, "role": "LEAD"}]}]
    ok(await save_rule(api, "js.admin", key=key, when={"keywords": {"words": [token]}}, then=then, tenant="320000",
                       mandatory=True), "saveDispatchRule")
    version = await publish(api, "js.admin", "320000")
    # The county's own rule cannot preempt it (mandatory rules run first) nor replace it.
    ok(await save_rule(api, "xw.admin", key=unique("xw-stop-"), when={"keywords": {"words": [token]}},
                       then=[{"type": "STOP"}]), "saveDispatchRule")
    await publish(api, "xw.admin")
    order = await create(api, agent, content=f"小区楼道有{token}的味道，请尽快处理。", responseLevel=3)
    assert order["state"] == "IN_PROGRESS", order
    assert order["responseLevel"] == 1
    assert [(a["role"], a["unit"]["code"]) for a in order["assignments"]] == [("LEAD", unit)]
    explained = ok(await api.gql(EXPLAIN, {"id": order["id"]}, as_user=agent), "dispatchExplanation")
    assert explained["outcome"] == "DISPATCHED" and explained["matchedKey"] == key
    assert explained["matchedTenant"] == "320000" and explained["tags"] == ["燃气"]
    assert {"tenantCode": "320000", "number": version["number"]} in explained["versions"]
    mine = next(r for r in explained["rules"] if r["key"] == key)
    assert mine["matched"] and mine["decidedUnits"] and mine["mandatory"] and mine["tenantCode"] == "320000"


async def test_a_confident_rule_dispatches_and_the_order_explains_why_others_did_not(api: Api) -> None:
    token = unique("路灯")
    chosen, other = unique("lamp-"), unique("other-")
    ok(await save_rule(api, "nj.admin", key=chosen, position=1,
                       when={"all": [{"keywords": {"words": [token]}}, {"request_type": ["complaint"]}]},
                       then=[{"type": "DISPATCH", "units": [{"unitCode": "320102003", "role": "LEAD"},
                                                            {"unitCode": "nj-cgj", "role": "SUPPORTING"}]}]),
       "saveDispatchRule")
    ok(await save_rule(api, "nj.admin", key=other, position=2,
                       when={"all": [{"keywords": {"words": [token]}}, {"channel": ["wechat"]}]},
                       then=[{"type": "DISPATCH", "units": [{"unitCode": "nj-cgj", "role": "LEAD"}]}]),
       "saveDispatchRule")
    await publish(api, "nj.admin")
    order = await create(api, "nj.agent", content=f"{token}连续三晚不亮。")
    assert order["state"] == "IN_PROGRESS"
    assert {(a["role"], a["unit"]["code"]) for a in order["assignments"]} == {("LEAD", "320102003"),
                                                                              ("SUPPORT", "nj-cgj")}
    explained = ok(await api.gql(EXPLAIN, {"id": order["id"]}, as_user="nj.dispatcher"), "dispatchExplanation")
    assert explained["matchedKind"] == "RULE" and explained["matchedKey"] == chosen
    losing = next(r for r in explained["rules"] if r["key"] == other)
    assert not losing["matched"] and "channel in wechat: the channel is phone" in losing["reason"]
    # Another tenant's order is not found.
    errors = refused(await api.gql(EXPLAIN, {"id": order["id"]}, as_user="sz.admin"), "dispatchExplanation")
    assert errors[0]["code"] == "not_found"


async def test_review_keeps_the_order_waiting_with_ranked_suggestions(api: Api) -> None:
    token = unique("噪音")
    ok(await save_rule(api, "nj.admin", key=unique("noise-"), when={"keywords": {"words": [token]}},
                       then=[{"type": "DISPATCH", "units": [{"unitCode": "nj-cgj", "role": "LEAD"}]},
                             {"type": "REVIEW"}]), "saveDispatchRule")
    await publish(api, "nj.admin")
    order = await create(api, "nj.agent", content=f"夜间施工{token}扰民。")
    assert order["state"] == "PENDING_DISPATCH" and order["assignments"] == []
    explained = ok(await api.gql(EXPLAIN, {"id": order["id"]}, as_user="nj.dispatcher"), "dispatchExplanation")
    assert explained["outcome"] == "REVIEW" and explained["reviewRequired"]
    assert explained["suggestions"][0]["unitCode"] == "nj-cgj" and explained["suggestions"][0]["score"] == 1.0


async def test_simulation_lists_the_orders_whose_units_the_draft_changes(api: Api) -> None:
    token = unique("井盖")
    orders = [await create(api, "nj.agent", content=f"路口{token}缺失，行人易摔倒。") for _ in range(2)]
    assert all(o["state"] == "PENDING_DISPATCH" for o in orders)
    key = unique("manhole-")
    ok(await save_rule(api, "nj.admin", key=key, when={"keywords": {"words": [token]}},
                       then=[{"type": "DISPATCH", "units": [{"unitCode": "nj-cgj", "role": "LEAD"}]}]),
       "saveDispatchRule")
    result = ok(await api.gql(SIMULATE, {"last": 20}, as_user="nj.admin"), "simulateDispatch")
    changed = {c["number"]: c for c in result["changes"]}
    for o in orders:
        change = changed[o["number"]]
        assert change["published"]["unitCodes"] == [] and change["draft"]["unitCodes"] == ["nj-cgj"]
        assert change["draft"]["decidedBy"] == f"rule {key} of 320100"
        assert "now decides the units" in change["reason"]
    assert result["changedCount"] >= 2 and result["orders"] <= 20
    errors = refused(await api.gql(SIMULATE, {"last": 0}, as_user="nj.admin"), "simulateDispatch")
    assert errors[0]["path"] == ["last"]
    errors = refused(await api.gql(SIMULATE, {"last": 5}, as_user="nj.dispatcher"), "simulateDispatch")
    assert errors[0]["code"] == "forbidden"
    # Remove the draft rule again so that later intakes are unaffected.
    await api.gql("mutation($k: String!) { removeDispatchDraftItem(kind: RULE, key: $k, reason: \"测试完毕\") "
                  "{ __typename } }", {"k": key}, as_user="nj.admin")
