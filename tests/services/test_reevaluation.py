"""Batch re-evaluation on real SQLite and PostgreSQL: every dirty row is stored once with the
result a fresh evaluation gives, a write that lands during a batch is never lost, and on
PostgreSQL three worker processes share one dirty set while one of them is killed holding a
batch."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import threading
import time
from datetime import date, timedelta

import pytest
from sqlmodel import select

from cetrack.db.engine import get_engine
from cetrack.db.migrate import upgrade
from cetrack.db.models import Credential, Evaluation, Person
from cetrack.services import credentials, evaluation, reevaluation, synthetic_org
from cetrack.services.actor import Actor
from cetrack.services.errors import Forbidden
from cetrack.services.workspace import Workspace
from tests.services.helpers import TODAY, log, new_person

RULES = ("TX/LPC", "NY/LMHC", "FL/LMHC", "national/NCC", "CA/LMFT", "OH/LPCC")
TOPICS = ("ethics", "cultural_competency", "trauma", "clinical", "suicide_prevention")
FORMATS = ("in_person", "live_online", "self_study")


def populate(session, registry, persons: int) -> list[int]:
    """`persons` clinicians with one to three credentials and a few years of CE each; returns
    the credential ids."""
    rng = random.Random(11)
    ids = []
    for index in range(persons):
        person = new_person(session, email=f"p{index}@example.org")
        for rule_id in rng.sample([rule for rule in RULES if rule in registry], rng.randint(1, 3)):
            credential = credentials.add_credential(
                session,
                actor=Actor.local(person),
                person=person,
                data={"rule_id": rule_id, "number": f"N{index}", "issued": date(2014, 3, 1)},
                registry=registry,
                today=TODAY,
            )
            ids.append(credential.id)
        for count in range(rng.randint(3, 12)):
            log(
                session,
                person,
                title=f"Course {count}",
                completed=TODAY - timedelta(days=rng.randrange(1400)),
                amount=rng.choice([1, 2, 3, 6]),
                categories=rng.sample(TOPICS, rng.choice([1, 1, 2])),
                format=rng.choice(FORMATS),
            )
    return ids


def fresh_result(session, registry, credential: Credential) -> dict | None:
    """The credential evaluated on its own, through the one-credential path."""
    person = session.get(Person, credential.person_id)
    result, _ = evaluation.evaluate_credential(
        registry.get(credential.rule_id),
        credential,
        person,
        evaluation._activity_records(session, person.id),
        registry,
        TODAY,
        lambda home_id: session.get(Credential, home_id),
    )
    return result.model_dump(mode="json") if result else None


def fresh_results(session, registry) -> dict[int, dict | None]:
    return {
        credential.id: fresh_result(session, registry, credential)
        for credential in session.exec(select(Credential)).all()
    }


def stored_results(session) -> dict[int, dict | None]:
    rows = session.exec(select(Evaluation)).all()
    assert not [row.credential_id for row in rows if row.dirty]
    return {row.credential_id: row.result for row in rows}


def mark_everything(workspace) -> int:
    return reevaluation.mark_stale(
        workspace.engine, workspace.registry, TODAY, actor=Actor.system(), everything=True
    )


@pytest.mark.parametrize("workers", [1, 2])
def test_every_dirty_row_is_stored_once_with_a_fresh_evaluations_result(
    workspace, database_url, workers
):
    with workspace.transaction() as session:
        ids = populate(session, workspace.registry, persons=12)
    assert mark_everything(workspace) == len(ids)
    heard = []
    stored = reevaluation.run(
        database_url,
        workspace.registry,
        TODAY,
        actor=Actor.system(),
        workers=workers,
        batch=4,
        progress=heard.append,
    )
    assert stored == len(ids) == sum(heard)
    with workspace.transaction() as session:
        assert stored_results(session) == fresh_results(session, workspace.registry)
    # current results are left alone; every one is taken again when asked
    assert (
        reevaluation.mark_stale(
            workspace.engine, workspace.registry, TODAY, actor=Actor.system(), everything=False
        )
        == 0
    )
    assert mark_everything(workspace) == len(ids)


def test_a_write_during_a_batch_is_never_lost(workspace):
    with workspace.transaction() as session:
        populate(session, workspace.registry, persons=3)
        person = session.exec(select(Person).order_by(Person.id)).first()
    mark_everything(workspace)
    writes: list[threading.Thread] = []
    logged: list[str] = []

    def write_once(event, ids):
        if event == "claimed" and not writes:

            def add_course():
                with workspace.transaction() as session:
                    added = log(session, session.get(Person, person.id), title="Logged meanwhile")
                    logged.append(str(added.id))

            writes.append(threading.Thread(target=add_course))
            writes[0].start()
            writes[0].join(timeout=1)  # on PostgreSQL it waits for this batch to commit

    reevaluation.work(
        workspace.engine,
        workspace.registry,
        TODAY,
        actor=Actor.system(),
        batch=50,
        report=write_once,
    )
    writes[0].join()
    reevaluation.work(workspace.engine, workspace.registry, TODAY, actor=Actor.system())
    with workspace.transaction() as session:
        stored = stored_results(session)
        assert stored == fresh_results(session, workspace.registry)
        mine = session.exec(select(Credential.id).where(Credential.person_id == person.id)).all()
        assert all(
            any(item["id"] == logged[0] for item in stored[key]["activities"]) for key in mine
        )


def test_a_defect_on_one_license_is_stored_as_its_error_and_the_others_go_on(
    workspace, monkeypatch
):
    with workspace.transaction() as session:
        ids = populate(session, workspace.registry, persons=4)
    broken = ids[1]
    real = reevaluation.evaluate_credential

    def failing(rule, credential, *args):
        if credential.id == broken:
            raise AssertionError("an invariant the engine checks")
        return real(rule, credential, *args)

    monkeypatch.setattr(reevaluation, "evaluate_credential", failing)
    mark_everything(workspace)
    stored = reevaluation.work(workspace.engine, workspace.registry, TODAY, actor=Actor.system())
    assert stored == len(ids)
    with workspace.transaction() as session:
        rows = {row.credential_id: row for row in session.exec(select(Evaluation))}
    assert rows[broken].status == "error" and rows[broken].error.startswith(
        "cetrack could not evaluate this license (AssertionError: an invariant the engine checks)"
    )
    assert all(rows[key].status not in ("", "error") for key in ids if key != broken)


def test_only_cetrack_itself_evaluates_in_batch(workspace, database_url):
    with workspace.transaction() as session:
        someone = Actor.local(new_person(session))
    with pytest.raises(Forbidden):
        reevaluation.mark_stale(
            workspace.engine, workspace.registry, TODAY, actor=someone, everything=True
        )
    with pytest.raises(Forbidden):
        reevaluation.run(database_url, workspace.registry, TODAY, actor=someone, workers=1)


def _worker(url, registry, events, victim: bool) -> None:
    """One of the test's worker processes: says what it claimed and stored; the victim
    stops at its second claim, holding those rows unstored, to be killed there."""
    engine = get_engine(url)
    engine.dispose(close=False)
    claims = 0

    def report(event, ids):
        nonlocal claims
        events.put((event, list(ids)))
        claims += event == "claimed"
        if victim and claims == 2:
            time.sleep(120)

    reevaluation.work(engine, registry, TODAY, actor=Actor.system(), batch=3, report=report)
    events.put(("finished", []))


def test_three_workers_share_the_work_and_a_killed_one_loses_nothing(postgres_url, registry):
    workspace = Workspace(engine=get_engine(postgres_url), registry=registry, files_dir=None)
    upgrade(workspace.engine)
    with workspace.transaction() as session:
        ids = populate(session, registry, persons=14)
    mark_everything(workspace)
    context = multiprocessing.get_context("fork")
    victims_events, others_events = context.Queue(), context.Queue()
    victim = context.Process(target=_worker, args=(postgres_url, registry, victims_events, True))
    victim.start()
    said = [victims_events.get(timeout=30) for _ in range(3)]
    assert [event for event, _ in said] == ["claimed", "stored", "claimed"]
    stored_by_victim, held = said[1][1], said[2][1]
    others = [
        context.Process(target=_worker, args=(postgres_url, registry, others_events, False))
        for _ in range(2)
    ]
    for process in others:
        process.start()
    time.sleep(1)  # the others work around the victim's locked rows
    os.kill(victim.pid, signal.SIGKILL)
    victim.join()
    stored_by_others: list[int] = []
    finished = 0
    while finished < 2:
        event, found = others_events.get(timeout=60)
        stored_by_others += found if event == "stored" else []
        finished += event == "finished"
    for process in others:
        process.join(timeout=10)
    assert sorted(stored_by_victim + stored_by_others) == sorted(ids)  # each exactly once
    assert set(held) <= set(stored_by_others)  # the killed worker's batch was claimed again
    with workspace.transaction() as session:
        assert stored_results(session) == fresh_results(session, registry)
    workspace.engine.dispose()


@pytest.mark.slow
def test_a_sample_of_200_licenses_of_a_generated_organization_equals_the_engine_alone(
    workspace, database_url
):
    """The issue's check: after a full batch re-evaluation with two workers, 200 credentials
    drawn at random from a synthetic organization hold exactly what the one-credential path
    computes for each on its own."""
    synthetic_org.generate_organization(
        workspace, actor=Actor.system(), clinicians=150, seed=4, today=TODAY
    )
    mark_everything(workspace)
    reevaluation.run(
        database_url, workspace.registry, TODAY, actor=Actor.system(), workers=2, batch=40
    )
    with workspace.transaction() as session:
        stored = stored_results(session)
        sample = random.Random(9).sample(sorted(stored), 200)
        for credential_id in sample:
            credential = session.get(Credential, credential_id)
            expected = fresh_result(session, workspace.registry, credential)
            assert expected is not None and stored[credential_id] == expected, credential.rule_id
