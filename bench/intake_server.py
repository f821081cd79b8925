"""The API plus a baseline endpoint doing the same inserts as intake with raw psycopg, in one process.

Run by bench_intake.py as `python -m bench.intake_server PORT` with HOTLINE_DATABASE_URL set.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import uuid
from typing import Any

import uvicorn
from litestar import post
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool

from hotline.app import create_app
from hotline.kernel import runtime
from hotline.kernel.database import driver_url
from hotline.kernel.ids import new_id
from hotline.kernel.settings import get_settings
from hotline.workorders import pii

POOL: AsyncConnectionPool[Any] | None = None

ORDER = """INSERT INTO work_orders (tenant_id, id, created_at, number, state, channel, request_type, category_code,
  title, content, division_code, address, caller_name, caller_phone_cipher, caller_phone_hash, caller_phone_masked,
  confidential, response_level, attachments, return_count, reopen_count, callback_attempts, supervised,
  created_by, created_by_label, updated_at, progress_notice_beyond_calendar, callback_beyond_calendar)
VALUES (%(t)s, %(id)s, %(now)s, %(number)s, 'pending_dispatch', %(channel)s, %(request_type)s, %(category)s,
  %(title)s, %(content)s, %(division)s, %(address)s, %(name)s, %(cipher)s, %(hash)s, %(masked)s, false, 3,
  '[]'::jsonb, 0, 0, 0, false, %(user)s, 'bench', %(now)s, false, false)"""
EVENT = """INSERT INTO work_order_events (tenant_id, id, created_at, order_id, action, actor_user_id, actor_label,
  to_state, detail) VALUES (%(t)s, %(event)s, %(now)s, %(id)s, 'create', %(user)s, 'bench', 'pending_dispatch',
  %(detail)s)"""
AUDIT = """INSERT INTO audit_log (tenant_id, id, created_at, occurred_at, actor_user_id, actor_tenant_id,
  actor_label, action, object_type, object_id, after) VALUES (%(t)s, %(audit)s, %(now)s, %(now)s, %(user)s,
  %(t)s, 'bench', 'work_order.create', 'work_order', %(id)s, %(detail)s)"""
OUTBOX = """INSERT INTO outbox (tenant_id, id, created_at, actor_name, payload, attempts)
  VALUES (%(t)s, %(outbox)s, %(now)s, 'bench.baseline', %(detail)s, 0)"""
COUNTER = """INSERT INTO work_order_counters (tenant_id, day, last_value) VALUES (%(t)s, %(day)s, 1)
  ON CONFLICT (tenant_id, day) DO UPDATE SET last_value = work_order_counters.last_value + 1 RETURNING last_value"""


@post("/bench/baseline-intake")
async def baseline(data: dict[str, Any]) -> dict[str, str]:
    """What intake writes (number, order, event, audit, outbox), with raw psycopg in one transaction."""
    assert POOL is not None
    tenant, now = uuid.UUID(data["tenant_id"]), dt.datetime.now(dt.UTC)
    phone = pii.normalise(data["phone"]) or ""
    async with POOL.connection() as conn, conn.transaction():
        await conn.execute("SELECT hotline_set_scope(%s::uuid[])", ([str(tenant)],))
        sequence = (await (await conn.execute(COUNTER, {"t": tenant, "day": now.date()})).fetchone())[0]  # type: ignore[index]
        order_id = new_id()
        params = {"t": tenant, "id": order_id, "now": now, "number": f"BENCH-{now:%Y%m%d}-{sequence:05d}",
                  "channel": data["channel"], "request_type": data["request_type"], "category": data["category"],
                  "title": data["title"], "content": data["content"], "division": data["division"],
                  "address": data["address"], "name": data["name"], "cipher": pii.encrypt(tenant, phone),
                  "hash": pii.lookup_hash(phone), "masked": pii.mask(phone), "user": uuid.UUID(data["user_id"]),
                  "event": new_id(), "audit": new_id(), "outbox": new_id(),
                  "detail": Jsonb({"number": sequence, "channel": data["channel"]})}
        for statement in (ORDER, EVENT, AUDIT, OUTBOX):
            await conn.execute(statement, params)
    return {"number": params["number"]}


async def open_pool() -> None:
    global POOL
    settings = get_settings().database
    url = driver_url(runtime.owner_url(), username=settings.app_role, password=settings.app_password)
    POOL = AsyncConnectionPool(url.set(drivername="postgresql").render_as_string(hide_password=False),
                               min_size=4, max_size=settings.pool_size, open=False)
    await POOL.open()


if __name__ == "__main__":
    runtime.configure(os.environ["HOTLINE_DATABASE_URL"])
    app = create_app(on_startup=[open_pool])
    app.register(baseline)
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
