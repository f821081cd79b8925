"""Intake (受理): recording, numbering, validation with field paths, direct answers, masking and reveal."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from sqlalchemy import text

from tests.conftest import Api
from tests.workorders.helpers import (
    ANSWER,
    CREATE,
    GET,
    REVEAL,
    codes,
    create,
    dispatched,
    ok,
    order_input,
    refused,
)


async def test_agent_records_an_order_numbered_per_tenant_and_day(api: Api) -> None:
    order = await create(api)
    assert order["state"] == "PENDING_DISPATCH"
    code, day, seq = order["number"].split("-")
    assert code == "320100" and len(day) == 8 and len(seq) == 5
    assert order["category"]["path"] == "城乡建设 / 城市建设和市政管理 / 园林绿化环卫"
    assert order["location"]["divisionCode"] == "320102003"
    assert order["caller"] == {"name": "王先生", "phone": "138****5678", "confidential": False, "anonymised": False}
    kinds = {d["kind"] for d in order["deadlines"]}
    assert "progress_notice" in kinds



async def test_bad_input_is_refused_with_every_field_path(api: Api) -> None:
    bad = order_input(title=" ", categoryCode="999999", responseLevel=5,
                      location={"divisionCode": "320505001", "latitude": 32.0},
                      caller={"phone": "12345", "name": "x"},
                      enterprise={"name": "某公司", "creditCode": "91320100MA1MXXXX00"})
    errors = refused(await api.gql(CREATE, {"input": bad}, as_user="nj.agent"), "createWorkOrder")
    paths = {tuple(e["path"]): e["code"] for e in errors}
    assert paths[("title",)] == "required"
    assert paths[("categoryCode",)] == "not_found"
    assert paths[("responseLevel",)] == "out_of_range"
    assert paths[("location", "divisionCode")] == "invalid_division"  # 苏州's street, not 南京's
    assert paths[("location", "longitude")] == "required"
    assert paths[("caller", "phone")] == "invalid_format"
    assert paths[("enterprise", "creditCode")] == "invalid_format"


async def test_enterprise_and_attachments_are_recorded(api: Api) -> None:
    order = await create(api, enterprise={"name": "百度网讯", "creditCode": "91110000802100433B"},
                         attachments=[{"name": "现场.jpg", "contentType": "image/jpeg", "size": 2048}])
    assert order["enterprise"] == {"name": "百度网讯", "creditCode": "91110000802100433B"}


async def test_only_agents_record_orders(api: Api) -> None:
    errors = refused(await api.gql(CREATE, {"input": order_input()}, as_user="nj.dispatcher"), "createWorkOrder")
    assert codes(errors) == {"forbidden"}


async def test_a_consultation_answered_on_the_call_closes_at_once(api: Api) -> None:
    order = await create(api, requestType="CONSULTATION", title="公积金提取",
                         directAnswer="可凭身份证到任一公积金网点办理，或在手机公积金App提取。")
    assert order["state"] == "CLOSED" and order["closedAt"]
    assert order["directAnswer"].startswith("可凭身份证")
    detail = ok(await api.gql(GET, {"id": order["id"]}, as_user="nj.agent"), "workOrder")
    assert [e["action"] for e in detail["timeline"]] == ["create", "answer_directly"]


async def test_only_a_consultation_can_be_answered_directly(api: Api) -> None:
    bad = order_input(directAnswer="已解释")
    errors = refused(await api.gql(CREATE, {"input": bad}, as_user="nj.agent"), "createWorkOrder")
    assert [(e["path"], e["code"]) for e in errors] == [(["directAnswer"], "invalid_request_type")]
    pending = await create(api, requestType="CONSULTATION")
    closed = ok(await api.gql(ANSWER, {"id": pending["id"], "answer": "按政策答复了来电人。"}, as_user="nj.agent"),
                "answerDirectly")
    assert closed["state"] == "CLOSED"
    again = refused(await api.gql(ANSWER, {"id": pending["id"], "answer": "再答一次"}, as_user="nj.agent"),
                    "answerDirectly")
    assert codes(again) == {"invalid_state"}


async def test_phone_is_stored_encrypted_with_a_keyed_hash(api: Api, owner_engine: Any) -> None:
    order = await create(api, caller={"phone": "+86 139-0000-1111", "name": "李女士"})
    assert order["caller"]["phone"] == "139****1111"
    with owner_engine.connect() as conn:
        row = conn.execute(text("SELECT caller_phone_cipher, caller_phone_hash FROM work_orders WHERE id = :i"),
                           {"i": order["id"]}).one()
    assert b"13900001111" not in bytes(row.caller_phone_cipher) and len(row.caller_phone_hash) == 64


async def test_reveal_is_audited_and_refused_to_roles_without_the_permission(api: Api, owner_engine: Any) -> None:
    order = await create(api, caller={"phone": "13912345678"})
    refused_ = refused(await api.gql(REVEAL, {"id": order["id"]}, as_user="nj.dispatcher"), "revealCallerPhone")
    assert codes(refused_) == {"forbidden"}
    revealed = ok(await api.gql(REVEAL, {"id": order["id"]}, as_user="nj.agent"), "revealCallerPhone")
    assert revealed["phone"] == "13912345678"
    with owner_engine.connect() as conn:
        actors = conn.execute(text("SELECT actor_label FROM audit_log WHERE object_id = :i "
                                   "AND action = 'work_order.caller_phone_revealed'"), {"i": order["id"]}).scalars()
        assert list(actors) == ["nj.agent"]


async def test_a_confidential_caller_stays_anonymous_to_the_unit(api: Api) -> None:
    order = await dispatched(api, caller={"phone": "13712345678", "name": "匿名", "confidential": True})
    seen = ok(await api.gql(GET, {"id": order["id"]}, as_user="nj.xinjiekou"), "workOrder")
    assert seen["caller"] == {"name": None, "phone": None, "confidential": True, "anonymised": True}
    assert codes(refused(await api.gql(REVEAL, {"id": order["id"]}, as_user="nj.xinjiekou"),
                         "revealCallerPhone")) == {"forbidden"}
    plain = await dispatched(api, caller={"phone": "13712345679"})
    shown = ok(await api.gql(REVEAL, {"id": plain["id"]}, as_user="nj.xinjiekou"), "revealCallerPhone")
    assert shown["phone"] == "13712345679"


async def test_caller_history_shows_past_and_open_orders_of_the_same_phone(api: Api) -> None:
    phone = f"135{uuid.uuid4().int % 10**8:08d}"
    first = await create(api, caller={"phone": phone})
    await create(api, requestType="CONSULTATION", caller={"phone": phone}, directAnswer="已答复。")
    query = "query($p: String!) { callerHistory(phone: $p) { __typename ... on CallerHistory { repeatCaller total " \
            "open orders { id state } } ... on ValidationErrors { errors { code } } } }"
    history = ok(await api.gql(query, {"p": phone[:3] + " " + phone[3:]}, as_user="nj.agent"), "callerHistory")
    assert history["repeatCaller"] and history["total"] == 2 and history["open"] == 1
    assert first["id"] in {o["id"] for o in history["orders"]}
    elsewhere = ok(await api.gql(query, {"p": phone}, as_user="sz.agent"), "callerHistory")
    assert elsewhere["total"] == 0 and not elsewhere["repeatCaller"]


async def test_concurrent_intake_never_hands_out_a_number_twice(api: Api) -> None:
    results = await asyncio.gather(*(api.gql(CREATE, {"input": order_input(title=f"并发受理{i}")}, as_user="nj.agent")
                                     for i in range(24)))
    numbers = [ok(r, "createWorkOrder")["number"] for r in results]
    assert len(set(numbers)) == len(numbers) == 24


async def test_another_tenant_never_finds_the_order(api: Api) -> None:
    order = await create(api)
    by_id = refused(await api.gql(GET, {"id": order["id"]}, as_user="sz.agent"), "workOrder")
    by_number = refused(await api.gql(GET, {"number": order["number"]}, as_user="sz.agent"), "workOrder")
    assert codes(by_id) == codes(by_number) == {"not_found"}
    assert codes(refused(await api.gql(REVEAL, {"id": order["id"]}, as_user="sz.agent"),
                         "revealCallerPhone")) == {"not_found"}
    assert codes(refused(await api.gql(ANSWER, {"id": order["id"], "answer": "x"}, as_user="sz.agent"),
                         "answerDirectly")) == {"not_found"}
