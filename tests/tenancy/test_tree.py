"""Reading the tenant tree as the province admin and as a city admin."""

from __future__ import annotations

from tests.conftest import Api

TREE = """{ actingTenant { code name children { code kind children { code kind } } } }"""


async def test_province_admin_reads_the_whole_jiangsu_tree(api: Api) -> None:
    data = await api.gql(TREE, as_user="js.admin")
    root = data["actingTenant"]
    assert root["code"] == "320000"
    # Other tests open more hotlines below 江苏; the catalogue's 13 cities are those named 3201xx…3213xx.
    cities = [c for c in root["children"] if c["kind"] == "CITY" and c["code"].isdigit()]
    assert sorted(c["code"] for c in cities) == [f"32{n:02d}00" for n in range(1, 14)]
    nanjing = next(c for c in cities if c["code"] == "320100")
    assert {c["code"] for c in nanjing["children"]} >= {"320102", "320104", "320115", "320118"}
    assert any(c["kind"] == "ENTERPRISE_LINE" for c in root["children"])


async def test_nanjing_has_its_streets_as_handling_units(api: Api) -> None:
    data = await api.gql('{ tenant(code:"320100") { units { code name kind parentId } } }', as_user="nj.admin")
    units = data["tenant"]["units"]
    xuanwu = next(u for u in units if u["code"] == "320102")
    streets = [u for u in units if u["parentId"] == xuanwu and u["kind"] == "STREET"] or \
        [u for u in units if u["code"].startswith("320102") and u["kind"] in ("STREET", "TOWNSHIP")]
    assert any(u["name"] == "新街口街道" for u in streets)


async def test_city_admin_sees_its_city_and_districts_but_not_a_sibling_city(api: Api) -> None:
    data = await api.gql('{ tenants { code } suzhou: tenant(code:"320500") { code } '
                         'province: tenant(code:"320000") { code } }', as_user="nj.admin")
    codes = {t["code"] for t in data["tenants"]}
    assert "320100" in codes and "320102" in codes
    assert not any(c.startswith("3205") for c in codes)
    assert "320000" not in codes
    assert data["suzhou"] is None and data["province"] is None
