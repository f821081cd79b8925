"""Engines, sessions and the transaction edges.

Three database roles, three doors:
- the owner (the configured URL) runs migrations and nothing else;
- `hotline_app` serves people: owns nothing, cannot bypass RLS, sees only its transaction's scope;
- `hotline_system` serves the named cross-tenant paths (sign-in lookup, outbox relay, deadline
  sweeps, catalogue apply): its own policies let it see every tenant, and only those code paths use it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
from sqlalchemy import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from hotline.kernel.appends import AppendingSession
from hotline.kernel.scope import TenantScope, apply_scope
from hotline.kernel.settings import DatabaseSettings


def driver_url(url: str | URL, *, username: str | None = None, password: str | None = None) -> URL:
    """The same server and database, with psycopg 3 as the driver and optionally another role."""
    parsed = make_url(url) if isinstance(url, str) else url
    parsed = parsed.set(drivername="postgresql+psycopg")
    if username is not None:
        parsed = parsed.set(username=username, password=password)
    return parsed


async def driver_connection(session: AsyncSession) -> psycopg.AsyncConnection[Any]:
    """The psycopg connection under the session's transaction, for the two statements every request or
    intake runs (the scope, the order number): through SQLAlchemy's execution path each cost more CPU
    than the statement itself on the server. Whatever runs on it is part of the session's transaction."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver: psycopg.AsyncConnection[Any] = raw.driver_connection  # type: ignore[assignment]
    return driver


@dataclass
class Database:
    owner_url: URL
    app_engine: AsyncEngine
    system_engine: AsyncEngine

    @classmethod
    def connect(cls, owner_url: str, settings: DatabaseSettings) -> Database:
        owner = driver_url(owner_url)
        app = driver_url(owner, username=settings.app_role, password=settings.app_password)
        system = driver_url(owner, username=settings.system_role, password=settings.system_password)
        return cls(
            owner_url=owner,
            # No ping before each checkout: it is a round trip on every request. After a database restart
            # the first statement on a dead connection fails, SQLAlchemy then invalidates the whole pool,
            # and the next requests connect afresh; connections are also renewed every 30 minutes.
            app_engine=create_async_engine(app, pool_size=settings.pool_size, max_overflow=5, pool_recycle=1800),
            system_engine=create_async_engine(system, pool_size=4, max_overflow=4, pool_pre_ping=True),
        )

    def __post_init__(self) -> None:
        self._app_sessions = async_sessionmaker(self.app_engine, expire_on_commit=False,
                                                sync_session_class=AppendingSession)
        self._system_sessions = async_sessionmaker(self.system_engine, expire_on_commit=False,
                                                   sync_session_class=AppendingSession)

    @asynccontextmanager
    async def transaction(self, scope: TenantScope) -> AsyncIterator[AsyncSession]:
        """One transaction of the application role, scoped with `SET LOCAL` as its first statement.

        Commits when the block succeeds, rolls back everything when it raises.
        """
        async with self._app_sessions() as session, session.begin():
            await apply_scope(session, scope)
            yield session

    @asynccontextmanager
    async def system_transaction(self) -> AsyncIterator[AsyncSession]:
        """A cross-tenant transaction for the named system paths only (see module docstring)."""
        async with self._system_sessions() as session, session.begin():
            yield session

    async def dispose(self) -> None:
        await self.app_engine.dispose()
        await self.system_engine.dispose()
