"""Queues searched, sorted and paged on the server, as the console's tables ask for them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import Api, unique
from tests.workorders.helpers import STREET, assignment, create, dispatched, ok, refused
from tests.workorders.supervision_helpers import set_columns

QUEUE = """query($queue: WorkOrderQueue!, $first: Int!, $after: String, $offset: Int, $filter: WorkOrderFilter,
               $orderBy: WorkOrderOrder) {
  workOrderQueue(queue: $queue, first: $first, after: $after, offset: $offset, filter: $filter, orderBy: $orderBy) {
    __typename
    ... on WorkOrderConnection { totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { id number title responseLevel nextDueAt } } }
    ... on ValidationErrors { errors { path code } } } }"""

HOUR = dt.timedelta(hours=1)


async def search(api: Api, user: str, queue: str = "ALL", **variables: Any) -> dict[str, Any]:
    data = await api.gql(QUEUE, {"queue": queue, "first": 20, **variables}, as_user=user)
    return ok(data, "workOrderQueue")


def titles(page: dict[str, Any]) -> list[str]:
    return [e["node"]["title"] for e in page["edges"]]


async def test_orders_sort_by_response_level_and_pages_jump_by_offset(api: Api) -> None:
    tag = unique("排序")
    for level in (3, 1, 4, 2, 3):
        await create(api, title=f"{tag} 等级{level}", responseLevel=level)
    by_level = {"field": "RESPONSE_LEVEL"}
    page = await search(api, "nj.supervisor", filter={"text": tag}, orderBy=by_level)
    assert page["totalCount"] == 5
    assert [e["node"]["responseLevel"] for e in page["edges"]] == [1, 2, 3, 3, 4]
    down = await search(api, "nj.supervisor", filter={"text": tag}, orderBy={**by_level, "descending": True})
    assert [e["node"]["responseLevel"] for e in down["edges"]] == [4, 3, 3, 2, 1]
    # The third page of two: what a table's page 3 shows, and its cursor goes on from there.
    third = await search(api, "nj.supervisor", first=2, offset=4, filter={"text": tag}, orderBy=by_level)
    assert [e["node"]["responseLevel"] for e in third["edges"]] == [4]
    second = await search(api, "nj.supervisor", first=2, offset=2, filter={"text": tag}, orderBy=by_level)
    after = await search(api, "nj.supervisor", first=2, after=second["pageInfo"]["endCursor"],
                         filter={"text": tag}, orderBy=by_level)
    assert titles(after) == titles(third)
    # Newest first pages with cursors without overlap.
    first = await search(api, "nj.supervisor", first=3, filter={"text": tag}, orderBy={"descending": True})
    rest = await search(api, "nj.supervisor", first=3, after=first["pageInfo"]["endCursor"], filter={"text": tag},
                        orderBy={"descending": True})
    ids = [e["node"]["id"] for e in first["edges"] + rest["edges"]]
    assert len(set(ids)) == 5 and not rest["pageInfo"]["hasNextPage"]
    assert ids == sorted(ids, reverse=True)  # ids are time-ordered: newest first


async def test_text_finds_an_order_by_number_words_or_the_callers_phone_and_never_another_tenants(
        api: Api) -> None:
    tag = unique("井盖")
    order = await create(api, title=f"{tag} 缺失", caller={"phone": "139 5555 0123", "name": "李女士",
                                                           "confidential": False})
    assert titles(await search(api, "nj.dispatcher", filter={"text": order["number"]})) == [f"{tag} 缺失"]
    assert titles(await search(api, "nj.dispatcher", filter={"text": tag})) == [f"{tag} 缺失"]
    by_phone = await search(api, "nj.dispatcher", filter={"text": "13955550123"})
    assert order["id"] in [e["node"]["id"] for e in by_phone["edges"]]
    # 苏州's agent searching for the same number or words finds nothing.
    assert (await search(api, "sz.agent", filter={"text": order["number"]}))["totalCount"] == 0
    assert (await search(api, "sz.agent", filter={"text": tag}))["totalCount"] == 0


async def test_a_unit_sees_overdue_and_due_soon_orders_sorted_by_their_clock(api: Api, owner_engine: Any) -> None:
    tag = unique("时限")
    late, soon, later = [assignment(await dispatched(api, title=f"{tag} {name}"), STREET)["id"]
                         for name in ("超时", "将到期", "不急")]
    now = dt.datetime.now(dt.UTC)
    set_columns(owner_engine, "work_order_assignments", late, sign_for_due_at=now - HOUR)
    set_columns(owner_engine, "work_order_assignments", soon, sign_for_due_at=now + 3 * HOUR)
    set_columns(owner_engine, "work_order_assignments", later, sign_for_due_at=now + 72 * HOUR)
    overdue = await search(api, "nj.xinjiekou", "TO_SIGN", filter={"text": tag, "due": "OVERDUE"})
    assert titles(overdue) == [f"{tag} 超时"]
    due_soon = await search(api, "nj.xinjiekou", "TO_SIGN", filter={"text": tag, "due": "DUE_SOON"})
    assert titles(due_soon) == [f"{tag} 将到期"]
    by_due = await search(api, "nj.xinjiekou", "TO_SIGN", filter={"text": tag},
                          orderBy={"field": "NEXT_DUE", "descending": True})
    assert titles(by_due) == [f"{tag} 不急", f"{tag} 将到期", f"{tag} 超时"]
    shown = dt.datetime.fromisoformat(by_due["edges"][2]["node"]["nextDueAt"])
    assert abs(shown - (now - HOUR)) < dt.timedelta(seconds=1)


async def test_filters_by_channel_place_and_day_and_refuses_what_makes_no_sense(api: Api) -> None:
    tag = unique("筛选")
    await create(api, title=f"{tag} 网站", channel="WEB")
    await create(api, title=f"{tag} 电话")
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
    page = await search(api, "nj.supervisor", filter={"text": tag, "channel": "WEB", "divisionCode": "320102",
                                                       "createdFrom": str(today), "createdTo": str(today)})
    assert titles(page) == [f"{tag} 网站"]
    yesterday = str(today - dt.timedelta(days=1))
    assert (await search(api, "nj.supervisor", filter={"text": tag, "createdTo": yesterday}))["totalCount"] == 0
    assert (await search(api, "nj.supervisor", filter={"text": tag, "divisionCode": "320105"}))["totalCount"] == 0
    bad = await api.gql(QUEUE, {"queue": "ALL", "first": 20, "offset": -1,
                                "filter": {"createdFrom": str(today), "createdTo": yesterday}}, as_user="nj.supervisor")
    errors = refused(bad, "workOrderQueue")
    assert {(tuple(e["path"]), e["code"]) for e in errors} == {
        (("offset",), "out_of_range"), (("filter", "createdTo"), "invalid_range")}
    keyset = await search(api, "nj.supervisor", first=1, filter={"text": tag})
    mixed = await api.gql(QUEUE, {"queue": "ALL", "first": 1, "after": keyset["pageInfo"]["endCursor"],
                                  "orderBy": {"field": "NEXT_DUE"}}, as_user="nj.supervisor")
    assert [e["code"] for e in refused(mixed, "workOrderQueue")] == ["invalid_cursor"]
