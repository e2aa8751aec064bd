"""User text (titles, license numbers) is shown as typed, never rendered as Markdown
(issue 7, defect 5)."""

from __future__ import annotations

import re
import string
from datetime import date

from tests.ui.conftest import by_label, open_page, shown

HOSTILE = "**bold** [link](http://example.test) :red[alarm] _x_ `code`"


def literal(source: str, typed: str) -> bool:
    """The Markdown source shows `typed` literally: it reads as typed once escapes apply, and
    no Markdown punctuation is left unescaped to format it."""
    unescaped = re.sub(r"\\[" + re.escape(string.punctuation) + "]", "", source)
    return shown(source) == typed and not any(ch in string.punctuation for ch in unescaped)


def test_a_title_with_markdown_shows_as_typed_in_the_toast_and_the_deleted_notice(demo_app):
    at = open_page(demo_app, "cetrack/ui/ce_log.py")
    by_label(at.text_input, "Title").input(HOSTILE)
    by_label(at.date_input, "Completed").set_value(date(2026, 11, 2))
    by_label(at.number_input, "Amount").set_value(1.0)
    by_label(at.button, "Save activity").click().run()
    assert not at.exception, at.exception
    toast = at.toast[0].value
    assert literal(toast.removeprefix("Logged “").removesuffix("”"), HOSTILE), toast
    chosen = at.selectbox(key="chosen_activity")
    index = next(i for i, label in enumerate(chosen.options) if HOSTILE in label)
    chosen.select_index(index).run()
    at.button(key="delete_activity").click().run()
    notice = next(info.value for info in at.info if "Deleted" in info.value)
    assert literal(notice.removeprefix("Deleted “").removesuffix("”."), HOSTILE), notice


def test_a_license_number_with_markdown_shows_as_typed_on_its_card(demo_app):
    at = open_page(demo_app, "cetrack/ui/credentials.py")
    at.selectbox(key="add_credential_state").select("FL").run()
    at.selectbox(key="add_credential_rule").select("FL/LMHC").run()
    by_label(at.text_input, "License number").input(HOSTILE)
    by_label(at.date_input, "Issued").set_value(date(2019, 5, 1))
    next(button for button in at.button if button.label == "Save").click().run()
    assert not at.exception, at.exception
    at = open_page(at, "cetrack/ui/dashboard.py")
    heading = next(h.value for h in at.subheader if "FL/LMHC" in shown(h.value))
    assert literal(heading, f"FL/LMHC — Licensed Mental Health Counselor · No. {HOSTILE}")


def test_the_deleted_activity_is_no_longer_selected(demo_app):
    at = open_page(demo_app, "cetrack/ui/ce_log.py")
    at.selectbox(key="chosen_activity").select_index(0).run()
    deleted = at.selectbox(key="chosen_activity").value
    at.button(key="delete_activity").click().run()
    assert not at.exception, at.exception
    chosen = at.selectbox(key="chosen_activity")
    assert chosen.value is None and deleted not in chosen.options
    assert not [button for button in at.button if button.key == "delete_activity"]
