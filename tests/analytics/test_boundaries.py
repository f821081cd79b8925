"""District boundaries a tenant supplies for the dashboard's map: set, read, replaced, refused, cleared.

The shapes are rough rectangles written for these tests (not map data). They change 南京's own row, so
every test sets what it reads first.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text

from tests.conftest import Api
from tests.evaluation.seed import make_tenant

ERRORS = "... on ValidationErrors { errors { path message code } }"
BOUNDARIES = "tenantCode source setBy setAt sizeBytes divisions { code name } geojson"
SET = ("mutation($g: String!, $s: String!, $t: String) { setDistrictBoundaries(geojson: $g, source: $s, "
       "tenantCode: $t) { __typename ... on DistrictBoundaries { " + BOUNDARIES + " } " + ERRORS + " } }")
READ = ("query($t: String) { districtBoundaries(tenantCode: $t) { __typename ... on DistrictBoundaries { "
        + BOUNDARIES + " } " + ERRORS + " } }")
CLEAR = ("mutation($t: String) { clearDistrictBoundaries(tenantCode: $t) { __typename "
         "... on DistrictBoundariesCleared { tenantCode divisionsRemoved } " + ERRORS + " } }")
SOURCE = "南京市规划和自然资源局 测试用图 审图号 宁S(2026)000号"


def ring(west: float, south: float, east: float, north: float) -> list[list[float]]:
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


def feature(code: Any, *rings: list[list[float]], key: str = "code", multi: bool = False) -> dict[str, Any]:
    shape = list(rings) or [ring(118.70, 32.00, 118.80, 32.10)]
    geometry = {"type": "MultiPolygon", "coordinates": [shape]} if multi else {"type": "Polygon", "coordinates": shape}
    return {"type": "Feature", "properties": {key: code, "name": "文件里的名字"}, "geometry": geometry}


def collection(*features: dict[str, Any]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


NANJING = collection(
    feature("320102", ring(118.78, 32.03, 118.85, 32.10)),  # 玄武区
    feature(320104, ring(118.76, 31.98, 118.82, 32.03), key="adcode"),  # 秦淮区, a number as published files write it
    feature("320106", ring(118.70, 32.03, 118.78, 32.10), ring(118.72, 32.05, 118.74, 32.07), multi=True),  # 鼓楼区
)


def errors_of(data: dict[str, Any], field: str) -> list[tuple[str, str]]:
    result = data[field]
    assert result["__typename"] == "ValidationErrors", result
    return [(".".join(e["path"]), e["code"]) for e in result["errors"]]


async def set_nanjing(api: Api, geojson: str = NANJING, source: str = SOURCE) -> dict[str, Any]:
    data = await api.gql(SET, {"g": geojson, "s": source}, as_user="nj.admin")
    assert data["setDistrictBoundaries"]["__typename"] == "DistrictBoundaries", data
    result: dict[str, Any] = data["setDistrictBoundaries"]
    return result


async def test_an_admin_sets_the_boundaries_and_the_dashboards_readers_see_them(api: Api, owner_engine: Any) -> None:
    saved = await set_nanjing(api)
    assert saved["divisions"] == [{"code": "320102", "name": "玄武区"}, {"code": "320104", "name": "秦淮区"},
                                  {"code": "320106", "name": "鼓楼区"}]
    assert (saved["tenantCode"], saved["source"], saved["sizeBytes"]) == ("320100", SOURCE, len(NANJING.encode()))
    read = (await api.gql(READ, as_user="nj.leader"))["districtBoundaries"]
    assert read["divisions"] == saved["divisions"] and read["setBy"] == saved["setBy"]
    stored = read["geojson"]
    assert stored["type"] == "FeatureCollection"
    # Stored with the division's code and official name only; the shapes as uploaded.
    assert [f["properties"] for f in stored["features"]] == saved["divisions"]
    assert stored["features"][2]["geometry"]["type"] == "MultiPolygon"
    assert stored["features"][0]["geometry"]["coordinates"] == [ring(118.78, 32.03, 118.85, 32.10)]
    with owner_engine.connect() as conn:
        audit = conn.execute(text(
            "SELECT a.after FROM audit_log a JOIN tenants t ON t.tenant_id = a.tenant_id WHERE t.code = '320100' "
            "AND a.action = 'district_boundaries.set' ORDER BY a.occurred_at DESC, a.id DESC LIMIT 1")).scalar_one()
    assert audit == {"source": SOURCE, "codes": ["320102", "320104", "320106"], "size_bytes": len(NANJING.encode())}


async def test_setting_again_replaces_the_previous_boundaries(api: Api, owner_engine: Any) -> None:
    await set_nanjing(api)
    smaller = collection(feature("320115", ring(118.60, 31.70, 119.00, 32.00)))  # 江宁区 alone
    saved = await set_nanjing(api, smaller, "另一个来源")
    assert [d["code"] for d in saved["divisions"]] == ["320115"]
    read = (await api.gql(READ, as_user="nj.admin"))["districtBoundaries"]
    assert ([d["name"] for d in read["divisions"]], read["source"]) == (["江宁区"], "另一个来源")
    assert len(read["geojson"]["features"]) == 1
    with owner_engine.connect() as conn:
        rows, before = conn.execute(text(
            "SELECT (SELECT count(*) FROM district_boundaries b WHERE b.tenant_id = t.tenant_id), "
            "(SELECT a.before FROM audit_log a WHERE a.tenant_id = t.tenant_id "
            " AND a.action = 'district_boundaries.set' ORDER BY a.occurred_at DESC, a.id DESC LIMIT 1) "
            "FROM tenants t WHERE t.code = '320100'")).one()
    assert rows == 1
    assert before["codes"] == ["320102", "320104", "320106"]


async def test_only_admins_set_or_clear_and_agents_cannot_read(api: Api) -> None:
    for login in ("nj.leader", "nj.agent", "nj.supervisor"):
        refused = await api.gql(SET, {"g": NANJING, "s": SOURCE}, as_user=login)
        assert errors_of(refused, "setDistrictBoundaries") == [("", "forbidden")], login
        cleared = await api.gql(CLEAR, as_user=login)
        assert errors_of(cleared, "clearDistrictBoundaries") == [("", "forbidden")], login
    assert errors_of(await api.gql(READ, as_user="nj.agent"), "districtBoundaries") == [("", "forbidden")]


def bad(*features: dict[str, Any]) -> str:
    return collection(*features)


CASES = [
    ("{not json", [("geojson", "invalid_json")]),
    ('{"type": "FeatureCollection", "features": [NaN]}', [("geojson", "invalid_json")]),
    ("[" * 100_000 + "]" * 100_000, [("geojson", "invalid_json")]),
    (json.dumps({"type": "Feature", "geometry": None}), [("geojson.type", "not_feature_collection")]),
    (json.dumps({"type": "FeatureCollection", "features": []}), [("geojson.features", "required")]),
    (bad(feature("320102"), {"type": "Point"}), [("geojson.features.1.type", "not_feature")]),
    (bad({"type": "Feature", "properties": {"code": "320102"}, "geometry": {"type": "Point", "coordinates": [1, 2]}}),
     [("geojson.features.0.geometry.type", "invalid_geometry")]),
    (bad({"type": "Feature", "properties": {"code": "320102"}}), [("geojson.features.0.geometry", "required")]),
    (bad(feature("320102", [[118.7, 32.0], [118.8, 32.0], [118.8, 32.1], [118.7, 32.1]])),
     [("geojson.features.0.geometry.coordinates.0", "ring_not_closed")]),
    (bad(feature("320102", [[118.7, 32.0], [118.8, 32.0], [118.7, 32.0]])),
     [("geojson.features.0.geometry.coordinates.0", "ring_too_short")]),
    (bad(feature("320102", ring(118.7, 32.0, 118.8, 32.1)), feature("320104", ring(181.0, 32.0, 182.0, 32.1))),
     [("geojson.features.1.geometry.coordinates.0.0", "coordinate_out_of_range"),
      ("geojson.features.1.geometry.coordinates.0.1", "coordinate_out_of_range"),
      ("geojson.features.1.geometry.coordinates.0.2", "coordinate_out_of_range"),
      ("geojson.features.1.geometry.coordinates.0.3", "coordinate_out_of_range"),
      ("geojson.features.1.geometry.coordinates.0.4", "coordinate_out_of_range")]),
    (bad(feature("320102", [[118.7, 32.0], ["118.8", 32.0], [118.8, 32.1], [118.7, 32.1], [118.7, 32.0]]),
         feature("320104", [[118.7, 95.0], [118.8, 32.0], [118.8, 32.1], [118.7, 95.0]])),
     [("geojson.features.0.geometry.coordinates.0.1", "invalid_coordinate"),
      ("geojson.features.1.geometry.coordinates.0.0", "coordinate_out_of_range"),
      ("geojson.features.1.geometry.coordinates.0.3", "coordinate_out_of_range")]),
    (bad(feature("320102", [[True, 32.0], [118.8, 32.0], [118.8, 32.1], [118.7, 32.1], [True, 32.0]], multi=True)),
     [("geojson.features.0.geometry.coordinates.0.0.0", "invalid_coordinate"),
      ("geojson.features.0.geometry.coordinates.0.0.4", "invalid_coordinate")]),
    (bad({"type": "Feature", "properties": {"code": "320102"}, "geometry": {"type": "MultiPolygon",
                                                                          "coordinates": [[[[1, 2]]]]}}),
     [("geojson.features.0.geometry.coordinates.0.0", "ring_too_short")]),
    (bad(feature("320102"), feature(None)), [("geojson.features.1.properties.code", "required")]),
    (bad(feature("3201-2")), [("geojson.features.0.properties.code", "invalid_format")]),
    (bad(feature("320102"), feature("320506")), [("geojson.features.1.properties.code", "not_within_tenant")]),
    (bad(feature("320100")), [("geojson.features.0.properties.code", "not_within_tenant")]),
    (bad(feature("329999")), [("geojson.features.0.properties.code", "unknown_division")]),
    (bad(feature("320102"), feature("320104"), feature(320102, key="adcode")),
     [("geojson.features.2.properties.code", "duplicate")]),
    (bad(feature("320102"), feature("320102003")), [("geojson.features.1.properties.code", "nested")]),
]


@pytest.mark.parametrize(("geojson", "expected"), CASES)
async def test_each_bad_file_is_refused_at_its_path_and_changes_nothing(api: Api, geojson: str,
                                                                       expected: list[tuple[str, str]]) -> None:
    await set_nanjing(api)
    refused = await api.gql(SET, {"g": geojson, "s": "坏文件"}, as_user="nj.admin")
    assert errors_of(refused, "setDistrictBoundaries") == expected
    read = (await api.gql(READ, as_user="nj.admin"))["districtBoundaries"]
    assert (read["source"], len(read["divisions"])) == (SOURCE, 3)


async def test_a_file_over_five_megabytes_and_a_missing_source_are_refused(api: Api) -> None:
    big = collection(feature("320102", [[118.7, 32.0]] * 400_000 + [[118.7, 32.0]]))
    assert len(big.encode()) > 5 * 1024 * 1024
    assert errors_of(await api.gql(SET, {"g": big, "s": SOURCE}, as_user="nj.admin"),
                     "setDistrictBoundaries") == [("geojson", "too_large")]
    both = await api.gql(SET, {"g": "{}", "s": "  "}, as_user="nj.admin")
    assert errors_of(both, "setDistrictBoundaries") == [("source", "required"),
                                                         ("geojson.type", "not_feature_collection")]


async def test_many_problems_are_listed_up_to_a_limit(api: Api) -> None:
    many = collection(*[feature("320102", [[200.0, 0.0]] * 5) for _ in range(20)])
    found = errors_of(await api.gql(SET, {"g": many, "s": SOURCE}, as_user="nj.admin"), "setDistrictBoundaries")
    assert len(found) == 51 and found[-1] == ("geojson", "too_many")


async def test_a_county_draws_its_streets_and_a_hotline_without_a_division_cannot_set_any(api: Api) -> None:
    streets = collection(feature("320102003", ring(118.77, 32.03, 118.79, 32.05)),
                         feature("320102002", ring(118.79, 32.03, 118.81, 32.05)))
    saved = await api.gql(SET, {"g": streets, "s": SOURCE}, as_user="xw.admin")
    assert [d["code"] for d in saved["setDistrictBoundaries"]["divisions"]] == ["320102003", "320102002"]
    outside = collection(feature("320104001", ring(118.77, 32.03, 118.79, 32.05)))
    assert errors_of(await api.gql(SET, {"g": outside, "s": SOURCE}, as_user="xw.admin"),
                     "setDistrictBoundaries") == [("geojson.features.0.properties.code", "not_within_tenant")]
    line = await make_tenant("320100", [])
    refused = await api.gql(SET, {"g": NANJING, "s": SOURCE, "t": line.code}, as_user="nj.admin")
    assert errors_of(refused, "setDistrictBoundaries") == [("", "no_division")]


async def test_clearing_removes_them_and_the_dashboard_reads_null(api: Api) -> None:
    await set_nanjing(api)
    cleared = (await api.gql(CLEAR, as_user="nj.admin"))["clearDistrictBoundaries"]
    assert cleared == {"__typename": "DistrictBoundariesCleared", "tenantCode": "320100", "divisionsRemoved": 3}
    assert (await api.gql(READ, as_user="nj.leader"))["districtBoundaries"] is None
    again = await api.gql(CLEAR, as_user="nj.admin")
    assert errors_of(again, "clearDistrictBoundaries") == [("", "not_found")]


async def test_suzhou_sees_nothing_of_nanjings_boundaries_and_cannot_change_them(api: Api) -> None:
    await set_nanjing(api)
    assert (await api.gql(READ, as_user="sz.admin"))["districtBoundaries"] is None  # its own: none set
    for query, field, variables in ((READ, "districtBoundaries", {"t": "320100"}),
                                    (CLEAR, "clearDistrictBoundaries", {"t": "320100"}),
                                    (SET, "setDistrictBoundaries", {"t": "320100", "g": NANJING, "s": SOURCE})):
        answer = await api.gql(query, variables, as_user="sz.admin")
        assert errors_of(answer, field) == [("tenantCode", "not_found")], field
    assert errors_of(await api.gql(CLEAR, as_user="sz.admin"), "clearDistrictBoundaries") == [("", "not_found")]
    # Its own division only: 南京's districts are outside 苏州.
    refused = await api.gql(SET, {"g": NANJING, "s": SOURCE}, as_user="sz.admin")
    assert {code for _, code in errors_of(refused, "setDistrictBoundaries")} == {"not_within_tenant"}
    header = await api.raw(READ, as_user="sz.admin", tenant="320100")
    assert (header.get("data") or {}).get("districtBoundaries") is None  # 苏州 cannot act in 南京 at all
    assert [e["extensions"]["code"] for e in header["errors"]] == ["unauthenticated"]
    read = (await api.gql(READ, as_user="nj.admin"))["districtBoundaries"]
    assert (read["source"], len(read["divisions"])) == (SOURCE, 3)
