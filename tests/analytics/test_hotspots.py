"""Hotspots on a seeded spike and a seeded cluster, and 每月一题 following one problem's volume."""

from __future__ import annotations

import datetime as dt

from tests.conftest import Api
from tests.evaluation.seed import add_order, at, make_tenant

ERRORS = "... on ValidationErrors { errors { path message code } }"
DETECT = ("mutation($day: Date!) { detectHotspots(day: $day) { __typename ... on HotspotAlerts { items { id kind "
          "divisionCode categoryCode count baseline callers orderIds summary } } " + ERRORS + " } }")
ALERTS = ("query($a: Date!, $b: Date!) { hotspotAlerts(fromDay: $a, toDay: $b) { __typename ... on HotspotAlerts "
          "{ items { kind count } } " + ERRORS + " } }")


async def test_a_category_spiking_in_a_place_raises_one_alert(api: Api) -> None:
    t = await make_tenant("320100", [("s1", "street")])
    day = dt.date(2024, 11, 20)
    for back in range(1, 29):
        moment = at((day - dt.timedelta(days=back)).isoformat(), 10)
        if back % 2:
            await add_order(t.tenant_id, moment, division="320102003", title=f"问题{back}", content=f"内容{back}")
        for i in range(3):  # a steady place: three a day
            await add_order(t.tenant_id, moment, division="320102002", title=f"事项{back}-{i}", content=f"描述{i}")
    for i in range(8):
        await add_order(t.tenant_id, at(day.isoformat(), 9 + i * 0.5), division="320102003", title=f"井盖缺失{i}",
                        content=f"第{i}处")
    for i in range(4):
        await add_order(t.tenant_id, at(day.isoformat(), 9 + i), division="320102002", title=f"事项今天{i}",
                        content=f"今天{i}")
    data = await api.gql(DETECT, {"day": day.isoformat()}, as_user="nj.admin", tenant=t.code)
    spikes = [a for a in data["detectHotspots"]["items"] if a["kind"] == "spike"]
    assert [(a["divisionCode"], a["categoryCode"], a["count"], a["baseline"]) for a in spikes] == [
        ("320102003", "010201", 8, 0.5)]  # 14 orders over the 28 days before
    assert len(spikes[0]["orderIds"]) == 8
    # Detecting again updates the same alert instead of adding one.
    await api.gql(DETECT, {"day": day.isoformat()}, as_user="nj.admin", tenant=t.code)
    listed = await api.gql(ALERTS, {"a": day.isoformat(), "b": day.isoformat()}, as_user="nj.leader", tenant=t.code)
    assert [a for a in listed["hotspotAlerts"]["items"] if a["kind"] == "spike"] == [{"kind": "spike", "count": 8}]
    other = await api.raw(ALERTS, {"a": day.isoformat(), "b": day.isoformat()}, as_user="sz.admin", tenant=t.code)
    assert other.get("data") is None and other["errors"]  # 苏州 cannot act in a 南京 tenant at all


async def test_near_identical_complaints_from_many_callers_form_a_cluster(api: Api) -> None:
    t = await make_tenant("320100", [("s1", "street")])
    day = dt.date(2024, 11, 22)
    texts = ["小区门口垃圾站恶臭，夏天无法开窗", "小区门口的垃圾站恶臭严重，夏天无法开窗通风",
             "小区门口垃圾站很臭，夏天根本无法开窗", "门口垃圾站恶臭，夏天无法开窗",
             "小区门口垃圾站恶臭，夏天都无法开窗了", "小区门口垃圾站恶臭夏天无法开窗"]
    for i, content in enumerate(texts):
        moment = at((day - dt.timedelta(days=i % 3)).isoformat(), 9 + i)
        await add_order(t.tenant_id, moment, division="320102005", title="垃圾站恶臭", content=content,
                        phone_hash=f"caller-{i}")
    for i, content in enumerate(["路面塌陷需要修补", "公园长椅损坏", "广场舞噪音扰民晚上十点后"]):
        await add_order(t.tenant_id, at(day.isoformat(), 8 + i), division="320102005", title="其他问题",
                        content=content, phone_hash=f"other-{i}")
    await add_order(t.tenant_id, at(day.isoformat(), 12), division="320102005", title="垃圾站恶臭",
                    content=texts[0], phone_hash="caller-0")  # the same caller again: not a new caller
    data = await api.gql(DETECT, {"day": day.isoformat()}, as_user="nj.admin", tenant=t.code)
    clusters = [a for a in data["detectHotspots"]["items"] if a["kind"] == "cluster"]
    assert len(clusters) == 1
    assert (clusters[0]["count"], clusters[0]["callers"], clusters[0]["divisionCode"]) == (7, 6, "320102005")
    assert "垃圾站恶臭" in clusters[0]["summary"]


async def test_problem_of_the_month_follows_its_volume(api: Api) -> None:
    t = await make_tenant("320100", [("s1", "street")])
    for month, n in (("2024-02", 10), ("2024-03", 7), ("2024-04", 5)):
        for i in range(n):
            await add_order(t.tenant_id, at(f"{month}-{i + 1:02d}", 10), category="020101", title="拖欠工资",
                            content=f"工地拖欠农民工工资{i}")
        await add_order(t.tenant_id, at(f"{month}-15", 10), category="020101", title="其他", content="无关诉求")
    chose = await api.gql(
        "mutation($input: MonthlyProblemInput!) { chooseMonthlyProblem(input: $input) { __typename "
        "... on MonthlyProblem { month trend { month count } changeFromChosenMonth } " + ERRORS + " } }",
        {"input": {"month": "2024-02", "title": "欠薪", "categoryPrefix": "02", "keyword": "拖欠工资"}},
        as_user="nj.leader", tenant=t.code)
    problem = chose["chooseMonthlyProblem"]
    trend = {r["month"]: r["count"] for r in problem["trend"]}
    assert (trend["2023-11"], trend["2024-02"], trend["2024-03"], trend["2024-04"], trend["2024-08"]) == (0, 10, 7,
                                                                                                         5, 0)
    assert problem["changeFromChosenMonth"] == -0.5
    twice = await api.gql(
        "mutation($input: MonthlyProblemInput!) { chooseMonthlyProblem(input: $input) { __typename "
        + ERRORS + " } }", {"input": {"month": "2024-02", "title": "又一题", "categoryPrefix": "01"}},
        as_user="nj.admin", tenant=t.code)
    assert [e["code"] for e in twice["chooseMonthlyProblem"]["errors"]] == ["already_exists"]
