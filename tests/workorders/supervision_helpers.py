"""The console's named supervision operations (graphql/operations/supervision.graphql) and shared steps."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from graphql import parse, print_ast
from graphql.utilities import separate_operations
from sqlalchemy import text

from hotline.kernel.settings import PROJECT_ROOT
from tests.conftest import Api, run_jobs

OPERATIONS_FILE = PROJECT_ROOT / "graphql" / "operations" / "supervision.graphql"
OPS: dict[str, str] = {name: print_ast(doc) for name, doc in
                       separate_operations(parse(OPERATIONS_FILE.read_text())).items()}
CGJ = "nj-cgj"  # 市城管局, handled by nj.cgj


async def op(api: Api, name: str, variables: dict[str, Any] | None = None, *, as_user: str) -> dict[str, Any]:
    return await api.gql(OPS[name], variables or {}, as_user=as_user)


def set_columns(owner_engine: Any, table: str, row_id: str, **values: Any) -> None:
    """Move a row's deadline columns (as the owner, like a clock that has run on)."""
    assignments = ", ".join(f"{k} = :{k}" for k in values)
    with owner_engine.begin() as conn:
        conn.execute(text(f"UPDATE {table} SET {assignments} WHERE id = :id"), {"id": row_id, **values})


def rows(owner_engine: Any, sql: str, **params: Any) -> list[Any]:
    with owner_engine.connect() as conn:
        return list(conn.execute(text(sql), params).all())


def notices_of(owner_engine: Any, order_id: str) -> list[Any]:
    return rows(owner_engine, "SELECT id, level, state, reason, deadline_kind, unit_id, automatic, escalated_from_id "
                "FROM supervision_notices WHERE order_id = :o ORDER BY id", o=order_id)


def timeline_actions(owner_engine: Any, order_id: str) -> list[str]:
    return [r[0] for r in rows(owner_engine, "SELECT action FROM work_order_events WHERE order_id = :o ORDER BY id",
                               o=order_id)]


def audit_actions(owner_engine: Any, notice_id: uuid.UUID | str) -> list[str]:
    return [r[0] for r in rows(owner_engine, "SELECT action FROM audit_log WHERE object_type = 'supervision_notice' "
                               "AND object_id = :i ORDER BY id", i=str(notice_id))]


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def drain(broker: Any) -> None:
    """Relay and run every pending outbox row (a relay pass publishes at most 200)."""
    while await run_jobs(broker):
        pass
