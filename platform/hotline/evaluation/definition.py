"""What a scheme version says: indicators and weights, bonus and penalty items, exclusions, peer groups,
period and appeal limit. Validated with field paths; stored as JSON on the (immutable) published version.

The built-in indicators are defined precisely in docs/evaluation.md and computed in `repository.py`:
from the order history, except the knowledge-base upkeep rate (知识库维护率), from the articles' versions.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from hotline.evaluation import formula
from hotline.kernel.errors import Validator
from hotline.tenancy.models import UnitKind

CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
REQUEST_TYPES = ("consultation", "help", "complaint", "report", "suggestion", "praise")
MAX_ITEMS = 40


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"


class FigureSource(StrEnum):
    ORDERS = "orders"  # the orders behind a figure explain it (evaluationFigureOrders)
    ARTICLES = "articles"  # the knowledge articles behind it (evaluationFigureArticles)


class AdjustmentKind(StrEnum):
    BONUS = "bonus"  # 加分: group requests, historical problems solved …
    PENALTY = "penalty"  # 扣分


@dataclass(frozen=True)
class BuiltIn:
    code: str
    name: str
    lower_is_better: bool = False
    per_unit: bool = True  # False: a figure of the hotline itself, not of units
    source: FigureSource = FigureSource.ORDERS


BUILT_INS: dict[str, BuiltIn] = {b.code: b for b in (
    BuiltIn("response_rate", "接诉响应率"),
    BuiltIn("resolution_rate", "问题解决率"),
    BuiltIn("satisfaction_rate", "群众满意率"),
    BuiltIn("on_time_sign_rate", "按时签收率"),
    BuiltIn("on_time_reply_rate", "按时办结率"),
    BuiltIn("return_rate", "回退率", lower_is_better=True),
    BuiltIn("rework_rate", "重办率", lower_is_better=True),
    BuiltIn("direct_answer_rate", "直办率", per_unit=False),
    BuiltIn("knowledge_upkeep_rate", "知识库维护率", source=FigureSource.ARTICLES),
)}
KNOWLEDGE_UPKEEP = "knowledge_upkeep_rate"
UNIT_BUILT_INS = frozenset(code for code, b in BUILT_INS.items() if b.per_unit)


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    weight: float
    formula: str | None = None  # None: the built-in indicator with this code


@dataclass(frozen=True)
class AdjustmentItem:
    code: str
    name: str
    kind: AdjustmentKind
    points: float  # per recorded occurrence
    max_points: float  # cap per unit and period


@dataclass(frozen=True)
class PeerGroup:
    code: str
    name: str
    unit_kinds: tuple[str, ...] = ()
    unit_codes: tuple[str, ...] = ()
    total_points: float | None = None  # e.g. 150 for some unit classes (连云港); None: the scheme's


@dataclass(frozen=True)
class JointGroup:
    """Joint evaluation of a department with its industry or system (部门+行业/系统 联动考核): the
    department's total becomes department_share × its own + (1 − department_share) × the mean of its
    members' totals (each taken as a share of its own peer group's points, on the department's scale)."""

    code: str
    name: str
    department: str  # unit code of the department (主管部门)
    members: tuple[str, ...]  # unit codes of the industry's or system's units (行业/系统单位)
    department_share: float = 0.5


@dataclass(frozen=True)
class ExclusionRules:
    request_types: tuple[str, ...] = ()
    category_prefixes: tuple[str, ...] = ()
    honour_reviewed: bool = True  # leave out orders reviewed as unreasonable (evaluation_exclusions)


@dataclass(frozen=True)
class Definition:
    total_points: float
    indicators: tuple[Indicator, ...]
    period: PeriodKind = PeriodKind.MONTH
    adjustments: tuple[AdjustmentItem, ...] = ()
    peer_groups: tuple[PeerGroup, ...] = ()
    exclusions: ExclusionRules = field(default_factory=ExclusionRules)
    appeal_days: int = 5
    joint_groups: tuple[JointGroup, ...] = ()

    def built_ins_used(self) -> set[str]:
        """The built-ins weighted directly or named in a formula (a figure nobody uses need not be computed)."""
        used: set[str] = set()
        for i in self.indicators:
            if i.formula is None:
                used.add(i.code)
            else:
                used |= formula.referenced(formula.parse(i.formula, UNIT_BUILT_INS))
        return used & set(BUILT_INS)

    def adjustment(self, code: str) -> AdjustmentItem | None:
        return next((a for a in self.adjustments if a.code == code), None)

    def encode(self) -> dict[str, Any]:
        return {
            "total_points": self.total_points, "period": str(self.period), "appeal_days": self.appeal_days,
            "indicators": [{"code": i.code, "name": i.name, "weight": i.weight, "formula": i.formula}
                           for i in self.indicators],
            "adjustments": [{"code": a.code, "name": a.name, "kind": str(a.kind), "points": a.points,
                             "max_points": a.max_points} for a in self.adjustments],
            "peer_groups": [{"code": g.code, "name": g.name, "unit_kinds": list(g.unit_kinds),
                             "unit_codes": list(g.unit_codes), "total_points": g.total_points}
                            for g in self.peer_groups],
            "exclusions": {"request_types": list(self.exclusions.request_types),
                           "category_prefixes": list(self.exclusions.category_prefixes),
                           "honour_reviewed": self.exclusions.honour_reviewed},
            "joint_groups": [{"code": j.code, "name": j.name, "department": j.department, "members": list(j.members),
                              "department_share": j.department_share} for j in self.joint_groups],
        }

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> Definition:
        ex = data.get("exclusions") or {}
        return cls(
            total_points=float(data["total_points"]), period=PeriodKind(data.get("period", "month")),
            appeal_days=int(data.get("appeal_days", 5)),
            indicators=tuple(Indicator(i["code"], i["name"], float(i["weight"]), i.get("formula"))
                             for i in data["indicators"]),
            adjustments=tuple(AdjustmentItem(a["code"], a["name"], AdjustmentKind(a["kind"]), float(a["points"]),
                                             float(a["max_points"])) for a in data.get("adjustments", [])),
            peer_groups=tuple(PeerGroup(g["code"], g["name"], tuple(g.get("unit_kinds", [])),
                                        tuple(g.get("unit_codes", [])), g.get("total_points"))
                              for g in data.get("peer_groups", [])),
            exclusions=ExclusionRules(tuple(ex.get("request_types", [])), tuple(ex.get("category_prefixes", [])),
                                      bool(ex.get("honour_reviewed", True))),
            joint_groups=tuple(JointGroup(j["code"], j["name"], j["department"], tuple(j["members"]),
                                          float(j["department_share"])) for j in data.get("joint_groups", [])),
        )


def _positive(v: Validator, value: float, path: tuple[str, ...], upper: float = 1000) -> bool:
    return v.check(math.isfinite(value) and 0 < value <= upper, path, f"more than 0 and at most {upper:g}",
                   "out_of_range")


def _unique(v: Validator, codes: Sequence[str], prefix: tuple[str, ...]) -> None:
    seen: set[str] = set()
    for i, code in enumerate(codes):
        path = (*prefix, str(i), "code")
        if v.check(bool(CODE_RE.match(code)), path, "2–40 lower-case letters, digits or _, starting with a letter",
                   "invalid_format"):
            v.check(code not in seen, path, "listed twice", "duplicate")
        seen.add(code)


def validate(v: Validator, d: Definition, root: tuple[str, ...] = ("definition",)) -> None:
    """Every problem with its field path (e.g. definition.indicators.2.formula)."""
    _positive(v, d.total_points, (*root, "totalPoints"))
    v.check(0 <= d.appeal_days <= 60, (*root, "appealDays"), "from 0 to 60 days", "out_of_range")
    v.check(bool(d.indicators), (*root, "indicators"), "name at least one indicator", "required")
    for name, items in (("indicators", d.indicators), ("adjustments", d.adjustments),
                        ("peerGroups", d.peer_groups)):
        v.check(len(items) <= MAX_ITEMS, (*root, name), f"at most {MAX_ITEMS}", "too_many")
    _unique(v, [i.code for i in d.indicators], (*root, "indicators"))
    weights_ok = True
    for i, ind in enumerate(d.indicators):
        path = (*root, "indicators", str(i))
        v.check(bool(ind.name.strip()), (*path, "name"), "a name is required", "required")
        weights_ok = _positive(v, ind.weight, (*path, "weight")) and weights_ok
        if ind.formula is None:
            if ind.code not in BUILT_INS:
                v.check(False, (*path, "code"), f"not a built-in indicator ({', '.join(BUILT_INS)}); "
                        "give a formula to define a derived one", "unknown_indicator")
            elif not BUILT_INS[ind.code].per_unit:
                v.check(False, (*path, "code"), "a figure of the hotline, not of units: it cannot be weighted",
                        "not_per_unit")
            continue
        v.check(ind.code not in BUILT_INS, (*path, "code"), "a derived indicator needs a name of its own",
                "reserved")
        try:
            formula.parse(ind.formula, UNIT_BUILT_INS)
        except formula.FormulaError as error:
            v.check(False, (*path, "formula"), str(error), "invalid_formula")
    if weights_ok and d.indicators and math.isfinite(d.total_points):
        total = sum(i.weight for i in d.indicators)
        v.check(abs(total - d.total_points) < 1e-6, (*root, "indicators"),
                f"the weights add up to {total:g}, not to the total of {d.total_points:g} points", "weights_total")
    _unique(v, [a.code for a in d.adjustments], (*root, "adjustments"))
    for i, a in enumerate(d.adjustments):
        path = (*root, "adjustments", str(i))
        v.check(bool(a.name.strip()), (*path, "name"), "a name is required", "required")
        if _positive(v, a.points, (*path, "points"), 100) and _positive(v, a.max_points, (*path, "maxPoints"), 100):
            v.check(a.max_points >= a.points, (*path, "maxPoints"), "at least the points of one occurrence",
                    "out_of_range")
    _unique(v, [g.code for g in d.peer_groups], (*root, "peerGroups"))
    kinds = {str(k) for k in UnitKind}
    for i, g in enumerate(d.peer_groups):
        path = (*root, "peerGroups", str(i))
        v.check(bool(g.name.strip()), (*path, "name"), "a name is required", "required")
        v.check(bool(g.unit_kinds or g.unit_codes), (*path, "unitKinds"), "name unit kinds or unit codes",
                "required")
        for j, kind in enumerate(g.unit_kinds):
            v.check(kind in kinds, (*path, "unitKinds", str(j)), f"one of {', '.join(sorted(kinds))}",
                    "unknown_unit_kind")
        if g.total_points is not None:
            _positive(v, g.total_points, (*path, "totalPoints"))
    _validate_joint_groups(v, d, root)
    for i, t in enumerate(d.exclusions.request_types):
        v.check(t in REQUEST_TYPES, (*root, "exclusions", "requestTypes", str(i)),
                f"one of {', '.join(REQUEST_TYPES)}", "unknown_request_type")
    for i, p in enumerate(d.exclusions.category_prefixes):
        v.check(bool(re.match(r"^[0-9A-Za-z]{1,40}$", p)), (*root, "exclusions", "categoryPrefixes", str(i)),
                "a category code (prefix)", "invalid_format")


def _validate_joint_groups(v: Validator, d: Definition, root: tuple[str, ...]) -> None:
    v.check(len(d.joint_groups) <= MAX_ITEMS, (*root, "jointGroups"), f"at most {MAX_ITEMS}", "too_many")
    _unique(v, [j.code for j in d.joint_groups], (*root, "jointGroups"))
    departments: set[str] = set()
    for i, j in enumerate(d.joint_groups):
        path = (*root, "jointGroups", str(i))
        v.check(bool(j.name.strip()), (*path, "name"), "a name is required", "required")
        if v.check(bool(j.department.strip()), (*path, "departmentCode"), "name the department's unit code",
                   "required"):
            v.check(j.department not in departments, (*path, "departmentCode"),
                    "this department is already evaluated jointly in another group", "duplicate")
        departments.add(j.department)
        v.check(bool(j.members), (*path, "memberCodes"), "name the industry's or system's units", "required")
        v.check(j.department not in j.members, (*path, "memberCodes"), "the department cannot be its own member",
                "invalid")
        v.check(len(set(j.members)) == len(j.members), (*path, "memberCodes"), "a unit is listed twice", "duplicate")
        v.check(math.isfinite(j.department_share) and 0 < j.department_share < 1, (*path, "departmentShare"),
                "more than 0 and less than 1", "out_of_range")
