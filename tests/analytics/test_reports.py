"""Report contents per tenant and rolled up, the Excel workbook and the PDF, and delivery to subscribers via the
outbox."""

from __future__ import annotations

import base64
import hashlib
import io
from typing import Any

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import text

from hotline.kernel import runtime
from tests.conftest import Api, run_jobs
from tests.evaluation.seed import add_assignment, add_order, at, make_tenant

ERRORS = "... on ValidationErrors { errors { path message code } }"
REPORT = ("query($kind: ReportKind!, $date: Date!, $tenant: String, $rollUp: Boolean!) { report(kind: $kind, "
          "date: $date, tenantCode: $tenant, rollUp: $rollUp) { __typename ... on Report { total "
          "byChannel { key count } byRequestType { key count } byCategory { key label count } "
          "byPlace { key label count } placeSatisfaction { key label rated satisfied rate } byTenant { key count } "
          "deadlines { dispatched signed signedOnTime replied "
          "repliedOnTime overdueOpen } redList { code } blackList { code } workbookBase64 pdfBase64 } " + ERRORS
          + " } }")


def pdf_text(data: bytes) -> str:
    """The PDF's text with table cells separated by single spaces."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


async def seed() -> dict[str, Any]:
    parent = await make_tenant("320100", [("s1", "street"), ("s2", "street")])
    child = await make_tenant(parent.code, [("c1", "street")])
    t = parent.tenant_id
    day = "2024-10-15"  # a Tuesday
    a = await add_order(t, at(day, 9), channel="phone", division="320102003", satisfaction="satisfied")
    await add_assignment(t, a, parent.units["s1"], at(day, 10), signed=at(day, 11), sign_due=at(day, 14),
                         replied=at(day, 15), reply_due=at("2024-10-20"), state="replied")
    b = await add_order(t, at(day, 10), channel="phone", division="320102003", satisfaction="dissatisfied")
    await add_assignment(t, b, parent.units["s2"], at(day, 10), signed=at(day, 16), sign_due=at(day, 14),
                         reply_due=at("2024-10-20"))
    await add_order(t, at(day, 11), channel="web", request_type="consultation", category="020101",
                    division="320102002", satisfaction="basically_satisfied")
    await add_order(t, at(day, 13), channel="web", division="320102002", state="merged",  # merged: not counted
                    satisfaction="dissatisfied")
    await add_order(t, at("2024-10-14", 9), channel="wechat")  # same week
    await add_order(t, at("2024-10-01", 9), channel="wechat")  # same month
    await add_order(t, at("2024-10-16", 0.5), channel="phone")  # next day
    await add_order(child.tenant_id, at(day, 12), channel="app")
    return {"parent": parent, "child": child}


async def test_daily_weekly_monthly_and_rolled_up_contents(api: Api) -> None:
    s = await seed()
    code = s["parent"].code

    async def report(kind: str, roll_up: bool = False) -> dict[str, Any]:
        data = await api.gql(REPORT, {"kind": kind, "date": "2024-10-15", "tenant": code, "rollUp": roll_up},
                             as_user="nj.leader")
        result: dict[str, Any] = data["report"]
        return result

    daily = await report("DAILY")
    assert daily["total"] == 3
    assert daily["byChannel"] == [{"key": "phone", "count": 2}, {"key": "web", "count": 1}]
    assert daily["byRequestType"] == [{"key": "complaint", "count": 2}, {"key": "consultation", "count": 1}]
    assert daily["byCategory"] == [{"key": "01", "label": "城乡建设", "count": 2},
                                   {"key": "02", "label": "党务政务", "count": 1}]
    assert daily["byPlace"] == [{"key": "320102003", "label": "新街口街道", "count": 2},
                                {"key": "320102002", "label": "梅园新村街道", "count": 1}]
    # 群众满意率 by place, for the map: basically satisfied counts as satisfied
    assert daily["placeSatisfaction"] == [
        {"key": "320102002", "label": "梅园新村街道", "rated": 1, "satisfied": 1, "rate": 1.0},
        {"key": "320102003", "label": "新街口街道", "rated": 2, "satisfied": 1, "rate": 0.5}]
    assert daily["deadlines"] == {"dispatched": 2, "signed": 2, "signedOnTime": 1, "replied": 1, "repliedOnTime": 1,
                                  "overdueOpen": 1}
    assert [r["code"] for r in daily["redList"]] == ["s1", "s2"] and daily["byTenant"] == []
    assert (await report("WEEKLY"))["total"] == 5  # Monday 14th to Sunday 20th
    assert (await report("MONTHLY"))["total"] == 6
    rolled = await report("DAILY", roll_up=True)
    assert rolled["total"] == 4
    assert sorted(r["count"] for r in rolled["byTenant"]) == [1, 3]

    book = load_workbook(io.BytesIO(base64.b64decode(daily["workbookBase64"])))
    assert book.sheetnames[:2] == ["概况", "渠道"] and "红榜" in book.sheetnames
    assert [c.value for c in book["概况"]["A3":"B3"][0]] == ["工单总量", 3]
    # The PDF carries the same figures, in Chinese text a reader can search (the CID font, not pictures).
    pdf = pdf_text(base64.b64decode(daily["pdfBase64"]))
    assert "日通报" in pdf and "统计期间 2024-10-15 至 2024-10-16" in pdf
    assert "工单总量 3" in pdf and "超期未办结 1" in pdf and "按时签收 1" in pdf
    assert "320102003 新街口街道 2" in pdf and "02 党务政务 1" in pdf and "红榜" in pdf
    assert "下级热线" not in pdf
    rolled_pdf = pdf_text(base64.b64decode(rolled["pdfBase64"]))
    assert "下级热线" in rolled_pdf and "工单总量 4" in rolled_pdf

    nobody = await api.gql(REPORT, {"kind": "DAILY", "date": "2024-10-15", "tenant": code, "rollUp": False},
                           as_user="sz.admin")
    assert [e["code"] for e in nobody["report"]["errors"]] == ["not_found"]
    agent = await api.gql(REPORT, {"kind": "DAILY", "date": "2024-10-15", "tenant": code, "rollUp": False},
                          as_user="nj.agent")
    assert [e["code"] for e in agent["report"]["errors"]] == ["forbidden"]


async def test_subscribers_get_the_report_through_the_outbox(api: Api, stub_broker: Any) -> None:
    s = await seed()
    code = s["parent"].code
    sub = await api.gql("mutation { subscribeToReport(kind: DAILY, recipient: \"leader@nanjing.gov.cn\") "
                        "{ __typename ... on ReportSubscription { id } } }", as_user="nj.admin", tenant=code)
    assert sub["subscribeToReport"]["__typename"] == "ReportSubscription"
    sent = await api.gql("mutation { sendReport(kind: DAILY, date: \"2024-10-15\") { __typename "
                         "... on ReportSent { runId deliveriesQueued } } }", as_user="nj.admin", tenant=code)
    assert sent["sendReport"]["deliveriesQueued"] == 1
    assert await run_jobs(stub_broker) >= 1
    async with runtime.database().system_transaction() as session:
        rows = (await session.execute(text(
            "SELECT d.recipient, d.attachment_name, d.attachment_bytes, length(r.workbook), r.content->>'total', "
            "d.pdf_attachment_name, d.pdf_attachment_bytes, d.pdf_attachment_sha256, r.pdf "
            "FROM report_deliveries d JOIN report_runs r ON r.tenant_id = d.tenant_id AND r.id = d.run_id "
            "WHERE d.tenant_id = :t"), {"t": s["parent"].tenant_id})).all()
    assert len(rows) == 1
    recipient, name, size, stored, total, pdf_name, pdf_size, pdf_sha, pdf = rows[0]
    assert recipient == "leader@nanjing.gov.cn" and name.endswith("-daily-2024-10-15.xlsx")
    assert size == stored > 0 and total == "3"
    # The same mail carries the PDF, and the PDF sent is the report's.
    assert pdf_name.endswith("-daily-2024-10-15.pdf") and pdf_size == len(pdf)
    assert pdf_sha == hashlib.sha256(pdf).hexdigest()
    assert "工单总量 3" in pdf_text(pdf) and "新街口街道" in pdf_text(pdf)
    # Sending again reuses the generated report and queues one more delivery; redelivery never doubles.
    again = await api.gql("mutation { sendReport(kind: DAILY, date: \"2024-10-15\") { __typename "
                          "... on ReportSent { runId } } }", as_user="nj.admin", tenant=code)
    assert again["sendReport"]["runId"] == sent["sendReport"]["runId"]
    await run_jobs(stub_broker)  # the same run reaches the same subscriber once
    async with runtime.database().system_transaction() as session:
        count = (await session.execute(text("SELECT count(*) FROM report_deliveries WHERE tenant_id = :t"),
                                       {"t": s["parent"].tenant_id})).scalar_one()
    assert count == 1
