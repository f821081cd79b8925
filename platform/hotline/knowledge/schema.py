"""Queries and mutations of the knowledge base and the 一企来 line; every field answers `… | ValidationErrors`."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Annotated

import strawberry

from hotline.api.context import Info
from hotline.api.errors import ValidationErrors, attempt, read
from hotline.kernel.acting import Acting
from hotline.kernel.errors import DomainError
from hotline.knowledge import enterprise, importing, models, service
from hotline.knowledge import repository as repo
from hotline.knowledge.types import (
    EnterpriseAccessKey,
    EnterpriseAccount,
    EnterpriseHistory,
    EnterpriseQuestion,
    EnterpriseQuestionInput,
    EnterpriseQuestionList,
    EnterpriseServiceReport,
    KnowledgeArticle,
    KnowledgeArticleInput,
    KnowledgeArticleList,
    KnowledgeExport,
    KnowledgeImportInput,
    KnowledgeImportReport,
    KnowledgeLocalInput,
    KnowledgeNotice,
    KnowledgeNoticeList,
    KnowledgeSearchFilter,
    KnowledgeStatus,
    KnowledgeTerm,
    KnowledgeTermKind,
    KnowledgeTermList,
    KnowledgeUse,
    KnowledgeVersion,
    KnowledgeVersionList,
    PolicyRoute,
    PolicyRouteList,
    PolicySpecialist,
    PolicySpecialistList,
    SpreadsheetFormat,
)
from hotline.tenancy.types import Done

ArticleResult = Annotated[KnowledgeArticle | ValidationErrors, strawberry.union("KnowledgeArticleResult")]
ArticleListResult = Annotated[KnowledgeArticleList | ValidationErrors, strawberry.union("KnowledgeArticleListResult")]
VersionListResult = Annotated[KnowledgeVersionList | ValidationErrors, strawberry.union("KnowledgeVersionListResult")]
NoticeListResult = Annotated[KnowledgeNoticeList | ValidationErrors, strawberry.union("KnowledgeNoticeListResult")]
TermResult = Annotated[KnowledgeTerm | ValidationErrors, strawberry.union("KnowledgeTermResult")]
TermListResult = Annotated[KnowledgeTermList | ValidationErrors, strawberry.union("KnowledgeTermListResult")]
UseResult = Annotated[KnowledgeUse | ValidationErrors, strawberry.union("KnowledgeUseResult")]
ImportResult = Annotated[KnowledgeImportReport | ValidationErrors, strawberry.union("KnowledgeImportResult")]
ExportResult = Annotated[KnowledgeExport | ValidationErrors, strawberry.union("KnowledgeExportResult")]
DoneResult = Annotated[Done | ValidationErrors, strawberry.union("KnowledgeDoneResult")]
QuestionResult = Annotated[EnterpriseQuestion | ValidationErrors, strawberry.union("EnterpriseQuestionResult")]
QuestionListResult = Annotated[EnterpriseQuestionList | ValidationErrors,
                               strawberry.union("EnterpriseQuestionListResult")]
AccessKeyResult = Annotated[EnterpriseAccessKey | ValidationErrors, strawberry.union("EnterpriseAccessKeyResult")]
HistoryResult = Annotated[EnterpriseHistory | ValidationErrors, strawberry.union("EnterpriseHistoryResult")]
SpecialistResult = Annotated[PolicySpecialist | ValidationErrors, strawberry.union("PolicySpecialistResult")]
SpecialistListResult = Annotated[PolicySpecialistList | ValidationErrors,
                                 strawberry.union("PolicySpecialistListResult")]
RouteResult = Annotated[PolicyRoute | ValidationErrors, strawberry.union("PolicyRouteResult")]
RouteListResult = Annotated[PolicyRouteList | ValidationErrors, strawberry.union("PolicyRouteListResult")]
ReportResult = Annotated[EnterpriseServiceReport | ValidationErrors, strawberry.union("EnterpriseServiceReportResult")]


async def _view(info: Info, acting: Acting, article_id: uuid.UUID) -> KnowledgeArticle:
    return KnowledgeArticle.of(await service.get_article(info.context.session, acting, article_id))


@strawberry.type
class KnowledgeQuery:
    @strawberry.field(description="An article in reach: published ones for everyone, drafts for their editors.")
    async def knowledge_article(self, info: Info, id: uuid.UUID) -> ArticleResult:
        return await read(info.context, lambda acting: _view(info, acting, id))

    @strawberry.field(description="The acting hotline's own articles (drafts and reviews for its editors).")
    async def knowledge_articles(self, info: Info, status: KnowledgeStatus | None = None,  # type: ignore[valid-type]
                                 first: int = 50, offset: int = 0) -> ArticleListResult:
        async def run(acting: Acting) -> KnowledgeArticleList:
            views = await service.list_articles(info.context.session, acting,
                                                models.ArticleStatus(status) if status else None, first, offset)
            return KnowledgeArticleList(items=[KnowledgeArticle.of(v) for v in views])

        return await read(info.context, run)

    @strawberry.field(description="Full-text search in Chinese over the published articles in reach.")
    async def knowledge_search(self, info: Info, text: str, filter: KnowledgeSearchFilter | None = None,
                               first: int = 10) -> ArticleListResult:
        async def run(acting: Acting) -> KnowledgeArticleList:
            filters = filter.filters() if filter else service.SearchFilter()
            views = await service.search(info.context.session, acting, text, filters, first)
            return KnowledgeArticleList(items=[KnowledgeArticle.of(v) for v in views if not v.hidden])

        return await read(info.context, run)

    @strawberry.field(description="The best articles for what the agent is typing (the last word may be unfinished).")
    async def knowledge_suggestions(self, info: Info, text: str, first: int = 5) -> ArticleListResult:
        async def run(acting: Acting) -> KnowledgeArticleList:
            views = await service.search(info.context.session, acting, text, service.SearchFilter(), first,
                                         typing=True)
            return KnowledgeArticleList(items=[KnowledgeArticle.of(v) for v in views if not v.hidden])

        return await read(info.context, run)

    @strawberry.field(description="Every version of one of your articles (its editors only).")
    async def knowledge_versions(self, info: Info, article_id: uuid.UUID) -> VersionListResult:
        async def run(acting: Acting) -> KnowledgeVersionList:
            rows = await service.versions(info.context.session, acting, article_id)
            return KnowledgeVersionList(items=[KnowledgeVersion.of(v) for v in rows])

        return await read(info.context, run)

    @strawberry.field(description="Notices for the owner of articles: expiring, expired, found unhelpful.")
    async def knowledge_notices(self, info: Info, unread_only: bool = False, first: int = 50) -> NoticeListResult:
        async def run(acting: Acting) -> KnowledgeNoticeList:
            rows = await service.notices(info.context.session, acting, unread_only, first)
            return KnowledgeNoticeList(items=[KnowledgeNotice.of(n) for n in rows])

        return await read(info.context, run)

    @strawberry.field(description="The effective dictionary: your terms and your ancestors'.")
    async def knowledge_terms(self, info: Info) -> TermListResult:
        async def run(acting: Acting) -> KnowledgeTermList:
            chain = [*acting.scope.ancestor_ids, acting.tenant_id]
            rows = await repo.terms_for(info.context.session, acting.scope, chain)
            return KnowledgeTermList(items=[KnowledgeTerm.of(t) for t in rows])

        return await read(info.context, run)

    @strawberry.field(description="The acting hotline's own articles as CSV (its editors only).")
    async def knowledge_export(self, info: Info, status: KnowledgeStatus | None = None  # type: ignore[valid-type]
                               ) -> ExportResult:
        async def run(acting: Acting) -> KnowledgeExport:
            rows: list[models.Article] = []
            while True:
                views = await service.list_articles(info.context.session, acting,
                                                    models.ArticleStatus(status) if status else None, 200, len(rows))
                rows += [v.article for v in views]
                if len(views) < 200:
                    break
            return KnowledgeExport(csv=importing.export_csv(rows), count=len(rows))

        return await read(info.context, run)

    @strawberry.field(description="一企来: an enterprise's questions, by unified social credit code.")
    async def enterprise_history(self, info: Info, credit_code: str) -> HistoryResult:
        async def run(acting: Acting) -> EnterpriseHistory:
            found, questions = await enterprise.history(info.context.session, acting, credit_code)
            return EnterpriseHistory(enterprise=EnterpriseAccount.of(found),
                                     questions=[EnterpriseQuestion.of(q) for q in questions])

        return await read(info.context, run)

    @strawberry.field(description="一企来: the signed-in specialist's open questions (admins: all open ones).")
    async def specialist_inbox(self, info: Info) -> QuestionListResult:
        async def run(acting: Acting) -> EnterpriseQuestionList:
            rows = await enterprise.inbox(info.context.session, acting)
            return EnterpriseQuestionList(items=[EnterpriseQuestion.of(q) for q in rows])

        return await read(info.context, run)

    @strawberry.field(description="一企来: the line's policy specialists.")
    async def policy_specialists(self, info: Info) -> SpecialistListResult:
        async def run(acting: Acting) -> PolicySpecialistList:
            rows = await repo.specialists_of(info.context.session, acting.scope, acting.tenant_id)
            return PolicySpecialistList(items=[PolicySpecialist.of(s) for s in rows])

        return await read(info.context, run)

    @strawberry.field(description="一企来: the routing table (policy domain → department).")
    async def policy_routes(self, info: Info) -> RouteListResult:
        async def run(acting: Acting) -> PolicyRouteList:
            rows = await repo.routes_of(info.context.session, acting.scope, acting.tenant_id)
            return PolicyRouteList(items=[PolicyRoute.of(r) for r in rows])

        return await read(info.context, run)

    @strawberry.field(description="Requests of a period in your scope, enterprises' apart from citizens'.")
    async def enterprise_service_report(self, info: Info, from_: Annotated[dt.date, strawberry.argument(name="from")],
                                        to: dt.date) -> ReportResult:
        async def run(acting: Acting) -> EnterpriseServiceReport:
            r = await enterprise.report(info.context.session, acting, from_, to)
            return EnterpriseServiceReport(enterprise_orders=r.enterprise_orders, citizen_orders=r.citizen_orders,
                                           enterprise_questions=r.enterprise_questions, answered=r.answered,
                                           escalated=r.escalated, open=r.open, unrouted=r.unrouted)

        return await read(info.context, run)


def _decode(data: KnowledgeImportInput) -> Iterator[dict[str, str]]:
    if data.format == SpreadsheetFormat.CSV:
        return importing.rows_of_csv(data.content)
    try:
        raw = base64.b64decode(data.content, validate=True)
    except (binascii.Error, ValueError):
        raise DomainError.one(("content",), "an XLSX file in base64", "invalid_format") from None
    try:
        return iter(list(importing.rows_of_xlsx(raw)))
    except Exception:  # openpyxl raises many kinds on a broken file
        raise DomainError.one(("content",), "not a readable XLSX file", "invalid_format") from None


@strawberry.type
class KnowledgeMutation:
    @strawberry.mutation(description="一企来: issue an enterprise its access key to follow its own questions "
                                     "(the line's staff; replaces the previous key).")
    async def issue_enterprise_access_key(self, info: Info, credit_code: str) -> AccessKeyResult:
        async def run(acting: Acting) -> EnterpriseAccessKey:
            found, key = await enterprise.issue_access_key(info.context.session, acting, credit_code)
            return EnterpriseAccessKey(enterprise=EnterpriseAccount.of(found), access_key=key)

        result: AccessKeyResult = await attempt(info.context, run)
        return result

    @strawberry.mutation(description="Mark notices of your articles read; knowledgeNotices(unreadOnly: true) "
                                     "leaves them out. Marking again changes nothing.")
    async def mark_knowledge_notices_read(self, info: Info, notice_ids: list[uuid.UUID]) -> NoticeListResult:
        async def run(acting: Acting) -> KnowledgeNoticeList:
            rows = await service.mark_notices_read(info.context.session, acting, notice_ids)
            return KnowledgeNoticeList(items=[KnowledgeNotice.of(n) for n in rows])

        result: NoticeListResult = await attempt(info.context, run)
        return result

    @strawberry.mutation(description="A new article (a draft) of the acting hotline.")
    async def create_knowledge_article(self, info: Info, input: KnowledgeArticleInput) -> ArticleResult:
        s = info.context.session

        async def run(acting: Acting) -> KnowledgeArticle:
            article = await service.create_article(s, acting, input.data())
            return await _view(info, acting, article.id)

        return await attempt(info.context, run)

    @strawberry.mutation(description="Edit the draft (a published article gets a new draft version).")
    async def update_knowledge_article(self, info: Info, id: uuid.UUID, input: KnowledgeArticleInput) -> ArticleResult:
        async def run(acting: Acting) -> KnowledgeArticle:
            await service.update_article(info.context.session, acting, id, input.data())
            return await _view(info, acting, id)

        return await attempt(info.context, run)

    @strawberry.mutation(description="Send the draft to review.")
    async def submit_knowledge_article(self, info: Info, id: uuid.UUID) -> ArticleResult:
        async def run(acting: Acting) -> KnowledgeArticle:
            await service.submit_article(info.context.session, acting, id)
            return await _view(info, acting, id)

        return await attempt(info.context, run)

    @strawberry.mutation(description="Publish the version under review (reviewers: tenant or province admins).")
    async def publish_knowledge_article(self, info: Info, id: uuid.UUID) -> ArticleResult:
        async def run(acting: Acting) -> KnowledgeArticle:
            await service.publish_article(info.context.session, acting, id)
            return await _view(info, acting, id)

        return await attempt(info.context, run)

    @strawberry.mutation(description="Send the version under review back to draft with a note.")
    async def send_back_knowledge_article(self, info: Info, id: uuid.UUID, note: str) -> ArticleResult:
        async def run(acting: Acting) -> KnowledgeArticle:
            await service.reject_article(info.context.session, acting, id, note)
            return await _view(info, acting, id)

        return await attempt(info.context, run)

    @strawberry.mutation(description="Retire a published article (reviewers).")
    async def retire_knowledge_article(self, info: Info, id: uuid.UUID) -> ArticleResult:
        async def run(acting: Acting) -> KnowledgeArticle:
            await service.retire_article(info.context.session, acting, id)
            return await _view(info, acting, id)

        return await attempt(info.context, run)

    @strawberry.mutation(description="Your hotline's supplement to an inherited article, or hide it here.")
    async def set_knowledge_local(self, info: Info, article_id: uuid.UUID, input: KnowledgeLocalInput) -> ArticleResult:
        async def run(acting: Acting) -> KnowledgeArticle:
            view = await service.set_local(info.context.session, acting, article_id, service.LocalChange(
                input.supplement, input.local_phone, input.local_office, input.hidden))
            return KnowledgeArticle.of(view)

        return await attempt(info.context, run)

    @strawberry.mutation(description="Record that a direct answer (直办) was given from this article.")
    async def record_knowledge_direct_answer(self, info: Info, order_id: uuid.UUID, article_id: uuid.UUID) -> UseResult:
        async def run(acting: Acting) -> KnowledgeUse:
            return KnowledgeUse.of(await service.record_direct_answer(info.context.session, acting, order_id,
                                                                      article_id))

        return await attempt(info.context, run)

    @strawberry.mutation(description="Tell the owner whether an article helped (unhelpful needs a comment).")
    async def give_knowledge_feedback(self, info: Info, article_id: uuid.UUID, helpful: bool,
                                      comment: str | None = None) -> UseResult:
        async def run(acting: Acting) -> KnowledgeUse:
            return KnowledgeUse.of(await service.feedback(info.context.session, acting, article_id, helpful, comment))

        return await attempt(info.context, run)

    @strawberry.mutation(description="Add or change a dictionary entry of the acting hotline.")
    async def save_knowledge_term(self, info: Info, term: str, kind: KnowledgeTermKind,  # type: ignore[valid-type]
                                  synonyms: list[str] | None = None) -> TermResult:
        async def run(acting: Acting) -> KnowledgeTerm:
            row = await service.upsert_term(info.context.session, acting, term, models.TermKind(kind), synonyms or [])
            return KnowledgeTerm.of(row)

        return await attempt(info.context, run)

    @strawberry.mutation
    async def delete_knowledge_term(self, info: Info, term: str) -> DoneResult:
        async def run(acting: Acting) -> Done:
            await service.delete_term(info.context.session, acting, term)
            return Done()

        return await attempt(info.context, run)

    @strawberry.mutation(description="Import articles from CSV or XLSX; rejected rows come back with their errors.")
    async def import_knowledge_articles(self, info: Info, input: KnowledgeImportInput) -> ImportResult:
        async def run(acting: Acting) -> KnowledgeImportReport:
            mapping = {c.field: c.column for c in input.mapping}
            report = await importing.import_articles(info.context.session, acting, _decode(input), mapping,
                                                     input.publish)
            return KnowledgeImportReport.of(report)

        return await attempt(info.context, run)

    @strawberry.mutation(description="一企来: make an account of the line a policy specialist of a department.")
    async def register_policy_specialist(self, info: Info, login: str, department: str,
                                         policy_domains: list[str]) -> SpecialistResult:
        async def run(acting: Acting) -> PolicySpecialist:
            return PolicySpecialist.of(await enterprise.register_specialist(info.context.session, acting, login,
                                                                            department, policy_domains))

        return await attempt(info.context, run)

    @strawberry.mutation(description="一企来: route a policy domain to a department with hours to answer.")
    async def set_policy_route(self, info: Info, policy_domain: str, department: str,
                               answer_hours: float = 8.0) -> RouteResult:
        async def run(acting: Acting) -> PolicyRoute:
            return PolicyRoute.of(await enterprise.set_route(info.context.session, acting, policy_domain, department,
                                                             answer_hours))

        return await attempt(info.context, run)

    @strawberry.mutation(description="一企来: record an enterprise's question; it is routed to a specialist.")
    async def ask_enterprise_question(self, info: Info, input: EnterpriseQuestionInput) -> QuestionResult:
        async def run(acting: Acting) -> EnterpriseQuestion:
            q = await enterprise.ask(info.context.session, acting, enterprise.NewQuestion(
                input.credit_code, input.enterprise_name, input.policy_domain, input.title, input.content))
            return EnterpriseQuestion.of(q)

        return await attempt(info.context, run)

    @strawberry.mutation(description="一企来: the assigned specialist answers (optionally from an article).")
    async def answer_enterprise_question(self, info: Info, id: uuid.UUID, answer: str,
                                         article_id: uuid.UUID | None = None) -> QuestionResult:
        async def run(acting: Acting) -> EnterpriseQuestion:
            return EnterpriseQuestion.of(await enterprise.answer(info.context.session, acting, id, answer, article_id))

        return await attempt(info.context, run)

    @strawberry.mutation(description="一企来: the specialist cannot answer; escalate to a department.")
    async def escalate_enterprise_question(self, info: Info, id: uuid.UUID, department: str,
                                           reason: str) -> QuestionResult:
        async def run(acting: Acting) -> EnterpriseQuestion:
            return EnterpriseQuestion.of(await enterprise.escalate(info.context.session, acting, id, department,
                                                                   reason))

        return await attempt(info.context, run)
