"""The organization's journeys in a real browser. HR signs in, imports a roster of 20 with two
bad rows, records a verification with evidence, sees the count change and downloads the
XLSX. A clinician reaches no HR page and nobody else's records by any page, URL or query
parameter; an anonymous visitor sees only the sign-in page."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from sqlmodel import select

from cetrack.db.models import Person
from cetrack.services import accounts
from cetrack.services.actor import Actor
from cetrack.services.workspace import open_workspace
from cetrack.settings import Settings
from tests.e2e.conftest import TODAY, running_app
from tests.roster_file import roster_csv

TIMEOUT = 60_000
PASSWORD = "correct horse battery"
EVIDENCE = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
expect.set_options(timeout=TIMEOUT)
pytestmark = pytest.mark.slow


@pytest.fixture
def organization(tmp_path):
    """Riverside Clinic (hal HR, cam clinician) and Other Agency (oz); the app serving it."""
    data_dir = tmp_path / "data"
    workspace = open_workspace(Settings(data_dir=data_dir))
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
        for place, email, name, roles in (
            (clinic, "hal@clinic.org", "Hal Hughes", ["hr"]),
            (clinic, "cam@clinic.org", "Cam Lee", ["clinician"]),
            (other, "oz@agency.org", "Oz Park", ["clinician"]),
        ):
            accounts.add_account(
                session,
                actor=Actor.system(),
                organization=place,
                email=email,
                name=name,
                roles=roles,
                password=PASSWORD,
                today=TODAY,
            )
        ids = {person.email: person.id for person in session.exec(select(Person))}
    workspace.engine.dispose()
    with running_app(data_dir, tmp_path / "server.log") as url:
        yield url, ids


def settled(page) -> None:
    page.wait_for_function(
        "() => !document.querySelector('[data-stale=\"true\"]')", timeout=TIMEOUT
    )


def open_anonymously(page, address: str) -> None:
    """Open the address (every visit starts a new, anonymous session): the sign-in page, and
    for the address of any other page Streamlit's notice that there is no such page."""
    page.goto(address)
    page.get_by_role("heading", name="Sign in to cetrack").wait_for()
    if address.split("?")[0].rstrip("/").count("/") > 2:  # a page's path, not the root
        dialog = page.get_by_role("dialog")
        expect(dialog).to_contain_text("Page not found")
        page.keyboard.press("Escape")
        expect(dialog).to_have_count(0)


def sign_in(page, address: str, email: str) -> None:
    open_anonymously(page, address)
    page.get_by_role("textbox", name="Email").fill(email)
    page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Sign in to cetrack")).to_have_count(0)


def metric(page, label: str):
    return expect(page.locator("[data-testid=stMetric]").filter(has_text=label).first)


def test_hr_journey(organization, browser, tmp_path):
    url, _ = organization
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(TIMEOUT)
    sign_in(page, url, "hal@clinic.org")
    page.get_by_role("heading", name="Hal Hughes's dashboard").wait_for()

    # import a roster of 20 with two bad rows: a preview first, nothing written until confirmed
    page.get_by_role("link", name="People").click()
    page.get_by_role("heading", name="People of Riverside Clinic").wait_for()
    page.get_by_role("tab", name="Import from CSV").click()
    roster = tmp_path / "roster.csv"
    roster.write_bytes(roster_csv(TODAY))
    settled(page)
    page.locator("[data-testid=stFileUploaderDropzoneInput]").first.set_input_files(str(roster))
    main = page.locator("[data-testid=stMain]")
    expect(main).to_contain_text("18 row(s) ready, 0 already on file, 2 rejected")
    page.get_by_role("button", name="Import 18 ready rows").click()
    expect(page.get_by_text("Imported 18 people and 18 licenses")).to_be_visible()

    # the dashboard counts, then a verification with evidence changes one
    page.get_by_role("link", name="Compliance").click()
    page.get_by_role("heading", name="Compliance at Riverside Clinic").wait_for()
    metric(page, "Never verified").to_contain_text("18")
    metric(page, "Expiring ≤ 30 days").to_contain_text("1")
    evidence = tmp_path / "board lookup.pdf"
    evidence.write_bytes(EVIDENCE)
    settled(page)
    form = page.locator("[data-testid=stForm]").filter(has_text="Record the verification")
    form.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(evidence))
    expect(form).to_contain_text("board lookup.pdf")
    form.get_by_role("button", name="Record the verification").click()
    metric(page, "Never verified").to_contain_text("17")
    expect(main).to_contain_text("Verified 2026-11-22")

    # the XLSX holds every license with its standing
    page.get_by_role("button", name="Prepare the exports").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Roster (XLSX)").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    assert sheet.max_row == 19
    flags = [row[14] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert flags.count("Never verified") == 17


def test_clinician_and_anonymous_journey(organization, browser):
    url, ids = organization
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(TIMEOUT)

    # anonymous: whatever the address, only the sign-in page
    for path in ("/", "/compliance", "/people", "/accounts", f"/?person={ids['cam@clinic.org']}"):
        open_anonymously(page, url + path)
        expect(page.locator("[data-testid=stSidebarNav]")).to_have_count(0)
        expect(page.locator("[data-testid=stMain]")).not_to_contain_text("dashboard")

    # signed in at the address of an HR page: that page is not there for a clinician
    for path in ("/compliance", "/people", "/accounts"):
        sign_in(page, url + path, "cam@clinic.org")
        page.get_by_role("heading", name="Cam Lee's dashboard").wait_for()
        navigation = page.locator("[data-testid=stSidebarNav]")
        expect(navigation).to_contain_text("CE log")
        for hidden in ("Compliance", "People", "Accounts"):
            expect(navigation).not_to_contain_text(hidden)
        expect(page.locator("[data-testid=stMain]")).not_to_contain_text("Compliance at")
    # signed in with another person's id in the query: refused, nothing of theirs shown
    for other in ("hal@clinic.org", "oz@agency.org", "ada@clinic.org"):
        sign_in(page, f"{url}/?person={ids[other]}", "cam@clinic.org")
        expect(page.get_by_text("You may not see these records.")).to_be_visible()
        expect(page.locator("[data-testid=stMain]")).not_to_contain_text("'s dashboard")
