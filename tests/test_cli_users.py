"""`cetrack users`: the first admin turns accounts on; passwords come from stdin, never from
arguments or output."""

from __future__ import annotations

import io

import pytest

from cetrack.cli import main
from cetrack.services import accounts
from cetrack.services.workspace import open_workspace
from cetrack.settings import get_settings

PASSWORD = "a long enough password"


@pytest.fixture
def data_dir(database_url, tmp_path, monkeypatch):
    """A fresh database (SQLite and PostgreSQL) the commands and the checks below share."""
    monkeypatch.setenv("CETRACK_DATABASE_URL", database_url)
    monkeypatch.setenv("CETRACK_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def users(monkeypatch, capsys, *args, stdin=PASSWORD + "\n"):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["users", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _signs_in(data_dir, email, password=PASSWORD) -> bool:
    workspace = open_workspace()
    with workspace.transaction() as session:
        return accounts.sign_in(session, email=email, password=password).actor is not None


def test_the_first_account_must_be_an_admin_and_turns_accounts_on(data_dir, monkeypatch, capsys):
    code, _, err = users(
        monkeypatch,
        capsys,
        "add",
        "--email",
        "cam@clinic.org",
        "--name",
        "Cam",
        "--role",
        "clinician",
        "--password-stdin",
    )
    assert code == 2 and "the first account must be an admin's" in err
    code, out, err = users(
        monkeypatch,
        capsys,
        "add",
        "--email",
        "ada@clinic.org",
        "--name",
        "Ada",
        "--role",
        "admin",
        "--organization",
        "Riverside",
        "--password-stdin",
    )
    assert code == 0 and "accounts are now on" in err
    assert PASSWORD not in out + err
    code, _, _ = users(
        monkeypatch,
        capsys,
        "add",
        "--email",
        "cam@clinic.org",
        "--name",
        "Cam",
        "--role",
        "clinician",
        "--organization",
        "Riverside",
        "--password-stdin",
    )
    assert code == 0
    code, out, _ = users(monkeypatch, capsys, "list")
    assert code == 0 and "ada@clinic.org" in out and "cam@clinic.org" in out
    assert "Riverside" in out and PASSWORD not in out
    assert _signs_in(data_dir, "cam@clinic.org")


def test_reset_password_and_deactivate(data_dir, monkeypatch, capsys):
    users(
        monkeypatch,
        capsys,
        "add",
        "--email",
        "ada@clinic.org",
        "--name",
        "Ada",
        "--role",
        "admin",
        "--password-stdin",
    )
    code, _, _ = users(
        monkeypatch,
        capsys,
        "reset-password",
        "ada@clinic.org",
        "--password-stdin",
        stdin="another long password\n",
    )
    assert code == 0
    assert _signs_in(data_dir, "ada@clinic.org", "another long password")
    assert not _signs_in(data_dir, "ada@clinic.org")
    code, _, _ = users(monkeypatch, capsys, "deactivate", "ada@clinic.org")
    assert code == 0 and not _signs_in(data_dir, "ada@clinic.org", "another long password")


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ["add", "--email", "a@b.org", "--name", "A", "--role", "admin", "--password-stdin"],
            "short\n",
            "password: use at least 12 characters",
        ),
        (["add", "--email", "a@b.org", "--name", "A", "--role", "admin"], "", "--password-stdin"),
        (["deactivate", "nobody@b.org"], "", "no account for nobody@b.org"),
        (
            [
                "add",
                "--email",
                "not-an-email",
                "--name",
                "A",
                "--role",
                "admin",
                "--password-stdin",
            ],
            PASSWORD + "\n",
            "email",
        ),
    ],
)
def test_bad_input_exits_2_with_the_reason(data_dir, monkeypatch, capsys, args, stdin, message):
    code, out, err = users(monkeypatch, capsys, *args, stdin=stdin)
    assert (code, out) == (2, "") and message in err
    assert "Traceback" not in err


def test_serve_listens_only_locally_until_accounts_are_on(data_dir, monkeypatch, capsys):
    code = main(["serve", "--dry-run"])
    captured = capsys.readouterr()
    assert code == 0 and "--server.address 127.0.0.1" in captured.out
    assert "single-user mode" in captured.err
    assert main(["serve", "--dry-run", "--address", "0.0.0.0"]) == 2
    assert "serves only this computer" in capsys.readouterr().err
    users(
        monkeypatch,
        capsys,
        "add",
        "--email",
        "ada@clinic.org",
        "--name",
        "Ada",
        "--role",
        "admin",
        "--password-stdin",
    )
    assert main(["serve", "--dry-run"]) == 0
    assert "--server.address 0.0.0.0" in capsys.readouterr().out
