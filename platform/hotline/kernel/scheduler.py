"""The scheduler: periodic sweeps, safe to run twice (one PostgreSQL advisory lock elects the runner).

Deadlines are columns, not timers: a periodic task sweeps what is due through an index.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import structlog
from sqlalchemy import text

from hotline.kernel import runtime

log = structlog.get_logger(__name__)
LOCK_KEY = 0x12345  # the scheduler's advisory lock
Task = Callable[[], Awaitable[object]]


@dataclass
class Periodic:
    name: str
    every_seconds: float
    fn: Task
    next_at: float = 0.0


_tasks: dict[str, Periodic] = {}


def periodic(name: str, every_seconds: float) -> Callable[[Task], Task]:
    def register(fn: Task) -> Task:
        _tasks[name] = Periodic(name, every_seconds, fn)
        return fn

    return register


async def run_due(now: float | None = None) -> list[str]:
    """Run every task whose time has come; returns their names."""
    now = time.monotonic() if now is None else now
    ran = []
    for task in _tasks.values():
        if task.next_at <= now:
            task.next_at = now + task.every_seconds
            try:
                await task.fn()
            except Exception:  # one failing sweep must not stop the others
                log.exception("scheduler.task_failed", task=task.name)
            ran.append(task.name)
    return ran


async def run_scheduler(stop: asyncio.Event, tick: float = 1.0) -> None:
    """Hold the advisory lock on a connection of its own and tick; a second scheduler waits its turn."""
    engine = runtime.database().system_engine
    async with engine.connect() as conn:
        while not stop.is_set():
            locked = (await conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY})).scalar()
            await conn.commit()
            if locked:
                break
            await sleep_unless_stopped(stop, 5.0)
        log.info("scheduler.leading")
        while not stop.is_set():
            await run_due()
            await sleep_unless_stopped(stop, tick)


async def sleep_unless_stopped(stop: asyncio.Event, seconds: float) -> None:
    """Wait `seconds`, or less if `stop` is set meanwhile."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
