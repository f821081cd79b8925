"""Supervision by hand (督办): open, reply, close, escalate, every refusal; the board and the order's notices."""

from __future__ import annotations

import datetime as dt
from typing import Any

from graphql import parse, validate

from hotline.api.schema import build_schema
from hotline.kernel.settings import ApiSettings
from tests.conftest import Api
from tests.workorders.helpers import (
    STREET,
    assignment,
    codes,
    create,
    dispatched,
    ok,
    refused,
    signed,
)
from tests.workorders.supervision_helpers import (
    CGJ,
    OPERATIONS_FILE,
    audit_actions,
    drain,
    now,
    op,
    rows,
    set_columns,
    timeline_actions,
)

INSTRUCTION = "市领导批示：请新街口街道三日内修复路灯并向市民说明情况。"


def open_input(order_id: str, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"orderId": order_id, "targetUnitCode": STREET, "reason": "LEADER_INSTRUCTION",
                            "instruction": INSTRUCTION}
    data.update(overrides)
    return data


async def opened(api: Api, order_id: str, **overrides: Any) -> dict[str, Any]:
    return ok(await op(api, "OpenSupervision", {"input": open_input(order_id, **overrides)},
                       as_user="nj.supervisor"), "openSupervision")


def error_paths(errors: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(".".join(e["path"]), e["code"]) for e in errors}


def test_the_console_operations_are_valid_against_the_schema() -> None:
    schema = build_schema(ApiSettings(introspection=True))._schema
    assert validate(schema, parse(OPERATIONS_FILE.read_text())) == []


async def test_a_supervisor_opens_the_unit_replies_and_the_supervisor_closes(api: Api, owner_engine: Any,
                                                                             stub_broker: Any) -> None:
    order, _aid = await signed(api)
    notice = await opened(api, order["id"])
    assert (notice["level"], notice["state"], notice["reason"], notice["automatic"]) == (
        "NOTICE", "OPEN", "LEADER_INSTRUCTION", False)
    assert notice["unit"]["code"] == STREET and notice["replyRequired"] and notice["openedBy"] == "nj.supervisor"
    due = dt.datetime.fromisoformat(notice["replyDueAt"])
    assert now() < due < now() + dt.timedelta(days=10)  # two working days by default
    assert notice["escalateAt"] and dt.datetime.fromisoformat(notice["escalateAt"]) > due

    detail = ok(await op(api, "WorkOrderSupervision", {"id": order["id"]}, as_user="nj.xinjiekou"), "workOrder")
    assert detail["supervised"] and detail["supervisionReason"] == "leader_instruction"
    assert [n["id"] for n in detail["supervisionNotices"]] == [notice["id"]]
    inbox = ok(await op(api, "SupervisionNotices", {"states": ["OPEN"], "first": 100}, as_user="nj.xinjiekou"),
               "supervisionNotices")
    assert notice["id"] in {e["node"]["id"] for e in inbox["edges"]}

    answered = ok(await op(api, "ReplyToSupervision", {"noticeId": notice["id"], "text": "已安排维修，明日恢复照明。"},
                           as_user="nj.xinjiekou"), "replyToSupervision")
    assert (answered["state"], answered["replyText"], answered["repliedBy"]) == (
        "REPLIED", "已安排维修，明日恢复照明。", "nj.xinjiekou")
    closed = ok(await op(api, "CloseSupervision", {"noticeId": notice["id"], "note": "回复属实"},
                         as_user="nj.supervisor"), "closeSupervision")
    assert (closed["state"], closed["closedBy"], closed["closeNote"], closed["escalateAt"]) == (
        "CLOSED", "nj.supervisor", "回复属实", None)

    actions = timeline_actions(owner_engine, order["id"])
    assert [a for a in actions if a.startswith("supervision_")] == [
        "supervision_opened", "supervision_replied", "supervision_closed"]
    assert audit_actions(owner_engine, notice["id"]) == [
        "supervision.supervision_opened", "supervision.supervision_replied", "supervision.supervision_closed"]
    await drain(stub_broker)
    messages = rows(owner_engine, "SELECT audience, body FROM supervision_messages WHERE notice_id = :n",
                    n=notice["id"])
    assert [m.audience for m in messages] == ["unit"] and INSTRUCTION in messages[0].body


async def test_opening_a_higher_level_escalates_the_live_notice_and_listed_reaches_leaders(
        api: Api, owner_engine: Any, stub_broker: Any) -> None:
    order, _ = await signed(api)
    first = await opened(api, order["id"], reason="MEDIA_EXPOSURE")
    again = refused(await op(api, "OpenSupervision", {"input": open_input(order["id"], reason="MEDIA_EXPOSURE")},
                             as_user="nj.supervisor"), "openSupervision")
    assert error_paths(again) == {("targetUnitCode", "duplicate")}
    listed = await opened(api, order["id"], reason="MEDIA_EXPOSURE", level="LISTED")
    assert (listed["level"], listed["escalatedFromId"], listed["escalateAt"]) == ("LISTED", first["id"], None)
    before = ok(await op(api, "SupervisionNotice", {"id": first["id"]}, as_user="nj.supervisor"),
                "supervisionNotice")
    assert before["state"] == "ESCALATED"
    board = ok(await op(api, "SupervisionBoard", {"section": "ESCALATIONS", "first": 100}, as_user="nj.supervisor"),
               "supervisionBoard")
    assert listed["id"] in {e["node"]["notice"]["id"] for e in board["edges"]}
    await drain(stub_broker)
    audiences = {r.audience for r in rows(owner_engine, "SELECT audience FROM supervision_messages "
                                          "WHERE notice_id = :n", n=listed["id"])}
    assert audiences == {"unit", "leaders"}


async def test_a_reminder_by_hand_asks_no_reply(api: Api) -> None:
    order, _ = await signed(api)
    reminder = await opened(api, order["id"], level="REMINDER", reason="REPEATED_COMPLAINTS")
    assert (reminder["state"], reminder["replyRequired"], reminder["replyDueAt"]) == ("SENT", False, None)
    detail = ok(await op(api, "WorkOrderSupervision", {"id": order["id"]}, as_user="nj.supervisor"), "workOrder")
    assert not detail["supervised"]
    late = refused(await op(api, "ReplyToSupervision", {"noticeId": reminder["id"], "text": "收到，马上办理"},
                            as_user="nj.xinjiekou"), "replyToSupervision")
    assert codes(late) == {"invalid_state"}


async def test_only_supervisors_open_and_close_and_only_the_unit_replies(api: Api) -> None:
    order = await dispatched(api)
    values = {"input": open_input(order["id"])}
    for user in ("nj.agent", "nj.dispatcher", "nj.callback", "nj.xinjiekou", "nj.admin"):
        assert codes(refused(await op(api, "OpenSupervision", values, as_user=user), "openSupervision")) == {
            "forbidden"}, user
    # A unit that does not handle the order cannot see it: not found, like another tenant's.
    assert codes(refused(await op(api, "OpenSupervision", values, as_user="nj.cgj"), "openSupervision")) == {
        "not_found"}
    notice = await opened(api, order["id"])
    for user in ("nj.supervisor", "nj.dispatcher"):
        assert codes(refused(await op(api, "ReplyToSupervision", {"noticeId": notice["id"], "text": "已经处理完毕"},
                                      as_user=user), "replyToSupervision")) == {"forbidden"}
    assert codes(refused(await op(api, "ReplyToSupervision", {"noticeId": notice["id"], "text": "已经处理完毕"},
                                  as_user="nj.cgj"), "replyToSupervision")) == {"not_found"}
    for user in ("nj.xinjiekou", "nj.dispatcher", "nj.leader"):
        assert codes(refused(await op(api, "CloseSupervision", {"noticeId": notice["id"], "note": "关闭督办单"},
                                      as_user=user), "closeSupervision")) == {"forbidden"}, user
    assert codes(refused(await op(api, "SupervisionNotice", {"id": notice["id"]}, as_user="nj.cgj"),
                         "supervisionNotice")) == {"not_found"}


async def test_another_tenant_sees_nothing_and_changes_nothing(api: Api) -> None:
    order = await dispatched(api)
    notice = await opened(api, order["id"])
    for user in ("sz.admin", "sz.agent"):
        assert error_paths(refused(await op(api, "OpenSupervision", {"input": open_input(order["id"])},
                                            as_user=user), "openSupervision")) == {("orderId", "not_found")}
        assert error_paths(refused(await op(api, "ReplyToSupervision", {"noticeId": notice["id"], "text": "已经处理"},
                                            as_user=user), "replyToSupervision")) == {("noticeId", "not_found")}
        assert error_paths(refused(await op(api, "CloseSupervision", {"noticeId": notice["id"], "note": "关闭此单"},
                                            as_user=user), "closeSupervision")) == {("noticeId", "not_found")}
        assert codes(refused(await op(api, "SupervisionNotice", {"id": notice["id"]}, as_user=user),
                             "supervisionNotice")) == {"not_found"}
    listing = ok(await op(api, "SupervisionNotices", {"first": 100}, as_user="sz.agent"), "supervisionNotices")
    assert notice["id"] not in {e["node"]["id"] for e in listing["edges"]}
    board = ok(await op(api, "SupervisionBoard", {"section": "OPEN_NOTICES", "first": 100}, as_user="sz.admin"),
               "supervisionBoard")
    assert order["id"] not in {e["node"]["order"]["id"] for e in board["edges"]}
    still = ok(await op(api, "SupervisionNotice", {"id": notice["id"]}, as_user="nj.supervisor"), "supervisionNotice")
    assert still["state"] == "OPEN"


async def test_bad_input_is_refused_with_every_field_path(api: Api) -> None:
    order = await dispatched(api)
    bad = refused(await op(api, "OpenSupervision", {"input": open_input(
        order["id"], reason="DUE_SOON", instruction=" ", targetUnitCode=CGJ,
        replyDueAt=(now() - dt.timedelta(hours=1)).isoformat())}, as_user="nj.supervisor"), "openSupervision")
    assert error_paths(bad) == {("reason", "invalid_reason"), ("instruction", "required"),
                                ("targetUnitCode", "not_assigned"), ("replyDueAt", "out_of_range")}
    unknown = refused(await op(api, "OpenSupervision", {"input": open_input(order["id"], targetUnitCode="nope")},
                               as_user="nj.supervisor"), "openSupervision")
    assert error_paths(unknown) == {("targetUnitCode", "not_found")}
    too_long = refused(await op(api, "OpenSupervision", {"input": open_input(order["id"], instruction="督" * 2001)},
                                as_user="nj.supervisor"), "openSupervision")
    assert error_paths(too_long) == {("instruction", "too_long")}
    chosen = (now() + dt.timedelta(days=1)).replace(microsecond=0)
    notice = await opened(api, order["id"], replyDueAt=chosen.isoformat(), reason="OTHER")
    assert dt.datetime.fromisoformat(notice["replyDueAt"]) == chosen
    empty = refused(await op(api, "ReplyToSupervision", {"noticeId": notice["id"], "text": "  "},
                             as_user="nj.xinjiekou"), "replyToSupervision")
    assert error_paths(empty) == {("text", "required")}
    unanswered = refused(await op(api, "CloseSupervision", {"noticeId": notice["id"]}, as_user="nj.supervisor"),
                         "closeSupervision")
    assert error_paths(unanswered) == {("note", "required")}  # closing an unanswered notice needs a reason


async def test_steps_from_the_wrong_state_are_refused(api: Api) -> None:
    direct = await create(api, requestType="CONSULTATION", directAnswer="营业时间为早九点至晚五点。")
    assert direct["state"] == "CLOSED"
    closed_order = refused(await op(api, "OpenSupervision", {"input": open_input(direct["id"])},
                                    as_user="nj.supervisor"), "openSupervision")
    assert error_paths(closed_order) == {("orderId", "invalid_state")}
    order = await dispatched(api)
    notice = await opened(api, order["id"])
    ok(await op(api, "ReplyToSupervision", {"noticeId": notice["id"], "text": "正在处理中"}, as_user="nj.xinjiekou"),
       "replyToSupervision")
    twice = refused(await op(api, "ReplyToSupervision", {"noticeId": notice["id"], "text": "正在处理中"},
                             as_user="nj.xinjiekou"), "replyToSupervision")
    assert error_paths(twice) == {("noticeId", "invalid_state")}
    ok(await op(api, "CloseSupervision", {"noticeId": notice["id"]}, as_user="nj.supervisor"), "closeSupervision")
    again = refused(await op(api, "CloseSupervision", {"noticeId": notice["id"], "note": "再次关闭"},
                             as_user="nj.supervisor"), "closeSupervision")
    assert error_paths(again) == {("noticeId", "invalid_state")}
    after_close = refused(await op(api, "ReplyToSupervision", {"noticeId": notice["id"], "text": "补充说明情况"},
                                   as_user="nj.xinjiekou"), "replyToSupervision")
    assert codes(after_close) == {"invalid_state"}


async def test_an_unanswered_manual_notice_is_listed_by_the_sweep(api: Api, owner_engine: Any) -> None:
    from hotline.workorders import sweep

    order, _ = await signed(api)
    notice = await opened(api, order["id"], reason="REPEATED_COMPLAINTS")
    set_columns(owner_engine, "supervision_notices", notice["id"], escalate_at=now() - dt.timedelta(minutes=1))
    await sweep.sweep()
    await sweep.sweep()
    found = ok(await op(api, "WorkOrderSupervision", {"id": order["id"]}, as_user="nj.supervisor"), "workOrder")
    assert [(n["level"], n["state"], n["automatic"]) for n in found["supervisionNotices"]] == [
        ("NOTICE", "ESCALATED", False), ("LISTED", "OPEN", True)]


async def test_the_board_pages_overdue_assignments_and_open_notices(api: Api, owner_engine: Any) -> None:
    orders = [await dispatched(api) for _ in range(3)]
    for o in orders:
        set_columns(owner_engine, "work_order_assignments", assignment(o, STREET)["id"],
                    sign_for_due_at=now() - dt.timedelta(minutes=5))
    seen: list[str] = []
    after = None
    while True:
        page = ok(await op(api, "SupervisionBoard", {"section": "OVERDUE_ASSIGNMENTS", "first": 2, "after": after},
                           as_user="nj.supervisor"), "supervisionBoard")
        assert len(page["edges"]) <= 2
        seen += [e["node"]["order"]["id"] for e in page["edges"]]
        for e in page["edges"]:
            assert e["node"]["deadlineKind"] in ("sign_for", "reply") and e["node"]["assignment"]["id"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert {o["id"] for o in orders} <= set(seen) and len(seen) == len(set(seen)) == page["totalCount"]
    notice = await opened(api, orders[0]["id"])
    notices = ok(await op(api, "SupervisionBoard", {"section": "OPEN_NOTICES", "first": 100},
                          as_user="nj.supervisor"), "supervisionBoard")
    assert notice["id"] in {e["node"]["notice"]["id"] for e in notices["edges"]}
    assert codes(refused(await op(api, "SupervisionBoard", {"section": "OPEN_NOTICES"}, as_user="nj.agent"),
                         "supervisionBoard")) == {"forbidden"}
    assert codes(refused(await op(api, "SupervisionBoard", {"section": "OPEN_NOTICES", "after": "bm9wZQ=="},
                                  as_user="nj.supervisor"), "supervisionBoard")) == {"invalid_cursor"}
    assert codes(refused(await op(api, "SupervisionBoard", {"section": "OPEN_NOTICES", "first": 0},
                                  as_user="nj.supervisor"), "supervisionBoard")) == {"out_of_range"}


async def test_supervision_settings_are_the_tenant_admins(api: Api) -> None:
    shown = ok(await op(api, "SupervisionSettings", as_user="sz.admin"), "supervisionSettings")
    assert shown == {"__typename": "SupervisionSettings", "reminderLeadHours": 4.0, "noticeReplyDays": 2,
                     "escalationDays": 2}
    assert codes(refused(await op(api, "UpdateSupervisionSettings", {"input": {"noticeReplyDays": 3}},
                                  as_user="nj.supervisor"), "updateSupervisionSettings")) == {"forbidden"}
    bad = refused(await op(api, "UpdateSupervisionSettings", {"input": {
        "reminderLeadHours": -1, "noticeReplyDays": 99, "escalationDays": -2}}, as_user="sz.admin"),
        "updateSupervisionSettings")
    assert error_paths(bad) == {("reminderLeadHours", "out_of_range"), ("noticeReplyDays", "out_of_range"),
                                ("escalationDays", "out_of_range")}
    changed = ok(await op(api, "UpdateSupervisionSettings", {"input": {"escalationDays": 3}}, as_user="sz.admin"),
                 "updateSupervisionSettings")
    assert changed["escalationDays"] == 3
    nanjing = ok(await op(api, "SupervisionSettings", as_user="nj.supervisor"), "supervisionSettings")
    assert nanjing["escalationDays"] == 2  # 苏州's change stays in 苏州
