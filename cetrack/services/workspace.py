"""Everything a use case needs: the database, the rules and where files live."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from cetrack.db.engine import get_engine, transaction
from cetrack.db.migrate import upgrade
from cetrack.rules.registry import Registry
from cetrack.services.audit import seal_pending
from cetrack.settings import Settings, get_settings


@dataclass(frozen=True)
class Workspace:
    engine: Engine
    registry: Registry
    files_dir: Path

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One transaction; once it commits, its audit events are sealed into the chain."""
        with transaction(self.engine) as session:
            yield session
        seal_pending(self.engine)


def open_workspace(
    settings: Settings | None = None, *, registry: Registry | None = None
) -> Workspace:
    """Connect, bring the schema up to date, load the rules."""
    settings = settings or get_settings()
    engine = get_engine(settings.resolved_database_url)
    upgrade(engine)
    return Workspace(
        engine=engine,
        registry=registry or Registry.from_directory(settings.rules_dir),
        files_dir=settings.certificates_dir,
    )
