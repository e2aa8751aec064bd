"""Exports through the database: a person's own records, removed and deleted ones left out."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import date, timedelta

import pandas as pd
import pytest
from icalendar import Calendar
from pypdf import PdfReader

from cetrack.services import activities, certificates, credentials, reports
from cetrack.services.actor import Actor
from cetrack.services.demo import load_demo
from cetrack.services.errors import Forbidden
from tests.services.helpers import TODAY, activity_data, me, new_person

OTHER_TITLE = "Someone else's confidential course"


@pytest.fixture
def people(workspace):
    """The demo clinician with one removed credential and one deleted activity, and another
    person with a credential and a certificate of their own."""
    with workspace.transaction() as session:
        dana = load_demo(session, workspace, actor=Actor.system(), today=TODAY)
        removed = credentials.add_credential(
            session,
            actor=me(dana),
            person=dana,
            data={"rule_id": "FL/LMHC", "issued": date(2018, 5, 1)},
            registry=workspace.registry,
            today=TODAY,
        )
        credentials.remove_credential(session, actor=me(dana), credential_id=removed.id)
        deleted = activities.log_activity(
            session,
            actor=me(dana),
            person=dana,
            data=activity_data(title="Logged by mistake"),
            today=TODAY,
        )
        activities.delete_activity(session, actor=me(dana), activity_id=deleted.id)
        pat = new_person(session)
        theirs = credentials.add_credential(
            session,
            actor=me(pat),
            person=pat,
            data={"rule_id": "CA/LMFT", "expires": date(2027, 6, 30)},
            registry=workspace.registry,
            today=TODAY,
        )
        stored = certificates.upload_certificate(
            session,
            actor=me(pat),
            person=pat,
            data=b"%PDF-1.4 someone else's certificate",
            filename="private.pdf",
            files_dir=workspace.files_dir,
        )
        activities.log_activity(
            session,
            actor=me(pat),
            person=pat,
            data=activity_data(title=OTHER_TITLE),
            today=TODAY,
            certificate_id=stored.id,
        )
    return dana, pat, theirs


def test_the_packet_holds_only_the_persons_current_records(workspace, people):
    dana, _, _ = people
    with workspace.transaction() as session:
        data = reports.packet_bytes(session, workspace, actor=me(dana), person=dana, today=TODAY)
        logged = activities.list_activities(session, actor=me(dana), person=dana)
        held = credentials.list_credentials(session, actor=me(dana), person=dana)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(files["manifest.json"])
    assert manifest["person"]["email"] == dana.email
    for entry in manifest["files"]:
        assert hashlib.sha256(files[entry["path"]]).hexdigest() == entry["sha256"]
    summaries = {path for path in files if path.startswith("summary/")}
    assert summaries == {f"summary/{c.rule_id.replace('/', '_')}.pdf" for c in held}
    assert "summary/FL_LMHC.pdf" not in summaries
    log = pd.read_csv(io.BytesIO(files["activities.csv"]), encoding="utf-8-sig")
    assert sorted(log["id"]) == sorted(activity.id for activity in logged)
    assert "Logged by mistake" not in set(log["title"]) and OTHER_TITLE not in set(log["title"])
    attached = {path for path in files if path.startswith("certificates/")}
    assert len(attached) == sum(1 for activity in logged if activity.certificate_id)
    assert not any("private" in path for path in attached)


def test_the_calendar_covers_each_current_credential_with_the_reminders_asked(workspace, people):
    dana, _, _ = people
    with workspace.transaction() as session:
        data = reports.calendar_bytes(
            session, workspace, actor=me(dana), person=dana, today=TODAY, alarms=(45,)
        )
        held = credentials.list_credentials(session, actor=me(dana), person=dana)
    events = Calendar.from_ical(data).walk("VEVENT")
    deadlines = [str(event["UID"]) for event in events if "-deadline-" in str(event["UID"])]
    assert sorted(int(uid.split("-")[1]) for uid in deadlines) == sorted(c.id for c in held)
    for event in events:
        assert [alarm["TRIGGER"].dt for alarm in event.walk("VALARM")] == [timedelta(days=-45)]


LOG_FORMATS = {
    "csv": (reports.activities_csv, lambda data: pd.read_csv(data, encoding="utf-8-sig")),
    "xlsx": (reports.activities_xlsx, pd.read_excel),
}


@pytest.mark.parametrize("kind", LOG_FORMATS)
def test_the_ce_log_lists_the_persons_activities(workspace, people, kind):
    dana, pat, _ = people
    export, read = LOG_FORMATS[kind]
    with workspace.transaction() as session:
        mine = read(io.BytesIO(export(session, workspace, actor=me(dana), person=dana)))
        theirs = read(io.BytesIO(export(session, workspace, actor=me(pat), person=pat)))
        logged = activities.list_activities(session, actor=me(dana), person=dana)
    assert sorted(mine["id"]) == sorted(activity.id for activity in logged)
    assert list(theirs["title"]) == [OTHER_TITLE]


def test_a_summary_for_ones_own_credential_only(workspace, people):
    dana, pat, theirs = people
    with workspace.transaction() as session:
        texas = next(
            c
            for c in credentials.list_credentials(session, actor=me(dana), person=dana)
            if c.rule_id == "TX/LPC"
        )
        data = reports.summary_pdf(
            session, workspace, actor=me(dana), credential_id=texas.id, today=TODAY
        )
        with pytest.raises(Forbidden):
            reports.summary_pdf(
                session, workspace, actor=me(dana), credential_id=theirs.id, today=TODAY
            )
        with pytest.raises(Forbidden):
            reports.packet_bytes(session, workspace, actor=me(dana), person=pat, today=TODAY)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "TX/LPC" in text and texas.number in text
    assert "Logged by mistake" not in text


def test_the_packet_says_a_one_time_requirement_was_attested_and_holds_its_certificate(workspace):
    """Issue 7, defect 9: the PDF and the packet say the requirement was attested."""
    with workspace.transaction() as session:
        pat = new_person(session)
        held = credentials.add_credential(
            session,
            actor=me(pat),
            person=pat,
            data={"rule_id": "CA/LMFT", "issued": date(2021, 4, 20), "expires": date(2027, 3, 31)},
            registry=workspace.registry,
            today=TODAY,
        )
        proof = certificates.upload_certificate(
            session,
            actor=me(pat),
            person=pat,
            data=b"%PDF-1.4 HIV/AIDS course 2020",
            filename="hiv course.pdf",
            files_dir=workspace.files_dir,
        )
        credentials.attest_requirement(
            session,
            actor=me(pat),
            credential_id=held.id,
            data={"requirement": "hiv_aids", "completed": "2020-11-14", "certificate_id": proof.id},
            registry=workspace.registry,
            today=TODAY,
            expected_version=held.version,
        )
    with workspace.transaction() as session:
        packet = reports.packet_bytes(session, workspace, actor=me(pat), person=pat, today=TODAY)
    files = zipfile.ZipFile(io.BytesIO(packet))
    path = f"certificates/attested-{held.id}-hiv_aids-hiv_course.pdf"
    assert files.read(path) == b"%PDF-1.4 HIV/AIDS course 2020"
    manifest = json.loads(files.read("manifest.json"))
    assert path in [item["path"] for item in manifest["files"]]
    summary = PdfReader(io.BytesIO(files.read("summary/CA_LMFT.pdf")))
    text = " ".join(" ".join(page.extract_text() for page in summary.pages).split())
    assert "(attested: completed on 2020-11-14)" in text


def test_the_plan_across_credentials_is_in_the_summaries_and_the_calendar(workspace):
    """Issue 7, feature 14: the joint plan appears in the PDF summary and as a calendar
    milestone on the earliest deadline it serves."""
    with workspace.transaction() as session:
        dana = load_demo(session, workspace, actor=Actor.system(), today=TODAY)
    with workspace.transaction() as session:
        packet = reports.packet_bytes(session, workspace, actor=me(dana), person=dana, today=TODAY)
        calendar = Calendar.from_ical(
            reports.calendar_bytes(session, workspace, actor=me(dana), person=dana, today=TODAY)
        )
    files = zipfile.ZipFile(io.BytesIO(packet))
    summary = PdfReader(io.BytesIO(files.read("summary/TX_LPC.pdf")))
    text = " ".join(" ".join(page.extract_text() for page in summary.pages).split())
    assert "One plan for every credential" in text
    assert "45 h close every gap in TX/LPC and national/NCC" in text
    (event,) = [e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith("joint-plan-")]
    assert str(event["SUMMARY"]) == "CE plan: 45 h close every gap in TX/LPC and national/NCC"
    assert event.decoded("DTSTART") == date(2027, 6, 30)
    assert "42 h any topic, self-study: for national/NCC" in str(event["DESCRIPTION"])
