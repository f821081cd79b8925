"""Sign-in, sessions and the resolution of a token into an acting subject and its tenant scope.

This is one of the named cross-tenant paths: it runs on the system role, because an account must be
found before any scope exists. Everything it changes is audited in the account's home tenant.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from dataclasses import dataclass

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel import audit
from hotline.kernel.acting import Acting
from hotline.kernel.auth import new_token, split_token, verify_password
from hotline.kernel.context import SUBTREE_ROLES, Actor, Grant, Role, Subject
from hotline.kernel.errors import DomainError
from hotline.kernel.ids import new_id
from hotline.kernel.models import utcnow
from hotline.kernel.scope import TenantScope
from hotline.kernel.settings import AuthSettings
from hotline.tenancy import repository as repo
from hotline.tenancy.models import AuthSession, Tenant, TenantStatus, User

log = structlog.get_logger(__name__)
# How stale `last_seen_at` may get before a request writes it again (keeps reads write-free).
TOUCH_EVERY = dt.timedelta(seconds=60)


class CallerCache:
    """Resolved callers of this process for a few seconds, so that a burst of requests with one token
    costs one lookup. Changes of sessions, grants or tenant status made in this process clear it at once;
    other processes see them within `AuthSettings.caller_cache_seconds`."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self._entries: dict[tuple[str, str | None], tuple[float, Subject, Acting | None]] = {}
        self._max = max_entries

    def get(self, token: str, tenant_code: str | None) -> tuple[Subject, Acting | None] | None:
        entry = self._entries.get((token, tenant_code))
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1], entry[2]

    def put(self, token: str, tenant_code: str | None, subject: Subject, acting: Acting | None, ttl: float) -> None:
        if ttl <= 0:
            return
        if len(self._entries) >= self._max:
            self._entries.clear()
        self._entries[(token, tenant_code)] = (time.monotonic() + ttl, subject, acting)

    def clear(self) -> None:
        self._entries.clear()


CALLERS = CallerCache()


@dataclass(frozen=True)
class SignedIn:
    token: str
    subject: Subject


async def login(session: AsyncSession, settings: AuthSettings, login_name: str, password: str) -> SignedIn:
    """Check the password, count failures, lock after too many; return a new console session."""
    user = await repo.system_login(session, login_name)
    now = utcnow()
    if user is not None and user.locked_until is not None and user.locked_until > now:
        _audit(session, user, "auth.login_refused_locked")
        raise DomainError.one(("login",), "account locked after repeated failures; try again later", "locked")
    if not verify_password(user.password_hash if user else None, password) or user is None or not user.active:
        if user is not None:
            _count_failure(session, settings, user, now)
        log.info("auth.login_failed", login=login_name)
        raise DomainError.one(("password",), "wrong login or password", "invalid_credentials")
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    token = await _open_session(session, user, "cookie", None, now)
    _audit(session, user, "auth.login")
    return SignedIn(token, await _subject(session, user))


def _count_failure(session: AsyncSession, settings: AuthSettings, user: User, now: dt.datetime) -> None:
    user.failed_logins += 1
    if user.failed_logins >= settings.lockout_attempts:
        user.locked_until = now + dt.timedelta(minutes=settings.lockout_minutes)
        user.failed_logins = 0
        _audit(session, user, "auth.locked")
    _audit(session, user, "auth.login_failed")


async def _open_session(session: AsyncSession, user: User, kind: str, label: str | None, now: dt.datetime) -> str:
    token, token_hash = new_token(user.tenant_id)
    session.add(AuthSession(tenant_id=user.tenant_id, id=new_id(), user_id=user.id, token_hash=token_hash,
                            kind=kind, label=label, last_seen_at=now))
    return token


async def create_api_token(session: AsyncSession, subject: Subject, label: str) -> str:
    """A bearer token for a machine client, acting as the same account; it has no idle timeout."""
    user = await repo.system_user(session, subject.home_tenant_id, subject.user_id)
    if user is None:
        raise DomainError.one((), "account not found", "not_found")
    token = await _open_session(session, user, "bearer", label, utcnow())
    _audit(session, user, "auth.api_token_created", {"label": label})
    return token


async def logout(session: AsyncSession, subject: Subject) -> None:
    CALLERS.clear()
    if subject.session_id is None:
        return
    row = await session.get(AuthSession, (subject.home_tenant_id, subject.session_id))
    if row is not None:
        row.revoked_at = utcnow()
        audit.record(session, subject.home_tenant_id, Actor.of(subject), "auth.logout", ("auth_session", row.id))


async def authenticate(session: AsyncSession, settings: AuthSettings, token: str) -> Subject | None:
    """The subject behind a token, or None if the token is unknown, revoked, expired or idle too long."""
    parts = split_token(token)
    if parts is None:
        return None
    row = await repo.system_session(session, *parts)
    now = utcnow()
    if row is None or (row.expires_at is not None and row.expires_at <= now):
        return None
    if row.kind == "cookie" and now - row.last_seen_at > dt.timedelta(minutes=settings.idle_timeout_minutes):
        return None
    user = await repo.system_user(session, row.tenant_id, row.user_id)
    if user is None or not user.active:
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        await repo.system_touch_session(session, row, now)
    return await _subject(session, user, row.id)


async def _subject(session: AsyncSession, user: User, session_id: uuid.UUID | None = None) -> Subject:
    grants = await repo.system_grants(session, user.tenant_id, user.id)
    codes = await repo.system_tenant_codes(session, sorted({g.tenant_id for g in grants}))
    return Subject(
        user_id=user.id, home_tenant_id=user.tenant_id, login=user.login, display_name=user.display_name,
        grants=tuple(Grant(g.tenant_id, Role(g.role), g.unit_id, g.id, codes.get(g.tenant_id)) for g in grants),
        session_id=session_id,
    )


async def acting_in(session: AsyncSession, subject: Subject, tenant_code: str | None) -> Acting | None:
    """The subject acting in a tenant (by code; default: its home tenant), with the tenant's subtree as
    scope; None when the subject holds no role there. A suspended tenant admits only the admins above it.
    """
    if tenant_code:
        tenant = await repo.system_tenant_by_code(session, tenant_code)
    else:
        tenant = await repo.system_tenant(session, _default_tenant(subject))
    if tenant is None or not _may_act(subject, tenant):
        return None
    subtree = await repo.system_subtree(session, tenant.tenant_id)
    alliances = await repo.system_alliances_of_chain(session, tenant)
    return Acting(subject, TenantScope(tenant.tenant_id, frozenset(subtree), tuple(tenant.ancestors),
                                       frozenset(alliances)))


def _default_tenant(subject: Subject) -> uuid.UUID:
    own = [g.tenant_id for g in subject.grants if g.tenant_id == subject.home_tenant_id]
    if own or not subject.grants:
        return subject.home_tenant_id
    return subject.grants[0].tenant_id


def _may_act(subject: Subject, tenant: Tenant) -> bool:
    inherited = any(g.role in SUBTREE_ROLES and g.tenant_id in tenant.ancestors for g in subject.grants)
    if tenant.status == TenantStatus.SUSPENDED:
        return inherited
    return inherited or any(g.tenant_id == tenant.tenant_id for g in subject.grants)


def _audit(session: AsyncSession, user: User, action: str, after: dict[str, str] | None = None) -> None:
    audit.record(session, user.tenant_id, Actor(user.id, user.tenant_id, user.login), action,
                 ("user", user.id), after=after)
