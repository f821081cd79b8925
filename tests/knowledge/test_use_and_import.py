"""Direct answers (直办) from an article are recorded and counted; feedback and expiry reach the owner;
bulk import reports rejected rows; export."""

# ruff: noqa: E501  (GraphQL documents and Chinese sample text; CJK characters count double)

from __future__ import annotations

import base64
import datetime as dt
import io
from typing import Any

from sqlalchemy import text

from hotline.kernel import runtime
from hotline.kernel.models import utcnow
from hotline.knowledge import tasks
from tests.conftest import Api, run_jobs, unique
from tests.knowledge.helpers import GET, published, search
from tests.workorders.helpers import create as create_order

RECORD = ("mutation($o: UUID!, $a: UUID!) { recordKnowledgeDirectAnswer(orderId: $o, articleId: $a) { __typename "
          "... on KnowledgeUse { kind orderId } ... on ValidationErrors { errors { path code } } } }")
IMPORT = ("mutation($i: KnowledgeImportInput!) { importKnowledgeArticles(input: $i) { __typename "
          "... on KnowledgeImportReport { total created createdIds rejected { row errors { path code } } } "
          "... on ValidationErrors { errors { path code } } } }")


async def test_a_direct_answer_from_an_inherited_article_is_recorded_and_counted(api: Api, stub_broker: Any) -> None:
    tag = unique("直办")
    article = await published(api, "js.admin", f"{tag} 公积金提取条件", f"{tag} 离职、退休可提取", shareScope="SUBTREE")
    order = await create_order(api, requestType="CONSULTATION", title="公积金提取", content="离职后公积金怎么提",
                               directAnswer="离职满半年可提取。")
    assert order["state"] == "CLOSED"
    used = (await api.gql(RECORD, {"o": order["id"], "a": article["id"]}, as_user="nj.agent"))
    assert used["recordKnowledgeDirectAnswer"] == {"__typename": "KnowledgeUse", "kind": "DIRECT_ANSWER",
                                                   "orderId": order["id"]}
    again = (await api.gql(RECORD, {"o": order["id"], "a": article["id"]}, as_user="nj.agent"))
    assert again["recordKnowledgeDirectAnswer"]["errors"][0]["code"] == "already_exists"
    # 苏州 cannot attach anything to 南京's order
    other = await api.gql(RECORD, {"o": order["id"], "a": article["id"]}, as_user="sz.agent")
    assert other["recordKnowledgeDirectAnswer"]["errors"][0]["code"] == "not_found"
    # counted live in 南京's scope and in the province's (its subtree), not in 苏州's
    for login, count in (("nj.agent", 1), ("js.admin", 1), ("sz.admin", 0)):
        got = (await api.gql(GET, {"id": article["id"]}, as_user=login))["knowledgeArticle"]
        assert got["usage"]["directAnswers"] == count, login
    # the sweep folds uses into the owner's totals and turns unhelpful feedback into a notice
    await api.gql('mutation($a: UUID!) { giveKnowledgeFeedback(articleId: $a, helpful: false, comment: "缺少办理地址") '
                  "{ __typename } }", {"a": article["id"]}, as_user="sz.admin")
    async with runtime.database().system_transaction() as session:
        await tasks.fold_usage(session)
    owner = (await api.gql(GET, {"id": article["id"]}, as_user="js.admin"))["knowledgeArticle"]
    assert owner["ownerTotals"] == {"directAnswers": 1, "helpful": 0, "unhelpful": 1}
    notices = await api.gql("{ knowledgeNotices { ... on KnowledgeNoticeList { items { articleId kind message } } } }",
                            as_user="js.admin")
    assert {"articleId": article["id"], "kind": "UNHELPFUL", "message": "found unhelpful: 缺少办理地址"} in \
        notices["knowledgeNotices"]["items"]
    # an order that was not answered directly cannot claim an article
    open_order = await create_order(api)
    refused = await api.gql(RECORD, {"o": open_order["id"], "a": article["id"]}, as_user="nj.agent")
    assert refused["recordKnowledgeDirectAnswer"]["errors"][0]["code"] == "invalid_state"


def _valid_until(day: dt.date) -> dict[str, str]:
    """Dates around today's: the expiry reminder compares them with the clock."""
    return {"effectiveFrom": (day - dt.timedelta(days=60)).isoformat(), "expiresOn": day.isoformat()}


async def test_expiring_articles_are_reminded_to_their_owner_once_through_the_outbox(
        api: Api, stub_broker: Any) -> None:
    tag, today = unique("到期"), utcnow().date()
    article = await published(api, "nj.admin", f"{tag} 临时政策", f"{tag} 下周到期", shareScope="SUBTREE",
                              **_valid_until(today + dt.timedelta(days=8)))
    async with runtime.database().system_transaction() as session:
        assert await tasks.remind_expiring(session, today) >= 1
    await run_jobs(stub_broker)
    async with runtime.database().system_transaction() as session:
        assert await tasks.remind_expiring(session, today) == 0
    notices = await api.gql("{ knowledgeNotices { ... on KnowledgeNoticeList { items { articleId kind } } } }",
                            as_user="nj.admin")
    assert {"articleId": article["id"], "kind": "EXPIRING"} in notices["knowledgeNotices"]["items"]
    assert {"articleId": article["id"], "kind": "EXPIRING"} not in (await api.gql(
        "{ knowledgeNotices { ... on KnowledgeNoticeList { items { articleId kind } } } }", as_user="sz.admin")
    )["knowledgeNotices"]["items"]


async def test_import_creates_valid_rows_and_reports_rejected_ones(api: Api) -> None:
    tag = unique("导入")
    csv_text = ("标题,答复,类别,标签,有效期至,范围\n"
                f"{tag} 居住证办理,携带身份证和租房合同到派出所,030101,居住证;外来人口,2027-12-31,下级\n"
                f",没有标题的一行,030101,,2027-12-31,本级\n"
                f"{tag} 错误类别,内容,999999,,2027-12-31,本级\n"
                f"{tag} 错误日期,内容,030101,,明年,本级\n")
    mapping = [{"field": "title", "column": "标题"}, {"field": "body", "column": "答复"},
               {"field": "categoryCodes", "column": "类别"}, {"field": "tags", "column": "标签"},
               {"field": "expiresOn", "column": "有效期至"}, {"field": "shareScope", "column": "范围"}]
    data = await api.gql(IMPORT, {"i": {"format": "CSV", "content": csv_text, "mapping": mapping, "publish": True}},
                         as_user="nj.admin")
    report = data["importKnowledgeArticles"]
    assert report["total"] == 4 and report["created"] == 1
    assert [(r["row"], r["errors"][0]["path"], r["errors"][0]["code"]) for r in report["rejected"]] == [
        (3, ["title"], "required"), (4, ["categoryCodes"], "not_found"), (5, ["expiresOn"], "invalid_format")]
    found = await search(api, "xw.admin", f"{tag} 居住证")
    assert [a["id"] for a in found] == report["createdIds"] and found[0]["tags"] == ["居住证", "外来人口"]
    # a mapping to a missing column refuses the whole file
    bad = await api.gql(IMPORT, {"i": {"format": "CSV", "content": csv_text, "mapping": [
        {"field": "title", "column": "标题"}, {"field": "body", "column": "正文"}]}}, as_user="nj.admin")
    assert bad["importKnowledgeArticles"]["errors"][0]["code"] == "not_found"
    # agents do not import
    agent = await api.gql(IMPORT, {"i": {"format": "CSV", "content": csv_text, "mapping": mapping}}, as_user="nj.agent")
    assert agent["importKnowledgeArticles"]["errors"][0]["code"] == "forbidden"
    exported = await api.gql("{ knowledgeExport { ... on KnowledgeExport { csv count } } }", as_user="nj.admin")
    assert f"{tag} 居住证办理" in exported["knowledgeExport"]["csv"]


async def test_import_reads_xlsx(api: Api) -> None:
    from openpyxl import Workbook

    tag = unique("表格")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["问题", "答案"])
    sheet.append([f"{tag} 医保转移", "到参保地医保经办机构办理转移接续"])
    sheet.append([f"{tag} 空答案", None])
    out = io.BytesIO()
    book.save(out)
    data = await api.gql(IMPORT, {"i": {"format": "XLSX", "content": base64.b64encode(out.getvalue()).decode(),
                                        "mapping": [{"field": "title", "column": "问题"},
                                                    {"field": "body", "column": "答案"}]}}, as_user="xw.admin")
    report = data["importKnowledgeArticles"]
    assert report["created"] == 1 and [r["row"] for r in report["rejected"]] == [3]


def test_articles_are_audited(owner_engine: Any) -> None:
    with owner_engine.connect() as conn:
        actions = set(conn.execute(text("SELECT DISTINCT action FROM audit_log WHERE object_type = 'knowledge_article'"))
                      .scalars())
    assert {"knowledge_article.created", "knowledge_article.submitted", "knowledge_article.published"} <= actions


NOTICES = "query($u: Boolean!) { knowledgeNotices(unreadOnly: $u) { ... on KnowledgeNoticeList { items { id articleId kind readAt } } } }"
MARK_READ = ("mutation($ids: [UUID!]!) { markKnowledgeNoticesRead(noticeIds: $ids) { __typename "
             "... on KnowledgeNoticeList { items { id readAt } } ... on ValidationErrors { errors { path code } } } }")


async def test_notices_marked_read_leave_the_unread_list(api: Api, stub_broker: Any) -> None:
    tag, today = unique("已读"), utcnow().date()
    article = await published(api, "nj.admin", f"{tag} 临时补贴", f"{tag} 下周到期", shareScope="SUBTREE",
                              **_valid_until(today + dt.timedelta(days=6)))
    async with runtime.database().system_transaction() as session:
        await tasks.remind_expiring(session, today)
    await run_jobs(stub_broker)
    unread = (await api.gql(NOTICES, {"u": True}, as_user="nj.admin"))["knowledgeNotices"]["items"]
    notice = next(n for n in unread if n["articleId"] == article["id"])
    assert notice["readAt"] is None
    # 苏州 cannot mark 南京's notice; the error names the id's place in the list.
    other = (await api.gql(MARK_READ, {"ids": [notice["id"]]}, as_user="sz.admin"))["markKnowledgeNoticesRead"]
    assert other["errors"] == [{"path": ["noticeIds", "0"], "code": "not_found"}]
    marked = (await api.gql(MARK_READ, {"ids": [notice["id"]]}, as_user="nj.admin"))["markKnowledgeNoticesRead"]
    assert marked["items"][0]["id"] == notice["id"] and marked["items"][0]["readAt"] is not None
    again = (await api.gql(MARK_READ, {"ids": [notice["id"]]}, as_user="nj.admin"))["markKnowledgeNoticesRead"]
    assert again["items"][0]["readAt"] == marked["items"][0]["readAt"]
    unread = (await api.gql(NOTICES, {"u": True}, as_user="nj.admin"))["knowledgeNotices"]["items"]
    assert all(n["id"] != notice["id"] for n in unread)
    every = (await api.gql(NOTICES, {"u": False}, as_user="nj.admin"))["knowledgeNotices"]["items"]
    assert any(n["id"] == notice["id"] and n["readAt"] for n in every)
    # An agent is not an owner's editor: refused.
    agent = (await api.gql(MARK_READ, {"ids": [notice["id"]]}, as_user="nj.agent"))["markKnowledgeNoticesRead"]
    assert agent["errors"][0]["code"] == "forbidden"
