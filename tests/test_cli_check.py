"""`cetrack check`: exit 0 with one JSON object, or exit 2 with a one-line reason."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cetrack.cli import main

VALID = {
    "kind": "ce",
    "as_of": "2026-11-22",
    "rule": "TX/LPC",
    "license": {"expires": "2027-06-30", "issued": "2015-06-15", "birth_date": "1984-06-02"},
    "activities": [
        {
            "id": "a1",
            "completed": "2026-02-01",
            "hours": 3,
            "unit": "hours",
            "categories": ["ethics"],
            "format": "live_online",
        }
    ],
}


def run(tmp_path: Path, capsys, scenario: object) -> tuple[int, str, str]:
    path = tmp_path / "scenario.json"
    path.write_text(scenario if isinstance(scenario, str) else json.dumps(scenario), "utf-8")
    code = main(["check", str(path)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_valid_scenario_prints_one_json_object(tmp_path, capsys):
    code, out, err = run(tmp_path, capsys, VALID)
    assert code == 0 and err == ""
    result = json.loads(out)
    assert result["rule"] == "TX/LPC"
    assert result["total"] == {"required": 24, "counted": 3, "remaining": 21}
    assert result["requirements"][0]["id"] == "ethics"
    assert result["activities"][0]["allocation"] == {"ethics": 3}


def _with_activity(**changes) -> dict:
    activity = {**VALID["activities"][0], **changes}
    return {**VALID, "activities": [activity]}


MALFORMED = {
    "unknown rule": ({**VALID, "rule": "TX/NOPE"}, "rule: unknown rule 'TX/NOPE'"),
    "bad date": (
        _with_activity(completed="2026-13-01"),
        "activities[0].completed: not a real date: '2026-13-01'",
    ),
    "date in another format": (
        {**VALID, "as_of": "11/22/2026"},
        "as_of: not a date (YYYY-MM-DD): '11/22/2026'",
    ),
    "negative hours": (
        _with_activity(hours=-3),
        "activities[0].hours: Input should be greater than or equal to 0",
    ),
    "unknown category": (
        _with_activity(categories=["ethic"]),
        "activities[0].categories[0]: unknown category 'ethic'",
    ),
    "unknown format": (
        _with_activity(format="webinar"),
        "activities[0].format: unknown format 'webinar'",
    ),
    "unknown unit": (_with_activity(unit="days"), "activities[0].unit: unknown unit 'days'"),
    "missing format": (_with_activity(format=None), "activities[0].format"),
    "unknown kind": ({**VALID, "kind": "cme"}, "kind: must be 'ce' or 'supervision'"),
    "unknown key": ({**VALID, "licence": {}}, "licence: unknown key"),
    "duplicate ids": (
        {**VALID, "activities": VALID["activities"] * 2},
        "duplicate activity id 'a1'",
    ),
    "not an object": ([], "a scenario must be a JSON object"),
    "not JSON": ("{kind: ce", "not JSON"),
    "supervision on a rule without experience rules": (
        {
            "kind": "supervision",
            "as_of": "2026-11-22",
            "rule": "IL/PSYCHOLOGIST",
            "start": "2025-01-01",
            "logs": [],
        },
        "IL/PSYCHOLOGIST has no supervised-experience rules",
    ),
    "log ending before it starts": (
        {
            "kind": "supervision",
            "as_of": "2026-11-22",
            "rule": "TX/LPC",
            "start": "2025-01-01",
            "logs": [{"id": "w1", "start": "2025-02-01", "end": "2025-01-01"}],
        },
        "log 'w1' ends before it starts",
    ),
}


@pytest.mark.parametrize("scenario, reason", MALFORMED.values(), ids=list(MALFORMED))
def test_malformed_scenarios_exit_2_with_one_line(tmp_path, capsys, scenario, reason):
    if isinstance(scenario, dict) and scenario.get("activities"):
        activity = scenario["activities"][0]
        scenario["activities"] = [
            {key: value for key, value in activity.items() if value is not None},
            *scenario["activities"][1:],
        ]
    code, out, err = run(tmp_path, capsys, scenario)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1, err
    assert reason in err


def test_missing_license_facts_are_a_clear_input_error(tmp_path, capsys):
    scenario = {**VALID, "license": {}}
    code, _, err = run(tmp_path, capsys, scenario)
    assert code == 2
    assert "license.birth_date (or license.expires) is needed" in err


def test_console_script_reads_standard_input():
    process = subprocess.run(
        [sys.executable, "-m", "cetrack.cli", "check", "-"],
        input=json.dumps(VALID),
        capture_output=True,
        text=True,
        check=False,
    )
    assert process.returncode == 0, process.stderr
    assert json.loads(process.stdout)["status"] == "incomplete"


def test_check_reads_only_the_rule_it_needs(tmp_path, capsys):
    """Another file of the rules directory is broken: the check of a good rule still runs."""
    import shutil

    from cetrack.rules.paths import default_rules_dir

    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    (rules / "FL" / "LMHC.yaml").write_text("state: FL\nstate: FL\n", "utf-8")
    scenario = tmp_path / "scenario.json"
    scenario.write_text(
        json.dumps(
            {
                "kind": "ce",
                "as_of": "2026-11-22",
                "rule": "TX/LPC",
                "license": {"expires": "2027-06-30", "issued": "2015-06-15"},
                "activities": [],
            }
        ),
        "utf-8",
    )
    assert main(["check", str(scenario), "--rules", str(rules)]) == 0
    assert json.loads(capsys.readouterr().out)["rule"] == "TX/LPC"
    broken = scenario.read_text("utf-8").replace("TX/LPC", "FL/LMHC")
    scenario.write_text(broken, "utf-8")
    assert main(["check", str(scenario), "--rules", str(rules)]) == 2
    assert "FL/LMHC cannot be used" in capsys.readouterr().err


PRIVILEGE = {
    "kind": "ce",
    "as_of": "2026-11-22",
    "rule": "compact/COUNSELING-PRIVILEGE",
    "license": {"remote_state": "CO"},
    "home": {"rule": "TX/LPC", "expires": "2027-06-30"},
}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"home": {"rule": "ZZ/LPC"}}, "home.rule: unknown rule 'ZZ/LPC'"),
        ({"license": {}}, "license.remote_state: required for compact/COUNSELING-PRIVILEGE"),
        ({"rule": "compact/SW-MULTISTATE"}, "compact/SW-MULTISTATE is not issued yet"),
        ({"rule": "TX/LPC"}, "home: TX/LPC is not a compact credential"),
        ({"home": {"rule": "TX/LPC", "status": "lapsed"}}, "home.status"),
        ({"license": {"remote_state": "Colorado"}}, "license.remote_state"),
    ],
)
def test_a_compact_scenario_that_cannot_stand_exits_2_with_the_reason(
    tmp_path, capsys, changes, message
):
    code, out, err = run(tmp_path, capsys, {**PRIVILEGE, **changes})
    assert (code, out) == (2, "")
    assert message in err and len(err.strip().splitlines()) == 1


def test_a_compact_scenario_reads_its_home_rules_and_says_what_it_stands_on(tmp_path, capsys):
    code, out, _ = run(tmp_path, capsys, PRIVILEGE)
    result = json.loads(out)
    assert code == 0 and result["status"] == "incomplete"  # jurisprudence not attested
    assert result["deadline"] == "2027-06-30"
    assert result["home"]["summary"].startswith("Expires with TX/LPC on 2027-06-30")
