"""Evaluation as a read model: one entry counts for every credential; results are stored with
roster columns, marked dirty by writes in the same transaction, valid until a stored date, and
concurrent first evaluations never fail."""

from __future__ import annotations

import threading
from datetime import date, timedelta

from sqlmodel import select

from cetrack.db.models import Evaluation
from cetrack.engine.ce import evaluate_ce
from cetrack.rules.registry import Registry
from cetrack.services import activities, credentials, evaluation
from cetrack.services.actor import Actor
from cetrack.wording import pace_sentence
from tests.services.helpers import TODAY, activity_data, log, me, new_person


def setup_person(session, workspace):
    person = new_person(session)
    texas = credentials.add_credential(
        session,
        actor=me(person),
        person=person,
        data={"rule_id": "TX/LPC", "expires": date(2027, 6, 30), "issued": date(2015, 6, 15)},
        registry=workspace.registry,
        today=TODAY,
    )
    florida = credentials.add_credential(
        session,
        actor=me(person),
        person=person,
        data={"rule_id": "FL/LMHC", "issued": date(2018, 5, 1)},
        registry=workspace.registry,
        today=TODAY,
    )
    log(session, person)
    return person, texas, florida


def statuses(session, workspace, person, today=TODAY):
    return evaluation.credential_statuses(
        session, actor=me(person), person=person, registry=workspace.registry, today=today
    )


def row(session, credential) -> Evaluation:
    return session.exec(select(Evaluation).where(Evaluation.credential_id == credential.id)).one()


def by_rule(found):
    return {status.rule.id: status for status in found}


def test_one_entry_counts_toward_every_credential(workspace):
    with workspace.transaction() as session:
        person, _, _ = setup_person(session, workspace)
        results = {
            rule: s.result for rule, s in by_rule(statuses(session, workspace, person)).items()
        }
    ethics = next(item for item in results["TX/LPC"].requirements if item.id == "ethics")
    assert (ethics.required, ethics.counted, ethics.remaining) == (6, 3, 3)
    assert results["TX/LPC"].total.counted == 3
    assert results["FL/LMHC"].total.counted == 3


def test_a_stored_result_carries_the_roster_columns(workspace):
    with workspace.transaction() as session:
        person, texas, _ = setup_person(session, workspace)
        result = by_rule(statuses(session, workspace, person))["TX/LPC"].result
        stored = row(session, texas)
    assert not stored.dirty
    assert stored.status == result.status == "incomplete"
    assert (stored.deadline, stored.cycle_start) == (result.deadline, result.cycle.start)
    assert stored.hours_remaining == result.total.remaining
    assert stored.minimal_additional == result.minimal_additional
    assert stored.rule_hash == workspace.registry.hash_of("TX/LPC")
    assert stored.evaluated_on == TODAY and stored.valid_until > TODAY


def test_every_write_marks_the_result_dirty_in_its_transaction(workspace):
    with workspace.transaction() as session:
        person, texas, _ = setup_person(session, workspace)
        statuses(session, workspace, person)
    steps = {
        "log": lambda s: log(
            s, person, title="Cultural humility", categories=["cultural_competency"]
        ),
        "delete": lambda s: activities.delete_activity(
            s,
            actor=me(person),
            activity_id=activities.list_activities(s, actor=me(person), person=person)[0].id,
        ),
        "edit credential": lambda s: credentials.update_credential(
            s,
            actor=me(person),
            credential_id=texas.id,
            data={"rule_id": "TX/LPC", "expires": date(2027, 6, 30), "supervisor": True},
            registry=workspace.registry,
            today=TODAY,
            expected_version=None,
        ),
    }
    for name, step in steps.items():
        with workspace.transaction() as session:
            before = row(session, texas).generation
            step(session)
            after = row(session, texas)
            assert after.dirty and after.generation == before + 1, name
        with workspace.transaction() as session:
            statuses(session, workspace, person)
            assert not row(session, texas).dirty, name


def test_a_current_result_is_read_not_recomputed(workspace):
    with workspace.transaction() as session:
        person, texas, _ = setup_person(session, workspace)
        statuses(session, workspace, person)
        first = row(session, texas).computed_at
    with workspace.transaction() as session:
        later = TODAY + timedelta(days=30)
        status = by_rule(statuses(session, workspace, person, today=later))["TX/LPC"]
        assert row(session, texas).computed_at == first
    # read on a later day: the same result, with that day's figures
    assert status.result.as_of == later
    assert status.result.days_left(later) == (date(2027, 6, 30) - later).days


def test_a_changed_rule_file_makes_the_result_stale(workspace):
    with workspace.transaction() as session:
        person, texas, _ = setup_person(session, workspace)
        statuses(session, workspace, person)
    changed = Registry(shared=workspace.registry.shared)
    for rule in workspace.registry.rules.values():
        changed.add(rule)
    texas_rule = workspace.registry.get("TX/LPC")
    changed.add(texas_rule.model_copy(update={"title": texas_rule.title + " (edited)"}))
    assert changed.hash_of("TX/LPC") != workspace.registry.hash_of("TX/LPC")
    with workspace.transaction() as session:
        assert evaluation.needing_evaluation(
            session, actor=Actor.system(), registry=changed, today=TODAY
        ) == [person.id]
        evaluation.credential_statuses(
            session, actor=me(person), person=person, registry=changed, today=TODAY
        )
        assert row(session, texas).rule_hash == changed.hash_of("TX/LPC")


def test_the_stored_result_holds_until_its_valid_until_date(workspace, registry):
    """Evaluating afresh on any day in [evaluated_on, valid_until) gives the stored result
    (with that day's date); on valid_until it may differ and is recomputed."""
    with workspace.transaction() as session:
        person, texas, florida = setup_person(session, workspace)
        found = by_rule(statuses(session, workspace, person))
        records = [
            activities.engine_record(a)
            for a in activities.list_activities(session, actor=me(person), person=person)
        ]
        stored = {credential.id: row(session, credential) for credential in (texas, florida)}
    for credential in (texas, florida):
        status = found[credential.rule_id]
        until = stored[credential.id].valid_until
        facts = evaluation.license_facts(credential, person)
        for day in (
            TODAY + timedelta(days=1),
            TODAY + timedelta(days=200),
            until - timedelta(days=1),
        ):
            if day >= until:
                continue
            fresh = evaluate_ce(registry.get(credential.rule_id), facts, records, day)
            assert fresh.model_dump() == status.result.on(day).model_dump() | {
                "valid_until": fresh.valid_until
            }
    # both expirations are stored on the credential (derived once, when it was added), and
    # no activity is dated later: nothing but a write can change these results
    assert {stored[c.id].valid_until for c in (texas, florida)} == {date.max}


def test_an_activity_dated_after_the_evaluation_day_bounds_the_result(registry):
    """Evaluated on a pinned earlier day, an activity dated later is not yet counted; the
    result is valid only until that activity's date."""
    from tests.factories import activity, facts

    rule = registry.get("TX/LPC")
    records = [
        activity("now", "2026-01-10", 3, "ethics"),
        activity("later", "2026-03-01", 3, "ethics"),
    ]
    license_facts = facts(expires="2027-06-30", issued="2015-06-15")
    early = evaluate_ce(rule, license_facts, records, date(2026, 2, 1))
    assert early.valid_until == date(2026, 3, 1)
    assert early.activity("later").counted == 0
    assert evaluate_ce(rule, license_facts, records, date(2026, 2, 28)).total == early.total
    assert evaluate_ce(rule, license_facts, records, date(2026, 3, 1)).total.counted == 6
    derived = evaluate_ce(
        rule, facts(issued="2015-06-15", birth_date="1984-06-02"), records[:1], date(2026, 2, 1)
    )
    assert derived.valid_until == derived.deadline + timedelta(days=1)


def test_concurrent_first_evaluations_never_fail(workspace):
    with workspace.transaction() as session:
        person, texas, _ = setup_person(session, workspace)
    errors, results = [], []

    def first_view():
        try:
            with workspace.transaction() as session:
                results.append(by_rule(statuses(session, workspace, person))["TX/LPC"].result)
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=first_view) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len({result.model_dump_json() for result in results}) == 1
    with workspace.transaction() as session:
        assert not row(session, texas).dirty


def test_pace_says_whether_the_deadline_will_be_met(workspace):
    with workspace.transaction() as session:
        person, _, _ = setup_person(session, workspace)
        texas = by_rule(statuses(session, workspace, person))["TX/LPC"]
    # the only activity (2026-02-01) is older than the 180-day window: no recent pace
    assert not texas.pace.on_track
    assert texas.pace.remaining == 21
    assert pace_sentence(texas.pace, date(2027, 6, 30)) == (
        "Behind: at your recent pace (0.0 h a month) you will add about 0 h by 2027-06-30, "
        "but 21 h are still needed (about 2.9 h a month)."
    )


def test_batch_evaluation_brings_every_stale_result_current(workspace):
    with workspace.transaction() as session:
        person, texas, florida = setup_person(session, workspace)
        log(session, person, title="Later course", amount=2, completed=date(2026, 3, 1))
    with workspace.transaction() as session:
        persons = evaluation.needing_evaluation(
            session, actor=Actor.system(), registry=workspace.registry, today=TODAY
        )
        assert persons == [person.id]
        count = evaluation.evaluate_persons(
            session,
            actor=Actor.system(),
            person_ids=persons,
            registry=workspace.registry,
            today=TODAY,
        )
    assert count == 2
    with workspace.transaction() as session:
        assert (
            evaluation.needing_evaluation(
                session, actor=Actor.system(), registry=workspace.registry, today=TODAY
            )
            == []
        )
        assert all(not row(session, credential).dirty for credential in (texas, florida))
    assert activity_data()["amount"] == 3
