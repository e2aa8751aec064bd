"""Accounts in the app: the first admin turns them on; then an anonymous visitor sees only the
sign-in page, a wrong password is refused, a session times out, and only admins manage."""

from __future__ import annotations

import time

import pytest

from cetrack.services import accounts
from cetrack.services.workspace import open_workspace
from cetrack.settings import Settings
from tests.ui.conftest import TODAY, by_label, open_page, texts

PASSWORD = "correct horse battery"


def _submit(at, label: str):
    next(button for button in at.button if button.label == label).click().run()
    assert not at.exception, at.exception
    return at


def sign_in(at, email: str, password: str = PASSWORD):
    by_label(at.text_input, "Email").input(email)
    by_label(at.text_input, "Password").input(password)
    return _submit(at, "Sign in")


@pytest.fixture
def with_accounts(demo_app, tmp_path):
    """The demo clinician made the first admin, plus a clinician account, then signed out."""
    at = open_page(demo_app, "cetrack/ui/accounts.py")
    by_label(at.text_input, "Organization").input("Riverside Clinic")
    by_label(at.text_input, "Password (at least").input(PASSWORD)
    by_label(at.text_input, "The same password").input(PASSWORD)
    _submit(at, "Turn accounts on")
    workspace = open_workspace(Settings(data_dir=tmp_path))
    with workspace.transaction() as session:
        admin = accounts.sign_in(session, email="dana.rivera@example.org", password=PASSWORD)
        assert admin.actor is not None, admin.refused
        clinic = accounts.organization_named(session, actor=admin.actor, name="Riverside Clinic")
        accounts.add_account(
            session,
            actor=admin.actor,
            organization=clinic,
            email="cam@clinic.org",
            name="Cam Lee",
            roles=["clinician"],
            password=PASSWORD,
            today=TODAY,
        )
    _submit(at, "Sign out")
    return at


def test_the_first_admin_turns_accounts_on_from_the_app(demo_app):
    at = open_page(demo_app, "cetrack/ui/accounts.py")
    assert "single-user mode" in texts(at)
    by_label(at.text_input, "Password (at least").input(PASSWORD)
    by_label(at.text_input, "The same password").input("something else entirely")
    _submit(at, "Turn accounts on")
    assert "Password: the two passwords differ." in texts(at)
    by_label(at.text_input, "The same password").input(PASSWORD)
    _submit(at, "Turn accounts on")
    page = texts(at)
    assert "Add an account" in page  # signed in as the admin, on the Accounts page
    assert list(at.dataframe[0].value["Email"]) == ["dana.rivera@example.org"]


def test_an_anonymous_visitor_sees_only_the_sign_in_page(with_accounts):
    at = with_accounts
    assert "Sign in to cetrack" in texts(at) and "You are signed out." in texts(at)
    for page in ("cetrack/ui/dashboard.py", "cetrack/ui/ce_log.py", "cetrack/ui/accounts.py"):
        with pytest.raises(ValueError, match=r"Known pages: \['[^']*sign_in.py'\]"):
            at.switch_page(page)  # not registered for an anonymous visitor
    at.run()
    assert "Sign in to cetrack" in texts(at)
    assert "Dana Rivera's dashboard" not in texts(at)


def test_a_wrong_password_is_refused_and_the_right_one_opens_the_persons_own_pages(with_accounts):
    at = sign_in(with_accounts, "cam@clinic.org", "not the password")
    assert "Not signed in: the email or the password is not right." in texts(at)
    at = sign_in(at, "cam@clinic.org")
    page = texts(at)
    assert "Cam Lee's dashboard" in page and "Dana Rivera" not in page
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("cetrack/ui/accounts.py")  # not an admin: no Accounts page


def test_an_idle_session_times_out(with_accounts):
    at = sign_in(with_accounts, "dana.rivera@example.org")
    assert "Dana Rivera's dashboard" in texts(at)
    at.session_state["last_seen"] = time.monotonic() - 31 * 60
    at.run()
    assert "Your session timed out: sign in again." in texts(at)
    assert "Dana Rivera's dashboard" not in texts(at)


def test_the_admin_adds_an_account_and_deactivates_it(with_accounts):
    at = sign_in(with_accounts, "dana.rivera@example.org")
    at = open_page(at, "cetrack/ui/accounts.py")
    form = {"Email": "hal@clinic.org", "Name": "Hal Hr"}
    for label, value in form.items():
        next(w for w in at.text_input if w.label == label).input(value)
    by_label(at.text_input, "Password (at least").input(PASSWORD)
    by_label(at.text_input, "The same password").input(PASSWORD)
    _submit(at, "Add account")
    assert "hal@clinic.org" in list(at.dataframe[0].value["Email"])
    by_label(at.selectbox, "Account").select("hal@clinic.org")
    by_label(at.radio, "Change").set_value("Deactivate")
    _submit(at, "Apply")
    table = at.dataframe[0].value
    assert table.loc[table["Email"] == "hal@clinic.org", "Status"].item() == "deactivated"


def test_an_identity_provider_is_offered_when_auth_is_configured(with_accounts):
    at = with_accounts
    assert not [button for button in at.button if "organization's account" in button.label]
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "a long random secret for the test",
        "client_id": "cetrack",
        "client_secret": "not a real one",
        "server_metadata_url": "https://id.example.org/.well-known/openid-configuration",
    }
    at.run()
    assert [button for button in at.button if "organization's account" in button.label]
    assert "Sign in to cetrack" in texts(at)  # the password form stays
