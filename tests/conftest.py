"""Shared fixtures: real SQLite and real PostgreSQL workspaces."""

from __future__ import annotations

import os
import uuid
from datetime import date

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text

from cetrack.db.engine import get_engine
from cetrack.db.migrate import upgrade
from cetrack.rules.registry import Registry
from cetrack.services import accounts
from cetrack.services.workspace import Workspace

# argon2id with the lowest cost, so the hundreds of accounts tests create hash in
# microseconds; test_accounts checks the app's own hasher separately
accounts._HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)

POSTGRES = os.environ.get(
    "CETRACK_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
TODAY = date(2026, 11, 22)


@pytest.fixture(scope="session")
def registry() -> Registry:
    return Registry.from_directory()


@pytest.fixture
def postgres_url():
    """A fresh schema in the test database, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield f"{POSTGRES}?options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'cetrack.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def workspace(database_url, registry, tmp_path) -> Workspace:
    engine = get_engine(database_url)
    upgrade(engine)
    yield Workspace(engine=engine, registry=registry, files_dir=tmp_path / "files")
    engine.dispose()
