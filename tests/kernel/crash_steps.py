"""Steps run in a child process that dies on purpose (used by test_outbox.py)."""

from __future__ import annotations

import asyncio
import os
import sys

from litestar.testing import AsyncTestClient

from hotline.app import create_app
from hotline.kernel import jobs, runtime
from hotline.workers import load_tasks

CREATE = ("mutation($i:CreateTenantInput!){createTenant(input:$i){__typename}}")
LOGIN = 'mutation { login(login:"js.admin", password:"lianxin-demo") { ... on LoginSuccess { token } } }'


async def commit_then_die(code: str) -> None:
    """Create a tenant through the API (committed with its outbox row), then die before any relay."""
    async with AsyncTestClient(create_app()) as client:
        token = (await client.post("/graphql", json={"query": LOGIN})).json()["data"]["login"]["token"]
        response = await client.post("/graphql", headers={"authorization": f"Bearer {token}"}, json={
            "query": CREATE, "variables": {"i": {"parentCode": "320100", "code": code, "name": "崩溃测试分中心",
                                                 "kind": "SUB_CENTRE"}}})
        assert response.json()["data"]["createTenant"]["__typename"] == "Tenant", response.text
    os._exit(17)


async def publish_then_die(broker_url: str, queue: str) -> None:
    """Publish the outbox rows to the broker, then die before marking them published."""
    load_tasks()
    broker = jobs.make_broker(broker_url, queue)
    await jobs.relay_once(broker, after_publish=lambda: os._exit(18))


if __name__ == "__main__":
    runtime.configure(os.environ["HOTLINE_DATABASE_URL"])
    step, *args = sys.argv[1:]
    asyncio.run(commit_then_die(*args) if step == "commit" else publish_then_die(*args))
