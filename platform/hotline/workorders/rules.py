"""A tenant's rules for the loop that are not deadlines: bounces before supervision (推诿), reopening on
dissatisfaction (重办), request types exempt from callback, callback attempts, the duplicate window.

A tenant without its own row follows the defaults below. (Inheritance down the tenant tree arrives
with the configuration issue; until then each tenant sets its own.)
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel import audit
from hotline.kernel.acting import Acting
from hotline.kernel.context import Role
from hotline.kernel.errors import Validator, forbidden
from hotline.kernel.ids import new_id
from hotline.kernel.models import utcnow
from hotline.kernel.scope import TenantScope
from hotline.workorders import repository as repo
from hotline.workorders.models import RequestType, WorkOrderSettings


@dataclass(frozen=True)
class Rules:
    return_supervision_threshold: int = 2
    reopen_on_dissatisfied: bool = True
    callback_exempt_types: tuple[str, ...] = (RequestType.PRAISE,)
    callback_max_attempts: int = 3
    duplicate_window_days: int = 30


DEFAULTS = Rules()


def _of(row: WorkOrderSettings) -> Rules:
    return Rules(row.return_supervision_threshold, row.reopen_on_dissatisfied, tuple(row.callback_exempt_types),
                 row.callback_max_attempts, row.duplicate_window_days)


async def effective(session: AsyncSession, scope: TenantScope, tenant_id: uuid.UUID) -> Rules:
    row = await repo.settings_of(session, scope, tenant_id)
    return DEFAULTS if row is None else _of(row)


@dataclass(frozen=True)
class RulesChange:
    return_supervision_threshold: int | None = None
    reopen_on_dissatisfied: bool | None = None
    callback_exempt_types: Sequence[RequestType] | None = None
    callback_max_attempts: int | None = None
    duplicate_window_days: int | None = None


async def update(session: AsyncSession, acting: Acting, change: RulesChange) -> Rules:
    """The tenant admin changes the acting tenant's rules; the change is audited."""
    if not acting.roles_at(acting.tenant_id, ()) & {Role.TENANT_ADMIN}:
        raise forbidden("only the tenant's admins change its work-order rules")
    v = Validator()
    if change.return_supervision_threshold is not None:
        v.check(0 <= change.return_supervision_threshold <= 20, ("returnSupervisionThreshold",), "0 to 20",
                "out_of_range")
    if change.callback_max_attempts is not None:
        v.check(1 <= change.callback_max_attempts <= 10, ("callbackMaxAttempts",), "1 to 10", "out_of_range")
    if change.duplicate_window_days is not None:
        v.check(1 <= change.duplicate_window_days <= 365, ("duplicateWindowDays",), "1 to 365", "out_of_range")
    if change.callback_exempt_types is not None:
        seen: set[str] = set()
        for i, kind in enumerate(change.callback_exempt_types):
            v.check(kind not in seen, ("callbackExemptTypes", str(i)), f"{kind} is listed twice", "duplicate")
            seen.add(kind)
    v.raise_if_any()
    row = await repo.settings_of(session, acting.scope, acting.tenant_id)
    before = asdict(DEFAULTS if row is None else _of(row))
    if row is None:
        row = WorkOrderSettings(tenant_id=acting.tenant_id, id=new_id(), **_columns(DEFAULTS))
        session.add(row)
    for name, value in asdict(change).items():
        if value is not None:
            setattr(row, name, [str(t) for t in value] if name == "callback_exempt_types" else value)
    row.updated_at = utcnow()
    after = _of(row)
    audit.record(session, acting.tenant_id, acting.actor, "work_order_rules.updated", ("work_order_settings", row.id),
                 before=before, after=asdict(after))
    return after


def _columns(rules: Rules) -> dict[str, object]:
    values = asdict(rules)
    values["callback_exempt_types"] = list(rules.callback_exempt_types)
    return values
