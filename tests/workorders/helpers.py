"""GraphQL operations and small steps shared by the work-order tests."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api

ORDER = """
fragment O on WorkOrder {
  id number state channel requestType categoryCode title directAnswer dispatchMode responseLevel
  returnCount reopenCount callbackAttempts supervised supervisionReason mergedIntoId resolved satisfaction
  closedAt archivedAt
  category { code name path }
  location { divisionCode address latitude longitude }
  caller { name phone confidential anonymised }
  enterprise { name creditCode }
  deadlines { kind dueAt beyondKnownCalendar met }
  assignments { id role state reworkCount returnRequests resultClass replyText unit { code name }
                deadlines { kind dueAt beyondKnownCalendar } }
}
"""
RESULT = "{ __typename ...O ... on ValidationErrors { errors { path message code } } }"

CREATE = ORDER + "mutation($input: CreateWorkOrderInput!) { createWorkOrder(input: $input) " + RESULT + " }"
DISPATCH = ORDER + "mutation($input: DispatchInput!) { dispatchWorkOrder(input: $input) " + RESULT + " }"
SIGN = ORDER + "mutation($id: UUID!) { signForAssignment(assignmentId: $id) " + RESULT + " }"
RETURN = ORDER + ("mutation($id: UUID!, $reason: ReturnReason!, $text: String!) { "
                  "requestReturn(assignmentId: $id, reason: $reason, explanation: $text) " + RESULT + " }")
APPROVE_RETURN = ORDER + ("mutation($id: UUID!, $redispatch: DispatchInput) { "
                          "approveReturn(assignmentId: $id, redispatch: $redispatch) " + RESULT + " }")
REJECT_RETURN = ORDER + ("mutation($id: UUID!, $reason: String!) { "
                         "rejectReturn(assignmentId: $id, reason: $reason) " + RESULT + " }")
REPLY = ORDER + ("mutation($id: UUID!, $result: ResultClass!, $text: String!) { "
                 "replyToWorkOrder(assignmentId: $id, result: $result, text: $text) " + RESULT + " }")
ACCEPT = ORDER + "mutation($id: UUID!) { acceptReply(assignmentId: $id) " + RESULT + " }"
SEND_BACK = ORDER + ("mutation($id: UUID!, $reason: String!) { "
                     "sendBackReply(assignmentId: $id, reason: $reason) " + RESULT + " }")
CALLBACK = ORDER + ("mutation($id: UUID!, $input: CallbackInput!) { "
                    "recordCallback(orderId: $id, input: $input) " + RESULT + " }")
ARCHIVE = ORDER + "mutation($id: UUID!) { archiveWorkOrder(orderId: $id) " + RESULT + " }"
ANSWER = ORDER + ("mutation($id: UUID!, $answer: String!) { "
                  "answerDirectly(orderId: $id, answer: $answer) " + RESULT + " }")
WHISTLE = ORDER + ("mutation($id: UUID!, $units: [String!]!, $note: String!) { "
                   "blowWhistle(assignmentId: $id, unitCodes: $units, note: $note) " + RESULT + " }")
MERGE = ORDER + ("mutation($id: UUID!, $into: UUID!) { "
                 "mergeWorkOrder(orderId: $id, intoOrderId: $into) " + RESULT + " }")
LINK = ORDER + ("mutation($id: UUID!, $other: UUID!) { "
                "linkWorkOrders(orderId: $id, otherOrderId: $other) " + RESULT + " }")
REVEAL = ("mutation($id: UUID!) { revealCallerPhone(orderId: $id) { __typename "
          "... on RevealedPhone { phone } ... on ValidationErrors { errors { path message code } } } }")
GET = ORDER + ("query($id: UUID, $number: String) { workOrder(id: $id, number: $number) "
               + RESULT.replace("{ __typename", "{ __typename ... on WorkOrder { timeline { action actor fromState "
                                "toState note unit { code } } }", 1) + " }")

STREET = "320102003"  # 新街口街道, handled by nj.xinjiekou
CATEGORY = "010201"  # 城乡建设 / 城市建设和市政管理 / 园林绿化环卫


def order_input(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "channel": "PHONE", "requestType": "COMPLAINT", "categoryCode": CATEGORY,
        "title": "新街口路灯不亮", "content": "中山路与汉中路交叉口的路灯连续三晚不亮，夜间行人不安全。",
        "responseLevel": 3,
        "location": {"divisionCode": STREET, "address": "中山路1号", "latitude": 32.04, "longitude": 118.78},
        "caller": {"phone": "138 0013 5678", "name": "王先生", "confidential": False},
    }
    data.update(overrides)
    return data


def ok(data: dict[str, Any], field: str) -> dict[str, Any]:
    result: dict[str, Any] = data[field]
    assert result["__typename"] != "ValidationErrors", result
    return result


def refused(data: dict[str, Any], field: str) -> list[dict[str, Any]]:
    result = data[field]
    assert result["__typename"] == "ValidationErrors", result
    errors: list[dict[str, Any]] = result["errors"]
    return errors


def codes(errors: list[dict[str, Any]]) -> set[str]:
    return {e["code"] for e in errors}


async def create(api: Api, as_user: str = "nj.agent", **overrides: Any) -> dict[str, Any]:
    return ok(await api.gql(CREATE, {"input": order_input(**overrides)}, as_user=as_user), "createWorkOrder")


async def dispatched(api: Api, leads: list[str] | None = None, supports: list[str] | None = None,
                     **overrides: Any) -> dict[str, Any]:
    order = await create(api, **overrides)
    data = await api.gql(DISPATCH, {"input": {"orderId": order["id"], "leadUnitCodes": leads or [STREET],
                                              "supportUnitCodes": supports or []}}, as_user="nj.dispatcher")
    return ok(data, "dispatchWorkOrder")


def assignment(order: dict[str, Any], unit_code: str) -> dict[str, Any]:
    found: dict[str, Any] = next(a for a in reversed(order["assignments"]) if a["unit"]["code"] == unit_code)
    return found


async def signed(api: Api, **overrides: Any) -> tuple[dict[str, Any], str]:
    order = await dispatched(api, **overrides)
    aid = assignment(order, STREET)["id"]
    ok(await api.gql(SIGN, {"id": aid}, as_user="nj.xinjiekou"), "signForAssignment")
    return order, aid


async def replied(api: Api, **overrides: Any) -> tuple[dict[str, Any], str]:
    order, aid = await signed(api, **overrides)
    ok(await api.gql(REPLY, {"id": aid, "result": "RESOLVED", "text": "已联系供电部门修复路灯，今晚恢复照明。"},
                     as_user="nj.xinjiekou"), "replyToWorkOrder")
    return order, aid


async def awaiting_callback(api: Api, **overrides: Any) -> tuple[dict[str, Any], str]:
    _order, aid = await replied(api, **overrides)
    data = ok(await api.gql(ACCEPT, {"id": aid}, as_user="nj.dispatcher"), "acceptReply")
    assert data["state"] == "PENDING_CALLBACK", data
    return data, aid
