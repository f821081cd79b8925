"""A formula scheme with exclusions, bonuses, penalties and peer groups; a scheme change after a published
period that leaves it as it was; reproducibility; validation with field paths; mandatory schemes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api
from tests.evaluation.helpers import ASSESSMENT, ERRORS, by_unit, compute, define, indicator
from tests.evaluation.seed import Seeded, add_assignment, add_order, at, make_tenant

H, D = 1.0, 24.0
EXCLUDE = ("mutation($id: UUID!, $reason: String!) { excludeFromEvaluation(orderId: $id, reason: $reason) "
           "{ __typename ... on EvaluationExclusion { id reviewedBy reason } " + ERRORS + " } }")
ADJUST = ("mutation($input: EvaluationAdjustmentInput!) { recordEvaluationAdjustment(input: $input) "
          "{ __typename ... on EvaluationAdjustment { id } " + ERRORS + " } }")
PUBLISH = ("mutation($id: UUID!) { publishEvaluationAssessment(assessmentId: $id) "
           "{ __typename ... on EvaluationAssessment { status } " + ERRORS + " } }")
REPRODUCE = ("query($id: UUID!) { evaluationReproduction(assessmentId: $id) { __typename "
             "... on EvaluationReproduction { identical differences { field stored recomputed } } " + ERRORS + " } }")
SCHEME = ("query($tenant: String) { evaluationScheme(tenantCode: $tenant) { __typename "
          "... on EffectiveEvaluationScheme { locked scheme { code mandatory fromTenant { code inherited } "
          "versions { version status } } "
          "own { code } } " + ERRORS + " } }")


def formula_scheme(weights: tuple[float, float, float] = (60, 25, 15)) -> dict[str, Any]:
    return {
        "totalPoints": 100,
        "indicators": [
            indicator("three_rates", weights[0], "0.5 * satisfaction_rate + 0.5 * resolution_rate"),
            indicator("discipline", weights[1], "min(on_time_sign_rate, on_time_reply_rate)"),
            indicator("no_bounce", weights[2], "1 - return_rate"),
        ],
        "adjustments": [
            {"code": "group_request", "name": "群体诉求化解", "kind": "BONUS", "points": 2, "maxPoints": 5},
            {"code": "false_report", "name": "虚假办结", "kind": "PENALTY", "points": 3, "maxPoints": 10},
        ],
        "peerGroups": [
            {"code": "streets", "name": "街道", "unitKinds": ["street"]},
            {"code": "departments", "name": "部门", "unitKinds": ["department"], "totalPoints": 150},
        ],
        "exclusions": {"requestTypes": ["consultation"], "honourReviewed": True},
    }


async def good(t: Seeded, unit: str, day: str, **kw: Any) -> None:
    t0 = at(day, 9)
    o = await add_order(t.tenant_id, at(day, 8.5), state="closed", closed_at=at(day, 9 + 2 * D), resolved=True,
                        satisfaction="satisfied")
    await add_assignment(t.tenant_id, o, t.units[unit], t0, state="accepted", signed=at(day, 10),
                         sign_due=at(day, 13), replied=at(day, 9 + D), reply_due=at(day, 9 + 5 * D), **kw)


@pytest.fixture(scope="module")
async def july(api: Api) -> dict[str, Any]:
    t = await make_tenant("320100", [("s1", "street"), ("s2", "street"), ("d1", "department")])
    day = "2024-07-08"
    t0 = at(day, 9)

    def due(h: float) -> Any:
        return at(day, 9 + h)

    s1 = t.units["s1"]
    await good(t, "s1", day)  # c1
    c2 = await add_order(t.tenant_id, at(day, 8), state="closed", closed_at=due(3 * D), resolved=False,
                         satisfaction="dissatisfied")
    await add_assignment(t.tenant_id, c2, s1, t0, state="accepted", signed=due(6 * H), sign_due=due(4 * H),
                         replied=due(2 * D), reply_due=due(5 * D))
    c3 = await add_order(t.tenant_id, at(day, 8))
    await add_assignment(t.tenant_id, c3, s1, t0, state="returned", finished=due(2 * H), sign_due=due(4 * H))
    c4 = await add_order(t.tenant_id, at(day, 8), request_type="consultation")  # left out by the scheme
    await add_assignment(t.tenant_id, c4, s1, t0, state="pending_sign", sign_due=due(4 * H), reply_due=due(5 * D))
    c5 = await add_order(t.tenant_id, at(day, 8), state="closed", closed_at=due(3 * D), resolved=False,
                         satisfaction="dissatisfied")  # reviewed as unreasonable below
    await add_assignment(t.tenant_id, c5, s1, t0, state="accepted", signed=due(9 * H), sign_due=due(4 * H),
                         replied=due(2 * D), reply_due=due(5 * D))
    await good(t, "s2", day)
    e1 = await add_order(t.tenant_id, at(day, 8), state="closed", closed_at=due(8 * D), resolved=True,
                         satisfaction="basically_satisfied")
    await add_assignment(t.tenant_id, e1, t.units["d1"], t0, state="accepted", signed=due(1 * H),
                         sign_due=due(4 * H), replied=due(7 * D), reply_due=due(5 * D))
    await good(t, "s2", "2024-08-05")  # August: one order of s2

    v1 = await define(api, "nj.admin", t.code, formula_scheme(), "2024-07-01")
    assert v1["__typename"] == "EvaluationSchemeVersion", v1
    excluded = await api.gql(EXCLUDE, {"id": str(c5), "reason": "反复拨打、诉求无事实依据，经审核为不合理诉求"},
                             as_user="nj.admin", tenant=t.code)
    assert excluded["excludeFromEvaluation"]["reviewedBy"] == "nj.admin"
    for unit, item, n in (("s1", "group_request", 3), ("s2", "false_report", 1)):
        data = await api.gql(ADJUST, {"input": {"period": "2024-07", "unitCode": unit, "itemCode": item,
                                                "occurrences": n, "reason": "经热线办核定"}},
                             as_user="nj.admin", tenant=t.code)
        assert data["recordEvaluationAdjustment"]["__typename"] == "EvaluationAdjustment", data
    return {"t": t}


async def read(api: Api, t: Seeded, period: str) -> dict[str, Any]:
    data = await api.gql(ASSESSMENT, {"period": period, "tenant": t.code}, as_user="nj.admin")
    result: dict[str, Any] = data["evaluationAssessment"]
    assert result["__typename"] == "EvaluationAssessment", result
    return result


async def test_formula_scheme_with_exclusions_bonuses_and_peer_groups(api: Api, july: dict[str, Any]) -> None:
    t: Seeded = july["t"]
    await compute(t.tenant_id, "2024-07")
    units = by_unit(await read(api, t, "2024-07"))
    s1 = units["s1"]
    # c4 (consultation) and c5 (reviewed unreasonable) are left out: c1 good, c2 late and dissatisfied, c3 returned.
    assert {f["code"]: (f["numerator"], f["denominator"]) for f in s1["figures"]}["on_time_sign_rate"] == (1, 2)
    # three_rates = 0.5 × 1/2 + 0.5 × 1/2 = 0.5 → 30; discipline = min(1/2, 2/2) → 12.5; no_bounce = 1 − 1/3 → 10
    assert [(i["code"], i["points"]) for i in s1["indicators"]] == [
        ("three_rates", 30.0), ("discipline", 12.5), ("no_bounce", 10.0)]
    assert (s1["baseScore"], s1["bonus"], s1["penalty"], s1["total"]) == (52.5, 5.0, 0.0, 57.5)  # 3 × 2, capped at 5
    assert (units["s2"]["baseScore"], units["s2"]["penalty"], units["s2"]["total"]) == (100.0, 3.0, 97.0)
    # d1 replied late: discipline 0; 75 of 100 on its group's 150-point scale.
    d1 = units["d1"]
    assert (d1["peerGroup"], d1["total"], d1["rank"], d1["groupSize"]) == ("departments", 112.5, 1, 1)
    assert [(u, units[u]["peerGroup"], units[u]["rank"]) for u in ("s2", "s1")] == [
        ("s2", "streets", 1), ("s1", "streets", 2)]


async def test_a_new_version_never_rewrites_a_published_period(api: Api, july: dict[str, Any]) -> None:
    t: Seeded = july["t"]
    first = await compute(t.tenant_id, "2024-07")
    await compute(t.tenant_id, "2024-08")
    published = await api.gql(PUBLISH, {"id": str(first.id)}, as_user="nj.admin")
    assert published["publishEvaluationAssessment"]["status"] == "published"
    before = await read(api, t, "2024-07")
    assert before["schemeVersion"] == 1

    # The scheme changes mid-August, effective from July: weights move to discipline.
    v2 = await define(api, "nj.admin", t.code, formula_scheme((40, 45, 15)), "2024-07-01")
    assert (v2["version"], v2["status"]) == (2, "published")
    with pytest.raises(Exception, match="published"):
        await compute(t.tenant_id, "2024-07")
    after = await read(api, t, "2024-07")
    assert after == before  # same version, same numbers, same runs

    august_before = by_unit(await read(api, t, "2024-08"))
    await compute(t.tenant_id, "2024-08")
    august = await read(api, t, "2024-08")
    assert august["schemeVersion"] == 2 and august_before["s2"]["total"] == 100.0
    assert [(i["code"], i["weight"]) for i in by_unit(august)["s2"]["indicators"]] == [
        ("three_rates", 40.0), ("discipline", 45.0), ("no_bounce", 15.0)]

    # Reproducible: recomputing the published period with its version and as-of gives the same numbers.
    check = await api.gql(REPRODUCE, {"id": str(first.id)}, as_user="nj.leader")
    assert check["evaluationReproduction"] == {"__typename": "EvaluationReproduction", "identical": True,
                                               "differences": []}


async def test_scheme_validation_reports_field_paths(api: Api) -> None:
    t = await make_tenant("320100", [("s1", "street")])
    bad = {"totalPoints": 100, "indicators": [
        indicator("response_rate", 50), indicator("x", 30, "__import__('os').system('true')"),
        indicator("y", 10, "satisfaction_rate ** 2"), indicator("nope", 5), indicator("z", 5, "foo + 1")],
        "adjustments": [{"code": "b", "name": "加分", "kind": "BONUS", "points": 5, "maxPoints": 2}],
        "peerGroups": [{"code": "g1", "name": "组", "unitKinds": ["planet"]}]}
    result = await define(api, "nj.admin", t.code, bad, "2024-07-15")
    assert result["__typename"] == "ValidationErrors"
    got = {(".".join(e["path"]), e["code"]) for e in result["errors"]}
    assert got >= {
        ("definition.indicators.1.formula", "invalid_formula"),
        ("definition.indicators.2.formula", "invalid_formula"),
        ("definition.indicators.3.code", "unknown_indicator"),
        ("definition.indicators.4.formula", "invalid_formula"),
        ("definition.adjustments.0.code", "invalid_format"),
        ("definition.adjustments.0.maxPoints", "out_of_range"),
        ("definition.peerGroups.0.unitKinds.0", "unknown_unit_kind"),
        ("effectiveFrom", "not_period_start"),
    }, got
    weights = await define(api, "nj.admin", t.code, {"totalPoints": 150, "indicators": [
        indicator("response_rate", 100)]}, "2024-07-01")
    assert {(".".join(e["path"]), e["code"]) for e in weights["errors"]} == {
        ("definition.indicators", "weights_total")}


async def test_a_province_imposes_a_mandatory_scheme_that_descendants_cannot_replace(api: Api) -> None:
    parent = await make_tenant("320100", [("s1", "street")], kind="county")
    child = await make_tenant(parent.code, [("s9", "street")])
    simple = {"totalPoints": 100, "indicators": [indicator("satisfaction_rate", 100)]}
    refused = await define(api, "nj.admin", parent.code, simple, "2024-01-01", mandatory=True)
    assert [(e["path"], e["code"]) for e in refused["errors"]] == [(["mandatory"], "forbidden")]
    imposed = await define(api, "js.admin", parent.code, simple, "2024-01-01", mandatory=True)
    assert imposed["__typename"] == "EvaluationSchemeVersion"
    locked = await define(api, "nj.admin", child.code, simple, "2024-01-01")
    assert [e["code"] for e in locked["errors"]] == ["locked"]
    seen = (await api.gql(SCHEME, {"tenant": child.code}, as_user="nj.admin"))["evaluationScheme"]
    assert seen["locked"] is True and seen["own"] is None
    assert seen["scheme"]["mandatory"] is True
    assert seen["scheme"]["fromTenant"] == {"code": parent.code, "inherited": True}
    # The child's assessment uses the imposed scheme.
    o = await add_order(child.tenant_id, at("2024-03-04", 8), state="closed", closed_at=at("2024-03-06"),
                        resolved=True, satisfaction="satisfied")
    await add_assignment(child.tenant_id, o, child.units["s9"], at("2024-03-04", 9), state="accepted",
                         signed=at("2024-03-04", 10), replied=at("2024-03-05"))
    done = await compute(child.tenant_id, "2024-03")
    assert done.scheme_tenant_id == parent.tenant_id and done.scheme_version == 1
