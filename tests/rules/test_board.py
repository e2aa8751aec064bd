"""`<ST>/_board.yaml`: a state's boards, shared sources and shared sections, written once."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from cetrack.cli import main
from cetrack.rules.paths import default_rules_dir
from cetrack.rules.registry import Registry
from tests.factories import BASE, SOURCE, rule_data

BOARD = {
    "state": "ZZ",
    "boards": {
        "zzb": {
            "name": "Fixture Behavioral Board",
            "url": "https://board.example.org/",
            "verification_url": "https://board.example.org/lookup",
        }
    },
    "sources": [{**SOURCE, "id": "board-rules", "url": "https://board.example.org/rules"}],
    "shared": {
        "zzb": {
            "renewal": [{**BASE["renewal"][0], "source": "board-rules"}],
            "not_evaluated": [{"title": "Jurisprudence course", "source": "board-rules"}],
            "notes": ["Shared note."],
        }
    },
}


def write(path: Path, data: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def license_data(**changes) -> dict:
    data = rule_data(**{"board": "zzb", "sources": [], "notes": ["Own note."], **changes})
    for key in ("board_url", "verification_url", "renewal"):
        data.pop(key)
    data["ce"][0]["source"] = "board-rules"
    data["ce"][0]["units"]["source"] = "board-rules"
    data["ce"][0]["carryover"]["source"] = "board-rules"
    data["ce"][0]["first_renewal"]["source"] = "board-rules"
    return data


def test_a_license_file_takes_its_board_sources_and_shared_sections(tmp_path):
    write(tmp_path / "ZZ" / "_board.yaml", BOARD)
    write(tmp_path / "ZZ" / "TEST.yaml", license_data())
    registry = Registry.from_directory(tmp_path)
    assert registry.errors == []
    rule = registry.get("ZZ/TEST")
    assert rule.board == "Fixture Behavioral Board"
    assert rule.board_url == "https://board.example.org/"
    assert [source.id for source in rule.sources] == ["board-rules"]
    assert rule.renewal[0].expiration.month == 6
    assert [item.title for item in rule.not_evaluated] == ["Jurisprudence course"]
    assert rule.notes == ["Shared note.", "Own note."]


def test_a_file_that_names_its_board_in_full_is_untouched(tmp_path):
    write(tmp_path / "ZZ" / "_board.yaml", BOARD)
    write(tmp_path / "ZZ" / "TEST.yaml", rule_data())
    rule = Registry.from_directory(tmp_path).get("ZZ/TEST")
    assert rule.board == "Fixture board"
    assert [source.id for source in rule.sources] == ["src"]


def test_a_broken_board_file_rejects_its_licenses_with_the_reason(tmp_path, capsys):
    write(tmp_path / "ZZ" / "_board.yaml", {**BOARD, "colour": "red"})
    path = write(tmp_path / "ZZ" / "TEST.yaml", license_data())
    assert main(["rules", "lint", str(tmp_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert f"{path}: board: _board.yaml is invalid" in lines
    assert f"{path}: colour: unknown key" in lines


def test_a_source_given_twice_is_a_duplicate(tmp_path, capsys):
    write(tmp_path / "ZZ" / "_board.yaml", BOARD)
    data = license_data(sources=[{**SOURCE, "id": "board-rules"}])
    path = write(tmp_path / "ZZ" / "TEST.yaml", data)
    assert main(["rules", "lint", str(tmp_path)]) == 1
    assert f"{path}: sources[1].id: duplicate source id 'board-rules'" in (
        capsys.readouterr().out.splitlines()
    )


def test_a_new_license_family_is_a_line_of_shared_data(tmp_path, capsys):
    """Addiction counselors need no change to cetrack's code: only `_shared.yaml`."""
    shared = yaml.safe_load((default_rules_dir() / "_shared.yaml").read_text("utf-8"))
    shared["professions"].append({"id": "addiction", "title": "Addiction counselor"})
    write(tmp_path / "_shared.yaml", shared)
    write(tmp_path / "ZZ" / "TEST.yaml", rule_data(profession="addiction"))
    assert main(["rules", "lint", str(tmp_path)]) == 0
    shutil.rmtree(tmp_path / "ZZ")
    (tmp_path / "_shared.yaml").unlink()
    write(tmp_path / "ZZ" / "TEST.yaml", rule_data(profession="addiction"))
    assert main(["rules", "lint", str(tmp_path)]) == 1


def test_a_family_without_a_file_is_shown_with_its_reason(tmp_path, capsys):
    reason = "no current CE total found in the board's rules"
    not_covered = {
        "mft": {
            "reason": reason,
            "checked_on": "2026-12-03",
            "sources": [{**SOURCE, "url": "https://board.example.org/cpd"}],
        }
    }
    write(tmp_path / "ZZ" / "_board.yaml", {**BOARD, "not_covered": not_covered})
    write(tmp_path / "ZZ" / "TEST.yaml", license_data())
    assert main(["rules", "lint", str(tmp_path)]) == 0
    registry = Registry.from_directory(tmp_path)
    assert registry.not_covered[("ZZ", "mft")].reason == reason
    assert main(["rules", "coverage", "--path", str(tmp_path)]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("| ZZ"))
    assert f"none: {reason} (2026-12-03)" in row


def test_a_reason_for_a_family_the_state_has_or_does_not_know_is_refused(tmp_path, capsys):
    entry = {
        "reason": "x",
        "checked_on": "2026-12-03",
        "sources": [{**SOURCE, "url": "https://ce-provider.example.com/", "authority": "official"}],
    }
    board = {**BOARD, "not_covered": {"counselor": entry, "astrology": entry}}
    board_path = write(tmp_path / "ZZ" / "_board.yaml", board)
    write(tmp_path / "ZZ" / "TEST.yaml", license_data())
    assert main(["rules", "lint", str(tmp_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert (
        f"{board_path}: not_covered.counselor: the state has a rule file for this family" in lines
    )
    assert any(
        line.startswith(f"{board_path}: not_covered.astrology: unknown profession")
        for line in lines
    )
    assert (
        f"{board_path}: not_covered.counselor.sources[0].authority: {SOURCE['id']!r} is marked "
        "official, but its host ce-provider.example.com is neither (so it is secondary)"
    ) in lines
