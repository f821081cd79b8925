"""一企来: enterprise questions routed to policy specialists by policy domain, answered online with a deadline,
escalated to a department when the specialist cannot answer; the enterprise's history; the line's report.

Routing is a small table of this package (`policy_routes`: domain → department, hours to answer); the
specialist is the active one of that department with the domain and the fewest open questions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel import audit, calendar
from hotline.kernel.acting import Acting
from hotline.kernel.calendar import DurationUnit
from hotline.kernel.context import Actor, Role
from hotline.kernel.errors import DomainError, Validator, forbidden, not_found
from hotline.kernel.ids import new_id
from hotline.kernel.models import utcnow
from hotline.kernel.scope import TenantScope
from hotline.knowledge import repository as repo
from hotline.knowledge.models import Enterprise, EnterpriseQuestion, PolicyRoute, QuestionStatus, Specialist
from hotline.tenancy import repository as tenancy_repo
from hotline.tenancy.models import Tenant, TenantKind
from hotline.workorders.intake import credit_code_valid

LINE_STAFF = {Role.AGENT, Role.POLICY_SPECIALIST, Role.TENANT_ADMIN, Role.PROVINCE_ADMIN}
ADMINS = (Role.TENANT_ADMIN, Role.PROVINCE_ADMIN)
DEFAULT_ANSWER_HOURS = 8.0  # working hours, when the domain has no route of its own


async def _line(session: AsyncSession, acting: Acting) -> Tenant:
    found = await tenancy_repo.tenants_by_ids(session, acting.scope, [acting.tenant_id])
    if not found:
        raise not_found((), "tenant")
    tenant = found[0]
    if tenant.kind != TenantKind.ENTERPRISE_LINE:
        raise DomainError.one((), "this is done on an enterprise service line (一企来)", "not_enterprise_line")
    return tenant


def _staff(acting: Acting, tenant: Tenant) -> set[Role]:
    roles = acting.roles_at(tenant.tenant_id, tenant.ancestors)
    if not roles & LINE_STAFF:
        raise forbidden("only the line's staff handle enterprise questions")
    return roles


def _code(value: str) -> str:
    return value.strip().upper()


async def register_specialist(session: AsyncSession, acting: Acting, login: str, department: str,
                              domains: Sequence[str]) -> Specialist:
    tenant = await _line(session, acting)
    acting.require(tenant.tenant_id, tenant.ancestors, ADMINS)
    v = Validator()
    v.check(bool(department.strip()), ("department",), "department is required", "required")
    clean = list(dict.fromkeys(d.strip() for d in domains if d.strip()))
    v.check(bool(clean), ("policyDomains",), "at least one policy domain", "required")
    v.raise_if_any()
    user = await tenancy_repo.user_by_login(session, acting.scope, login)
    if user is None or user.tenant_id != tenant.tenant_id:
        raise not_found(("login",), "user")
    grants = await tenancy_repo.grants_in(session, acting.scope, tenant.tenant_id)
    if not any(g.user_id == user.id and g.role == Role.POLICY_SPECIALIST for g in grants):
        raise DomainError.one(("login",), "the account needs the policy_specialist role first", "missing_role")
    row = await repo.specialist_of_user(session, acting.scope, tenant.tenant_id, user.id)
    if row is None:
        row = Specialist(tenant_id=tenant.tenant_id, id=new_id(), user_id=user.id, display_name=user.display_name,
                         active=True)
        session.add(row)
    row.department = department.strip()
    row.policy_domains = clean
    row.active = True
    await session.flush()
    audit.record(session, tenant.tenant_id, acting.actor, "policy_specialist.saved", ("policy_specialist", row.id),
                 after={"login": login, "department": row.department, "policy_domains": clean})
    return row


async def set_route(session: AsyncSession, acting: Acting, domain: str, department: str,
                    answer_hours: float) -> PolicyRoute:
    tenant = await _line(session, acting)
    acting.require(tenant.tenant_id, tenant.ancestors, ADMINS)
    v = Validator()
    v.check(bool(domain.strip()), ("policyDomain",), "policy domain is required", "required")
    v.check(bool(department.strip()), ("department",), "department is required", "required")
    v.check(0 < answer_hours <= 24 * 30, ("answerHours",), "1 hour to 30 days", "out_of_range")
    v.raise_if_any()
    row = await repo.route_for(session, acting.scope, tenant.tenant_id, domain.strip())
    if row is None:
        row = PolicyRoute(tenant_id=tenant.tenant_id, id=new_id(), policy_domain=domain.strip())
        session.add(row)
    row.department = department.strip()
    row.answer_hours = answer_hours
    await session.flush()
    audit.record(session, tenant.tenant_id, acting.actor, "policy_route.saved", ("policy_route", row.id),
                 after={"policy_domain": row.policy_domain, "department": row.department,
                        "answer_hours": answer_hours})
    return row


@dataclass(frozen=True)
class NewQuestion:
    credit_code: str
    enterprise_name: str | None
    policy_domain: str
    title: str
    content: str


async def ask(session: AsyncSession, acting: Acting, data: NewQuestion) -> EnterpriseQuestion:
    """Record an enterprise's question and route it to a specialist of the domain's department."""
    tenant = await _line(session, acting)
    _staff(acting, tenant)
    code = _code(data.credit_code)
    v = Validator()
    v.check(credit_code_valid(code), ("creditCode",), "not a valid unified social credit code", "invalid_format")
    v.check(bool(data.policy_domain.strip()), ("policyDomain",), "policy domain is required", "required")
    v.check(bool(data.title.strip()) and len(data.title.strip()) <= 200, ("title",), "title: 1 to 200 characters",
            "required")
    v.check(bool(data.content.strip()), ("content",), "content is required", "required")
    v.raise_if_any()
    enterprise = await repo.enterprise_by_code(session, acting.scope, tenant.tenant_id, code)
    if enterprise is None:
        if not (data.enterprise_name or "").strip():
            raise DomainError.one(("enterpriseName",), "a new enterprise needs its name", "required")
        enterprise = Enterprise(tenant_id=tenant.tenant_id, id=new_id(), credit_code=code,
                                name=(data.enterprise_name or "").strip())
        session.add(enterprise)
        await session.flush()
    domain = data.policy_domain.strip()
    route = await repo.route_for(session, acting.scope, tenant.tenant_id, domain)
    department = route.department if route else None
    specialist = await repo.least_loaded_specialist(session, acting.scope, tenant.tenant_id, domain, department)
    if specialist is None and department is not None:
        specialist = await repo.least_loaded_specialist(session, acting.scope, tenant.tenant_id, domain, None)
    now = utcnow()
    question = EnterpriseQuestion(
        tenant_id=tenant.tenant_id, id=new_id(), enterprise_id=enterprise.id, policy_domain=domain,
        title=data.title.strip(), content=data.content.strip(), department=department,
        status=QuestionStatus.ASSIGNED if specialist else QuestionStatus.UNROUTED,
        specialist_id=specialist.id if specialist else None, overdue_notified=False,
        created_by_label=acting.actor.label, created_at=now)
    if specialist is not None:
        hours = route.answer_hours if route else DEFAULT_ANSWER_HOURS
        due = await calendar.due_at(session, acting.scope, tenant.tenant_id, now, hours, DurationUnit.WORKING_HOURS)
        question.due_at = due.at
        question.department = department or specialist.department
    session.add(question)
    await session.flush()
    audit.record(session, tenant.tenant_id, acting.actor, "enterprise_question.routed", ("enterprise_question",
                                                                                         question.id),
                 after={"credit_code": code, "policy_domain": domain, "department": question.department,
                        "specialist_id": str(specialist.id) if specialist else None, "status": question.status})
    return question


async def _question_for_specialist(session: AsyncSession, acting: Acting, question_id: uuid.UUID
                                   ) -> tuple[Tenant, EnterpriseQuestion]:
    tenant = await _line(session, acting)
    roles = _staff(acting, tenant)
    question = await repo.question(session, acting.scope, tenant.tenant_id, question_id)
    if question is None:
        raise not_found(("questionId",), "question")
    if not roles & set(ADMINS):
        me = await repo.specialist_of_user(session, acting.scope, tenant.tenant_id, acting.subject.user_id)
        if me is None or question.specialist_id != me.id:
            raise forbidden("only the assigned specialist answers this question")
    if question.status != QuestionStatus.ASSIGNED:
        raise DomainError.one(("questionId",), "the question is no longer waiting for an answer", "invalid_state")
    return tenant, question


async def answer(session: AsyncSession, acting: Acting, question_id: uuid.UUID, text: str,
                 article_id: uuid.UUID | None = None) -> EnterpriseQuestion:
    tenant, question = await _question_for_specialist(session, acting, question_id)
    if not text.strip():
        raise DomainError.one(("answer",), "the answer is required", "required")
    if article_id is not None:
        article = await repo.visible_article(session, acting.scope, article_id)
        if article is None or article.status != "published":
            raise not_found(("articleId",), "article")
        question.article_tenant_id, question.article_id = article.tenant_id, article.id
    question.answer = text.strip()
    question.answered_at = utcnow()
    question.answered_by_label = acting.actor.label
    question.status = QuestionStatus.ANSWERED
    audit.record(session, tenant.tenant_id, acting.actor, "enterprise_question.answered",
                 ("enterprise_question", question.id),
                 after={"answer": question.answer,
                        "on_time": bool(question.due_at and question.answered_at <= question.due_at)})
    return question


async def escalate(session: AsyncSession, acting: Acting, question_id: uuid.UUID, department: str,
                   reason: str) -> EnterpriseQuestion:
    """The specialist cannot answer: the question goes to a department (handled outside the line's inbox)."""
    tenant, question = await _question_for_specialist(session, acting, question_id)
    v = Validator()
    v.check(bool(department.strip()), ("department",), "name the department", "required")
    v.check(bool(reason.strip()), ("reason",), "say why the specialist cannot answer", "required")
    v.raise_if_any()
    question.status = QuestionStatus.ESCALATED
    question.escalated_to = department.strip()
    question.escalation_reason = reason.strip()
    question.escalated_at = utcnow()
    audit.record(session, tenant.tenant_id, acting.actor, "enterprise_question.escalated",
                 ("enterprise_question", question.id), after={"department": question.escalated_to,
                                                               "reason": question.escalation_reason})
    return question


def key_hash(key: str) -> str:
    """An access key is 32 random bytes: a plain SHA-256 is enough to keep it out of the database."""
    return hashlib.sha256(key.encode()).hexdigest()


async def issue_access_key(session: AsyncSession, acting: Acting, credit_code: str) -> tuple[Enterprise, str]:
    """A new key with which the enterprise follows its own questions (the previous key stops working).

    The key is returned once; only its hash is kept. It opens nothing but this enterprise's history."""
    tenant = await _line(session, acting)
    _staff(acting, tenant)
    enterprise = await repo.enterprise_by_code(session, acting.scope, tenant.tenant_id, _code(credit_code))
    if enterprise is None:
        raise not_found(("creditCode",), "enterprise")
    key = secrets.token_urlsafe(32)
    enterprise.access_key_hash = key_hash(key)
    await session.flush()
    audit.record(session, tenant.tenant_id, acting.actor, "enterprise.access_key_issued", ("enterprise", enterprise.id),
                 after={"credit_code": enterprise.credit_code})
    return enterprise, key


async def own_history(session: AsyncSession, tenant_id: uuid.UUID, credit_code: str, key: str
                      ) -> tuple[Enterprise, Sequence[EnterpriseQuestion]] | None:
    """The enterprise's own questions when the key is its current one; None otherwise (an unknown code and
    a wrong key look the same). Runs in a transaction scoped to the line alone."""
    scope = TenantScope.single(tenant_id)
    enterprise = await repo.enterprise_by_code(session, scope, tenant_id, _code(credit_code))
    if enterprise is None or not enterprise.access_key_hash or not key or \
            not hmac.compare_digest(enterprise.access_key_hash, key_hash(key)):
        return None
    return enterprise, await repo.questions(session, scope, tenant_id, enterprise_id=enterprise.id)


OVERDUE_ACTOR = Actor.system("knowledge.overdue_questions")


async def escalate_overdue(session: AsyncSession, now: dt.datetime, limit: int = 500) -> int:
    """Escalate every question its specialist did not answer by its deadline to the question's department.

    Runs on the system role (every line at once). Idempotent: an escalated question is no longer
    `assigned`, so a second sweep finds nothing; rows another sweep holds are skipped."""
    overdue = await repo.system_overdue_questions(session, now, limit)
    for question in overdue:
        question.status = QuestionStatus.ESCALATED
        question.escalated_to = question.department or "未指定部门"
        question.escalation_reason = (f"not answered by its deadline "
                                      f"{question.due_at.astimezone(calendar.TIMEZONE):%Y-%m-%d %H:%M}"
                                      if question.due_at else "not answered by its deadline")
        question.escalated_at = now
        question.overdue_notified = True
        audit.record(session, question.tenant_id, OVERDUE_ACTOR, "enterprise_question.escalated",
                     ("enterprise_question", question.id),
                     after={"department": question.escalated_to, "reason": question.escalation_reason,
                            "overdue": True})
    await session.flush()
    return len(overdue)


async def history(session: AsyncSession, acting: Acting, credit_code: str) -> tuple[Enterprise,
                                                                                    Sequence[EnterpriseQuestion]]:
    tenant = await _line(session, acting)
    _staff(acting, tenant)
    enterprise = await repo.enterprise_by_code(session, acting.scope, tenant.tenant_id, _code(credit_code))
    if enterprise is None:
        raise not_found(("creditCode",), "enterprise")
    return enterprise, await repo.questions(session, acting.scope, tenant.tenant_id, enterprise_id=enterprise.id)


async def inbox(session: AsyncSession, acting: Acting) -> Sequence[EnterpriseQuestion]:
    """The signed-in specialist's open questions (admins: every open question of the line)."""
    tenant = await _line(session, acting)
    roles = _staff(acting, tenant)
    if roles & set(ADMINS):
        return await repo.questions(session, acting.scope, tenant.tenant_id, status=QuestionStatus.ASSIGNED)
    me = await repo.specialist_of_user(session, acting.scope, tenant.tenant_id, acting.subject.user_id)
    if me is None:
        return []
    return await repo.questions(session, acting.scope, tenant.tenant_id, specialist_id=me.id,
                                status=QuestionStatus.ASSIGNED)


async def enterprises_of(session: AsyncSession, acting: Acting, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID,
                                                                                                  Enterprise]:
    rows = await repo.enterprises_by_ids(session, acting.scope, acting.tenant_id, ids)
    return {e.id: e for e in rows}


@dataclass(frozen=True)
class ServiceReport:
    enterprise_orders: int
    citizen_orders: int
    enterprise_questions: int
    answered: int
    escalated: int
    open: int
    unrouted: int


async def report(session: AsyncSession, acting: Acting, start: dt.date, end: dt.date) -> ServiceReport:
    """Requests of the scope in [start, end]: enterprises' apart from citizens' (服务群众和企业并举)."""
    tenant = (await tenancy_repo.tenants_by_ids(session, acting.scope, [acting.tenant_id]))[0]
    roles = acting.roles_at(tenant.tenant_id, tenant.ancestors)
    if not roles & {Role.TENANT_ADMIN, Role.PROVINCE_ADMIN, Role.ANALYST, Role.LEADER}:
        raise forbidden("reports are for admins, analysts and leaders")
    if end < start:
        raise DomainError.one(("to",), "the period ends before it starts", "out_of_range")
    lo = dt.datetime.combine(start, dt.time(), tzinfo=calendar.TIMEZONE)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=lo.tzinfo)
    enterprise_orders, citizen_orders = await repo.order_counts_by_requester(session, acting.scope, lo, hi)
    counts = await repo.question_counts(session, acting.scope, lo, hi)
    return ServiceReport(enterprise_orders, citizen_orders, sum(counts.values()),
                         counts.get(QuestionStatus.ANSWERED, 0), counts.get(QuestionStatus.ESCALATED, 0),
                         counts.get(QuestionStatus.ASSIGNED, 0), counts.get(QuestionStatus.UNROUTED, 0))
