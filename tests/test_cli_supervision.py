"""`cetrack supervision verify`, `supervision import` and `export supervision` against a real
database (SQLite and PostgreSQL), and the parity of `cetrack check` with the stored logs."""

from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from cetrack.cli import main
from cetrack.scenario.output import number
from cetrack.services import experience, supervision_logs
from cetrack.services.workspace import open_workspace
from cetrack.settings import get_settings
from tests.services.supervision_setup import START, week_data
from tests.services.test_supervision_reports import CSV, SIGNED, WEEKS, history

TODAY = date(2026, 11, 22)
EMAIL = "ari@example.org"


@pytest.fixture
def associate(database_url, tmp_path, monkeypatch, capsys):
    """A TX/LPC associate with signed, pending and amended weeks; runs `cetrack ...`."""
    monkeypatch.setenv("CETRACK_DATABASE_URL", database_url)
    monkeypatch.setenv("CETRACK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CETRACK_TODAY", TODAY.isoformat())
    get_settings.cache_clear()
    workspace = open_workspace()
    with workspace.transaction() as session:
        item = history(session, workspace.registry)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    yield run, workspace, item
    get_settings.cache_clear()


def live_logs(workspace, item) -> list:
    with workspace.transaction() as session:
        actor = item.setup.associate_actor(session)
        return supervision_logs.list_logs(session, actor=actor, person=item.associate)


def test_verify_reports_intact_chains_then_names_a_log_changed_in_the_database(associate):
    run, workspace, item = associate
    assert run("supervision", "verify") == (
        0,
        "5 signature(s) of 1 associate(s): every chain is intact\n",
        "",
    )
    changed = item.logs[2]  # the third signature
    with workspace.engine.begin() as connection:
        connection.execute(
            text("UPDATE supervisionlog SET direct = 40 WHERE id = :id"), {"id": changed.id}
        )
    code, out, _ = run("supervision", "verify")
    assert code == 1
    assert out == (
        f"signature 3 of {EMAIL} (log {changed.id}) breaks the chain: "
        "the signed log was changed after it was signed\n"
    )


def test_import_dry_run_writes_nothing_then_imports_under_the_latest_supervisor(
    associate, tmp_path
):
    run, workspace, item = associate
    path = tmp_path / "weeks.csv"
    path.write_bytes(CSV)
    before = len(live_logs(workspace, item))
    code, out, err = run("supervision", "import", "--person", EMAIL, str(path), "--dry-run")
    assert code == 0, err
    assert "line 2: ready: 2026-03-09 to 2026-03-15, 34 h" in out
    assert "2 row(s) ready (61 h) under Sam Supervisor, 0 rejected" in out
    assert "dry run: nothing written" in err
    assert len(live_logs(workspace, item)) == before
    code, _, err = run(
        "supervision",
        "import",
        "--person",
        EMAIL,
        str(path),
        "--supervisor",
        str(item.setup.relationship.id),
    )
    assert (code, err) == (0, "imported 2 log(s), pending the supervisor's signature\n")
    assert len(live_logs(workspace, item)) == before + 2
    code, out, err = run("supervision", "import", "--person", EMAIL, str(path))
    assert code == 1 and "nothing written" in err
    assert "line 3: rejected: start: overlaps the log of 2026-03-16 to 2026-03-22" in out
    assert len(live_logs(workspace, item)) == before + 2


def test_a_signed_week_cannot_be_changed_by_importing_it_again(associate, tmp_path):
    run, workspace, item = associate
    signed = next(log for log in live_logs(workspace, item) if log.status == "signed")
    path = tmp_path / "again.csv"
    path.write_text(
        "Week Of,Direct Hours,Indirect Hours,Individual Supervision\r\n"
        f"{signed.start:%m/%d/%Y},40,0,4\r\n"
    )
    code, out, err = run("supervision", "import", "--person", EMAIL, str(path))
    assert code == 1 and "nothing written" in err
    assert f"line 2: rejected: start: overlaps the log of {signed.start.isoformat()}" in out
    after = next(log for log in live_logs(workspace, item) if log.id == signed.id)
    assert (after.status, after.direct, after.version) == ("signed", signed.direct, signed.version)


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ("--person", "nobody@example.org", "{csv}"),
            "no person with the email nobody@example.org",
        ),
        (("--person", EMAIL, "{missing}"), "cannot read"),
        (("--person", EMAIL, "{binary}"), "not UTF-8 text"),
        (("--person", EMAIL, "--supervisor", "999", "{csv}"), "has no supervisor 999"),
        (("--person", "sam@example.org", "{csv}"), "has no supervisor yet"),
    ],
    ids=["unknown email", "missing file", "binary file", "unknown supervisor", "no supervisor"],
)
def test_import_refuses_bad_input_with_one_line_and_exit_2(associate, tmp_path, args, message):
    run, _, _ = associate
    (tmp_path / "weeks.csv").write_bytes(CSV)
    (tmp_path / "binary.csv").write_bytes(bytes(range(256)) * 4)
    files = {
        "csv": tmp_path / "weeks.csv",
        "missing": tmp_path / "missing.csv",
        "binary": tmp_path / "binary.csv",
    }
    code, out, err = run("supervision", "import", *(arg.format(**files) for arg in args))
    assert (code, out) == (2, "")
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_export_writes_a_packet_whose_manifest_verifies(associate, tmp_path):
    run, _, _ = associate
    out = tmp_path / "packet.zip"
    code, _, err = run("export", "supervision", "--person", EMAIL, "--out", str(out))
    assert code == 0 and f"wrote {out}" in err
    with zipfile.ZipFile(out) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(files.pop("manifest.json"))
    assert {entry["path"]: entry["sha256"] for entry in manifest["files"]} == {
        path: hashlib.sha256(data).hexdigest() for path, data in files.items()
    }
    code, _, err = run("export", "supervision", "--person", "sam@example.org", "--out", str(out))
    assert code == 2 and "does not work toward any license" in err
    code, _, err = run(
        "export", "supervision", "--person", EMAIL, "--rule", "NY/LMHC", "--out", str(out)
    )
    assert code == 2 and "does not work toward NY/LMHC" in err


def scenario_by_hand(item, as_of: date) -> dict:
    """What was entered, as a `cetrack check` scenario: the weeks of `WEEKS` (each the usual
    week with its changes), the amendment of week 1 in its place, and the supervisor."""
    supervisor = str(item.setup.relationship.id)
    logs = []
    for number_, changes in WEEKS.items():
        if number_ == 1:
            continue  # replaced by its signed amendment
        entered = week_data(item.setup.relationship.id, number_, **changes)
        logs.append(
            {
                "id": str(item.logs[number_].id),
                "start": entered["start"].isoformat(),
                "end": entered["end"].isoformat(),
                "direct": entered["direct"],
                "indirect": entered["indirect"],
                "individual_supervision": entered["individual_supervision"],
                "group_supervision": entered.get("group_supervision", 0),
                "group_size": entered.get("group_size"),
                "signed": number_ in SIGNED,
                "supervisor": supervisor,
            }
        )
    amended_start = START + timedelta(weeks=1)
    logs.append(
        {
            "id": str(item.amendment.id),
            "start": amended_start.isoformat(),
            "end": (amended_start + timedelta(days=6)).isoformat(),
            "direct": 25,
            "indirect": 5,
            "individual_supervision": 4,
            "signed": True,
            "supervisor": supervisor,
        }
    )
    return {
        "kind": "supervision",
        "as_of": as_of.isoformat(),
        "rule": "TX/LPC",
        "start": START.isoformat(),
        "registration_issued": START.isoformat(),
        "logs": logs,
        "supervisors": [
            {
                "id": supervisor,
                "name": "Sam Supervisor",
                "start": START.isoformat(),
                "license_from": "2012-05-01",  # the supervisor's TX/LPC in cetrack
                "license_until": "2027-05-31",
                "credential": True,
            }
        ],
    }


@pytest.mark.parametrize("as_of", [date(2026, 4, 6), TODAY], ids=["with a pace", "no pace"])
def test_cetrack_check_on_the_entered_values_agrees_with_the_stored_logs(
    associate, tmp_path, as_of
):
    run, workspace, item = associate
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(scenario_by_hand(item, as_of)), "utf-8")
    code, out, err = run("check", str(path))
    assert code == 0, err
    checked = json.loads(out)
    with workspace.transaction() as session:
        stored = experience.progress(
            session,
            actor=item.setup.associate_actor(session),
            path=item.path,
            registry=workspace.registry,
            today=as_of,
        )
    assert [
        (item["id"], item["counted"], item["remaining"]) for item in checked["requirements"]
    ] == [(item.id, number(item.counted), number(item.remaining)) for item in stored.requirements]
    projected = stored.projected_eligible
    assert checked["projected_eligible"] == (projected.isoformat() if projected else None)
    assert (projected is None) == (as_of == TODAY)
    excluded = {log["id"]: log["excluded"] for log in checked["logs"]}
    assert excluded == {log.id: number(log.excluded) for log in stored.logs}
    reasons = {reason["code"] for log in checked["logs"] for reason in log["reasons"]}
    assert {"unsigned", "group_share", "period_minimum"} <= reasons
