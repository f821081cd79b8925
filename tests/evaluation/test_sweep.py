"""The hourly sweep: each tenant's assessment of the period just ended, under its effective scheme, once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hotline.evaluation.tasks import assess_ended_periods, ended_periods
from tests.conftest import Api
from tests.evaluation.helpers import ASSESSMENT, by_unit, define, figures, indicator
from tests.evaluation.seed import add_assignment, add_order, at, make_tenant


def test_the_period_just_ended_is_the_previous_month_and_quarter() -> None:
    assert [p.key for p in ended_periods(dt.date(2022, 12, 1))] == ["2022-11", "2022-Q3"]
    assert [p.key for p in ended_periods(dt.date(2023, 1, 15))] == ["2022-12", "2022-Q4"]


async def test_the_sweep_assesses_the_ended_month_once_under_the_effective_scheme(api: Api) -> None:
    parent = await make_tenant("320100", [("s1", "street")])
    child = await make_tenant(parent.code, [("c1", "street")])  # no scheme of its own: inherits the parent's
    scheme = {"totalPoints": 100, "indicators": [indicator("response_rate", 100)]}
    assert (await define(api, "nj.admin", parent.code, scheme, "2022-01-01"))["__typename"] == \
        "EvaluationSchemeVersion"
    for seeded, unit in ((parent, "s1"), (child, "c1")):
        signed = await add_order(seeded.tenant_id, at("2022-11-10", 9))
        await add_assignment(seeded.tenant_id, signed, seeded.units[unit], at("2022-11-10", 10),
                             signed=at("2022-11-10", 11))
        unsigned = await add_order(seeded.tenant_id, at("2022-11-20", 9))
        await add_assignment(seeded.tenant_id, unsigned, seeded.units[unit], at("2022-11-20", 10))

    first = await assess_ended_periods(dt.date(2022, 12, 1))
    mine = {(t, p) for t, p in first if t in (parent.tenant_id, child.tenant_id)}
    assert mine == {(parent.tenant_id, "2022-11"), (child.tenant_id, "2022-11")}  # monthly scheme: no quarter

    async def assessment(code: str) -> dict[str, Any]:
        data = await api.gql(ASSESSMENT, {"period": "2022-11", "tenant": code}, as_user="nj.admin")
        result: dict[str, Any] = data["evaluationAssessment"]
        return result

    for code, unit in ((parent.code, "s1"), (child.code, "c1")):
        found = await assessment(code)
        assert found["__typename"] == "EvaluationAssessment" and found["runs"] == 1
        assert found["schemeVersion"] == 1 and found["status"] == "computed"
        result = by_unit(found)[unit]
        assert figures(result)["response_rate"] == (1, 2) and result["total"] == 50.0

    # A second sweep (the next hour) finds the period assessed and leaves it alone.
    again = await assess_ended_periods(dt.date(2022, 12, 1))
    assert not {t for t, _ in again} & {parent.tenant_id, child.tenant_id}
    assert (await assessment(parent.code))["runs"] == 1
    # 苏州 sees nothing of it.
    other = await api.gql(ASSESSMENT, {"period": "2022-11", "tenant": parent.code}, as_user="sz.admin")
    assert [e["code"] for e in other["evaluationAssessment"]["errors"]] == ["not_found"]
