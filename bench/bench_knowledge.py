"""Knowledge search at scale: 100,000 published articles spread over 江苏's tree and other provinces with
every share scope, searched in Chinese by a 南京 agent under row-level security (app role, the scope set
with `SET LOCAL`), through the same service function the GraphQL field calls (segmentation, dictionary,
strict query ranked by the loose one, fuzzy fallback, overrides, supplements).

Baseline in the same run: the same tsquery written directly against the table as the app role (`@@` is not
LEAKPROOF, so the GIN index cannot serve it below the RLS quals). Figures are printed, nothing is asserted.
"""

# ruff: noqa: E501  (GraphQL documents and Chinese sample text; CJK characters count double)

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
import uuid
from typing import Any

import psycopg
from sqlalchemy import text

from hotline.kernel import runtime
from hotline.kernel.acting import Acting
from hotline.kernel.context import Subject
from hotline.kernel.database import driver_url
from hotline.kernel.scope import TenantScope
from hotline.knowledge import search as seg
from hotline.knowledge import service
from hotline.tenancy import catalogue

ARTICLES = 100_000
ROUNDS = 5
SUBJECTS = ["户口迁移", "新生儿落户", "居住证", "身份证补办", "住房公积金提取", "公积金贷款", "医保报销",
            "异地就医备案", "社保卡补办", "养老保险", "失业保险", "工伤认定", "最低工资", "劳动合同", "拖欠工资", "物业服务", "垃圾分类", "占道经营", "噪音扰民", "违章建筑", "燃气报修", "停水通知", "集中供暖", "路灯维修", "公交线路", "出租车投诉", "共享单车", "交通违法", "驾驶证换领", "机动车年检", "不动产登记", "房屋租赁", "学区划分", "入学报名", "营业执照", "个体工商户", "税务登记", "电子发票", "消费维权", "食品安全", "药品监管", "疫苗接种", "医院挂号", "殡葬服务", "婚姻登记", "残疾人补贴", "低保申请", "养老服务", "退役军人", "法律援助", "环境污染", "河道治理", "绿化养护", "农村宅基地", "土地承包", "农业补贴", "企业开办", "人才引进", "高新技术企业认定", "出口退税", "稳岗返还", "创业担保贷款", "技能培训补贴", "住房补贴", "租房提取", "电动自行车登记", "充电桩安装", "老旧小区改造", "加装电梯", "停车收费", "犬只登记"]
ACTIONS = ["办理流程", "所需材料", "办理地点", "收费标准", "办理时限", "申请条件", "咨询电话", "政策依据", "常见问题",
           "投诉渠道", "网上办理", "补贴标准"]
PLACES = ["南京", "苏州", "无锡", "常州", "徐州", "南通", "连云港", "淮安", "盐城", "扬州", "镇江", "泰州", "宿迁",
          "玄武区", "秦淮区", "建邺区", "鼓楼区", "浦口区"]
OFFICES = ["政务服务中心", "派出所户籍窗口", "社保经办机构", "公积金管理中心", "街道便民服务中心", "不动产登记中心",
           "市场监管局", "税务局"]
MATERIALS = ["身份证", "户口簿", "结婚证", "出生医学证明", "劳动合同", "银行卡", "营业执照", "租房合同", "房产证",
             "社保卡"]
TEMPLATES = (
    "{s}{a}：申请人应当携带{m}和{m2}到{p}{o}办理，材料齐全的当场受理。",
    "{p}{s}相关问题可以通过{o}咨询，工作日上午九点至下午五点办公，{a}以最新文件为准。",
    "办理{s}需要提供{m}原件及复印件，委托他人办理的还需提供授权委托书和受托人{m2}。",
    "符合条件的可在{p}政务服务网或手机应用在线申请{s}，审核通过后{a}通过短信告知。",
    "{s}不收取任何费用，如遇乱收费可以向{o}投诉，也可以拨打12345热线反映。",
)
QUERIES = (
    "户口迁移需要什么材料", "公积金怎么提取", "住房公积金能贷多少", "异地就医怎么备案", "社保卡丢了怎么补办",
    "营业执照在哪里办", "拖欠工资怎么投诉", "噪音扰民找谁", "燃气报修电话", "不动产登记收费标准",
    "新生儿落户流程", "居住证办理地点", "驾驶证换领需要带什么", "老旧小区加装电梯补贴", "电动自行车登记",
    "创业担保贷款申请条件", "高新技术企业认定政策依据", "出口退税网上办理", "犬只登记在哪", "停车收费投诉",
    "南京户口迁移", "苏州公积金提取", "玄武区政务服务中心", "低保申请条件", "残疾人补贴标准",
    "婚姻登记需要户口簿吗", "疫苗接种预约", "入学报名材料", "租房提取公积金", "技能培训补贴怎么领",
)
COPY = ("COPY knowledge_articles (tenant_id, id, kind, status, share_scope, alliance_code, title, body, category_codes, "
        "tags, attachments, version, latest_version, search_vector, title_vector, updated_at, updated_by_label, "
        "published_at, direct_answer_total, helpful_total, unhelpful_total) FROM STDIN")


def _vector(parts: list[tuple[list[str], str]], title: str) -> str:
    positions: dict[str, list[str]] = {}
    position = 0
    for tokens, weight in parts:
        for token in tokens:
            position += 1
            positions.setdefault(token, []).append(f"{position}{weight}")
    for gram in dict.fromkeys(seg.bigrams(title)):
        position += 1
        positions.setdefault(seg.FUZZY_PREFIX + gram, []).append(f"{position}D")
    return " ".join("'" + t.replace("'", "''") + "':" + ",".join(p[:50]) for t, p in positions.items())


def _corpus(rng: random.Random) -> tuple[list[tuple[str, list[str]]], list[tuple[str, list[str]]]]:
    sentences = []
    for _ in range(3000):
        sentence = rng.choice(TEMPLATES).format(s=rng.choice(SUBJECTS), a=rng.choice(ACTIONS), p=rng.choice(PLACES),
                                               o=rng.choice(OFFICES), m=rng.choice(MATERIALS),
                                               m2=rng.choice(MATERIALS))
        sentences.append((sentence, seg.index_tokens(sentence)))
    titles = []
    for subject in SUBJECTS:
        for action in ACTIONS:
            for place in ("", *PLACES[:6]):
                title = f"{place}{subject}{action}"
                titles.append((title, seg.index_tokens(title)))
    return titles, sentences


async def _tenants() -> tuple[dict[str, Any], list[Any]]:
    async with runtime.database().system_transaction() as session:
        rows = (await session.execute(text("SELECT code, tenant_id, ancestors FROM tenants"))).all()
    by_code = {r.code: r for r in rows}
    return by_code, rows


def _load(owner_url: str, tenants: list[Any], by_code: dict[str, Any]) -> float:
    rng = random.Random(12345)
    titles, sentences = _corpus(rng)
    jiangsu = [t for t in tenants if t.code.startswith("32")]
    others = [t for t in tenants if not t.code.startswith("32")]
    alliance = {"31": "changsanjiao", "32": "changsanjiao", "33": "changsanjiao", "34": "changsanjiao",
                "11": "jingjinji", "12": "jingjinji", "13": "jingjinji"}
    started = time.perf_counter()
    url = driver_url(owner_url).set(drivername="postgresql").render_as_string(hide_password=False)
    now = dt.datetime.now(dt.UTC).isoformat()
    with psycopg.connect(url) as conn, conn.cursor() as cur, cur.copy(COPY) as copy:
        for i in range(ARTICLES):
            # 70% in 江苏's tree (a third of those by the province itself), the rest across the country
            owner = by_code["320000"] if i % 10 < 3 else rng.choice(jiangsu if i % 10 < 7 else others)
            share = rng.choices(("own", "subtree", "alliance", "public"), (50, 30, 15, 5))[0]
            title, title_tokens = rng.choice(titles)
            body = rng.sample(sentences, rng.randint(3, 6))
            vector = _vector([(title_tokens, "A"), *[(t, "C") for _, t in body]], title)
            title_vector = _vector([(title_tokens, "A")], title)
            copy.write_row((owner.tenant_id, uuid.uuid4(), rng.choice(("qa", "standard", "policy")), "published",
                            share, alliance.get(owner.code[:2]) if share == "alliance" else None, title,
                            "".join(s for s, _ in body), "{}", "{}", "[]", 1, 1, vector, title_vector, now, "bench",
                            now, 0, 0, 0))
    with psycopg.connect(url, autocommit=True) as conn:  # as autovacuum would after a bulk load
        conn.execute("VACUUM ANALYZE knowledge_articles")
    return time.perf_counter() - started


async def _timed(label: str, once: Any, queries: tuple[str, ...]) -> list[float]:
    latencies = []
    for _ in range(ROUNDS):
        for q in queries:
            started = time.perf_counter()
            await once(q)
            latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    print(f"   {label:<44} n={len(latencies):4d}  p50 {statistics.median(latencies):6.1f} ms  "
          f"p95 {p95:6.1f} ms  max {latencies[-1]:6.1f} ms", flush=True)
    return latencies


async def main(owner_url: str) -> None:
    async with runtime.database().system_transaction() as session:
        await catalogue.apply(session, _root())
    by_code, tenants = await _tenants()
    loaded = _load(owner_url, tenants, by_code)
    print(f"   loaded {ARTICLES:,} published articles with their vectors in {loaded:.1f} s", flush=True)
    nanjing = by_code["320100"]
    subtree = [t.tenant_id for t in tenants if t.tenant_id == nanjing.tenant_id or nanjing.tenant_id in t.ancestors]
    scope = TenantScope(nanjing.tenant_id, frozenset(subtree), tuple(nanjing.ancestors), frozenset({"changsanjiao"}))
    acting = Acting(Subject(uuid.uuid4(), nanjing.tenant_id, "bench", "bench"), scope)
    db = runtime.database()
    seg.query_words("预热")  # load jieba's dictionary before timing
    hits: list[int] = []

    async def ours(q: str) -> None:
        async with db.transaction(scope) as session:
            hits.append(len(await service.search(session, acting, q, service.SearchFilter(), 10)))

    async def typing(q: str) -> None:
        async with db.transaction(scope) as session:
            await service.search(session, acting, q[: max(2, len(q) - 2)], service.SearchFilter(), 5, typing=True)

    async def direct(q: str) -> None:
        query = seg.build_query(q)
        async with db.transaction(scope) as session:
            await session.execute(text(
                "SELECT id, ts_rank(search_vector, CAST(:r AS tsquery)) AS rank FROM knowledge_articles "
                "WHERE status = 'published' AND search_vector @@ CAST(:q AS tsquery) ORDER BY rank DESC LIMIT 10"),
                {"q": query.strict, "r": query.loose})

    await _timed("knowledgeSearch service (definer fn, RLS)", ours, QUERIES)
    print(f"   mean hits per query: {statistics.mean(hits):.1f} of 10", flush=True)
    await _timed("knowledgeSuggestions while typing (prefix)", typing, QUERIES)
    await _timed("baseline: @@ directly as app role", direct, QUERIES[:10])
    async with db.transaction(scope) as session:
        q = seg.build_query("公积金怎么提取")
        plan = (await session.execute(text(
            "EXPLAIN (ANALYZE, COSTS OFF) SELECT * FROM knowledge_search(CAST(:q AS tsquery), CAST(:r AS tsquery), "
            ":t, NULL, NULL, NULL, NULL, CURRENT_DATE, 10)"), {"q": q.strict, "r": q.loose, "t": nanjing.tenant_id}
        )).scalars().all()
    print("   " + "\n   ".join(plan))


def _root() -> Any:
    from hotline.kernel.settings import PROJECT_ROOT

    return PROJECT_ROOT / "tenants"
