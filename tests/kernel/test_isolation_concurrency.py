"""Many interleaved transactions of different tenants over a small pool, with failures injected:
no transaction ever sees or keeps a row of a tenant outside its scope."""

from __future__ import annotations

import asyncio
import random
import uuid
from typing import Any

import pytest
from sqlalchemy import select, text

from hotline.kernel.database import Database
from hotline.kernel.scope import TenantScope
from hotline.kernel.settings import DatabaseSettings
from hotline.tenancy.models import Tenant, Unit, User
from tests.conftest import Api

pytestmark = pytest.mark.portability


class Injected(Exception):
    pass


async def scopes(db: Database) -> list[TenantScope]:
    async with db.system_transaction() as session:
        tenants = (await session.scalars(select(Tenant).where(Tenant.code.in_(["320100", "320500", "320102",
                                                                                 "110000", "320000-yql"])))).all()
        out = []
        for t in tenants:
            ids = (await session.scalars(select(Tenant.tenant_id).where(
                (Tenant.tenant_id == t.tenant_id) | Tenant.ancestors.contains([t.tenant_id])))).all()
            out.append(TenantScope(t.tenant_id, frozenset(ids)))
        return out


async def one_transaction(db: Database, scope: TenantScope, rng: random.Random, leaks: list[str]) -> None:
    failure = rng.choice(["none", "none", "raise", "bad_sql", "cancel", "write_then_raise"])
    try:
        async with db.transaction(scope) as session:
            for model in (Tenant, Unit, User):
                for tenant_id in (await session.scalars(select(model.tenant_id))).all():
                    if tenant_id not in scope.tenant_ids:
                        leaks.append(f"{model.__tablename__}: {tenant_id} outside {scope.acting_tenant_id}")
            if failure == "raise":
                raise Injected
            if failure == "bad_sql":
                await session.execute(text("SELECT no_such_column FROM units"))
            if failure == "write_then_raise":
                session.add(Unit(tenant_id=scope.acting_tenant_id, id=uuid.uuid4(), code=f"leak-{uuid.uuid4().hex[:6]}",
                                 name="must not stay", kind="department", active=True))
                await session.flush()
                raise Injected
            if failure == "cancel":
                await asyncio.wait_for(session.execute(text("SELECT pg_sleep(0.05)")), timeout=0.005)
            await asyncio.sleep(rng.random() / 200)
    except (Injected, TimeoutError, Exception) as error:  # every failure is expected here
        if not isinstance(error, Injected | TimeoutError) and "no_such_column" not in str(error):
            raise


async def test_interleaved_tenants_over_a_small_pool_never_leak(owner_url: str) -> None:
    db = Database.connect(owner_url, DatabaseSettings(pool_size=2))
    try:
        all_scopes = await scopes(db)
        assert len(all_scopes) == 5
        rng, leaks = random.Random(12345), []
        tasks = [one_transaction(db, rng.choice(all_scopes), rng, leaks) for _ in range(300)]
        for batch in range(0, len(tasks), 30):
            await asyncio.gather(*tasks[batch:batch + 30])
        assert leaks == []
        async with db.system_transaction() as session:
            kept = (await session.scalars(select(Unit).where(Unit.name == "must not stay"))).all()
        assert kept == []
    finally:
        await db.dispose()


async def test_concurrent_api_requests_of_different_tenants_see_only_their_own(api: Api) -> None:
    query = "{ tenants { code } users { login } }"
    own = {"nj.admin": "320100", "sz.admin": "320500", "xw.admin": "320102"}
    foreign = {"nj.admin": ("3205", "320000"), "sz.admin": ("3201", "320000"), "xw.admin": ("3205", "320100")}
    for login in own:
        await api.token(login)

    async def ask(login: str) -> tuple[str, dict[str, Any]]:
        return login, await api.gql(query, as_user=login)

    results = await asyncio.gather(*[ask(login) for login in list(own) * 20])
    for login, data in results:
        codes = [t["code"] for t in data["tenants"]]
        assert own[login] in codes, (login, codes)
        assert not [c for c in codes if c.startswith(foreign[login])], (login, codes)
        other_logins = [u["login"] for u in data["users"] if u["login"].split(".")[0] in ("sz", "nj", "js")
                        and not u["login"].startswith(login.split(".")[0])]
        assert other_logins == [], (login, other_logins)
