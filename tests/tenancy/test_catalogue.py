"""The tenant catalogue in tenants/: idempotent apply, all-or-nothing on mistakes, export round trip."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from hotline.kernel import runtime
from hotline.kernel.settings import PROJECT_ROOT
from hotline.tenancy import catalogue
from hotline.tenancy.models import Alliance, AllianceMember, Tenant, Unit

pytestmark = pytest.mark.usefixtures("owner_url")


async def apply(directory: Path) -> catalogue.ApplyReport:
    async with runtime.database().system_transaction() as session:
        return await catalogue.apply(session, directory)


async def count(model: Any) -> int:
    async with runtime.database().system_transaction() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_the_demo_catalogue_holds_the_provinces_and_alliances() -> None:
    async with runtime.database().system_transaction() as session:
        tenants = {t.code: t for t in (await session.scalars(select(Tenant))).all()}
        members = (await session.scalars(select(AllianceMember))).all()
        alliances = {a.code: a.name for a in (await session.scalars(select(Alliance))).all()}
    jiangsu = tenants["320000"]
    # Other tests open more hotlines; the catalogue's own codes are the plain division codes.
    catalogued = {c: t for c, t in tenants.items() if c.isdigit()}
    assert sum(1 for t in catalogued.values() if t.parent_id == jiangsu.tenant_id and t.kind == "city") == 13
    assert sum(1 for t in catalogued.values() if t.kind == "county" and t.code.startswith("32")) == 104
    assert tenants["320000-yql"].kind == "enterprise_line"
    for code in ("110000", "120000", "130000", "310000", "330000", "340000"):
        assert tenants[code].kind == "province"
    assert tenants["110101"].parent_id == tenants["110000"].tenant_id  # 东城区 directly under 北京
    assert alliances == {"jingjinji": "京津冀", "changsanjiao": "长三角"}
    assert {m.tenant_code for m in members if m.alliance_code == "changsanjiao"} == {"310000", "320000", "330000",
                                                                                     "340000"}


async def test_applying_the_catalogue_again_changes_nothing() -> None:
    report = await apply(PROJECT_ROOT / "tenants")
    assert not report.changed(), report


async def test_a_mistake_is_reported_with_file_and_entry_and_nothing_is_applied(tmp_path: Path) -> None:
    shutil.copytree(PROJECT_ROOT / "tenants", tmp_path / "tenants")
    broken = tmp_path / "tenants" / "990000-broken.yaml"
    broken.write_text(yaml.safe_dump({"tenants": [
        {"code": "990001", "name": "新的好租户", "kind": "sub_centre", "parent": "320100"},
        {"code": "990002", "name": "孤儿", "kind": "county", "parent": "999999"},
        {"code": "990003", "name": "错误角色", "kind": "sub_centre", "parent": "320100",
         "users": [{"login": "bad.role", "password": "x" * 10, "roles": ["emperor"]}]},
        {"code": "320102", "name": "重复", "kind": "county", "parent": "320100"},
    ]}, allow_unicode=True), encoding="utf-8")
    before = (await count(Tenant), await count(Unit))
    with pytest.raises(catalogue.CatalogueError) as raised:
        await apply(tmp_path / "tenants")
    problems = "\n".join(raised.value.problems)
    assert "990000-broken.yaml: tenants[1] (990002): parent '999999' is not in the catalogue" in problems
    assert "990000-broken.yaml: tenants[2] (990003): users[0]: unknown role 'emperor'" in problems
    assert "990000-broken.yaml: tenants[3] (320102): code already used by 320000-jiangsu.yaml" in problems
    assert (await count(Tenant), await count(Unit)) == before  # not even the good entry 990001


def test_the_cli_reports_mistakes_and_exits_non_zero(owner_url: str, tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("tenants:\n- code: '1'\n  name: ''\n  kind: planet\n", encoding="utf-8")
    env = {**os.environ, "HOTLINE_DATABASE_URL": owner_url}
    done = subprocess.run([sys.executable, "-m", "hotline.cli", "tenants", "apply", str(tmp_path)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "bad.yaml: tenants[0] (1): code must be 2–40 letters" in done.stderr
    assert "bad.yaml: tenants[0] (1): kind must be one of" in done.stderr


async def test_export_writes_the_same_format_and_applies_back_without_change(tmp_path: Path) -> None:
    async with runtime.database().system_transaction() as session:
        written = await catalogue.export(session, tmp_path)
    names = {p.name for p in written}
    assert {"320000.yaml", "110000.yaml", "alliances.yaml"} <= names
    jiangsu = yaml.safe_load((tmp_path / "320000.yaml").read_text(encoding="utf-8"))["tenants"]
    nanjing = next(t for t in jiangsu if t["code"] == "320100")
    assert any(u["code"] == "320102" and u.get("children") for u in nanjing["units"])
    assert all("password" not in u and u["password_hash"].startswith("$argon2") for u in nanjing["users"])
    report = await apply(tmp_path)
    assert not report.changed(), report
