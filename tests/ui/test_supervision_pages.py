"""Supervised experience in the app: an associate logs a week (an overlapping one is refused
beside its field, "copy last week" fills the next), the supervisor signs or returns logs, a
signed log offers only an amendment, and HR sees the associates who are behind."""

from __future__ import annotations

from datetime import date

import pytest

from cetrack.db.models import Person
from cetrack.services import accounts, credentials, supervision
from cetrack.services.actor import Actor
from cetrack.services.workspace import open_workspace
from cetrack.settings import Settings
from tests.ui.conftest import TODAY, by_label, open_page, shown, texts

PASSWORD = "correct horse battery"
START = date(2026, 9, 7)  # a Monday, eleven weeks before TODAY


def _click(at, label: str):
    next(button for button in at.button if button.label.startswith(label)).click().run()
    assert not at.exception, at.exception
    return at


def sign_in(at, email: str):
    by_label(at.text_input, "Email").input(email)
    by_label(at.text_input, "Password").input(PASSWORD)
    return _click(at, "Sign in")


@pytest.fixture
def practice_app(app, tmp_path):
    """ada admin; ari, an associate toward TX/LPC; sam, her LPC-S; hal, HR. Nobody signed in."""
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
        people = {}
        for email, roles in (
            ("ari@clinic.org", ["clinician"]),
            ("sam@clinic.org", ["clinician", "supervisor"]),
            ("hal@clinic.org", ["hr"]),
        ):
            account = accounts.add_account(
                session,
                actor=Actor.system(),
                organization=clinic,
                email=email,
                name=email.split("@")[0].title(),
                roles=roles,
                password=PASSWORD,
                today=TODAY,
            )
            people[email] = session.get(type(account), account.id).person_id
        ari, sam = (
            session.get(Person, people[email]) for email in ("ari@clinic.org", "sam@clinic.org")
        )
        credentials.add_credential(
            session,
            actor=Actor.local(sam),
            person=sam,
            data={
                "rule_id": "TX/LPC",
                "number": "LPC 1",
                "issued": date(2010, 1, 4),
                "expires": date(2027, 5, 31),
                "supervisor": True,
            },
            registry=workspace.registry,
            today=TODAY,
        )
        supervision.add_path(
            session,
            actor=Actor.local(ari),
            person=ari,
            data={"rule_id": "TX/LPC", "started_on": START},
            registry=workspace.registry,
            today=TODAY,
        )
        supervision.add_supervisor(
            session,
            actor=Actor.local(ari),
            person=ari,
            data={
                "supervisor_name": "Sam",
                "supervisor_email": "sam@clinic.org",
                "supervisor_credential": "LPC-S",
                "starts_on": START,
            },
            state="TX",
        )
    app.run()
    return app


def log_week(at, start: date, direct: float = 20):
    form_dates = [item for item in at.date_input if item.label in ("From", "To")]
    form_dates[0].set_value(start)
    form_dates[1].set_value(date.fromordinal(start.toordinal() + 6))
    by_label(at.number_input, "Direct client contact").set_value(direct)
    by_label(at.number_input, "Individual supervision").set_value(4.0)
    return _click(at, "Submit for signature")


def test_an_associate_logs_weeks_and_a_signed_one_offers_only_an_amendment(
    practice_app, app_factory
):
    at = sign_in(practice_app, "ari@clinic.org")
    open_page(at, "cetrack/ui/supervised_hours.py")
    log_week(at, START)
    assert "Awaiting signature" in at.dataframe[-1].value.to_string()
    log_week(at, date(2026, 9, 10))
    assert any("overlaps the log of 2026-09-07 to 2026-09-13" in shown(e.value) for e in at.error)
    _click(at, "Copy last week")
    assert [item.value for item in at.date_input if item.label in ("From", "To")][:2] == [
        date(2026, 9, 14),
        date(2026, 9, 20),
    ]

    boss = sign_in(app_factory().run(), "sam@clinic.org")
    open_page(boss, "cetrack/ui/supervision_review.py")
    assert "Ari: 2026-09-07 to 2026-09-13" in texts(boss)
    _click(boss, "Sign")
    assert "Nothing to sign." in texts(boss)

    at.run()
    labels = [button.label for button in at.button]
    assert "Submit amendment" in labels
    assert "Delete this log" not in labels and "Save and resubmit" not in labels
    assert "Signed logs are locked" in texts(at)


def test_a_returned_log_shows_the_comment_and_can_be_corrected(practice_app, app_factory):
    at = sign_in(practice_app, "ari@clinic.org")
    open_page(at, "cetrack/ui/supervised_hours.py")
    log_week(at, START)
    boss = sign_in(app_factory().run(), "sam@clinic.org")
    open_page(boss, "cetrack/ui/supervision_review.py")
    by_label(boss.text_area, "What should be corrected?").input("Add your group hour")
    _click(boss, "Return")
    at.run()
    assert "Your supervisor returned it: Add your group hour" in texts(at)
    _click(at, "Save and resubmit")
    boss.run()
    assert "Ari: 2026-09-07 to 2026-09-13" in texts(boss)


def test_hr_sees_associates_behind_and_a_clinician_has_no_supervision_page(
    practice_app, app_factory
):
    hr = sign_in(practice_app, "hal@clinic.org")
    open_page(hr, "cetrack/ui/compliance.py")
    assert "Associates behind on supervised hours" in texts(hr)
    assert "Ari" in hr.dataframe[0].value.to_string()
    associate = sign_in(app_factory().run(), "ari@clinic.org")
    associate.run()
    with pytest.raises(ValueError, match="Known pages"):
        associate.switch_page("cetrack/ui/supervision_review.py")


def test_the_demo_shows_both_sides_of_supervision(demo_app):
    at = open_page(demo_app, "cetrack/ui/supervision_review.py")
    table = at.dataframe[0].value
    assert list(table["Associate"]) == ["Jordan Ellis"]
    assert list(table["Awaiting your signature"]) == [3]
    assert texts(at).count("Jordan Ellis: ") == 3
    associate_id = table["Progress"][0].split("person=")[1]
    at.query_params["person"] = associate_id
    at = open_page(at, "cetrack/ui/supervised_hours.py")
    shown_text = texts(at)
    assert "Jordan Ellis's supervised hours" in shown_text
    assert "Read-only" in shown_text and "Log a week" not in shown_text
    assert any(metric.label == "Projected eligibility" for metric in at.metric)
