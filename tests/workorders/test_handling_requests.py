"""Handling: notes, contacts with the citizen (first_contact), extensions (延期), suspensions (挂起),
the return window, and the tenant's work-order rules."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import text

from hotline.kernel.calendar import TIMEZONE, DurationUnit, WorkingCalendar
from tests.conftest import Api
from tests.workorders.helpers import REPLY, RETURN, STREET, assignment, codes, dispatched, ok, refused, signed

CGJ = "nj-cgj"  # 南京市城市管理局, handled by nj.cgj

H = """
fragment H on WorkOrder {
  id state supervised
  assignments { id state firstContactedAt extensionDaysGranted suspendedAt unit { code }
    deadlines { kind dueAt met doneAt }
    handlingRecords { id kind text recordedBy contactedAt method reached }
    requests { id kind status reason days daysGranted decidedBy decisionNote replyDueBefore replyDueAfter
               suspendedFrom resumedAt pausedSeconds } }
  timeline { action fromState toState note detail unit { code } }
}
"""
R = "{ __typename ...H ... on ValidationErrors { errors { path message code } } }"
NOTE = H + "mutation($id: UUID!, $text: String!) { recordHandlingNote(assignmentId: $id, text: $text) " + R + " }"
CONTACT = H + ("mutation($id: UUID!, $input: CitizenContactInput!) { "
               "recordCitizenContact(assignmentId: $id, input: $input) " + R + " }")
ASK_EXT = H + ("mutation($id: UUID!, $days: Int!, $reason: String!) { "
               "requestExtension(assignmentId: $id, days: $days, reason: $reason) " + R + " }")
APPROVE_EXT = H + ("mutation($id: UUID!, $days: Int, $note: String) { "
                   "approveExtension(requestId: $id, days: $days, note: $note) " + R + " }")
REFUSE_EXT = H + ("mutation($id: UUID!, $reason: String!) { "
                  "refuseExtension(requestId: $id, reason: $reason) " + R + " }")
ASK_SUSP = H + ("mutation($id: UUID!, $reason: String!) { "
                "requestSuspension(assignmentId: $id, reason: $reason) " + R + " }")
APPROVE_SUSP = H + "mutation($id: UUID!) { approveSuspension(requestId: $id) " + R + " }"
REFUSE_SUSP = H + ("mutation($id: UUID!, $reason: String!) { "
                   "refuseSuspension(requestId: $id, reason: $reason) " + R + " }")
RESUME = H + "mutation($id: UUID!, $note: String) { resumeAssignment(assignmentId: $id, note: $note) " + R + " }"
GET = H + "query($id: UUID!) { workOrder(id: $id) " + R + " }"
DUE_AT = """query($start: DateTime!, $amount: Float!, $unit: DurationUnit!) { calendar {
  dueAt(start: $start, amount: $amount, unit: $unit) { __typename ... on DueAt { at } } } }"""

WHY = "市民外出，需补充现场照片后再处理。"
OUTSIDERS = ("sz.agent", "sz.admin")  # 苏州: another tenant, must get not_found


def _lead(order: dict[str, Any]) -> dict[str, Any]:
    return assignment(order, STREET)


def _due(a: dict[str, Any], kind: str) -> dict[str, Any]:
    found: dict[str, Any] = next(d for d in a["deadlines"] if d["kind"] == kind)
    return found


def _at(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def _sql(owner_engine: Any, statement: str, **params: Any) -> None:
    with owner_engine.begin() as conn:
        conn.execute(text(statement), params)


async def _get(api: Api, order_id: str, as_user: str = "nj.dispatcher") -> dict[str, Any]:
    return ok(await api.gql(GET, {"id": order_id}, as_user=as_user), "workOrder")


async def _ask_extension(api: Api, aid: str, days: int) -> tuple[dict[str, Any], str]:
    order = ok(await api.gql(ASK_EXT, {"id": aid, "days": days, "reason": "需协调供电公司更换电缆，工期较长。"},
                             as_user="nj.xinjiekou"), "requestExtension")
    request = _lead(order)["requests"][-1]
    assert (request["kind"], request["status"], request["days"]) == ("EXTENSION", "PENDING", days)
    return order, request["id"]


async def _suspended(api: Api) -> tuple[dict[str, Any], str, str]:
    _order, aid = await signed(api)
    asked = ok(await api.gql(ASK_SUSP, {"id": aid, "reason": WHY}, as_user="nj.xinjiekou"), "requestSuspension")
    rid = _lead(asked)["requests"][-1]["id"]
    done = ok(await api.gql(APPROVE_SUSP, {"id": rid}, as_user="nj.supervisor"), "approveSuspension")
    assert _lead(done)["state"] == "SUSPENDED" and _lead(done)["suspendedAt"] is not None
    return done, aid, rid


def _audited(owner_engine: Any, object_id: str, action: str) -> int:
    with owner_engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM audit_log WHERE object_id = :o AND action = :a"),
                                {"o": object_id, "a": action}).scalar_one())


# --- notes and contacts --------------------------------------------------------------------------


async def test_a_unit_records_handling_notes_on_its_own_assignment_while_handling_it(
        api: Api, owner_engine: Any) -> None:
    order = await dispatched(api, supports=[CGJ])
    aid = _lead(order)["id"]
    early = refused(await api.gql(NOTE, {"id": aid, "text": "已到现场查看路灯。"}, as_user="nj.xinjiekou"),
                    "recordHandlingNote")
    assert codes(early) == {"invalid_state"}  # not signed yet
    await api.gql(SIGN_Q, {"id": aid}, as_user="nj.xinjiekou")
    noted = ok(await api.gql(NOTE, {"id": aid, "text": "已到现场查看，确认三盏路灯损坏。"}, as_user="nj.xinjiekou"),
               "recordHandlingNote")
    records = _lead(noted)["handlingRecords"]
    assert [(r["kind"], r["text"], r["recordedBy"]) for r in records] == [
        ("NOTE", "已到现场查看，确认三盏路灯损坏。", "nj.xinjiekou")]
    event = noted["timeline"][-1]
    assert (event["action"], event["fromState"], event["toState"]) == ("record_note", "in_progress", "in_progress")
    assert event["unit"]["code"] == STREET
    assert _audited(owner_engine, aid, "work_order.record_note") == 1
    for user, code in (("nj.cgj", "forbidden"), ("nj.dispatcher", "forbidden"), ("nj.agent", "forbidden"),
                       *((u, "not_found") for u in OUTSIDERS)):
        errors = refused(await api.gql(NOTE, {"id": aid, "text": "别人的记录。"}, as_user=user), "recordHandlingNote")
        assert codes(errors) == {code}, user
    empty = refused(await api.gql(NOTE, {"id": aid, "text": "  "}, as_user="nj.xinjiekou"), "recordHandlingNote")
    assert [(e["path"], e["code"]) for e in empty] == [(["text"], "required")]


SIGN_Q = "mutation($id: UUID!) { signForAssignment(assignmentId: $id) { __typename } }"


async def test_the_first_contact_meets_the_first_contact_deadline_and_the_timeline_says_so(
        api: Api, owner_engine: Any) -> None:
    order, aid = await signed(api)
    waiting = _due(_lead(await _get(api, order["id"])), "first_contact")
    assert waiting["met"] is None and waiting["doneAt"] is None
    first = ok(await api.gql(CONTACT, {"id": aid, "input": {"method": "PHONE", "reached": False,
                                                           "text": "电话无人接听，稍后再拨。"}},
                             as_user="nj.xinjiekou"), "recordCitizenContact")
    lead = _lead(first)
    assert lead["firstContactedAt"] is not None
    deadline = _due(lead, "first_contact")
    assert deadline["met"] is True and deadline["doneAt"] == lead["firstContactedAt"]
    event = first["timeline"][-1]
    assert event["action"] == "record_contact"
    assert event["detail"]["first_contact"]["met"] is True and event["detail"]["reached"] is False
    second = ok(await api.gql(CONTACT, {"id": aid, "input": {"method": "VISIT", "reached": True,
                                                            "text": "上门见到王先生，约定今晚修复。"}},
                              as_user="nj.xinjiekou"), "recordCitizenContact")
    lead = _lead(second)
    assert lead["firstContactedAt"] == _lead(first)["firstContactedAt"]
    assert "first_contact" not in second["timeline"][-1]["detail"]
    assert [(r["kind"], r["method"], r["reached"]) for r in lead["handlingRecords"]] == [
        ("CONTACT", "PHONE", False), ("CONTACT", "VISIT", True)]
    assert _audited(owner_engine, aid, "work_order.record_contact") == 2


async def test_a_first_contact_after_its_deadline_is_shown_missed(api: Api, owner_engine: Any) -> None:
    order, aid = await signed(api)
    _sql(owner_engine, "UPDATE work_order_assignments SET created_at = now() - interval '3 days', "
         "first_contact_due_at = now() - interval '1 day' WHERE id = :a", a=uuid.UUID(aid))
    overdue = _due(_lead(await _get(api, order["id"])), "first_contact")
    assert overdue["met"] is False and overdue["doneAt"] is None
    late = ok(await api.gql(CONTACT, {"id": aid, "input": {"method": "SMS", "reached": True,
                                                          "text": "短信告知已受理，市民回复收到。"}},
                            as_user="nj.xinjiekou"), "recordCitizenContact")
    assert _due(_lead(late), "first_contact")["met"] is False
    assert late["timeline"][-1]["detail"]["first_contact"]["met"] is False


async def test_a_contact_is_validated_with_field_paths(api: Api) -> None:
    _order, aid = await signed(api)
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)).isoformat()
    errors = refused(await api.gql(CONTACT, {"id": aid, "input": {"method": "PHONE", "reached": True, "text": "",
                                                                 "contactedAt": future}}, as_user="nj.xinjiekou"),
                     "recordCitizenContact")
    assert {(tuple(e["path"]), e["code"]) for e in errors} == {(("contactedAt",), "in_future"),
                                                                (("text",), "required")}
    past = "2020-01-02T10:00:00"  # no offset: Beijing time, long before the dispatch
    errors = refused(await api.gql(CONTACT, {"id": aid, "input": {"method": "OTHER", "reached": True,
                                                                 "text": "微信联系市民。", "contactedAt": past}},
                                   as_user="nj.xinjiekou"), "recordCitizenContact")
    assert [(e["path"], e["code"]) for e in errors] == [(["contactedAt"], "before_dispatch")]
    for user in OUTSIDERS:
        hidden = refused(await api.gql(CONTACT, {"id": aid, "input": {"method": "PHONE", "reached": True,
                                                                     "text": "电话联系市民。"}}, as_user=user),
                         "recordCitizenContact")
        assert codes(hidden) == {"not_found"}


# --- extensions ----------------------------------------------------------------------------------


async def test_an_approved_extension_moves_the_reply_deadline_across_national_day(
        api: Api, owner_engine: Any) -> None:
    _order, aid = await signed(api)
    # The reply was due on the last working day before 国庆 2026 (Oct 1–7 off, Saturday Oct 10 a 调休 working day).
    _sql(owner_engine, "UPDATE work_order_assignments SET reply_due_at = :due WHERE id = :a",
         due=dt.datetime(2026, 9, 30, 17, 30, tzinfo=TIMEZONE), a=uuid.UUID(aid))
    _, rid = await _ask_extension(api, aid, 3)
    approved = ok(await api.gql(APPROVE_EXT, {"id": rid, "note": "同意延期。"}, as_user="nj.dispatcher"),
                  "approveExtension")
    lead = _lead(approved)
    due = _at(_due(lead, "reply")["dueAt"]).astimezone(TIMEZONE)
    assert due == dt.datetime(2026, 10, 10, 17, 30, tzinfo=TIMEZONE)  # Oct 8, Oct 9, Saturday Oct 10
    assert lead["extensionDaysGranted"] == 3
    request = lead["requests"][-1]
    assert (request["status"], request["daysGranted"], request["decidedBy"], request["decisionNote"]) == (
        "APPROVED", 3, "nj.dispatcher", "同意延期。")
    assert _at(request["replyDueBefore"]) == dt.datetime(2026, 9, 30, 17, 30, tzinfo=TIMEZONE)
    assert _at(request["replyDueAfter"]) == due
    event = approved["timeline"][-1]
    assert event["action"] == "approve_extension" and event["detail"]["days"] == 3
    assert _audited(owner_engine, aid, "work_order.request_extension") == 1
    assert _audited(owner_engine, aid, "work_order.approve_extension") == 1


async def test_the_hotline_may_grant_fewer_days_than_asked(api: Api, owner_engine: Any) -> None:
    _order, aid = await signed(api)
    _sql(owner_engine, "UPDATE work_order_assignments SET reply_due_at = :due WHERE id = :a",
         due=dt.datetime(2026, 9, 30, 17, 30, tzinfo=TIMEZONE), a=uuid.UUID(aid))
    _, rid = await _ask_extension(api, aid, 5)
    more = refused(await api.gql(APPROVE_EXT, {"id": rid, "days": 6}, as_user="nj.supervisor"), "approveExtension")
    assert [(e["path"], e["code"]) for e in more] == [(["days"], "out_of_range")]
    approved = ok(await api.gql(APPROVE_EXT, {"id": rid, "days": 1}, as_user="nj.supervisor"), "approveExtension")
    lead = _lead(approved)
    assert _at(_due(lead, "reply")["dueAt"]).astimezone(TIMEZONE) == dt.datetime(2026, 10, 8, 17, 30,
                                                                                  tzinfo=TIMEZONE)
    assert lead["extensionDaysGranted"] == 1 and lead["requests"][-1]["daysGranted"] == 1


async def test_a_refused_extension_leaves_the_reply_deadline(api: Api, owner_engine: Any) -> None:
    order, aid = await signed(api)
    due = _due(_lead(await _get(api, order["id"])), "reply")["dueAt"]
    _, rid = await _ask_extension(api, aid, 2)
    short = refused(await api.gql(REFUSE_EXT, {"id": rid, "reason": ""}, as_user="nj.dispatcher"), "refuseExtension")
    assert [(e["path"], e["code"]) for e in short] == [(["reason"], "required")]
    done = ok(await api.gql(REFUSE_EXT, {"id": rid, "reason": "期限内可完成，请抓紧办理。"}, as_user="nj.dispatcher"),
              "refuseExtension")
    lead = _lead(done)
    assert _due(lead, "reply")["dueAt"] == due and lead["extensionDaysGranted"] == 0
    assert (lead["requests"][-1]["status"], lead["requests"][-1]["decisionNote"]) == (
        "REFUSED", "期限内可完成，请抓紧办理。")
    again = refused(await api.gql(APPROVE_EXT, {"id": rid}, as_user="nj.dispatcher"), "approveExtension")
    assert codes(again) == {"invalid_state"}
    assert _audited(owner_engine, aid, "work_order.refuse_extension") == 1


async def test_extensions_may_not_exceed_the_policys_maximum(api: Api) -> None:
    _order, aid = await signed(api)  # response level 3: at most 10 working days in all (built-in default)
    over = refused(await api.gql(ASK_EXT, {"id": aid, "days": 11, "reason": "工程量大，需要更多时间。"},
                                 as_user="nj.xinjiekou"), "requestExtension")
    assert [(e["path"], e["code"]) for e in over] == [(["days"], "over_limit")]
    _, rid = await _ask_extension(api, aid, 6)
    ok(await api.gql(APPROVE_EXT, {"id": rid}, as_user="nj.dispatcher"), "approveExtension")
    over = refused(await api.gql(ASK_EXT, {"id": aid, "days": 5, "reason": "仍需协调，再延几天。"},
                                 as_user="nj.xinjiekou"), "requestExtension")
    assert [(e["path"], e["code"]) for e in over] == [(["days"], "over_limit")]
    assert "at most 4 more" in over[0]["message"]
    order, _rid = await _ask_extension(api, aid, 4)
    assert _lead(order)["extensionDaysGranted"] == 6
    urgent, urgent_aid = await signed(api, responseLevel=1)  # 一级响应: at most 2 working days
    over = refused(await api.gql(ASK_EXT, {"id": urgent_aid, "days": 3, "reason": "需要更多时间处理。"},
                                 as_user="nj.xinjiekou"), "requestExtension")
    assert codes(over) == {"over_limit"} and urgent["id"]


async def test_an_extension_request_is_validated_and_only_one_waits_at_a_time(api: Api) -> None:
    order = await dispatched(api)
    aid = _lead(order)["id"]
    unsigned = refused(await api.gql(ASK_EXT, {"id": aid, "days": 2, "reason": "需要更多时间。"},
                                     as_user="nj.xinjiekou"), "requestExtension")
    assert codes(unsigned) == {"invalid_state"}
    await api.gql(SIGN_Q, {"id": aid}, as_user="nj.xinjiekou")
    bad = refused(await api.gql(ASK_EXT, {"id": aid, "days": 0, "reason": ""}, as_user="nj.xinjiekou"),
                  "requestExtension")
    assert {(tuple(e["path"]), e["code"]) for e in bad} == {(("days",), "out_of_range"), (("reason",), "required")}
    for user, code in (("nj.dispatcher", "forbidden"), *((u, "not_found") for u in OUTSIDERS)):
        errors = refused(await api.gql(ASK_EXT, {"id": aid, "days": 2, "reason": "需要更多时间。"}, as_user=user),
                         "requestExtension")
        assert codes(errors) == {code}, user
    await _ask_extension(api, aid, 2)
    twice = refused(await api.gql(ASK_EXT, {"id": aid, "days": 1, "reason": "再申请一次。"}, as_user="nj.xinjiekou"),
                    "requestExtension")
    assert codes(twice) == {"already_pending"}


async def test_only_the_hotline_decides_an_extension_and_only_once(api: Api) -> None:
    _order, aid = await signed(api)
    _, rid = await _ask_extension(api, aid, 2)
    for user, code in (("nj.xinjiekou", "forbidden"), ("nj.agent", "forbidden"), ("nj.cgj", "not_found"),
                       *((u, "not_found") for u in OUTSIDERS)):
        for op, field, values in ((APPROVE_EXT, "approveExtension", {"id": rid}),
                                  (REFUSE_EXT, "refuseExtension", {"id": rid, "reason": "不同意延期。"})):
            errors = refused(await api.gql(op, values, as_user=user), field)
            assert codes(errors) == {code}, (user, field)
    ok(await api.gql(APPROVE_EXT, {"id": rid}, as_user="nj.supervisor"), "approveExtension")
    twice = refused(await api.gql(APPROVE_EXT, {"id": rid}, as_user="nj.dispatcher"), "approveExtension")
    assert codes(twice) == {"invalid_state"}
    missing = refused(await api.gql(APPROVE_EXT, {"id": str(uuid.uuid4())}, as_user="nj.dispatcher"),
                      "approveExtension")
    assert [(e["path"], e["code"]) for e in missing] == [(["requestId"], "not_found")]


async def test_requests_still_waiting_when_the_unit_replies_lapse(api: Api) -> None:
    _order, aid = await signed(api)
    _, rid = await _ask_extension(api, aid, 2)
    replied = ok(await api.gql(REPLY, {"id": aid, "result": "RESOLVED", "text": "已修复路灯，恢复照明。"},
                               as_user="nj.xinjiekou"), "replyToWorkOrder")
    assert replied["state"] == "IN_PROGRESS"
    order = await _get(api, replied["id"])
    assert _lead(order)["requests"][-1]["status"] == "LAPSED"
    assert any(e["action"] == "lapse_request" for e in order["timeline"])
    late = refused(await api.gql(APPROVE_EXT, {"id": rid}, as_user="nj.dispatcher"), "approveExtension")
    assert codes(late) == {"invalid_state"}


async def test_waiting_requests_show_in_the_hotlines_review_queue(api: Api) -> None:
    order, aid = await signed(api)
    queue = ("{ workOrderQueue(queue: REQUESTS_TO_REVIEW, first: 100) { __typename "
             "... on WorkOrderConnection { edges { node { id } } } ... on ValidationErrors { errors { code } } } }")

    async def listed(user: str) -> set[str]:
        page = await api.gql(queue, as_user=user)
        return {e["node"]["id"] for e in page["workOrderQueue"]["edges"]}

    assert order["id"] not in await listed("nj.dispatcher")
    _, rid = await _ask_extension(api, aid, 2)
    assert order["id"] in await listed("nj.dispatcher") and order["id"] in await listed("nj.supervisor")
    unit = await api.gql(queue, as_user="nj.xinjiekou")
    assert unit["workOrderQueue"]["__typename"] == "ValidationErrors"
    ok(await api.gql(REFUSE_EXT, {"id": rid, "reason": "期限内可完成。"}, as_user="nj.dispatcher"), "refuseExtension")
    assert order["id"] not in await listed("nj.dispatcher")


# --- suspension ----------------------------------------------------------------------------------


async def test_a_suspension_stops_the_reply_clock_until_it_is_resumed(api: Api, owner_engine: Any) -> None:
    order, aid, rid = await _suspended(api)
    lead = _lead(order)
    assert lead["requests"][-1]["status"] == "APPROVED" and lead["requests"][-1]["suspendedFrom"]
    due_before = _due(lead, "reply")["dueAt"]
    # While suspended the unit still records contacts and notes, but cannot reply before resuming.
    ok(await api.gql(CONTACT, {"id": aid, "input": {"method": "PHONE", "reached": True,
                                                   "text": "市民称下周提供照片。"}}, as_user="nj.xinjiekou"),
       "recordCitizenContact")
    early = refused(await api.gql(REPLY, {"id": aid, "result": "RESOLVED", "text": "已处理完毕。"},
                                  as_user="nj.xinjiekou"), "replyToWorkOrder")
    assert codes(early) == {"invalid_state"}
    # Suspended since two days ago (moved as the owner, so that working time has passed).
    _sql(owner_engine, "UPDATE work_order_assignments SET suspended_at = now() - interval '2 days' WHERE id = :a",
         a=uuid.UUID(aid))
    resumed = ok(await api.gql(RESUME, {"id": aid, "note": "市民已提供照片。"}, as_user="nj.xinjiekou"),
                 "resumeAssignment")
    lead = _lead(resumed)
    assert lead["state"] == "IN_PROGRESS" and lead["suspendedAt"] is None
    request = next(r for r in lead["requests"] if r["id"] == rid)
    paused = request["pausedSeconds"]
    assert request["resumedAt"] is not None and paused is not None
    expected = due_before
    if paused > 0:
        moved = await api.gql(DUE_AT, {"start": due_before, "amount": paused / 3600, "unit": "WORKING_HOURS"},
                              as_user="nj.admin")
        expected = moved["calendar"]["dueAt"]["at"]
    assert _at(_due(lead, "reply")["dueAt"]) == _at(expected)
    assert _at(request["replyDueAfter"]) == _at(expected)
    event = resumed["timeline"][-1]
    assert (event["action"], event["fromState"], event["toState"]) == ("resume", "suspended", "in_progress")
    assert event["detail"]["paused_seconds"] == paused
    ok(await api.gql(REPLY, {"id": aid, "result": "RESOLVED", "text": "已根据照片修复路灯。"},
                     as_user="nj.xinjiekou"), "replyToWorkOrder")


def test_working_time_spent_suspended_over_national_day_counts_only_working_hours() -> None:
    calendar = WorkingCalendar(uuid.uuid4())  # statutory data, default working hours
    start = dt.datetime(2026, 9, 30, 15, 0, tzinfo=TIMEZONE)
    end = dt.datetime(2026, 10, 9, 10, 0, tzinfo=TIMEZONE)
    spent, beyond = calendar.working_time_between(start, end)
    assert not beyond
    assert spent == dt.timedelta(hours=2, minutes=30) + dt.timedelta(hours=7) + dt.timedelta(hours=1)
    due = dt.datetime(2026, 9, 30, 17, 30, tzinfo=TIMEZONE)
    moved = calendar.due_at(due, spent.total_seconds() / 3600, DurationUnit.WORKING_HOURS)
    # 10.5 working hours after Sep 30 17:30: Oct 8 (7 h), then 3.5 h of Friday Oct 9.
    assert moved.at.astimezone(TIMEZONE) == dt.datetime(2026, 10, 9, 14, 0, tzinfo=TIMEZONE)
    assert calendar.working_time_between(end, start) == (dt.timedelta(0), False)


async def test_the_hotline_approves_refuses_and_resumes_suspensions(api: Api, owner_engine: Any) -> None:
    order, aid = await signed(api, supports=[CGJ])
    asked = ok(await api.gql(ASK_SUSP, {"id": aid, "reason": WHY}, as_user="nj.xinjiekou"), "requestSuspension")
    rid = _lead(asked)["requests"][-1]["id"]
    twice = refused(await api.gql(ASK_SUSP, {"id": aid, "reason": WHY}, as_user="nj.xinjiekou"), "requestSuspension")
    assert codes(twice) == {"already_pending"}
    for user, code in (("nj.xinjiekou", "forbidden"), ("nj.cgj", "forbidden"), ("nj.agent", "forbidden"),
                       *((u, "not_found") for u in OUTSIDERS)):
        errors = refused(await api.gql(APPROVE_SUSP, {"id": rid}, as_user=user), "approveSuspension")
        assert codes(errors) == {code}, user
    not_suspended = refused(await api.gql(RESUME, {"id": aid}, as_user="nj.xinjiekou"), "resumeAssignment")
    assert codes(not_suspended) == {"invalid_state"}
    done = ok(await api.gql(REFUSE_SUSP, {"id": rid, "reason": "可先行处理，无需挂起。"}, as_user="nj.dispatcher"),
              "refuseSuspension")
    assert _lead(done)["state"] == "IN_PROGRESS" and _lead(done)["requests"][-1]["status"] == "REFUSED"
    assert _audited(owner_engine, aid, "work_order.refuse_suspension") == 1
    # A second request, approved; then the hotline resumes it, and others may not.
    asked = ok(await api.gql(ASK_SUSP, {"id": aid, "reason": WHY}, as_user="nj.xinjiekou"), "requestSuspension")
    rid = _lead(asked)["requests"][-1]["id"]
    ok(await api.gql(APPROVE_SUSP, {"id": rid}, as_user="nj.dispatcher"), "approveSuspension")
    short = refused(await api.gql(REFUSE_SUSP, {"id": rid, "reason": "不同意。"}, as_user="nj.dispatcher"),
                    "refuseSuspension")
    assert codes(short) == {"invalid_state"}  # already decided
    for user, code in (("nj.cgj", "forbidden"), ("nj.agent", "forbidden"), *((u, "not_found") for u in OUTSIDERS)):
        errors = refused(await api.gql(RESUME, {"id": aid}, as_user=user), "resumeAssignment")
        assert codes(errors) == {code}, user
    back = ok(await api.gql(RESUME, {"id": aid}, as_user="nj.supervisor"), "resumeAssignment")
    assert _lead(back)["state"] == "IN_PROGRESS"
    assert _audited(owner_engine, aid, "work_order.approve_suspension") == 1
    assert _audited(owner_engine, aid, "work_order.resume") == 1
    assert order["id"] == back["id"]


async def test_a_suspension_needs_a_reason_and_an_assignment_in_progress(api: Api) -> None:
    order = await dispatched(api)
    aid = _lead(order)["id"]
    unsigned = refused(await api.gql(ASK_SUSP, {"id": aid, "reason": WHY}, as_user="nj.xinjiekou"),
                       "requestSuspension")
    assert codes(unsigned) == {"invalid_state"}
    await api.gql(SIGN_Q, {"id": aid}, as_user="nj.xinjiekou")
    empty = refused(await api.gql(ASK_SUSP, {"id": aid, "reason": "等"}, as_user="nj.xinjiekou"), "requestSuspension")
    assert [(e["path"], e["code"]) for e in empty] == [(["reason"], "required")]
    wrong = refused(await api.gql(ASK_SUSP, {"id": aid, "reason": WHY}, as_user="nj.supervisor"), "requestSuspension")
    assert codes(wrong) == {"forbidden"}


# --- the return window ---------------------------------------------------------------------------

SET_RULE = """mutation($i: SetDeadlineRuleInput!) { setDeadlineRule(input: $i) { __typename
  ... on DeadlineRule { id } ... on ValidationErrors { errors { path code } } } }"""
REMOVE_RULE = "mutation($r: UUID!) { removeDeadlineRule(ruleId: $r) { __typename } }"
WAGE_ARREARS = "010804"  # 城乡建设 / … / 拖欠工程款: no other test files orders there


async def test_a_return_after_the_policys_return_window_is_refused_with_deadline_passed(api: Api) -> None:
    made = await api.gql(SET_RULE, {"i": {"requestType": "report", "categoryCode": WAGE_ARREARS, "limits": [
        {"kind": "RETURN_WINDOW", "amount": 0, "unit": "NATURAL_HOURS"}]}}, as_user="nj.admin")
    rule = made["setDeadlineRule"]
    assert rule["__typename"] == "DeadlineRule", rule
    try:
        order = await dispatched(api, requestType="REPORT", categoryCode=WAGE_ARREARS, title="工地拖欠工程款",
                                 content="某工地拖欠分包工程款三个月，多次催要无果。")
        aid = _lead(order)["id"]
        late = refused(await api.gql(RETURN, {"id": aid, "reason": "NOT_WITHIN_DUTIES",
                                              "text": "工程款纠纷不属街道职责。"}, as_user="nj.xinjiekou"),
                       "requestReturn")
        assert [(e["path"], e["code"]) for e in late] == [([], "deadline_passed")]
    finally:
        await api.gql(REMOVE_RULE, {"r": rule["id"]}, as_user="nj.admin")


# --- the tenant's rules --------------------------------------------------------------------------

RULES_FIELDS = "returnSupervisionThreshold reopenOnDissatisfied callbackExemptTypes callbackMaxAttempts " \
               "duplicateWindowDays"
READ_RULES = "{ workOrderRules { __typename ... on WorkOrderRules { " + RULES_FIELDS + " } } }"
UPDATE_RULES = ("mutation($input: WorkOrderRulesInput!) { updateWorkOrderRules(input: $input) { __typename "
                "... on WorkOrderRules { " + RULES_FIELDS + " } ... on ValidationErrors { errors { path code } } } }")


async def test_tenant_admins_read_and_change_the_work_order_rules_validated_and_audited(
        api: Api, owner_engine: Any) -> None:
    current = (await api.gql(READ_RULES, as_user="nj.admin"))["workOrderRules"]
    restore = {k: v for k, v in current.items() if k != "__typename"}
    change = {"returnSupervisionThreshold": 4, "reopenOnDissatisfied": False,
              "callbackExemptTypes": ["PRAISE", "SUGGESTION"], "callbackMaxAttempts": 5, "duplicateWindowDays": 60}
    try:
        changed = ok(await api.gql(UPDATE_RULES, {"input": change}, as_user="nj.admin"), "updateWorkOrderRules")
        assert {k: v for k, v in changed.items() if k != "__typename"} == change
        seen = (await api.gql(READ_RULES, as_user="nj.dispatcher"))["workOrderRules"]
        assert {k: v for k, v in seen.items() if k != "__typename"} == change
        suzhou = (await api.gql(READ_RULES, as_user="sz.admin"))["workOrderRules"]
        assert suzhou["returnSupervisionThreshold"] != 4  # 南京's rules stay in 南京
        with owner_engine.connect() as conn:
            audited = conn.execute(text(
                "SELECT a.after FROM audit_log a JOIN tenants t ON t.tenant_id = a.tenant_id WHERE t.code = '320100' "
                "AND a.action = 'work_order_rules.updated' ORDER BY a.occurred_at DESC, a.id DESC LIMIT 1")).one()
        assert audited.after["duplicate_window_days"] == 60
        for user in ("nj.dispatcher", "nj.supervisor", "sz.agent"):
            denied = refused(await api.gql(UPDATE_RULES, {"input": {"callbackMaxAttempts": 2}}, as_user=user),
                             "updateWorkOrderRules")
            assert codes(denied) == {"forbidden"}, user
        bad = {"returnSupervisionThreshold": -1, "callbackMaxAttempts": 0, "duplicateWindowDays": 400,
               "callbackExemptTypes": ["PRAISE", "PRAISE"]}
        errors = refused(await api.gql(UPDATE_RULES, {"input": bad}, as_user="nj.admin"), "updateWorkOrderRules")
        assert {(tuple(e["path"]), e["code"]) for e in errors} == {
            (("returnSupervisionThreshold",), "out_of_range"), (("callbackMaxAttempts",), "out_of_range"),
            (("duplicateWindowDays",), "out_of_range"), (("callbackExemptTypes", "1"), "duplicate")}
        unchanged = (await api.gql(READ_RULES, as_user="nj.admin"))["workOrderRules"]
        assert unchanged["callbackMaxAttempts"] == 5
    finally:
        ok(await api.gql(UPDATE_RULES, {"input": restore}, as_user="nj.admin"), "updateWorkOrderRules")


def test_the_consoles_handling_operations_are_valid_against_the_schema() -> None:
    from graphql import parse, validate

    from hotline.api.schema import build_schema
    from hotline.kernel.settings import PROJECT_ROOT, ApiSettings

    document = parse((PROJECT_ROOT / "graphql" / "operations" / "workorders-handling.graphql").read_text("utf-8"))
    schema = build_schema(ApiSettings(introspection=True))._schema
    assert validate(schema, document) == []
