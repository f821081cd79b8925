"""Audit records and outbox messages are appended rows, written by the session's flush: they follow the
transaction exactly as the ORM's own rows do — kept when it commits, gone with a savepoint that rolls
back, visible to a query in the same transaction, invisible to another tenant."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import text

from hotline.kernel import appends, audit, outbox, runtime
from hotline.kernel.context import Actor
from hotline.kernel.ids import new_id
from hotline.kernel.scope import TenantScope
from hotline.tenancy.models import Unit
from tests.conftest import Api, unique

ACTOR = Actor.system("appends test")


def tenant_id(owner_engine: Any, code: str) -> uuid.UUID:
    with owner_engine.connect() as conn:
        conn.execute(text("SET ROLE hotline_system"))
        found: uuid.UUID = conn.execute(text("SELECT tenant_id FROM tenants WHERE code = :c"), {"c": code}).scalar_one()
        return found


def audited(owner_engine: Any, action: str) -> list[str | None]:
    with owner_engine.connect() as conn:
        return list(conn.execute(text("SELECT object_id FROM audit_log WHERE action = :a ORDER BY id"),
                                 {"a": action}).scalars())


async def test_rows_appended_alone_are_written_at_commit_and_seen_by_a_query_before_it(
        api: Api, owner_engine: Any) -> None:
    nanjing, action = tenant_id(owner_engine, "320100"), unique("test.alone")
    async with runtime.database().transaction(TenantScope.single(nanjing)) as session:
        audit.record(session, nanjing, ACTOR, action, ("thing", "a"))
        # no ORM object is pending, yet a query in the same transaction sees the row (autoflush)
        assert (await session.execute(text("SELECT count(*) FROM audit_log WHERE action = :a"), {"a": action})
                ).scalar_one() == 1
        audit.record(session, nanjing, ACTOR, action, ("thing", "b"))  # queued after the last flush
    assert audited(owner_engine, action) == ["a", "b"]


async def test_a_savepoint_that_rolls_back_takes_its_appended_rows_with_it(api: Api, owner_engine: Any) -> None:
    nanjing, action = tenant_id(owner_engine, "320100"), unique("test.savepoint")
    async with runtime.database().transaction(TenantScope.single(nanjing)) as session:
        audit.record(session, nanjing, ACTOR, action, ("thing", "before"))
        with pytest.raises(RuntimeError):
            async with session.begin_nested():
                audit.record(session, nanjing, ACTOR, action, ("thing", "flushed inside"))
                await session.flush()
                audit.record(session, nanjing, ACTOR, action, ("thing", "queued inside"))
                raise RuntimeError("the step fails")
        async with session.begin_nested():
            audit.record(session, nanjing, ACTOR, action, ("thing", "kept inside"))
        audit.record(session, nanjing, ACTOR, action, ("thing", "after"))
    assert audited(owner_engine, action) == ["before", "kept inside", "after"]


async def test_a_transaction_that_rolls_back_writes_nothing_and_leaves_nothing_queued(
        api: Api, owner_engine: Any) -> None:
    nanjing, action = tenant_id(owner_engine, "320100"), unique("test.rollback")
    with pytest.raises(RuntimeError):
        async with runtime.database().transaction(TenantScope.single(nanjing)) as session:
            audit.record(session, nanjing, ACTOR, action, ("thing", "lost"))
            message = outbox.enqueue(session, nanjing, "test.never_sent", {"action": action})
            assert (await session.execute(text("SELECT count(*) FROM outbox WHERE id = :i"), {"i": message})
                    ).scalar_one() == 1
            audit.record(session, nanjing, ACTOR, action, ("thing", "queued"))
            raise RuntimeError("the request fails")
    assert "hotline.appends" not in session.info
    assert audited(owner_engine, action) == []
    with owner_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM outbox WHERE id = :i"), {"i": message}).scalar_one() == 0


async def test_a_row_for_another_tenant_fails_the_whole_transaction(api: Api, owner_engine: Any) -> None:
    nanjing, suzhou = tenant_id(owner_engine, "320100"), tenant_id(owner_engine, "320500")
    action = unique("test.other_tenant")
    with pytest.raises(Exception, match="row-level security"):
        async with runtime.database().transaction(TenantScope.single(nanjing)) as session:
            audit.record(session, nanjing, ACTOR, action, ("thing", "mine"))
            audit.record(session, suzhou, ACTOR, action, ("thing", "theirs"))
    assert audited(owner_engine, action) == []


async def test_a_new_object_written_with_the_appended_rows_is_then_tracked_like_a_loaded_one(
        api: Api, owner_engine: Any) -> None:
    nanjing, code = tenant_id(owner_engine, "320100"), unique("U")
    with pytest.raises(RuntimeError):
        async with runtime.database().transaction(TenantScope.single(nanjing)) as session:
            parent = Unit(tenant_id=nanjing, id=new_id(), code=code, name="测试街道", kind="street")
            appends.insert_new(session, parent)
            assert parent.active is True  # the column's default, filled in at once
            audit.record(session, nanjing, ACTOR, "unit.created", ("unit", parent.id))
            # an ORM row pointing at it, and a change to it, in the same flush: the new row goes first
            session.add(Unit(tenant_id=nanjing, id=new_id(), parent_id=parent.id, code=f"{code}-1", name="社区",
                             kind="street"))
            parent.name = "测试街道（改）"
            rows = (await session.execute(text(
                "SELECT u.code, u.name, u.active, (SELECT count(*) FROM audit_log a WHERE a.object_id = u.id::text)"
                " FROM units u WHERE u.code LIKE :c ORDER BY u.code"), {"c": f"{code}%"})).all()
            assert [tuple(r) for r in rows] == [(code, "测试街道（改）", True, 1), (f"{code}-1", "社区", True, 0)]
            raise RuntimeError("leave the demo units as they were")
