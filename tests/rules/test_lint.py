"""`cetrack rules lint`: every kind of problem, as `file: field: reason`, exit 1."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cetrack.cli import main
from cetrack.rules.registry import Registry
from tests.factories import SOURCE, ce_data, rule_data


def write_rule(root: Path, data: dict, place: str = "ZZ/TEST.yaml") -> Path:
    path = root / place
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def lint(root: Path, capsys) -> tuple[int, list[str]]:
    code = main(["rules", "lint", str(root)])
    return code, capsys.readouterr().out.splitlines()


def test_a_valid_file_lints_clean(tmp_path, capsys):
    write_rule(tmp_path, rule_data())
    assert lint(tmp_path, capsys) == (0, [])


CASES = {
    "unknown key": (
        rule_data(colour="red"),
        "colour: unknown key",
    ),
    "missing section source": (
        rule_data(ce=[{k: v for k, v in ce_data().items() if k != "source"}]),
        "ce[0].source: missing (required)",
    ),
    "source id not in sources": (
        rule_data(
            ce=[
                ce_data(
                    requirements=[
                        {
                            "id": "ethics",
                            "title": "Ethics",
                            "hours": 6,
                            "categories": ["ethics"],
                            "source": "nowhere",
                        }
                    ]
                )
            ]
        ),
        "ce[0].requirements[0].source: unknown source 'nowhere' (not in sources)",
    ),
    "unknown category": (
        rule_data(
            ce=[
                ce_data(
                    requirements=[{"id": "e", "title": "E", "hours": 6, "categories": ["ethic"]}]
                )
            ]
        ),
        "ce[0].requirements[0].categories[0]: unknown category 'ethic'",
    ),
    "unknown format": (
        rule_data(
            ce=[ce_data(caps=[{"id": "c", "title": "c", "max_hours": 6, "formats": ["webinar"]}])]
        ),
        "ce[0].caps[0].formats[0]: unknown format 'webinar'",
    ),
    "unknown activity type": (
        rule_data(ce=[ce_data(exclusions=[{"id": "x", "title": "x", "types": ["teaching"]}])]),
        "ce[0].exclusions[0].types[0]: unknown activity type 'teaching'",
    ),
    "category minimum above the total": (
        rule_data(
            ce=[
                ce_data(
                    requirements=[{"id": "e", "title": "E", "hours": 30, "categories": ["ethics"]}]
                )
            ]
        ),
        "ce[0].requirements[0].hours: 30 h is more than the total of 24 h it counts toward",
    ),
    "minimums adding up above the total": (
        rule_data(
            ce=[
                ce_data(
                    requirements=[
                        {"id": "a", "title": "A", "hours": 20, "categories": ["ethics"]},
                        {"id": "b", "title": "B", "hours": 20, "categories": ["trauma"]},
                    ]
                )
            ]
        ),
        "ce[0].requirements: category minimums add up to 40 h, more than the total of 24 h",
    ),
    "requirement impossible under caps": (
        rule_data(
            ce=[
                ce_data(
                    requirements=[
                        {
                            "id": "e",
                            "title": "E",
                            "hours": 6,
                            "categories": ["ethics"],
                            "formats": ["self_study"],
                        }
                    ],
                    caps=[
                        {
                            "id": "s",
                            "title": "self-study",
                            "max_hours": 3,
                            "formats": ["self_study"],
                        }
                    ],
                )
            ]
        ),
        "ce[0].requirements[0]: needs 6 h but caps allow at most 3 h in its formats",
    ),
    "negative hours": (
        rule_data(ce=[ce_data(total_hours=-1)]),
        "ce[0].total_hours: Input should be greater than or equal to 0",
    ),
    "overlapping versions": (
        rule_data(
            ce=[
                ce_data(effective_until="2026-01-01"),
                ce_data(effective_from="2025-06-01"),
            ]
        ),
        "ce[1]: overlaps ce[0]: versions must not share a date",
    ),
    "version ending before it starts": (
        rule_data(ce=[ce_data(effective_from="2026-01-01", effective_until="2025-01-01")]),
        "ce[0].effective_until: must be after effective_from",
    ),
    "minimum duration above maximum": (
        rule_data(
            supervised_experience=[
                {
                    "title": "X",
                    "associate_title": "Y",
                    "months_min": 48,
                    "months_max": 24,
                    "source": "src",
                }
            ]
        ),
        "supervised_experience[0].months_min: minimum duration exceeds the maximum",
    ),
    "direct above total": (
        rule_data(
            supervised_experience=[
                {
                    "title": "X",
                    "associate_title": "Y",
                    "total_hours": 1000,
                    "direct_hours": 2000,
                    "source": "src",
                }
            ]
        ),
        "supervised_experience[0].direct_hours: direct hours cannot exceed the total",
    ),
    "impossible fixed date": (
        rule_data(
            renewal=[
                {
                    "cycle_months": 24,
                    "expiration": {"model": "fixed_date", "month": 2, "day": 30},
                    "source": "src",
                }
            ]
        ),
        "renewal[0].expiration.day: month 2 has no day 30",
    ),
    "verified in the future": (
        rule_data(verified_on="2999-01-01"),
        "verified_on: date is in the future",
    ),
    "fraction above one": (
        rule_data(
            ce=[
                ce_data(
                    caps=[
                        {"id": "c", "title": "c", "max_fraction": "4/3", "formats": ["self_study"]}
                    ]
                )
            ]
        ),
        "ce[0].caps[0].max_fraction: 4/3 is not between 0 and 1",
    ),
    "profession not in _shared.yaml": (
        rule_data(profession="astrology"),
        "profession: unknown profession 'astrology'",
    ),
    "official source on a provider's host": (
        rule_data(sources=[{**SOURCE, "url": "https://ce-provider.example.com/summary"}]),
        "sources[0].authority: 'src' is marked official, but its host ce-provider.example.com "
        "is neither (so it is secondary)",
    ),
    "secondary source on a government host": (
        rule_data(
            sources=[{**SOURCE, "url": "https://board.state.gov/x", "authority": "secondary"}]
        ),
        "sources[0].authority: 'src' is marked secondary, but its host board.state.gov is a "
        "government or board host (so it is official)",
    ),
    "official copy on an unlisted host": (
        rule_data(
            sources=[{**SOURCE, "url": "https://cupdf.com/doc", "authority": "official_copy"}]
        ),
        "sources[0].authority: 'src' is marked official_copy, but its host cupdf.com is neither",
    ),
}


@pytest.mark.parametrize("data, message", CASES.values(), ids=list(CASES))
def test_each_problem_is_reported_with_file_field_and_reason(tmp_path, capsys, data, message):
    path = write_rule(tmp_path, data)
    code, lines = lint(tmp_path, capsys)
    assert code == 1
    assert any(line.startswith(f"{path}: {message}") for line in lines), lines


def test_invalid_yaml_and_duplicate_keys(tmp_path, capsys):
    bad = tmp_path / "ZZ" / "TEST.yaml"
    bad.parent.mkdir()
    bad.write_text("state: ZZ\nstate: YY\n", encoding="utf-8")
    code, lines = lint(tmp_path, capsys)
    assert code == 1
    assert lines == [f"{bad}: line 2: invalid YAML: duplicate key 'state'"]


def test_file_must_sit_at_its_state_and_license(tmp_path, capsys):
    path = write_rule(tmp_path, rule_data(), place="ZZ/OTHER.yaml")
    code, lines = lint(tmp_path, capsys)
    assert code == 1
    assert lines == [f"{path}: state/license: ZZ/TEST does not match the file's place ZZ/OTHER"]


def test_a_broken_file_is_rejected_whole_and_others_still_load(tmp_path):
    write_rule(tmp_path, rule_data())
    write_rule(tmp_path, rule_data(license="BROKEN", colour="red"), place="ZZ/BROKEN.yaml")
    registry = Registry.from_directory(tmp_path)
    assert registry.ids() == ["ZZ/TEST"]
    assert [Path(error.path).name for error in registry.errors] == ["BROKEN.yaml"]


def test_lint_accepts_a_state_folder_or_a_single_file(tmp_path, capsys):
    path = write_rule(tmp_path, rule_data())
    assert main(["rules", "lint", str(path.parent)]) == 0
    assert main(["rules", "lint", str(path)]) == 0


def test_lint_of_an_empty_folder_fails(tmp_path, capsys):
    assert main(["rules", "lint", str(tmp_path)]) == 1
