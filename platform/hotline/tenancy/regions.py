"""Loading the division codes (reference data) into the `regions` table."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from hotline.tenancy.models import Region

DATA = Path(__file__).parent / "regions"
# Cities that are statistical placeholders of a municipality: their counties hang under the province.
PLACEHOLDER_CITIES = {"市辖区", "县"}


def _rows(name: str) -> Iterator[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def region_rows() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for p in _rows("provinces.csv"):
        rows.append(_row(p["code"] + "0000", p["name"], "province", None, False))
    placeholders = set()
    for c in _rows("cities.csv"):
        if c["name"] in PLACEHOLDER_CITIES:
            placeholders.add(c["code"])
            continue
        rows.append(_row(c["code"] + "00", c["name"], "city", c["provinceCode"] + "0000", False))
    for a in _rows("areas.csv"):
        parent = a["provinceCode"] + "0000" if a["cityCode"] in placeholders else a["cityCode"] + "00"
        rows.append(_row(a["code"], a["name"], "county", parent, a["code"][4] == "7"))
    for s in _rows("streets.csv"):
        rows.append(_row(s["code"], s["name"], "street", s["areaCode"], s["code"][6] in "45"))
    return list({str(r["code"]): r for r in rows}.values())  # the source repeats a few codes


def within(code: str, parent_code: str | None) -> bool:
    """Whether a division code lies inside the parent's (320102 and 320102003 are inside 320100 and 320000)."""
    if parent_code is None:
        return True
    prefix = parent_code.rstrip("0")
    prefix = prefix + "0" * (len(prefix) % 2)  # keep whole two-digit levels: 3201, 32
    return code.startswith(prefix) and code != parent_code


def _row(code: str, name: str, level: str, parent: str | None, zone: bool) -> dict[str, object]:
    return {"code": code, "name": name, "level": level, "parent_code": parent, "statistical_zone": zone}


async def load_regions(session: AsyncSession) -> int:
    """Insert the division codes once (idempotent); returns how many rows were added."""
    rows = region_rows()
    present = (await session.execute(select(func.count()).select_from(Region))).scalar_one()
    if present >= len(rows):
        return 0
    for start in range(0, len(rows), 5000):
        await session.execute(insert(Region).values(rows[start:start + 5000]).on_conflict_do_nothing())
    return len(rows) - present
