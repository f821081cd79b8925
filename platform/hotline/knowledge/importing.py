"""Bulk import of articles from a spreadsheet (CSV or XLSX) with a column mapping, and CSV export.

Every row is validated like a form; valid rows become drafts (or are published at once when a reviewer
asks for it), rejected rows come back with their row number and field errors. Nothing of a rejected row
is written; the valid rows of the same file are.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from hotline.kernel.acting import Acting
from hotline.kernel.errors import DomainError, FieldError
from hotline.knowledge import repository as repo
from hotline.knowledge import service
from hotline.knowledge.models import Article, ArticleKind, ShareScope

FIELDS = ("title", "body", "question", "kind", "categoryCodes", "tags", "policyDomain", "divisionCode",
          "effectiveFrom", "expiresOn", "sourceDocument", "shareScope", "allianceCode", "ownerUnitCode")
REQUIRED = ("title", "body")
MAX_ROWS = 20_000
_SPLIT = re.compile(r"[;,，；、|\s]+")
KIND_WORDS = {"问答": "qa", "政策": "policy", "政策文件": "policy", "标准": "standard", "办理标准": "standard",
              "处置规范": "standard"}
SCOPE_WORDS = {"本级": "own", "下级": "subtree", "全省": "subtree", "联盟": "alliance", "公开": "public"}


@dataclass
class RejectedRow:
    row: int
    errors: list[FieldError]


@dataclass
class ImportReport:
    created: list[Article] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    total: int = 0


def rows_of_csv(content: str) -> Iterator[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    for row in reader:
        yield {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}


def rows_of_xlsx(content: bytes) -> Iterator[dict[str, str]]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    for values in rows:
        yield {h: _cell(v) for h, v in zip(header, values, strict=False) if h}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _check_mapping(mapping: Mapping[str, str], header: Sequence[str]) -> None:
    errors = [FieldError(("mapping", f), f"unknown field {f}", "invalid_value") for f in mapping if f not in FIELDS]
    errors += [FieldError(("mapping", f), f"map a column to {f}", "required") for f in REQUIRED if f not in mapping]
    errors += [FieldError(("mapping", f), f"no column named {c}", "not_found") for f, c in mapping.items()
               if f in FIELDS and c not in header]
    if errors:
        raise DomainError(errors)


def _date(value: str, path: tuple[str, ...], errors: list[FieldError]) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.replace("/", "-").replace(".", "-")[:10])
    except ValueError:
        errors.append(FieldError(path, "a date like 2026-12-31", "invalid_format"))
        return None


def _data(values: Mapping[str, str]) -> tuple[service.ArticleData | None, list[FieldError]]:
    errors: list[FieldError] = []
    kind = KIND_WORDS.get(values.get("kind", ""), values.get("kind") or "standard")
    if kind not in set(ArticleKind):
        errors.append(FieldError(("kind",), "kind is qa, policy or standard", "invalid_value"))
    scope = SCOPE_WORDS.get(values.get("shareScope", ""), values.get("shareScope") or "own")
    if scope not in set(ShareScope):
        errors.append(FieldError(("shareScope",), "unknown share scope", "invalid_value"))
    effective = _date(values.get("effectiveFrom", ""), ("effectiveFrom",), errors)
    expires = _date(values.get("expiresOn", ""), ("expiresOn",), errors)
    if errors:
        return None, errors
    return service.ArticleData(
        kind=ArticleKind(kind), title=values.get("title", ""), body=values.get("body", ""),
        question=values.get("question") or None,
        category_codes=[c for c in _SPLIT.split(values.get("categoryCodes", "")) if c],
        tags=[t for t in _SPLIT.split(values.get("tags", "")) if t], policy_domain=values.get("policyDomain") or None,
        division_code=values.get("divisionCode") or None, effective_from=effective, expires_on=expires,
        source_document=values.get("sourceDocument") or None, share_scope=ShareScope(scope),
        alliance_code=values.get("allianceCode") or None, owner_unit_code=values.get("ownerUnitCode") or None), []


async def import_articles(session: AsyncSession, acting: Acting, rows: Iterator[dict[str, str]],
                          mapping: Mapping[str, str], publish: bool) -> ImportReport:
    report = ImportReport()
    known = await repo.category_codes(session)
    first = True
    for number, raw in enumerate(rows, start=2):  # row 1 is the header
        if first:
            _check_mapping(mapping, list(raw))
            first = False
        if report.total >= MAX_ROWS:
            raise DomainError.one(("file",), f"at most {MAX_ROWS} rows per file", "too_many")
        report.total += 1
        values = {f: raw.get(c, "") for f, c in mapping.items()}
        data, errors = _data(values)
        if data is None:
            report.rejected.append(RejectedRow(number, errors))
            continue
        try:
            async with session.begin_nested():
                article = await service.create_article(session, acting, data, known_categories=known)
                if publish:
                    await service.submit_article(session, acting, article.id)
                    await service.publish_article(session, acting, article.id)
        except DomainError as error:
            if any(e.code == "forbidden" for e in error.errors):
                raise
            report.rejected.append(RejectedRow(number, list(error.errors)))
            continue
        report.created.append(article)
    if first:
        raise DomainError.one(("file",), "the file has no rows", "required")
    return report


EXPORT_COLUMNS = ("id", "kind", "status", "version", "title", "question", "body", "categoryCodes", "tags",
                  "policyDomain", "divisionCode", "effectiveFrom", "expiresOn", "sourceDocument", "shareScope",
                  "allianceCode", "publishedAt")


def export_csv(articles: Sequence[Article]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for a in articles:
        writer.writerow([a.id, a.kind, a.status, a.version, a.title, a.question or "", a.body,
                         ";".join(a.category_codes), ";".join(a.tags), a.policy_domain or "", a.division_code or "",
                         a.effective_from or "", a.expires_on or "", a.source_document or "", a.share_scope,
                         a.alliance_code or "", a.published_at.isoformat() if a.published_at else ""])
    return out.getvalue()
