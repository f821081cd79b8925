"""The supervision sweep: reminders, notices, escalation, overdue callbacks, the progress notice, idempotence."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hotline.workorders import sweep
from tests.conftest import Api
from tests.workorders.helpers import SIGN, STREET, assignment, awaiting_callback, create, dispatched, ok, signed
from tests.workorders.supervision_helpers import (
    audit_actions,
    drain,
    notices_of,
    now,
    op,
    rows,
    set_columns,
    timeline_actions,
)

HOUR = dt.timedelta(hours=1)


async def test_two_sweeps_make_one_notice_for_a_missed_sign_for_deadline(api: Api, owner_engine: Any,
                                                                          stub_broker: Any) -> None:
    order = await dispatched(api)
    aid = assignment(order, STREET)["id"]
    set_columns(owner_engine, "work_order_assignments", aid, sign_for_due_at=now() - HOUR)
    first = await sweep.sweep()
    second = await sweep.sweep()
    assert first.counts["sign_for_notice"] >= 1 and second.counts["sign_for_notice"] == 0
    found = notices_of(owner_engine, order["id"])
    assert [(n.level, n.state, n.reason, n.deadline_kind, n.automatic) for n in found] == [
        (2, "open", "overdue", "sign_for", True)]
    assert timeline_actions(owner_engine, order["id"]).count("supervision_opened") == 1
    assert audit_actions(owner_engine, found[0].id) == ["supervision.supervision_opened"]
    detail = ok(await op(api, "WorkOrderSupervision", {"id": order["id"]}, as_user="nj.xinjiekou"), "workOrder")
    assert detail["supervised"] and detail["supervisionReason"] == "overdue"
    [notice] = detail["supervisionNotices"]
    assert (notice["level"], notice["state"], notice["replyRequired"], notice["unit"]["code"]) == (
        "NOTICE", "OPEN", True, STREET)
    assert notice["replyDueAt"] and notice["escalateAt"]
    await drain(stub_broker)
    messages = rows(owner_engine, "SELECT audience, body FROM supervision_messages WHERE notice_id = :n",
                    n=found[0].id)
    assert [m.audience for m in messages] == ["unit"] and order["number"] in messages[0].body


async def test_a_reminder_goes_out_before_the_deadline_within_the_tenants_lead(api: Api, owner_engine: Any) -> None:
    order, aid = await signed(api)
    set_columns(owner_engine, "work_order_assignments", aid, reply_due_at=now() + HOUR)
    settings = "mutation($i: SupervisionSettingsInput!) { updateSupervisionSettings(input: $i) { __typename } }"
    await api.gql(settings, {"i": {"reminderLeadHours": 0.5}}, as_user="nj.admin")
    try:
        await sweep.sweep()
        assert notices_of(owner_engine, order["id"]) == []  # due in an hour, lead half an hour: not yet
    finally:
        await api.gql(settings, {"i": {"reminderLeadHours": 4}}, as_user="nj.admin")
    await sweep.sweep()
    await sweep.sweep()
    found = notices_of(owner_engine, order["id"])
    assert [(n.level, n.state, n.reason, n.deadline_kind) for n in found] == [(1, "sent", "due_soon", "reply")]
    detail = ok(await op(api, "WorkOrderSupervision", {"id": order["id"]}, as_user="nj.supervisor"), "workOrder")
    assert not detail["supervised"]  # a reminder does not put the order under supervision
    assert "supervision_reminder" in timeline_actions(owner_engine, order["id"])


async def test_a_missed_reply_is_noticed_then_listed_after_the_further_limit(api: Api, owner_engine: Any,
                                                                            stub_broker: Any) -> None:
    order, aid = await signed(api)
    set_columns(owner_engine, "work_order_assignments", aid, reply_due_at=now() - dt.timedelta(days=10))
    await sweep.sweep()
    [notice] = notices_of(owner_engine, order["id"])
    assert (notice.level, notice.deadline_kind) == (2, "reply")
    await sweep.sweep()  # ten days late is past due + 2 working days: listed supervision
    await sweep.sweep()
    found = notices_of(owner_engine, order["id"])
    assert [(n.level, n.state) for n in found] == [(2, "escalated"), (3, "open")]
    assert found[1].escalated_from_id == found[0].id
    actions = timeline_actions(owner_engine, order["id"])
    assert actions.count("supervision_escalated") == 1 and actions.count("supervision_listed") == 1
    await drain(stub_broker)
    audiences = {r.audience for r in rows(owner_engine, "SELECT audience FROM supervision_messages "
                                          "WHERE notice_id = :n", n=found[1].id)}
    assert audiences == {"unit", "leaders"}
    board = ok(await op(api, "SupervisionBoard", {"section": "ESCALATIONS", "first": 100}, as_user="nj.leader"),
               "supervisionBoard")
    assert order["id"] in {e["node"]["order"]["id"] for e in board["edges"]}


async def test_no_escalation_when_the_deadline_was_met_late(api: Api, owner_engine: Any) -> None:
    order = await dispatched(api)
    aid = assignment(order, STREET)["id"]
    set_columns(owner_engine, "work_order_assignments", aid, sign_for_due_at=now() - dt.timedelta(days=10))
    await sweep.sweep()
    ok(await api.gql(SIGN, {"id": aid}, as_user="nj.xinjiekou"), "signForAssignment")
    await sweep.sweep()
    found = notices_of(owner_engine, order["id"])
    assert [(n.level, n.state) for n in found] == [(2, "open")]  # still to be answered and closed, not listed
    escalate = rows(owner_engine, "SELECT escalate_at FROM supervision_notices WHERE id = :n", n=found[0].id)
    assert escalate[0].escalate_at is None


async def test_an_overdue_callback_is_flagged_for_the_callback_team(api: Api, owner_engine: Any) -> None:
    order, _ = await awaiting_callback(api)
    set_columns(owner_engine, "work_orders", order["id"], callback_due_at=now() - HOUR)
    await sweep.sweep()
    await sweep.sweep()
    found = notices_of(owner_engine, order["id"])
    assert [(n.deadline_kind, n.unit_id, n.state) for n in found] == [("callback", None, "sent")]
    assert "callback_overdue" in timeline_actions(owner_engine, order["id"])
    board = ok(await op(api, "SupervisionBoard", {"section": "OVERDUE_CALLBACKS", "first": 100},
                        as_user="nj.supervisor"), "supervisionBoard")
    assert order["id"] in {e["node"]["order"]["id"] for e in board["edges"]}


async def test_the_caller_is_told_the_progress_once_before_the_limit(api: Api, owner_engine: Any,
                                                                     stub_broker: Any) -> None:
    order = await create(api)
    set_columns(owner_engine, "work_orders", order["id"], progress_notice_due_at=now() + HOUR)
    first = await sweep.sweep()
    await sweep.sweep()
    assert first.counts["progress_notice"] >= 1
    await drain(stub_broker)
    sent = rows(owner_engine, "SELECT kind, body FROM sent_messages WHERE order_id = :o ORDER BY sent_at",
                o=order["id"])
    assert [s.kind for s in sent] == ["receipt", "progress"]
    assert order["number"] in sent[1].body and "正在派单" in sent[1].body
    deadlines = (await api.gql("query($id: UUID!) { workOrder(id: $id) { ... on WorkOrder { deadlines "
                               "{ kind met } } } }", {"id": order["id"]}, as_user="nj.agent"))["workOrder"]["deadlines"]
    assert {"kind": "progress_notice", "met": True} in deadlines
    assert timeline_actions(owner_engine, order["id"]).count("progress_notice") == 1


async def test_sweeping_at_a_given_moment_needs_no_clock(api: Api, owner_engine: Any) -> None:
    order = await dispatched(api)
    aid = assignment(order, STREET)["id"]
    due = now().replace(microsecond=0) - dt.timedelta(days=3)
    set_columns(owner_engine, "work_order_assignments", aid, sign_for_due_at=due)
    before = await sweep.sweep(now=due - HOUR)
    assert before.counts["sign_for_reminder"] >= 1
    await sweep.sweep(now=due - HOUR)
    await sweep.sweep(now=due + dt.timedelta(minutes=1))
    await sweep.sweep(now=due + dt.timedelta(minutes=1))
    assert [(n.level, n.deadline_kind) for n in notices_of(owner_engine, order["id"])] == [
        (1, "sign_for"), (2, "sign_for")]
