"""Evaluating many credentials at once: the read model's dirty rows are claimed in batches,
each batch's inputs read with a few queries (never one a credential), evaluated, and stored.

- PostgreSQL: a batch is claimed with `SELECT … FOR UPDATE SKIP LOCKED` and evaluated inside
  that transaction, so any number of workers on any number of machines share the dirty rows
  with no coordinator; a worker that dies rolls back and its rows are claimed again. Writers
  that mark a claimed row dirty wait for its worker's commit, and mark it again afterwards.
- SQLite: one writer at a time, so workers read without the write lock (each takes the rows
  whose person id falls in its share), evaluate, then store under the lock only the rows
  whose generation is still the one read; a row written meanwhile stays dirty for the next
  pass.

Memory is bounded by the batch: one batch's persons, credentials and activities at a time.
"""

from __future__ import annotations

import multiprocessing
import os
import queue as queues
import time
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, update
from sqlalchemy.engine import Connection, Engine
from sqlmodel import select

from cetrack.db.engine import get_engine, read_engine
from cetrack.db.models import Credential, Evaluation, Person
from cetrack.rules.registry import Registry
from cetrack.services.actor import Actor
from cetrack.services.evaluation import (
    activity_records,
    evaluate_credential,
    is_current,
    live_activities,
    stored_values,
)
from cetrack.services.policy import Action, require
from cetrack.wording import internal_error_text

DEFAULT_BATCH = 200
_IDLE_PAUSE_S = 0.2  # a worker waits this long when the only dirty rows are claimed by others

# what a worker tells the one who started it: ("claimed" | "stored", credential ids)
Report = Callable[[str, Sequence[int]], None]


@dataclass(frozen=True)
class Share:
    """Which dirty rows a SQLite worker takes: those whose person id is `index` modulo
    `count` (PostgreSQL workers need no share: they skip each other's locked rows)."""

    index: int = 0
    count: int = 1


# --- marking -------------------------------------------------------------------------------


def mark_stale(
    engine: Engine, registry: Registry, today: date, *, actor: Actor, everything: bool
) -> int:
    """Mark dirty every result that is not current on `today` (every one, with `everything`),
    for credentials whose rule is loaded; returns how many rows are dirty now."""
    require(actor, Action.UPDATE, Evaluation())
    loaded = sorted(registry.rules)
    with engine.begin() as connection:
        rows = connection.execute(
            select(
                Evaluation.id,
                Credential.rule_id,
                Evaluation.dirty,
                Evaluation.rule_hash,
                Evaluation.evaluated_on,
                Evaluation.valid_until,
            )
            .join(Credential, Credential.id == Evaluation.credential_id)
            .where(Credential.deleted_at.is_(None), Credential.rule_id.in_(loaded))
        ).all()
        stale = [
            row.id
            for row in rows
            if not row.dirty
            and (everything or not is_current(row, registry.hash_of(row.rule_id), today))
        ]
        for start in range(0, len(stale), 5000):
            connection.execute(
                update(Evaluation)
                .where(Evaluation.id.in_(stale[start : start + 5000]))
                .values(dirty=True, generation=Evaluation.generation + 1)
            )
    return sum(row.dirty for row in rows) + len(stale)


# --- one batch -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Claimed:
    evaluation_id: int
    generation: int
    credential_id: int
    person_id: int


def _dirty_rows(registry: Registry, share: Share, batch: int):
    statement = (
        select(Evaluation.id, Evaluation.generation, Evaluation.credential_id, Credential.person_id)
        .join(Credential, Credential.id == Evaluation.credential_id)
        .where(
            Evaluation.dirty,
            Credential.deleted_at.is_(None),
            Credential.rule_id.in_(sorted(registry.rules)),
        )
        .order_by(Credential.person_id, Evaluation.id)
        .limit(batch)
    )
    if share.count > 1:
        statement = statement.where(Credential.person_id % share.count == share.index)
    return statement


def _claim(connection: Connection, registry: Registry, share: Share, batch: int) -> list:
    statement = _dirty_rows(registry, share, batch)
    if connection.dialect.name == "postgresql":
        statement = statement.with_for_update(of=Evaluation, skip_locked=True)
    return [_Claimed(*row) for row in connection.execute(statement)]


def _any_dirty(connection: Connection, registry: Registry, share: Share) -> bool:
    return connection.execute(_dirty_rows(registry, share, 1)).first() is not None


def _evaluate_batch(
    connection: Connection, claimed: list[_Claimed], registry: Registry, today: date
) -> list[dict]:
    """The rows to store for the claimed credentials: their persons' credentials and
    activities are read with one query each, after the generations were read."""
    wanted = {row.credential_id: row for row in claimed}
    person_ids = sorted({row.person_id for row in claimed})
    persons = {
        person.id: person
        for person in connection.execute(select(Person).where(Person.id.in_(person_ids)))
    }
    credentials = {
        credential.id: credential
        for credential in connection.execute(
            select(Credential).where(Credential.person_id.in_(person_ids))
        )
    }
    activities = activity_records(connection.execute(live_activities(person_ids)))
    values = []
    for credential_id, claim in wanted.items():
        credential = credentials[credential_id]
        rule = registry.get(credential.rule_id)
        try:
            result, error = evaluate_credential(
                rule,
                credential,
                persons[credential.person_id],
                activities.get(credential.person_id, []),
                registry,
                today,
                credentials.get,
            )
        except Exception as failure:  # one license's defect must not stop the others
            result, error = None, internal_error_text(failure)
        stored = stored_values(registry.hash_of(credential.rule_id), today, result, error)
        values.append({"b_id": claim.evaluation_id, "b_generation": claim.generation, **stored})
    return values


def _store(connection: Connection, values: list[dict]) -> list[int]:
    """Store the rows whose generation is still the one read; returns their ids. Runs under
    the write lock (SQLite) or the rows' locks (PostgreSQL), so nothing changes in between."""
    if not values:
        return []
    generations = dict(
        connection.execute(
            select(Evaluation.id, Evaluation.generation).where(
                Evaluation.id.in_([item["b_id"] for item in values])
            )
        ).all()
    )
    current = [item for item in values if generations.get(item["b_id"]) == item["b_generation"]]
    if current:
        columns = {key: bindparam(key) for key in current[0] if not key.startswith("b_")}
        connection.execute(
            update(Evaluation)
            .where(Evaluation.id == bindparam("b_id"))
            .values(**columns)
            .execution_options(synchronize_session=False),
            current,
        )
    return [item["b_id"] for item in current]


# --- a worker ------------------------------------------------------------------------------


def _next_batch(
    engine: Engine, registry: Registry, today: date, batch: int, share: Share, report
) -> list[int] | None:
    """Claim, evaluate and store one batch; the credential ids stored, [] when the only
    dirty rows left are claimed by others, None when no dirty row is left."""
    postgres = engine.dialect.name == "postgresql"
    with (
        read_engine(engine).connect() as connection,
        connection.begin() if postgres else nullcontext(),
    ):
        claimed = _claim(connection, registry, share, batch)
        if not claimed:
            return [] if _any_dirty(connection, registry, share) else None
        if report:
            report("claimed", [row.credential_id for row in claimed])
        values = _evaluate_batch(connection, claimed, registry, today)
        if postgres:  # the claimed rows stay locked until this commits
            done = _store(connection, values)
    if not postgres:
        with engine.begin() as connection:
            done = _store(connection, values)
    by_id = {row.evaluation_id: row.credential_id for row in claimed}
    return [by_id[evaluation_id] for evaluation_id in done]


def work(
    engine: Engine,
    registry: Registry,
    today: date,
    *,
    actor: Actor,
    batch: int = DEFAULT_BATCH,
    share: Share = Share(),
    report: Report | None = None,
) -> int:
    """Evaluate dirty rows batch by batch until none is left; returns how many were stored."""
    require(actor, Action.UPDATE, Evaluation())
    stored = 0
    while (done := _next_batch(engine, registry, today, batch, share, report)) is not None:
        if not done:  # dirty rows remain, claimed by a worker that has not committed yet
            time.sleep(_IDLE_PAUSE_S)
            continue
        stored += len(done)
        if report:
            report("stored", done)
    return stored


# --- several workers -----------------------------------------------------------------------


def default_workers() -> int:
    return os.cpu_count() or 1


def _worker_main(
    url: str, registry: Registry, today: date, batch: int, share: Share, index: int, queue
) -> None:
    engine = get_engine(url)
    engine.dispose(close=False)  # the parent's pooled connections are not ours
    work(
        engine,
        registry,
        today,
        actor=Actor.system(),
        batch=batch,
        share=share,
        report=lambda event, ids: queue.put((event, index, len(ids))),
    )
    queue.put(("finished", index, 0))


class WorkerFailed(RuntimeError):
    """A worker process stopped before the work was done (what it claimed stays dirty)."""


def run(
    url: str,
    registry: Registry,
    today: date,
    *,
    actor: Actor,
    workers: int,
    batch: int = DEFAULT_BATCH,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Evaluate every dirty row with `workers` processes (1: in this process); `progress`
    hears how many credentials each stored batch held. Returns how many were stored."""
    require(actor, Action.UPDATE, Evaluation())
    if workers <= 1:

        def hear(event: str, ids: Sequence[int]) -> None:
            if progress and event == "stored":
                progress(len(ids))

        return work(get_engine(url), registry, today, actor=actor, batch=batch, report=hear)
    postgres = get_engine(url).dialect.name == "postgresql"
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    queue = context.Queue()
    processes = [
        context.Process(
            target=_worker_main,
            args=(
                url,
                registry,  # a forked worker shares the parent's loaded rules
                today,
                batch,
                Share() if postgres else Share(index, workers),
                index,
                queue,
            ),
        )
        for index in range(workers)
    ]
    for process in processes:
        process.start()
    stored = 0
    running = set(range(workers))
    while running:
        try:
            event, index, count = queue.get(timeout=0.5)
        except queues.Empty:  # a worker that died says nothing: stop waiting for it
            running -= {i for i in running if processes[i].exitcode not in (None, 0)}
            continue
        if event == "stored":
            stored += count
            if progress:
                progress(count)
        elif event == "finished":
            running.discard(index)
    for process in processes:
        process.join()
    failed = [process.exitcode for process in processes if process.exitcode]
    if failed:
        raise WorkerFailed(
            f"{len(failed)} evaluation worker(s) stopped with exit code {failed[0]}; "
            "what they had claimed stays dirty for the next run"
        )
    return stored
