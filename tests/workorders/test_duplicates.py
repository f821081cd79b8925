"""Duplicates at intake (same caller, same street and category, similar text) and merging or linking them."""

from __future__ import annotations

import uuid

from tests.conftest import Api
from tests.workorders.helpers import DISPATCH, GET, LINK, MERGE, codes, create, ok, refused

SUGGEST = """query($input: DuplicateProbeInput!) { duplicateSuggestions(input: $input) { __typename
  ... on DuplicateSuggestions { suggestions { order { id } sameCaller samePlaceAndCategory textSimilarity } }
  ... on ValidationErrors { errors { path code } } } }"""


def fresh_phone() -> str:
    return f"136{uuid.uuid4().int % 10**8:08d}"


async def suggestions(api: Api, user: str = "nj.agent", **probe: object) -> dict[str, dict[str, object]]:
    data = ok(await api.gql(SUGGEST, {"input": probe}, as_user=user), "duplicateSuggestions")
    return {s["order"]["id"]: s for s in data["suggestions"]}


async def test_the_same_caller_is_suggested(api: Api) -> None:
    phone = fresh_phone()
    earlier = await create(api, caller={"phone": phone}, categoryCode="040104", title="噪音扰民",
                           content="楼下酒吧深夜噪音。", location={"divisionCode": "320102007"})
    found = await suggestions(api, phone=phone, title="完全不同的事情", content="咨询社保缴费")
    assert found[earlier["id"]]["sameCaller"] is True


async def test_the_same_street_and_category_is_suggested(api: Api) -> None:
    earlier = await create(api, categoryCode="040401", location={"divisionCode": "320102008"},
                           caller={"phone": fresh_phone()}, title="河道垃圾", content="河边堆放垃圾无人清理。")
    found = await suggestions(api, divisionCode="320102008", categoryCode="040401", title="别的", content="别的")
    assert found[earlier["id"]]["samePlaceAndCategory"] is True


async def test_very_similar_text_is_suggested_and_unrelated_text_is_not(api: Api) -> None:
    marker = uuid.uuid4().hex[:6]
    earlier = await create(api, caller={"phone": fresh_phone()}, categoryCode="050605", title=f"玄武湖公园{marker}",
                           content="玄武湖公园北门附近的共享单车乱停乱放，堵塞人行道，希望尽快清理。")
    similar = await suggestions(api, title="玄武湖公园共享单车", content="玄武湖公园北门共享单车乱停乱放堵塞人行道")
    assert similar[earlier["id"]]["textSimilarity"] >= 0.5
    unrelated = await suggestions(api, title="医保报销", content="异地就医备案如何办理医保报销手续")
    assert earlier["id"] not in unrelated


async def test_bad_probe_and_wrong_role_are_refused(api: Api) -> None:
    bad = refused(await api.gql(SUGGEST, {"input": {"phone": "abc"}}, as_user="nj.agent"), "duplicateSuggestions")
    assert [(e["path"], e["code"]) for e in bad] == [(["phone"], "invalid_format")]
    role = refused(await api.gql(SUGGEST, {"input": {"title": "x"}}, as_user="nj.xinjiekou"), "duplicateSuggestions")
    assert codes(role) == {"forbidden"}


async def test_a_repeated_request_is_merged_into_its_main_order(api: Api) -> None:
    main = await create(api)
    repeat = await create(api)
    merged = ok(await api.gql(MERGE, {"id": repeat["id"], "into": main["id"]}, as_user="nj.agent"), "mergeWorkOrder")
    assert merged["id"] == main["id"]
    follower = ok(await api.gql(GET, {"id": repeat["id"]}, as_user="nj.agent"), "workOrder")
    assert follower["state"] == "MERGED" and follower["mergedIntoId"] == main["id"]
    plan = {"orderId": repeat["id"], "leadUnitCodes": ["320102003"]}
    assert codes(refused(await api.gql(DISPATCH, {"input": plan}, as_user="nj.dispatcher"),
                         "dispatchWorkOrder")) == {"invalid_state"}
    third = await create(api)
    into_merged = refused(await api.gql(MERGE, {"id": third["id"], "into": repeat["id"]}, as_user="nj.agent"),
                          "mergeWorkOrder")
    assert [(e["path"], e["code"]) for e in into_merged] == [(["intoOrderId"], "invalid_state")]
    self_ = refused(await api.gql(MERGE, {"id": third["id"], "into": third["id"]}, as_user="nj.agent"),
                    "mergeWorkOrder")
    assert codes(self_) == {"invalid_target"}
    assert codes(refused(await api.gql(MERGE, {"id": third["id"], "into": main["id"]}, as_user="sz.agent"),
                         "mergeWorkOrder")) == {"not_found"}


async def test_related_orders_are_linked_once(api: Api) -> None:
    a, b = await create(api), await create(api)
    ok(await api.gql(LINK, {"id": a["id"], "other": b["id"]}, as_user="nj.dispatcher"), "linkWorkOrders")
    again = refused(await api.gql(LINK, {"id": b["id"], "other": a["id"]}, as_user="nj.dispatcher"), "linkWorkOrders")
    assert codes(again) == {"already_exists"}
    links = "query($id: UUID) { workOrder(id: $id) { ... on WorkOrder { links { kind orderId otherId } } } }"
    seen = (await api.gql(links, {"id": b["id"]}, as_user="nj.agent"))["workOrder"]["links"]
    assert seen == [{"kind": "RELATED", "orderId": a["id"], "otherId": b["id"]}]
    assert codes(refused(await api.gql(LINK, {"id": a["id"], "other": b["id"]}, as_user="sz.agent"),
                         "linkWorkOrders")) == {"not_found"}
