"""The audit trail's SHA-256 chain on SQLite and PostgreSQL: every committed event is sealed,
and `cetrack audit verify` names the first event changed or missing in the database."""

from __future__ import annotations

from itertools import pairwise

import pytest
from sqlalchemy import text
from sqlmodel import select

from cetrack.cli import main
from cetrack.db.models import AuditEvent
from cetrack.services import activities, audit
from cetrack.services.actor import Actor
from cetrack.services.workspace import open_workspace
from cetrack.settings import get_settings
from tests.services.helpers import TODAY, activity_data, me, new_person


def _log_three(workspace):
    with workspace.transaction() as session:
        person = new_person(session)
    for title in ("One", "Two", "Three"):
        with workspace.transaction() as session:
            activities.log_activity(
                session,
                actor=me(person),
                person=person,
                data=activity_data(title=title),
                today=TODAY,
            )


def _chain(workspace) -> list[AuditEvent]:
    with workspace.transaction() as session:
        return list(session.exec(select(AuditEvent).order_by(AuditEvent.seq)))


def _verify(workspace):
    with workspace.transaction() as session:
        return audit.verify_chain(session, actor=Actor.system())


def test_every_committed_event_is_sealed_into_one_chain(workspace):
    _log_three(workspace)
    events = _chain(workspace)
    assert [event.seq for event in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == audit.GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(events))
    assert all(event.hash == audit.event_hash(event.prev_hash, event) for event in events)
    assert _verify(workspace).broken is None


@pytest.mark.parametrize(
    ("tamper", "why"),
    [
        ("UPDATE auditevent SET entity_id = 12345 WHERE seq = 2", "its content was changed"),
        ("UPDATE auditevent SET actor_person_id = 99 WHERE seq = 2", "its content was changed"),
        ("DELETE FROM auditevent WHERE seq = 2", "the events numbered 2 to 2 are missing"),
    ],
)
def test_verify_names_the_first_event_changed_in_the_database(workspace, tamper, why):
    _log_three(workspace)
    with workspace.engine.begin() as connection:
        connection.execute(text(tamper))
    broken = _verify(workspace).broken
    assert broken is not None and broken.seq in (2, 3) and why in broken.why


def test_a_forged_event_with_its_hash_recomputed_breaks_the_next_link(workspace):
    _log_three(workspace)
    events = _chain(workspace)
    forged = events[1]
    forged.detail = {"after": "forged"}
    new_hash = audit.event_hash(forged.prev_hash, forged)
    with workspace.engine.begin() as connection:
        connection.execute(
            text("UPDATE auditevent SET detail = :detail, hash = :hash WHERE seq = 2"),
            {"detail": '{"after": "forged"}', "hash": new_hash},
        )
    broken = _verify(workspace).broken
    assert broken.seq == 3 and "link to the event before it" in broken.why


def test_cetrack_audit_verify_exits_1_at_a_break(database_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CETRACK_DATABASE_URL", database_url)
    monkeypatch.setenv("CETRACK_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        workspace = open_workspace()
        _log_three(workspace)
        assert main(["audit", "verify"]) == 0
        assert "the chain is intact" in capsys.readouterr().out
        with workspace.engine.begin() as connection:
            connection.execute(text("UPDATE auditevent SET action = 'nothing' WHERE seq = 1"))
        assert main(["audit", "verify"]) == 1
        out = capsys.readouterr().out
        assert out.startswith("audit event 1 (id ") and "its content was changed" in out
    finally:
        get_settings.cache_clear()
