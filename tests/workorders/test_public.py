"""Public intake over REST: file a request in a named hotline, follow it with number + phone, rate-limited."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from hotline.workorders.public import public_router
from tests.conftest import Api
from tests.workorders.helpers import CATEGORY, GET, STREET, ok

FORM = {"requestType": "complaint", "categoryCode": CATEGORY, "title": "小区门口积水",
        "content": "连续下雨后小区门口积水严重，老人出行不便。", "divisionCode": STREET, "address": "中山路2号",
        "phone": "13800001234", "name": "张三", "channel": "wechat"}


def phone() -> str:
    return f"133{uuid.uuid4().int % 10**8:08d}"


async def test_a_citizen_files_a_request_and_the_hotline_sees_it(api: Api) -> None:
    number_phone = phone()
    response = await api.client.post("/api/public/320100/orders", json={**FORM, "phone": number_phone})
    assert response.status_code == 201, response.text
    number = response.json()["number"]
    assert number.startswith("320100-")
    seen = ok(await api.gql(GET, {"number": number}, as_user="nj.agent"), "workOrder")
    assert (seen["channel"], seen["state"], seen["requestType"]) == ("WECHAT", "PENDING_DISPATCH", "COMPLAINT")
    assert seen["caller"]["phone"] == number_phone[:3] + "****" + number_phone[-4:]
    assert seen["timeline"][0]["actor"] == "system:public_intake"


async def test_progress_shows_no_personal_data_and_needs_the_callers_phone(api: Api) -> None:
    caller = phone()
    number = (await api.client.post("/api/public/320100/orders", json={**FORM, "phone": caller})).json()["number"]
    found = await api.client.get(f"/api/public/320100/orders/{number}", params={"phone": caller})
    assert found.status_code == 200
    body: dict[str, Any] = found.json()
    assert set(body) == {"number", "state", "label", "acceptedAt", "closedAt", "result"}
    assert (body["state"], body["label"]) == ("pending_dispatch", "已受理，待派单")
    assert caller not in found.text and "张三" not in found.text and "中山路" not in found.text
    wrong = await api.client.get(f"/api/public/320100/orders/{number}", params={"phone": phone()})
    unknown = await api.client.get("/api/public/320100/orders/320100-20000101-00001", params={"phone": caller})
    elsewhere = await api.client.get(f"/api/public/320500/orders/{number}", params={"phone": caller})
    assert wrong.status_code == unknown.status_code == elsewhere.status_code == 404
    assert wrong.json() == unknown.json() == elsewhere.json()


async def test_bad_forms_and_unknown_hotlines_are_refused(api: Api) -> None:
    bad = await api.client.post("/api/public/320100/orders",
                                json={**FORM, "requestType": "gossip", "phone": ""})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["path"] == ["requestType"]
    no_phone = await api.client.post("/api/public/320100/orders", json={**FORM, "phone": ""})
    assert no_phone.json()["errors"] == [{"path": ["phone"], "message": "a phone number is needed to follow the "
                                          "request", "code": "required"}]
    fields = await api.client.post("/api/public/320100/orders", json={**FORM, "title": "", "categoryCode": "x"})
    assert {tuple(e["path"]) for e in fields.json()["errors"]} == {("title",), ("categoryCode",)}
    missing = await api.client.post("/api/public/999999/orders", json=FORM)
    assert missing.status_code == 404


async def test_public_endpoints_are_rate_limited_per_client(api: Api) -> None:
    app = Litestar(route_handlers=[public_router(("minute", 3))])
    async with AsyncTestClient(app) as client:
        statuses = [(await client.get("/api/public/320100/orders/none", params={"phone": "1"})).status_code
                    for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
