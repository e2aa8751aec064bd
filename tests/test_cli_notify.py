"""`cetrack notify` on SQLite and PostgreSQL against a real local SMTP server: one line per
message and a total, nothing sent twice, `--dry-run` sends and writes nothing, and a server
that cannot be used is one line on stderr with exit 1."""

from __future__ import annotations

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import select

from cetrack.cli import main
from cetrack.db.models import Evaluation, Notice
from cetrack.services.workspace import open_workspace
from cetrack.settings import get_settings
from tests.services.test_notify import SENDER, Inbox, body_of, build, free_port

PASSWORD = "hunter2-but-longer"
EXPECTED = {
    "cam@clinic.org": "cetrack: FL/LMHC renewal deadline in 23 days (2026-12-15)",
    "cy@clinic.org": "cetrack: TX/LPC renewal deadline in 80 days (2027-02-10)",
    "hal@clinic.org": "cetrack: Riverside Clinic weekly compliance digest 2026-W47, 9 flags",
    "hx@agency.org": "cetrack: Other Agency weekly compliance digest 2026-W47, 2 flags",
}


@pytest.fixture
def inbox(monkeypatch):
    """A local SMTP server, and the settings that send through it."""
    found = Inbox()
    controller = Controller(found, hostname="127.0.0.1", port=free_port())
    controller.start()
    monkeypatch.setenv("CETRACK_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CETRACK_SMTP_PORT", str(controller.port))
    monkeypatch.setenv("CETRACK_SMTP_TLS", "none")
    monkeypatch.setenv("CETRACK_SMTP_SENDER", SENDER)
    monkeypatch.setenv("CETRACK_BASE_URL", "https://ce.clinic.org")
    get_settings.cache_clear()
    yield found
    controller.stop()
    get_settings.cache_clear()


@pytest.fixture
def clinic_data(database_url, tmp_path, monkeypatch):
    """The clinic's people and licenses in a fresh database the command then reads."""
    monkeypatch.setenv("CETRACK_DATABASE_URL", database_url)
    monkeypatch.setenv("CETRACK_DATA_DIR", str(tmp_path))
    for name in ("HOST", "PORT", "TLS", "USER", "PASSWORD", "SENDER"):
        monkeypatch.delenv(f"CETRACK_SMTP_{name}", raising=False)
    get_settings.cache_clear()
    workspace = open_workspace()
    with workspace.transaction() as session:
        build(session, workspace)
    yield workspace
    get_settings.cache_clear()


def notify(capsys, *args):
    get_settings.cache_clear()
    code = main(["notify", "--today", "2026-11-22", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def recorded(workspace) -> list[Notice]:
    with workspace.transaction() as session:
        return list(session.exec(select(Notice)))


def test_notify_sends_each_message_once_and_prints_them(clinic_data, inbox, capsys):
    code, out, err = notify(capsys)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert sorted(lines[:-1]) == sorted(f"{to}: {subject}" for to, subject in EXPECTED.items())
    assert lines[-1] == "sent 4 messages"
    assert {message["To"]: message["Subject"] for message in inbox.messages} == EXPECTED
    (cam,) = inbox.to("cam@clinic.org")
    assert "https://ce.clinic.org" in body_of(cam) and "h still needed" in body_of(cam)
    assert {row.to_address for row in recorded(clinic_data)} == set(EXPECTED)
    code, out, err = notify(capsys)  # the same day again: nothing twice
    assert (code, out, err) == (0, "sent 0 messages\n", "")
    assert len(inbox.messages) == 4
    code, out, _ = notify(capsys, "--today", "2026-11-30")  # the next week: HR's digests
    assert code == 0 and out.splitlines()[-1] == "sent 2 messages"
    assert all("2026-W49" in message["Subject"] for message in inbox.messages[4:])


def test_a_dry_run_prints_what_would_go_and_sends_and_writes_nothing(clinic_data, inbox, capsys):
    code, out, err = notify(capsys, "--dry-run", "--body")
    assert (code, err) == (0, "")
    for to, subject in EXPECTED.items():
        assert f"{to}: {subject}\n" in out
    assert "    Deadline: 2026-12-15 (in 23 days)" in out  # --body: the messages in full
    assert out.splitlines()[-1] == (
        "dry run: 4 messages would be sent; nothing was sent or recorded"
    )
    assert inbox.messages == [] and recorded(clinic_data) == []
    with clinic_data.transaction() as session:  # not even the evaluations were stored
        assert all(row.dirty for row in session.exec(select(Evaluation)))
    code, out, _ = notify(capsys)  # the real run sends them all
    assert code == 0 and out.splitlines()[-1] == "sent 4 messages"


def test_a_dry_run_needs_no_mail_server(clinic_data, capsys):
    code, out, _ = notify(capsys, "--dry-run")
    assert code == 0 and "4 messages would be sent" in out


def test_without_mail_settings_it_says_what_to_set(clinic_data, capsys):
    code, out, err = notify(capsys)
    assert (code, out) == (1, "")
    assert err.count("\n") == 1
    assert err.startswith("email is not set up: set CETRACK_SMTP_HOST and CETRACK_SMTP_SENDER")
    assert recorded(clinic_data) == []


def test_an_unreachable_server_is_one_line_and_records_nothing(
    clinic_data, inbox, monkeypatch, capsys
):
    port = free_port()  # nothing listens there
    monkeypatch.setenv("CETRACK_SMTP_PORT", str(port))
    monkeypatch.setenv("CETRACK_SMTP_USER", "mailer")
    monkeypatch.setenv("CETRACK_SMTP_PASSWORD", PASSWORD)
    code, out, err = notify(capsys)
    assert (code, out) == (1, "")
    assert err == (
        f"cannot reach the mail server 127.0.0.1:{port}: connection refused; "
        "sent 0 of 4, the other 4 go on the next run\n"
    )
    assert PASSWORD not in out + err
    assert recorded(clinic_data) == []


def test_a_refused_recipient_is_reported_and_the_rest_are_sent(clinic_data, inbox, capsys):
    inbox.refuse.add("cy@clinic.org")
    code, out, err = notify(capsys)
    assert code == 1
    assert out.splitlines()[-1] == "sent 3 messages"
    assert err.splitlines() == [
        f"not sent to cy@clinic.org: the mail server 127.0.0.1:{get_settings().smtp_port} "
        "refused cy@clinic.org (550 5.1.1 no such mailbox here)",
        "1 message could not be sent; they are tried again on the next run",
    ]
    assert "cy@clinic.org" not in {row.to_address for row in recorded(clinic_data)}
    inbox.refuse.clear()
    code, out, _ = notify(capsys)
    assert code == 0 and out == f"cy@clinic.org: {EXPECTED['cy@clinic.org']}\nsent 1 message\n"


def test_a_wrong_tls_setting_is_one_line(clinic_data, inbox, monkeypatch, capsys):
    monkeypatch.setenv("CETRACK_SMTP_TLS", "tls")
    monkeypatch.setenv("CETRACK_SMTP_PASSWORD", PASSWORD)
    code, out, err = notify(capsys)
    assert (code, out) == (1, "")
    assert err == "the settings are not valid: check CETRACK_SMTP_TLS\n"
