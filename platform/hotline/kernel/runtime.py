"""The process's database handles: one per event loop, since async connections belong to their loop.

The API's loop and the worker's loop (Dramatiq's AsyncIO middleware runs its own) each get theirs.
"""

from __future__ import annotations

import asyncio

from hotline.kernel.database import Database
from hotline.kernel.settings import get_settings

_owner_url: str | None = None
_databases: dict[int, Database] = {}


def configure(owner_url: str) -> None:
    global _owner_url
    _owner_url = owner_url


def owner_url() -> str:
    if _owner_url is None:
        raise RuntimeError("the database is not configured: call hotline.kernel.runtime.configure() first")
    return _owner_url


def database() -> Database:
    loop_id = id(asyncio.get_running_loop())
    db = _databases.get(loop_id)
    if db is None:
        db = _databases[loop_id] = Database.connect(owner_url(), get_settings().database)
    return db


async def close_database() -> None:
    db = _databases.pop(id(asyncio.get_running_loop()), None)
    if db is not None:
        await db.dispose()
