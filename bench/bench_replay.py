"""Issue 3 figure: whole lifecycles (intake → dispatch → sign → reply → accept → callback → archive)
through GraphQL for many orders across 20 tenants, 16 concurrent clients; orders per second end to end.

BENCH_REPLAY_ORDERS sets how many (the issue's figure is 10,000; the default keeps `make bench` short)."""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import yaml
from sqlalchemy import text

from bench.server import bench_server
from hotline.kernel import runtime
from hotline.kernel.settings import PROJECT_ROOT
from hotline.tenancy import catalogue

TENANTS, CLIENTS = 20, 16
ORDERS = int(os.environ.get("BENCH_REPLAY_ORDERS", "1000"))
PASSWORD = "bench-password-1"
ROLES = ("agent", "dispatcher", "handler", "callback")
RESULT = "__typename ... on WorkOrder { id state assignments { id } } ... on ValidationErrors { errors { path code } }"
STEPS = {
    "create": "mutation($i:CreateWorkOrderInput!){ r: createWorkOrder(input:$i) { " + RESULT + " } }",
    "dispatch": "mutation($i:DispatchInput!){ r: dispatchWorkOrder(input:$i) { " + RESULT + " } }",
    "sign": "mutation($a:UUID!){ r: signForAssignment(assignmentId:$a) { " + RESULT + " } }",
    "reply": 'mutation($a:UUID!){ r: replyToWorkOrder(assignmentId:$a, result:RESOLVED, text:"已处理完毕") { '
             + RESULT + " } }",
    "accept": "mutation($a:UUID!){ r: acceptReply(assignmentId:$a) { " + RESULT + " } }",
    "callback": "mutation($o:UUID!){ r: recordCallback(orderId:$o, input:{reached:true, resolved:true, "
                "satisfaction:SATISFIED}) { " + RESULT + " } }",
    "archive": "mutation($o:UUID!){ r: archiveWorkOrder(orderId:$o) { " + RESULT + " } }",
}


def bench_catalogue(directory: Path) -> None:
    """20 sub-centres under 南京, each with a street unit and its four kinds of staff."""
    tenants = []
    for n in range(TENANTS):
        code = f"bench-{n:02d}"
        roles = {"agent": ["agent"], "dispatcher": ["dispatcher"], "callback": ["callback_agent"],
                 "handler": [{"role": "unit_handler", "unit": "street"}]}
        tenants.append({"code": code, "name": f"压测分中心{n}", "kind": "sub_centre", "parent": "320100",
                        "units": [{"code": "street", "name": "测试街道", "kind": "street", "division": "320102003"}],
                        "users": [{"login": f"{code}.{r}", "name": r, "password": PASSWORD, "roles": roles[r]}
                                  for r in ROLES]})
    (directory / "bench.yaml").write_text(yaml.safe_dump({"tenants": tenants}, allow_unicode=True), encoding="utf-8")


async def main(owner_url: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for path in (PROJECT_ROOT / "tenants").glob("*.yaml"):
            (Path(tmp) / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        bench_catalogue(Path(tmp))
        async with runtime.database().system_transaction() as session:
            await catalogue.apply(session, Path(tmp))
            category = (await session.execute(text(
                "SELECT code FROM categories WHERE level = 3 ORDER BY code LIMIT 1"))).scalar_one()
    await runtime.close_database()
    async with bench_server(owner_url, CLIENTS) as (http, _):
        tokens = await sign_in(http)
        await replay(http, tokens, category)


async def sign_in(http: httpx.AsyncClient) -> dict[str, str]:
    tokens = {}
    for n in range(TENANTS):
        for role in ROLES:
            login = f"bench-{n:02d}.{role}"
            body = (await http.post("/graphql", json={
                "query": "mutation($l:String!,$p:String!){login(login:$l,password:$p){... on LoginSuccess{token}}}",
                "variables": {"l": login, "p": PASSWORD}})).json()
            tokens[login] = body["data"]["login"]["token"]
    return tokens


async def replay(http: httpx.AsyncClient, tokens: dict[str, str], category: str) -> None:
    async def call(login: str, step: str, variables: dict[str, Any]) -> dict[str, Any]:
        body = (await http.post("/graphql", json={"query": STEPS[step], "variables": variables},
                                headers={"authorization": f"Bearer {tokens[login]}"})).json()
        result: dict[str, Any] = body["data"]["r"]
        assert result["__typename"] == "WorkOrder", (step, body)
        return result

    async def lifecycle(i: int) -> None:
        who = f"bench-{i % TENANTS:02d}"
        order = await call(f"{who}.agent", "create", {"i": {
            "channel": "PHONE", "requestType": "HELP", "categoryCode": category, "title": f"路灯不亮 {i}",
            "content": "小区门口路灯坏了一周，晚上出行不便。", "responseLevel": 4,
            "caller": {"phone": f"139{i:08d}"}}})
        dispatch = {"orderId": order["id"], "leadUnitCodes": ["street"]}
        order = await call(f"{who}.dispatcher", "dispatch", {"i": dispatch})
        assignment = order["assignments"][0]["id"]
        await call(f"{who}.handler", "sign", {"a": assignment})
        await call(f"{who}.handler", "reply", {"a": assignment})
        await call(f"{who}.dispatcher", "accept", {"a": assignment})
        await call(f"{who}.callback", "callback", {"o": order["id"]})
        done = await call(f"{who}.callback", "archive", {"o": order["id"]})
        assert done["state"] == "ARCHIVED", done

    numbers = iter(range(ORDERS))

    async def client() -> None:
        for i in numbers:
            await lifecycle(i)

    started = time.perf_counter()
    await asyncio.gather(*[client() for _ in range(CLIENTS)])
    elapsed = time.perf_counter() - started
    print(f"   {ORDERS} lifecycles over {TENANTS} tenants in {elapsed:.1f} s: {ORDERS / elapsed:.1f} orders/s, "
          f"{ORDERS * len(STEPS) / elapsed:.0f} mutations/s", flush=True)
