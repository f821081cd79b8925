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

import datetime as dt
import functools
import json
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnDefault, Table, event, inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction, make_transient_to_detached

from hotline.kernel.models import Base

_KEY = "hotline.appends"
_NEW = "hotline.appends.new"  # rows of new ORM objects (`insert_new`), written before everything else
Rows = list[tuple[Table, dict[str, Any]]]


def append(session: AsyncSession | Session, model: type[Base], values: dict[str, Any]) -> None:
    """Queue one row of `model`'s table for the next flush. Give every column a value: rows of a table
    are inserted together and must have the same keys."""
    table = model.__table__
    assert isinstance(table, Table)
    session.info.setdefault(_KEY, []).append((table, values))


def insert_new(session: AsyncSession | Session, obj: Base) -> None:
    """Add a new object whose row is written like the appended rows, in their statement and ahead of
    them, instead of by the ORM's unit of work; the object is attached as if loaded, so later changes to
    it are tracked as updates. Meant for the busiest inserts (an order at intake). Every column gets its
    value now (column defaults filled in): the session never reads the row back."""
    mapper = inspect(obj).mapper
    values: dict[str, Any] = {}
    for attr in mapper.column_attrs:
        if attr.key not in obj.__dict__:
            default = attr.columns[0].default
            value = None
            if isinstance(default, ColumnDefault):
                value = default.arg(None) if default.is_callable else default.arg
            setattr(obj, attr.key, value)
        values[attr.columns[0].name] = getattr(obj, attr.key)
    make_transient_to_detached(obj)
    session.add(obj)
    session.info.setdefault(_NEW, []).append((mapper.local_table, values))


def statement(rows: Rows) -> tuple[str, tuple[str, ...]]:
    """One INSERT for all `rows` and its parameters: each table's rows travel as one JSON array, unpacked
    by `jsonb_populate_recordset`; the last table's insert carries the others as CTEs (PostgreSQL runs
    every data-modifying CTE to completion whether or not the statement reads it).

    Why JSON: a statement of a few short parameters keeps its text whatever the number of rows, so it is
    parsed and planned once per connection (psycopg prepares it), and binding one text per table costs
    less than binding some seventy values one by one."""
    tables: dict[Table, list[dict[str, Any]]] = {}
    for table, values in rows:
        tables.setdefault(table, []).append(values)
    shape: list[tuple[str, tuple[str, ...]]] = []
    params: list[str] = []
    for table, table_rows in tables.items():
        columns = tuple(table_rows[0])
        if any(tuple(values) != columns for values in table_rows):
            raise ValueError(f"rows appended to {table.name} must name the same columns in the same order")
        shape.append((table.name, columns))
        params.append(json.dumps(table_rows, ensure_ascii=False, default=_json_value))
    return _sql(tuple(shape)), tuple(params)


def _json_value(value: Any) -> str:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return "\\x" + value.hex()  # bytea's text form
    raise TypeError(f"cannot append a value of type {type(value).__name__}")


@functools.lru_cache(maxsize=256)
def _sql(shape: tuple[tuple[str, tuple[str, ...]], ...]) -> str:
    inserts = []
    for table, columns in shape:
        names = ", ".join(columns)
        inserts.append(f"INSERT INTO {table} ({names}) SELECT {names} "
                       f"FROM jsonb_populate_recordset(NULL::{table}, %s::jsonb)")
    ctes = [f"append_{i} AS ({sql})" for i, sql in enumerate(inserts[:-1])]
    return (f"WITH {', '.join(ctes)} " if ctes else "") + inserts[-1]


class AppendingSession(Session):
    """The ORM session of every transaction (kernel/database.py): its flush also writes appended rows."""

    def flush(self, objects: Sequence[Any] | None = None) -> None:
        rows: Rows = self.info.pop(_NEW, [])
        if rows and (self.new or self.dirty or self.deleted):
            # the ORM's changes may point at (or update) the new rows: those go first
            self._write(rows)
            rows = []
        super().flush(objects)
        self._write(rows + self.info.pop(_KEY, []))

    def _write(self, rows: Rows) -> None:
        if rows:
            self.connection().exec_driver_sql(*statement(rows))


@event.listens_for(AppendingSession, "before_commit")
def _flush_before_commit(session: Session) -> None:
    # The commit flushes only when ORM objects are pending; appended rows may be all there is.
    if session.info.get(_KEY) or session.info.get(_NEW):
        session.flush()


@event.listens_for(AppendingSession, "after_transaction_end")
def _drop_unwritten(session: Session, transaction: SessionTransaction) -> None:
    # Reached with rows still queued only by a rollback: every savepoint begins with a flush (so the queue
    # holds nothing from before it) and every commit ends with one.
    if transaction.nested or transaction.parent is None:  # not the flush's own inner transaction
        session.info.pop(_KEY, None)
        session.info.pop(_NEW, None)
