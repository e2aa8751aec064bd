"""Canonical JSON and SHA-256, for what cetrack seals into hash chains (the audit trail,
supervisors' signatures): the same content always gives the same digest."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any


def canonical_json(content: Any) -> str:
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )


def sha256_of(content: Any) -> str:
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def moment_text(at: datetime) -> str:
    """A moment in UTC to the microsecond, however the database returned it (SQLite drops the
    time zone)."""
    aware = at if at.tzinfo else at.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
