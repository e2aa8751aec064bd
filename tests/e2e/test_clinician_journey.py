"""The clinician's journey in a real browser: demo, add a license, log an activity with its
certificate, see the dashboard change, download the audit packet and the calendar."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.importers.certificate_layouts import LAYOUTS, pdf_of

CERTIFICATE = LAYOUTS[0]  # "3 CE hours", completed March 3, 2026

TIMEOUT = 60_000
expect.set_options(timeout=TIMEOUT)


def go(page, name: str) -> None:
    page.get_by_role("link", name=name).click()
    page.get_by_role(
        "heading", name=name if name != "Dashboard" else "Dana Rivera's dashboard"
    ).first.wait_for(timeout=TIMEOUT)


def choose(page, label: str, option: str) -> None:
    """Pick an option by typing it (long lists, such as the 52 jurisdictions, are virtual)."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    page.keyboard.type(option[:12])
    page.get_by_role("option", name=option, exact=True).click()


def fill_date(page, label: str, day: date) -> None:
    for part, value in (
        ("year", f"{day.year:04d}"),
        ("month", f"{day.month:02d}"),
        ("day", f"{day.day:02d}"),
    ):
        page.get_by_role("spinbutton", name=f"{part}, {label}").click()
        page.keyboard.type(value)


pytestmark = pytest.mark.slow


def settled(page) -> None:
    """Wait until the app's rerun has replaced every stale element (a busy machine can leave
    the previous run's widgets on the page for a while, and an upload to one is lost)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-stale=\"true\"]')", timeout=TIMEOUT
    )


def upload_until(page, path: Path, shown: str, attempts: int = 3) -> None:
    """Upload the file and wait for `shown`; on a busy machine a rerun can replace the
    uploader just as the file is set, and the upload is lost, so it is tried again."""
    for attempt in range(attempts):
        settled(page)
        page.locator("[data-testid=stFileUploaderDropzoneInput]").first.set_input_files(str(path))
        try:
            page.get_by_text(shown).wait_for(timeout=TIMEOUT // attempts)
            return
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise


def card(page, rule_id: str):
    """The dashboard card of a credential (assertions on it retry until the app has rendered)."""
    cards = page.locator("[class*='st-key-card_']")
    return expect(cards.filter(has=page.get_by_role("heading", name=f"{rule_id} —")))


def test_clinician_journey(app_url, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(TIMEOUT)
    page.goto(app_url)

    # first start: load the demo
    page.get_by_role("button", name="Load the demo").click()
    page.get_by_role("heading", name="Dana Rivera's dashboard").wait_for()
    card(page, "TX/LPC").to_contain_text("Incomplete")
    card(page, "TX/LPC").to_contain_text("3 h — Cultural diversity or competency")
    # one plan across every credential
    expect(page.locator("[data-testid=stMain]")).to_contain_text(
        "45 h close every gap in TX/LPC and national/NCC"
    )
    page.get_by_text("logged in all").wait_for()
    page.locator("[data-testid=stSkeleton]").first.wait_for(state="detached")
    screenshot = os.environ.get("CETRACK_SCREENSHOT")
    page.set_viewport_size({"width": 1400, "height": 1700})
    page.screenshot(path=screenshot or str(tmp_path / "dashboard.png"))
    page.set_viewport_size({"width": 1400, "height": 1000})

    # add a license
    go(page, "Licenses & certifications")
    choose(page, "State (or national)", "FL")
    choose(page, "License or certification", "LMHC — Licensed Mental Health Counselor")
    page.get_by_label("License number").fill("MH 24680")
    fill_date(page, "Issued", date(2019, 5, 1))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("[data-testid=stMain]")).to_contain_text(
        "Licensed Mental Health Counselor · No. MH 24680"
    )
    expect(page.locator("[data-testid=stMain]")).to_contain_text("expires 2027-03-31")
    # the same license again (a double click, say) is refused
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("[data-testid=stMain]")).to_contain_text(
        "you already hold FL/LMHC No. MH 24680"
    )

    # a future completion date is refused beside the field, and nothing is logged
    go(page, "CE log")
    page.get_by_label("Title", exact=True).fill("Not yet taken")
    fill_date(page, "Completed", date(2027, 5, 1))
    page.get_by_role("button", name="Save activity").click()
    expect(page.locator("[data-testid=stMain]")).to_contain_text(
        "Completed: the completion date is in the future"
    )
    # a title with Markdown is shown as typed
    markdown_title = "**Bold** [link](http://example.test) :red[alarm]"
    page.get_by_label("Title", exact=True).fill(markdown_title)
    fill_date(page, "Completed", date(2026, 11, 1))
    page.get_by_role("button", name="Save activity").click()
    page.get_by_text(f"Logged “{markdown_title}”").wait_for()
    # the rerun replaces the saved form with an empty one (the old one lingers until then)
    page.wait_for_function(
        "() => { const t = [...document.querySelectorAll('input[aria-label=\"Title\"]')];"
        " return t.length === 1 && t[0].value === ''; }",
        timeout=TIMEOUT,
    )

    # log an activity with a certificate: the missing cultural-competency hours
    page.get_by_label("Title", exact=True).fill("Cultural Humility in Counseling")
    choose(
        page,
        "Topics (categories)",
        "Cultural diversity, competency or social and cultural competence",
    )
    page.keyboard.press("Escape")
    # the certificate fills in the fields left empty (the title typed above stays)
    certificate = tmp_path / "certificate.pdf"
    certificate.write_bytes(pdf_of(CERTIFICATE.lines))
    upload_until(page, certificate, "Filled in from the certificate")
    expect(page.get_by_label("Provider", exact=True)).to_have_value(CERTIFICATE.provider)
    expect(page.get_by_label("Amount", exact=True)).to_have_value("3.00")
    expect(page.get_by_label("Title", exact=True)).to_have_value("Cultural Humility in Counseling")
    # what it would count for, before it is saved
    expect(page.locator("[data-testid=stMain]")).to_contain_text(
        "TX/LPC: +3 h Cultural diversity or competency"
    )
    page.get_by_role("button", name="Save activity").click()
    page.get_by_text("Logged “Cultural Humility in Counseling”").wait_for()

    # the dashboard changes: Texas is now compliant, and Florida appears
    go(page, "Dashboard")
    page.get_by_text("FL/LMHC — Licensed Mental Health Counselor").wait_for()
    card(page, "TX/LPC").to_contain_text("Compliant")
    card(page, "TX/LPC").to_contain_text("Nothing is missing")

    # download the audit packet and the calendar
    go(page, "Reports")
    page.get_by_role("button", name="Prepare the audit packet").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the audit packet (.zip)").click()
    packet = tmp_path / "packet.zip"
    download.value.save_as(packet)
    with zipfile.ZipFile(packet) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        for entry in manifest["files"]:
            data = archive.read(entry["path"])
            assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        names = archive.namelist()
    assert any(name.startswith("summary/") and "FL_LMHC" in name for name in names)
    assert any(
        name.startswith("certificates/") and name.endswith("-certificate.pdf") for name in names
    )

    with page.expect_download() as download:
        page.get_by_role("button", name="Download the calendar (.ics)").click()
    calendar = Calendar.from_ical(Path(download.value.path()).read_bytes())
    events = list(calendar.walk("VEVENT"))
    summaries = [str(event["SUMMARY"]) for event in events]
    assert any("FL/LMHC" in summary for summary in summaries)
    deadline = next(
        e
        for e in events
        if "TX/LPC" in str(e["SUMMARY"]) and "deadline" in str(e["SUMMARY"]).lower()
    )
    assert deadline.decoded("DTSTART") == date(2027, 6, 30)
    triggers = sorted(alarm.decoded("TRIGGER") for alarm in deadline.walk("VALARM"))
    assert triggers == [timedelta(days=-90), timedelta(days=-30), timedelta(days=-7)]

    # delete the Markdown-titled activity: it does not stay selected afterwards
    go(page, "CE log")
    page.get_by_role("tab", name="My activities").click()
    choose(page, "Edit or delete", f"2026-11-01 · {markdown_title}")
    page.get_by_role("button", name="Delete this activity").click()
    page.get_by_text(f"Deleted “{markdown_title}”.").wait_for()
    expect(page.get_by_role("button", name="Delete this activity")).to_have_count(0)
    expect(page.get_by_role("combobox", name="Edit or delete")).not_to_contain_text(markdown_title)
