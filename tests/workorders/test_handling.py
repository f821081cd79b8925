"""Dispatch and handling: 派单, 联合双派, 签收, 回退 and its review, 推诿 supervision, 反馈 and its review, 吹哨."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.workorders.helpers import (
    ACCEPT,
    APPROVE_RETURN,
    DISPATCH,
    REJECT_RETURN,
    REPLY,
    RETURN,
    SEND_BACK,
    SIGN,
    STREET,
    WHISTLE,
    assignment,
    codes,
    create,
    dispatched,
    ok,
    refused,
    replied,
    signed,
)

CGJ = "nj-cgj"  # 南京市城市管理局, handled by nj.cgj


async def _return(api: Api, aid: str, as_user: str = "nj.xinjiekou") -> dict[str, Any]:
    values = {"id": aid, "reason": "NOT_WITHIN_DUTIES", "text": "路灯属城管局管养，非街道职责。"}
    return ok(await api.gql(RETURN, values, as_user=as_user), "requestReturn")


async def test_dispatch_gives_each_unit_its_own_assignment_and_deadlines(api: Api) -> None:
    order = await dispatched(api, supports=[CGJ])
    assert order["state"] == "IN_PROGRESS" and order["dispatchMode"] == "single"
    lead, support = assignment(order, STREET), assignment(order, CGJ)
    assert (lead["role"], lead["state"]) == ("LEAD", "PENDING_SIGN")
    assert (support["role"], support["state"]) == ("SUPPORT", "PENDING_SIGN")
    assert {"sign_for", "reply", "return_window"} <= {d["kind"] for d in lead["deadlines"]}


async def test_joint_dispatch_closes_only_when_every_lead_reply_is_accepted(api: Api) -> None:
    order = await dispatched(api, leads=[STREET, CGJ])
    assert order["dispatchMode"] == "joint"
    for unit, user in ((STREET, "nj.xinjiekou"), (CGJ, "nj.cgj")):
        aid = assignment(order, unit)["id"]
        ok(await api.gql(SIGN, {"id": aid}, as_user=user), "signForAssignment")
        ok(await api.gql(REPLY, {"id": aid, "result": "RESOLVED", "text": "已处理完毕并告知来电人。"}, as_user=user),
           "replyToWorkOrder")
    first = ok(await api.gql(ACCEPT, {"id": assignment(order, STREET)["id"]}, as_user="nj.dispatcher"), "acceptReply")
    assert first["state"] == "IN_PROGRESS"
    second = ok(await api.gql(ACCEPT, {"id": assignment(order, CGJ)["id"]}, as_user="nj.dispatcher"), "acceptReply")
    assert second["state"] == "PENDING_CALLBACK"


async def test_dispatch_refuses_unknown_repeated_or_missing_units_with_paths(api: Api) -> None:
    order = await create(api)
    bad = {"orderId": order["id"], "leadUnitCodes": ["no-such-unit", STREET], "supportUnitCodes": [STREET]}
    errors = refused(await api.gql(DISPATCH, {"input": bad}, as_user="nj.dispatcher"), "dispatchWorkOrder")
    assert {(tuple(e["path"]), e["code"]) for e in errors} == {
        (("leadUnitCodes", "0"), "not_found"), (("supportUnitCodes", "0"), "duplicate")}
    none = {"orderId": order["id"], "leadUnitCodes": []}
    errors = refused(await api.gql(DISPATCH, {"input": none}, as_user="nj.dispatcher"), "dispatchWorkOrder")
    assert [(e["path"], e["code"]) for e in errors] == [(["leadUnitCodes"], "required")]


async def test_only_a_dispatcher_dispatches_and_only_an_order_waiting_for_it(api: Api) -> None:
    order = await create(api)
    plan = {"orderId": order["id"], "leadUnitCodes": [STREET]}
    assert codes(refused(await api.gql(DISPATCH, {"input": plan}, as_user="nj.agent"),
                         "dispatchWorkOrder")) == {"forbidden"}
    ok(await api.gql(DISPATCH, {"input": plan}, as_user="nj.dispatcher"), "dispatchWorkOrder")
    assert codes(refused(await api.gql(DISPATCH, {"input": plan}, as_user="nj.dispatcher"),
                         "dispatchWorkOrder")) == {"invalid_state"}


async def test_a_unit_signs_only_its_own_assignment_and_only_once(api: Api) -> None:
    order = await dispatched(api, supports=[CGJ])
    street = assignment(order, STREET)["id"]
    assert codes(refused(await api.gql(SIGN, {"id": street}, as_user="nj.cgj"), "signForAssignment")) == {"forbidden"}
    assert codes(refused(await api.gql(SIGN, {"id": street}, as_user="nj.dispatcher"),
                         "signForAssignment")) == {"forbidden"}
    signed_ = ok(await api.gql(SIGN, {"id": street}, as_user="nj.xinjiekou"), "signForAssignment")
    assert assignment(signed_, STREET)["state"] == "IN_PROGRESS"
    assert codes(refused(await api.gql(SIGN, {"id": street}, as_user="nj.xinjiekou"),
                         "signForAssignment")) == {"invalid_state"}
    alone = await dispatched(api)
    hidden = refused(await api.gql(SIGN, {"id": assignment(alone, STREET)["id"]}, as_user="nj.cgj"),
                     "signForAssignment")
    assert codes(hidden) == {"not_found"}  # an order not assigned to the unit does not exist for it


async def test_a_return_needs_an_explanation(api: Api) -> None:
    order = await dispatched(api)
    aid = assignment(order, STREET)["id"]
    errors = refused(await api.gql(RETURN, {"id": aid, "reason": "OTHER", "text": " "}, as_user="nj.xinjiekou"),
                     "requestReturn")
    assert [(e["path"], e["code"]) for e in errors] == [(["explanation"], "required")]


async def test_an_approved_return_sends_the_order_back_to_dispatch_and_is_counted(api: Api) -> None:
    order = await dispatched(api)
    aid = assignment(order, STREET)["id"]
    returned = await _return(api, aid)
    assert assignment(returned, STREET)["state"] == "RETURN_REQUESTED"
    assert codes(refused(await api.gql(APPROVE_RETURN, {"id": aid}, as_user="nj.xinjiekou"),
                         "approveReturn")) == {"forbidden"}
    back = ok(await api.gql(APPROVE_RETURN, {"id": aid}, as_user="nj.dispatcher"), "approveReturn")
    assert back["state"] == "PENDING_DISPATCH" and back["returnCount"] == 1
    assert assignment(back, STREET)["state"] == "RETURNED"
    assert codes(refused(await api.gql(APPROVE_RETURN, {"id": aid}, as_user="nj.dispatcher"),
                         "approveReturn")) == {"invalid_state"}


async def test_an_approved_return_can_redispatch_at_once(api: Api) -> None:
    order = await dispatched(api)
    aid = assignment(order, STREET)["id"]
    await _return(api, aid)
    moved = ok(await api.gql(APPROVE_RETURN, {"id": aid, "redispatch": {
        "orderId": order["id"], "leadUnitCodes": [CGJ]}}, as_user="nj.dispatcher"), "approveReturn")
    assert moved["state"] == "IN_PROGRESS"
    assert assignment(moved, CGJ)["state"] == "PENDING_SIGN" and assignment(moved, CGJ)["role"] == "LEAD"


async def test_a_rejected_return_goes_back_to_the_unit_without_resetting_its_clock(api: Api) -> None:
    order, aid = await signed(api)
    before = {d["kind"]: d["dueAt"] for d in assignment(order, STREET)["deadlines"]}
    await _return(api, aid)
    short = refused(await api.gql(REJECT_RETURN, {"id": aid, "reason": ""}, as_user="nj.dispatcher"), "rejectReturn")
    assert [(e["path"], e["code"]) for e in short] == [(["reason"], "required")]
    back = ok(await api.gql(REJECT_RETURN, {"id": aid, "reason": "属街道职责，请继续办理。"}, as_user="nj.dispatcher"),
              "rejectReturn")
    after = assignment(back, STREET)
    assert after["state"] == "IN_PROGRESS" and after["returnRequests"] == 1
    assert {d["kind"]: d["dueAt"] for d in after["deadlines"]} == before
    unsigned = await dispatched(api)
    uid = assignment(unsigned, STREET)["id"]
    await _return(api, uid)
    again = ok(await api.gql(REJECT_RETURN, {"id": uid, "reason": "属街道职责。"}, as_user="nj.dispatcher"),
               "rejectReturn")
    assert assignment(again, STREET)["state"] == "PENDING_SIGN"


async def test_an_order_bounced_more_than_the_tenants_limit_is_supervised(api: Api) -> None:
    order = await dispatched(api)
    units = [(STREET, "nj.xinjiekou"), (CGJ, "nj.cgj")]
    current = order
    for bounce in range(3):
        unit, user = units[bounce % 2]
        aid = assignment(current, unit)["id"]
        await _return(api, aid, as_user=user)
        current = ok(await api.gql(APPROVE_RETURN, {"id": aid, "redispatch": {
            "orderId": order["id"], "leadUnitCodes": [units[(bounce + 1) % 2][0]]}}, as_user="nj.dispatcher"),
            "approveReturn")
        assert current["returnCount"] == bounce + 1
        assert current["supervised"] == (bounce + 1 > 2)  # default limit: 2 bounces
    assert current["supervisionReason"] == "repeated_returns"
    supervised = "query($f: WorkOrderFilter) { workOrderQueue(queue: SUPERVISED, first: 100, filter: $f) { " \
                 "... on WorkOrderConnection { edges { node { id } } } } }"
    for user in ("nj.supervisor", "nj.cgj"):  # the hotline's view, and the unit now holding the order
        page = await api.gql(supervised, {"f": {"supervised": True}}, as_user=user)
        assert order["id"] in {e["node"]["id"] for e in page["workOrderQueue"]["edges"]}, user


async def test_the_hotline_reviews_a_reply_accepting_it_or_sending_it_back(api: Api) -> None:
    _order, aid = await replied(api)
    assert codes(refused(await api.gql(ACCEPT, {"id": aid}, as_user="nj.xinjiekou"), "acceptReply")) == {"forbidden"}
    back = ok(await api.gql(SEND_BACK, {"id": aid, "reason": "未说明修复时间，请补充。"}, as_user="nj.dispatcher"),
              "sendBackReply")
    lead = assignment(back, STREET)
    assert (lead["state"], lead["reworkCount"]) == ("IN_PROGRESS", 1)
    assert codes(refused(await api.gql(ACCEPT, {"id": aid}, as_user="nj.dispatcher"),
                         "acceptReply")) == {"invalid_state"}
    ok(await api.gql(REPLY, {"id": aid, "result": "RESOLVED", "text": "已于昨晚修复，今晚起恢复照明。"},
                     as_user="nj.xinjiekou"), "replyToWorkOrder")
    done = ok(await api.gql(ACCEPT, {"id": aid}, as_user="nj.dispatcher"), "acceptReply")
    assert done["state"] == "PENDING_CALLBACK"
    assert "callback" in {d["kind"] for d in done["deadlines"]}


async def test_a_reply_needs_a_signed_assignment_and_its_text(api: Api) -> None:
    order = await dispatched(api)
    aid = assignment(order, STREET)["id"]
    early = refused(await api.gql(REPLY, {"id": aid, "result": "RESOLVED", "text": "已处理完毕。"},
                                  as_user="nj.xinjiekou"), "replyToWorkOrder")
    assert codes(early) == {"invalid_state"}
    ok(await api.gql(SIGN, {"id": aid}, as_user="nj.xinjiekou"), "signForAssignment")
    empty = refused(await api.gql(REPLY, {"id": aid, "result": "EXPLAINED", "text": ""}, as_user="nj.xinjiekou"),
                    "replyToWorkOrder")
    assert [(e["path"], e["code"]) for e in empty] == [(["text"], "required")]


async def test_the_lead_reply_waits_for_the_supporting_units(api: Api) -> None:
    order = await dispatched(api, supports=[CGJ])
    lead = assignment(order, STREET)["id"]
    ok(await api.gql(SIGN, {"id": lead}, as_user="nj.xinjiekou"), "signForAssignment")
    ok(await api.gql(REPLY, {"id": lead, "result": "RESOLVED", "text": "已处理完毕。"}, as_user="nj.xinjiekou"),
       "replyToWorkOrder")
    waiting = refused(await api.gql(ACCEPT, {"id": lead}, as_user="nj.dispatcher"), "acceptReply")
    assert codes(waiting) == {"invalid_state"}
    support = assignment(order, CGJ)["id"]
    ok(await api.gql(SIGN, {"id": support}, as_user="nj.cgj"), "signForAssignment")
    ok(await api.gql(REPLY, {"id": support, "result": "RESOLVED", "text": "已配合更换灯具。"}, as_user="nj.cgj"),
       "replyToWorkOrder")
    ok(await api.gql(ACCEPT, {"id": support}, as_user="nj.dispatcher"), "acceptReply")
    done = ok(await api.gql(ACCEPT, {"id": lead}, as_user="nj.dispatcher"), "acceptReply")
    assert done["state"] == "PENDING_CALLBACK"


async def test_a_street_blows_the_whistle_and_departments_must_sign_in(api: Api) -> None:
    _order, aid = await signed(api)
    not_dept = refused(await api.gql(WHISTLE, {"id": aid, "units": ["320102005"], "note": "需要多部门联合执法"},
                                     as_user="nj.xinjiekou"), "blowWhistle")
    assert [(e["path"], e["code"]) for e in not_dept] == [(["unitCodes", "0"], "invalid_unit")]
    summoned = ok(await api.gql(WHISTLE, {"id": aid, "units": [CGJ, "nj-zjj"], "note": "占道经营需城管、住建联合处置"},
                                as_user="nj.xinjiekou"), "blowWhistle")
    cgj = assignment(summoned, CGJ)
    assert (cgj["role"], cgj["state"]) == ("SUPPORT", "PENDING_SIGN")
    assert assignment(summoned, "nj-zjj")["state"] == "PENDING_SIGN"
    reported = ok(await api.gql(SIGN, {"id": cgj["id"]}, as_user="nj.cgj"), "signForAssignment")
    assert assignment(reported, CGJ)["state"] == "IN_PROGRESS"
    twice = refused(await api.gql(WHISTLE, {"id": aid, "units": [CGJ], "note": "再次吹哨报到"},
                                  as_user="nj.xinjiekou"), "blowWhistle")
    assert codes(twice) == {"duplicate"}
    dept = refused(await api.gql(WHISTLE, {"id": cgj["id"], "units": ["nj-swj"], "note": "部门不能吹哨"},
                                 as_user="nj.cgj"), "blowWhistle")
    assert codes(dept) == {"invalid_state"}


async def test_another_tenant_gets_not_found_from_every_assignment_mutation(api: Api) -> None:
    order, aid = await replied(api)
    variables: list[tuple[str, str, dict[str, Any]]] = [
        (SIGN, "signForAssignment", {"id": aid}),
        (RETURN, "requestReturn", {"id": aid, "reason": "OTHER", "text": "不属于本单位职责范围"}),
        (APPROVE_RETURN, "approveReturn", {"id": aid}),
        (REJECT_RETURN, "rejectReturn", {"id": aid, "reason": "请继续办理此工单"}),
        (REPLY, "replyToWorkOrder", {"id": aid, "result": "RESOLVED", "text": "已处理完毕。"}),
        (ACCEPT, "acceptReply", {"id": aid}),
        (SEND_BACK, "sendBackReply", {"id": aid, "reason": "请补充处理情况"}),
        (WHISTLE, "blowWhistle", {"id": aid, "units": ["nj-cgj"], "note": "联合处置占道经营"}),
        (DISPATCH, "dispatchWorkOrder", {"input": {"orderId": order["id"], "leadUnitCodes": [STREET]}}),
    ]
    for user in ("sz.agent", "sz.admin"):
        for query, field, values in variables:
            errors = refused(await api.gql(query, values, as_user=user), field)
            assert codes(errors) == {"not_found"}, (user, field, errors)
