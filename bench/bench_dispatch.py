"""Dispatch: rule evaluation per order with 500 rules, and the classifier's accuracy and suggestion latency.

Goals (issue 4): ≤ 50 µs per order for the rules, ≤ 5 ms per classifier suggestion. The rules run in
memory exactly as at intake (`Engine.decide`); the baseline tests every rule on every order (no category
index). The classifier is trained on a synthetic corpus built from the national taxonomy's names (the
accuracy says the pipeline works; real accuracy comes from a tenant's own history, see
`dispatchClassifier.categoryAccuracy`).
"""

from __future__ import annotations

import csv
import random
import time
import uuid
from pathlib import Path

from hotline.dispatch import classifier
from hotline.dispatch.config import Item, merge
from hotline.dispatch.engine import Engine, NationalCategory
from hotline.dispatch.rules import Facts

TAXONOMY = Path(__file__).resolve().parents[1] / "platform" / "hotline" / "workorders" / "taxonomy" / "categories.csv"
WORDS = ["路灯", "噪音", "井盖", "漏水", "停电", "燃气", "拖欠工资", "占道", "垃圾", "违建", "油烟", "物业", "学位",
         "医保", "公交", "共享单车", "消防通道", "电梯", "供暖", "养老金"]
REQUEST_TYPES = ["consultation", "help", "complaint", "report", "suggestion", "praise"]
CHANNELS = ["phone", "web", "wechat", "app", "sms"]
PLACES = ["320102002", "320102003", "320104001", "320105001", "320106001"]


def national() -> dict[str, NationalCategory]:
    with TAXONOMY.open(encoding="utf-8") as f:
        return {r["code"]: NationalCategory(r["code"], r["parent_code"] or None, int(r["level"]), r["name"])
                for r in csv.DictReader(f)}


def synthetic_rules(n: int, codes: list[str], rng: random.Random) -> list[Item]:
    tenant = uuid.UUID(int=1)
    items = []
    for i in range(n):
        parts: list[dict[str, object]] = [{"keywords": {"words": rng.sample(WORDS, 2)}}]
        if i % 10:
            parts.insert(0, {"category": [rng.choice(codes)]})
        else:
            parts.append({"any": [{"time_of_day": {"from": "22:00", "to": "06:00"}}, {"holiday": True},
                                  {"caller": {"repeat": True}}]})
        if i % 3 == 0:
            parts.append({"request_type": rng.sample(REQUEST_TYPES, 2)})
        if i % 4 == 0:
            parts.append({"not": {"place": [rng.choice(PLACES)]}})
        if i % 25 == 0:
            parts.append({"pattern": r"(紧急|马上|立即).{0,6}(处理|解决)"})
        then = [{"type": "dispatch", "units": [{"unit": f"u{i % 40}", "role": "lead"}]}]
        if i % 7 == 0:
            then.append({"type": "set_level", "level": 2})
        items.append(Item(tenant, "rule", f"r{i}", False, False, i, {"name": f"r{i}", "when": {"all": parts},
                                                                        "then": then}))
    return items


def synthetic_orders(n: int, codes: list[str], rng: random.Random) -> list[Facts]:
    return [Facts(category=rng.choice(codes), request_type=rng.choice(REQUEST_TYPES), channel=rng.choice(CHANNELS),
                  division=rng.choice(PLACES), text=f"市民反映{rng.choice(WORDS)}问题，{rng.choice(WORDS)}也需要处理",
                  minute=rng.randrange(1440), weekday=rng.randint(1, 7), holiday=rng.random() < 0.3,
                  repeat=rng.random() < 0.2, enterprise=rng.random() < 0.1, confidential=False,
                  level=rng.randint(1, 4)) for _ in range(n)]


def bench_rules() -> None:
    rng = random.Random(12345)
    taxonomy = national()
    codes = [c for c, v in taxonomy.items() if v.level >= 2]
    tenant = uuid.UUID(int=1)
    items = synthetic_rules(500, codes, rng)
    merged = merge(tenant, (tenant,), {tenant: items})
    started = time.perf_counter()
    engine = Engine.build(tenant, (tenant,), taxonomy, merged)
    build_ms = (time.perf_counter() - started) * 1000
    orders = synthetic_orders(20_000, codes, rng)
    for facts in orders[:500]:
        engine.decide(facts)
    started = time.perf_counter()
    dispatched = sum(1 for facts in orders if engine.decide(facts).leads)
    per_order = (time.perf_counter() - started) / len(orders) * 1e6
    started = time.perf_counter()
    for facts in orders[:2000]:
        for rule in engine.rules:
            rule.test(facts)
    baseline = (time.perf_counter() - started) / 2000 * 1e6
    started = time.perf_counter()
    for facts in orders[:200]:
        engine.explain(facts)
    explain = (time.perf_counter() - started) / 200 * 1e3
    print(f"   rules: 500, orders: {len(orders)}, with lead units: {dispatched}")
    print(f"   compile 500 rules:                {build_ms:8.1f} ms")
    print(f"   decide per order (indexed):       {per_order:8.1f} µs   (goal ≤ 50 µs)")
    print(f"   every rule on every order:        {baseline:8.1f} µs   (baseline, {baseline / per_order:.1f}× slower)")
    print(f"   full explanation per order:       {explain:8.2f} ms")


def corpus(rng: random.Random) -> list[tuple[str, str, str | None]]:
    taxonomy = national()
    leaves = sorted(c for c, v in taxonomy.items() if v.level == 3)[:40]
    fillers = ["请尽快处理", "已经好几天了", "影响居民生活", "希望有关部门管一管", "多次反映未解决", "就在小区门口"]
    out = []
    for i, code in enumerate(leaves):
        name, parent = taxonomy[code].name, taxonomy[taxonomy[code].parent_code or code].name
        for _ in range(40):
            words = [name, rng.choice(WORDS[i % 5 * 4:(i % 5 + 1) * 4]), rng.choice(fillers), parent[:2]]
            rng.shuffle(words)
            out.append(("，".join(words), code, f"unit-{i % 12}"))
    rng.shuffle(out)
    return out


def bench_classifier() -> None:
    rng = random.Random(7)
    samples = corpus(rng)
    started = time.perf_counter()
    model, report = classifier.fit(samples)
    train_s = time.perf_counter() - started
    texts = [t for t, _, _ in samples[:500]]
    model.suggest(texts[0])
    started = time.perf_counter()
    for text in texts:
        model.suggest(text)
    per = (time.perf_counter() - started) / len(texts) * 1000
    print(f"   classifier: {report.samples} synthetic orders, 40 categories, 12 units, {report.folds}-fold CV")
    print(f"   category accuracy (CV):           {report.category_accuracy:8.3f}")
    print(f"   lead-unit accuracy (CV):          {report.unit_accuracy:8.3f}")
    print(f"   training incl. CV:                {train_s:8.1f} s")
    print(f"   one suggestion (top 3 + top 3):   {per:8.2f} ms   (goal ≤ 5 ms)")


async def main(owner_url: str) -> None:
    bench_rules()
    bench_classifier()


if __name__ == "__main__":
    bench_rules()
    bench_classifier()
