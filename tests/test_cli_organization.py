"""`cetrack roster import` and the organization's exports, on SQLite and PostgreSQL: a roster
of 20 with two bad rows is reported row by row, refused until told to skip them, then imported
once; the exports hold every license."""

from __future__ import annotations

import io
from datetime import date

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from cetrack.cli import main
from cetrack.services import accounts
from cetrack.services.workspace import open_workspace
from cetrack.settings import get_settings
from tests.roster_file import roster_csv

TODAY = date(2026, 11, 22)


@pytest.fixture
def organization(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("CETRACK_DATABASE_URL", database_url)
    monkeypatch.setenv("CETRACK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CETRACK_TODAY", TODAY.isoformat())
    get_settings.cache_clear()
    workspace = open_workspace()
    with workspace.transaction() as session:
        accounts.first_admin(
            session,
            email="ada@clinic.org",
            name="Ada",
            password="a long enough password",
            organization="Riverside Clinic",
        )
    (tmp_path / "roster.csv").write_bytes(roster_csv(TODAY))
    yield tmp_path
    get_settings.cache_clear()


def run(capsys, *args):
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_roster_is_reported_refused_then_imported_once(organization, capsys):
    path = str(organization / "roster.csv")
    code, out, err = run(capsys, "roster", "import", path, "--dry-run")
    assert code == 0 and "18 row(s) ready, 0 already on file, 2 rejected" in out
    assert "line 20: rejected" in out and "no rules for ZZ/LPC" in out
    assert "dry run: nothing written" in err
    code, _, err = run(capsys, "roster", "import", path)
    assert code == 1 and "--skip-rejected" in err
    code, _, err = run(capsys, "roster", "import", path, "--skip-rejected")
    assert code == 0 and "added 18 person(s), 18 to the roster, 18 license(s)" in err
    assert "evaluating" in err
    code, out, _ = run(capsys, "roster", "import", path, "--dry-run")
    assert "0 row(s) ready, 18 already on file" in out


def test_the_exports_hold_every_license(organization, capsys):
    run(capsys, "roster", "import", str(organization / "roster.csv"), "--skip-rejected")
    xlsx, csv, pdf, ics = (organization / name for name in ("r.xlsx", "r.csv", "r.pdf", "o.ics"))
    for out in (xlsx, csv, pdf):
        assert run(capsys, "export", "roster", "--out", str(out))[0] == 0
    assert run(capsys, "export", "org-ics", "--out", str(ics))[0] == 0
    sheet = load_workbook(io.BytesIO(xlsx.read_bytes())).active
    assert sheet.title == "Roster" and sheet.max_row == 19  # the header and 18 licenses
    header = [cell.value for cell in sheet[1]]
    first = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert (
        first["email"] == "staff00@clinic.org" and first["license_standing"] == "Expires in 20 days"
    )
    assert first["verification_flag"] == "Never verified"
    assert csv.read_bytes().decode("utf-8-sig").count("@clinic.org") == 18
    assert pdf.read_bytes().startswith(b"%PDF")
    events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert len(events) == 18
    soonest = min(events, key=lambda event: event.decoded("dtstart"))
    assert str(soonest["summary"]) == "Staff Member 00: TX/LPC N-1000 expires"
    assert len(soonest.walk("VALARM")) == 1  # 7 days before; 30 and 90 would be past


def test_bad_arguments_get_a_one_line_answer(organization, capsys):
    code, _, err = run(capsys, "export", "roster", "--out", str(organization / "r.txt"))
    assert code == 2 and ".xlsx, .csv or .pdf" in err
    code, _, err = run(
        capsys, "export", "org-ics", "--out", str(organization / "o.ics"), "--organization", "Nope"
    )
    assert code == 2 and "no organization named Nope" in err
    code, _, err = run(capsys, "roster", "import", str(organization / "missing.csv"))
    assert code == 2 and "cannot read" in err
