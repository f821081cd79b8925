"""The acting subject inside a request or job: who, in which tenant, with which roles where."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from hotline.kernel.context import SUBTREE_ROLES, Actor, Role, Subject
from hotline.kernel.errors import forbidden
from hotline.kernel.scope import TenantScope


@dataclass(frozen=True)
class Acting:
    subject: Subject
    scope: TenantScope

    @property
    def tenant_id(self) -> uuid.UUID:
        return self.scope.acting_tenant_id

    @property
    def actor(self) -> Actor:
        return Actor.of(self.subject)

    @property
    def roles(self) -> set[Role]:
        """Roles effective in the acting tenant, including subtree roles granted on its ancestors."""
        return self.roles_at(self.tenant_id, self.scope.ancestor_ids)

    def roles_at(self, tenant_id: uuid.UUID, ancestors: Sequence[uuid.UUID]) -> set[Role]:
        """Roles effective in a tenant: its own grants, plus subtree roles granted on an ancestor."""
        roles = set()
        for grant in self.subject.grants:
            if grant.tenant_id == tenant_id or (grant.role in SUBTREE_ROLES and grant.tenant_id in ancestors):
                roles.add(grant.role)
        return roles

    def require(self, tenant_id: uuid.UUID, ancestors: Sequence[uuid.UUID], allowed: Iterable[Role]) -> None:
        if not self.roles_at(tenant_id, ancestors) & set(allowed):
            raise forbidden()
