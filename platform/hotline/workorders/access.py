"""Who sees which order, and the lookups every service starts from.

Hotline staff (agent, dispatcher, supervisor, callback agent) and the tenant's admins, leaders and
analysts see every order of the acting tenant. A unit handler sees only the orders assigned to the
units of its grants (each grant covers its unit's subtree); any other order is "not found", like
another tenant's. A confidential (保密) caller stays anonymous to units.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel.acting import Acting
from hotline.kernel.context import Role
from hotline.kernel.errors import not_found
from hotline.workorders import repository as repo
from hotline.workorders.models import Assignment, WorkOrder

_CACHE_KEY = "workorders.viewer"
# Roles that see every order of their tenant (the hotline itself, its admins and readers).
TENANT_WIDE = frozenset({Role.AGENT, Role.DISPATCHER, Role.SUPERVISOR, Role.CALLBACK_AGENT, Role.TENANT_ADMIN,
                         Role.PROVINCE_ADMIN, Role.LEADER, Role.ANALYST})
# Who may reveal a caller's full phone number (each reveal is audited): those who call citizens back
# or take their calls, and supervisors. Units reveal only on their own non-confidential orders.
REVEAL_ROLES = frozenset({Role.AGENT, Role.CALLBACK_AGENT, Role.SUPERVISOR})


@dataclass(frozen=True)
class Viewer:
    acting: Acting
    roles: frozenset[Role]
    # The units the unit-handler grants cover; None when a grant covers every unit of the tenant.
    unit_ids: frozenset[uuid.UUID] | None

    @property
    def tenant_id(self) -> uuid.UUID:
        return self.acting.tenant_id

    @property
    def tenant_wide(self) -> bool:
        return bool(self.roles & TENANT_WIDE)

    def handles(self, unit_id: uuid.UUID) -> bool:
        if Role.UNIT_HANDLER not in self.roles:
            return False
        return self.unit_ids is None or unit_id in self.unit_ids

    def anonymised(self, order: WorkOrder) -> bool:
        """Whether the caller's identity is hidden from this viewer (保密, seen by a unit only)."""
        return order.confidential and not self.tenant_wide

    def unit_roles(self, assignment: Assignment) -> frozenset[Role]:
        """The roles that count for a move on this assignment: unit_handler only for the viewer's units."""
        return self.roles if self.handles(assignment.unit_id) else self.roles - {Role.UNIT_HANDLER}


async def viewer(session: AsyncSession, acting: Acting) -> Viewer:
    """The acting subject's roles in its tenant and the units it handles (cached for the transaction)."""
    cached: Viewer | None = session.info.get(_CACHE_KEY)
    if cached is not None and cached.acting == acting:
        return cached
    tenant_id = acting.tenant_id
    roles = frozenset(acting.roles)
    grants = [g for g in acting.subject.grants if g.tenant_id == tenant_id and g.role == Role.UNIT_HANDLER]
    unit_ids: frozenset[uuid.UUID] | None = None
    if grants and all(g.unit_id is not None for g in grants):
        unit_ids = _subtrees(await repo.unit_tree(session, acting.scope, tenant_id),
                             {g.unit_id for g in grants if g.unit_id is not None})
    result = Viewer(acting, roles, unit_ids)
    session.info[_CACHE_KEY] = result
    return result


def _subtrees(tree: Sequence[tuple[uuid.UUID, uuid.UUID | None]], roots: set[uuid.UUID]) -> frozenset[uuid.UUID]:
    children: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for unit_id, parent_id in tree:
        if parent_id is not None:
            children[parent_id].append(unit_id)
    found, todo = set(roots), list(roots)
    while todo:
        for child in children[todo.pop()]:
            if child not in found:
                found.add(child)
                todo.append(child)
    return frozenset(found)


async def visible_order(
    session: AsyncSession, who: Viewer, order_id: uuid.UUID, path: tuple[str, ...], *, for_update: bool = True
) -> WorkOrder:
    """An order of the acting tenant that the viewer may see, locked for the change; else "not found"."""
    order = await repo.order_by_id(session, who.acting.scope, order_id, for_update=for_update)
    if order is None or not await may_see(session, who, order):
        raise not_found(path, "work order")
    return order


async def may_see(session: AsyncSession, who: Viewer, order: WorkOrder) -> bool:
    if order.tenant_id != who.tenant_id:
        return False
    if who.tenant_wide:
        return True
    if Role.UNIT_HANDLER not in who.roles:
        return False
    assignments = await repo.assignments_of(session, who.acting.scope, [(order.tenant_id, order.id)])
    return any(who.handles(a.unit_id) for a in assignments)


async def visible_assignment(
    session: AsyncSession, who: Viewer, assignment_id: uuid.UUID, path: tuple[str, ...]
) -> tuple[WorkOrder, Assignment]:
    """An assignment with its order (locked), when the viewer may see the order; else "not found"."""
    assignment = await repo.assignment_by_id(session, who.acting.scope, assignment_id)
    if assignment is None:
        raise not_found(path, "assignment")
    order = await repo.order_by_id(session, who.acting.scope, assignment.order_id, for_update=True)
    if order is None or not await may_see(session, who, order):
        raise not_found(path, "assignment")
    await session.refresh(assignment)  # the order's lock serialises moves; read the assignment after it
    return order, assignment
