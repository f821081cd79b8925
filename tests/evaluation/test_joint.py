"""Joint evaluation of a department with its industry (部门+行业 联动考核), figures computed by hand."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.evaluation.helpers import ERRORS, compute, define, indicator
from tests.evaluation.seed import Seeded, add_assignment, add_order, at, make_tenant
from tests.evaluation.test_schemes import REPRODUCE

RESULTS = ("query($period: String!, $tenant: String) { evaluationAssessment(period: $period, tenantCode: $tenant) "
           "{ __typename ... on EvaluationAssessment { results { unit { code } peerGroup rank total "
           "joint { group ownTotal industryTotal members departmentShare } } } " + ERRORS + " } }")


def scheme(share: float = 0.6, department: str = "d1", members: tuple[str, ...] = ("m1", "m2", "m3")
           ) -> dict[str, Any]:
    return {"totalPoints": 100, "indicators": [indicator("response_rate", 100)],
            "peerGroups": [{"code": "companies", "name": "供水供电企业", "unitCodes": ["m1", "m2", "m3"],
                            "totalPoints": 150}],
            "jointGroups": [{"code": "utilities", "name": "住建+公用事业", "departmentCode": department,
                             "memberCodes": list(members), "departmentShare": share}]}


async def assignments(t: Seeded, unit: str, signed: int, unsigned: int) -> None:
    for i in range(signed + unsigned):
        order = await add_order(t.tenant_id, at("2024-03-05", 9 + i))
        await add_assignment(t.tenant_id, order, t.units[unit], at("2024-03-05", 10 + i),
                             signed=at("2024-03-05", 10.5 + i) if i < signed else None)


async def test_a_department_is_scored_together_with_its_industry(api: Api) -> None:
    t = await make_tenant("320100", [("d1", "department"), ("m1", "department"), ("m2", "department"),
                                     ("m3", "department"), ("d2", "department")])
    assert (await define(api, "nj.admin", t.code, scheme(), "2024-01-01"))["__typename"] == \
        "EvaluationSchemeVersion"
    await assignments(t, "d1", 2, 2)  # response 2/4: own total 50 (of 100)
    await assignments(t, "m1", 2, 0)  # 2/2: 150 of its group's 150 points
    await assignments(t, "m2", 1, 1)  # 1/2: 75 of 150; m3 has no assignment and does not count
    await assignments(t, "d2", 3, 1)  # 3/4: 75, not in a joint group
    assessment = await compute(t.tenant_id, "2024-03")

    data = await api.gql(RESULTS, {"period": "2024-03", "tenant": t.code}, as_user="nj.leader")
    results = {r["unit"]["code"]: r for r in data["evaluationAssessment"]["results"]}
    # industry = 100 × mean(150/150, 75/150) = 75; d1 = 0.6 × 50 + 0.4 × 75 = 60
    assert results["d1"]["total"] == 60.0
    assert results["d1"]["joint"] == {"group": "utilities", "ownTotal": 50.0, "industryTotal": 75.0, "members": 2,
                                      "departmentShare": 0.6}
    assert (results["m1"]["total"], results["m2"]["total"]) == (150.0, 75.0)  # members keep their own
    assert results["m1"]["joint"] is None and results["d2"]["joint"] is None
    # Ranked on the joint total: d2 (75) before d1 (60) in the group of the others.
    assert (results["d2"]["rank"], results["d1"]["rank"]) == (1, 2)
    check = await api.gql(REPRODUCE, {"id": str(assessment.id)}, as_user="nj.leader")
    assert check["evaluationReproduction"]["identical"] is True

    other = await api.gql(RESULTS, {"period": "2024-03", "tenant": t.code}, as_user="sz.admin")
    assert [e["code"] for e in other["evaluationAssessment"]["errors"]] == ["not_found"]


async def test_joint_groups_are_validated_with_field_paths(api: Api) -> None:
    t = await make_tenant("320100", [("d1", "department")])
    refused = await define(api, "nj.admin", t.code, scheme(share=1.5, members=("d1", "m1", "m1")), "2024-01-01")
    assert sorted((".".join(e["path"]), e["code"]) for e in refused["errors"]) == [
        ("definition.jointGroups.0.departmentShare", "out_of_range"),
        ("definition.jointGroups.0.memberCodes", "duplicate"),
        ("definition.jointGroups.0.memberCodes", "invalid"),
    ]
