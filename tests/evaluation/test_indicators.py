"""Each built-in indicator on a small seeded data set, against figures computed by hand (docs/evaluation.md)."""

from __future__ import annotations

import pytest

from tests.conftest import Api
from tests.evaluation.helpers import ASSESSMENT, by_unit, compute, define, figures, indicator
from tests.evaluation.seed import add_assignment, add_order, at, make_tenant

H = 1.0
D = 24.0


@pytest.fixture(scope="module")
async def may(api: Api) -> dict[str, object]:
    t = await make_tenant("320100", [("s1", "street"), ("s2", "street"), ("d1", "department")])
    u1, u2, u3 = t.units["s1"], t.units["s2"], t.units["d1"]
    day = "2024-05-06"
    t0 = at(day, 9)  # dispatch moment of every May assignment below

    async def order(**kw: object) -> object:
        return await add_order(t.tenant_id, at(day, 8.5), **kw)  # type: ignore[arg-type]

    def due(hours: float) -> object:
        return at(day, 9 + hours)

    closed = at("2024-05-20")
    # s1: six lead assignments.
    o1 = await order(state="closed", closed_at=closed, resolved=True, satisfaction="satisfied")
    await add_assignment(t.tenant_id, o1, u1, t0, state="accepted", signed=due(1 * H), sign_due=due(4 * H),
                         replied=due(2 * D), reply_due=due(5 * D), finished=due(2 * D))
    o2 = await order(state="closed", closed_at=closed, resolved=False, satisfaction="dissatisfied")
    await add_assignment(t.tenant_id, o2, u1, t0, state="accepted", signed=due(6 * H), sign_due=due(4 * H),
                         replied=due(6 * D), reply_due=due(5 * D))
    o3 = await order(state="closed", closed_at=closed, resolved=True, satisfaction="basically_satisfied")
    await add_assignment(t.tenant_id, o3, u1, t0, state="accepted", signed=due(1 * H), sign_due=due(4 * H),
                         replied=due(3 * D), reply_due=due(7 * D), rework=1)
    o4 = await order(state="pending_dispatch")
    await add_assignment(t.tenant_id, o4, u1, t0, state="returned", finished=due(3 * H), sign_due=due(4 * H),
                         reply_due=due(5 * D))
    o5 = await order()
    await add_assignment(t.tenant_id, o5, u1, t0, state="pending_sign", sign_due=due(4 * H), reply_due=due(5 * D))
    o6 = await order()
    await add_assignment(t.tenant_id, o6, u1, t0, state="in_progress", signed=due(2 * H), sign_due=due(4 * H),
                         reply_due=due(5 * D))
    # s2: two good lead assignments, and a support assignment on o1 (counts for response, sign-for, reply only).
    for _ in range(2):
        o = await order(state="closed", closed_at=closed, resolved=True, satisfaction="satisfied")
        await add_assignment(t.tenant_id, o, u2, t0, state="accepted", signed=due(1 * H), sign_due=due(4 * H),
                             replied=due(1 * D), reply_due=due(5 * D))
    await add_assignment(t.tenant_id, o1, u2, t0, role="support", state="accepted", signed=due(1 * H),
                         sign_due=due(4 * H), replied=due(1 * D), reply_due=due(5 * D))
    # d1: one assignment just inside May (never signed), one just before May (outside the period).
    o7 = await add_order(t.tenant_id, at("2024-05-01", 0.0))
    await add_assignment(t.tenant_id, o7, u3, at("2024-05-01", 0.1), state="pending_sign",
                         sign_due=at("2024-05-01", 4.1), reply_due=at("2024-05-06"))
    o8 = await add_order(t.tenant_id, at("2024-04-30", 23.3))
    await add_assignment(t.tenant_id, o8, u3, at("2024-04-30", 23.5), state="pending_sign",
                         sign_due=at("2024-05-01", 3.5))
    # the hotline itself: a direct answer and a merged order (not counted).
    await order(state="closed", direct=True, closed_at=at(day, 8.6), request_type="consultation")
    await order(state="merged")
    definition = {"totalPoints": 100, "indicators": [
        indicator("response_rate", 30), indicator("resolution_rate", 30), indicator("satisfaction_rate", 40)]}
    version = await define(api, "nj.admin", t.code, definition, "2024-01-01")
    assert version["__typename"] == "EvaluationSchemeVersion", version
    await compute(t.tenant_id, "2024-05", at("2024-06-10"))
    data = await api.gql(ASSESSMENT, {"period": "2024-05", "tenant": t.code}, as_user="nj.admin")
    result: dict[str, object] = data["evaluationAssessment"]
    return result


async def test_each_built_in_indicator_matches_the_hand_computed_figures(may: dict[str, object]) -> None:
    units = by_unit(may)
    assert figures(units["s1"]) == {
        "response_rate": (5, 6),  # signed o1 o2 o3 o6, returned o4; o5 never signed
        "on_time_sign_rate": (3, 5),  # o1 o3 o6 in time; o2 late, o5 overdue unsigned; o4 returned (left out)
        "on_time_reply_rate": (2, 5),  # o1 o3 in time; o2 late; o5 o6 overdue unreplied
        "return_rate": (1, 6),
        "rework_rate": (1, 3),  # of the replied o1 o2 o3, o3 was sent back
        "resolution_rate": (2, 3),  # callbacks of o1 o2 o3
        "satisfaction_rate": (2, 3),  # satisfied o1, basically satisfied o3
    }
    assert figures(units["s2"]) == {
        "response_rate": (3, 3), "on_time_sign_rate": (3, 3), "on_time_reply_rate": (3, 3), "return_rate": (0, 3),
        "rework_rate": (0, 3), "resolution_rate": (2, 2), "satisfaction_rate": (2, 2)}
    assert figures(units["d1"]) == {
        "response_rate": (0, 1), "on_time_sign_rate": (0, 1), "on_time_reply_rate": (0, 1), "return_rate": (0, 1),
        "rework_rate": (0, 0), "resolution_rate": (0, 0), "satisfaction_rate": (0, 0)}


async def test_direct_answer_rate_is_a_figure_of_the_hotline(may: dict[str, object]) -> None:
    hotline = {f["code"]: (f["numerator"], f["denominator"]) for f in may["hotlineFigures"]}  # type: ignore[attr-defined]
    # 10 orders in May (6 of s1, 2 of s2, 1 of d1, the direct answer); the merged and April ones are not counted.
    assert hotline == {"direct_answer_rate": (1, 10)}


async def test_scores_and_ranks_follow_the_weights(may: dict[str, object]) -> None:
    units = by_unit(may)
    # s1: 30 × 5/6 + 30 × 2/3 + 40 × 2/3 = 25 + 20 + 26.6667
    assert units["s1"]["total"] == pytest.approx(71.6667)
    assert [i["points"] for i in units["s1"]["indicators"]] == pytest.approx([25.0, 20.0, 26.6667])
    assert units["s2"]["total"] == 100
    # d1 has only a response figure (0/1): resolution and satisfaction have nothing to judge, the weights
    # of what remains are scaled to the total, so 100 × 0 = 0.
    assert units["d1"]["total"] == 0
    assert units["d1"]["indicators"][1]["value"] is None
    assert [(u, units[u]["rank"]) for u in ("s2", "s1", "d1")] == [("s2", 1), ("s1", 2), ("d1", 3)]
    assert {r["groupSize"] for r in units.values()} == {3}
