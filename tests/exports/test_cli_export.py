"""`cetrack export packet|ics|csv|xlsx --person EMAIL --out FILE` against a real database."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pandas as pd
import pytest
from icalendar import Calendar

from cetrack.cli import main
from cetrack.services.demo import DEMO_ACTIVITIES, DEMO_EMAIL
from cetrack.settings import get_settings


@pytest.fixture
def demo_database(database_url, tmp_path, monkeypatch, capsys):
    """The CLI's settings point at a fresh database (SQLite or PostgreSQL) with the demo."""
    monkeypatch.setenv("CETRACK_DATABASE_URL", database_url)
    monkeypatch.setenv("CETRACK_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    assert main(["demo"]) == 0
    capsys.readouterr()
    yield tmp_path / "data"
    get_settings.cache_clear()


def export(capsys, *args: str) -> tuple[int, str]:
    code = main(["export", *args])
    return code, capsys.readouterr().err


def test_packet(demo_database, tmp_path, capsys):
    out = tmp_path / "packet.zip"
    code, err = export(capsys, "packet", "--person", DEMO_EMAIL, "--out", str(out))
    assert code == 0, err
    with zipfile.ZipFile(out) as archive:
        assert archive.testzip() is None
        manifest = json.loads(archive.read("manifest.json"))
        assert {entry["path"] for entry in manifest["files"]} == set(archive.namelist()) - {
            "manifest.json"
        }
    assert str(out) in err


def test_ics_with_default_and_custom_reminders(demo_database, tmp_path, capsys):
    out = tmp_path / "deadlines.ics"
    code, err = export(capsys, "ics", "--person", DEMO_EMAIL, "--out", str(out))
    assert code == 0, err
    events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert len(events) >= 3  # a deadline for each of the demo's three credentials
    days = {tuple(alarm["TRIGGER"].dt for alarm in event.walk("VALARM")) for event in events}
    assert days == {(timedelta(days=-90), timedelta(days=-30), timedelta(days=-7))}

    code, err = export(capsys, "ics", "--person", DEMO_EMAIL, "--out", str(out), "--alarms", "60,1")
    assert code == 0, err
    events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    days = {tuple(alarm["TRIGGER"].dt for alarm in event.walk("VALARM")) for event in events}
    assert days == {(timedelta(days=-60), timedelta(days=-1))}


def test_csv_and_xlsx(demo_database, tmp_path, capsys):
    csv, xlsx = tmp_path / "log.csv", tmp_path / "log.xlsx"
    assert export(capsys, "csv", "--person", DEMO_EMAIL.upper(), "--out", str(csv))[0] == 0
    assert export(capsys, "xlsx", "--person", DEMO_EMAIL, "--out", str(xlsx))[0] == 0
    titles = sorted(item[1] for item in DEMO_ACTIVITIES)
    assert sorted(pd.read_csv(csv, encoding="utf-8-sig")["title"]) == titles
    assert sorted(pd.read_excel(io.BytesIO(xlsx.read_bytes()))["title"]) == titles


@pytest.mark.parametrize("kind", ["packet", "ics", "csv", "xlsx"])
def test_an_unknown_person_exits_2_with_one_line(demo_database, tmp_path, capsys, kind):
    out = tmp_path / f"out.{kind}"
    code, err = export(capsys, kind, "--person", "nobody@example.org", "--out", str(out))
    assert code == 2
    assert err.strip() == "no person with the email nobody@example.org"
    assert not out.exists()


def test_a_missing_certificate_file_fails_the_packet_with_one_line(demo_database, tmp_path, capsys):
    next((demo_database / "certificates").rglob("*.pdf")).unlink()
    out = tmp_path / "packet.zip"
    code, err = export(capsys, "packet", "--person", DEMO_EMAIL, "--out", str(out))
    assert code == 1
    assert err.startswith("cannot export:") and err.count("\n") == 1
    assert not out.exists()


def test_bad_reminder_days_are_refused(demo_database, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "ics", "--person", DEMO_EMAIL, "--out", "x.ics", "--alarms", "30,soon"])
    assert exit_info.value.code == 2
    assert "give whole days" in capsys.readouterr().err
