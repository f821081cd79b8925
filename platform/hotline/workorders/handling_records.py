"""Handling notes (办理记录) and contacts with the citizen (联系记录), recorded by the unit on its assignment.

Both are open to the unit while it handles the assignment (`in_progress`, and `suspended`: waiting on
the citizen is when contacts happen). A contact says when (not in the future, not before the
dispatch; a time without a zone is Beijing time), how (phone, SMS, visit, other), whether the citizen
was reached, and what was said.

The first contact fulfils the assignment's `first_contact` deadline, reached or not: an attempt on
record is what the unit owes within the limit (a citizen who does not answer cannot make the unit
late). `first_contacted_at` keeps the earliest contact; the timeline event of the contact that set it
says whether the deadline was met.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel.acting import Acting
from hotline.kernel.calendar import TIMEZONE
from hotline.kernel.errors import Validator
from hotline.kernel.ids import new_id
from hotline.kernel.models import utcnow
from hotline.workorders import workflow
from hotline.workorders.handling import MIN_EXPLANATION, open_assignment
from hotline.workorders.handling_models import ContactMethod, HandlingRecord, RecordKind
from hotline.workorders.models import Assignment

MAX_TEXT = 4000
CLOCK_SKEW = dt.timedelta(minutes=5)  # a client's clock slightly ahead is not a contact "in the future"


@dataclass(frozen=True)
class ContactData:
    method: ContactMethod
    reached: bool
    text: str
    contacted_at: dt.datetime | None = None  # None: now


def _check_text(v: Validator, text: str, path: tuple[str, ...], what: str) -> str:
    body = text.strip()
    if v.check(len(body) >= MIN_EXPLANATION, path, f"{what} needs at least {MIN_EXPLANATION} characters",
               "required"):
        v.check(len(body) <= MAX_TEXT, path, f"at most {MAX_TEXT} characters", "too_long")
    return body


def _record(acting: Acting, assignment: Assignment, kind: RecordKind, text: str, **extra: Any) -> HandlingRecord:
    actor = acting.actor
    return HandlingRecord(tenant_id=assignment.tenant_id, id=new_id(), order_id=assignment.order_id,
                          assignment_id=assignment.id, unit_id=assignment.unit_id, kind=kind, text=text,
                          recorded_by=actor.user_id, recorded_by_label=actor.label, created_at=utcnow(), **extra)


async def record_note(session: AsyncSession, acting: Acting, assignment_id: uuid.UUID, text: str) -> Assignment:
    """办理记录: what the unit did or found, for the hotline and the timeline."""
    _, order, assignment, move = await open_assignment(session, acting, assignment_id, "record_note")
    v = Validator()
    body = _check_text(v, text, ("text",), "a handling note")
    v.raise_if_any()
    row = _record(acting, assignment, RecordKind.NOTE, body)
    session.add(row)
    workflow.step(session, acting.actor, move, order, assignment=assignment, note=body,
                  detail={"record_id": str(row.id)})
    return assignment


async def record_contact(session: AsyncSession, acting: Acting, assignment_id: uuid.UUID,
                         data: ContactData) -> Assignment:
    """联系记录: the unit contacted (or tried to contact) the citizen; the first one meets `first_contact`."""
    _, order, assignment, move = await open_assignment(session, acting, assignment_id, "record_contact")
    now = utcnow()
    at = data.contacted_at or now
    if at.tzinfo is None or at.utcoffset() is None:
        at = at.replace(tzinfo=TIMEZONE)
    v = Validator()
    v.check(at <= now + CLOCK_SKEW, ("contactedAt",), "a contact cannot be in the future", "in_future")
    v.check(at >= assignment.created_at, ("contactedAt",),
            "the order was dispatched to the unit after that time", "before_dispatch")
    body = _check_text(v, data.text, ("text",), "what was said or why the citizen was not reached")
    v.raise_if_any()
    row = _record(acting, assignment, RecordKind.CONTACT, body, contacted_at=at, method=data.method,
                  reached=data.reached)
    session.add(row)
    detail: dict[str, Any] = {"record_id": str(row.id), "method": str(data.method), "reached": data.reached,
                              "contacted_at": at.astimezone(dt.UTC).isoformat()}
    if assignment.first_contacted_at is None or at < assignment.first_contacted_at:
        assignment.first_contacted_at = at
        due = assignment.first_contact_due_at
        detail["first_contact"] = {"due_at": due.astimezone(dt.UTC).isoformat() if due else None,
                                   "met": at <= due if due else None}
    workflow.step(session, acting.actor, move, order, assignment=assignment, note=body, detail=detail)
    return assignment
