"""The shape of the district boundaries a tenant uploads: a GeoJSON FeatureCollection of Polygons and
MultiPolygons, one feature per division code. Pure checks with field paths; the service checks the codes
against the regions table and the tenant's own division.

The platform ships no boundaries (docs/evaluation.md, "District map"): a published map in China must use
approved map data, which each hotline gets from its own surveying and mapping bureau.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from hotline.kernel.errors import DomainError, FieldError, Validator

MAX_BYTES = 5 * 1024 * 1024
MAX_ERRORS = 50  # a broken file of 5 MB could have a million; a form shows the first ones
ROOT = ("geojson",)
CODE_RE = re.compile(r"^[0-9]{6}(?:[0-9]{3})?$")  # a county (6 digits) or a street (9 digits) and above


@dataclass(frozen=True)
class Feature:
    index: int
    code: str
    geometry: dict[str, Any]


class CappedValidator(Validator):
    """Stops recording after MAX_ERRORS, then says that there are more."""

    def check(self, ok: bool, path: tuple[str, ...], message: str, code: str) -> bool:
        if not ok and len(self.errors) == MAX_ERRORS:
            self.errors.append(FieldError(ROOT, f"more than {MAX_ERRORS} problems; the first are listed", "too_many"))
        elif not ok and len(self.errors) < MAX_ERRORS:
            self.errors.append(FieldError(path, message, code))
        return ok


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse(text: str) -> Any:
    """The uploaded text as JSON, within the size limit."""
    if len(text.encode()) > MAX_BYTES:
        raise DomainError.one(ROOT, f"at most {MAX_BYTES // (1024 * 1024)} MB", "too_large")
    try:
        return json.loads(text, parse_constant=_no_constants)
    except json.JSONDecodeError as error:
        raise DomainError.one(ROOT, f"not valid JSON (line {error.lineno}, column {error.colno})",
                              "invalid_json") from None
    except (ValueError, RecursionError):  # NaN / Infinity, or nesting deeper than the parser allows
        raise DomainError.one(ROOT, "not valid JSON", "invalid_json") from None


def features(document: Any) -> list[Feature]:
    """The features of a FeatureCollection, each with its division code; every problem at its path."""
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise DomainError.one((*ROOT, "type"), "a GeoJSON FeatureCollection", "not_feature_collection")
    items = document.get("features")
    if not isinstance(items, list) or not items:
        raise DomainError.one((*ROOT, "features"), "at least one feature", "required")
    v = CappedValidator()
    found = []
    for i, item in enumerate(items):
        path = (*ROOT, "features", str(i))
        if not v.check(isinstance(item, dict) and item.get("type") == "Feature", (*path, "type"),
                       "a GeoJSON Feature", "not_feature"):
            continue
        shaped = _geometry(v, item.get("geometry"), (*path, "geometry"))
        code = _code(v, item.get("properties"), (*path, "properties"))
        if shaped and code is not None:
            found.append(Feature(i, code, item["geometry"]))
    v.raise_if_any()
    return found


def _code(v: Validator, properties: Any, path: tuple[str, ...]) -> str | None:
    """`properties.code`, or `properties.adcode` as many published files name it; a string or a number."""
    props = properties if isinstance(properties, dict) else {}
    key = "code" if props.get("code") is not None else "adcode"
    value = props.get(key)
    if not v.check(value is not None, (*path, "code"), "the division code of the feature", "required"):
        return None
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not v.check(isinstance(text, str) and bool(CODE_RE.match(text)), (*path, key),
                   "a division code of 6 or 9 digits", "invalid_format"):
        return None
    return str(text)


def _geometry(v: Validator, geometry: Any, path: tuple[str, ...]) -> bool:
    if not v.check(isinstance(geometry, dict), path, "a Polygon or MultiPolygon", "required"):
        return False
    kind = geometry.get("type")
    if not v.check(kind in ("Polygon", "MultiPolygon"), (*path, "type"), "Polygon or MultiPolygon",
                   "invalid_geometry"):
        return False
    coordinates, at = geometry.get("coordinates"), (*path, "coordinates")
    if kind == "Polygon":
        return _polygon(v, coordinates, at)
    if not v.check(isinstance(coordinates, list) and bool(coordinates), at, "a list of polygons",
                   "invalid_geometry"):
        return False
    return all([_polygon(v, p, (*at, str(i))) for i, p in enumerate(coordinates)])  # every problem, not the first


def _polygon(v: Validator, rings: Any, path: tuple[str, ...]) -> bool:
    if not v.check(isinstance(rings, list) and bool(rings), path, "a list of linear rings", "invalid_geometry"):
        return False
    return all([_ring(v, r, (*path, str(i))) for i, r in enumerate(rings)])


def _ring(v: Validator, ring: Any, path: tuple[str, ...]) -> bool:
    if not v.check(isinstance(ring, list), path, "a list of positions", "invalid_geometry"):
        return False
    if not v.check(len(ring) >= 4, path, "a linear ring needs at least 4 positions", "ring_too_short"):
        return False
    if not all([_position(v, p, (*path, str(i))) for i, p in enumerate(ring)]):
        return False
    return v.check(ring[0][:2] == ring[-1][:2], path, "the ring must end where it starts", "ring_not_closed")


def _number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _position(v: Validator, p: Any, path: tuple[str, ...]) -> bool:
    if not v.check(isinstance(p, list) and 2 <= len(p) <= 3 and all(_number(x) for x in p), path,
                   "a position [longitude, latitude]", "invalid_coordinate"):
        return False
    return v.check(-180 <= p[0] <= 180 and -90 <= p[1] <= 90, path,
                   f"[{p[0]}, {p[1]}]: longitude within −180..180, latitude within −90..90",
                   "coordinate_out_of_range")


def collection(found: list[Feature], names: dict[str, str]) -> dict[str, Any]:
    """What is stored: the features with their code and the division's official name, nothing else of the
    file (the console's map names each area by `code`)."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": f.code, "name": names.get(f.code, f.code)}, "geometry": f.geometry}
        for f in found]}
