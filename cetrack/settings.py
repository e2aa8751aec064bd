"""Settings from the environment (`CETRACK_*`), with defaults for a single clinician's laptop."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SMTP_TLS_MODES = ("starttls", "ssl", "none")


def _default_data_dir() -> Path:
    return Path(user_data_dir("cetrack", appauthor=False))


class Settings(BaseSettings):
    """`CETRACK_DATABASE_URL`: SQLite file in the data directory unless set (PostgreSQL for an
    organization, e.g. postgresql+psycopg://user@host/db). `CETRACK_DATA_DIR`: where the
    database file and uploaded certificates live. `CETRACK_TODAY`: pin the date (YYYY-MM-DD)
    the app evaluates on, for demonstrations and tests. `CETRACK_RULES_DIR`: another rules
    directory than the one shipped inside the package. `CETRACK_SESSION_MINUTES`: how long a
    signed-in session lasts without activity (default 30).

    Email reminders (`cetrack notify`) go out through SMTP once `CETRACK_SMTP_HOST` and
    `CETRACK_SMTP_SENDER` (the From address) are set. `CETRACK_SMTP_PORT` (default 587) and
    `CETRACK_SMTP_TLS`: `starttls` (default), `ssl` (implicit TLS, usually port 465) or `none`
    (a relay on the same host). `CETRACK_SMTP_USER` and `CETRACK_SMTP_PASSWORD` sign in to
    the server when it asks; the password is read from the environment only, never logged,
    printed or stored. `CETRACK_BASE_URL`: the app's address that reminders link to."""

    model_config = SettingsConfigDict(env_prefix="CETRACK_")

    data_dir: Path = _default_data_dir()
    database_url: str | None = None
    today: date | None = None
    rules_dir: Path | None = None
    session_minutes: int = 30  # a signed-in session ends after this long without a page view
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_tls: str = "starttls"  # starttls, ssl or none
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None  # shown as ********** if ever printed
    smtp_sender: str | None = None
    base_url: str = "http://localhost:8501"

    @field_validator("smtp_tls")
    @classmethod
    def _known_tls_mode(cls, value: str) -> str:
        mode = value.strip().lower()
        if mode not in SMTP_TLS_MODES:
            raise ValueError(f"must be one of {', '.join(SMTP_TLS_MODES)}")
        return mode

    @property
    def mail_configured(self) -> bool:
        """Whether reminders can be sent: a server and a sender address are set."""
        return bool(self.smtp_host and self.smtp_sender)

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
