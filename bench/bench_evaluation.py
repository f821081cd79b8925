"""A month of orders over many units assessed (the evaluation job's computation, results written), against
one hand-written SQL aggregate of the same figures over the same rows, in the same run.

Size: BENCH_EVALUATION_ORDERS (default 200,000) and BENCH_EVALUATION_UNITS (default 2,000); the issue's
figure is 2,000,000 orders over 2,000 units in ≤ 5 s and ≤ 1.5× the hand-written aggregate.
Rows are generated in SQL (generate_series) as the owner, then vacuumed (as autovacuum would have done to a
finished month); both measurements run as the application role inside a scoped transaction (RLS on), with
the work_mem the assessment job sets for itself (`repository.ASSESSMENT_WORK_MEM`), best of three.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from typing import Any

import psycopg
from sqlalchemy import text

from hotline.evaluation import repository, service
from hotline.kernel import runtime
from hotline.kernel.context import Actor
from hotline.kernel.database import driver_url
from hotline.kernel.scope import TenantScope

PERIOD = "2025-03"
BASELINE = """SELECT a.unit_id, count(*),
  count(*) FILTER (WHERE a.signed_at IS NOT NULL OR a.state = 'returned'),
  count(*) FILTER (WHERE a.state <> 'returned' AND a.signed_at <= a.sign_for_due_at),
  count(*) FILTER (WHERE a.state <> 'returned' AND a.replied_at <= a.reply_due_at),
  count(*) FILTER (WHERE a.state = 'returned'),
  count(*) FILTER (WHERE a.rework_count > 0),
  count(*) FILTER (WHERE o.resolved),
  count(*) FILTER (WHERE o.satisfaction IN ('satisfied', 'basically_satisfied'))
FROM work_order_assignments a JOIN work_orders o ON o.tenant_id = a.tenant_id AND o.id = a.order_id
WHERE a.tenant_id = :t AND a.created_at >= '2025-03-01 00:00+08' AND a.created_at < '2025-04-01 00:00+08'
GROUP BY a.unit_id"""

GENERATE = """
INSERT INTO tenants (tenant_id, parent_id, ancestors, code, name, kind, status, created_at, updated_at)
VALUES (%(t)s, NULL, '{}', 'bench-eval', '考核基准', 'city', 'active', now(), now());
INSERT INTO units (tenant_id, id, created_at, code, name, kind, active)
SELECT %(t)s, md5('u' || j)::uuid, now(), 'u' || j, '单位' || j,
       CASE WHEN j %% 4 = 0 THEN 'department' ELSE 'street' END, true FROM generate_series(1, %(units)s) j;
INSERT INTO work_orders (tenant_id, id, created_at, number, state, channel, request_type, category_code, title, content,
  confidential, response_level, attachments, return_count, reopen_count, callback_attempts, supervised,
  created_by_label, updated_at, closed_at, resolved, satisfaction, progress_notice_beyond_calendar,
  callback_beyond_calendar)
SELECT %(t)s, md5('o' || i)::uuid, m.at, 'B-' || i, 'closed', 'phone',
       CASE WHEN i %% 9 = 0 THEN 'consultation' ELSE 'complaint' END, '010201', '基准工单', '内容', false, 3, '[]',
       0, 0, 1, false, 'bench', m.at, m.at + interval '3 days', i %% 10 <> 0,
       CASE i %% 7 WHEN 0 THEN 'dissatisfied' WHEN 1 THEN 'basically_satisfied' ELSE 'satisfied' END, false, false
FROM generate_series(1, %(orders)s) i,
     LATERAL (SELECT timestamptz '2025-03-01 00:00+08' + (i::float / %(orders)s) * interval '30 days' AS at) m;
INSERT INTO work_order_assignments (tenant_id, id, created_at, order_id, unit_id, role, state, signed_at,
  sign_for_due_at, replied_at, reply_due_at, finished_at, rework_count, return_requests, updated_at,
  sign_for_beyond_calendar, first_contact_beyond_calendar, reply_beyond_calendar, return_beyond_calendar)
SELECT %(t)s, md5('a' || i)::uuid, m.at, md5('o' || i)::uuid, md5('u' || (i %% %(units)s + 1))::uuid, 'lead',
       CASE WHEN i %% 50 = 0 THEN 'returned' ELSE 'accepted' END,
       CASE WHEN i %% 50 = 0 THEN NULL ELSE m.at + (i %% 6) * interval '1 hour' END, m.at + interval '4 hours',
       CASE WHEN i %% 50 = 0 THEN NULL ELSE m.at + (i %% 7) * interval '1 day' END, m.at + interval '5 days',
       m.at + interval '6 days', (i %% 13 = 0)::int, 0, m.at, false, false, false, false
FROM generate_series(1, %(orders)s) i,
     LATERAL (SELECT timestamptz '2025-03-01 00:10+08' + (i::float / %(orders)s) * interval '30 days' AS at) m;
ANALYZE tenants;
ANALYZE units;
VACUUM ANALYZE work_orders;
VACUUM ANALYZE work_order_assignments;
"""


def scheme(t: uuid.UUID) -> tuple[str, dict[str, Any]]:
    definition = {"total_points": 100, "period": "month", "appeal_days": 5, "indicators": [
        {"code": "response_rate", "name": "接诉响应率", "weight": 20, "formula": None},
        {"code": "resolution_rate", "name": "问题解决率", "weight": 30, "formula": None},
        {"code": "satisfaction_rate", "name": "群众满意率", "weight": 30, "formula": None},
        {"code": "discipline", "name": "按时", "weight": 20,
         "formula": "min(on_time_sign_rate, on_time_reply_rate) * (1 - return_rate)"}],
        "adjustments": [], "peer_groups": [
            {"code": "streets", "name": "街道", "unit_kinds": ["street"], "unit_codes": [], "total_points": None},
            {"code": "departments", "name": "部门", "unit_kinds": ["department"], "unit_codes": [],
             "total_points": 150}],
        "exclusions": {"request_types": ["consultation"], "category_prefixes": [], "honour_reviewed": True}}
    sql = (
        "INSERT INTO evaluation_schemes (tenant_id, id, created_at, code, name, mandatory, updated_at) "
        "VALUES (%(t)s, %(s)s, now(), 'bench', '基准方案', false, now());"
        "INSERT INTO evaluation_scheme_versions (tenant_id, id, created_at, scheme_id, version, status, definition, "
        "effective_from, created_by_label, published_at, published_by_label) VALUES (%(t)s, %(v)s, now(), %(s)s, 1, "
        "'published', %(d)s, '2025-01-01', 'bench', now(), 'bench');")
    return sql, {"t": t, "s": uuid.uuid4(), "v": uuid.uuid4(), "d": json.dumps(definition)}


async def main(owner_url: str) -> None:
    orders = int(os.environ.get("BENCH_EVALUATION_ORDERS", "200000"))
    units = int(os.environ.get("BENCH_EVALUATION_UNITS", "2000"))
    tenant = uuid.uuid4()
    raw_url = driver_url(owner_url).set(drivername="postgresql").render_as_string(hide_password=False)
    started = time.perf_counter()
    async with await psycopg.AsyncConnection.connect(raw_url, autocommit=True) as conn:
        sql, params = scheme(tenant)
        for part, values in [(p, {"t": tenant, "units": units, "orders": orders}) for p in GENERATE.split(";\n")] + [
                (p, params) for p in sql.split(";")]:
            if part.strip():
                await conn.execute(part, values)  # type: ignore[arg-type]
    print(f"   size: {orders:,} orders (one assignment each) over {units:,} units in {PERIOD}; "
          f"generated in {time.perf_counter() - started:.1f} s", flush=True)

    db = runtime.database()
    scope = TenantScope.single(tenant)
    baseline, assessed = [], []
    rows = 0
    for _ in range(3):
        async with db.transaction(scope) as session:
            await session.execute(text(f"SET LOCAL work_mem = '{repository.ASSESSMENT_WORK_MEM}'"))  # as the job
            t0 = time.perf_counter()
            rows = len((await session.execute(text(BASELINE), {"t": tenant})).all())
            baseline.append(time.perf_counter() - t0)
        async with db.transaction(scope) as session:
            t0 = time.perf_counter()
            result = await service.compute(session, scope, tenant, PERIOD, Actor.system("bench"))
            await session.flush()
            assessed.append(time.perf_counter() - t0)
        runs = result.runs
    best_base, best = min(baseline), min(assessed)
    print(f"   hand-written aggregate ({rows:,} units):    {best_base:6.3f} s (best of 3)")
    print(f"   assessment (figures, formulas, scores, ranks, {rows:,} result rows written): {best:6.3f} s "
          f"(best of 3, {runs} runs)")
    print(f"   ratio assessment / aggregate: {best / best_base:.2f}×   (goal: 2,000,000 orders ≤ 5 s and ≤ 1.5×)")
    await runtime.close_database()
