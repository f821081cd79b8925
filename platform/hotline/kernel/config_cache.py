"""A process-wide cache of effective configuration per tenant (calendars, deadline policies, …) and of
the rows intake reads on every order (the acting tenant, known categories and divisions).

Building a tenant's effective configuration reads its chain of ancestors, partly on the system role;
intake does it on every order. Entries live `HOTLINE_CONFIG_CACHE_SECONDS` (default 30). A flush that
touches a watched configuration table empties the cache at once in this process, and the session that
wrote it neither reads nor fills the cache until it commits or rolls back (so no uncommitted configuration
is ever shared); other processes see a change within the time-to-live.
"""

from __future__ import annotations

import os
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

_DIRTY = "hotline.config_dirty"
_entries: dict[tuple[str, Hashable], tuple[float, Any]] = {}
_watched: set[type] = set()


def ttl() -> float:
    return float(os.environ.get("HOTLINE_CONFIG_CACHE_SECONDS", "30"))


def get(session: Any, kind: str, key: Hashable) -> Any | None:
    """The cached value of `kind` for `key` (a tenant id, a reference code), or None."""
    if session.info.get(_DIRTY):
        return None
    entry = _entries.get((kind, key))
    if entry is None or entry[0] < time.monotonic():
        return None
    return entry[1]


def put(session: Any, kind: str, key: Hashable, value: Any) -> None:
    if not session.info.get(_DIRTY) and ttl() > 0:
        _entries[(kind, key)] = (time.monotonic() + ttl(), value)


async def known(session: Any, kind: str, key: Hashable, exists: Callable[[], Awaitable[bool]]) -> bool:
    """Whether a reference row exists (a category, a division): a yes is cached, a no is asked again
    each time (reference data is added by the catalogue; an unknown code is rare and refused)."""
    if get(session, kind, key):
        return True
    found = await exists()
    if found:
        put(session, kind, key, True)
    return found


def clear() -> None:
    _entries.clear()


def watch(*models: type) -> None:
    """Configuration tables whose changes must empty the cache."""
    _watched.update(models)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    touched = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(obj, tuple(_watched)) for obj in touched):
        session.info[_DIRTY] = True
        clear()


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _after_end(session: Session, *_args: Any) -> None:
    if session.info.pop(_DIRTY, False):
        clear()
