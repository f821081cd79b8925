"""Callback (回访), reopening on dissatisfaction (重办), callback exemption, archive (归档), the caller's SMS."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text

from hotline.kernel import jobs
from hotline.workorders import tasks  # noqa: F401  (registers the notification job)
from tests.conftest import Api
from tests.workorders.helpers import (
    ACCEPT,
    ARCHIVE,
    CALLBACK,
    STREET,
    assignment,
    awaiting_callback,
    codes,
    create,
    ok,
    refused,
    replied,
)

SATISFIED = {"reached": True, "resolved": True, "satisfaction": "SATISFIED", "comment": "路灯已亮"}
DISSATISFIED = {"reached": True, "resolved": False, "satisfaction": "DISSATISFIED", "comment": "仍然不亮"}
RULES = ("mutation($input: WorkOrderRulesInput!) { updateWorkOrderRules(input: $input) { __typename "
         "... on WorkOrderRules { reopenOnDissatisfied } ... on ValidationErrors { errors { path code } } } }")


async def test_a_satisfied_callback_closes_and_the_order_is_archived(api: Api) -> None:
    order, _ = await awaiting_callback(api)
    closed = ok(await api.gql(CALLBACK, {"id": order["id"], "input": SATISFIED}, as_user="nj.callback"),
                "recordCallback")
    assert (closed["state"], closed["satisfaction"], closed["resolved"]) == ("CLOSED", "SATISFIED", True)
    archived = ok(await api.gql(ARCHIVE, {"id": order["id"]}, as_user="nj.callback"), "archiveWorkOrder")
    assert archived["state"] == "ARCHIVED" and archived["archivedAt"]
    again = refused(await api.gql(ARCHIVE, {"id": order["id"]}, as_user="nj.callback"), "archiveWorkOrder")
    assert codes(again) == {"invalid_state"}


async def test_dissatisfaction_reopens_the_order_for_rework_by_default(api: Api) -> None:
    order, _aid = await awaiting_callback(api)
    reopened = ok(await api.gql(CALLBACK, {"id": order["id"], "input": DISSATISFIED}, as_user="nj.callback"),
                  "recordCallback")
    assert (reopened["state"], reopened["reopenCount"]) == ("IN_PROGRESS", 1)
    lead = assignment(reopened, STREET)
    assert (lead["state"], lead["reworkCount"]) == ("IN_PROGRESS", 1)


async def test_a_tenant_may_close_on_dissatisfaction_instead(api: Api) -> None:
    forbidden = refused(await api.gql(RULES, {"input": {"reopenOnDissatisfied": False}}, as_user="nj.dispatcher"),
                        "updateWorkOrderRules")
    assert codes(forbidden) == {"forbidden"}
    ok(await api.gql(RULES, {"input": {"reopenOnDissatisfied": False}}, as_user="nj.admin"), "updateWorkOrderRules")
    try:
        order, _ = await awaiting_callback(api)
        closed = ok(await api.gql(CALLBACK, {"id": order["id"], "input": DISSATISFIED}, as_user="nj.callback"),
                    "recordCallback")
        assert (closed["state"], closed["satisfaction"]) == ("CLOSED", "DISSATISFIED")
    finally:
        ok(await api.gql(RULES, {"input": {"reopenOnDissatisfied": True}}, as_user="nj.admin"), "updateWorkOrderRules")


async def test_an_unreached_citizen_is_tried_again_then_closed_as_unreachable(api: Api) -> None:
    order, _ = await awaiting_callback(api)
    for attempt in (1, 2, 3):
        after = ok(await api.gql(CALLBACK, {"id": order["id"], "input": {"reached": False}}, as_user="nj.callback"),
                   "recordCallback")
        assert after["callbackAttempts"] == attempt
        assert after["state"] == ("CLOSED" if attempt == 3 else "PENDING_CALLBACK")


async def test_a_reached_callback_needs_resolution_and_satisfaction(api: Api) -> None:
    order, _ = await awaiting_callback(api)
    errors = refused(await api.gql(CALLBACK, {"id": order["id"], "input": {"reached": True}}, as_user="nj.callback"),
                     "recordCallback")
    assert {(tuple(e["path"]), e["code"]) for e in errors} == {(("resolved",), "required"),
                                                                (("satisfaction",), "required")}


async def test_only_callback_agents_call_back_and_only_after_an_accepted_reply(api: Api) -> None:
    order, _ = await awaiting_callback(api)
    assert codes(refused(await api.gql(CALLBACK, {"id": order["id"], "input": SATISFIED}, as_user="nj.dispatcher"),
                         "recordCallback")) == {"forbidden"}
    fresh = await create(api)
    assert codes(refused(await api.gql(CALLBACK, {"id": fresh["id"], "input": SATISFIED}, as_user="nj.callback"),
                         "recordCallback")) == {"invalid_state"}
    assert codes(refused(await api.gql(ARCHIVE, {"id": fresh["id"]}, as_user="nj.callback"),
                         "archiveWorkOrder")) == {"invalid_state"}
    for query, field, values in ((CALLBACK, "recordCallback", {"id": order["id"], "input": SATISFIED}),
                                 (ARCHIVE, "archiveWorkOrder", {"id": order["id"]})):
        assert codes(refused(await api.gql(query, values, as_user="sz.agent"), field)) == {"not_found"}


async def test_praise_is_exempt_from_callback_by_default(api: Api) -> None:
    _, aid = await replied(api, requestType="PRAISE", title="表扬新街口街道", content="感谢街道及时修好路灯。")
    closed = ok(await api.gql(ACCEPT, {"id": aid}, as_user="nj.dispatcher"), "acceptReply")
    assert closed["state"] == "CLOSED" and closed["closedAt"]
    assert "callback" not in {d["kind"] for d in closed["deadlines"]}


async def _run_notices(owner_engine: Any, order_id: str) -> list[bool]:
    with owner_engine.connect() as conn:
        rows = conn.execute(text("SELECT id, tenant_id, actor_name, payload FROM outbox "
                                 "WHERE payload->>'order_id' = :o ORDER BY created_at"), {"o": order_id}).all()
    done = []
    for row in rows:
        done.append(await jobs.run_job(row.actor_name, row.id, row.tenant_id, row.payload))
        done.append(await jobs.run_job(row.actor_name, row.id, row.tenant_id, row.payload))  # redelivered
    return done


async def test_the_caller_is_told_by_sms_once_per_notice(api: Api, owner_engine: Any) -> None:
    order, _ = await awaiting_callback(api)
    assert await _run_notices(owner_engine, order["id"]) == [True, False, True, False]
    with owner_engine.connect() as conn:
        sent = conn.execute(text("SELECT kind, phone_masked, body FROM sent_messages WHERE order_id = :o "
                                 "ORDER BY sent_at"), {"o": uuid.UUID(order["id"])}).all()
    assert [s.kind for s in sent] == ["receipt", "result"]
    assert {s.phone_masked for s in sent} == {"138****5678"}
    assert order["number"] in sent[0].body and "已修复" not in sent[0].body
    assert "恢复照明" in sent[1].body
