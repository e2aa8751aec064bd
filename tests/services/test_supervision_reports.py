"""The supervised-experience reports and the CSV import on real SQLite and PostgreSQL: the
packet and the reminders of an associate with signed, pending and amended weeks, an import
previewed (nothing written) then committed (all or nothing, checked again), and refusals."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
from icalendar import Calendar

from cetrack.db.models import LicensurePath, Person, SupervisionLog
from cetrack.engine.supervision import evaluate_supervision
from cetrack.exports.supervision_ics import supervision_ics
from cetrack.services import signoff, supervision, supervision_logs, supervision_reports
from cetrack.services.actor import Actor
from cetrack.services.errors import Forbidden, InputError
from tests.services.helpers import TODAY, new_person
from tests.services.supervision_setup import START, Practice, log_week, practice, week_data

REGISTRATION = "LPCA 98765"
# weeks from START and what differs from the usual week (20 direct, 10 indirect, 4 individual)
WEEKS = {
    0: {"individual_supervision": 1, "group_supervision": 3, "group_size": 4},  # over 1/2 group
    1: {},
    2: {},
    3: {},  # left pending
    8: {"individual_supervision": 0},  # March: no supervision that month
}
SIGNED = (0, 1, 2, 8)
CSV = (
    b"Week Of,Direct Hours,Indirect Hours,Individual Supervision\r\n"
    b"03/09/2026,20,10,4\r\n"
    b"03/16/2026,18,9,0\r\n"
)


@dataclass
class History:
    setup: Practice
    logs: dict[int, SupervisionLog]  # by week number
    amendment: SupervisionLog  # of week 1, signed

    @property
    def associate(self) -> Person:
        return self.setup.associate

    @property
    def path(self) -> LicensurePath:
        return self.setup.path


def signed_at(log: SupervisionLog) -> datetime:
    return datetime.combine(log.end + timedelta(days=1), time(18), UTC)


def history(session, registry) -> History:
    """Weeks 0-3 and 8 logged; all but week 3 signed; week 1 amended and the amendment signed."""
    setup = practice(session, registry)
    supervision.update_path(
        session,
        actor=setup.associate_actor(session),
        path_id=setup.path.id,
        data={
            "rule_id": "TX/LPC",
            "started_on": START,
            "registration_number": REGISTRATION,
            "registration_issued": START,
        },
        registry=registry,
        today=TODAY,
        expected_version=setup.path.version,
    )
    logs = {
        number: log_week(session, setup, number, **changes) for number, changes in WEEKS.items()
    }
    boss = setup.supervisor_actor(session)
    for number in SIGNED:
        log = logs[number]
        signoff.sign_log(session, actor=boss, log_id=log.id, now=signed_at(log))
    amendment = supervision_logs.amend_log(
        session,
        actor=setup.associate_actor(session),
        log_id=logs[1].id,
        data=week_data(setup.relationship.id, 1, direct=25, indirect=5),
        today=TODAY,
    )
    signoff.sign_log(
        session, actor=boss, log_id=amendment.id, now=datetime(2026, 4, 1, 9, tzinfo=UTC)
    )
    return History(setup, logs, amendment)


def logged(session, item: History) -> list[SupervisionLog]:
    actor = item.setup.associate_actor(session)
    return supervision_logs.list_logs(session, actor=actor, person=item.associate)


def import_options(session, item: History, content: bytes = CSV) -> dict:
    return {
        "actor": item.setup.associate_actor(session),
        "person": item.associate,
        "content": content,
        "relationship_id": item.setup.relationship.id,
        "today": TODAY,
    }


def test_the_associate_and_their_supervisor_export_the_packet(workspace):
    with workspace.transaction() as session:
        item = history(session, workspace.registry)
        for actor in (item.setup.associate_actor(session), item.setup.supervisor_actor(session)):
            data = supervision_reports.packet_bytes(
                session, workspace, actor=actor, person=item.associate, path=item.path, today=TODAY
            )
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                assert archive.namelist() == [
                    "manifest.json",
                    "chain.json",
                    "logs.csv",
                    "summary.pdf",
                ]


def test_a_path_of_someone_else_is_refused(workspace):
    with workspace.transaction() as session:
        item = history(session, workspace.registry)
        other = new_person(session, "kim@example.org")
        with pytest.raises(InputError, match="does not work toward this license"):
            supervision_reports.packet_bytes(
                session,
                workspace,
                actor=Actor.system(),
                person=other,
                path=item.path,
                today=TODAY,
            )


def events(data: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(data)
    return {
        str(event["UID"]).split("-", 2)[2].rsplit("-", 1)[0]: event
        for event in calendar.walk("VEVENT")
    }


def test_the_reminders_carry_the_week_the_signatures_eligibility_and_registration(workspace):
    soon = date(2026, 4, 6)  # a recent pace gives a projected eligibility date
    with workspace.transaction() as session:
        item = history(session, workspace.registry)
        actor = item.setup.associate_actor(session)
        options = {"actor": actor, "person": item.associate, "path": item.path}
        data = supervision_reports.reminders_ics(session, workspace, **options, today=soon)
        again = supervision_reports.reminders_ics(session, workspace, **options, today=soon)
        later = supervision_reports.reminders_ics(session, workspace, **options, today=TODAY)
    found = events(data)
    assert (
        set(found)
        == set(events(again))
        == {
            "log-week",
            "awaiting",
            "eligible",
            "registration-expires",
        }
    )
    weekly = found["log-week"]
    assert weekly["RRULE"]["FREQ"] == ["WEEKLY"]
    assert weekly["RRULE"]["UNTIL"] == [found["eligible"].start]
    assert weekly.start.weekday() == 6  # the logging weeks run Monday to Sunday
    assert [alarm["TRIGGER"].dt for alarm in weekly.walk("VALARM")] == [timedelta(hours=16)]
    assert str(found["awaiting"]["SUMMARY"]) == "1 log awaits your supervisor's signature"
    assert found["awaiting"].walk("VALARM")
    eligible = found["eligible"]
    assert str(eligible["SUMMARY"]) == "TX/LPC: projected eligibility to apply"
    assert "Supervised experience hours: " in str(eligible["DESCRIPTION"])
    expires = found["registration-expires"]
    assert expires.start == date(2031, 1, 5)  # 60 months from issue
    assert "It cannot be renewed" in str(expires["DESCRIPTION"])
    assert REGISTRATION in str(expires["DESCRIPTION"])
    # months later with no hours logged since, there is no projection to put in the calendar
    assert "eligible" not in events(later)
    assert "UNTIL" not in events(later)["log-week"]["RRULE"]


def test_a_renewable_registration_says_how_often_it_may_be_renewed(registry):
    rule = registry.get("CA/LMFT")
    issued = date(2025, 3, 10)
    path = LicensurePath(id=4, person_id=1, rule_id=rule.id, started_on=issued)
    path.registration_issued = issued
    result = evaluate_supervision(rule, issued, [], TODAY, registration_issued=issued)
    person = Person(id=1, email="amy@example.org", name="Amy")
    stamp = datetime(2026, 11, 22, tzinfo=UTC)
    found = events(supervision_ics(person, path, rule, result, pending=0, stamp=stamp))
    assert found["registration-expires"].start == date(2027, 3, 31)  # the second term's end
    assert "renewed at most 5 times" in str(found["registration-expires"]["DESCRIPTION"])
    assert found["registration-final"].start == result.registration_final_expiry
    assert "awaiting" not in found


def test_an_import_is_previewed_without_writing_then_committed(workspace):
    with workspace.transaction() as session:
        item = history(session, workspace.registry)
        before = len(logged(session, item))
        overlapping = CSV + b"03/02/2026,1,1,1\r\n"  # week 8 is logged already
        report = supervision_reports.preview_log_import(
            session, **import_options(session, item, overlapping)
        )
        assert [(row.line, row.status) for row in report.rows] == [
            (2, "ready"),
            (3, "ready"),
            (4, "rejected"),
        ]
        assert report.rows[2].errors == {
            "start": "overlaps the log of 2026-03-02 to 2026-03-08 already logged"
        }
        assert len(logged(session, item)) == before
        with pytest.raises(InputError, match="line 4: start: overlaps the log of 2026-03-02"):
            supervision_reports.commit_log_import(
                session, **import_options(session, item, overlapping)
            )
        assert len(logged(session, item)) == before
        added = supervision_reports.commit_log_import(session, **import_options(session, item))
        assert [(log.start, log.status, log.direct) for log in added] == [
            (date(2026, 3, 9), "pending", 20),
            (date(2026, 3, 16), "pending", 18),
        ]
        assert len(logged(session, item)) == before + 2


def test_committing_checks_again_what_was_logged_after_the_preview(workspace):
    with workspace.transaction() as session:
        item = history(session, workspace.registry)
        report = supervision_reports.preview_log_import(session, **import_options(session, item))
        assert not report.rejected
        log_week(session, item.setup, 11)  # 2026-03-23: does not clash
        log_week(session, item.setup, 10)  # 2026-03-16: logged meanwhile, clashes with line 3
        before = len(logged(session, item))
        with pytest.raises(InputError) as refused:
            supervision_reports.commit_log_import(session, **import_options(session, item))
        assert refused.value.errors == {
            "line 3: start": "overlaps the log of 2026-03-16 to 2026-03-22 already logged"
        }
        assert len(logged(session, item)) == before


def test_an_import_under_another_associates_supervisor_is_refused(workspace):
    with workspace.transaction() as session:
        item = history(session, workspace.registry)
        other = new_person(session, "kim@example.org")
        options = {**import_options(session, item), "person": other, "actor": Actor.local(other)}
        with pytest.raises(InputError, match="choose one of the associate's supervisors"):
            supervision_reports.preview_log_import(session, **options)
        with pytest.raises(InputError, match="choose one of the associate's supervisors"):
            supervision_reports.preview_log_import(
                session, **{**import_options(session, item), "relationship_id": 9999}
            )


def test_an_outsider_is_refused_every_report_and_import(workspace):
    with workspace.transaction() as session:
        item = history(session, workspace.registry)
        stranger = Actor(person_id=new_person(session, "kim@example.org").id, account_id=99)
        export = {"actor": stranger, "person": item.associate, "path": item.path, "today": TODAY}
        imports = {**import_options(session, item), "actor": stranger}
        with pytest.raises(Forbidden):
            supervision_reports.packet_bytes(session, workspace, **export)
        with pytest.raises(Forbidden):
            supervision_reports.reminders_ics(session, workspace, **export)
        with pytest.raises(Forbidden):
            supervision_reports.preview_log_import(session, **imports)
        with pytest.raises(Forbidden):
            supervision_reports.commit_log_import(session, **imports)
        supervisor = item.setup.supervisor_actor(session)  # reads, but logs nothing for them
        with pytest.raises(Forbidden):
            supervision_reports.commit_log_import(
                session, **{**import_options(session, item), "actor": supervisor}
            )
        assert len(logged(session, item)) == len(WEEKS) + 1
