"""Deadlines computed past the known calendar are recomputed by the sweep once the year is published."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hotline.workorders import sweep
from tests.conftest import Api
from tests.workorders.helpers import STREET, assignment, dispatched
from tests.workorders.supervision_helpers import rows, set_columns, timeline_actions

PUBLISH = ("mutation($i: PublishCalendarYearInput!) { publishCalendarYear(input: $i) { __typename "
           "... on ValidationErrors { errors { path code } } } }")
WITHDRAW = ("mutation($y: Int!, $t: String) { withdrawCalendarYear(year: $y, tenantCode: $t) { __typename } }")
FLAGGED_PROGRESS = dt.datetime(2027, 1, 5, 9, 30, tzinfo=dt.UTC)
FLAGGED_REPLY = dt.datetime(2027, 1, 6, 9, 30, tzinfo=dt.UTC)


def deadlines(owner_engine: Any, order_id: str, assignment_id: str) -> tuple[Any, Any]:
    order = rows(owner_engine, "SELECT progress_notice_due_at, progress_notice_beyond_calendar FROM work_orders "
                 "WHERE id = :i", i=order_id)[0]
    unit = rows(owner_engine, "SELECT reply_due_at, reply_beyond_calendar FROM work_order_assignments "
                "WHERE id = :i", i=assignment_id)[0]
    return tuple(order), tuple(unit)


async def test_flagged_deadlines_are_recomputed_after_the_year_is_published(api: Api, owner_engine: Any) -> None:
    order = await dispatched(api)
    aid = assignment(order, STREET)["id"]
    computed = deadlines(owner_engine, order["id"], aid)
    assert computed[0][1] is False and computed[1][1] is False
    # As if intake and dispatch had looked into 2027 before anyone published it.
    set_columns(owner_engine, "work_orders", order["id"], progress_notice_due_at=FLAGGED_PROGRESS,
                progress_notice_beyond_calendar=True)
    set_columns(owner_engine, "work_order_assignments", aid, reply_due_at=FLAGGED_REPLY, reply_beyond_calendar=True)
    await sweep.sweep()
    assert deadlines(owner_engine, order["id"], aid) == ((FLAGGED_PROGRESS, True), (FLAGGED_REPLY, True))
    published = await api.gql(PUBLISH, {"i": {
        "tenantCode": "320100", "year": 2027, "source": "国务院办公厅关于2027年部分节假日安排的通知（测试）",
        "holidays": [{"date": "2027-01-01", "name": "元旦"}], "workdays": []}}, as_user="nj.admin")
    assert published["publishCalendarYear"]["__typename"] == "CalendarYear", published
    try:
        report = await sweep.sweep()
        assert report.counts["deadlines_recomputed"] >= 2
        assert deadlines(owner_engine, order["id"], aid) == computed  # recomputed from intake and dispatch
        assert timeline_actions(owner_engine, order["id"]).count("deadlines_recomputed") == 2
        again = await sweep.sweep()
        assert again.counts["deadlines_recomputed"] == 0
    finally:
        await api.gql(WITHDRAW, {"y": 2027, "t": "320100"}, as_user="nj.admin")
