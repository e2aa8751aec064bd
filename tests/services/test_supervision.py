"""Supervised experience on real SQLite and PostgreSQL: logs refused beside the field,
sign-off that locks a log, amendments, the signature chain catching a row changed in the
database, supervisor qualification on the log's dates, and who may sign."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text

from cetrack.db.models import Credential, Organization
from cetrack.services import experience, signoff, supervision, supervision_logs
from cetrack.services.actor import Actor
from cetrack.services.errors import Forbidden, InputError
from cetrack.wording import reason_text
from tests.services.helpers import TODAY, new_person
from tests.services.supervision_setup import START, log_week, practice, week_data


def test_bad_values_are_refused_beside_their_field(workspace):
    with workspace.transaction() as session:
        setup = practice(session, workspace.registry)
        log_week(session, setup, 0)
        link = setup.relationship.id
        cases = [
            ({"direct": -1}, "direct", "enter 0 or more"),
            ({"telehealth": 25}, "telehealth", "telehealth hours are part of direct hours"),
            ({"couples_family": 21}, "couples_family", "part of direct hours"),
            ({"direct": 150, "indirect": 20}, "direct", "more than the 168 h in a week"),
            ({"end": START + timedelta(days=40)}, "end", "at most 31 days"),
            ({"group_supervision": 2}, "group_size", "how many supervisees"),
        ]
        for changes, field, words in cases:
            with pytest.raises(InputError) as refused:
                log_week(session, setup, 1, **changes)
            assert words in refused.value.errors[field], (changes, refused.value.errors)
        with pytest.raises(InputError) as overlap:
            supervision_logs.add_log(
                session,
                actor=setup.associate_actor(session),
                person=setup.associate,
                data=week_data(
                    link, 0, start=START + timedelta(days=3), end=START + timedelta(days=9)
                ),
                today=TODAY,
            )
        assert overlap.value.errors["start"].startswith("overlaps the log of 2026-01-05")
        assert (
            len(
                supervision_logs.list_logs(
                    session, actor=setup.associate_actor(session), person=setup.associate
                )
            )
            == 1
        )


def test_a_signed_log_is_locked_and_amended_by_a_new_signed_record(workspace):
    with workspace.transaction() as session:
        setup = practice(session, workspace.registry)
        first = log_week(session, setup, 0)
        signoff.sign_log(session, actor=setup.supervisor_actor(session), log_id=first.id)
        me = setup.associate_actor(session)
        with pytest.raises(supervision_logs.SignedLogLocked):
            supervision_logs.update_log(
                session,
                actor=me,
                log_id=first.id,
                data=week_data(setup.relationship.id, 0, direct=30),
                today=TODAY,
                expected_version=None,
            )
        with pytest.raises(supervision_logs.SignedLogLocked):
            supervision_logs.delete_log(session, actor=me, log_id=first.id)
        amendment = supervision_logs.amend_log(
            session,
            actor=me,
            log_id=first.id,
            data=week_data(setup.relationship.id, 0, direct=25, indirect=5),
            today=TODAY,
        )
        result = experience.progress(
            session, actor=me, path=setup.path, registry=workspace.registry, today=TODAY
        )
        # until the supervisor signs the amendment, the signed original counts
        assert {log.id: log.counted for log in result.logs} == {
            str(first.id): 30,
            str(amendment.id): 0,
        }
        signoff.sign_log(session, actor=setup.supervisor_actor(session), log_id=amendment.id)
        result = experience.progress(
            session, actor=me, path=setup.path, registry=workspace.registry, today=TODAY
        )
        assert {log.id: log.counted for log in result.logs} == {str(amendment.id): 30}
        assert session.get(type(first), first.id).direct == 20  # the original is kept as signed
        with pytest.raises(InputError) as overlap:  # the signed amendment holds the week now
            log_week(session, setup, 0)
        assert overlap.value.errors["start"].startswith("overlaps the log of 2026-01-05")
        report = signoff.verify_chains(session, actor=Actor.system())
        assert (report.signatures, report.broken) == (2, None)


def test_a_returned_log_is_corrected_and_goes_back_for_signature(workspace):
    with workspace.transaction() as session:
        setup = practice(session, workspace.registry)
        entry = log_week(session, setup, 0)
        boss = setup.supervisor_actor(session)
        with pytest.raises(InputError):
            signoff.return_log(session, actor=boss, log_id=entry.id, comment="  ")
        signoff.return_log(session, actor=boss, log_id=entry.id, comment="Split out group time")
        assert (entry.status, entry.review_comment) == ("returned", "Split out group time")
        with pytest.raises(InputError, match="returned, not awaiting review"):
            signoff.sign_log(session, actor=boss, log_id=entry.id)
        supervision_logs.update_log(
            session,
            actor=setup.associate_actor(session),
            log_id=entry.id,
            data=week_data(setup.relationship.id, 0, group_supervision=1, group_size=4),
            today=TODAY,
            expected_version=entry.version,
        )
        assert entry.status == "pending"
        assert [log.id for log in signoff.awaiting_review(session, actor=boss)] == [entry.id]
        signoff.sign_log(session, actor=boss, log_id=entry.id)
        assert signoff.awaiting_review(session, actor=boss) == []


@pytest.mark.parametrize(
    "tamper, why",
    [
        ("UPDATE supervisionlog SET direct = 40", "the signed log was changed after it was signed"),
        ("UPDATE signature SET signed_at = '2020-01-01 00:00:00'", "signer, time or link"),
        ("UPDATE supervisionlog SET status = 'pending'", "no longer marked signed"),
    ],
)
def test_the_chain_names_the_first_signature_a_database_change_broke(workspace, tamper, why):
    with workspace.transaction() as session:
        setup = practice(session, workspace.registry)
        boss = setup.supervisor_actor(session)
        logs = [log_week(session, setup, number) for number in range(3)]
        for entry in logs:
            signoff.sign_log(session, actor=boss, log_id=entry.id)
        target = logs[1].id
    assert_intact(workspace)
    table = "signature" if "signature" in tamper.split()[1] else "supervisionlog"
    column = "log_id" if table == "signature" else "id"
    with workspace.engine.begin() as connection:
        connection.execute(text(f"{tamper} WHERE {column} = :target"), {"target": target})
    with workspace.transaction() as session:
        report = signoff.verify_chains(session, actor=Actor.system())
    assert (report.broken.seq, report.broken.log_id) == (2, target)
    assert why in report.broken.why


def assert_intact(workspace):
    with workspace.transaction() as session:
        assert signoff.verify_chains(session, actor=Actor.system()).broken is None


def test_a_log_marked_signed_in_the_database_without_a_signature_is_caught(workspace):
    with workspace.transaction() as session:
        setup = practice(session, workspace.registry)
        forged = log_week(session, setup, 0)
    with workspace.engine.begin() as connection:
        connection.execute(
            text("UPDATE supervisionlog SET status = 'signed' WHERE id = :id"), {"id": forged.id}
        )
    with workspace.transaction() as session:
        report = signoff.verify_chains(session, actor=Actor.system())
    assert report.broken.log_id == forged.id
    assert "nobody signed it" in report.broken.why


def test_the_supervisor_is_checked_on_each_logs_dates(workspace):
    with workspace.transaction() as session:
        setup = practice(session, workspace.registry)
        boss = setup.supervisor_actor(session)
        entries = [log_week(session, setup, number) for number in range(2)]
        for entry in entries:
            signoff.sign_log(session, actor=boss, log_id=entry.id)
        me = setup.associate_actor(session)

        def reasons():
            result = experience.progress(
                session, actor=me, path=setup.path, registry=workspace.registry, today=TODAY
            )
            return {log.id: [reason_text(r) for r in log.reasons] for log in result.logs}

        assert reasons() == {str(entries[0].id): [], str(entries[1].id): []}
        license_row = session.get(Credential, setup.relationship.supervisor_credential_id)
        license_row.supervisor = False  # their LPC-S is read from their own records
        session.add(license_row)
        session.flush()
        not_qualified = (
            "Sam Supervisor did not hold the LPC-S (LPC with Council-approved supervisor "
            "status) on these dates"
        )
        assert reasons()[str(entries[0].id)] == [not_qualified]
        license_row.supervisor, license_row.expires = True, START + timedelta(days=9)
        session.add(license_row)
        session.flush()
        assert reasons() == {
            str(entries[0].id): [],
            str(entries[1].id): ["Sam Supervisor's license was not active on these dates"],
        }


def test_a_supervisor_outside_cetrack_is_checked_on_what_was_entered(workspace):
    with workspace.transaction() as session:
        setup = practice(
            session,
            workspace.registry,
            supervisor_email="",
            supervisor_credential="",
            supervisor_license_expires=date(2027, 1, 1),
        )
        assert setup.relationship.supervisor_person_id is None
        record = supervision.supervisor_record(session, setup.relationship)
        assert (record.credential, record.license_until) == (False, date(2027, 1, 1))


def test_nobody_signs_their_own_log_or_another_supervisors_associate(workspace):
    with workspace.transaction() as session:
        setup = practice(session, workspace.registry)
        entry = log_week(session, setup, 0)
        outsider = new_person(session, "kim@example.org")
        for actor in (setup.associate_actor(session), Actor.local(outsider)):
            with pytest.raises(Forbidden):
                signoff.sign_log(session, actor=actor, log_id=entry.id)
            with pytest.raises(Forbidden):
                signoff.return_log(session, actor=actor, log_id=entry.id, comment="no")
        with pytest.raises(Forbidden):
            supervision_logs.update_log(
                session,
                actor=setup.supervisor_actor(session),
                log_id=entry.id,
                data=week_data(setup.relationship.id, 0, direct=1),
                today=TODAY,
                expected_version=None,
            )
        assert entry.status == "pending"


def test_a_supervisor_signs_only_inside_the_supervisions_dates(workspace):
    with workspace.transaction() as session:
        setup = practice(session, workspace.registry)
        early = log_week(session, setup, 0)
        late = log_week(session, setup, 3)
        supervision.update_supervisor(
            session,
            actor=setup.associate_actor(session),
            relationship_id=setup.relationship.id,
            data={
                "supervisor_name": "Sam Supervisor",
                "supervisor_email": "sam@example.org",
                "supervisor_credential": "LPC-S",
                "starts_on": START,
                "ends_on": START + timedelta(weeks=2),
            },
            expected_version=setup.relationship.version,
            state="TX",
        )
        boss = setup.supervisor_actor(session)
        signoff.sign_log(session, actor=boss, log_id=early.id)
        with pytest.raises(Forbidden):
            signoff.sign_log(session, actor=boss, log_id=late.id)


def test_a_supervisor_reads_their_associates_experience_and_nothing_else(workspace):
    with workspace.transaction() as session:
        setup = practice(session, workspace.registry)
        log_week(session, setup, 0)
        boss = setup.supervisor_actor(session)
        assert len(supervision_logs.list_logs(session, actor=boss, person=setup.associate)) == 1
        rows = experience.associate_rows(
            session,
            actor=boss,
            person_ids=boss.supervised,
            registry=workspace.registry,
            today=TODAY,
        )
        assert [(row.name, row.awaiting_signature) for row in rows] == [("Pat Lee", 1)]
        with pytest.raises(Forbidden):
            supervision_logs.add_log(
                session,
                actor=boss,
                person=setup.associate,
                data=week_data(setup.relationship.id, 2),
                today=TODAY,
            )
        with pytest.raises(Forbidden):
            supervision.list_paths(
                session, actor=Actor.local(new_person(session, "x@e.org")), person=setup.associate
            )


def test_an_outsider_is_refused_every_supervision_use_case(workspace):
    with workspace.transaction() as session:
        setup = practice(session, workspace.registry)
        entry = log_week(session, setup, 0)
        owner = setup.associate
        stranger = Actor(person_id=new_person(session, "kim@example.org").id, account_id=99)
        data = week_data(setup.relationship.id, 1)
        path_data = {"rule_id": "TX/LPC", "started_on": START}
        relation = {"supervisor_name": "Kim", "starts_on": START}
        options = {"registry": workspace.registry, "today": TODAY}
        with pytest.raises(Forbidden):
            experience.counted_logs(session, actor=stranger, person=owner)
        with pytest.raises(Forbidden):
            experience.progress(session, actor=stranger, path=setup.path, **options)
        with pytest.raises(Forbidden):
            experience.scenario_of(session, actor=stranger, path=setup.path, today=TODAY)
        with pytest.raises(Forbidden):
            experience.associate_rows(session, actor=stranger, person_ids={owner.id}, **options)
        with pytest.raises(Forbidden):
            experience.associates_behind(
                session, actor=stranger, organization=Organization(id=1, name="X"), **options
            )
        with pytest.raises(Forbidden):
            signoff.signatures_of(session, actor=stranger, person=owner)
        with pytest.raises(Forbidden):
            signoff.verify_chains(session, actor=stranger)
        with pytest.raises(Forbidden):
            supervision.add_path(session, actor=stranger, person=owner, data=path_data, **options)
        with pytest.raises(Forbidden):
            supervision.get_path(session, actor=stranger, path_id=setup.path.id)
        with pytest.raises(Forbidden):
            supervision.update_path(
                session,
                actor=stranger,
                path_id=setup.path.id,
                data=path_data,
                expected_version=None,
                **options,
            )
        with pytest.raises(Forbidden):
            supervision.add_supervisor(session, actor=stranger, person=owner, data=relation)
        with pytest.raises(Forbidden):
            supervision.get_supervisor(
                session, actor=stranger, relationship_id=setup.relationship.id
            )
        with pytest.raises(Forbidden):
            supervision.update_supervisor(
                session,
                actor=stranger,
                relationship_id=setup.relationship.id,
                data=relation,
                expected_version=None,
            )
        with pytest.raises(Forbidden):
            supervision.list_supervisors(session, actor=stranger, person=owner)
        with pytest.raises(Forbidden):
            supervision_logs.get_log(session, actor=stranger, log_id=entry.id)
        with pytest.raises(Forbidden):
            supervision_logs.delete_log(session, actor=stranger, log_id=entry.id)
        with pytest.raises(Forbidden):
            supervision_logs.amend_log(
                session, actor=stranger, log_id=entry.id, data=data, today=TODAY
            )
        with pytest.raises(Forbidden):
            supervision_logs.list_logs(session, actor=stranger, person=owner)
        with pytest.raises(Forbidden):
            supervision_logs.superseded_ids(session, actor=stranger, person=owner)
        with pytest.raises(Forbidden):
            supervision_logs.next_week(session, actor=stranger, person=owner)
        with pytest.raises(Forbidden):
            supervision_logs.add_logs(
                session, actor=stranger, person=owner, rows=[data], today=TODAY
            )
        assert supervision_logs.list_logs(
            session, actor=setup.associate_actor(session), person=owner
        ) == [entry]
