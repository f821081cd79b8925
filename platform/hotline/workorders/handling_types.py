"""GraphQL types of handling records (办理记录, 联系记录) and requests (延期, 挂起)."""

from __future__ import annotations

import datetime as dt
import uuid

import strawberry

from hotline.workorders import handling_models as hm

HandlingRecordKind = strawberry.enum(hm.RecordKind, name="HandlingRecordKind")
ContactMethod = strawberry.enum(hm.ContactMethod, name="ContactMethod")
HandlingRequestKind = strawberry.enum(hm.RequestKind, name="HandlingRequestKind")
HandlingRequestStatus = strawberry.enum(hm.RequestStatus, name="HandlingRequestStatus")


@strawberry.type(description="A handling note (办理记录) or a contact with the citizen (联系记录) of a unit.")
class HandlingRecord:
    id: uuid.UUID
    assignment_id: uuid.UUID
    kind: HandlingRecordKind  # type: ignore[valid-type]
    text: str
    recorded_at: dt.datetime
    recorded_by: str
    contacted_at: dt.datetime | None = strawberry.field(description="Contacts: when the citizen was contacted.")
    method: ContactMethod | None  # type: ignore[valid-type]
    reached: bool | None

    @classmethod
    def of(cls, r: hm.HandlingRecord) -> HandlingRecord:
        return cls(id=r.id, assignment_id=r.assignment_id, kind=hm.RecordKind(r.kind), text=r.text,
                   recorded_at=r.created_at, recorded_by=r.recorded_by_label, contacted_at=r.contacted_at,
                   method=hm.ContactMethod(r.method) if r.method else None, reached=r.reached)


@strawberry.type(description="An extension (延期) or suspension (挂起) asked by the unit, decided by the hotline.")
class HandlingRequest:
    id: uuid.UUID
    assignment_id: uuid.UUID
    kind: HandlingRequestKind  # type: ignore[valid-type]
    status: HandlingRequestStatus  # type: ignore[valid-type]
    reason: str
    days: int | None = strawberry.field(description="Extension: the working days asked for.")
    days_granted: int | None
    requested_at: dt.datetime
    requested_by: str
    decided_at: dt.datetime | None
    decided_by: str | None
    decision_note: str | None
    reply_due_before: dt.datetime | None
    reply_due_after: dt.datetime | None = strawberry.field(
        description="Extension: the reply deadline after approval; suspension: after resumption.")
    suspended_from: dt.datetime | None
    resumed_at: dt.datetime | None
    resumed_by: str | None
    paused_seconds: int | None = strawberry.field(
        description="Suspension: the time taken off the reply clock (working time unless the limit is in natural "
                    "hours).")

    @classmethod
    def of(cls, r: hm.HandlingRequest) -> HandlingRequest:
        return cls(id=r.id, assignment_id=r.assignment_id, kind=hm.RequestKind(r.kind),
                   status=hm.RequestStatus(r.status), reason=r.reason, days=r.days, days_granted=r.days_granted,
                   requested_at=r.created_at, requested_by=r.requested_by_label, decided_at=r.decided_at,
                   decided_by=r.decided_by_label, decision_note=r.decision_note, reply_due_before=r.reply_due_before,
                   reply_due_after=r.reply_due_after, suspended_from=r.suspended_from, resumed_at=r.resumed_at,
                   resumed_by=r.resumed_by_label, paused_seconds=r.paused_seconds)
