"""Through GraphQL with permissions: the job computes, units read their own results and the orders behind
a figure and appeal within the limit; leaders read everything; another tenant gets "not found"."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api, run_jobs
from tests.evaluation.helpers import ASSESSMENT, ERRORS, by_unit, define, indicator
from tests.evaluation.seed import add_assignment, add_order, at, tenant_id_of, unit_id_of

REQUEST = ("mutation($period: String!) { requestEvaluationAssessment(period: $period) { __typename "
           "... on EvaluationAssessmentRequested { period } " + ERRORS + " } }")
ORDERS = ("query($id: UUID!, $unit: String!, $ind: String!) { evaluationFigureOrders(assessmentId: $id, "
          "unitCode: $unit, indicator: $ind) { __typename ... on EvaluationFigureOrders { orders { orderId number "
          "counted } } " + ERRORS + " } }")
APPEAL = ("mutation($input: EvaluationAppealInput!) { fileEvaluationAppeal(input: $input) { __typename "
          "... on EvaluationAppeal { id status filedBy } " + ERRORS + " } }")
DECIDE = ("mutation($id: UUID!, $accept: Boolean!, $note: String!) { decideEvaluationAppeal(appealId: $id, "
          "accept: $accept, note: $note) { __typename ... on EvaluationAppeal { status decidedBy } " + ERRORS + " } }")
STREET, OTHER = "320102003", "320102002"
PERIOD = "2023-09"


@pytest.fixture(scope="module")
async def nanjing(api: Api, stub_broker: Any) -> dict[str, Any]:
    nj = await tenant_id_of("320100")
    street, other = await unit_id_of(nj, STREET), await unit_id_of(nj, OTHER)
    late = await add_order(nj, at("2023-09-04", 8))
    await add_assignment(nj, late, street, at("2023-09-04", 9), state="in_progress", signed=at("2023-09-04", 15),
                         sign_due=at("2023-09-04", 13), reply_due=at("2023-09-11"))
    fine = await add_order(nj, at("2023-09-05", 8))
    await add_assignment(nj, fine, street, at("2023-09-05", 9), state="in_progress", signed=at("2023-09-05", 10),
                         sign_due=at("2023-09-05", 13), reply_due=at("2023-09-12"))
    o = await add_order(nj, at("2023-09-05", 8))
    await add_assignment(nj, o, other, at("2023-09-05", 9), state="in_progress", signed=at("2023-09-05", 10),
                         sign_due=at("2023-09-05", 13), reply_due=at("2023-09-12"))
    version = await define(api, "nj.admin", "320100", {"totalPoints": 100, "indicators": [
        indicator("response_rate", 50), indicator("on_time_sign_rate", 50)]}, "2023-01-01", code="nj-kh")
    assert version["__typename"] == "EvaluationSchemeVersion", version
    return {"late": str(late), "fine": str(fine)}


async def test_the_job_computes_and_a_unit_reads_only_its_own_results(api: Api, stub_broker: Any,
                                                                      nanjing: dict[str, Any]) -> None:
    refused = await api.gql(REQUEST, {"period": PERIOD}, as_user="nj.xinjiekou")
    assert [e["code"] for e in refused["requestEvaluationAssessment"]["errors"]] == ["forbidden"]
    queued = await api.gql(REQUEST, {"period": PERIOD}, as_user="nj.admin")
    assert queued["requestEvaluationAssessment"] == {"__typename": "EvaluationAssessmentRequested", "period": PERIOD}
    assert await run_jobs(stub_broker) >= 1

    everything = (await api.gql(ASSESSMENT, {"period": PERIOD}, as_user="nj.leader"))["evaluationAssessment"]
    assert set(by_unit(everything)) >= {STREET, OTHER} and everything["limited"] is False
    own = (await api.gql(ASSESSMENT, {"period": PERIOD}, as_user="nj.xinjiekou"))["evaluationAssessment"]
    assert own["limited"] is True and list(by_unit(own)) == [STREET]
    assert by_unit(own)[STREET]["total"] == 75.0  # 50 × 2/2 + 50 × 1/2
    assert own["hotlineFigures"] == []

    agent = (await api.gql(ASSESSMENT, {"period": PERIOD}, as_user="nj.agent"))["evaluationAssessment"]
    assert [e["code"] for e in agent["errors"]] == ["forbidden"]
    other = (await api.gql(ASSESSMENT, {"period": PERIOD, "tenant": "320100"}, as_user="sz.admin"))
    assert [e["code"] for e in other["evaluationAssessment"]["errors"]] == ["not_found"]


async def test_a_unit_sees_the_orders_behind_a_figure_and_appeals_within_the_limit(
        api: Api, stub_broker: Any, nanjing: dict[str, Any]) -> None:
    assessment = (await api.gql(ASSESSMENT, {"period": PERIOD}, as_user="nj.xinjiekou"))["evaluationAssessment"]
    aid = assessment["id"]
    behind = await api.gql(ORDERS, {"id": aid, "unit": STREET, "ind": "on_time_sign_rate"}, as_user="nj.xinjiekou")
    orders = behind["evaluationFigureOrders"]["orders"]
    assert [(o["orderId"], o["counted"]) for o in orders] == [(nanjing["late"], False), (nanjing["fine"], True)]
    not_mine = await api.gql(ORDERS, {"id": aid, "unit": OTHER, "ind": "on_time_sign_rate"}, as_user="nj.xinjiekou")
    assert [e["code"] for e in not_mine["evaluationFigureOrders"]["errors"]] == ["not_found"]
    sz = await api.gql(ORDERS, {"id": aid, "unit": STREET, "ind": "on_time_sign_rate"}, as_user="sz.admin")
    assert [e["code"] for e in sz["evaluationFigureOrders"]["errors"]] == ["not_found"]

    appeal = await api.gql(APPEAL, {"input": {
        "assessmentId": aid, "unitCode": STREET, "indicator": "on_time_sign_rate", "orderId": nanjing["late"],
        "reason": "系统故障导致签收延迟，附运维记录"}}, as_user="nj.xinjiekou")
    filed = appeal["fileEvaluationAppeal"]
    assert (filed["status"], filed["filedBy"]) == ("pending", "nj.xinjiekou")
    decided = await api.gql(DECIDE, {"id": filed["id"], "accept": True, "note": "经核实系统故障属实"},
                            as_user="nj.admin")
    assert decided["decideEvaluationAppeal"]["status"] == "accepted"

    # Recomputed: the appealed order is excluded, and the unit's sign-for figure is 1/1.
    await api.gql(REQUEST, {"period": PERIOD}, as_user="nj.admin")
    await run_jobs(stub_broker)
    again = (await api.gql(ASSESSMENT, {"period": PERIOD}, as_user="nj.xinjiekou"))["evaluationAssessment"]
    assert again["runs"] == 2 and by_unit(again)[STREET]["total"] == 100.0

    publish = await api.gql("mutation($id: UUID!) { publishEvaluationAssessment(assessmentId: $id) { __typename } }",
                            {"id": aid}, as_user="nj.admin")
    assert publish["publishEvaluationAssessment"]["__typename"] == "EvaluationAssessment"
    late = await api.gql(APPEAL, {"input": {"assessmentId": aid, "unitCode": STREET, "indicator": "response_rate",
                                            "reason": "再次申诉的理由"}}, as_user="nj.xinjiekou")
    assert [e["code"] for e in late["fileEvaluationAppeal"]["errors"]] == ["published"]
