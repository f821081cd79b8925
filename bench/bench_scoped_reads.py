"""Cost of the tenancy machinery on a read: the GraphQL `tenants` query for a city admin (sign-in
lookup on the system role, one scoped transaction, RLS) against the same rows read with raw psycopg
in one transaction, side by side at 16 concurrent clients."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import psycopg
from litestar.testing import AsyncTestClient

from hotline.app import create_app
from hotline.kernel import runtime
from hotline.kernel.database import driver_url
from hotline.kernel.settings import PROJECT_ROOT
from hotline.tenancy import catalogue

CLIENTS, PER_CLIENT = 16, 40
QUERY = "{ tenants { code name } }"


async def measure(label: str, once: Callable[[], Awaitable[Any]]) -> float:
    latencies: list[float] = []

    async def client() -> None:
        for _ in range(PER_CLIENT):
            started = time.perf_counter()
            await once()
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*[client() for _ in range(CLIENTS)])
    elapsed = time.perf_counter() - started
    latencies.sort()
    rate = len(latencies) / elapsed
    print(f"   {label:<28} {rate:8.0f} req/s   p50 {statistics.median(latencies) * 1000:6.1f} ms"
          f"   p99 {latencies[int(len(latencies) * 0.99)] * 1000:6.1f} ms")
    return rate


async def main(owner_url: str) -> None:
    async with runtime.database().system_transaction() as session:
        await catalogue.apply(session, PROJECT_ROOT / "tenants")
    raw_url = driver_url(owner_url).set(drivername="postgresql").render_as_string(hide_password=False)
    pool = [await psycopg.AsyncConnection.connect(raw_url) for _ in range(CLIENTS)]
    free: asyncio.Queue[psycopg.AsyncConnection[Any]] = asyncio.Queue()
    for conn in pool:
        free.put_nowait(conn)

    async def raw() -> None:
        conn = await free.get()
        try:
            async with conn.transaction():
                cur = await conn.execute("SELECT code, name FROM tenants WHERE code LIKE '3201%' ORDER BY code")
                await cur.fetchall()
        finally:
            free.put_nowait(conn)

    async with AsyncTestClient(create_app()) as http:
        login = await http.post("/graphql", json={"query": 'mutation { login(login:"nj.admin", password:'
                                                            '"lianxin-demo") { ... on LoginSuccess { token } } }'})
        headers = {"authorization": f"Bearer {login.json()['data']['login']['token']}"}

        async def graphql() -> None:
            response = await http.post("/graphql", json={"query": QUERY}, headers=headers)
            assert response.status_code == 200

        baseline = await measure("raw psycopg (owner, no RLS)", raw)
        ours = await measure("GraphQL tenants (scoped)", graphql)
    print(f"   ratio GraphQL / raw: {ours / baseline:.2f}")
    for conn in pool:
        await conn.close()
