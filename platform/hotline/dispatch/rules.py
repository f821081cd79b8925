"""The condition language of dispatch rules: validated when saved, compiled for intake, explained on demand.

A condition is a JSON object with exactly one key:

| key             | value                                                   | matches when                          |
|-----------------|---------------------------------------------------------|---------------------------------------|
| `all` / `any`   | a list of conditions                                    | every one / at least one matches      |
| `not`           | a condition                                             | it does not match                     |
| `category`      | category codes                                          | the order's category is in a subtree  |
| `request_type`  | consultation help complaint report suggestion praise    | one of them                           |
| `channel`       | phone sms web mailbox wechat weibo app message_board    | one of them                           |
| `place`         | division codes (province … street)                      | the order's place is in a subtree     |
| `keywords`      | `{"words": [...], "match": "any" or "all"}`             | the words appear in title or content  |
| `pattern`       | a regular expression                                    | it is found in title or content       |
| `time_of_day`   | `{"from": "22:00", "to": "06:00"}` (Asia/Shanghai)      | intake within (may wrap midnight)     |
| `weekday`       | ISO weekdays 1 (Monday) … 7                             | intake on one of them                 |
| `holiday`       | true or false                                           | a non-working day of the calendar     |
| `caller`        | `{"repeat", "enterprise", "confidential"}: bool`        | every flag given is as given          |
| `response_level`| levels 1 … 4                                            | one of them                           |

Categories nest by code prefix (01 ⊃ 0102 ⊃ 010201), places by division code (32 ⊃ 3201 ⊃ 320102 ⊃
320102003). `validate` reports every problem with its path; `compile` builds a fast predicate;
`explain` says why a condition did or did not match.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from hotline.kernel.errors import Validator

REQUEST_TYPES = ("consultation", "help", "complaint", "report", "suggestion", "praise")
CHANNELS = ("phone", "sms", "web", "mailbox", "wechat", "weibo", "app", "message_board")
LEAVES = ("category", "request_type", "channel", "place", "keywords", "pattern", "time_of_day", "weekday",
          "holiday", "caller", "response_level")
GROUPS = ("all", "any", "not")
CALLER_FLAGS = ("repeat", "enterprise", "confidential")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
DIVISION_RE = re.compile(r"^\d{2}(\d{2}){0,2}(\d{3}){0,1}$")
MAX_DEPTH = 8
MAX_PATTERN = 300


@dataclass(frozen=True)
class Facts:
    """What a condition may look at, computed once per order."""

    category: str
    request_type: str
    channel: str
    division: str  # "" when the order has no place
    text: str  # title and content, lower-cased
    minute: int  # minute of the day, Asia/Shanghai
    weekday: int  # ISO 1..7
    holiday: bool  # a non-working day of the tenant's calendar
    repeat: bool
    enterprise: bool
    confidential: bool
    level: int


def division_prefix(code: str) -> str:
    """The prefix a division code stands for: 320000 → 32, 320100 → 3201, 320102003 → 320102003."""
    if len(code) == 6:
        prefix = code
        while prefix.endswith("00") and len(prefix) > 2:
            prefix = prefix[:-2]
        return prefix
    return code


Predicate = Callable[[Facts], bool]


# --- validation ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Known:
    """What the tenant has, for validation: category codes of its effective taxonomy, region codes."""

    categories: Collection[str]
    regions: Collection[str]


def validate(v: Validator, cond: Any, path: tuple[str, ...], known: Known, depth: int = 0) -> None:
    if not isinstance(cond, Mapping) or len(cond) != 1:
        v.check(False, path, "a condition is an object with exactly one key", "invalid_condition")
        return
    ((key, value),) = cond.items()
    here = (*path, str(key))
    if depth > MAX_DEPTH:
        v.check(False, here, f"conditions nest at most {MAX_DEPTH} deep", "too_deep")
        return
    if key in ("all", "any"):
        if v.check(isinstance(value, list) and bool(value), here, "a non-empty list of conditions", "invalid_value"):
            for i, child in enumerate(value):
                validate(v, child, (*here, str(i)), known, depth + 1)
    elif key == "not":
        validate(v, value, here, known, depth + 1)
    elif key not in LEAVES:
        v.check(False, here, f"unknown field {key!r}; one of {', '.join(GROUPS + LEAVES)}", "unknown_field")
    else:
        _LEAF_CHECKS[key](v, value, here, known)


def _strings(v: Validator, value: Any, path: tuple[str, ...]) -> list[str] | None:
    ok = isinstance(value, list) and bool(value) and all(isinstance(x, str) and x for x in value)
    return list(value) if v.check(ok, path, "a non-empty list of strings", "invalid_value") else None


def _check_category(v: Validator, value: Any, path: tuple[str, ...], known: Known) -> None:
    for i, code in enumerate(_strings(v, value, path) or []):
        v.check(code in known.categories, (*path, str(i)), f"unknown category {code}", "unknown_category")


def _check_enum(allowed: tuple[str, ...]) -> Callable[[Validator, Any, tuple[str, ...], Known], None]:
    def check(v: Validator, value: Any, path: tuple[str, ...], known: Known) -> None:
        for i, x in enumerate(_strings(v, value, path) or []):
            v.check(x in allowed, (*path, str(i)), f"one of {', '.join(allowed)}", "invalid_value")

    return check


def _check_place(v: Validator, value: Any, path: tuple[str, ...], known: Known) -> None:
    for i, code in enumerate(_strings(v, value, path) or []):
        v.check(code in known.regions, (*path, str(i)), f"unknown division code {code}", "unknown_division")


def _check_keywords(v: Validator, value: Any, path: tuple[str, ...], known: Known) -> None:
    if not v.check(isinstance(value, Mapping), path, "{words: [...], match: any|all}", "invalid_value"):
        return
    for extra in set(value) - {"words", "match"}:
        v.check(False, (*path, str(extra)), f"unknown field {extra!r}", "unknown_field")
    _strings(v, value.get("words"), (*path, "words"))
    v.check(value.get("match", "any") in ("any", "all"), (*path, "match"), "any or all", "invalid_value")


def _check_pattern(v: Validator, value: Any, path: tuple[str, ...], known: Known) -> None:
    if not v.check(isinstance(value, str) and 0 < len(value) <= MAX_PATTERN, path,
                   f"a regular expression of 1–{MAX_PATTERN} characters", "invalid_value"):
        return
    try:
        re.compile(value)
    except re.error as error:
        v.check(False, path, f"not a valid regular expression: {error}", "invalid_pattern")


def _check_time(v: Validator, value: Any, path: tuple[str, ...], known: Known) -> None:
    if not v.check(isinstance(value, Mapping), path, "{from: HH:MM, to: HH:MM}", "invalid_value"):
        return
    for extra in set(value) - {"from", "to"}:
        v.check(False, (*path, str(extra)), f"unknown field {extra!r}", "unknown_field")
    for end in ("from", "to"):
        v.check(isinstance(value.get(end), str) and bool(TIME_RE.match(value[end])), (*path, end),
                "a time HH:MM", "invalid_value")


def _check_ints(low: int, high: int) -> Callable[[Validator, Any, tuple[str, ...], Known], None]:
    def check(v: Validator, value: Any, path: tuple[str, ...], known: Known) -> None:
        if v.check(isinstance(value, list) and bool(value), path, "a non-empty list", "invalid_value"):
            for i, x in enumerate(value):
                v.check(isinstance(x, int) and not isinstance(x, bool) and low <= x <= high, (*path, str(i)),
                        f"a whole number from {low} to {high}", "out_of_range")

    return check


def _check_holiday(v: Validator, value: Any, path: tuple[str, ...], known: Known) -> None:
    v.check(isinstance(value, bool), path, "true or false", "invalid_value")


def _check_caller(v: Validator, value: Any, path: tuple[str, ...], known: Known) -> None:
    if not v.check(isinstance(value, Mapping) and bool(value), path, "{repeat, enterprise, confidential}",
                   "invalid_value"):
        return
    for flag, x in value.items():
        if v.check(flag in CALLER_FLAGS, (*path, str(flag)), f"unknown field {flag!r}", "unknown_field"):
            v.check(isinstance(x, bool), (*path, str(flag)), "true or false", "invalid_value")


_LEAF_CHECKS: dict[str, Callable[[Validator, Any, tuple[str, ...], Known], None]] = {
    "category": _check_category, "request_type": _check_enum(REQUEST_TYPES), "channel": _check_enum(CHANNELS),
    "place": _check_place, "keywords": _check_keywords, "pattern": _check_pattern, "time_of_day": _check_time,
    "weekday": _check_ints(1, 7), "holiday": _check_holiday, "caller": _check_caller,
    "response_level": _check_ints(1, 4),
}


# --- compiled predicates ---------------------------------------------------------------------------


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def compile_condition(cond: Mapping[str, Any]) -> Predicate:
    """A fast predicate for a validated condition."""
    ((key, value),) = cond.items()
    if key in ("all", "any"):
        parts = [compile_condition(c) for c in value]
        combined = parts[-1]
        for part in reversed(parts[:-1]):  # nested closures: no generator per call
            combined = _both(part, combined) if key == "all" else _either(part, combined)
        return combined
    if key == "not":
        inner = compile_condition(value)
        return lambda f: not inner(f)
    if key == "category":
        prefixes = tuple(value)
        return lambda f: f.category.startswith(prefixes)
    if key == "place":
        places = tuple(division_prefix(c) for c in value)
        return lambda f: f.division.startswith(places) if f.division else False
    if key in ("request_type", "channel"):
        allowed = frozenset(value)
        return (lambda f: f.request_type in allowed) if key == "request_type" else (lambda f: f.channel in allowed)
    if key == "keywords":
        words = tuple(w.lower() for w in value["words"])
        if value.get("match", "any") == "all":
            return lambda f: all(w in f.text for w in words)
        if len(words) == 1:
            (only,) = words
            return lambda f: only in f.text
        if len(words) == 2:
            first, second = words
            return lambda f: first in f.text or second in f.text
        return lambda f: any(w in f.text for w in words)
    if key == "pattern":
        search = re.compile(value, re.IGNORECASE).search
        return lambda f: search(f.text) is not None
    if key == "time_of_day":
        start, end = _minutes(value["from"]), _minutes(value["to"])
        if start <= end:
            return lambda f: start <= f.minute < end
        return lambda f: f.minute >= start or f.minute < end
    if key == "weekday":
        days = frozenset(value)
        return lambda f: f.weekday in days
    if key == "holiday":
        wanted = bool(value)
        return lambda f: f.holiday is wanted
    if key == "caller":
        flags = tuple(value.items())
        return lambda f: all(getattr(f, flag) is want for flag, want in flags)
    if key == "response_level":
        levels = frozenset(value)
        return lambda f: f.level in levels
    raise ValueError(f"unknown condition {key}")


def _both(a: Predicate, b: Predicate) -> Predicate:
    return lambda f: a(f) and b(f)


def _either(a: Predicate, b: Predicate) -> Predicate:
    return lambda f: a(f) or b(f)


def required_words(cond: Mapping[str, Any]) -> frozenset[str] | None:
    """Words one of which must appear in the text for the condition to match (None: no such words)."""
    ((key, value),) = cond.items()
    if key == "keywords":
        return frozenset(w.lower() for w in value["words"])
    if key == "all":
        found = [r for r in (required_words(c) for c in value) if r is not None]
        return min(found, key=len) if found else None
    if key == "any":
        parts = [required_words(c) for c in value]
        if any(p is None for p in parts):
            return None
        return frozenset().union(*(p for p in parts if p is not None))
    return None


def required_categories(cond: Mapping[str, Any]) -> frozenset[str] | None:
    """Category prefixes one of which an order must have to match (None: any category may match).

    Used to index rules, so that an order is tested only against rules that could match it."""
    ((key, value),) = cond.items()
    if key == "category":
        return frozenset(value)
    if key == "all":
        found = [r for r in (required_categories(c) for c in value) if r is not None]
        return min(found, key=len) if found else None
    if key == "any":
        parts = [required_categories(c) for c in value]
        if any(p is None for p in parts):
            return None
        return frozenset().union(*(p for p in parts if p is not None))
    return None


# --- explanation -----------------------------------------------------------------------------------


def describe(cond: Mapping[str, Any]) -> str:
    ((key, value),) = cond.items()
    if key in ("all", "any"):
        return f"{key}({'; '.join(describe(c) for c in value)})"
    if key == "not":
        return f"not({describe(value)})"
    if key == "keywords":
        return f"keywords {value.get('match', 'any')} of {', '.join(value['words'])}"
    if key == "time_of_day":
        return f"time of day {value['from']}–{value['to']}"
    if key == "caller":
        return "caller " + ", ".join(f"{k}={str(x).lower()}" for k, x in value.items())
    if isinstance(value, list):
        return f"{key} in {', '.join(str(x) for x in value)}"
    return f"{key} = {value}"


def explain(cond: Mapping[str, Any], facts: Facts) -> tuple[bool, str]:
    """Whether the condition matches, and the reason in words (the first failing part when it does not)."""
    ((key, value),) = cond.items()
    if key == "all":
        for child in value:
            ok, why = explain(child, facts)
            if not ok:
                return False, why
        return True, describe(cond)
    if key == "any":
        reasons = []
        for child in value:
            ok, why = explain(child, facts)
            if ok:
                return True, why
            reasons.append(why)
        return False, "none of: " + "; ".join(reasons)
    if key == "not":
        ok, why = explain(value, facts)
        return (not ok), (f"not({why})" if not ok else f"excluded: {why}")
    ok = compile_condition(cond)(facts)
    if ok:
        return True, describe(cond)
    return False, f"{describe(cond)}: {_actual(key, facts)}"


def _actual(key: str, f: Facts) -> str:
    return {
        "category": f"the category is {f.category}", "request_type": f"the request type is {f.request_type}",
        "channel": f"the channel is {f.channel}", "place": f"the place is {f.division or 'not given'}",
        "keywords": "the words are not in the text", "pattern": "not found in the text",
        "time_of_day": f"received at {f.minute // 60:02d}:{f.minute % 60:02d}",
        "weekday": f"received on weekday {f.weekday}",
        "holiday": "a non-working day" if f.holiday else "a working day",
        "caller": f"repeat={str(f.repeat).lower()}, enterprise={str(f.enterprise).lower()}, "
                  f"confidential={str(f.confidential).lower()}",
        "response_level": f"the response level is {f.level}",
    }[key]
