"""The per-request GraphQL context: one session, one transaction, the subject, its scope, loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info as StrawberryInfo

from hotline.api.dataloaders import Loaders
from hotline.kernel.acting import Acting
from hotline.kernel.context import Subject
from hotline.kernel.database import Database
from hotline.kernel.errors import DomainError
from hotline.kernel.settings import Settings


@dataclass
class Context:
    db: Database
    session: AsyncSession
    settings: Settings
    subject: Subject | None
    acting: Acting | None
    loaders: Loaders
    # Cookies to set or clear on the response: (name, value or None to delete).
    cookies: list[tuple[str, str | None]] = field(default_factory=list)
    # A mutation operation of one root field (set by `api.errors.SoleMutation`): its change needs no
    # savepoint, and its expected failure sets `roll_back`, which rolls back the request's transaction.
    sole_mutation: bool = False
    roll_back: bool = False

    def require_acting(self) -> Acting:
        if self.acting is None:
            raise DomainError.one((), "sign in first", "unauthenticated")
        return self.acting


Info = StrawberryInfo[Context, Any]
