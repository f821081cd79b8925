"""The supervision sweep: deadlines are columns, and this tick acts on the ones that fall due.

Every `SWEEP_SECONDS` the scheduler runs `sweep()` on the system role (a named cross-tenant path: it
reads every tenant through partial indexes, in bounded batches, and writes each row with its own
`tenant_id`). One pass, in this order:

1. escalation (挂牌督办): a notice whose `escalate_at` passed while it is still live is listed and
   reported to leaders — an automatic one if its deadline is still missed, a manual one if the unit
   never replied; otherwise it just stops waiting to escalate;
2. supervision notices (督办通知) for sign-for and reply deadlines that passed;
3. reminders (催办) for those deadlines falling due within the tenant's lead (default 4 hours);
4. overdue callbacks, flagged with a notice to the callback team (no unit to answer it);
5. the caller's progress notice (J city: result or progress within 5 working days of intake), sent
   through the outbox to the SMS job the same lead before it falls due, once (`progress_notified_at`);
6. deadlines computed past the known calendar (`*_beyond_calendar`) are recomputed once a tenant (or
   an ancestor) has published the year they reach into: rows whose flagged deadline lies before the
   first still-unknown year are recomputed from their start (dispatch, rework, intake, acceptance).
   Doing this in the sweep rather than in the publish mutation reaches every descendant tenant of a
   province that publishes, and needs nothing from the calendar domain.

Idempotence: an automatic notice has a `dedupe_key` (deadline kind, assignment or order, level, the
due moment; an escalation: the notice it escalates), unique per tenant, inserted with ON CONFLICT DO
NOTHING; candidates that already have one are never selected (an anti-join on the notice index), so
two sweeps make one notice, and a new deadline after rework gets its own. Orders are locked with
SKIP LOCKED: one a person is changing right now is taken at the next tick.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import structlog
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel import runtime, scheduler
from hotline.kernel.calendar import TIMEZONE, WorkingCalendar, calendar_for, due_at
from hotline.kernel.context import Actor
from hotline.kernel.ids import new_id
from hotline.kernel.jobs import job
from hotline.kernel.models import utcnow
from hotline.kernel.scope import TenantScope
from hotline.tenancy.models import Unit
from hotline.workorders import supervision, workflow
from hotline.workorders import supervision_repository as srepo
from hotline.workorders.intake import notify_caller
from hotline.workorders.models import Assignment, WorkOrder
from hotline.workorders.policy import Limits, limits_for
from hotline.workorders.supervision_models import (
    LEVEL_NAMES,
    DeadlineKind,
    SupervisionLevel,
    SupervisionMessage,
    SupervisionNotice,
    SupervisionReason,
    SupervisionState,
)

log = structlog.get_logger(__name__)
SWEEP_SECONDS = 60.0
BATCH = 200  # rows per step and pass; the rest waits for the next tick
TENANTS_PER_RECOMPUTE = 20
ACTOR = Actor.system("supervision-sweep")
SHIFTED = ("approve_extension", "approve_suspension", "resume")  # moves of the reply deadline by hand
KIND_WORDS = {DeadlineKind.SIGN_FOR: "签收", DeadlineKind.REPLY: "办结反馈", DeadlineKind.CALLBACK: "回访"}


@dataclass
class SweepReport:
    """What one pass wrote (counts by kind)."""

    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add(self, kind: str, n: int = 1) -> None:
        self.counts[kind] += n


@scheduler.periodic("workorders.supervision_sweep", SWEEP_SECONDS)
async def scheduled_sweep() -> None:
    report = await sweep()
    if report.total:
        log.info("supervision.swept", **report.counts)


async def sweep(now: dt.datetime | None = None, batch: int = BATCH) -> SweepReport:
    """One pass in one system transaction (see the module docstring); `now` lets tests skip the clock."""
    now = now or utcnow()
    report = SweepReport()
    async with runtime.database().system_transaction() as session:
        await sweep_in(session, now, batch, report)
    return report


async def sweep_in(session: AsyncSession, now: dt.datetime, batch: int, report: SweepReport) -> None:
    await _escalate(session, now, batch, report)
    for kind in (DeadlineKind.SIGN_FOR, DeadlineKind.REPLY):
        rows = await srepo.system_assignments_due(session, kind, SupervisionLevel.NOTICE, now,
                                                  supervision.DEFAULTS.reminder_lead_hours, batch)
        await _issue(session, now, rows, kind, SupervisionLevel.NOTICE, report)
    for kind in (DeadlineKind.SIGN_FOR, DeadlineKind.REPLY):
        rows = await srepo.system_assignments_due(session, kind, SupervisionLevel.REMINDER, now,
                                                  supervision.DEFAULTS.reminder_lead_hours, batch)
        await _issue(session, now, rows, kind, SupervisionLevel.REMINDER, report)
    await _issue(session, now, await srepo.system_callbacks_overdue(session, now, batch), DeadlineKind.CALLBACK,
                 SupervisionLevel.NOTICE, report)
    await _progress(session, now, batch, report)
    await _recompute(session, now, batch, report)


# --- notices -------------------------------------------------------------------------------------


def _key(kind: DeadlineKind, subject: uuid.UUID, level: SupervisionLevel, due: dt.datetime) -> str:
    return f"{kind.value}:{subject}:{LEVEL_NAMES[level]}:{due.astimezone(dt.UTC).isoformat()}"


def _instruction(order: WorkOrder, kind: DeadlineKind, level: SupervisionLevel, due: dt.datetime) -> str:
    local = due.astimezone(TIMEZONE).strftime("%Y-%m-%d %H:%M")
    what = KIND_WORDS[kind]
    if level == SupervisionLevel.REMINDER:
        return f"催办：工单{order.number}「{order.title}」的{what}时限为{local}，即将到期，请抓紧办理。"
    if kind == DeadlineKind.CALLBACK:
        return f"工单{order.number}「{order.title}」已超过回访时限（{local}），请尽快回访。"
    return f"督办：工单{order.number}「{order.title}」已超过{what}时限（{local}），请立即办理并反馈。"


async def _insert(session: AsyncSession, values: dict[str, Any]) -> SupervisionNotice | None:
    """Insert a notice unless its key exists (a concurrent or repeated sweep); the row, or None."""
    statement = (pg_insert(SupervisionNotice).values(**values)
                 .on_conflict_do_nothing(index_elements=["tenant_id", "dedupe_key"])
                 .returning(SupervisionNotice.id))
    inserted = (await session.execute(statement)).scalar_one_or_none()
    if inserted is None:
        return None
    return await session.get(SupervisionNotice, (values["tenant_id"], inserted))


async def _issue(session: AsyncSession, now: dt.datetime, rows: Sequence[srepo.DueRow], kind: DeadlineKind,
                 level: SupervisionLevel, report: SweepReport) -> None:
    by_tenant: dict[uuid.UUID, list[srepo.DueRow]] = defaultdict(list)
    for row in rows:
        by_tenant[row.tenant_id].append(row)
    limits = await srepo.system_settings_of(session, list(by_tenant))
    for tenant_id, due_rows in by_tenant.items():
        settings = supervision.settings_of_row(limits.get(tenant_id))
        orders = await srepo.system_lock_orders(session, tenant_id, [r.order_id for r in due_rows])
        assignments = await srepo.system_assignments(
            session, tenant_id, [r.assignment_id for r in due_rows if r.assignment_id is not None])
        for row in due_rows:
            order = orders.get(row.order_id)
            if order is None:
                continue  # someone holds it: next tick
            if row.assignment_id is not None and not _still_due(assignments.get(row.assignment_id), kind, row.due_at):
                continue  # signed or answered since the candidates were read
            made = await _notice(session, now, order, row, kind, level, settings)
            if made is not None:
                report.add(f"{kind.value}_{LEVEL_NAMES[level]}")


async def _notice(session: AsyncSession, now: dt.datetime, order: WorkOrder, row: srepo.DueRow, kind: DeadlineKind,
                  level: SupervisionLevel, settings: supervision.Settings) -> SupervisionNotice | None:
    reply_required = level == SupervisionLevel.NOTICE and row.unit_id is not None
    reply_due, beyond, escalate_at = None, False, None
    if reply_required:
        reply_due, beyond = await supervision.working_days_after(session, order.tenant_id, now,
                                                                 settings.notice_reply_days)
        escalate_at, _ = await supervision.working_days_after(session, order.tenant_id, row.due_at,
                                                              settings.escalation_days)
    subject = row.assignment_id if row.assignment_id is not None else row.order_id
    notice = await _insert(session, dict(
        tenant_id=order.tenant_id, id=new_id(), order_id=order.id, assignment_id=row.assignment_id,
        unit_id=row.unit_id, level=int(level),
        reason=(SupervisionReason.DUE_SOON if level == SupervisionLevel.REMINDER else SupervisionReason.OVERDUE).value,
        automatic=True, state=(SupervisionState.OPEN if reply_required else SupervisionState.SENT).value,
        deadline_kind=kind.value, deadline_due_at=row.due_at, dedupe_key=_key(kind, subject, level, row.due_at),
        instruction=_instruction(order, kind, level, row.due_at), reply_required=reply_required,
        reply_due_at=reply_due, reply_due_beyond_calendar=beyond, escalate_at=escalate_at, escalated_from_id=None,
        opened_by=None, opened_by_label=ACTOR.label, created_at=now, updated_at=now))
    if notice is None:
        return None
    supervised = supervision.mark_supervised(order, notice)
    action = "supervision_reminder" if level == SupervisionLevel.REMINDER else (
        "callback_overdue" if kind == DeadlineKind.CALLBACK else "supervision_opened")
    supervision.trace(session, ACTOR, order, notice, action, before=None,
                      extra={"due_at": row.due_at.isoformat(), **({"supervised": True} if supervised else {})})
    supervision.announce(session, notice)
    return notice


async def _escalate(session: AsyncSession, now: dt.datetime, batch: int, report: SweepReport) -> None:
    """Listed supervision (挂牌督办) for notices still live when their escalation time comes."""
    due = await srepo.system_notices_to_escalate(session, now, batch)
    by_tenant: dict[uuid.UUID, list[SupervisionNotice]] = defaultdict(list)
    for n in due:
        by_tenant[n.tenant_id].append(n)
    for tenant_id, notices in by_tenant.items():
        orders = await srepo.system_lock_orders(session, tenant_id, [n.order_id for n in notices])
        assignments = await srepo.system_assignments(
            session, tenant_id, [n.assignment_id for n in notices if n.assignment_id is not None])
        settings = supervision.settings_of_row(
            (await srepo.system_settings_of(session, [tenant_id])).get(tenant_id))
        for old in notices:
            order = orders.get(old.order_id)
            if order is None:
                continue
            if not _still_missed(old, assignments.get(old.assignment_id) if old.assignment_id else None):
                old.escalate_at, old.updated_at = None, now  # the deadline was met late, or the unit answered
                continue
            if await _list(session, now, order, old, settings) is not None:
                report.add("listed")


def _still_due(assignment: Assignment | None, kind: DeadlineKind, due_at: dt.datetime | None) -> bool:
    if assignment is None:
        return False
    column, state = srepo.ASSIGNMENT_DEADLINES[kind]
    return bool(assignment.state == state and getattr(assignment, column.key) == due_at)


def _still_missed(notice: SupervisionNotice, assignment: Assignment | None) -> bool:
    if not notice.automatic:
        return notice.state == SupervisionState.OPEN
    if notice.deadline_kind is None:
        return False
    return _still_due(assignment, DeadlineKind(notice.deadline_kind), notice.deadline_due_at)


async def _list(session: AsyncSession, now: dt.datetime, order: WorkOrder, old: SupervisionNotice,
                settings: supervision.Settings) -> SupervisionNotice | None:
    reply_due, beyond = await supervision.working_days_after(session, order.tenant_id, now, settings.notice_reply_days)
    listed = await _insert(session, dict(
        tenant_id=order.tenant_id, id=new_id(), order_id=order.id, assignment_id=old.assignment_id,
        unit_id=old.unit_id, level=int(SupervisionLevel.LISTED), reason=old.reason, automatic=True,
        state=SupervisionState.OPEN.value, deadline_kind=old.deadline_kind, deadline_due_at=old.deadline_due_at,
        dedupe_key=f"escalation:{old.id}",
        instruction=f"挂牌督办：{old.instruction}（已上报热线领导）", reply_required=True, reply_due_at=reply_due,
        reply_due_beyond_calendar=beyond, escalate_at=None, escalated_from_id=old.id, opened_by=None,
        opened_by_label=ACTOR.label, created_at=now, updated_at=now))
    before = old.state
    old.state, old.escalate_at, old.updated_at = SupervisionState.ESCALATED, None, now
    if listed is None:
        return None
    supervision.mark_supervised(order, listed)
    supervision.trace(session, ACTOR, order, old, "supervision_escalated", before=before,
                      extra={"to_notice_id": str(listed.id)})
    supervision.trace(session, ACTOR, order, listed, "supervision_listed", before=None,
                      extra={"from_notice_id": str(old.id)})
    supervision.announce(session, listed)
    return listed


# --- the caller's progress notice ----------------------------------------------------------------


async def _progress(session: AsyncSession, now: dt.datetime, batch: int, report: SweepReport) -> None:
    rows = await srepo.system_progress_due(session, now, supervision.DEFAULTS.reminder_lead_hours, batch)
    by_tenant: dict[uuid.UUID, list[srepo.DueRow]] = defaultdict(list)
    for row in rows:
        by_tenant[row.tenant_id].append(row)
    for tenant_id, due_rows in by_tenant.items():
        orders = await srepo.system_lock_orders(session, tenant_id, [r.order_id for r in due_rows])
        for order in orders.values():
            if order.progress_notified_at is not None:
                continue
            order.progress_notified_at = now
            notify_caller(session, order, "progress")
            workflow.record_event(session, ACTOR, order, "progress_notice", before=order.state, after=order.state,
                                  detail={"due_at": order.progress_notice_due_at.isoformat()
                                          if order.progress_notice_due_at else None})
            report.add("progress_notice")


# --- deadlines past the known calendar -----------------------------------------------------------


def _horizon(calendar: WorkingCalendar, now: dt.datetime) -> dt.datetime:
    """The start of the first year (from last year on) that the tenant's calendar does not know."""
    year = now.astimezone(TIMEZONE).year - 1
    while calendar.year_known(year):
        year += 1
    return dt.datetime(year, 1, 1, tzinfo=TIMEZONE)


async def _recompute(session: AsyncSession, now: dt.datetime, batch: int, report: SweepReport) -> None:
    for tenant_id in await srepo.system_tenants_beyond_calendar(session, TENANTS_PER_RECOMPUTE):
        scope = TenantScope.single(tenant_id)
        before = _horizon(await calendar_for(session, scope, tenant_id), now)
        assignments = await srepo.system_assignments_beyond(session, tenant_id, before, batch)
        orders_beyond = await srepo.system_orders_beyond(session, tenant_id, before, batch)
        if not assignments and not orders_beyond:
            continue
        order_ids = {a.order_id for a in assignments} | {o.id for o in orders_beyond}
        orders = {o.id: o for o in orders_beyond}
        missing = [i for i in order_ids if i not in orders]
        if missing:
            found = await session.scalars(select(WorkOrder).where(WorkOrder.tenant_id == tenant_id,
                                                                  WorkOrder.id.in_(sorted(missing))))
            orders.update({o.id: o for o in found})
        starts = await _starts(session, tenant_id, list(order_ids))
        for a in assignments:
            changed = await _recompute_assignment(session, scope, orders[a.order_id], a, starts)
            if changed:
                workflow.record_event(session, ACTOR, orders[a.order_id], "deadlines_recomputed", assignment=a,
                                      detail=changed)
                report.add("deadlines_recomputed")
        for o in orders_beyond:
            changed = await _recompute_order(session, scope, o, starts)
            if changed:
                workflow.record_event(session, ACTOR, o, "deadlines_recomputed", detail=changed)
                report.add("deadlines_recomputed")


async def _starts(session: AsyncSession, tenant_id: uuid.UUID, order_ids: list[uuid.UUID]
                  ) -> dict[tuple[str, uuid.UUID], dt.datetime]:
    """When the running reply clocks (rework) and callback clocks (completion) started, from the timeline."""
    found: dict[tuple[str, uuid.UUID], dt.datetime] = {}
    actions = ("send_back", "reopen", "complete", *SHIFTED)
    for e in await srepo.system_latest_events(session, tenant_id, order_ids, actions):
        if e.action == "complete":
            found[("callback", e.order_id)] = e.created_at
        elif e.assignment_id is not None:
            found[("shifted" if e.action in SHIFTED else "reply", e.assignment_id)] = e.created_at
    return found


async def _limits(session: AsyncSession, scope: TenantScope, order: WorkOrder) -> Limits:
    return await limits_for(session, scope, order.tenant_id, order.response_level, order.request_type,
                            order.category_code, order.deadline_policy)


async def _redo(session: AsyncSession, scope: TenantScope, row: Any, column: str, start: dt.datetime,
                limit: Any, changed: dict[str, Any]) -> None:
    if not getattr(row, f"{column}_beyond_calendar") or limit is None:
        return
    amount, unit = limit
    due = await due_at(session, scope, row.tenant_id, start, amount, unit)
    old = getattr(row, f"{column}_due_at")
    if due.at != old or not due.beyond_known_calendar:
        setattr(row, f"{column}_due_at", due.at)
        setattr(row, f"{column}_beyond_calendar", due.beyond_known_calendar)
        changed[column] = {"from": old.isoformat() if old else None, "to": due.at.isoformat(),
                           "beyond_known_calendar": due.beyond_known_calendar}


async def _recompute_assignment(session: AsyncSession, scope: TenantScope, order: WorkOrder, a: Assignment,
                                starts: dict[tuple[str, uuid.UUID], dt.datetime]) -> dict[str, Any]:
    limits = await _limits(session, scope, order)
    changed: dict[str, Any] = {}
    await _redo(session, scope, a, "sign_for", a.created_at, limits.sign_for, changed)
    await _redo(session, scope, a, "first_contact", a.created_at, limits.first_contact, changed)
    if not a.extension_days_granted and ("shifted", a.id) not in starts:
        # An extension or a suspension moved the reply deadline from where the limit put it; it keeps
        # its weekday-rule value (and its flag) rather than lose the days granted or paused.
        await _redo(session, scope, a, "reply", starts.get(("reply", a.id), a.created_at), limits.reply, changed)
    await _redo(session, scope, a, "return", a.created_at, limits.return_window, changed)
    if changed:
        a.updated_at = utcnow()
    return changed


async def _recompute_order(session: AsyncSession, scope: TenantScope, order: WorkOrder,
                           starts: dict[tuple[str, uuid.UUID], dt.datetime]) -> dict[str, Any]:
    limits = await _limits(session, scope, order)
    changed: dict[str, Any] = {}
    await _redo(session, scope, order, "progress_notice", order.created_at, limits.progress_notice, changed)
    start = starts.get(("callback", order.id))
    if start is not None:
        await _redo(session, scope, order, "callback", start, limits.callback, changed)
    if changed:
        order.updated_at = utcnow()
    return changed


# --- telling the audience ------------------------------------------------------------------------


@job(supervision.NOTIFY_ACTOR)
async def notify_supervision(session: AsyncSession, tenant_id: uuid.UUID, payload: dict[str, Any]) -> None:
    """Write the notice's message for each audience (once: unique per notice and audience)."""
    notice = await session.get(SupervisionNotice, (tenant_id, uuid.UUID(payload["notice_id"])))
    if notice is None:
        return
    order = await session.get(WorkOrder, (tenant_id, notice.order_id))
    unit = await session.get(Unit, (tenant_id, notice.unit_id)) if notice.unit_id else None
    if order is None:
        return
    for audience in payload.get("audiences", ["unit"]):
        body = _body(notice, order, unit, audience)
        await session.execute(pg_insert(SupervisionMessage).values(
            tenant_id=tenant_id, id=new_id(), notice_id=notice.id, order_id=order.id, audience=audience,
            unit_id=notice.unit_id if audience == "unit" else None, body=body,
        ).on_conflict_do_nothing(index_elements=["tenant_id", "notice_id", "audience"]))


def _body(notice: SupervisionNotice, order: WorkOrder, unit: Unit | None, audience: str) -> str:
    deadline = ""
    if notice.reply_due_at is not None:
        deadline = f"请于{notice.reply_due_at.astimezone(TIMEZONE):%Y-%m-%d %H:%M}前反馈。"
    if audience == "leaders":
        who = unit.name if unit else "承办单位"
        return f"【挂牌督办】{who}：工单{order.number}「{order.title}」。{notice.instruction}"
    return f"{notice.instruction}{deadline}"
