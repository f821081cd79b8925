"""Append-only rows (timeline events, audit records, outbox messages), written by one statement per flush.

Why not ORM objects: every step of every domain writes two or three such rows, and the ORM's unit of
work costs more per object than the insert itself (identity map, per-table sort, one INSERT per table).
The rows are never updated by the request that writes them, so they need none of that: `append` keeps
them on the session, and the session's flush writes them after its ORM objects (their foreign keys point
at those), all tables in one statement (data-modifying CTEs).

They follow the transaction exactly as ORM objects would:
- a flush writes them: explicit, before a query (autoflush), before a savepoint (begin_nested flushes),
  and at commit (`before_commit` below), so a query sees them and a commit never drops them;
- a savepoint or transaction that rolls back drops those not yet written; those written are rolled back
  by the database. Nothing is held across a transaction's end.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Insert, Table, event, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

from hotline.kernel.models import Base

_KEY = "hotline.appends"
Rows = list[tuple[Table, dict[str, Any]]]


def append(session: AsyncSession | Session, model: type[Base], values: dict[str, Any]) -> None:
    """Queue one row of `model`'s table for the next flush. Give every column a value: rows of a table
    are inserted together and must have the same keys."""
    table = model.__table__
    assert isinstance(table, Table)
    session.info.setdefault(_KEY, []).append((table, values))


def statement(rows: Rows) -> Insert:
    """One INSERT for all `rows`: the last table's insert carries the others as CTEs (PostgreSQL runs
    every data-modifying CTE to completion whether or not the statement reads it)."""
    tables: dict[Table, list[dict[str, Any]]] = {}
    for table, values in rows:
        tables.setdefault(table, []).append(values)
    inserts = [insert(table).values(values) for table, values in tables.items()]
    main = inserts[-1]
    for i, other in enumerate(inserts[:-1]):
        main = main.add_cte(other.cte(f"append_{i}"))
    return main


class AppendingSession(Session):
    """The ORM session of every transaction (kernel/database.py): its flush also writes appended rows."""

    def flush(self, objects: Sequence[Any] | None = None) -> None:
        super().flush(objects)
        rows: Rows | None = self.info.pop(_KEY, None)
        if rows:
            self.connection().execute(statement(rows))


@event.listens_for(AppendingSession, "before_commit")
def _flush_before_commit(session: Session) -> None:
    # The commit flushes only when ORM objects are pending; appended rows may be all there is.
    if session.info.get(_KEY):
        session.flush()


@event.listens_for(AppendingSession, "after_transaction_end")
def _drop_unwritten(session: Session, transaction: SessionTransaction) -> None:
    # Reached with rows still queued only by a rollback: every savepoint begins with a flush (so the queue
    # holds nothing from before it) and every commit ends with one.
    if transaction.nested or transaction.parent is None:  # not the flush's own inner transaction
        session.info.pop(_KEY, None)
