"""What the app does with doubled entries, stale forms, detached certificates and backups."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from cetrack.services import activities
from cetrack.services.actor import Actor
from cetrack.services.backup import backup_bytes
from cetrack.services.workspace import open_workspace
from cetrack.settings import Settings
from tests.ui.conftest import ROOT, TODAY, by_label, open_page, texts


def activity_titles(at):
    frame = at.dataframe[0].value
    return list(frame["Title"]) if "Title" in frame else []


def local_workspace():
    return open_workspace(Settings())


def fill(at, title: str, day: date, amount: float) -> None:
    by_label(at.text_input, "Title").input(title)
    by_label(at.date_input, "Completed").set_value(day)
    by_label(at.number_input, "Amount").set_value(amount)


def test_logging_an_activity_twice_asks_first(demo_app):
    at = open_page(demo_app, "cetrack/ui/ce_log.py")
    fill(at, "Double click course", date(2026, 11, 1), 2.0)
    by_label(at.button, "Save activity").click().run()
    fill(at, "Double click course", date(2026, 11, 1), 2.0)
    by_label(at.button, "Save activity").click().run()
    assert not at.exception, at.exception
    assert "Not logged: an activity with the same title, date, amount and unit" in texts(at)
    assert activity_titles(at).count("Double click course") == 1
    at.button(key="confirm_duplicate").click().run()
    assert activity_titles(at).count("Double click course") == 2


def test_a_save_from_a_stale_form_is_refused(demo_app):
    at = open_page(demo_app, "cetrack/ui/ce_log.py")
    at.text_input(key="activity_search").input("emdr").run()
    at.selectbox(key="chosen_activity").select_index(0).run()
    chosen = at.selectbox(key="chosen_activity").value
    # another tab saves a new title meanwhile
    workspace = local_workspace()
    with workspace.transaction() as session:
        record = session.get(activities.Activity, chosen)
        actor = Actor(person_id=record.person_id)
        data = {
            "title": "EMDR Basic Training, Part 1 (renamed)",
            "provider": record.provider,
            "completed": record.completed,
            "amount": record.amount,
            "unit": record.unit,
            "categories": record.categories,
            "format": record.format,
            "type": record.type,
        }
        activities.update_activity(
            session,
            actor=actor,
            activity_id=chosen,
            data=data,
            today=TODAY,
            expected_version=record.version,
        )
    by_label(at.number_input, "Amount").set_value(9.0)
    by_label(at.button, "Save changes").click().run()
    assert not at.exception, at.exception
    assert "this activity changed since you opened it (title); nothing was saved" in texts(at)
    with workspace.transaction() as session:
        current = session.get(activities.Activity, chosen)
    assert (current.title, current.amount) == (
        "EMDR Basic Training, Part 1 (renamed)",
        data["amount"],
    )


def test_a_certificate_can_be_detached(demo_app):
    at = open_page(demo_app, "cetrack/ui/ce_log.py")
    at.text_input(key="activity_search").input("emdr").run()
    at.selectbox(key="chosen_activity").select_index(0).run()
    at.button(key="detach").click().run()
    assert not at.exception, at.exception
    row = at.dataframe[0].value.set_index("Title").loc["EMDR Basic Training, Part 1"]
    assert not bool(row["Certificate"])


def test_the_reports_page_offers_a_backup_and_a_new_installation_restores_it(
    demo_app, tmp_path, monkeypatch
):
    at = open_page(demo_app, "cetrack/ui/reports.py")
    at.button(key="prepare_backup").click().run()
    assert not at.exception, at.exception
    assert "Download the backup (.zip)" in [button.label for button in at.get("download_button")]
    with local_workspace().transaction() as session:
        archive = backup_bytes(session, local_workspace(), actor=Actor.system())
    assert at.session_state["backup"][:2] == archive[:2] == b"PK"

    monkeypatch.setenv("CETRACK_DATA_DIR", str(tmp_path / "new-installation"))
    fresh = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    fresh.session_state["today"] = TODAY
    fresh.run()
    assert fresh.title[0].value == "Welcome to cetrack"
    fresh.file_uploader(key="restore_file").set_value(("backup.zip", archive, "application/zip"))
    fresh.run()
    fresh.button(key="restore_backup").click().run()
    assert not fresh.exception, fresh.exception
    assert fresh.title[0].value == "Dana Rivera's dashboard"


def test_a_damaged_backup_is_refused_on_the_welcome_page(app):
    app.file_uploader(key="restore_file").set_value(
        ("backup.zip", b"PK\x03\x04junk", "application/zip")
    )
    app.run()
    app.button(key="restore_backup").click().run()
    assert not app.exception, app.exception
    assert "Nothing was restored" in texts(app)
    assert app.title[0].value == "Welcome to cetrack"
