"""Background processes: the Dramatiq worker, the outbox relay and the scheduler.

`hotline run` starts all three inside the API process (in-process broker); production runs
`hotline worker` (RabbitMQ; each worker also relays the outbox) and `hotline scheduler`.
"""

from __future__ import annotations

import asyncio
import importlib
from dataclasses import dataclass, field

import dramatiq
from dramatiq import Worker

from hotline.kernel import jobs, scheduler
from hotline.kernel.settings import get_settings

# Modules whose import registers jobs and periodic tasks.
TASK_MODULES = ("hotline.tenancy.tasks", "hotline.workorders.tasks", "hotline.evaluation.tasks",
                "hotline.analytics.tasks", "hotline.dispatch.tasks", "hotline.workorders.sweep",
                "hotline.knowledge.tasks")


def load_tasks() -> None:
    for module in TASK_MODULES:
        importlib.import_module(module)


@dataclass
class Background:
    """The worker, relay and scheduler of one process, started and stopped together."""

    broker: dramatiq.Broker
    with_scheduler: bool = True
    worker_threads: int = 2
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    _worker: Worker | None = None
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    async def start(self) -> None:
        self._worker = Worker(self.broker, worker_threads=self.worker_threads)
        self._worker.start()
        interval = get_settings().jobs.relay_interval_seconds
        self._tasks.append(asyncio.create_task(jobs.relay_forever(self.broker, interval, self.stop)))
        if self.with_scheduler:
            self._tasks.append(asyncio.create_task(scheduler.run_scheduler(self.stop)))

    async def shutdown(self) -> None:
        self.stop.set()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._worker is not None:
            await asyncio.to_thread(self._worker.stop)
        self.broker.close()


def make_background(with_scheduler: bool = True) -> Background:
    load_tasks()
    broker = jobs.make_broker(get_settings().jobs.broker_url)
    return Background(broker, with_scheduler=with_scheduler)
