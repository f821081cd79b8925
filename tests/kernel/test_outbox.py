"""The outbox: a process killed between commit and publish, or between publish and marking, loses
nothing and doubles nothing once the relay and the worker run again."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import uuid
from typing import Any

import pytest
from sqlalchemy import text

from hotline.kernel.settings import PROJECT_ROOT
from tests.conftest import run_jobs, unique

RABBIT = os.environ.get("HOTLINE_TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672/")


def step(owner_url: str, *args: str) -> int:
    env = {**os.environ, "HOTLINE_DATABASE_URL": owner_url, "PYTHONPATH": str(PROJECT_ROOT)}
    return subprocess.run([sys.executable, "-m", "tests.kernel.crash_steps", *args], env=env, cwd=PROJECT_ROOT,
                          capture_output=True, timeout=120).returncode


def effects(owner_engine: Any, code: str) -> dict[str, int]:
    with owner_engine.connect() as conn:
        conn.execute(text("SET ROLE hotline_system"))
        tenant = conn.execute(text("SELECT tenant_id FROM tenants WHERE code = :c"), {"c": code}).scalar_one()
        row = conn.execute(text(
            "SELECT (SELECT count(*) FROM units WHERE tenant_id = :t) AS units, "
            "(SELECT count(*) FROM outbox_done WHERE tenant_id = :t) AS done, "
            "(SELECT count(*) FROM outbox WHERE tenant_id = :t AND published_at IS NULL) AS unpublished, "
            "(SELECT count(*) FROM audit_log WHERE tenant_id = :t AND action = 'unit.created') AS audited"),
            {"t": tenant}).one()
        return dict(row._mapping)


async def test_killed_after_commit_the_effect_happens_once_after_restart(owner_url: str, owner_engine: Any,
                                                                        stub_broker: Any) -> None:
    code = unique("crash-")
    assert await asyncio.to_thread(step, owner_url, "commit", code) == 17
    assert effects(owner_engine, code) == {"units": 0, "done": 0, "unpublished": 1, "audited": 0}
    await run_jobs(stub_broker)
    await run_jobs(stub_broker)  # a second pass finds nothing left to do
    assert effects(owner_engine, code) == {"units": 1, "done": 1, "unpublished": 0, "audited": 1}


def rabbit_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5672), timeout=2).close()
        return True
    except OSError:
        return False


@pytest.fixture
def rabbit() -> str:
    if not rabbit_reachable():
        if os.environ.get("CI"):
            pytest.fail("CI needs RabbitMQ on 127.0.0.1:5672 (guest/guest)")
        pytest.skip("no RabbitMQ on 127.0.0.1:5672: the AMQP path was not exercised")
    return RABBIT


async def test_killed_after_publishing_to_rabbitmq_a_redelivery_does_nothing_twice(
    owner_url: str, owner_engine: Any, rabbit: str, capfd: pytest.CaptureFixture[str]
) -> None:
    from dramatiq import Worker

    from hotline.kernel import jobs

    queue = f"hotline-test-{uuid.uuid4().hex[:8]}"
    code = unique("crash-")
    assert await asyncio.to_thread(step, owner_url, "commit", code) == 17
    assert await asyncio.to_thread(step, owner_url, "publish", rabbit, queue) == 18
    assert effects(owner_engine, code)["unpublished"] >= 1  # published to RabbitMQ, not marked
    broker = jobs.make_broker(rabbit, queue)
    try:
        assert await jobs.relay_once(broker) >= 1  # the restarted relay publishes again: two copies queued
        worker = Worker(broker, worker_threads=1)
        worker.start()
        try:
            await asyncio.to_thread(broker.join, queue, timeout=60_000)
            await asyncio.to_thread(worker.join)
        finally:
            await asyncio.to_thread(worker.stop)
        assert effects(owner_engine, code) == {"units": 1, "done": 1, "unpublished": 0, "audited": 1}
        assert "job.already_done" in capfd.readouterr().out  # the second copy was delivered and skipped
    finally:
        broker.channel.queue_delete(queue)  # type: ignore[attr-defined]
        for suffix in (".DQ", ".XQ"):
            broker.channel.queue_delete(queue + suffix)  # type: ignore[attr-defined]
        broker.close()
