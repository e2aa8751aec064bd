"""Settings from the environment (`CETRACK_*`), with defaults for a single clinician's laptop."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    return Path(user_data_dir("cetrack", appauthor=False))


class Settings(BaseSettings):
    """`CETRACK_DATABASE_URL`: SQLite file in the data directory unless set (PostgreSQL for an
    organization, e.g. postgresql+psycopg://user@host/db). `CETRACK_DATA_DIR`: where the
    database file and uploaded certificates live. `CETRACK_TODAY`: pin the date (YYYY-MM-DD)
    the app evaluates on, for demonstrations and tests. `CETRACK_RULES_DIR`: another rules
    directory than the one shipped inside the package. `CETRACK_SESSION_MINUTES`: how long a
    signed-in session lasts without activity (default 30)."""

    model_config = SettingsConfigDict(env_prefix="CETRACK_")

    data_dir: Path = _default_data_dir()
    database_url: str | None = None
    today: date | None = None
    rules_dir: Path | None = None
    session_minutes: int = 30  # a signed-in session ends after this long without a page view

    def current_date(self) -> date:
        """The date evaluations are made on: `CETRACK_TODAY` (demos, tests), else today."""
        return self.today or date.today()

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'cetrack.db'}"

    @property
    def certificates_dir(self) -> Path:
        return self.data_dir / "certificates"


@lru_cache
def get_settings() -> Settings:
    return Settings()
