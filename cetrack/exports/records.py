"""The plain data every export is built from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cetrack.db.models import Credential
from cetrack.rules.schema import RuleFile


@dataclass(frozen=True)
class CredentialReport:
    """A credential, its rule and its CE evaluation (the `cetrack check` result JSON).

    `result` is None when the credential could not be evaluated; `error` then says why.
    """

    credential: Credential
    rule: RuleFile
    result: dict[str, Any] | None
    error: str | None = None
