"""Test fixtures: a fresh database on a real PostgreSQL with the real migrations and demo catalogue.

The server is the embedded one (data kept in .data/test-pg, a fresh database per run) unless
HOTLINE_TEST_DATABASE_URL names another server (CI also runs the suite against PostgreSQL 15 that way).
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import create_engine, make_url, pool, text

from hotline.kernel import migrate, runtime
from hotline.kernel.database import driver_url
from hotline.kernel.settings import PROJECT_ROOT, get_settings

DEMO_PASSWORD = "lianxin-demo"


def server_url() -> str:
    configured = os.environ.get("HOTLINE_TEST_DATABASE_URL")
    if configured:
        return configured
    from hotline.kernel.embedded import start_embedded

    url, _server = start_embedded(PROJECT_ROOT / ".data" / "test-server")
    return url


def create_database(server: str, name: str) -> str:
    engine = create_engine(driver_url(server), poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return str(make_url(server).set(database=name).render_as_string(hide_password=False))


def drop_database(server: str, name: str) -> None:
    engine = create_engine(driver_url(server), poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(scope="session")
def pg_server() -> str:
    return server_url()


@pytest.fixture(scope="session")
def owner_url(pg_server: str) -> Iterator[str]:
    """A migrated database with the demo catalogue applied, dropped at the end of the run."""
    name = f"hotline_test_{uuid.uuid4().hex[:10]}"
    url = create_database(pg_server, name)
    migrate.upgrade(url)
    migrate.set_role_passwords(url, get_settings().database)
    runtime.configure(url)
    asyncio.run(_apply_demo_catalogue())
    yield url
    drop_database(pg_server, name)


async def _apply_demo_catalogue() -> None:
    from hotline.tenancy import catalogue

    async with runtime.database().system_transaction() as session:
        await catalogue.apply(session, PROJECT_ROOT / "tenants")
    await runtime.close_database()


@pytest.fixture(scope="session")
def owner_engine(owner_url: str) -> Any:
    engine = create_engine(driver_url(owner_url), poolclass=pool.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def app_engine(owner_url: str) -> Any:
    """A synchronous connection as the application role, for tests written in plain SQL."""
    settings = get_settings().database
    engine = create_engine(driver_url(owner_url, username=settings.app_role, password=settings.app_password),
                           poolclass=pool.NullPool)
    yield engine
    engine.dispose()


class Api:
    """A GraphQL client over the real HTTP stack, signed in per call by token."""

    def __init__(self, client: AsyncTestClient[Any]) -> None:
        self.client = client
        self._tokens: dict[str, str] = {}

    async def token(self, login: str, password: str = DEMO_PASSWORD) -> str:
        if login not in self._tokens:
            data = await self.gql(
                "mutation($l:String!,$p:String!){login(login:$l,password:$p){__typename "
                "... on LoginSuccess{token} ... on ValidationErrors{errors{path message code}}}}",
                {"l": login, "p": password})
            assert data["login"]["__typename"] == "LoginSuccess", data
            self._tokens[login] = data["login"]["token"]
        return self._tokens[login]

    async def raw(self, query: str, variables: dict[str, Any] | None = None, *, as_user: str | None = None,
                  tenant: str | None = None) -> dict[str, Any]:
        headers = {}
        if as_user:
            headers["authorization"] = f"Bearer {await self.token(as_user)}"
        if tenant:
            headers["x-hotline-tenant"] = tenant
        response = await self.client.post("/graphql", json={"query": query, "variables": variables or {}},
                                          headers=headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def gql(self, query: str, variables: dict[str, Any] | None = None, *, as_user: str | None = None,
                  tenant: str | None = None) -> dict[str, Any]:
        body = await self.raw(query, variables, as_user=as_user, tenant=tenant)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data


@pytest.fixture(scope="session")
async def client(owner_url: str) -> AsyncIterator[AsyncTestClient[Any]]:
    from hotline.app import create_app

    async with AsyncTestClient(create_app()) as test_client:
        yield test_client


@pytest.fixture(scope="session")
async def api(client: AsyncTestClient[Any]) -> Api:
    return Api(client)


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="session")
def stub_broker() -> Any:
    """The in-process broker with every job declared (what `hotline run` uses)."""
    from hotline.kernel.jobs import make_broker
    from hotline.workers import load_tasks

    load_tasks()
    return make_broker("", max_retries=0)  # a failing job fails its test at once instead of backing off


async def run_jobs(broker: Any) -> int:
    """Relay every committed outbox row and let a real Dramatiq worker process them; returns how many."""
    from dramatiq import Worker

    from hotline.kernel.jobs import QUEUE, relay_once

    published = 0
    while batch := await relay_once(broker):  # every pending row, however many earlier tests left
        published += batch
    worker = Worker(broker, worker_threads=1)
    worker.start()
    try:
        await asyncio.to_thread(broker.join, QUEUE, fail_fast=True)
        await asyncio.to_thread(worker.join)
    finally:
        await asyncio.to_thread(worker.stop)
    return published
