"""A rule choosing a named deadline policy; the classifier dispatching by itself above a tenant's threshold."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import Api, unique
from tests.dispatch.helpers import ok, publish, refused, save_rule
from tests.dispatch.test_classifier import IMPORT, MAPPING, TRAIN, as_csv, rows
from tests.dispatch.test_intake import create

SET_RULE = """mutation($i: SetDeadlineRuleInput!) { setDeadlineRule(input: $i) { __typename
  ... on DeadlineRule { id policy } ... on ValidationErrors { errors { path code } } } }"""
REMOVE_RULE = "mutation($r: UUID!) { removeDeadlineRule(ruleId: $r) { __typename } }"
LIMITS = """query($p: String) { deadlinePolicy { limits(responseLevel: 3, requestType: "complaint", policy: $p) {
  ... on EffectiveLimits { items { kind amount unit rule { policy } } } } } }"""
EXPLAIN = """query($id: UUID!) { dispatchExplanation(orderId: $id) { __typename ... on DispatchExplanation {
  outcome matchedKey deadlinePolicy deadlinePolicyRule classifier { unitCode probability threshold modelVersion }
  suggestions { unitCode score source } } ... on ValidationErrors { errors { path code } } } }"""
POLICY_OF = "query($id: UUID!) { workOrder(id: $id) { ... on WorkOrder { deadlinePolicy } } }"
THRESHOLD = """mutation($t: Float, $c: String) { setDispatchClassifierThreshold(threshold: $t, reason: "测试自动派单",
  tenantCode: $c) { __typename ... on DispatchSettings { tenantCode classifierThreshold }
  ... on ValidationErrors { errors { path code } } } }"""
SETTINGS = """query($c: String) { dispatchSettings(tenantCode: $c) { __typename
  ... on DispatchSettings { classifierThreshold } ... on ValidationErrors { errors { path code } } } }"""
VERSION = "{ dispatchClassifier { version } }"


def due(assignment: dict[str, Any], kind: str) -> dt.datetime:
    return dt.datetime.fromisoformat(next(d["dueAt"] for d in assignment["deadlines"] if d["kind"] == kind))


async def test_a_rule_chooses_a_deadline_policy_and_the_order_deadlines_follow_it(api: Api) -> None:
    name = unique("fast-track-")
    made = ok(await api.gql(SET_RULE, {"i": {"policy": name, "limits": [
        {"kind": "SIGN_FOR", "amount": 1, "unit": "NATURAL_HOURS"},
        {"kind": "REPLY", "amount": 8, "unit": "NATURAL_HOURS"}]}}, as_user="nj.admin"), "setDeadlineRule")
    assert made["policy"] == name
    bad = refused(await api.gql(SET_RULE, {"i": {"policy": "Fast Track!", "limits": [
        {"kind": "REPLY", "amount": 8, "unit": "NATURAL_HOURS"}]}}, as_user="nj.admin"), "setDeadlineRule")
    assert [(e["path"], e["code"]) for e in bad] == [(["policy"], "invalid_format")]
    token, key = unique("电梯困人"), unique("lift-")
    try:
        # A policy no deadline rule names is refused where it is written.
        errors = refused(await save_rule(api, "nj.admin", key=key, when={"keywords": {"words": [token]}},
                                         then=[{"type": "DEADLINE_POLICY", "policy": "no-such-policy"}]),
                         "saveDispatchRule")
        assert [(e["path"], e["code"]) for e in errors] == [(["then", "0", "policy"], "unknown_deadline_policy")]
        # 苏州 does not see 南京's policy names.
        errors = refused(await save_rule(api, "sz.admin", key=key, when={"keywords": {"words": [token]}},
                                         then=[{"type": "DEADLINE_POLICY", "policy": name}]), "saveDispatchRule")
        assert [(e["path"], e["code"]) for e in errors] == [(["then", "0", "policy"], "unknown_deadline_policy")]
        ok(await save_rule(api, "nj.admin", key=key, when={"keywords": {"words": [token]}},
                           then=[{"type": "DEADLINE_POLICY", "policy": name},
                                 {"type": "DISPATCH", "units": [{"unitCode": "320102003", "role": "LEAD"}]}]),
           "saveDispatchRule")
        await publish(api, "nj.admin")
        order = await create(api, "nj.agent", content=f"小区{token}，老人被困二十分钟。")
        assert order["state"] == "IN_PROGRESS", order
        lead = order["assignments"][0]
        # Both limits in natural hours from the dispatch: the reply is due seven hours after the sign-for.
        assert due(lead, "reply") - due(lead, "sign_for") == dt.timedelta(hours=7)
        assert (await api.gql(POLICY_OF, {"id": order["id"]}, as_user="nj.agent"))["workOrder"] == {
            "deadlinePolicy": name}
        explained = ok(await api.gql(EXPLAIN, {"id": order["id"]}, as_user="nj.dispatcher"), "dispatchExplanation")
        assert explained["deadlinePolicy"] == name and explained["deadlinePolicyRule"] == key
        assert explained["matchedKey"] == key and explained["classifier"] is None
        # An order the rule does not match keeps the ordinary limits (5 working days to reply).
        plain = await api.gql(LIMITS, {"p": None}, as_user="nj.admin")
        reply = next(i for i in plain["deadlinePolicy"]["limits"]["items"] if i["kind"] == "REPLY")
        assert (reply["amount"], reply["unit"], reply["rule"]["policy"]) == (5, "WORKING_DAYS", None)
        named = await api.gql(LIMITS, {"p": name}, as_user="nj.admin")
        by_kind = {i["kind"]: i for i in named["deadlinePolicy"]["limits"]["items"]}
        assert (by_kind["REPLY"]["amount"], by_kind["REPLY"]["rule"]["policy"]) == (8, name)
        assert by_kind["CALLBACK"]["rule"]["policy"] is None  # not set by the policy: falls through
        hidden = refused(await api.gql(EXPLAIN, {"id": order["id"]}, as_user="sz.admin"), "dispatchExplanation")
        assert hidden[0]["code"] == "not_found"
    finally:
        await api.gql("mutation($k: String!) { removeDispatchDraftItem(kind: RULE, key: $k, reason: \"测试完毕\") "
                      "{ __typename } }", {"k": key}, as_user="nj.admin")
        await publish(api, "nj.admin")
        await api.gql(REMOVE_RULE, {"r": made["id"]}, as_user="nj.admin")


async def test_the_classifier_dispatches_alone_above_the_threshold_and_suggests_below_it(api: Api) -> None:
    # Past orders of two topics: street lamps and greenery to 新街口街道, street stalls to 城管局.
    history = [dict(r, 分类="城乡建设/城市建设和市政管理/园林绿化环卫" if r["分类"] == "010201" else
                    "城乡建设/城市建设和市政管理") for r in rows()]
    ok(await api.gql(IMPORT, {"i": {"fileName": "history.csv", "contentBase64": as_csv(history),
                                    "mapping": MAPPING}}, as_user="nj.admin"), "importOrderHistory")
    ok(await api.gql(TRAIN, as_user="nj.admin"), "trainDispatchClassifier")
    version = (await api.gql(VERSION, as_user="nj.admin"))["dispatchClassifier"]["version"]
    # Off by default: the classifier only suggests.
    assert ok(await api.gql(SETTINGS, {"c": None}, as_user="nj.dispatcher"),
              "dispatchSettings")["classifierThreshold"] is None
    content = f"市民反映{unique('')}处占道经营摆摊，违章搭建棚子，请尽快处理。"
    waiting = await create(api, "nj.agent", content=content, title="占道经营")
    assert waiting["state"] == "PENDING_DISPATCH"
    explained = ok(await api.gql(EXPLAIN, {"id": waiting["id"]}, as_user="nj.dispatcher"), "dispatchExplanation")
    top = next(s for s in explained["suggestions"] if s["source"] == "classifier")
    assert top["unitCode"] == "nj-cgj" and explained["classifier"] is None
    scores = [s["score"] for s in explained["suggestions"] if s["source"] == "classifier"]
    assert scores == sorted(scores, reverse=True)
    # Validation, permissions and the other tenant.
    errors = refused(await api.gql(THRESHOLD, {"t": 0.3, "c": None}, as_user="nj.admin"),
                     "setDispatchClassifierThreshold")
    assert [(e["path"], e["code"]) for e in errors] == [(["threshold"], "out_of_range")]
    errors = refused(await api.gql(THRESHOLD, {"t": 0.6, "c": None}, as_user="nj.dispatcher"),
                     "setDispatchClassifierThreshold")
    assert errors[0]["code"] == "forbidden"
    for query, field in ((THRESHOLD, "setDispatchClassifierThreshold"), (SETTINGS, "dispatchSettings")):
        errors = refused(await api.gql(query, {"t": 0.6, "c": "320100"}, as_user="sz.admin"), field)
        assert errors[0]["code"] == "not_found"
    try:
        # Above its probability the order still waits; at or below it, the classifier dispatches.
        ok(await api.gql(THRESHOLD, {"t": 1.0, "c": None}, as_user="nj.admin"), "setDispatchClassifierThreshold")
        assert (await create(api, "nj.agent", content=content, title="占道经营"))["state"] == "PENDING_DISPATCH"
        set_to = ok(await api.gql(THRESHOLD, {"t": 0.5, "c": None}, as_user="nj.admin"),
                    "setDispatchClassifierThreshold")
        assert set_to == {"__typename": "DispatchSettings", "tenantCode": "320100", "classifierThreshold": 0.5}
        order = await create(api, "nj.agent", content=content, title="占道经营")
        assert order["state"] == "IN_PROGRESS", order
        assert [(a["role"], a["unit"]["code"]) for a in order["assignments"]] == [("LEAD", "nj-cgj")]
        explained = ok(await api.gql(EXPLAIN, {"id": order["id"]}, as_user="nj.dispatcher"), "dispatchExplanation")
        chosen = explained["classifier"]
        assert explained["outcome"] == "DISPATCHED" and explained["matchedKey"] is None
        assert chosen["unitCode"] == "nj-cgj" and chosen["modelVersion"] == version
        assert chosen["threshold"] == 0.5 and chosen["probability"] >= 0.5
        assert chosen["probability"] == top["score"]  # the same text, the same model
    finally:
        ok(await api.gql(THRESHOLD, {"t": None, "c": None}, as_user="nj.admin"), "setDispatchClassifierThreshold")
