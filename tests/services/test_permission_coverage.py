"""Every public service function that acts for someone has a test that expects a refusal:
a case of the refusal matrix (`test_refusals.py`), or a call somewhere in the tests (directly,
or through a helper of the test module) inside `pytest.raises(Forbidden)`. A new use case
without one fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.services.test_policy import EXEMPT, PUBLIC
from tests.services.test_refusals import CASES

TESTS = Path(__file__).resolve().parents[1]


def _calls(node: ast.AST) -> set[str]:
    """`module.function` and bare `function` names called under the node."""
    found = set()
    for call in ast.walk(node):
        if not isinstance(call, ast.Call):
            continue
        function = call.func
        if isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name):
            found.add(f"{function.value.id}.{function.attr}")
        elif isinstance(function, ast.Name):
            found.add(function.id)
    return found


def _raises_forbidden(item: ast.withitem) -> bool:
    call = item.context_expr
    return (
        isinstance(call, ast.Call)
        and _calls(call) >= {"pytest.raises"}
        and any(isinstance(arg, ast.Name) and arg.id == "Forbidden" for arg in call.args)
    )


def _refused_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    helpers = {node.name: node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}
    refused: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.With) and any(_raises_forbidden(item) for item in node.items):
            pending = [_calls(statement) for statement in node.body]
            seen: set[str] = set()
            while pending:
                for name in pending.pop() - seen:
                    seen.add(name)
                    if name in helpers:  # a helper of the test module: what it calls counts
                        pending.append(_calls(helpers[name]))
            refused |= seen
    return refused


def _refused_everywhere() -> set[str]:
    found: set[str] = set()
    for path in TESTS.rglob("test_*.py"):
        found |= _refused_in(path)
    return found


# Functions that read only what the actor's own memberships name, so refuse nobody.
OWN_ONLY = {
    "accounts.organizations_where": "lists the organizations the actor holds a role in",
    "signoff.awaiting_review": "lists only the logs the actor is the supervisor of",
}
NEEDING = [name for name, _ in PUBLIC if name not in EXEMPT and name not in OWN_ONLY]


@pytest.mark.parametrize("name", NEEDING)
def test_every_use_case_has_a_test_that_expects_a_refusal(name):
    assert name in _REFUSED, f"no test calls {name} inside pytest.raises(Forbidden)"


def test_the_scan_sees_a_refusal_through_a_helper(tmp_path):
    source = (
        "def helper(session):\n    roster.members(session)\n\n"
        "def test_x():\n    with pytest.raises(Forbidden):\n        helper(1)\n"
    )
    path = tmp_path / "test_sample.py"
    path.write_text(source)
    assert "roster.members" in _refused_in(path)


# the refusal matrix tries each named function (and checks each attempt calls its name)
_REFUSED = _refused_everywhere() | {name for name, _ in CASES}
