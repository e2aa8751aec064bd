"""Reports page: every export is offered; the packet is prepared on request. (The bytes are
checked in tests/exports and tests/services/test_reports.py.)"""

from __future__ import annotations


def test_reports_offer_every_export(demo_app):
    at = demo_app.switch_page("cetrack/ui/reports.py").run()
    assert not at.exception, at.exception
    labels = [button.label for button in at.get("download_button")]
    assert labels == [
        "CSV",
        "Excel (XLSX)",
        "NY/LMHC summary (PDF)",
        "TX/LPC summary (PDF)",
        "national/NCC summary (PDF)",
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
