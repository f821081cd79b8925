"""The whole closed loop through GraphQL, as the people who do it: 受理 → 派单 → 签收 → 反馈 → 审核 → 回访 → 归档."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from tests.conftest import Api
from tests.workorders.helpers import (
    ACCEPT,
    ARCHIVE,
    CALLBACK,
    CREATE,
    DISPATCH,
    GET,
    REPLY,
    SIGN,
    STREET,
    assignment,
    codes,
    ok,
    order_input,
    refused,
)


async def test_the_whole_loop_from_intake_to_archive(api: Api, owner_engine: Any) -> None:
    created = ok(await api.gql(CREATE, {"input": order_input(responseLevel=2)}, as_user="nj.agent"),
                 "createWorkOrder")
    oid = created["id"]
    dispatched = ok(await api.gql(DISPATCH, {"input": {"orderId": oid, "leadUnitCodes": [STREET],
                                                       "note": "属地街道办理"}}, as_user="nj.dispatcher"),
                    "dispatchWorkOrder")
    aid = assignment(dispatched, STREET)["id"]
    ok(await api.gql(SIGN, {"id": aid}, as_user="nj.xinjiekou"), "signForAssignment")
    ok(await api.gql(REPLY, {"id": aid, "result": "RESOLVED", "text": "已协调供电公司更换灯具，当晚恢复照明。"},
                     as_user="nj.xinjiekou"), "replyToWorkOrder")
    accepted = ok(await api.gql(ACCEPT, {"id": aid}, as_user="nj.dispatcher"), "acceptReply")
    assert accepted["state"] == "PENDING_CALLBACK"
    closed = ok(await api.gql(CALLBACK, {"id": oid, "input": {"reached": True, "resolved": True,
                                                              "satisfaction": "BASICALLY_SATISFIED"}},
                              as_user="nj.callback"), "recordCallback")
    assert closed["state"] == "CLOSED"
    archived = ok(await api.gql(ARCHIVE, {"id": oid}, as_user="nj.callback"), "archiveWorkOrder")
    assert archived["state"] == "ARCHIVED"

    detail = ok(await api.gql(GET, {"id": oid}, as_user="nj.supervisor"), "workOrder")
    steps = [(e["action"], e["actor"], e["toState"]) for e in detail["timeline"]]
    assert steps == [
        ("create", "nj.agent", "pending_dispatch"),
        ("dispatch", "nj.dispatcher", "in_progress"),
        ("assign", "nj.dispatcher", "pending_sign"),
        ("sign_for", "nj.xinjiekou", "in_progress"),
        ("reply", "nj.xinjiekou", "replied"),
        ("accept_reply", "nj.dispatcher", "accepted"),
        ("complete", "nj.dispatcher", "pending_callback"),
        ("record_callback", "nj.callback", "closed"),
        ("archive", "nj.callback", "archived"),
    ]
    assert detail["timeline"][3]["unit"]["code"] == STREET
    lead = assignment(detail, STREET)
    kinds = {d["kind"] for d in lead["deadlines"]}
    assert {"sign_for", "first_contact", "reply", "return_window"} <= kinds
    assert {d["kind"] for d in detail["deadlines"]} >= {"progress_notice", "callback"}
    assert all(d["met"] for d in detail["deadlines"] if d["kind"] == "progress_notice")

    with owner_engine.connect() as conn:
        audited = conn.execute(text("SELECT action FROM audit_log WHERE object_id IN (:o, :a) ORDER BY id"),
                               {"o": oid, "a": aid}).scalars().all()
    assert audited == [f"work_order.{step[0]}" for step in steps]

    # Nothing moves an archived order, and 苏州 never sees it.
    again: list[tuple[str, str, dict[str, Any], str]] = [
        (SIGN, "signForAssignment", {"id": aid}, "nj.xinjiekou"),
        (ACCEPT, "acceptReply", {"id": aid}, "nj.dispatcher"),
        (CALLBACK, "recordCallback", {"id": oid, "input": {"reached": False}}, "nj.callback"),
        (ARCHIVE, "archiveWorkOrder", {"id": oid}, "nj.callback"),
    ]
    for query, field, values, user in again:
        assert codes(refused(await api.gql(query, values, as_user=user), field)) == {"invalid_state"}
        assert codes(refused(await api.gql(query, values, as_user="sz.agent"), field)) == {"not_found"}
    assert codes(refused(await api.gql(GET, {"id": oid}, as_user="sz.admin"), "workOrder")) == {"not_found"}
