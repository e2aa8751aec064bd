"""Many writers at once, on SQLite and PostgreSQL: threads through the services and processes
through `cetrack log` and `cetrack import ce`, while readers evaluate. Afterwards there are no
errors, every write is present exactly once, and every stored result equals a fresh one."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from cetrack.db.models import Activity, Evaluation
from cetrack.engine.ce import evaluate_ce
from cetrack.engine.results import CEResult
from cetrack.services import activities, credentials, evaluation
from tests.services.helpers import TODAY, activity_data, me, new_person

ROOT = Path(__file__).resolve().parents[2]
THREADS, PER_THREAD, PROCESSES = 20, 25, 8
pytestmark = pytest.mark.slow


def people_with_licenses(workspace, count: int):
    with workspace.transaction() as session:
        people = [new_person(session, email=f"writer{n}@example.org") for n in range(count)]
        for person in people:
            for rule_id in ("TX/LPC", "NY/LMHC"):
                credentials.add_credential(
                    session,
                    actor=me(person),
                    person=person,
                    data={"rule_id": rule_id, "expires": date(2027, 6, 30)},
                    registry=workspace.registry,
                    today=TODAY,
                )
    return people


def day(n: int) -> date:
    return date(2025, 8, 1) + timedelta(days=n % 450)


def assert_results_match_a_fresh_evaluation(workspace, people):
    """Clean stored results must already be right; after reading, every one is clean."""
    with workspace.transaction() as session:
        for person in people:
            records = [
                activities.engine_record(activity)
                for activity in activities.list_activities(session, actor=me(person), person=person)
            ]
            for credential in credentials.list_credentials(
                session, actor=me(person), person=person
            ):
                stored = session.exec(
                    select(Evaluation).where(Evaluation.credential_id == credential.id)
                ).one()
                fresh = evaluate_ce(
                    workspace.registry.get(credential.rule_id),
                    evaluation.license_facts(credential, person),
                    records,
                    TODAY,
                )
                if not stored.dirty:
                    assert CEResult.model_validate(stored.result).on(TODAY) == fresh.on(TODAY)
        for person in people:
            evaluation.credential_statuses(
                session, actor=me(person), person=person, registry=workspace.registry, today=TODAY
            )
        assert session.exec(select(Evaluation).where(Evaluation.dirty)).all() == []


def test_twenty_threads_writing_and_reading_at_once(workspace):
    people = people_with_licenses(workspace, 4)
    errors: list[BaseException] = []
    done = threading.Event()

    def writer(n: int):
        person = people[n % len(people)]
        try:
            for i in range(PER_THREAD):
                with workspace.transaction() as session:
                    activities.log_activity(
                        session,
                        actor=me(person),
                        person=person,
                        data=activity_data(title=f"Course {n}-{i}", completed=day(n * 31 + i)),
                        today=TODAY,
                    )
        except BaseException as error:
            errors.append(error)

    def reader():
        try:
            while not done.is_set():
                for person in people:
                    with workspace.transaction() as session:
                        evaluation.credential_statuses(
                            session,
                            actor=me(person),
                            person=person,
                            registry=workspace.registry,
                            today=TODAY,
                        )
        except BaseException as error:
            errors.append(error)

    readers = [threading.Thread(target=reader) for _ in range(2)]
    writers = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join()
    done.set()
    for thread in readers:
        thread.join()
    assert errors == []
    with workspace.transaction() as session:
        titles = session.exec(select(Activity.title)).all()
    assert len(titles) == THREADS * PER_THREAD == len(set(titles))
    assert_results_match_a_fresh_evaluation(workspace, people)


def test_eight_processes_logging_and_importing_through_the_command_line(
    database_url, tmp_path, registry
):
    from cetrack.db.engine import get_engine
    from cetrack.db.migrate import upgrade
    from cetrack.services.workspace import Workspace

    data_dir = tmp_path / "data"
    engine = get_engine(database_url)
    upgrade(engine)
    workspace = Workspace(engine=engine, registry=registry, files_dir=data_dir / "certificates")
    people = people_with_licenses(workspace, 2)
    env = {
        **os.environ,
        "CETRACK_DATABASE_URL": database_url,
        "CETRACK_DATA_DIR": str(data_dir),
        "CETRACK_TODAY": TODAY.isoformat(),
    }
    scripts = []
    for n in range(PROCESSES):
        email = people[n % 2].email
        rows = "".join(f"Imported {n}-{i},{day(n * 7 + i)},2,in_person,trauma\n" for i in range(10))
        csv_path = tmp_path / f"import-{n}.csv"
        csv_path.write_text("title,completed,amount,format,categories\n" + rows, "utf-8")
        commands = [
            [
                "log",
                "--person",
                email,
                "--title",
                f"Logged {n}-{i}",
                "--date",
                str(day(n + i)),
                "--hours",
                "1.5",
                "--category",
                "ethics",
            ]
            for i in range(3)
        ]
        commands.append(["import", "ce", "--person", email, str(csv_path)])
        commands.append(["import", "ce", "--person", email, str(csv_path)])  # the same file again
        scripts.append(commands)
    program = (
        "import sys, json\nfrom cetrack.cli import main\n"
        "codes = [main(args) for args in json.loads(sys.argv[1])]\n"
        "sys.exit(max(codes))\n"
    )
    import json

    processes = [
        subprocess.Popen(
            [sys.executable, "-c", program, json.dumps(commands)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for commands in scripts
    ]
    failures = [
        process.communicate(timeout=300)[1] for process in processes if process.wait(timeout=300)
    ]
    assert failures == []
    with workspace.transaction() as session:
        titles = session.exec(select(Activity.title)).all()
    assert len(titles) == PROCESSES * (3 + 10) == len(set(titles))
    assert_results_match_a_fresh_evaluation(workspace, people)
    engine.dispose()
