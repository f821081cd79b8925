"""Importing past orders (CSV or XLSX) with a column mapping, to bootstrap the classifier.

The mapping names the file's columns for: content (required), category (a code, or a path of names such
as "城乡建设/城市建设和市政管理/园林绿化环卫", national or the tenant's own), unit (a unit code or name of
the tenant), received and closed dates. Every rejected row is reported with its row number and reasons.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import openpyxl
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.dispatch import decide, service
from hotline.dispatch import repository as repo
from hotline.dispatch.models import HistoryImport, HistoryOrder
from hotline.kernel import audit
from hotline.kernel.acting import Acting
from hotline.kernel.errors import DomainError, Validator
from hotline.kernel.ids import new_id

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
                "%Y/%m/%d", "%Y-%m-%dT%H:%M:%S")


@dataclass(frozen=True)
class Mapping_:
    content: str
    category: str
    unit: str | None = None
    received_at: str | None = None
    closed_at: str | None = None
    title: str | None = None


def _rows(file_name: str, data: bytes) -> Iterator[dict[str, Any]]:
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        for values in rows:
            yield {h: v for h, v in zip(header, values, strict=False) if h}
        return
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DomainError.one(("file",), "the file is neither UTF-8 nor GB18030 text", "invalid_file")
    yield from csv.DictReader(io.StringIO(text))


def _date(value: Any) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=decide.LOCAL)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(), decide.LOCAL)
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(str(value).strip(), fmt).replace(tzinfo=decide.LOCAL)
        except ValueError:
            continue
    raise ValueError(str(value))


@dataclass(frozen=True)
class Outcome:
    batch: HistoryImport
    rejected: Sequence[Mapping[str, Any]]


async def import_history(session: AsyncSession, acting: Acting, tenant_code: str | None, file_name: str,
                         data: bytes, mapping: Mapping_) -> Outcome:
    tenant = await service.admin_tenant(session, acting, tenant_code)
    v = Validator()
    v.check(len(data) <= MAX_BYTES, ("content",), f"at most {MAX_BYTES // 1024 // 1024} MB", "too_large")
    v.check(bool(mapping.content.strip()), ("mapping", "content"), "the content column is required", "required")
    v.check(bool(mapping.category.strip()), ("mapping", "category"), "the category column is required", "required")
    v.raise_if_any()
    eff = await service.effective(session, acting.scope, tenant, draft=True)
    taxonomy = eff.engine.taxonomy
    by_path: dict[str, str] = {}
    for code in taxonomy:
        names, current = [], taxonomy.get(code)
        while current is not None:
            names.append(current.name)
            current = taxonomy.get(current.parent_code) if current.parent_code else None
        by_path["/".join(reversed(names))] = code
    units = await repo.units_of(session, acting.scope, tenant.tenant_id)
    unit_codes = {u.code: u.code for u in units} | {u.name: u.code for u in units}
    batch = HistoryImport(tenant_id=tenant.tenant_id, id=new_id(), file_name=file_name[:200], accepted=0,
                          rejected=[], mapping=mapping.__dict__, imported_by=acting.actor.label)
    session.add(batch)
    await session.flush()
    rejected: list[dict[str, Any]] = []
    accepted = 0
    rows = _rows(file_name, data)
    first = True
    for number, row in enumerate(rows, start=2):
        if first:
            missing = [c for c in (mapping.content, mapping.category, mapping.unit, mapping.received_at,
                                   mapping.closed_at, mapping.title) if c and c not in row]
            if missing:
                raise DomainError.one(("mapping",), f"columns not in the file: {', '.join(missing)}",
                                      "unknown_column")
            first = False
        if number - 1 > MAX_ROWS:
            rejected.append({"row": number, "reasons": [f"more than {MAX_ROWS} rows: not read"]})
            break
        reasons: list[str] = []
        content = str(row.get(mapping.content) or "").strip()
        if mapping.title and row.get(mapping.title):
            content = f"{str(row[mapping.title]).strip()} {content}".strip()
        if not content:
            reasons.append("content is empty")
        raw_category = str(row.get(mapping.category) or "").strip().replace(" / ", "/")
        category = raw_category if raw_category in taxonomy else by_path.get(raw_category)
        if category is None:
            reasons.append(f"unknown category {raw_category!r}" if raw_category else "category is empty")
        unit = None
        if mapping.unit and str(row.get(mapping.unit) or "").strip():
            raw_unit = str(row[mapping.unit]).strip()
            unit = unit_codes.get(raw_unit)
            if unit is None:
                reasons.append(f"unknown unit {raw_unit!r}")
        dates: dict[str, dt.datetime | None] = {}
        for name, column in (("received_at", mapping.received_at), ("closed_at", mapping.closed_at)):
            try:
                dates[name] = _date(row.get(column)) if column else None
            except ValueError:
                reasons.append(f"{name.replace('_', ' ')}: not a date {row.get(column or '')!r}")
        received, closed = dates.get("received_at"), dates.get("closed_at")
        if received and closed and closed < received:
            reasons.append("closed before it was received")
        if reasons or category is None:
            rejected.append({"row": number, "reasons": reasons})
            continue
        session.add(HistoryOrder(tenant_id=tenant.tenant_id, id=new_id(), import_id=batch.id, content=content[:4000],
                                 category_code=category, unit_code=unit, received_at=received, closed_at=closed))
        accepted += 1
    batch.accepted, batch.rejected = accepted, rejected[:1000]
    await session.flush()
    audit.record(session, tenant.tenant_id, acting.actor, "dispatch.history_imported", ("history_import", batch.id),
                 after={"file": file_name, "accepted": accepted, "rejected": len(rejected)})
    return Outcome(batch, rejected)
