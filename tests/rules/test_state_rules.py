"""The shipped rule files: all load, 24 licenses, docs and JSON Schema current, golden cover."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cetrack.cli import main
from cetrack.rules.docs import readme_path, render_readme
from cetrack.rules.registry import Registry, default_rules_dir
from cetrack.rules.schema_export import SCHEMA_FILENAME, schema_text

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
STATES = ("CA", "FL", "IL", "NY", "PA", "TX")
PROFESSIONS = ("counselor", "social_work", "mft", "psychology")

REGISTRY = Registry.from_directory()
RULES = [REGISTRY.rules[rule_id] for rule_id in REGISTRY.ids()]


def test_every_rule_file_loads():
    assert [error.lines() for error in REGISTRY.errors] == []


def test_lint_exits_zero_on_the_shipped_rules(capsys):
    assert main(["rules", "lint", str(default_rules_dir())]) == 0


def test_rules_list_json_gives_24_state_licenses_and_the_certifications(capsys):
    assert main(["rules", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    licenses = [row for row in rows if row["tier"] != "certification"]
    assert len(licenses) == 24
    assert [row["id"] for row in rows if row["tier"] == "certification"] == ["national/NCC"]
    assert {(row["state"], row["license"]) for row in rows} == {
        (rule.state, rule.license) for rule in RULES
    }
    for row in rows:
        assert set(row) >= {"id", "state", "license", "tier", "board", "verified_on", "sources"}
        assert row["sources"] >= 1


def test_the_states_covered():
    assert sorted({rule.state for rule in RULES} - {"national"}) == list(STATES)


@pytest.mark.parametrize("state", STATES)
def test_each_state_has_all_four_professions(state):
    assert sorted(rule.profession for rule in RULES if rule.state == state) == sorted(PROFESSIONS)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_every_rule_cites_an_official_source(rule):
    assert any(source.authority == "official" for source in rule.sources)


def _golden_names(rule) -> set[str]:
    folder = GOLDEN / rule.state / rule.license
    return {path.stem for path in folder.glob("*.json") if not path.name.endswith(".expected.json")}


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_every_rule_has_its_golden_scenarios(rule):
    names = _golden_names(rule)
    required = {"compliant", "category_short", "first_renewal", "carryover"}
    if any(version.caps for version in rule.ce):
        required.add("cap_excludes")
    if rule.supervised_experience:
        required.add("supervision")
    assert required <= names, f"missing: {sorted(required - names)}"


def test_generated_tables_in_the_rules_readme_are_current():
    readme = readme_path(default_rules_dir())
    text = readme.read_text("utf-8")
    assert render_readme(text, REGISTRY) == text, "run `cetrack rules docs --write`"


def test_committed_json_schema_is_current():
    committed = (default_rules_dir() / SCHEMA_FILENAME).read_text("utf-8")
    assert committed == schema_text(), "run `cetrack rules schema`"
