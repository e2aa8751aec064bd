"""The shipped rule files: all load, list and cover what the registry holds, docs and JSON
Schema current, golden cover. Expectations come from the registry, never a fixed state list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cetrack.cli import main
from cetrack.rules.docs import (
    coverage_table,
    project_readme_path,
    readme_path,
    render_project_readme,
    render_readme,
)
from cetrack.rules.paths import default_rules_dir
from cetrack.rules.provenance import confidence
from cetrack.rules.registry import Registry
from cetrack.rules.schema_export import SCHEMA_FILENAME, schema_text

GOLDEN = Path(__file__).resolve().parents[1] / "golden"

REGISTRY = Registry.from_directory()
RULES = [REGISTRY.rules[rule_id] for rule_id in REGISTRY.ids()]


def test_every_rule_file_loads():
    assert [error.lines() for error in REGISTRY.errors] == []


def test_lint_exits_zero_on_the_shipped_rules(capsys):
    assert main(["rules", "lint", str(default_rules_dir())]) == 0


def test_rules_list_json_lists_every_loaded_rule_with_its_confidence(capsys):
    assert main(["rules", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["id"] for row in rows] == REGISTRY.ids()
    for row in rows:
        rule = REGISTRY.get(row["id"])
        assert (row["state"], row["license"], row["tier"]) == (rule.state, rule.license, rule.tier)
        assert row["sources"] == len(rule.sources) >= 1
        assert row["confidence"] == round(confidence(rule), 3)
        assert set(row) >= {"board", "verified_on", "profession", "title"}


def test_every_state_folder_holds_loaded_rules():
    folders = {
        path.name
        for path in default_rules_dir().iterdir()
        if path.is_dir() and any(path.glob("*.yaml"))
    }
    assert folders == {rule.state for rule in RULES}


@pytest.mark.parametrize("state", sorted({rule.state for rule in RULES} - {"national", "compact"}))
def test_every_state_has_each_license_family_or_says_why_not(state):
    held = {rule.profession for rule in RULES if rule.state == state}
    missing = [
        profession
        for profession in REGISTRY.shared.profession_ids()
        if profession not in held and (state, profession) not in REGISTRY.not_covered
    ]
    assert missing == [], f"{state}: give a file or a not_covered reason in _board.yaml"


def test_the_coverage_command_prints_the_registry_table(capsys):
    assert main(["rules", "coverage"]) == 0
    out = capsys.readouterr().out
    assert out == coverage_table(REGISTRY, links=None) + "\n"
    for rule in RULES:
        assert f"{rule.license}" in out and f"| {rule.state} |" in out


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_every_rule_rests_on_official_text(rule):
    """The statute, regulation or board page itself, or its verbatim copy (AL/LMFT's board has
    no page of its own in the stored sources; its rules are read on Casetext and Justia)."""
    assert any(source.authority in ("official", "official_copy") for source in rule.sources)


def _golden_names(rule) -> set[str]:
    folder = GOLDEN / rule.state / rule.license
    return {path.stem for path in folder.glob("*.json") if not path.name.endswith(".expected.json")}


def required_golden_names(rule) -> set[str]:
    """The golden scenarios every rule file needs (state_rules/README.md, "Adding a state"):
    a compact credential's also show it valid and invalidated by a lapsed or inactive home
    credential; one not yet issued has none (it cannot be evaluated)."""
    if rule.compact and not rule.compact.operational:
        return set()
    required = {"valid", "home_lapsed", "home_inactive"} if rule.compact else set()
    if not rule.ce:
        return required
    required |= {"compliant", "first_renewal", "carryover"}
    if any(version.caps for version in rule.ce):
        required.add("cap_excludes")
    if rule.supervised_experience:
        required.add("supervision")
    return required


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_every_rule_has_its_golden_scenarios(rule):
    required = required_golden_names(rule)
    names = _golden_names(rule)
    assert required <= names, f"missing: {sorted(required - names)}"
    if rule.ce:
        # a total met with a category short; with no category minimum, the total short
        has_minimums = any(version.requirements for version in rule.ce)
        shown = {"category_short"} if has_minimums else {"category_short", "total_short"}
        assert names & shown, f"missing: {' or '.join(sorted(shown))}"


def test_generated_tables_in_the_rules_readme_are_current():
    readme = readme_path(default_rules_dir())
    text = readme.read_text("utf-8")
    assert render_readme(text, REGISTRY) == text, "run `cetrack rules docs --write`"


def test_the_project_readme_coverage_table_is_current():
    readme = project_readme_path(default_rules_dir())
    text = readme.read_text("utf-8")
    assert render_project_readme(text, REGISTRY) == text, "run `cetrack rules docs --write`"


def test_committed_json_schema_is_current():
    committed = (default_rules_dir() / SCHEMA_FILENAME).read_text("utf-8")
    assert committed == schema_text(), "run `cetrack rules schema`"
