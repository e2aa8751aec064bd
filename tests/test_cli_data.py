"""`cetrack log`, `import ce`, `evaluate`, `backup` and `restore` against a real database."""

from __future__ import annotations

import pytest
from sqlmodel import select

from cetrack.cli import main
from cetrack.db.models import Activity, Evaluation
from cetrack.services.demo import DEMO_EMAIL
from cetrack.services.workspace import open_workspace
from cetrack.settings import get_settings
from tests.services.helpers import TODAY

PDF = b"%PDF-1.4\n% certificate\n%%EOF\n"


@pytest.fixture
def cli(database_url, tmp_path, monkeypatch, capsys):
    """Runs `cetrack ...` on a fresh database with the demo; returns (exit code, out, err)."""
    monkeypatch.setenv("CETRACK_DATABASE_URL", database_url)
    monkeypatch.setenv("CETRACK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CETRACK_TODAY", TODAY.isoformat())
    get_settings.cache_clear()
    assert main(["demo"]) == 0
    capsys.readouterr()

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    yield run
    get_settings.cache_clear()


def titles() -> list[str]:
    with open_workspace().transaction() as session:
        return list(session.exec(select(Activity.title).order_by(Activity.id)))


def test_log_an_activity_with_a_certificate(cli, tmp_path):
    certificate = tmp_path / "cert.pdf"
    certificate.write_bytes(PDF)
    code, _, err = cli(
        "log",
        "--person",
        DEMO_EMAIL,
        "--title",
        "Telehealth law",
        "--date",
        "2026-11-02",
        "--hours",
        "90",
        "--unit",
        "minutes",
        "--category",
        "ethics",
        "--category",
        "telehealth",
        "--format",
        "live_online",
        "--certificate",
        str(certificate),
    )
    assert code == 0, err
    assert "logged activity" in err and titles()[-1] == "Telehealth law"
    with open_workspace().transaction() as session:
        logged = session.exec(select(Activity).where(Activity.title == "Telehealth law")).one()
    assert (logged.amount, logged.unit, logged.categories) == (
        90,
        "minutes",
        ["ethics", "telehealth"],
    )
    assert logged.certificate_id is not None


@pytest.mark.parametrize(
    "args, message, code",
    [
        (["--date", "2030-01-01"], "completed: the completion date is in the future", 2),
        (["--hours", "-1"], "amount: enter a number above 0", 2),
        (["--person", "nobody@example.org"], "no person with the email nobody@example.org", 2),
    ],
)
def test_bad_input_is_refused_with_one_line(cli, args, message, code):
    base = {"--person": DEMO_EMAIL, "--title": "Bad", "--date": "2026-11-01", "--hours": "1"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    flat = [part for pair in base.items() for part in pair]
    returned, _, err = cli("log", *flat)
    assert returned == code and message in err
    assert "Bad" not in titles()


def test_logging_twice_asks_for_yes(cli):
    args = (
        "log",
        "--person",
        DEMO_EMAIL,
        "--title",
        "Twice",
        "--date",
        "2026-11-01",
        "--hours",
        "1",
    )
    assert cli(*args)[0] == 0
    code, _, err = cli(*args)
    assert code == 1 and "pass --yes to log it again" in err
    assert cli(*args, "--yes")[0] == 0
    assert titles().count("Twice") == 2


def test_import_with_a_dry_run_then_for_real_then_again(cli, tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(
        "title,completed,amount,format,categories\n"
        "Play therapy,2026-10-01,3,in_person,clinical\n"
        "Grief work,2026-10-02,2,live_online,clinical\n",
        "utf-8",
    )
    code, out, err = cli("import", "ce", "--person", DEMO_EMAIL, str(path), "--dry-run")
    assert code == 0 and "2 row(s) ready (5 clock hours)" in out and "nothing written" in err
    assert "Play therapy" not in titles()
    code, _, err = cli("import", "ce", "--person", DEMO_EMAIL, str(path))
    assert code == 0 and "imported 2 activities" in err
    code, out, _ = cli("import", "ce", "--person", DEMO_EMAIL, str(path))
    assert code == 0 and "line 2: already in the CE log, skipped" in out
    assert titles().count("Play therapy") == 1


def test_an_import_with_a_bad_row_writes_nothing(cli, tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(
        "title,completed,amount,format\nGood,2026-10-01,3,in_person\nBad,2026-10-02,x,in_person\n",
        "utf-8",
    )
    code, out, err = cli("import", "ce", "--person", DEMO_EMAIL, str(path))
    assert code == 1 and "line 3: rejected: amount" in out and "nothing written" in err
    assert "Good" not in titles()
    (tmp_path / "broken.csv").write_bytes(b"\xff\xfe")
    code, _, err = cli("import", "ce", "--person", DEMO_EMAIL, str(tmp_path / "broken.csv"))
    assert code == 2 and "not UTF-8" in err


def test_evaluate_brings_every_stored_result_current(cli):
    code, _, err = cli("evaluate", "--stale", "--workers", "2")
    assert code == 0 and "evaluated 3 credential(s) with 2 worker(s)" in err
    with open_workspace().transaction() as session:
        assert session.exec(select(Evaluation).where(Evaluation.dirty)).all() == []
    assert "evaluated 0 credential(s)" in cli("evaluate")[2]
    assert "evaluated 3 credential(s)" in cli("evaluate", "--all")[2]
    code, _, err = cli("evaluate", "--workers", "0")
    assert code == 1 and "--workers and --batch take a whole number of 1 or more" in err


def test_backup_then_restore_into_another_database(cli, tmp_path, monkeypatch, capsys):
    archive = tmp_path / "backup.zip"
    code, _, err = cli("backup", "--out", str(archive))
    assert code == 0 and archive.stat().st_size > 1000, err
    code, _, err = cli("restore", str(archive))
    assert code == 1 and "nothing restored: this database is not empty" in err
    monkeypatch.setenv("CETRACK_DATABASE_URL", f"sqlite:///{tmp_path / 'restored.db'}")
    monkeypatch.setenv("CETRACK_DATA_DIR", str(tmp_path / "restored"))
    get_settings.cache_clear()
    code, _, err = cli("restore", str(archive))
    assert code == 0 and "restored 2 person" in err, err  # the demo clinician and associate
    assert len(titles()) > 10
    code, out, err = cli("supervision", "verify")
    assert code == 0 and "48 signature(s) of 1 associate(s): every chain is intact" in out
    (tmp_path / "junk.zip").write_bytes(b"junk")
    code, _, err = cli("restore", str(tmp_path / "junk.zip"))
    assert code == 1 and "not a readable cetrack backup" in err
