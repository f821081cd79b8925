"""A tenant's effective dispatch configuration compiled for intake: taxonomy, catalogue, ordered rules.

Order of decision for one order:
1. the category is refined to the deepest subcategory (national or the tenant's own) under the order's
   category whose keywords or synonyms appear in the text;
2. the rules run in order — mandatory rules of ancestors first (root first), then every other rule by
   position — and each matching rule applies its actions: the first rule naming lead units decides them
   (首派负责), later rules may add supporting units; the first to set a response level sets it, the first
   to choose a deadline policy chooses it; any rule may ask for a dispatcher's review or add tags; `stop`
   ends the run;
3. when no rule named lead units, the most specific catalogue entry (longest category, then the
   smallest place) that covers the order's category and place decides them.
A result with lead units and no review is confident and dispatches at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hotline.dispatch import rules
from hotline.dispatch.config import Effective, Merged
from hotline.dispatch.models import ItemKind
from hotline.dispatch.rules import Facts

LEAD_ROLES = ("lead", "joint")
ROLES = ("lead", "supporting", "joint")


@dataclass(frozen=True)
class NationalCategory:
    code: str
    parent_code: str | None
    level: int
    name: str


@dataclass(frozen=True)
class CategoryView:
    code: str
    parent_code: str | None
    level: int
    name: str
    national_name: str | None  # None: the tenant's own subcategory
    hidden: bool
    keywords: tuple[str, ...]
    synonyms: tuple[str, ...]
    source: Effective | None  # the item that adjusts or adds it (None: the national default untouched)


def build_taxonomy(national: Mapping[str, NationalCategory], merged: Merged) -> dict[str, CategoryView]:
    out = {c.code: CategoryView(c.code, c.parent_code, c.level, c.name, c.name, False, (), (), None)
           for c in national.values()}
    items = sorted(merged.of_kind(ItemKind.CATEGORY), key=lambda e: len(e.item.key))
    for eff in items:
        body, code = eff.item.body, eff.item.key
        base = out.get(code)
        parent = base.parent_code if base is not None and base.national_name else body.get("parent")
        if base is None and (parent is None or parent not in out):
            continue  # a local category whose parent is gone (disabled above): not effective
        level = base.level if base is not None else out[str(parent)].level + 1
        out[code] = CategoryView(
            code, parent, level, body.get("name") or (base.name if base else code),
            base.national_name if base else None, bool(body.get("hidden")),
            tuple(body.get("keywords") or ()), tuple(body.get("synonyms") or ()), eff)
    return out


@dataclass(frozen=True)
class Target:
    unit: str | None  # a unit code of the order's tenant; None: the street or township of the place (直派街乡)
    role: str

    def snapshot(self) -> dict[str, Any]:
        return {"unit": self.unit, "street": self.unit is None, "role": self.role}


def targets(units: Sequence[Mapping[str, Any]]) -> list[Target]:
    return [Target(None if u.get("street") else str(u["unit"]), str(u.get("role") or "lead")) for u in units]


@dataclass(frozen=True)
class CompiledRule:
    order: int
    eff: Effective
    when: Mapping[str, Any]
    test: rules.Predicate
    actions: tuple[Mapping[str, Any], ...]

    @property
    def key(self) -> str:
        return self.eff.item.key


@dataclass(frozen=True)
class Entry:
    eff: Effective
    category: str
    place: str  # division prefix; "" for anywhere
    targets: tuple[Target, ...]

    @property
    def specificity(self) -> tuple[int, int]:
        return len(self.category), len(self.place)

    def covers(self, facts: Facts) -> bool:
        return facts.category.startswith(self.category) and (
            not self.place or facts.division.startswith(self.place))


@dataclass
class Decision:
    category: str
    leads: list[Target] = field(default_factory=list)
    supports: list[Target] = field(default_factory=list)
    matched: Effective | None = None
    matched_kind: str | None = None
    level: int | None = None
    deadline_policy: str | None = None  # a named policy of `workorders.policy`
    deadline_policy_rule: str | None = None  # the key of the rule that chose it
    review: bool = False
    tags: list[str] = field(default_factory=list)
    rules_matched: list[str] = field(default_factory=list)

    @property
    def confident(self) -> bool:
        return bool(self.leads) and not self.review


@dataclass
class Engine:
    tenant_id: uuid.UUID
    merged: Merged
    taxonomy: dict[str, CategoryView]
    rules: list[CompiledRule]
    entries: list[Entry]  # most specific first
    _by_category: dict[str, list[CompiledRule]] = field(default_factory=dict)
    _anywhere: list[CompiledRule] = field(default_factory=list)
    _by_word: dict[str, list[CompiledRule]] = field(default_factory=dict)
    _prefix_lengths: tuple[int, ...] = ()
    _refine: dict[str, list[tuple[str, tuple[str, ...]]]] = field(default_factory=dict)

    @classmethod
    def build(cls, tenant_id: uuid.UUID, chain: Sequence[uuid.UUID], national: Mapping[str, NationalCategory],
              merged: Merged) -> Engine:
        depth = {t: i for i, t in enumerate(chain)}
        taxonomy = build_taxonomy(national, merged)
        ordered = sorted(merged.of_kind(ItemKind.RULE), key=lambda e: (
            not (e.item.mandatory and e.item.tenant_id != tenant_id),
            depth.get(e.item.tenant_id, 0) if e.item.mandatory and e.item.tenant_id != tenant_id else 0,
            e.item.position, depth.get(e.item.tenant_id, 0), e.item.key))
        compiled = [CompiledRule(i, e, e.item.body["when"], rules.compile_condition(e.item.body["when"]),
                                 tuple(e.item.body.get("then") or ())) for i, e in enumerate(ordered)]
        entries = sorted((Entry(e, str(e.item.body["category"]), rules.division_prefix(e.item.body.get("place") or ""),
                                tuple(targets(e.item.body.get("units") or ())))
                          for e in merged.of_kind(ItemKind.ENTRY)), key=lambda x: x.specificity, reverse=True)
        engine = cls(tenant_id, merged, taxonomy, compiled, entries)
        engine._index()
        return engine

    def _index(self) -> None:
        lengths: set[int] = set()
        for rule in self.rules:
            required = rules.required_categories(rule.when)
            if required is None:
                words = rules.required_words(rule.when)
                if words is None:
                    self._anywhere.append(rule)
                for word in words or ():
                    self._by_word.setdefault(word, []).append(rule)
                continue
            for prefix in required:
                self._by_category.setdefault(prefix, []).append(rule)
                lengths.add(len(prefix))
        self._prefix_lengths = tuple(sorted(lengths))
        for code, view in self.taxonomy.items():
            terms = view.keywords + view.synonyms
            if terms and view.parent_code is not None and not view.hidden:
                self._refine.setdefault(view.parent_code, []).append((code, tuple(w.lower() for w in terms)))

    def refine(self, category: str, text: str) -> str:
        """The deepest subcategory under `category` whose keywords or synonyms appear in the text."""
        current = category
        for _ in range(6):
            found = next((code for code, words in self._refine.get(current, ()) if any(w in text for w in words)),
                         None)
            if found is None:
                return current
            current = found
        return current

    def candidates(self, category: str, text: str) -> list[CompiledRule]:
        """The rules that could match an order of this category and text (by the indexes), in order."""
        found = list(self._anywhere)
        for n in self._prefix_lengths:
            if n <= len(category):
                found.extend(self._by_category.get(category[:n], ()))
        for word, rules_of_word in self._by_word.items():
            if word in text:
                found.extend(rules_of_word)
        if len(found) > len(self._anywhere):
            found = sorted({r.order: r for r in found}.values(), key=lambda r: r.order)
        return found

    def decide(self, facts: Facts) -> Decision:
        decision = Decision(facts.category)
        for rule in self.candidates(facts.category, facts.text):
            if rule.test(facts) and self._apply(decision, rule):
                break
        if not decision.leads:
            self._from_catalogue(decision, facts)
        return decision

    def _apply(self, decision: Decision, rule: CompiledRule) -> bool:
        """Apply a matching rule's actions; True when it stops the run."""
        decision.rules_matched.append(rule.key)
        stop = False
        for action in rule.actions:
            kind = action.get("type")
            if kind == "dispatch":
                found = targets(action.get("units") or ())
                leads = [t for t in found if t.role in LEAD_ROLES]
                if leads and not decision.leads:
                    decision.leads = leads
                    decision.matched, decision.matched_kind = rule.eff, ItemKind.RULE
                decision.supports.extend(t for t in found if t.role not in LEAD_ROLES)
            elif kind == "set_level" and decision.level is None:
                decision.level = int(action["level"])
            elif kind == "deadline_policy" and decision.deadline_policy is None:
                decision.deadline_policy, decision.deadline_policy_rule = str(action["policy"]), rule.key
            elif kind == "review":
                decision.review = True
            elif kind == "tag" and action["tag"] not in decision.tags:
                decision.tags.append(str(action["tag"]))
            elif kind == "stop":
                stop = True
        return stop

    def _from_catalogue(self, decision: Decision, facts: Facts) -> None:
        for entry in self.entries:
            if entry.covers(facts):
                decision.leads = [t for t in entry.targets if t.role in LEAD_ROLES]
                decision.supports.extend(t for t in entry.targets if t.role not in LEAD_ROLES)
                decision.matched, decision.matched_kind = entry.eff, ItemKind.ENTRY
                return

    def explain(self, facts: Facts) -> dict[str, Any]:
        """Every rule and catalogue entry with whether it matched and why (or why not)."""
        decision = self.decide(facts)
        stopped_at: int | None = None
        rule_rows = []
        matched_keys = set(decision.rules_matched)
        for rule in self.rules:
            ok, why = rules.explain(rule.when, facts)
            applied = ok and rule.key in matched_keys
            if ok and not applied:
                why = "not reached: a rule before it stopped the run"
            elif applied and stopped_at is None and any(a.get("type") == "stop" for a in rule.actions):
                stopped_at = rule.order
            rule_rows.append({"key": rule.key, "tenant_id": str(rule.eff.item.tenant_id), "order": rule.order,
                              "mandatory": rule.eff.item.mandatory, "matched": applied, "reason": why,
                              "decided_units": decision.matched is rule.eff})
        entry_rows = []
        for entry in self.entries:
            ok = entry.covers(facts)
            if not facts.category.startswith(entry.category):
                why = f"category {facts.category} is not under {entry.category}"
            elif entry.place and not facts.division.startswith(entry.place):
                why = f"place {facts.division or 'not given'} is not within {entry.place}"
            elif decision.matched is entry.eff:
                why = "the most specific entry covering category and place"
            elif decision.matched_kind == ItemKind.RULE:
                why = "covers the order, but a rule chose the units"
            else:
                why = "covers the order, but a more specific entry was chosen"
            entry_rows.append({"key": entry.eff.item.key, "tenant_id": str(entry.eff.item.tenant_id),
                               "matched": ok and decision.matched is entry.eff, "reason": why})
        return {"rules": rule_rows, "entries": entry_rows}
