"""Migrations create exactly the tables the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from cetrack.db.migrate import current_revision, upgrade


def test_upgrade_reaches_head_and_matches_the_models(workspace):
    engine = workspace.engine
    upgrade(engine)  # a second run changes nothing
    assert current_revision(engine) == "0008"
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []
