"""The organization's pages in the app: HR sees the compliance counts, records a verification
and watches a count change, opens a member's dashboard read-only and invites a member; a
clinician reaches none of it, by page or by query parameter."""

from __future__ import annotations

import pytest
from sqlmodel import select

from cetrack.db.models import Person
from cetrack.services import accounts, roster
from cetrack.services.actor import Actor
from cetrack.services.workspace import open_workspace
from cetrack.settings import Settings
from tests.roster_file import roster_csv
from tests.ui.conftest import TODAY, by_label, open_page, texts

PASSWORD = "correct horse battery"


def _button(at, label: str):
    next(button for button in at.button if button.label.startswith(label)).click().run()
    assert not at.exception, at.exception
    return at


def sign_in(at, email: str):
    by_label(at.text_input, "Email").input(email)
    by_label(at.text_input, "Password").input(PASSWORD)
    return _button(at, "Sign in")


@pytest.fixture
def org_app(app, tmp_path):
    """Riverside Clinic: ada admin, hal HR, cam clinician and a roster of 18 imported by HR;
    Other Agency: oz clinician. Nobody is signed in."""
    workspace = open_workspace(Settings(data_dir=tmp_path))
    with workspace.transaction() as session:
        accounts.first_admin(
            session,
            email="ada@clinic.org",
            name="Ada Admin",
            password=PASSWORD,
            organization="Riverside Clinic",
        )
        clinic = accounts.organization_named(session, actor=Actor.system(), name="Riverside Clinic")
        other = accounts.organization_named(session, actor=Actor.system(), name="Other Agency")
        for place, email, roles in (
            (clinic, "hal@clinic.org", ["hr"]),
            (clinic, "cam@clinic.org", ["clinician"]),
            (other, "oz@agency.org", ["clinician"]),
        ):
            accounts.add_account(
                session,
                actor=Actor.system(),
                organization=place,
                email=email,
                name=email.split("@")[0].title(),
                roles=roles,
                password=PASSWORD,
                today=TODAY,
            )
        preview = roster.preview_roster(
            session,
            actor=Actor.system(),
            organization=clinic,
            data=roster_csv(TODAY),
            registry=workspace.registry,
            today=TODAY,
        )
        roster.commit_roster(
            session,
            actor=Actor.system(),
            organization=clinic,
            preview=preview,
            registry=workspace.registry,
            today=TODAY,
        )
        ids = {person.email: person.id for person in session.exec(select(Person))}
    app.run()
    app.ids = ids
    return app


def table_with(at, column: str):
    """The first table on the page with that column."""
    return next(frame.value for frame in at.dataframe if column in frame.value.columns)


def metric(at, label: str) -> str:
    return next(item for item in at.metric if item.label == label).value


def test_hr_brings_results_up_to_date_verifies_and_sees_the_count_change(org_app):
    at = sign_in(org_app, "hal@clinic.org")
    at = open_page(at, "cetrack/ui/compliance.py")
    assert "result(s) are not up to date" in texts(at)
    _button(at, "Bring results up to date")
    assert "not up to date" not in texts(at)
    assert metric(at, "Never verified") == "18"
    assert metric(at, "Expiring ≤ 30 days") == "1"  # the roster's first license, in 20 days
    by_label(at.selectbox, "License").select_index(0)
    at.run()
    by_label(at.selectbox, "Method").set_value("phone")
    _button(at, "Record the verification")
    assert metric(at, "Never verified") == "17"
    assert list(table_with(at, "By")["By"]) == ["Hal"]
    by_label(at.multiselect, "State").set_value(["FL"])
    at.run()
    assert set(table_with(at, "Standing")["License"].str[:2]) == {"FL"}


def test_hr_opens_a_members_dashboard_read_only(org_app):
    at = sign_in(org_app, "hal@clinic.org")
    at.query_params["person"] = str(at.ids["staff00@clinic.org"])
    at = open_page(at, "cetrack/ui/dashboard.py")
    page = texts(at)
    assert "Staff Member 00's dashboard" in page and "Read-only" in page
    at.query_params["person"] = str(at.ids["oz@agency.org"])  # another organization's
    at.run()
    assert "You may not see these records." in texts(at)
    assert "Oz's dashboard" not in texts(at)


@pytest.mark.parametrize("asked", ["hal@clinic.org", "staff01@clinic.org", "oz@agency.org"])
def test_a_clinician_reaches_no_one_elses_records_or_hr_pages(org_app, asked):
    at = sign_in(org_app, "cam@clinic.org")
    for page in (
        "cetrack/ui/compliance.py",
        "cetrack/ui/people.py",
        "cetrack/ui/accounts.py",
        "cetrack/ui/audit_trail.py",
    ):
        with pytest.raises(ValueError, match="Known pages"):
            at.switch_page(page)
    at.query_params["person"] = str(at.ids[asked])
    at = open_page(at, "cetrack/ui/dashboard.py")
    assert "You may not see these records." in texts(at)
    at.query_params["person"] = "not-a-number"
    at.run()
    assert "You may not see these records." in texts(at)
    del at.query_params["person"]
    at.run()
    assert "Cam's dashboard" in texts(at)


def test_hr_invites_a_member_who_sets_a_password_once(org_app, app_factory):
    at = sign_in(org_app, "hal@clinic.org")
    at = open_page(at, "cetrack/ui/people.py")
    by_label(at.selectbox, "Member").set_value("Staff Member 03 <staff03@clinic.org>")
    at.run()
    _button(at, "Create a set-password link")
    link = at.code[0].value
    assert "?invite=" in link
    newcomer = app_factory()
    newcomer.query_params["invite"] = link.split("?invite=")[1]
    newcomer.run()
    assert "sets the password of staff03@clinic.org" in texts(newcomer)
    by_label(newcomer.text_input, "Password (at least").input("my own long password")
    by_label(newcomer.text_input, "The same password").input("my own long password")
    _button(newcomer, "Set my password")
    assert "Your password is set: sign in." in texts(newcomer)
    newcomer.query_params["invite"] = link.split("?invite=")[1]
    newcomer.run()
    assert "expired or was already used" in texts(newcomer)


def test_hr_edits_and_deactivates_a_member(org_app):
    at = sign_in(org_app, "hal@clinic.org")
    at = open_page(at, "cetrack/ui/people.py")
    by_label(at.selectbox, "Member").set_value("Staff Member 05 <staff05@clinic.org>")
    at.run()
    by_label(at.text_input, "Department").input("Night shift")
    _button(at, "Save changes")
    table = table_with(at, "Account")
    assert table[table["Email"] == "staff05@clinic.org"]["Department"].item() == "Night shift"
    by_label(at.selectbox, "Member").set_value("Staff Member 05 <staff05@clinic.org>")
    at.run()
    _button(at, "Deactivate Staff Member 05")
    table = table_with(at, "Account")
    assert not table[table["Email"] == "staff05@clinic.org"]["Active"].item()


def test_hr_reads_the_audit_trail_and_a_clinician_cannot(org_app, app_factory):
    at = sign_in(org_app, "hal@clinic.org")
    at = open_page(at, "cetrack/ui/audit_trail.py")
    trail = table_with(at, "record")
    assert {"roster", "credential", "membership"} <= set(trail["record"])
    by_label(at.multiselect, "Record").set_value(["roster"])
    at.run()
    assert set(table_with(at, "record")["record"]) == {"roster"}
    clinician = app_factory()
    clinician.run()
    sign_in(clinician, "cam@clinic.org")
    with pytest.raises(ValueError, match="Known pages"):
        clinician.switch_page("cetrack/ui/audit_trail.py")
