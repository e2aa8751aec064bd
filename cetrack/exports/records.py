"""The plain data every export is built from."""

from __future__ import annotations

from dataclasses import dataclass

from cetrack.db.models import Credential
from cetrack.engine.results import CEResult
from cetrack.rules.schema import RuleFile


@dataclass(frozen=True)
class CredentialReport:
    """A credential, its rule and its CE result; `result` is None when the credential could
    not be evaluated, and `error` then says why."""

    credential: Credential
    rule: RuleFile
    result: CEResult | None
    error: str | None = None


@dataclass(frozen=True)
class CertificateFile:
    """One certificate in an export: the owner's file name, the content hash and (where the
    export carries files) the bytes."""

    filename: str
    sha256: str
    media_type: str
    data: bytes = b""
