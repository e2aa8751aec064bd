"""Check a scenario's hand-derived `expect` facts against a result.

Paths are dotted keys into the result; list elements are addressed by their `id`:
`requirements.ethics.remaining`, `activities.a3.excluded`, `logs.w2.reasons`.
"""

from __future__ import annotations

from typing import Any

_MISSING = object()


def lookup(result: Any, path: str) -> Any:
    node = result
    for part in path.split("."):
        if isinstance(node, dict):
            node = node.get(part, _MISSING)
        elif isinstance(node, list):
            node = next(
                (item for item in node if isinstance(item, dict) and item.get("id") == part),
                _MISSING,
            )
        else:
            node = _MISSING
        if node is _MISSING:
            raise KeyError(path)
    return node


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _same(expected: Any, actual: Any) -> bool:
    if _is_number(expected) and _is_number(actual):
        return abs(expected - actual) < 0.005
    return type(expected) is type(actual) and expected == actual


def mismatches(expect: dict[str, Any], result: dict[str, Any]) -> list[str]:
    """One line per fact the result does not bear out."""
    problems = []
    for path, expected in expect.items():
        try:
            actual = lookup(result, path)
        except KeyError:
            problems.append(f"{path}: not in the result (expected {expected!r})")
            continue
        if not _same(expected, actual):
            problems.append(f"{path}: expected {expected!r}, got {actual!r}")
    return problems
