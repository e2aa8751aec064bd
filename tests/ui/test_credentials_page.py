"""Licenses & certifications page: add from the registry, derive the expiration, remove, restore."""

from __future__ import annotations

from datetime import date

from tests.ui.conftest import by_label, open_page, texts


def test_add_a_license_with_the_expiration_computed_from_the_rule(demo_app):
    at = open_page(demo_app, "cetrack/ui/credentials.py")
    at.selectbox(key="add_credential_state").select("FL").run()
    by_label(at.selectbox, "License or certification").select("FL/LMHC")
    by_label(at.text_input, "License number").input("MH 12345")
    by_label(at.date_input, "Issued").set_value(date(2019, 5, 1))
    next(button for button in at.button if button.label == "Save").click().run()
    assert not at.exception, at.exception
    page = texts(at)
    assert "FL/LMHC — Licensed Mental Health Counselor · No. MH 12345" in page
    assert "expires 2027-03-31" in page


def test_an_impossible_date_is_refused_beside_the_field(demo_app):
    at = open_page(demo_app, "cetrack/ui/credentials.py")
    at.selectbox(key="add_credential_state").select("IL").run()
    by_label(at.selectbox, "License or certification").select("IL/LCSW")
    by_label(at.date_input, "Issued").set_value(date(2020, 5, 1))
    by_label(at.date_input, "Expires").set_value(date(2019, 1, 1))
    next(button for button in at.button if button.label == "Save").click().run()
    assert "Expires: the expiration must be after the issue date" in texts(at)
    assert "IL/LCSW —" not in texts(at)


def test_remove_then_restore(demo_app):
    at = open_page(demo_app, "cetrack/ui/credentials.py")
    remove = next(button for button in at.button if button.label == "Remove")
    remove.click().run()
    assert not at.exception
    assert "Removed" in [subheader.value for subheader in at.subheader]
    restore = next(button for button in at.button if button.label == "Restore")
    restore.click().run()
    assert "Removed" not in [subheader.value for subheader in at.subheader]
    assert len([button for button in at.button if button.label == "Remove"]) == 3


def _add(at, state: str, rule_id: str, number: str = "", issued: date | None = None):
    at.selectbox(key="add_credential_state").select(state).run()
    at.selectbox(key="add_credential_rule").select(rule_id).run()
    by_label(at.text_input, "License number").input(number)
    if issued:
        by_label(at.date_input, "Issued").set_value(issued)
    next(button for button in at.button if button.label == "Save").click().run()
    assert not at.exception, at.exception
    return at


def test_the_same_license_twice_is_refused_and_the_dashboard_shows_one_card_each(demo_app):
    at = open_page(demo_app, "cetrack/ui/credentials.py")
    _add(at, "FL", "FL/LMHC", "MH 1", date(2019, 5, 1))
    _add(at, "FL", "FL/LMHC", "MH 1", date(2019, 5, 1))
    assert "you already hold FL/LMHC No. MH 1" in texts(at)
    assert texts(at).count("FL/LMHC — Licensed Mental Health Counselor") == 1
    # the same rule under another number is a second license, with its own card and button
    _add(at, "FL", "FL/LMHC", "MH 2", date(2019, 5, 1))
    dashboard = open_page(at, "cetrack/ui/dashboard.py")
    assert texts(dashboard).count("FL/LMHC") >= 2
    reports = open_page(at, "cetrack/ui/reports.py")
    pdf_labels = [
        button.label for button in reports.get("download_button") if "summary" in button.label
    ]
    assert pdf_labels.count("FL/LMHC No. MH 1 summary (PDF)") == 1
    assert pdf_labels.count("FL/LMHC No. MH 2 summary (PDF)") == 1


def _form_controls(at, state: str, rule_id: str):
    at.selectbox(key="add_credential_state").select(state).run()
    at.selectbox(key="add_credential_rule").select(rule_id).run()
    assert not at.exception, at.exception
    return by_label(at.checkbox, "I supervise"), by_label(at.multiselect, "Declarations")


def test_the_add_form_follows_the_license_picked_not_the_first_of_its_state(demo_app):
    at = open_page(demo_app, "cetrack/ui/credentials.py")
    _, declarations = _form_controls(at, "CA", "CA/LPCC")
    assert "couples_family" in declarations.options
    supervise, _ = _form_controls(at, "PA", "PA/PSYCHOLOGIST")
    assert not supervise.disabled
    _, declarations = _form_controls(at, "TX", "TX/LMFT")
    declarations.select("telehealth")
    by_label(at.date_input, "Issued").set_value(date(2019, 5, 1))
    next(button for button in at.button if button.label == "Save").click().run()
    assert not at.exception, at.exception
    edits = [button for button in at.button if button.label == "Edit"]
    max(edits, key=lambda button: int(button.key.removeprefix("edit_"))).click().run()
    saved = next(box for box in at.multiselect if box.label.startswith("Declarations"))
    assert saved.value == ["telehealth"]


def test_a_one_time_requirement_can_be_attested_and_the_dashboard_says_so(demo_app):
    """Issue 7, defect 9."""
    at = open_page(demo_app, "cetrack/ui/credentials.py")
    _add(at, "CA", "CA/LMFT", "LMFT 1", date(2021, 4, 20))
    # the CA/LMFT forms are the only ones (the demo's licenses have no one-time requirement);
    # the first is its HIV/AIDS course
    assert next(t.value for t in at.text if "one-time" in t.value) == (
        "HIV/AIDS assessment and treatment (one-time, at least 7 hours)"
    )
    next(d for d in at.date_input if d.label == "Completed on").set_value(date(2020, 11, 14))
    next(button for button in at.button if button.label == "Attest").click().run()
    assert not at.exception, at.exception
    assert any("attested, completed on 2020-11-14" in t.value for t in at.text)
    dashboard = open_page(at, "cetrack/ui/dashboard.py")
    bars = [bar.proto.text for bar in dashboard.get("progress")]
    assert any("attested: completed on 2020-11-14" in text and "7 of 7 h" in text for text in bars)


def test_a_privilege_is_added_on_a_home_license_and_the_dashboard_shows_what_it_stands_on(
    demo_app,
):
    at = open_page(demo_app, "cetrack/ui/credentials.py")
    at.selectbox(key="add_credential_state").select("compact").run()
    at.selectbox(key="add_credential_rule").select("compact/COUNSELING-PRIVILEGE").run()
    assert not at.exception, at.exception
    home = by_label(at.selectbox, "Stands on")
    # the demo's two counselor licenses, not its NCC certification
    assert [option.split()[0] for option in home.options] == ["NY/LMHC", "TX/LPC"]
    home.select_index(next(i for i, label in enumerate(home.options) if label.startswith("TX/")))
    assert "Expires (leave empty" not in [widget.label for widget in at.date_input]
    by_label(at.selectbox, "Remote state").select("CO")
    next(button for button in at.button if button.label == "Save").click().run()
    assert not at.exception, at.exception
    page = texts(at)
    assert "compact/COUNSELING-PRIVILEGE — Counseling Compact privilege to practice" in page
    assert "expires with TX/LPC" in page and "in CO" in page
    dashboard = texts(open_page(at, "cetrack/ui/dashboard.py"))
    assert "Expires with TX/LPC on" in dashboard
    assert "CO jurisprudence requirement: not yet attested" in dashboard


def test_a_compact_not_yet_issued_says_so_and_offers_no_form(demo_app):
    at = open_page(demo_app, "cetrack/ui/credentials.py")
    at.selectbox(key="add_credential_state").select("compact").run()
    at.selectbox(key="add_credential_rule").select("compact/SW-MULTISTATE").run()
    assert not at.exception, at.exception
    assert any("is not issued yet" in info.value for info in at.info)
    assert "Save" not in [button.label for button in at.button]


def test_a_privilege_on_a_lapsed_home_license_shows_invalid_on_the_dashboard(demo_app):
    at = open_page(demo_app, "cetrack/ui/credentials.py")
    at.selectbox(key="add_credential_state").select("compact").run()
    at.selectbox(key="add_credential_rule").select("compact/COUNSELING-PRIVILEGE").run()
    home = by_label(at.selectbox, "Stands on")
    home.select_index(next(i for i, label in enumerate(home.options) if label.startswith("TX/")))
    by_label(at.selectbox, "Remote state").select("CO")
    next(button for button in at.button if button.label == "Save").click().run()
    # the home TX/LPC was not renewed: its expiration passed on 2026-06-30
    edits = [button for button in at.button if button.label == "Edit"]
    edits[1].click().run()  # cards in rule order: NY/LMHC, TX/LPC, the privilege, NCC
    by_label(at.date_input, "Expires").set_value(date(2026, 6, 30))
    next(button for button in at.button if button.label == "Save").click().run()
    assert not at.exception, at.exception
    dashboard = open_page(at, "cetrack/ui/dashboard.py")
    errors = [error.value for error in dashboard.error]
    assert any(error.startswith("Invalid: TX/LPC expired on 2026-06-30.") for error in errors)
    assert "**Invalid**" in texts(dashboard)
