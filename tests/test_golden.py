"""Every golden scenario gives its reviewed expected result, and its hand-derived facts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cetrack.rules.registry import Registry
from cetrack.scenario import run_scenario
from cetrack.scenario.expect import mismatches

GOLDEN = Path(__file__).resolve().parent / "golden"
SCENARIOS = sorted(
    path for path in GOLDEN.rglob("*.json") if not path.name.endswith(".expected.json")
)
REGISTRY = Registry.from_directory()


def test_every_golden_folder_belongs_to_a_loaded_rule():
    folders = {path.parent.relative_to(GOLDEN).as_posix() for path in SCENARIOS}
    assert folders <= set(REGISTRY.ids())
    assert len(SCENARIOS) >= 5 * len(REGISTRY.ids())


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda path: str(path.relative_to(GOLDEN)))
def test_golden_scenario(path: Path):
    scenario = json.loads(path.read_text("utf-8"))
    expected_file = path.with_name(path.stem + ".expected.json")
    assert expected_file.exists(), "run `python scripts/golden.py --write` and review it"
    result = run_scenario(scenario, REGISTRY)
    assert mismatches(scenario.get("expect") or {}, result) == []
    assert result == json.loads(expected_file.read_text("utf-8"))
    assert scenario.get("description"), "every golden scenario says what it shows"
    assert scenario.get("expect"), "every golden scenario carries hand-derived facts"
