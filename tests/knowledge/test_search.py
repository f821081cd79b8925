"""Search in Chinese: a small corpus with expected top results; synonyms, local terms, typing, fuzzy titles,
filters; and the plan under row-level security (the GIN index is used)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from tests.conftest import Api, unique
from tests.knowledge.helpers import published, search

CATEGORY = "030101"  # only this module's corpus carries it, so filtering by it isolates the corpus
CORPUS = {
    "hukou": ("户口迁移办理流程", "办理户口迁入需要携带身份证、户口簿到派出所户籍窗口申请，审核通过后办理迁移手续。"),
    "newborn": ("新生儿落户", "新生儿出生后一个月内凭出生医学证明到户籍所在地派出所办理出生登记。"),
    "withdraw": ("住房公积金提取", "职工购买自住住房、退休、离职可以申请提取住房公积金，需提供身份证和银行卡。"),
    "loan": ("公积金贷款额度", "缴存职工申请住房公积金个人住房贷款，贷款额度与缴存余额挂钩。"),
    "medical": ("医保异地就医备案", "参保人员异地就医前应办理备案手续，可通过国家医保服务平台APP办理。"),
    "stalls": ("占道经营投诉处理", "城管部门对占道经营、流动摊贩进行劝导和查处，可拨打热线反映。"),
    "noise": ("夜间施工噪音扰民", "夜间施工噪音扰民可向生态环境部门投诉，夜间施工需取得许可。"),
    "office": ("梅园新村街道办事处地址", "梅园新村街道办事处位于长江路，工作日上午九点至下午五点办公。"),
    "gas": ("燃气泄漏报修", "闻到燃气味道应立即关闭阀门、开窗通风，并拨打燃气公司抢修电话。"),
    "expired": ("临时停车收费标准", "临时停车收费标准：首小时五元，之后每小时二元。"),
}


@pytest.fixture(scope="module")
async def corpus(api: Api) -> dict[str, str]:
    await api.gql('mutation { saveKnowledgeTerm(term: "户口", kind: SYNONYM, synonyms: ["户籍"]) { __typename } }',
                  as_user="xw.admin")
    await api.gql('mutation { saveKnowledgeTerm(term: "看病", kind: SYNONYM, synonyms: ["就医"]) { __typename } }',
                  as_user="xw.admin")
    await api.gql('mutation { saveKnowledgeTerm(term: "梅园新村", kind: PLACE) { __typename } }', as_user="nj.admin")
    ids = {}
    for key, (title, body) in CORPUS.items():
        extra: dict[str, Any] = {"categoryCodes": [CATEGORY], "shareScope": "OWN"}
        if key == "expired":
            extra.update(effectiveFrom="2020-01-01", expiresOn="2021-01-01")
        ids[key] = (await published(api, "xw.admin", title, body, **extra))["id"]
    return ids


async def top(api: Api, ids: dict[str, str], query: str, n: int = 3, **filters: Any) -> list[str]:
    by_id = {v: k for k, v in ids.items()}
    found = await search(api, "xw.admin", query, first=n, fuzzy=True, categoryCodes=[CATEGORY], **filters)
    return [by_id.get(a["id"], a["title"]) for a in found]


@pytest.mark.parametrize(("query", "expected"), [
    ("我想问一下户口怎么迁", "hukou"),
    ("公积金怎么提取", "withdraw"),
    ("住房公积金能贷多少", "loan"),
    ("异地看病要备案吗", "medical"),  # 看病 is a synonym of 就医
    ("户籍迁移", "hukou"),  # 户籍 is a synonym of 户口
    ("楼下有人占道摆摊", "stalls"),
    ("晚上工地施工太吵", "noise"),
    ("梅园新村街道在哪里", "office"),  # a place name of 南京's dictionary, inherited by 玄武区
    ("家里有煤气味燃气泄漏", "gas"),
])
async def test_the_expected_article_comes_first(api: Api, corpus: dict[str, str], query: str, expected: str) -> None:
    assert (await top(api, corpus, query))[0] == expected


async def test_typing_suggests_by_prefix_and_a_misspelt_title_still_finds(api: Api, corpus: dict[str, str]) -> None:
    data = await api.gql('query { knowledgeSuggestions(text: "住房公积", first: 5) { ... on KnowledgeArticleList { '
                         "items { id fuzzy } } } }", as_user="xw.admin")
    found = {a["id"] for a in data["knowledgeSuggestions"]["items"]}
    assert {corpus["withdraw"], corpus["loan"]} <= found
    fuzzy = await search(api, "xw.admin", "公积金提区", first=3, fuzzy=True, categoryCodes=[CATEGORY])
    assert fuzzy[0]["id"] == corpus["withdraw"]


async def test_filters_by_validity_kind_and_category(api: Api, corpus: dict[str, str]) -> None:
    assert "expired" not in await top(api, corpus, "临时停车收费")
    assert (await top(api, corpus, "临时停车收费", includeExpired=True))[0] == "expired"
    assert (await top(api, corpus, "临时停车收费", validOn="2020-06-01"))[0] == "expired"
    assert await top(api, corpus, "公积金", kinds=["POLICY"]) == []
    assert await search(api, "xw.admin", "公积金", categoryCodes=["0999"]) == []
    # a prefix of the category reaches it
    assert corpus["withdraw"] in {a["id"] for a in await search(api, "xw.admin", "公积金提取",
                                                                 categoryCodes=[CATEGORY[:4]])}


async def test_a_sibling_city_finds_nothing_of_a_countys_own_corpus(api: Api, corpus: dict[str, str]) -> None:
    assert await search(api, "sz.admin", "公积金提取", categoryCodes=[CATEGORY]) == []


def _plan(conn: Any, sql: str) -> str:
    return "\n".join(r[0] for r in conn.execute(text("EXPLAIN " + sql)))


async def test_the_gin_index_serves_the_search_under_row_level_security(
        api: Api, corpus: dict[str, str], owner_engine: Any, app_engine: Any) -> None:
    with owner_engine.connect() as conn:
        tenant, ancestors = conn.execute(text("SELECT tenant_id, ancestors FROM tenants WHERE code = '320102'")).one()
        leak = dict(conn.execute(text("SELECT proname, proleakproof FROM pg_proc WHERE proname IN "
                                      "('ts_match_vq', 'uuid_eq', 'texteq')")).all())
    assert leak == {"ts_match_vq": False, "uuid_eq": True, "texteq": True}
    scope = {"s": [str(tenant)], "a": [str(a) for a in ancestors], "l": ["changsanjiao"]}
    set_scope = "SELECT hotline_set_scope(CAST(:s AS uuid[]), CAST(:a AS uuid[]), CAST(:l AS text[]))"
    word = "CAST('''公积金''' AS tsquery)"
    direct = f"SELECT id FROM knowledge_articles WHERE status = 'published' AND search_vector @@ {word}"
    with app_engine.begin() as conn:
        conn.execute(text(set_scope), scope)
        rows = conn.execute(text(f"SELECT id FROM knowledge_search({word}, NULL, :t, CAST(:h AS uuid[]), "
                                 "NULL, NULL, NULL, NULL, 10)"), {"t": tenant, "h": [str(tenant)]}).scalars().all()
        assert {corpus["withdraw"], corpus["loan"]} <= {str(r) for r in rows}
    with owner_engine.connect() as conn, conn.begin() as tx:
        # A small table would be read sequentially anyway: leave the planner only the GIN index to choose
        # (everything here is rolled back).
        conn.execute(text("SET LOCAL lock_timeout = '5s'"))
        for index in ("ix_knowledge_articles_expiry", "ix_knowledge_articles_tenant_id_status",
                      "ix_knowledge_articles_public"):
            conn.execute(text(f"DROP INDEX {index}"))
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        conn.execute(text(set_scope), scope)
        # `@@` is not leakproof: written directly, the app role cannot use the GIN index below the RLS quals
        conn.execute(text("SET LOCAL ROLE hotline_app"))
        app_plan = _plan(conn, direct)
        assert "Index Cond: (search_vector @@" not in app_plan
        # the definer function runs as hotline_system, whose policy is `true`: the GIN index is the plan
        conn.execute(text("RESET ROLE"))
        conn.execute(text("SET LOCAL ROLE hotline_system"))
        inner = direct + (" AND (tenant_id = ANY (hotline_scope()) OR share_scope = 'public' OR (share_scope IN "
                          "('subtree', 'alliance') AND tenant_id = ANY (hotline_ancestors())))")
        system_plan = _plan(conn, inner)
        assert "Bitmap Index Scan on ix_knowledge_articles_search" in system_plan
        assert "Index Cond: (search_vector @@" in system_plan
        tx.rollback()


async def test_the_public_view_shows_only_published_public_articles(api: Api) -> None:
    tag = unique("公开")
    public = await published(api, "js.admin", f"{tag} 公开的办事指南", f"{tag} 所有人可见", shareScope="PUBLIC")
    await published(api, "js.admin", f"{tag} 内部口径", f"{tag} 仅本省", shareScope="SUBTREE")
    listed = await api.client.get("/api/public/knowledge/articles", params={"q": tag})
    assert [a["id"] for a in listed.json()["items"]] == [public["id"]]
    one = await api.client.get(f"/api/public/knowledge/articles/{public['id']}")
    assert one.status_code == 200 and one.json()["body"].endswith("所有人可见")
