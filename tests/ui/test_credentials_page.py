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
