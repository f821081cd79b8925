"""GraphQL types of the knowledge base and the 一企来 line."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

import strawberry

from hotline.api.context import Info
from hotline.api.errors import FieldError
from hotline.knowledge import models, service
from hotline.knowledge.importing import ImportReport

KnowledgeKind = strawberry.enum(models.ArticleKind, name="KnowledgeKind")
KnowledgeStatus = strawberry.enum(models.ArticleStatus, name="KnowledgeStatus")
KnowledgeVersionStatus = strawberry.enum(models.VersionStatus, name="KnowledgeVersionStatus")
ShareScope = strawberry.enum(models.ShareScope, name="ShareScope")
KnowledgeTermKind = strawberry.enum(models.TermKind, name="KnowledgeTermKind")
KnowledgeNoticeKind = strawberry.enum(models.NoticeKind, name="KnowledgeNoticeKind")
KnowledgeUseKind = strawberry.enum(models.UsageKind, name="KnowledgeUseKind")
EnterpriseQuestionStatus = strawberry.enum(models.QuestionStatus, name="EnterpriseQuestionStatus")


@strawberry.enum(name="SpreadsheetFormat")
class SpreadsheetFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


@strawberry.type(description="Metadata of a file attached to an article (the file itself lives elsewhere).")
class KnowledgeAttachment:
    name: str
    content_type: str
    size: int
    url: str | None


@strawberry.type(description="A lower tenant's local supplement to an inherited article (root first).")
class KnowledgeSupplement:
    tenant_id: uuid.UUID
    supplement: str | None
    local_phone: str | None
    local_office: str | None


@strawberry.type(description="Uses recorded in your scope (live), or across the deployment (owner totals).")
class KnowledgeUsage:
    direct_answers: int
    helpful: int
    unhelpful: int


@strawberry.type(description="A knowledge article: Q&A, policy document or handling standard.")
class KnowledgeArticle:
    id: uuid.UUID
    owner_tenant_id: uuid.UUID
    kind: KnowledgeKind  # type: ignore[valid-type]
    status: KnowledgeStatus  # type: ignore[valid-type]
    share_scope: ShareScope  # type: ignore[valid-type]
    alliance_code: str | None
    title: str
    question: str | None
    body: str
    category_codes: list[str]
    tags: list[str]
    policy_domain: str | None
    division_code: str | None
    effective_from: dt.date | None
    expires_on: dt.date | None
    source_document: str | None
    attachments: list[KnowledgeAttachment]
    version: int
    latest_version: int
    published_at: dt.datetime | None
    updated_at: dt.datetime
    owner_unit_id: uuid.UUID | None = strawberry.field(
        description="The owner tenant's unit that keeps this article current (责任单位), as shown here.")
    inherited: bool = strawberry.field(description="Owned by an ancestor, an alliance member or shared publicly.")
    editable: bool = strawberry.field(description="Owned within your subtree (its admins may change it).")
    hidden_here: bool = strawberry.field(description="Hidden for your hotline (by it or an ancestor).")
    supplements: list[KnowledgeSupplement]
    rank: float | None = strawberry.field(description="Search rank (higher is better); null outside a search.")
    fuzzy: bool = strawberry.field(description="Found by the fuzzy fallback (title bigrams, any word).")
    owner_totals: KnowledgeUsage | None = strawberry.field(
        description="Deployment-wide uses folded in by the usage sweep; for the owner's editors only.")

    @classmethod
    def of(cls, view: service.ArticleView) -> KnowledgeArticle:
        a = view.article
        return cls(
            id=a.id, owner_tenant_id=a.tenant_id, kind=models.ArticleKind(a.kind),
            status=models.ArticleStatus(a.status),
            share_scope=models.ShareScope(a.share_scope), alliance_code=a.alliance_code, title=a.title,
            question=a.question, body=a.body, category_codes=list(a.category_codes), tags=list(a.tags),
            policy_domain=a.policy_domain, division_code=a.division_code, effective_from=a.effective_from,
            expires_on=a.expires_on, source_document=a.source_document,
            attachments=[KnowledgeAttachment(name=x["name"], content_type=x.get("content_type") or "",
                                             size=int(x.get("size") or 0), url=x.get("url")) for x in a.attachments],
            version=a.version, latest_version=a.latest_version, published_at=a.published_at, updated_at=a.updated_at,
            owner_unit_id=a.owner_unit_id, inherited=view.inherited, editable=view.editable, hidden_here=view.hidden,
            supplements=[KnowledgeSupplement(tenant_id=s.tenant_id, supplement=s.supplement, local_phone=s.local_phone,
                                             local_office=s.local_office) for s in view.supplements],
            rank=view.rank, fuzzy=view.fuzzy,
            owner_totals=KnowledgeUsage(direct_answers=a.direct_answer_total, helpful=a.helpful_total,
                                        unhelpful=a.unhelpful_total) if view.editable else None)

    @strawberry.field(description="Uses recorded in your scope: direct answers (直办) and feedback.")
    async def usage(self, info: Info) -> KnowledgeUsage:
        acting = info.context.require_acting()
        figures = (await service.usage_in_scope(info.context.session, acting, [self.id]))[self.id]
        return KnowledgeUsage(direct_answers=figures.direct_answers, helpful=figures.helpful,
                              unhelpful=figures.unhelpful)


@strawberry.type
class KnowledgeArticleList:
    items: list[KnowledgeArticle]


@strawberry.type(description="One version of an article's content.")
class KnowledgeVersion:
    version: int
    status: KnowledgeVersionStatus  # type: ignore[valid-type]
    title: str
    updated_at: dt.datetime
    updated_by: str
    review_note: str | None
    published_at: dt.datetime | None = strawberry.field(description="When this version came into force.")
    ended_at: dt.datetime | None = strawberry.field(description="When a later version or retirement ended it.")
    expires_on: dt.date | None
    owner_unit_id: uuid.UUID | None

    @classmethod
    def of(cls, v: models.ArticleVersion) -> KnowledgeVersion:
        unit = v.content.get("owner_unit_id")
        return cls(version=v.version, status=models.VersionStatus(v.status), title=v.content.get("title", ""),
                   updated_at=v.updated_at, updated_by=v.updated_by_label, review_note=v.review_note,
                   published_at=v.published_at, ended_at=v.ended_at,
                   expires_on=dt.date.fromisoformat(v.content["expires_on"]) if v.content.get("expires_on") else None,
                   owner_unit_id=uuid.UUID(unit) if unit else None)


@strawberry.type
class KnowledgeVersionList:
    items: list[KnowledgeVersion]


@strawberry.type(description="Something an article's owner must look at: expiry, unhelpful feedback.")
class KnowledgeNotice:
    id: uuid.UUID
    article_id: uuid.UUID
    kind: KnowledgeNoticeKind  # type: ignore[valid-type]
    message: str
    created_at: dt.datetime
    read_at: dt.datetime | None

    @classmethod
    def of(cls, n: models.Notice) -> KnowledgeNotice:
        return cls(id=n.id, article_id=n.article_id, kind=models.NoticeKind(n.kind), message=n.message,
                   created_at=n.created_at, read_at=n.read_at)


@strawberry.type
class KnowledgeNoticeList:
    items: list[KnowledgeNotice]


@strawberry.type(description="A dictionary entry: a local word or place kept whole, or a synonym group.")
class KnowledgeTerm:
    term: str
    kind: KnowledgeTermKind  # type: ignore[valid-type]
    synonyms: list[str]
    tenant_id: uuid.UUID

    @classmethod
    def of(cls, t: models.Term) -> KnowledgeTerm:
        return cls(term=t.term, kind=models.TermKind(t.kind), synonyms=list(t.synonyms), tenant_id=t.tenant_id)


@strawberry.type
class KnowledgeTermList:
    items: list[KnowledgeTerm]


@strawberry.type(description="A recorded use of an article.")
class KnowledgeUse:
    id: uuid.UUID
    article_id: uuid.UUID
    kind: KnowledgeUseKind  # type: ignore[valid-type]
    order_id: uuid.UUID | None

    @classmethod
    def of(cls, u: models.Usage) -> KnowledgeUse:
        return cls(id=u.id, article_id=u.article_id, kind=models.UsageKind(u.kind), order_id=u.order_id)


@strawberry.type(description="A spreadsheet row that was not imported, with its problems.")
class KnowledgeRejectedRow:
    row: int
    errors: list[FieldError]


@strawberry.type
class KnowledgeImportReport:
    total: int
    created: int
    created_ids: list[uuid.UUID]
    rejected: list[KnowledgeRejectedRow]

    @classmethod
    def of(cls, r: ImportReport) -> KnowledgeImportReport:
        return cls(total=r.total, created=len(r.created), created_ids=[a.id for a in r.created],
                   rejected=[KnowledgeRejectedRow(row=x.row, errors=[FieldError(path=list(e.path), message=e.message,
                                                                                code=e.code) for e in x.errors])
                             for x in r.rejected])


@strawberry.type
class KnowledgeExport:
    csv: str
    count: int


@strawberry.type(description="An enterprise caller of the 一企来 line.")
class EnterpriseAccount:
    id: uuid.UUID
    credit_code: str
    name: str

    @classmethod
    def of(cls, e: models.Enterprise) -> EnterpriseAccount:
        return cls(id=e.id, credit_code=e.credit_code, name=e.name)


@strawberry.type(description="A policy specialist (政策专员) of the line.")
class PolicySpecialist:
    id: uuid.UUID
    user_id: uuid.UUID
    display_name: str
    department: str
    policy_domains: list[str]
    active: bool

    @classmethod
    def of(cls, s: models.Specialist) -> PolicySpecialist:
        return cls(id=s.id, user_id=s.user_id, display_name=s.display_name, department=s.department,
                   policy_domains=list(s.policy_domains), active=s.active)


@strawberry.type(description="A route of the line: a policy domain goes to a department, answered within hours.")
class PolicyRoute:
    policy_domain: str
    department: str
    answer_hours: float

    @classmethod
    def of(cls, r: models.PolicyRoute) -> PolicyRoute:
        return cls(policy_domain=r.policy_domain, department=r.department, answer_hours=r.answer_hours)


@strawberry.type(description="An enterprise's policy question.")
class EnterpriseQuestion:
    id: uuid.UUID
    enterprise_id: uuid.UUID
    policy_domain: str
    title: str
    content: str
    status: EnterpriseQuestionStatus  # type: ignore[valid-type]
    department: str | None
    specialist_id: uuid.UUID | None
    due_at: dt.datetime | None
    answer: str | None
    answered_at: dt.datetime | None
    article_id: uuid.UUID | None
    escalated_to: str | None
    escalation_reason: str | None
    created_at: dt.datetime

    @classmethod
    def of(cls, q: models.EnterpriseQuestion) -> EnterpriseQuestion:
        return cls(id=q.id, enterprise_id=q.enterprise_id, policy_domain=q.policy_domain, title=q.title,
                   content=q.content, status=models.QuestionStatus(q.status), department=q.department,
                   specialist_id=q.specialist_id, due_at=q.due_at, answer=q.answer, answered_at=q.answered_at,
                   article_id=q.article_id, escalated_to=q.escalated_to, escalation_reason=q.escalation_reason,
                   created_at=q.created_at)


@strawberry.type
class EnterpriseQuestionList:
    items: list[EnterpriseQuestion]


@strawberry.type(description="An enterprise's access key, shown once: with it the enterprise follows its own "
                                 "questions at /api/public/{lineCode}/enterprises/{creditCode}/questions "
                                 "(header X-Enterprise-Key). A new key replaces the previous one.")
class EnterpriseAccessKey:
    enterprise: EnterpriseAccount
    access_key: str


@strawberry.type
class EnterpriseHistory:
    enterprise: EnterpriseAccount
    questions: list[EnterpriseQuestion]


@strawberry.type
class PolicySpecialistList:
    items: list[PolicySpecialist]


@strawberry.type
class PolicyRouteList:
    items: list[PolicyRoute]


@strawberry.type(description="Requests of the period: enterprises' apart from citizens' (服务群众和企业并举).")
class EnterpriseServiceReport:
    enterprise_orders: int
    citizen_orders: int
    enterprise_questions: int
    answered: int
    escalated: int
    open: int
    unrouted: int


# --- inputs --------------------------------------------------------------------------------------


@strawberry.input
class KnowledgeAttachmentInput:
    name: str
    content_type: str = "application/octet-stream"
    size: int = 0
    url: str | None = None


@strawberry.input
class KnowledgeArticleInput:
    kind: KnowledgeKind  # type: ignore[valid-type]
    title: str
    body: str
    question: str | None = None
    category_codes: list[str] = strawberry.field(default_factory=list)
    tags: list[str] = strawberry.field(default_factory=list)
    policy_domain: str | None = None
    division_code: str | None = None
    effective_from: dt.date | None = None
    expires_on: dt.date | None = None
    source_document: str | None = None
    attachments: list[KnowledgeAttachmentInput] = strawberry.field(default_factory=list)
    share_scope: ShareScope = models.ShareScope.OWN  # type: ignore[valid-type]
    alliance_code: str | None = None
    owner_unit_code: str | None = strawberry.field(default=None, description=(
        "The unit that keeps the article current (责任单位). Null keeps the current one (a new article: the "
        "editor's own unit when the editor's grants name exactly one); an empty string removes it."))

    def data(self) -> service.ArticleData:
        return service.ArticleData(
            kind=models.ArticleKind(self.kind), title=self.title, body=self.body, question=self.question,
            category_codes=self.category_codes, tags=self.tags, policy_domain=self.policy_domain,
            division_code=self.division_code, effective_from=self.effective_from, expires_on=self.expires_on,
            source_document=self.source_document,
            attachments=[service.ArticleAttachment(a.name, a.content_type, a.size, a.url) for a in self.attachments],
            share_scope=models.ShareScope(self.share_scope), alliance_code=self.alliance_code,
            owner_unit_code=self.owner_unit_code)


@strawberry.input
class KnowledgeSearchFilter:
    kinds: list[KnowledgeKind] = strawberry.field(default_factory=list)  # type: ignore[valid-type]
    category_codes: list[str] = strawberry.field(default_factory=list,
                                                 description="Codes or their ancestors (a prefix matches below it).")
    division_code: str | None = strawberry.field(default=None, description="Only articles that apply there.")
    valid_on: dt.date | None = strawberry.field(default=None, description="Default: today.")
    include_expired: bool = False

    def filters(self) -> service.SearchFilter:
        return service.SearchFilter(kinds=[models.ArticleKind(k) for k in self.kinds],
                                    category_codes=self.category_codes, division_code=self.division_code,
                                    valid_on=self.valid_on, include_expired=self.include_expired)


@strawberry.input
class KnowledgeLocalInput:
    supplement: str | None = None
    local_phone: str | None = None
    local_office: str | None = None
    hidden: bool | None = None


@strawberry.input(description="Which spreadsheet column holds which article field.")
class KnowledgeColumn:
    field: str
    column: str


@strawberry.input
class KnowledgeImportInput:
    format: SpreadsheetFormat
    content: str = strawberry.field(description="CSV text, or the XLSX file in base64.")
    mapping: list[KnowledgeColumn]
    publish: bool = strawberry.field(default=False, description="Publish at once (reviewers only).")


@strawberry.input
class EnterpriseQuestionInput:
    credit_code: str
    enterprise_name: str | None = None
    policy_domain: str
    title: str
    content: str
