"""Work queues per role (Relay connections), the order detail's timeline, and a constant query count per page."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event

from tests.conftest import Api
from tests.workorders.helpers import (
    DISPATCH,
    REPLY,
    RETURN,
    SIGN,
    STREET,
    assignment,
    codes,
    create,
    ok,
    refused,
)

QUEUE = """query($queue: WorkOrderQueue!, $first: Int!, $after: String, $filter: WorkOrderFilter) {
  workOrderQueue(queue: $queue, first: $first, after: $after, filter: $filter) { __typename
    ... on WorkOrderConnection { totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { id number state caller { phone } category { path }
                            deadlines { kind dueAt met }
                            assignments { state role unit { code name } deadlines { kind dueAt } } } } }
    ... on ValidationErrors { errors { path code } } } }"""


async def ids_in(api: Api, queue: str, user: str, category: str) -> list[str]:
    data = ok(await api.gql(QUEUE, {"queue": queue, "first": 100, "filter": {"categoryCode": category}},
                            as_user=user), "workOrderQueue")
    return [e["node"]["id"] for e in data["edges"]]


async def test_each_role_sees_its_queue_as_the_order_moves(api: Api) -> None:
    cat = "010301"
    order = await create(api, categoryCode=cat)
    oid = order["id"]
    assert oid in await ids_in(api, "TODAY_INTAKE", "nj.agent", cat)
    assert oid in await ids_in(api, "TO_DISPATCH", "nj.dispatcher", cat)
    done = ok(await api.gql(DISPATCH, {"input": {"orderId": oid, "leadUnitCodes": [STREET]}}, as_user="nj.dispatcher"),
              "dispatchWorkOrder")
    aid = assignment(done, STREET)["id"]
    assert oid not in await ids_in(api, "TO_DISPATCH", "nj.dispatcher", cat)
    assert oid in await ids_in(api, "TO_SIGN", "nj.xinjiekou", cat)
    assert oid not in await ids_in(api, "ALL", "nj.cgj", cat)  # not the city bureau's order
    ok(await api.gql(SIGN, {"id": aid}, as_user="nj.xinjiekou"), "signForAssignment")
    assert oid in await ids_in(api, "IN_PROGRESS", "nj.xinjiekou", cat)
    ok(await api.gql(RETURN, {"id": aid, "reason": "OTHER", "text": "需要补充具体位置信息"}, as_user="nj.xinjiekou"),
       "requestReturn")
    assert oid in await ids_in(api, "RETURNS_TO_REVIEW", "nj.dispatcher", cat)


async def test_replies_and_callbacks_wait_in_their_queues(api: Api) -> None:
    cat = "010702"
    order = await create(api, categoryCode=cat)
    done = ok(await api.gql(DISPATCH, {"input": {"orderId": order["id"], "leadUnitCodes": [STREET]}},
                            as_user="nj.dispatcher"), "dispatchWorkOrder")
    aid = assignment(done, STREET)["id"]
    ok(await api.gql(SIGN, {"id": aid}, as_user="nj.xinjiekou"), "signForAssignment")
    ok(await api.gql(REPLY, {"id": aid, "result": "EXPLAINED", "text": "已向来电人解释拆迁政策。"},
                     as_user="nj.xinjiekou"), "replyToWorkOrder")
    assert order["id"] in await ids_in(api, "REPLIES_TO_REVIEW", "nj.dispatcher", cat)
    accept = "mutation($id: UUID!) { acceptReply(assignmentId: $id) { __typename } }"
    await api.gql(accept, {"id": aid}, as_user="nj.dispatcher")
    assert order["id"] in await ids_in(api, "DUE_CALLBACKS", "nj.callback", cat)


async def test_a_queue_of_another_role_is_refused_and_another_tenant_sees_nothing(api: Api) -> None:
    cat = "011011"
    await create(api, categoryCode=cat)
    errors = refused(await api.gql(QUEUE, {"queue": "TO_DISPATCH", "first": 10}, as_user="nj.agent"),
                     "workOrderQueue")
    assert codes(errors) == {"forbidden"}
    assert await ids_in(api, "TODAY_INTAKE", "sz.agent", cat) == []


async def test_cursor_pagination_walks_a_queue_without_overlap(api: Api) -> None:
    cat = "020403"
    made = [(await create(api, categoryCode=cat))["id"] for _ in range(5)]
    seen: list[str] = []
    after = None
    while True:
        page = ok(await api.gql(QUEUE, {"queue": "TO_DISPATCH", "first": 2, "after": after,
                                        "filter": {"categoryCode": cat}}, as_user="nj.dispatcher"), "workOrderQueue")
        assert page["totalCount"] == 5
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == made  # oldest first
    bad = refused(await api.gql(QUEUE, {"queue": "TO_DISPATCH", "first": 2, "after": "nonsense"},
                                as_user="nj.dispatcher"), "workOrderQueue")
    assert [(e["path"], e["code"]) for e in bad] == [(["after"], "invalid_cursor")]


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    """Every statement sent while inside, on any engine: the app serves the test client from another
    event loop (and so from another `runtime.database()`), so the listener sits on the Engine class."""
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", count)


async def test_a_page_of_100_orders_with_units_and_categories_costs_a_constant_number_of_queries(api: Api) -> None:
    cat = "030103"
    units = [STREET, "nj-cgj", "nj-zjj", "320102005", "nj-water"]

    async def one(i: int) -> None:
        order = await create(api, categoryCode=cat, title=f"地震演练{i}")
        await api.gql(DISPATCH, {"input": {"orderId": order["id"], "leadUnitCodes": [units[i % 5]],
                                           "supportUnitCodes": [units[(i + 1) % 5]]}}, as_user="nj.dispatcher")

    for start in range(0, 100, 20):
        await asyncio.gather(*(one(i) for i in range(start, start + 20)))
    variables = {"queue": "ALL", "filter": {"categoryCode": cat}}
    await api.gql(QUEUE, {**variables, "first": 1}, as_user="nj.dispatcher")  # warm the sign-in token
    with counted_statements() as small:
        page = ok(await api.gql(QUEUE, {**variables, "first": 5}, as_user="nj.dispatcher"), "workOrderQueue")
        assert len(page["edges"]) == 5
    with counted_statements() as large:
        page = ok(await api.gql(QUEUE, {**variables, "first": 100}, as_user="nj.dispatcher"), "workOrderQueue")
    assert len(page["edges"]) == 100
    assert all(len(e["node"]["assignments"]) == 2 and e["node"]["category"]["path"] for e in page["edges"])
    assert len(large) == len(small) <= 8, large
