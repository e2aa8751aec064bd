"""CE log page: log with a certificate, search, delete and undo, CSV import with preview."""

from __future__ import annotations

from datetime import date

from tests.ui.conftest import by_label, open_page, texts

PDF = b"%PDF-1.4\n% a certificate\n%%EOF\n"


def activity_titles(at):
    frame = at.dataframe[0].value
    return list(frame["Title"]) if "Title" in frame else []


def test_log_an_activity_with_a_certificate(demo_app):
    at = open_page(demo_app, "cetrack/ui/ce_log.py")
    by_label(at.text_input, "Title").input("Telehealth law update")
    by_label(at.text_input, "Provider").input("NBCC provider #1")
    by_label(at.date_input, "Completed").set_value(date(2026, 11, 2))
    by_label(at.number_input, "Amount").set_value(2.0)
    by_label(at.multiselect, "Topics").select("ethics").select("telehealth")
    by_label(at.selectbox, "Format").select("live_online")
    by_label(at.file_uploader, "Certificate (PDF").set_value(
        ("certificate.pdf", PDF, "application/pdf")
    )
    by_label(at.button, "Save activity").click().run()
    assert not at.exception, at.exception
    assert "Telehealth law update" in activity_titles(at)
    row = at.dataframe[0].value.set_index("Title").loc["Telehealth law update"]
    assert bool(row["Certificate"]) and row["Amount"] == "2 h" and row["Clock hours"] == 2


def test_a_wrong_file_type_is_refused_and_nothing_is_logged(demo_app):
    at = open_page(demo_app, "cetrack/ui/ce_log.py")
    by_label(at.text_input, "Title").input("Bad upload")
    by_label(at.file_uploader, "Certificate (PDF").set_value(
        ("certificate.pdf", b"MZ not a pdf", "application/pdf")
    )
    by_label(at.button, "Save activity").click().run()
    assert "Certificate: only PDF, PNG or JPEG files are accepted" in texts(at)
    assert "Bad upload" not in activity_titles(at)


def test_search_delete_and_undo(demo_app):
    at = open_page(demo_app, "cetrack/ui/ce_log.py")
    at.text_input(key="activity_search").input("emdr").run()
    assert activity_titles(at) == ["EMDR Basic Training, Part 1"]
    at.selectbox(key="chosen_activity").select_index(0).run()
    at.button(key="delete_activity").click().run()
    assert not at.exception, at.exception
    assert activity_titles(at) == []
    assert "Deleted “EMDR Basic Training, Part 1”." in texts(at)
    at.button(key="undo_delete_button").click().run()
    assert activity_titles(at) == ["EMDR Basic Training, Part 1"]
    changes = at.dataframe[1].value
    assert list(changes["Action"][:2]) == ["restore", "delete"]


def test_csv_import_shows_a_preview_and_writes_only_when_confirmed(demo_app):
    at = open_page(demo_app, "cetrack/ui/ce_log.py")
    csv = (
        b"title,completed,hours,format,categories\n"
        b"Play therapy basics,2026-10-01,3,in_person,clinical\n"
        b"Broken row,2026-10-02,-1,in_person,clinical\n"
    )
    at.file_uploader(key="import_file").set_value(("log.csv", csv, "text/csv")).run()
    assert "1 row(s) ready (3 h in clock hours), 0 already in your log, 1 rejected." in texts(at)
    rejected = at.dataframe[-1].value
    assert list(rejected["line"]) == [3] and "amount" in rejected["why rejected"][0]
    assert "Play therapy basics" not in activity_titles(at)
    by_label(at.button, "Import 1 activities").click().run()
    assert not at.exception, at.exception
    at.file_uploader(key="import_file").clear().run()
    assert "Play therapy basics" in activity_titles(at)


def test_totals_are_in_clock_hours_whatever_the_unit(demo_app):
    """420 minutes are 7 h in the log's total (not 420 h)."""
    at = open_page(demo_app, "cetrack/ui/ce_log.py")
    before = next(
        caption.value for caption in at.caption if "logged in clock hours" in caption.value
    )
    by_label(at.text_input, "Title").input("Seven-hour workshop")
    by_label(at.date_input, "Completed").set_value(date(2026, 11, 2))
    by_label(at.number_input, "Amount").set_value(420.0)
    by_label(at.selectbox, "Unit").select("minutes")
    by_label(at.button, "Save activity").click().run()
    assert not at.exception, at.exception
    after = next(
        caption.value for caption in at.caption if "logged in clock hours" in caption.value
    )

    def total(caption: str) -> float:
        return float(caption.split(" activities, ")[1].split(" h ")[0])

    assert total(after) - total(before) == 7
    row = at.dataframe[0].value.set_index("Title").loc["Seven-hour workshop"]
    assert row["Amount"] == "420 min" and row["Clock hours"] == 7


def test_a_future_completion_date_is_refused_beside_the_field(demo_app):
    """Defect: a typed future date was saved as today. The form accepts any date and the
    service refuses a future one, so nothing is logged."""
    at = open_page(demo_app, "cetrack/ui/ce_log.py")
    by_label(at.text_input, "Title").input("Course from the future")
    by_label(at.date_input, "Completed").set_value(date(2027, 5, 1))
    by_label(at.button, "Save activity").click().run()
    assert not at.exception, at.exception
    assert "Completed: the completion date is in the future" in texts(at)
    assert "Course from the future" not in activity_titles(at)


def test_a_file_of_another_type_reaches_the_check_and_blocks_the_save(demo_app):
    """Defect: the uploader filtered .txt in the browser and the save went on without it. The
    uploader takes any file; the server's check refuses it and nothing is logged."""
    at = open_page(demo_app, "cetrack/ui/ce_log.py")
    assert not by_label(at.file_uploader, "Certificate (PDF").proto.type, (
        "the browser must not filter file types"
    )
    by_label(at.text_input, "Title").input("Text certificate")
    by_label(at.file_uploader, "Certificate (PDF").set_value(
        ("certificate.txt", b"plain text", "text/plain")
    )
    by_label(at.button, "Save activity").click().run()
    assert "Certificate: only PDF, PNG or JPEG files are accepted" in texts(at)
    assert "Text certificate" not in activity_titles(at)


def test_the_form_shows_what_a_course_would_count_for_before_saving(demo_app):
    """Issue 7, feature 15: as the fields are filled, the preview names each credential's
    gain; nothing is saved; Save then logs it and empties the form."""
    at = open_page(demo_app, "cetrack/ui/ce_log.py")
    by_label(at.text_input, "Title").input("Culture and care")
    by_label(at.date_input, "Completed").set_value(date(2026, 11, 1))
    by_label(at.number_input, "Amount").set_value(3.0)
    by_label(at.multiselect, "Topics").select("cultural_competency").run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "If you save it (nothing is saved yet):" in shown
    assert "- TX/LPC: +3 h Cultural diversity or competency" in shown
    assert "- national/NCC: +3 h toward the total still missing" in shown
    assert "Culture and care" not in activity_titles(at)
    assert by_label(at.text_input, "Title").value == "Culture and care"
    by_label(at.button, "Save activity").click().run()
    assert "Culture and care" in activity_titles(at)
    assert by_label(at.text_input, "Title").value == ""


def test_an_uploaded_certificate_fills_in_the_form_without_overwriting_what_was_typed(demo_app):
    """Issue 7, feature 16."""
    from tests.importers.certificate_layouts import LAYOUTS, pdf_of

    layout = LAYOUTS[0]  # NBCC wording, "March 3, 2026", "3 CE hours", ACEP No.
    at = open_page(demo_app, "cetrack/ui/ce_log.py")
    by_label(at.text_input, "Title").input("My own title for it")
    by_label(at.file_uploader, "Fill in from a certificate").set_value(
        ("certificate.pdf", pdf_of(layout.lines), "application/pdf")
    )
    at.run()
    assert not at.exception, at.exception
    assert "Filled in from the certificate: provider, completed, amount, unit, notes" in texts(at)
    assert by_label(at.text_input, "Title").value == "My own title for it"
    assert by_label(at.text_input, "Provider").value == layout.provider
    assert by_label(at.date_input, "Completed").value == layout.completed
    assert by_label(at.number_input, "Amount").value == layout.amount
    assert by_label(at.text_area, "Notes").value == "Approval: NBCC ACEP 6721"
    by_label(at.button, "Save activity").click().run()
    assert not at.exception, at.exception
    row = at.dataframe[0].value.set_index("Title").loc["My own title for it"]
    assert bool(row["Certificate"]) and row["Provider"] == layout.provider


def test_a_scanned_certificate_is_left_for_manual_entry(demo_app):
    at = open_page(demo_app, "cetrack/ui/ce_log.py")
    by_label(at.file_uploader, "Fill in from a certificate").set_value(
        ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
    )
    at.run()
    assert "This file has no text to read (a scan or a photo)" in texts(at)
    assert by_label(at.text_input, "Provider").value == ""


def test_after_a_save_the_form_is_empty_and_holds_no_certificate(demo_app):
    at = open_page(demo_app, "cetrack/ui/ce_log.py")
    by_label(at.text_input, "Title").input("First course")
    by_label(at.file_uploader, "Certificate (PDF").set_value(("c.pdf", PDF, "application/pdf"))
    by_label(at.button, "Save activity").click().run()
    assert by_label(at.text_input, "Title").value == ""
    assert not by_label(at.file_uploader, "Certificate (PDF").value
    by_label(at.text_input, "Title").input("Second course")
    by_label(at.button, "Save activity").click().run()
    frame = at.dataframe[0].value.set_index("Title")
    assert bool(frame.loc["First course", "Certificate"])
    assert not bool(frame.loc["Second course", "Certificate"])
