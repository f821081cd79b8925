"""The expression language of derived indicators: numbers, indicator names, + - * /, parentheses, min, max.

Parsed with Python's `ast` and walked node by node; nothing is ever evaluated by Python itself. Any other
construct (attributes, calls other than min/max, comparisons, subscripts, …) is refused with a message.
A value that cannot be computed (a referenced indicator without data, a division by zero) is None.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

MAX_LENGTH = 500
MAX_DEPTH = 30
FUNCTIONS = frozenset({"min", "max"})


class FormulaError(ValueError):
    pass


def parse(source: str, names: frozenset[str] | set[str]) -> ast.expr:
    """Parse and check a formula; raises FormulaError with a readable message."""
    text = source.strip()
    if not text:
        raise FormulaError("the formula is empty")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"at most {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        raise FormulaError(f"not a formula: {error.msg} at column {error.offset or 0}") from None
    _check(tree.body, frozenset(names), 0)
    return tree.body


def referenced(node: ast.expr) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id not in FUNCTIONS}


def _check(node: ast.expr, names: frozenset[str], depth: int) -> None:
    if depth > MAX_DEPTH:
        raise FormulaError("the formula is nested too deeply")
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise FormulaError(f"only numbers are allowed, not {node.value!r}")
        return
    if isinstance(node, ast.Name):
        if node.id not in names:
            raise FormulaError(f"unknown indicator {node.id!r}; known: {', '.join(sorted(names))}")
        return
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        _check(node.operand, names, depth + 1)
        return
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub | ast.Mult | ast.Div):
        _check(node.left, names, depth + 1)
        _check(node.right, names, depth + 1)
        return
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS:
        if node.keywords or len(node.args) < 2:
            raise FormulaError(f"{node.func.id}() takes two or more arguments and no keywords")
        for arg in node.args:
            _check(arg, names, depth + 1)
        return
    raise FormulaError(f"{_describe(node)} is not allowed; use numbers, indicator names, + - * /, "
                       "parentheses, min() and max()")


def _describe(node: ast.AST) -> str:
    segment = type(node).__name__
    return {"Call": "a function call", "Attribute": "an attribute", "Compare": "a comparison",
            "Subscript": "a subscript", "BoolOp": "and/or", "Pow": "**"}.get(segment, segment)


def evaluate(node: ast.expr, values: Mapping[str, float | None]) -> float | None:
    """The formula's value; None when an indicator has no value or a division by zero happens."""
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, int | float)  # parse() admits numbers only
        return float(node.value)
    if isinstance(node, ast.Name):
        return values.get(node.id)
    if isinstance(node, ast.UnaryOp):
        inner = evaluate(node.operand, values)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    if isinstance(node, ast.BinOp):
        left, right = evaluate(node.left, values), evaluate(node.right, values)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        return None if right == 0 else left / right
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        args = [evaluate(a, values) for a in node.args]
        if any(a is None for a in args):
            return None
        present = [a for a in args if a is not None]
        return min(present) if node.func.id == "min" else max(present)
    raise FormulaError("unchecked formula")  # parse() refuses everything else
