"""Reports page: every export is offered; the packet is prepared on request. (The bytes are
checked in tests/exports and tests/services/test_reports.py.)"""

from __future__ import annotations

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from cetrack.services import reports


def test_reports_offer_every_export(demo_app):
    at = demo_app.switch_page("cetrack/ui/reports.py").run()
    assert not at.exception, at.exception
    labels = [button.label for button in at.get("download_button")]
    assert labels == [
        "CSV",
        "Excel (XLSX)",
        "NY/LMHC No. 010954 summary (PDF)",
        "TX/LPC No. LPC 78412 summary (PDF)",
        "national/NCC No. NCC 301877 summary (PDF)",
        "Download the calendar (.ics)",
    ]
    at.button(key="prepare_packet").click().run()
    assert not at.exception, at.exception
    labels = [button.label for button in at.get("download_button")]
    assert labels[0] == "Download the audit packet (.zip)"
    packet = at.session_state["packet"]
    assert packet[:2] == b"PK"


def test_reminder_days_can_be_changed(demo_app):
    at = demo_app.switch_page("cetrack/ui/reports.py").run()
    at.multiselect(key="alarm_days").unselect(90).select(14).run()
    assert not at.exception, at.exception
    assert sorted(at.multiselect(key="alarm_days").value) == [7, 14, 30]


@pytest.fixture
def deferred(monkeypatch) -> dict:
    """The content callables download buttons register, by their deferred file id."""
    registered: dict = {}
    original = MediaFileManager.add_deferred

    def spy(self, data_callable, *args, **kwargs):
        file_id = original(self, data_callable, *args, **kwargs)
        registered[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return registered


def test_files_are_built_only_when_their_download_is_clicked(demo_app, deferred, monkeypatch):
    """Issue 7, defect 6: the page built every file on every rerun (and a rerun after one
    download could cancel the next). Now each file is made when its button is clicked, and a
    click does not rerun the page."""
    built = []
    for name in ("activities_csv", "activities_xlsx", "summary_pdf", "calendar_bytes"):
        original = getattr(reports, name)
        monkeypatch.setattr(
            reports, name, lambda *a, _f=original, _n=name, **k: built.append(_n) or _f(*a, **k)
        )
    at = demo_app.switch_page("cetrack/ui/reports.py").run()
    at.multiselect(key="alarm_days").unselect(90).run()
    assert not at.exception, at.exception
    assert built == []
    buttons = {button.label: button.proto for button in at.get("download_button")}
    assert all(proto.ignore_rerun for proto in buttons.values())
    content = {label: deferred[proto.deferred_file_id]() for label, proto in buttons.items()}
    assert sorted(built) == sorted(
        ["activities_csv", "activities_xlsx", "calendar_bytes"] + ["summary_pdf"] * 3
    )
    assert content["TX/LPC No. LPC 78412 summary (PDF)"].startswith(b"%PDF")
    assert b"EMDR Basic Training, Part 1" in content["CSV"]
    assert content["Excel (XLSX)"][:2] == b"PK"
    calendar = content["Download the calendar (.ics)"]
    assert b"BEGIN:VCALENDAR" in calendar and b"TRIGGER:-P60D" not in calendar
