"""The knowledge-base upkeep rate (知识库维护率) on seeded article histories, against figures computed by hand
(docs/evaluation.md): due expiry dates in July 2024, kept = renewed past the date or retired by its end."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import text

from hotline.evaluation import repository as repo
from hotline.evaluation.definition import ExclusionRules
from hotline.kernel import runtime
from tests.conftest import Api
from tests.evaluation.helpers import ASSESSMENT, ERRORS, by_unit, compute, define, figures, indicator
from tests.evaluation.seed import CST, Published, Seeded, add_article, add_assignment, add_order, at, make_tenant
from tests.evaluation.test_schemes import REPRODUCE
from tests.knowledge.helpers import CREATE, create, publish

UPKEEP = "knowledge_upkeep_rate"
ARTICLES = ("query($id: UUID!, $unit: String!) { evaluationFigureArticles(assessmentId: $id, unitCode: $unit) { "
            "__typename ... on EvaluationFigureArticles { articles { title dueOn counted outcome } } "
            + ERRORS + " } }")
ORDERS = ("query($id: UUID!, $unit: String!, $ind: String!) { evaluationFigureOrders(assessmentId: $id, "
          "unitCode: $unit, indicator: $ind) { __typename " + ERRORS + " } }")
DEFINITION = {"totalPoints": 100, "indicators": [
    indicator("response_rate", 40), indicator(UPKEEP, 30),
    indicator("kb_and_response", 30, f"({UPKEEP} + response_rate) / 2", "维护与响应")]}


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


async def seed_july(t: Seeded) -> None:
    """s1: 2 of 3 kept; s2: 2 of 4 kept (one date set twice counts once); s3: 0 of 1, no orders; d1: none."""
    s1, s2, s3 = t.units["s1"], t.units["s2"], t.units["s3"]
    jan = at("2024-01-10", 9)
    # s1 — renewed before its date; retired on its last day; left to expire.
    await add_article(t.tenant_id, "A1 renewed", [Published(jan, day("2024-07-15"), s1, ended=at("2024-07-10", 10)),
                                                  Published(at("2024-07-10", 10), day("2025-07-15"), s1)])
    await add_article(t.tenant_id, "A2 retired", [Published(jan, day("2024-07-20"), s1)], retired=at("2024-07-20", 15))
    await add_article(t.tenant_id, "A3 unattended", [Published(jan, day("2024-07-25"), s1)])
    # s2 — renewed two days late; a typo fix keeping the date, then a renewal (one due date, kept);
    # renewed at 00:00 the day after (in time) and one second after that (late); due next month; a draft.
    await add_article(t.tenant_id, "B1 late", [Published(jan, day("2024-07-31"), s2, ended=at("2024-08-02", 9)),
                                               Published(at("2024-08-02", 9), day("2025-07-31"), s2)])
    await add_article(t.tenant_id, "B3 fixed then renewed", [
        Published(jan, day("2024-07-10"), s2, ended=at("2024-07-05", 9)),
        Published(at("2024-07-05", 9), day("2024-07-10"), s2, ended=at("2024-07-09", 9)),
        Published(at("2024-07-09", 9), None, s2)])
    await add_article(t.tenant_id, "B5 at midnight", [Published(jan, day("2024-07-11"), s2, ended=at("2024-07-12")),
                                                      Published(at("2024-07-12"), day("2025-07-11"), s2)])
    one_second = 1 / 3600
    await add_article(t.tenant_id, "B6 a second late", [
        Published(jan, day("2024-07-15"), s2, ended=at("2024-07-16", one_second)),
        Published(at("2024-07-16", one_second), day("2025-07-15"), s2)])
    await add_article(t.tenant_id, "B2 due in August", [Published(jan, day("2024-08-05"), s2)])
    await add_article(t.tenant_id, "B4 draft", [Published(None, day("2024-07-12"), s2)])
    # s3 — expired unattended; a unit with articles and no orders is assessed on them.
    await add_article(t.tenant_id, "C1 unattended", [Published(jan, day("2024-07-03"), s3)])
    # No responsible unit: judged nowhere.
    await add_article(t.tenant_id, "N1 no unit", [Published(jan, day("2024-07-18"), None)])
    # Orders: s1 signed 1 of 1, s2 1 of 2, d1 0 of 1 (response rate).
    for unit, signed in (("s1", True), ("s2", True), ("s2", False), ("d1", False)):
        order = await add_order(t.tenant_id, at("2024-07-02", 8))
        await add_assignment(t.tenant_id, order, t.units[unit], at("2024-07-02", 9),
                             signed=at("2024-07-02", 10) if signed else None, sign_due=at("2024-07-02", 13))


@pytest.fixture(scope="module")
async def july(api: Api) -> dict[str, Any]:
    t = await make_tenant("320100", [("s1", "street"), ("s2", "street"), ("s3", "street"), ("d1", "department")])
    await seed_july(t)
    # 苏州: a unit with the same code and an article left to expire in the same month — never counted here.
    sz = await make_tenant("320500", [("s1", "street")])
    await add_article(sz.tenant_id, "SZ unattended", [Published(at("2024-01-10"), day("2024-07-25"), sz.units["s1"])])
    version = await define(api, "nj.admin", t.code, DEFINITION, "2024-01-01")
    assert version["__typename"] == "EvaluationSchemeVersion", version
    return {"tenant": t, "sz": sz}


async def assessment(api: Api, code: str) -> dict[str, Any]:
    data = await api.gql(ASSESSMENT, {"period": "2024-07", "tenant": code}, as_user="nj.admin")
    result: dict[str, Any] = data["evaluationAssessment"]
    return result


async def test_kept_dates_over_due_dates_per_unit(api: Api, july: dict[str, Any]) -> None:
    t = july["tenant"]
    await compute(t.tenant_id, "2024-07", at("2024-08-10"))
    units = by_unit(await assessment(api, t.code))
    assert set(units) == {"s1", "s2", "s3", "d1"}
    assert figures(units["s1"])[UPKEEP] == (2, 3)  # A1 renewed, A2 retired; A3 expired unattended
    assert figures(units["s2"])[UPKEEP] == (2, 4)  # B3, B5 kept; B1, B6 late; B2 is August's, B4 never published
    assert figures(units["s3"])[UPKEEP] == (0, 1)
    assert figures(units["s3"])["response_rate"] == (0, 0)
    assert figures(units["d1"])[UPKEEP] == (0, 0)  # no articles: no figure
    upkeep = {code: next(i for i in r["indicators"] if i["code"] == UPKEEP)["value"] for code, r in units.items()}
    assert upkeep == {"s1": pytest.approx(0.6667), "s2": 0.5, "s3": 0.0, "d1": None}


async def test_a_formula_and_weights_use_the_upkeep_rate(api: Api, july: dict[str, Any]) -> None:
    t = july["tenant"]
    await compute(t.tenant_id, "2024-07", at("2024-08-10"))
    units = by_unit(await assessment(api, t.code))
    # s1: 40 × 1 + 30 × 2/3 + 30 × (2/3 + 1)/2 = 40 + 20 + 25
    assert units["s1"]["total"] == 85
    assert [i["value"] for i in units["s1"]["indicators"]] == pytest.approx([1.0, 0.6667, 0.8333])
    # s2: 40 × 1/2 + 30 × 1/2 + 30 × 1/2
    assert units["s2"]["total"] == 50
    # d1 has a response figure only (the formula needs both); s3 an upkeep figure only.
    assert units["d1"]["indicators"][2]["value"] is None and units["d1"]["total"] == 0
    assert units["s3"]["indicators"][0]["value"] is None and units["s3"]["total"] == 0
    assert [(u, units[u]["rank"]) for u in ("s1", "s2", "d1", "s3")] == [("s1", 1), ("s2", 2), ("d1", 3), ("s3", 3)]


async def test_a_date_not_yet_reached_counts_only_once_kept(api: Api, july: dict[str, Any]) -> None:
    t = july["tenant"]
    await compute(t.tenant_id, "2024-07", at("2024-07-22", 12))
    units = by_unit(await assessment(api, t.code))
    assert figures(units["s1"])[UPKEEP] == (2, 2)  # A3 (25 July) is not due yet
    assert figures(units["s2"])[UPKEEP] == (2, 3)  # B1 (31 July) is not due yet; B6 was late already
    await compute(t.tenant_id, "2024-07", at("2024-08-10"))


async def test_the_articles_behind_the_figure_and_how_each_date_ended(api: Api, july: dict[str, Any]) -> None:
    t = july["tenant"]
    await compute(t.tenant_id, "2024-07", at("2024-08-10"))
    aid = (await assessment(api, t.code))["id"]
    found = await api.gql(ARTICLES, {"id": aid, "unit": "s2"}, as_user="nj.admin")
    rows = [(a["title"], a["dueOn"], a["counted"], a["outcome"]) for a in
            found["evaluationFigureArticles"]["articles"]]
    assert rows == [("B6 a second late", "2024-07-15", False, "LATE"), ("B1 late", "2024-07-31", False, "LATE"),
                    ("B3 fixed then renewed", "2024-07-10", True, "RENEWED"),
                    ("B5 at midnight", "2024-07-11", True, "RENEWED")]
    s1 = (await api.gql(ARTICLES, {"id": aid, "unit": "s1"}, as_user="nj.admin"))["evaluationFigureArticles"]
    assert [(a["title"], a["outcome"]) for a in s1["articles"]] == [
        ("A3 unattended", "UNATTENDED"), ("A1 renewed", "RENEWED"), ("A2 retired", "RETIRED")]
    orders = await api.gql(ORDERS, {"id": aid, "unit": "s1", "ind": UPKEEP}, as_user="nj.admin")
    assert [e["code"] for e in orders["evaluationFigureOrders"]["errors"]] == ["unknown_indicator"]
    for login in ("sz.admin", "sz.agent"):
        other = await api.gql(ARTICLES, {"id": aid, "unit": "s1"}, as_user=login)
        assert [e["code"] for e in other["evaluationFigureArticles"]["errors"]] == ["not_found"]


async def test_the_assessment_reproduces_and_suzhou_articles_never_count(api: Api, july: dict[str, Any]) -> None:
    t, sz = july["tenant"], july["sz"]
    a = await compute(t.tenant_id, "2024-07", at("2024-08-10"))
    check = await api.gql(REPRODUCE, {"id": str(a.id)}, as_user="nj.admin")
    assert check["evaluationReproduction"]["identical"] is True
    # 苏州's own assessment of the month counts its article and nothing of 南京's tenant.
    version = await define(api, "sz.admin", sz.code, {"totalPoints": 100, "indicators": [indicator(UPKEEP, 100)]},
                           "2024-01-01")
    assert version["__typename"] == "EvaluationSchemeVersion", version
    await compute(sz.tenant_id, "2024-07", at("2024-08-10"))
    data = await api.gql(ASSESSMENT, {"period": "2024-07", "tenant": sz.code}, as_user="sz.admin")
    units = by_unit(data["evaluationAssessment"])
    assert list(units) == ["s1"] and figures(units["s1"])[UPKEEP] == (0, 1)
    hidden = await api.gql(ASSESSMENT, {"period": "2024-07", "tenant": t.code}, as_user="sz.admin")
    assert [e["code"] for e in hidden["evaluationAssessment"]["errors"]] == ["not_found"]


async def test_a_scheme_without_the_indicator_does_not_compute_it(api: Api) -> None:
    t = await make_tenant("320100", [("s1", "street")])
    await add_article(t.tenant_id, "unattended", [Published(at("2024-01-10"), day("2024-07-25"), t.units["s1"])])
    version = await define(api, "nj.admin", t.code, {"totalPoints": 100, "indicators": [
        indicator("response_rate", 100)]}, "2024-01-01")
    assert version["__typename"] == "EvaluationSchemeVersion", version
    await compute(t.tenant_id, "2024-07", at("2024-08-10"))
    assert (await assessment(api, t.code))["results"] == []  # no orders, and the articles are not asked for


VOLUME = """
INSERT INTO knowledge_articles (tenant_id, id, created_at, kind, status, share_scope, title, body, category_codes, tags,
    attachments, version, latest_version, search_vector, title_vector, owner_unit_id, updated_at, updated_by_label,
    direct_answer_total, helpful_total, unhelpful_total)
SELECT :t, md5('a' || i)::uuid, now(), 'standard', 'published', 'own', '标准' || i, '正文', '{}', '{}', '[]', 2, 2,
       '', '', :u, now(), 'seed', 0, 0, 0 FROM generate_series(1, :n) i;
INSERT INTO knowledge_article_versions (tenant_id, id, created_at, article_id, version, status, content, updated_at,
    updated_by_label, published_at, ended_at, expires_on, owner_unit_id)
SELECT :t, md5('v' || i || '-' || n)::uuid, now(), md5('a' || i)::uuid, n,
       CASE n WHEN 1 THEN 'superseded' ELSE 'published' END, '{}', now(), 'seed',
       timestamptz '2020-01-01' + (i % 1800) * interval '1 day' + (n - 1) * interval '300 days',
       CASE n WHEN 1 THEN timestamptz '2020-01-01' + (i % 1800) * interval '1 day' + interval '300 days' END,
       date '2020-01-01' + (i % 1800) + n * 365, :u
FROM generate_series(1, :n) i, generate_series(1, 2) n;
"""


async def seed_volume(articles: int) -> Seeded:
    """A tenant whose articles' expiry dates spread over five years (two published versions each)."""
    t = await make_tenant("320100", [("s1", "street")])
    async with runtime.database().system_transaction() as s:
        for statement in VOLUME.split(";")[:2]:
            await s.execute(text(statement), {"t": t.tenant_id, "u": t.units["s1"], "n": articles})
    return t


async def test_the_upkeep_query_reads_a_range_of_the_expiry_index_and_no_order(owner_engine: Any) -> None:
    t = await seed_volume(10_000)
    window = repo.Window(t.tenant_id, at("2024-07-01"), at("2024-08-01"), at("2024-08-10"), ExclusionRules())
    with owner_engine.connect() as conn:
        conn.execute(text("ANALYZE knowledge_article_versions"))
        conn.commit()
        with conn.begin() as tx:
            # As the application role under row-level security: the range conditions are leakproof.
            conn.execute(text("SELECT hotline_set_scope(CAST(:s AS uuid[]), CAST(:a AS uuid[]), "
                              "CAST(:l AS text[]))"), {"s": [str(t.tenant_id)], "a": [], "l": []})
            conn.execute(text("SET LOCAL ROLE hotline_app"))
            plan = "\n".join(r[0] for r in conn.execute(text("EXPLAIN ANALYZE " + repo.UPKEEP_AGGREGATE),
                                                         repo.upkeep_params(window)))
            tx.rollback()
    # The period's due dates from the expiry index; each article's versions by its unique key; no order read.
    due = plan.index("ix_knowledge_article_versions_tenant_id_expires_on on knowledge_article_versions v")
    assert "expires_on >= '2024-07-01'" in plan[due:due + 600], plan
    assert "uq_knowledge_article_versions_tenant_id_article_id_version on knowledge_article_versions w" in plan, plan
    assert "work_order" not in plan


UPDATE = ("mutation($id: UUID!, $i: KnowledgeArticleInput!) { updateKnowledgeArticle(id: $id, input: $i) { "
          "__typename ... on KnowledgeArticle { id ownerUnitId expiresOn } " + ERRORS + " } }")
RETIRE = "mutation($id: UUID!) { retireKnowledgeArticle(id: $id) { __typename ... on KnowledgeArticle { status } } }"
VERSIONS = ("query($id: UUID!) { knowledgeVersions(articleId: $id) { __typename ... on KnowledgeVersionList { "
            "items { version status publishedAt endedAt expiresOn ownerUnitId } } } }")
UNIT_OF = ("query($id: UUID!) { knowledgeArticle(id: $id) { __typename ... on KnowledgeArticle { ownerUnitId } "
           + ERRORS + " } }")


async def test_the_knowledge_service_records_what_the_indicator_reads(api: Api) -> None:
    """Through the API: three articles of s1 due in a few days; one renewed, one retired, one left."""
    t = await make_tenant("320100", [("s1", "street"), ("s2", "street")])
    due = (dt.datetime.now(CST) + dt.timedelta(days=3)).date()
    ids = []
    for title in ("续期的标准", "下架的标准", "无人维护的标准"):
        created = await create(api, "nj.admin", title, "办理标准正文。", tenant=t.code, expiresOn=due.isoformat(),
                               ownerUnitCode="s1")
        await publish(api, "nj.admin", created["id"], tenant=t.code)
        ids.append(created["id"])
    renewed = await api.gql(UPDATE, {"id": ids[0], "i": {"kind": "STANDARD", "title": "续期的标准", "body": "新正文。",
                                                          "expiresOn": (due + dt.timedelta(days=365)).isoformat()}},
                            as_user="nj.admin", tenant=t.code)
    assert renewed["updateKnowledgeArticle"]["ownerUnitId"] == str(t.units["s1"])  # null kept the unit
    await publish(api, "nj.admin", ids[0], tenant=t.code)
    retired = await api.gql(RETIRE, {"id": ids[1]}, as_user="nj.admin", tenant=t.code)
    assert retired["retireKnowledgeArticle"]["status"] == "RETIRED"
    history = (await api.gql(VERSIONS, {"id": ids[0]}, as_user="nj.admin", tenant=t.code))["knowledgeVersions"]
    first, second = sorted(history["items"], key=lambda v: v["version"])
    assert first["status"] == "SUPERSEDED" and first["endedAt"] == second["publishedAt"]
    assert (first["expiresOn"], second["endedAt"]) == (due.isoformat(), None)

    period = f"{due.year:04d}-{due.month:02d}"
    version = await define(api, "nj.admin", t.code, {"totalPoints": 100, "indicators": [indicator(UPKEEP, 100)]},
                           "2024-01-01")
    assert version["__typename"] == "EvaluationSchemeVersion", version
    end_of_due = dt.datetime.combine(due + dt.timedelta(days=1), dt.time(), CST)
    await compute(t.tenant_id, period, end_of_due + dt.timedelta(hours=1))
    data = await api.gql(ASSESSMENT, {"period": period, "tenant": t.code}, as_user="nj.admin")
    units = by_unit(data["evaluationAssessment"])
    assert list(units) == ["s1"] and figures(units["s1"])[UPKEEP] == (2, 3) and units["s1"]["total"] == 66.6667


async def test_the_responsible_unit_must_be_a_unit_of_the_articles_tenant(api: Api) -> None:
    t = await make_tenant("320100", [("s1", "street")])
    wrong = await api.gql(CREATE, {"i": {"kind": "QA", "title": "问", "body": "答", "ownerUnitCode": "nope"}},
                          as_user="nj.admin", tenant=t.code)
    assert [(e["path"], e["code"]) for e in wrong["createKnowledgeArticle"]["errors"]] == [
        (["ownerUnitCode"], "not_found")]
    # 苏州 cannot name 南京's unit: it is looked up in the article's own tenant.
    sz = await api.gql(CREATE, {"i": {"kind": "QA", "title": "问", "body": "答", "ownerUnitCode": "320102003"}},
                       as_user="sz.admin")
    assert [(e["path"], e["code"]) for e in sz["createKnowledgeArticle"]["errors"]] == [
        (["ownerUnitCode"], "not_found")]
    made = await create(api, "nj.admin", "问", "答", tenant=t.code, ownerUnitCode="s1")
    cleared = await api.gql(UPDATE, {"id": made["id"], "i": {"kind": "QA", "title": "问", "body": "答",
                                                             "ownerUnitCode": ""}}, as_user="nj.admin", tenant=t.code)
    assert cleared["updateKnowledgeArticle"]["ownerUnitId"] is None
    seen = await api.gql(UNIT_OF, {"id": made["id"]}, as_user="sz.admin")
    assert [e["code"] for e in seen["knowledgeArticle"]["errors"]] == ["not_found"]
