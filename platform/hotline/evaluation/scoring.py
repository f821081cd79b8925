"""From figures to scores: pure functions, so the same facts and version always give the same numbers.

value of a built-in   = numerator / denominator (None when the denominator is 0)
value of a derived    = its formula over the built-ins' values (None if any is None or it divides by 0)
points of indicator i = group_total × weight_i × clamp(value_i, 0, 1) / Σ weights of indicators with a value
base score            = Σ points (None when no indicator has a value: the unit is not ranked)
bonus / penalty       = per item min(points × occurrences, max_points), summed
total                 = max(0, base + bonus − penalty)
joint (部门+行业)     = a joint group's department: share × total + (1 − share) × mean over its scored members
                        of total / member's group points × department's group points (unchanged without members)
rank                  = within the peer group, by total (highest first), ties share a rank (1, 2, 2, 4)
All stored figures are rounded to 4 decimals.
"""

from __future__ import annotations

import ast
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from hotline.evaluation import formula
from hotline.evaluation.definition import UNIT_BUILT_INS, AdjustmentKind, Definition

DIGITS = 4
OTHER_GROUP = "other"
ALL_GROUP = "all"


@dataclass(frozen=True)
class UnitInfo:
    unit_id: uuid.UUID
    code: str
    kind: str


@dataclass
class Scored:
    unit_id: uuid.UUID
    peer_group: str
    figures: dict[str, list[int]]
    indicators: dict[str, dict[str, float | None]]
    base_score: float | None
    bonus: float = 0.0
    penalty: float = 0.0
    total: float | None = None
    rank: int | None = None
    group_size: int = 0
    joint: dict[str, float | int | str | None] | None = None  # the department's own and industry parts
    code: str = field(default="", compare=False)
    scale: float = field(default=0.0, compare=False)  # the points of its peer group


def ratio(pair: Sequence[int]) -> float | None:
    num, den = pair
    return None if den == 0 else num / den


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, DIGITS)


def peer_group_of(d: Definition, unit: UnitInfo) -> tuple[str, float]:
    if not d.peer_groups:
        return ALL_GROUP, d.total_points
    for g in d.peer_groups:
        if unit.code in g.unit_codes or unit.kind in g.unit_kinds:
            return g.code, g.total_points or d.total_points
    return OTHER_GROUP, d.total_points


def score(d: Definition, figures: Mapping[uuid.UUID, Mapping[str, Sequence[int]]], units: Mapping[uuid.UUID, UnitInfo],
          occurrences: Mapping[tuple[uuid.UUID, str], int]) -> list[Scored]:
    parsed: dict[str, ast.expr] = {i.code: formula.parse(i.formula, UNIT_BUILT_INS)
                                   for i in d.indicators if i.formula is not None}
    out: list[Scored] = []
    for unit_id in sorted(figures, key=lambda u: units[u].code):
        unit = units[unit_id]
        group, group_total = peer_group_of(d, unit)
        raw = {code: list(pair) for code, pair in sorted(figures[unit_id].items())}
        values = {code: ratio(pair) for code, pair in raw.items()}
        indicator_values: dict[str, float | None] = {}
        for ind in d.indicators:
            value = formula.evaluate(parsed[ind.code], values) if ind.formula is not None else values.get(ind.code)
            indicator_values[ind.code] = None if value is None else min(1.0, max(0.0, value))
        present = sum(i.weight for i in d.indicators if indicator_values[i.code] is not None)
        indicators: dict[str, dict[str, float | None]] = {}
        base: float | None = None
        for ind in d.indicators:
            value = indicator_values[ind.code]
            points = None if value is None or present == 0 else group_total * ind.weight * value / present
            indicators[ind.code] = {"value": _r(value), "weight": ind.weight, "points": _r(points)}
            if points is not None:
                base = (base or 0.0) + points
        bonus = penalty = 0.0
        for item in d.adjustments:
            n = occurrences.get((unit_id, item.code), 0)
            if n:
                amount = min(item.points * n, item.max_points)
                if item.kind == AdjustmentKind.BONUS:
                    bonus += amount
                else:
                    penalty += amount
        total = None if base is None else max(0.0, base + bonus - penalty)
        out.append(Scored(unit_id, group, raw, indicators, _r(base), _r(bonus) or 0.0, _r(penalty) or 0.0,
                          _r(total), code=unit.code, scale=group_total))
    _joint(d, out)
    _rank(out)
    return out


def _joint(d: Definition, scored: list[Scored]) -> None:
    """Fold each joint group's members into its department's total (before ranking; members keep theirs)."""
    by_code = {s.code: s for s in scored}
    for g in d.joint_groups:
        dept = by_code.get(g.department)
        if dept is None or dept.total is None:
            continue
        shares = [m.total / m.scale for code in g.members
                  if (m := by_code.get(code)) is not None and m.total is not None and m.scale > 0]
        if not shares:
            continue
        industry = dept.scale * sum(shares) / len(shares)
        own = dept.total
        dept.total = _r(g.department_share * own + (1 - g.department_share) * industry)
        dept.joint = {"group": g.code, "own_total": own, "industry_total": _r(industry), "members": len(shares),
                      "department_share": g.department_share}


def _rank(scored: list[Scored]) -> None:
    groups: dict[str, list[Scored]] = defaultdict(list)
    for s in scored:
        groups[s.peer_group].append(s)
    for members in groups.values():
        ranked = sorted((s for s in members if s.total is not None), key=lambda s: (-(s.total or 0.0), s.code))
        previous: float | None = None
        rank = 0
        for position, s in enumerate(ranked, start=1):
            if s.total != previous:
                rank, previous = position, s.total
            s.rank = rank
        for s in members:
            s.group_size = len(ranked)
