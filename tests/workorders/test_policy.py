"""Deadline policies: built-in defaults, inheritance down the tree with the tenant each limit comes from,
mandatory rules, refusals, bad input, and the second tenant that sees nothing.

Rules set on real Jiangsu tenants use a category code of their own, so that they match no other test's
orders; the built-in defaults are read on a fresh sub-centre.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text

from hotline.calendars.inheritance import Chain
from hotline.kernel import runtime
from hotline.kernel.calendar import DurationUnit
from hotline.kernel.scope import TenantScope
from hotline.tenancy import repository as tenancy_repo
from hotline.tenancy.models import Tenant
from hotline.workorders.policy import BUILT_IN, LimitKind, Limits, Policy, Rule, limits_for
from tests.conftest import Api, unique

WD, WH, NH = DurationUnit.WORKING_DAYS, DurationUnit.WORKING_HOURS, DurationUnit.NATURAL_HOURS
SET_RULE = """mutation($i:SetDeadlineRuleInput!){setDeadlineRule(input:$i){__typename
  ... on DeadlineRule{id responseLevel requestType categoryCode mandatory limits{kind amount unit disabled}
      fromTenant{code inherited}}
  ... on ValidationErrors{errors{path message code}}}}"""
REMOVE_RULE = """mutation($r:UUID!){removeDeadlineRule(ruleId:$r){__typename
  ... on DeadlineRule{id} ... on ValidationErrors{errors{path code}}}}"""
LIMITS = """query($t:String,$l:Int!,$r:String!,$c:String){deadlinePolicy(tenantCode:$t){
  limits(responseLevel:$l,requestType:$r,categoryCode:$c){__typename
    ... on EffectiveLimits{items{kind amount unit disabled rule{builtIn mandatory fromTenant{code inherited}}}}
    ... on ValidationErrors{errors{path code}}}}}"""
CREATE_TENANT = """mutation($i:CreateTenantInput!){createTenant(input:$i){__typename ... on Tenant{code}}}"""


def errors(result: dict[str, Any]) -> list[tuple[str, str]]:
    return [(".".join(e["path"]), e["code"]) for e in result.get("errors", [])]


async def limits(api: Api, user: str, tenant: str | None, level: int, request_type: str,
                 category: str | None = None) -> dict[str, dict[str, Any]] | None:
    data = await api.gql(LIMITS, {"t": tenant, "l": level, "r": request_type, "c": category}, as_user=user)
    if data["deadlinePolicy"] is None:
        return None
    result = data["deadlinePolicy"]["limits"]
    assert result["__typename"] == "EffectiveLimits", result
    return {item["kind"]: item for item in result["items"]}


def source(item: dict[str, Any]) -> str:
    rule = item["rule"]
    return "built-in" if rule["builtIn"] else rule["fromTenant"]["code"]


# --- resolution in memory ------------------------------------------------------------------------


def _chain(*ids: uuid.UUID) -> Chain:
    tenant = Tenant(tenant_id=ids[0], ancestors=list(reversed(ids[1:])))
    return Chain(tenant, ids)


def test_the_most_specific_rule_wins_then_the_nearest_tenant_then_a_mandatory_ancestor() -> None:
    county, city, province = uuid.UUID(int=3), uuid.UUID(int=2), uuid.UUID(int=1)
    rules = (
        Rule(province, None, None, "complaint", None, {LimitKind.REPLY: (3, WD)}),
        Rule(city, None, None, None, None, {LimitKind.REPLY: (7, WD), LimitKind.SIGN_FOR: (2, WH)}),
        Rule(county, None, None, "complaint", None, {LimitKind.SIGN_FOR: (1, WH)}),
        *BUILT_IN,
    )
    policy = Policy(_chain(county, city, province), rules)
    complaint = policy.limits(3, "complaint", None)
    assert complaint.reply == (3, WD)  # the province's complaint rule is more specific than the city's
    assert complaint.sign_for == (1, WH)  # the county's own complaint rule
    help_ = policy.limits(3, "help", None)
    assert help_.reply == (7, WD) and help_.sign_for == (2, WH)  # the city's generic rule beats built-ins
    urgent = policy.limits(1, "help", None)
    assert urgent.reply == (24, NH)  # the built-in level-1 rule is more specific than the city's generic one
    assert urgent.return_window == (1, NH)
    locked = Policy(_chain(county, city, province), (
        Rule(province, None, None, None, None, {LimitKind.REPLY: (4, WD)}, mandatory=True), *rules))
    assert locked.limits(3, "complaint", None).reply == (4, WD)
    assert locked.limits(1, "help", None).reply == (4, WD)  # a mandatory ancestor beats even the built-ins


def test_category_rules_apply_to_subcategories_and_the_longest_code_wins() -> None:
    city, province = uuid.UUID(int=2), uuid.UUID(int=1)
    policy = Policy(_chain(city, province), (
        Rule(province, None, None, None, "01", {LimitKind.REPLY: (8, WD)}),
        Rule(city, None, None, "complaint", None, {LimitKind.REPLY: (6, WD)}),
        Rule(province, None, None, None, "0101", {LimitKind.REPLY: (2, WD)}),
        *BUILT_IN,
    ))
    assert policy.limits(3, "complaint", "010101").reply == (2, WD)  # 0101 ⊃ 010101, longer than 01
    assert policy.limits(3, "complaint", "0102").reply == (8, WD)  # any category rule beats a type rule
    assert policy.limits(3, "complaint", "02").reply == (6, WD)
    assert policy.limits(3, "complaint", None).reply == (6, WD)
    assert policy.limits(3, "help", "0201").reply == (5, WD)  # built-in


def test_built_in_defaults_follow_the_domain_figures() -> None:
    policy = Policy(_chain(uuid.UUID(int=9)), BUILT_IN)
    regular = policy.limits(3, "complaint", None)
    assert regular == Limits(sign_for=(4, WH), first_contact=(1, WD), reply=(5, WD), callback=(3, WD),
                             progress_notice=(5, WD), return_window=(2, WD), extension_max=(10, WD))
    praise = policy.limits(4, "praise", None)
    assert praise.callback is None and praise.progress_notice is None
    assert praise.sign_for == (1, WD) and praise.reply == (5, WD)


# --- through GraphQL and the service -------------------------------------------------------------


async def test_a_fresh_tenant_gets_the_built_in_defaults_with_their_source(api: Api) -> None:
    code = unique("pol-")
    created = await api.gql(CREATE_TENANT, {"i": {"parentCode": "320500", "code": code, "name": "期限测试分中心",
                                                  "kind": "SUB_CENTRE"}}, as_user="js.admin")
    assert created["createTenant"]["__typename"] == "Tenant"
    found = await limits(api, "sz.admin", code, 3, "complaint", unique("cat-"))
    assert found is not None
    assert (found["REPLY"]["amount"], found["REPLY"]["unit"]) == (5, "WORKING_DAYS")
    assert (found["RETURN_WINDOW"]["amount"], found["EXTENSION_MAX"]["amount"]) == (2, 10)
    assert (found["PROGRESS_NOTICE"]["amount"], found["PROGRESS_NOTICE"]["unit"]) == (5, "WORKING_DAYS")
    assert {source(item) for item in found.values()} == {"built-in"}
    urgent = await limits(api, "sz.admin", code, 1, "help")
    assert urgent is not None and (urgent["SIGN_FOR"]["amount"], urgent["SIGN_FOR"]["unit"]) == (1, "NATURAL_HOURS")
    praise = await limits(api, "sz.admin", code, 3, "praise")
    assert praise is not None and praise["CALLBACK"]["disabled"] and praise["CALLBACK"]["amount"] is None


async def test_a_province_rule_reaches_a_county_the_county_rule_wins_and_siblings_see_nothing(api: Api) -> None:
    category = unique("cat-")
    province = await api.gql(SET_RULE, {"i": {"tenantCode": "320000", "requestType": "complaint",
                                              "categoryCode": category,
                                              "limits": [{"kind": "REPLY", "amount": 3, "unit": "WORKING_DAYS"}]}},
                             as_user="js.admin")
    rule = province["setDeadlineRule"]
    assert rule["__typename"] == "DeadlineRule", rule
    assert rule["fromTenant"] == {"code": "320000", "inherited": False}
    county_view = await limits(api, "xw.admin", None, 3, "complaint", category)
    assert county_view is not None and county_view["REPLY"]["amount"] == 3
    assert county_view["REPLY"]["rule"]["fromTenant"] == {"code": "320000", "inherited": True}
    assert source(county_view["SIGN_FOR"]) == "built-in"
    county = await api.gql(SET_RULE, {"i": {"requestType": "complaint", "categoryCode": category, "limits": [
        {"kind": "REPLY", "amount": 4, "unit": "WORKING_DAYS"}, {"kind": "CALLBACK", "disabled": True}]}},
        as_user="xw.admin")
    assert county["setDeadlineRule"]["fromTenant"] == {"code": "320102", "inherited": False}
    county_view = await limits(api, "nj.admin", "320102", 3, "complaint", category)
    assert county_view is not None and county_view["REPLY"]["amount"] == 4 and county_view["CALLBACK"]["disabled"]
    city_view = await limits(api, "nj.admin", None, 3, "complaint", category)
    assert city_view is not None and city_view["REPLY"]["amount"] == 3 and source(city_view["REPLY"]) == "320000"
    # 南京's own rule stays in 南京: 苏州 neither sees nor changes it.
    nanjing = await api.gql(SET_RULE, {"i": {"categoryCode": category, "limits": [
        {"kind": "SIGN_FOR", "amount": 30, "unit": "NATURAL_HOURS"}]}}, as_user="nj.admin")
    nanjing_rule = nanjing["setDeadlineRule"]["id"]
    suzhou_view = await limits(api, "sz.admin", None, 3, "complaint", category)
    assert suzhou_view is not None and source(suzhou_view["SIGN_FOR"]) == "built-in"
    assert source(suzhou_view["REPLY"]) == "320000"  # the common province's rule, of course
    assert await limits(api, "sz.admin", "320100", 3, "complaint", category) is None
    hidden = await api.gql(SET_RULE, {"i": {"tenantCode": "320100", "limits": [
        {"kind": "REPLY", "amount": 1, "unit": "WORKING_DAYS"}]}}, as_user="sz.admin")
    assert errors(hidden["setDeadlineRule"]) == [("tenantCode", "not_found")]
    removed = await api.gql(REMOVE_RULE, {"r": nanjing_rule}, as_user="sz.admin")
    assert errors(removed["removeDeadlineRule"]) == [("ruleId", "not_found")]
    own_rules = await api.gql('{ deadlinePolicy { rules(includeInherited:false) { id fromTenant { code } } } }',
                              as_user="nj.admin")
    assert nanjing_rule in [r["id"] for r in own_rules["deadlinePolicy"]["rules"]]
    assert {r["fromTenant"]["code"] for r in own_rules["deadlinePolicy"]["rules"]} == {"320100"}
    inherited = await api.gql('{ deadlinePolicy { rules { builtIn fromTenant { code } } } }', as_user="nj.admin")
    assert any(r["builtIn"] for r in inherited["deadlinePolicy"]["rules"])
    assert any(r["fromTenant"] and r["fromTenant"]["code"] == "320000" for r in inherited["deadlinePolicy"]["rules"])
    for user, rule_id in (("nj.admin", nanjing_rule), ("xw.admin", county["setDeadlineRule"]["id"]),
                          ("js.admin", rule["id"])):
        gone = await api.gql(REMOVE_RULE, {"r": rule_id}, as_user=user)
        assert gone["removeDeadlineRule"]["__typename"] == "DeadlineRule"


async def test_limits_for_reads_the_province_rule_in_a_one_tenant_job_scope(api: Api) -> None:
    category = unique("cat-")
    made = await api.gql(SET_RULE, {"i": {"tenantCode": "320000", "responseLevel": 2, "categoryCode": category,
                                          "limits": [{"kind": "FIRST_CONTACT", "amount": 90, "unit": "NATURAL_HOURS"},
                                                     {"kind": "EXTENSION_MAX", "amount": 0, "unit": "WORKING_DAYS"}]}},
                         as_user="js.admin")
    assert made["setDeadlineRule"]["__typename"] == "DeadlineRule", made
    async with runtime.database().system_transaction() as session:
        xuanwu = await tenancy_repo.system_tenant_by_code(session, "320102")
        assert xuanwu is not None
        scope = TenantScope.single(xuanwu.tenant_id)
    async with runtime.database().transaction(scope) as session:
        found = await limits_for(session, scope, scope.acting_tenant_id, 2, "report", category)
        other = await limits_for(session, scope, scope.acting_tenant_id, 2, "report", None)
    assert found.first_contact == (90, NH) and found.extension_max == (0, WD)
    assert found.reply == (2, WD)  # the built-in level-2 rule still decides the rest
    assert other.first_contact == (4, WH)
    await api.gql(REMOVE_RULE, {"r": made["setDeadlineRule"]["id"]}, as_user="js.admin")


async def test_mandatory_rules_are_for_province_admins_and_lock_descendants(api: Api) -> None:
    category = unique("cat-")
    refused = await api.gql(SET_RULE, {"i": {"categoryCode": category, "mandatory": True, "limits": [
        {"kind": "REPLY", "amount": 2, "unit": "WORKING_DAYS"}]}}, as_user="nj.admin")
    assert errors(refused["setDeadlineRule"]) == [("mandatory", "forbidden")]
    locked = await api.gql(SET_RULE, {"i": {"tenantCode": "320000", "categoryCode": category, "mandatory": True,
                                            "limits": [{"kind": "REPLY", "amount": 2, "unit": "WORKING_DAYS"}]}},
                           as_user="js.admin")
    assert locked["setDeadlineRule"]["mandatory"] is True
    shadowed = await api.gql(SET_RULE, {"i": {"categoryCode": category, "requestType": "help", "limits": [
        {"kind": "SIGN_FOR", "amount": 1, "unit": "WORKING_HOURS"},
        {"kind": "REPLY", "amount": 9, "unit": "WORKING_DAYS"}]}}, as_user="nj.admin")
    assert errors(shadowed["setDeadlineRule"]) == [("limits.1.kind", "locked")]
    view = await limits(api, "nj.admin", None, 1, "help", category)
    assert view is not None and view["REPLY"]["amount"] == 2 and view["REPLY"]["rule"]["mandatory"]
    await api.gql(REMOVE_RULE, {"r": locked["setDeadlineRule"]["id"]}, as_user="js.admin")


async def test_bad_rule_input_returns_every_field_error_and_writes_nothing(api: Api, owner_engine: Any) -> None:
    bad = await api.gql(SET_RULE, {"i": {"responseLevel": 7, "requestType": "complaints", "categoryCode": "bad code!",
                                         "limits": [
                                             {"kind": "REPLY", "amount": -1, "unit": "WORKING_DAYS"},
                                             {"kind": "SIGN_FOR", "amount": 1.5, "unit": "WORKING_DAYS"},
                                             {"kind": "RETURN_WINDOW", "disabled": True},
                                             {"kind": "CALLBACK", "amount": 2},
                                             {"kind": "REPLY", "amount": 2, "unit": "WORKING_DAYS"},
                                             {"kind": "FIRST_CONTACT", "amount": 9000, "unit": "NATURAL_HOURS"}]}},
                        as_user="nj.admin")
    assert set(errors(bad["setDeadlineRule"])) == {
        ("responseLevel", "out_of_range"), ("requestType", "unknown_request_type"), ("categoryCode", "invalid_format"),
        ("limits.0.amount", "out_of_range"), ("limits.1.amount", "not_whole"), ("limits.2.disabled", "cannot_disable"),
        ("limits.3.unit", "required"), ("limits.4.kind", "duplicate"), ("limits.5.amount", "out_of_range")}
    empty = await api.gql(SET_RULE, {"i": {"limits": []}}, as_user="nj.admin")
    assert errors(empty["setDeadlineRule"]) == [("limits", "required")]
    agent = await api.gql(SET_RULE, {"i": {"limits": [{"kind": "REPLY", "amount": 2, "unit": "WORKING_DAYS"}]}},
                          as_user="nj.agent")
    assert errors(agent["setDeadlineRule"]) == [("", "forbidden")]
    query = await api.gql(LIMITS, {"t": None, "l": 0, "r": "gossip", "c": None}, as_user="nj.agent")
    assert set(errors(query["deadlinePolicy"]["limits"])) == {("responseLevel", "out_of_range"),
                                                              ("requestType", "unknown_request_type")}
    with owner_engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM deadline_rules WHERE category_code = 'bad code!'")).scalar()
    assert count == 0


async def test_rule_changes_are_audited_with_before_and_after(api: Api, owner_engine: Any) -> None:
    category = unique("cat-")
    first = await api.gql(SET_RULE, {"i": {"categoryCode": category, "limits": [
        {"kind": "REPLY", "amount": 6, "unit": "WORKING_DAYS"}]}}, as_user="nj.admin")
    again = await api.gql(SET_RULE, {"i": {"categoryCode": category, "limits": [
        {"kind": "REPLY", "amount": 8, "unit": "WORKING_DAYS"}]}}, as_user="nj.admin")
    rule_id = first["setDeadlineRule"]["id"]
    assert again["setDeadlineRule"]["id"] == rule_id  # same key: the rule is replaced, not duplicated
    await api.gql(REMOVE_RULE, {"r": rule_id}, as_user="nj.admin")
    with owner_engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT action, before->'limits'->'reply'->>'amount', after->'limits'->'reply'->>'amount' "
            "FROM audit_log WHERE object_type = 'deadline_rule' AND object_id = :id ORDER BY occurred_at"),
            {"id": rule_id}).all()
    assert [tuple(r) for r in rows] == [("deadline_rule.set", None, "6"), ("deadline_rule.set", "6", "8"),
                                        ("deadline_rule.removed", "8", None)]

