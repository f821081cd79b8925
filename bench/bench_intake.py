"""Issue 3 figure: intake through GraphQL `createWorkOrder` (validation, numbering, encrypted phone,
deadlines, audit, outbox) against a baseline endpoint in the same server doing the same inserts with raw
psycopg in one transaction; 16 concurrent clients over HTTP, side by side in one run, in alternating rounds."""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import text

from bench.server import bench_server, cpu_seconds
from hotline.kernel import runtime
from hotline.kernel.settings import PROJECT_ROOT
from hotline.tenancy import catalogue

CLIENTS = 16
REQUESTS = int(os.environ.get("BENCH_INTAKE_REQUESTS", "1800"))
ROUNDS = 3
CREATE = """mutation($i: CreateWorkOrderInput!) { createWorkOrder(input: $i) {
  __typename ... on WorkOrder { number } ... on ValidationErrors { errors { path code } } } }"""


async def load(once: Callable[[int], Awaitable[None]], requests: int) -> tuple[float, list[float]]:
    """`requests` calls from CLIENTS concurrent clients: the seconds it took and each call's latency."""
    latencies: list[float] = []
    counter = iter(range(requests))

    async def client() -> None:
        for i in counter:
            started = time.perf_counter()
            await once(i)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*[client() for _ in range(CLIENTS)])
    return time.perf_counter() - started, latencies


def report(label: str, seconds: float, latencies: list[float]) -> float:
    rate = len(latencies) / seconds
    latencies.sort()
    print(f"   {label:<34} {rate:7.0f} orders/s   p50 {statistics.median(latencies) * 1000:6.1f} ms"
          f"   p99 {latencies[int(len(latencies) * 0.99)] * 1000:6.1f} ms", flush=True)
    return rate


def order(i: int) -> dict[str, Any]:
    street = random.choice(["320102002", "320102003", "320104001", "320106001"])
    return {"channel": "PHONE", "requestType": "COMPLAINT", "title": f"夜间施工噪音扰民 {i}",
            "content": "工地每天夜里十一点后仍在施工，噪音很大，影响休息，希望有关部门处理。",
            "responseLevel": 3, "location": {"divisionCode": street, "address": f"中山路{i}号"},
            "caller": {"phone": f"138{random.randint(0, 99_999_999):08d}", "name": "王先生"}}


async def main(owner_url: str) -> None:
    async with runtime.database().system_transaction() as session:
        await catalogue.apply(session, PROJECT_ROOT / "tenants")
        category = (await session.execute(text("SELECT code FROM categories WHERE level = 3 ORDER BY code LIMIT 1"))
                    ).scalar_one()
        tenant_id, user_id = (await session.execute(text(
            "SELECT u.tenant_id, u.id FROM users u WHERE u.login = 'nj.agent'"))).one()
    await runtime.close_database()
    async with bench_server(owner_url, CLIENTS) as (http, server):
        login = await http.post("/graphql", json={"query": 'mutation { login(login:"nj.agent", password:'
                                                           '"lianxin-demo") { ... on LoginSuccess { token } } }'})
        headers = {"authorization": f"Bearer {login.json()['data']['login']['token']}"}

        async def graphql(i: int) -> None:
            data = order(i) | {"categoryCode": category}
            body = (await http.post("/graphql", json={"query": CREATE, "variables": {"i": data}},
                                    headers=headers)).json()
            assert body["data"]["createWorkOrder"]["__typename"] == "WorkOrder", body

        async def raw(i: int) -> None:
            o = order(i)
            response = await http.post("/bench/baseline-intake", json={
                "tenant_id": str(tenant_id), "user_id": str(user_id), "channel": "phone",
                "request_type": "complaint", "category": category, "title": o["title"], "content": o["content"],
                "division": o["location"]["divisionCode"], "address": o["location"]["address"],
                "name": "王先生", "phone": o["caller"]["phone"]})
            assert response.status_code == 201, response.text

        report("warm-up (GraphQL)", *await load(graphql, REQUESTS // ROUNDS))
        # The two sides alternate in rounds, so a change of load on the machine falls on both alike.
        totals: dict[str, tuple[float, list[float]]] = {"raw": (0.0, []), "graphql": (0.0, [])}
        cpu = {"raw": [0.0, 0.0], "graphql": [0.0, 0.0]}  # the server's, the machine's
        for _ in range(ROUNDS):
            for side, once in (("raw", raw), ("graphql", graphql)):
                before = cpu_seconds(server), cpu_seconds()
                seconds, latencies = await load(once, REQUESTS // ROUNDS)
                cpu[side][0] += cpu_seconds(server) - before[0]
                cpu[side][1] += cpu_seconds() - before[1]
                totals[side] = (totals[side][0] + seconds, totals[side][1] + latencies)
        baseline = report("baseline: raw psycopg inserts", *totals["raw"])
        ours = report("GraphQL createWorkOrder", *totals["graphql"])
        for side, label in (("raw", "baseline"), ("graphql", "GraphQL")):
            count = len(totals[side][1])
            print(f"   CPU per request, {label:<8}  server {cpu[side][0] / count * 1000:5.2f} ms   whole machine "
                  f"(client, server, PostgreSQL) {cpu[side][1] / count * 1000:5.2f} ms", flush=True)
        print(f"   ratio GraphQL / baseline: {ours / baseline:.2f}  (goal ≥ 0.70; {ROUNDS} alternating rounds of "
              f"{REQUESTS // ROUNDS} each)", flush=True)
