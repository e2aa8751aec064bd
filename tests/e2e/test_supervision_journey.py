"""The supervision journey in a real browser: an associate logs two weeks; the supervisor signs
one and returns the other; the associate corrects and resubmits it; the supervisor signs it;
progress and the projected date move, and the verification packet downloads with a manifest
that verifies."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import date

import pytest
from playwright.sync_api import expect

from cetrack.db.models import Person
from cetrack.services import accounts, credentials, supervision
from cetrack.services.actor import Actor
from cetrack.services.workspace import open_workspace
from cetrack.settings import Settings
from tests.e2e.conftest import TODAY, running_app
from tests.e2e.test_organization_journeys import PASSWORD, TIMEOUT, settled, sign_in

pytestmark = pytest.mark.slow
START = date(2026, 9, 7)


@pytest.fixture
def practice(tmp_path):
    """Ari, an associate toward TX/LPC since START, and Sam, her LPC-S; the app serving them."""
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
        people = {}
        for email, name, roles in (
            ("ari@clinic.org", "Ari Associate", ["clinician"]),
            ("sam@clinic.org", "Sam Supervisor", ["clinician", "supervisor"]),
        ):
            account = accounts.add_account(
                session,
                actor=Actor.system(),
                organization=clinic,
                email=email,
                name=name,
                roles=roles,
                password=PASSWORD,
                today=TODAY,
            )
            people[email] = session.get(Person, account.person_id)
        ari, sam = people["ari@clinic.org"], people["sam@clinic.org"]
        credentials.add_credential(
            session,
            actor=Actor.local(sam),
            person=sam,
            data={
                "rule_id": "TX/LPC",
                "number": "LPC 4821",
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
            data={"rule_id": "TX/LPC", "started_on": START, "registration_issued": START},
            registry=workspace.registry,
            today=TODAY,
        )
        supervision.add_supervisor(
            session,
            actor=Actor.local(ari),
            person=ari,
            data={
                "supervisor_name": "Sam Supervisor",
                "supervisor_email": "sam@clinic.org",
                "supervisor_license": "TX LPC",
                "supervisor_license_number": "LPC 4821",
                "supervisor_credential": "LPC-S",
                "starts_on": START,
            },
            state="TX",
        )
    workspace.engine.dispose()
    with running_app(data_dir, tmp_path / "server.log") as url:
        yield url


def new_page(browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.set_default_timeout(TIMEOUT)
    return page


def open_as(page, url: str, email: str, link: str, heading: str) -> None:
    """Sign in (a new visit is a new session) and open a page from the sidebar."""
    sign_in(page, url, email)
    page.get_by_role("link", name=link).click()
    page.get_by_role("heading", name=heading).wait_for()
    settled(page)


def submit_week(page, direct: str) -> None:
    form = page.locator("[data-testid=stForm]").filter(has_text="Submit for signature")
    form.get_by_label("Direct client contact (h)").fill(direct)
    form.get_by_label("Individual supervision (h)").fill("4")
    form.get_by_role("button", name="Submit for signature").click()
    expect(page.get_by_text("Logged; it awaits your supervisor's signature.")).to_be_visible()
    settled(page)


def projected(page) -> str:
    metric = page.locator("[data-testid=stMetric]").filter(has_text="Projected eligibility")
    return metric.locator("[data-testid=stMetricValue]").inner_text()


def test_supervision_journey(practice, browser):
    url = practice
    associate = new_page(browser)
    sign_in(associate, url, "ari@clinic.org")
    associate.get_by_role("link", name="Supervised hours").click()
    associate.get_by_role("heading", name="Ari Associate's supervised hours").wait_for()
    expect(associate.locator("[data-testid=stMetric]").first).to_contain_text("Not yet")
    before = projected(associate)

    # 1. two weeks: the one before last, then "copy last week" for the last one
    submit_week(associate, "20")
    associate.get_by_role("button", name="Copy last week").click()
    settled(associate)
    submit_week(associate, "22")
    main = associate.locator("[data-testid=stMain]")
    expect(main).to_contain_text("2026-11-09 to 2026-11-15: Awaiting signature")
    expect(main).to_contain_text("2026-11-16 to 2026-11-22: Awaiting signature")

    # 2. the supervisor signs one and returns the other
    boss = new_page(browser)
    sign_in(boss, url, "sam@clinic.org")
    boss.get_by_role("link", name="Supervision").click()
    boss.get_by_role("heading", name="Logs awaiting your signature").wait_for()
    # the oldest log comes first
    reviews = boss.locator("[data-testid=stMain]")
    expect(reviews).to_contain_text("Ari Associate: 2026-11-09 to 2026-11-15")
    boss.get_by_role("button", name="Sign", exact=True).first.click()
    expect(boss.get_by_text("Signed: the log is locked.")).to_be_visible()
    settled(boss)
    boss.get_by_role("button", name="Return with a comment").click()
    boss.get_by_label("What should be corrected?").fill("Count the group hour as well")
    boss.get_by_role("button", name="Return", exact=True).click()
    expect(boss.get_by_text("Returned to the associate.")).to_be_visible()

    # 3. the associate corrects the returned week and resubmits it
    open_as(
        associate, url, "ari@clinic.org", "Supervised hours", "Ari Associate's supervised hours"
    )
    associate.get_by_text("2026-11-16 to 2026-11-22: Returned").click()
    expect(main).to_contain_text("Your supervisor returned it: Count the group hour as well")
    form = associate.locator("[data-testid=stForm]").filter(has_text="Save and resubmit")
    form.get_by_label("Other clinical hours (h)").fill("9")
    form.get_by_role("button", name="Save and resubmit").click()
    expect(
        associate.get_by_text("Saved; it awaits your supervisor's signature again.")
    ).to_be_visible()

    # 4. the supervisor signs it
    open_as(boss, url, "sam@clinic.org", "Supervision", "Logs awaiting your signature")
    boss.get_by_role("button", name="Sign", exact=True).click()
    expect(boss.get_by_text("Nothing to sign.")).to_be_visible()

    # 5. progress and the projected date moved; the packet downloads and its manifest verifies
    open_as(
        associate, url, "ari@clinic.org", "Supervised hours", "Ari Associate's supervised hours"
    )
    expect(main).to_contain_text("2026-11-16 to 2026-11-22: Signed")
    after = projected(associate)
    assert after != before and after != "No projection", (before, after)
    associate.get_by_role("button", name="Prepare the verification packet").click()
    with associate.expect_download() as download:
        associate.get_by_role("button", name="Verification packet (ZIP)").click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    manifest = json.loads(archive.read("manifest.json"))
    listed = {item["path"]: item["sha256"] for item in manifest["files"]}
    assert set(listed) == set(archive.namelist()) - {"manifest.json"}
    assert {"summary.pdf", "logs.csv", "chain.json"} <= set(listed)
    for name, digest in listed.items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest
    chain = json.loads(archive.read("chain.json"))
    assert len(chain if isinstance(chain, list) else chain["signatures"]) == 2
