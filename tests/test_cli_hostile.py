"""Hostile input to `cetrack check` never yields a traceback: exit 2 with one line that says
why (issue 7, defect 12). Includes a Hypothesis property over arbitrary JSON and bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cetrack.cli import main
from tests.test_cli_check import VALID, _with_activity


def check_bytes(tmp_path: Path, capsys, content: bytes) -> tuple[int, str, str]:
    path = tmp_path / "scenario.json"
    path.write_bytes(content)
    code = main(["check", str(path)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _supervision(**changes) -> dict:
    return {
        "kind": "supervision",
        "as_of": "2026-11-22",
        "rule": "TX/LPC",
        "start": "2025-01-06",
        "logs": [
            {"id": "w1", "start": "2025-01-06", "end": "2025-01-12", "direct": 20, "signed": True}
        ],
        **changes,
    }


HOSTILE = {
    "100,000 levels of nesting": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "an integer of 5,000 digits": (
        json.dumps(VALID).replace('"hours": 3', '"hours": ' + "9" * 5000).encode(),
        "number",
    ),
    "latin-1": (
        json.dumps({**VALID, "rule": "TX/LPC"}).replace("TX/LPC", "TX/LPC\xe9").encode("latin-1"),
        "UTF-8",
    ),
    "UTF-16": (json.dumps(VALID).encode("utf-16"), "UTF-8"),
    "binary": (bytes(range(256)) * 4, "UTF-8"),
    "kind is a list": (json.dumps({**VALID, "kind": []}).encode(), "kind: must be"),
    "hours of 1e20": (json.dumps(_with_activity(hours=1e20)).encode(), "hours"),
    "hours as a boolean": (json.dumps(_with_activity(hours=True)).encode(), "hours"),
    "hours as a string": (json.dumps(_with_activity(hours="3")).encode(), "hours"),
    "expires in year 1": (
        json.dumps({**VALID, "license": {**VALID["license"], "expires": "0001-01-01"}}).encode(),
        "expires",
    ),
    "issued in 9999 without expiration": (
        json.dumps(
            {**VALID, "license": {"issued": "9999-12-31", "birth_date": "1984-06-02"}}
        ).encode(),
        "issued",
    ),
    "logs from year 1 to 9999": (
        json.dumps(
            _supervision(
                start="0001-01-01",
                logs=[{"id": "w1", "start": "0001-01-01", "end": "9999-12-31", "direct": 5}],
            )
        ).encode(),
        "start",
    ),
}


@pytest.mark.parametrize("content, reason", HOSTILE.values(), ids=list(HOSTILE))
def test_hostile_scenarios_exit_2_with_one_line(tmp_path, capsys, content, reason):
    code, out, err = check_bytes(tmp_path, capsys, content)
    assert (code, out) == (2, ""), err
    assert err.count("\n") == 1, err
    assert reason in err, err
    assert "Traceback" not in err


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "kind": st.sampled_from(["ce", "supervision"]) | JSON,
        "as_of": st.sampled_from(["2026-11-22", "0001-01-01", "9999-12-31"]) | JSON,
        "rule": st.sampled_from(["TX/LPC", "NY/LMHC", "CA/LMFT"]) | JSON,
        "start": st.sampled_from(["2025-01-06", "0001-01-01"]) | JSON,
        "license": st.fixed_dictionaries(
            {},
            optional={
                "expires": st.sampled_from(["2027-06-30", "0001-01-01", "9999-12-31"]) | JSON,
                "issued": st.sampled_from(["2015-06-15", "9999-12-31"]) | JSON,
                "birth_date": JSON,
            },
        )
        | JSON,
        "activities": st.lists(
            st.fixed_dictionaries(
                {"id": st.text(min_size=1, max_size=3), "format": st.just("in_person")},
                optional={
                    "completed": st.sampled_from(["2026-02-01", "0001-01-01"]) | JSON,
                    "hours": st.floats() | st.integers() | JSON,
                    "unit": st.sampled_from(["hours", "ceu", "minutes"]) | JSON,
                    "categories": st.lists(st.sampled_from(["ethics", "general"])) | JSON,
                },
            ),
            max_size=3,
        ),
        "logs": st.lists(JSON, max_size=3),
    },
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(scenario=FIELDS)
def test_any_scenario_gives_a_result_or_exit_2_with_a_reason(tmp_path, capsys, scenario):
    code, out, err = check_bytes(tmp_path, capsys, json.dumps(scenario).encode())
    if code == 0:
        json.loads(out)
    else:
        assert (code, out) == (2, ""), err
        assert err.count("\n") == 1 and len(err) > 20, err


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=st.binary(max_size=200))
def test_any_bytes_give_exit_2_with_a_reason(tmp_path, capsys, content):
    code, out, err = check_bytes(tmp_path, capsys, content)
    assert (code, out) == (2, "") or code == 0, err
    assert code == 0 or err.count("\n") == 1, err


def test_a_rule_that_is_no_rule_id_is_unknown_not_an_os_error(tmp_path, capsys):
    """Found by the property above: a long `rule` with a slash reached the file system."""
    scenario = {**VALID, "rule": "x/" + "y" * 300}
    code, out, err = check_bytes(tmp_path, capsys, json.dumps(scenario).encode())
    assert (code, out) == (2, "") and "rule: unknown rule" in err
