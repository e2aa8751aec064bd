"""A supervisor's review of logs: signing (which locks a log for good) or returning it with a
comment, and the SHA-256 chain that makes a changed signed log detectable.

Each signature keeps what was signed (the log's content and the supervisor's details then),
`content_hash` over it, and `hash` over that, the signer, the moment and the associate's
previous signature: one chain per associate. `verify_chains` recomputes every chain against
the stored logs and names the first signature that no longer fits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from cetrack.db.models import Person, Signature, SupervisionLog, SupervisionRelationship, utcnow
from cetrack.db.statements import lock_rows
from cetrack.hashing import moment_text, sha256_of
from cetrack.services.actor import Actor
from cetrack.services.errors import InputError, NotFound
from cetrack.services.ownership import flush_versioned, record_event
from cetrack.services.policy import Action, SignOff, WholeDatabase, require
from cetrack.services.supervision_logs import PENDING, RETURNED, SIGNED
from cetrack.supervision_inputs import HOUR_FIELDS

GENESIS = "0" * 64  # the `prev_hash` of an associate's first signature
LOG_CONTENT = (
    "id",
    "person_id",
    "relationship_id",
    "start",
    "end",
    *HOUR_FIELDS,
    "group_size",
    "video",
    "setting",
    "notes",
    "amends_id",
)
SUPERVISOR_CONTENT = (
    "supervisor_person_id",
    "supervisor_name",
    "supervisor_license",
    "supervisor_license_number",
    "supervisor_credential",
)


def log_content(log: SupervisionLog) -> dict:
    """The log as it is signed: every field an associate enters, dates as ISO text."""
    content = {name: getattr(log, name) for name in LOG_CONTENT}
    content["start"], content["end"] = log.start.isoformat(), log.end.isoformat()
    return content


def _signed_content(log: SupervisionLog, relationship: SupervisionRelationship) -> dict:
    supervisor = {name: getattr(relationship, name) for name in SUPERVISOR_CONTENT}
    return {"log": log_content(log), "supervisor": supervisor}


def link_hash(signature: Signature) -> str:
    return sha256_of(
        {
            "seq": signature.seq,
            "log_id": signature.log_id,
            "person_id": signature.person_id,
            "signer_person_id": signature.signer_person_id,
            "signed_at": moment_text(signature.signed_at),
            "content_hash": signature.content_hash,
            "prev_hash": signature.prev_hash,
        }
    )


def _review(
    session: Session, actor: Actor, log_id: int
) -> tuple[SupervisionLog, SupervisionRelationship]:
    """The log and its supervision, if the actor may review it (checked first)."""
    log = session.get(SupervisionLog, log_id)
    if log is None or log.deleted_at is not None:
        raise NotFound(f"no supervision log {log_id}")
    relationship = session.get(SupervisionRelationship, log.relationship_id)
    require(
        actor,
        Action.UPDATE,
        SignOff(
            id=log.id,
            person_id=log.person_id,
            start=log.start,
            end=log.end,
            supervisor_person_id=relationship.supervisor_person_id,
            starts_on=relationship.starts_on,
            ends_on=relationship.ends_on,
        ),
    )
    if log.status != PENDING:
        raise InputError({"log": f"this log is {log.status}, not awaiting review"})
    return log, relationship


def sign_log(
    session: Session, *, actor: Actor, log_id: int, now: datetime | None = None
) -> Signature:
    """Sign a pending log as its supervisor: it is locked from then on."""
    log, relationship = _review(session, actor, log_id)
    lock_rows(session, Person, log.person_id)  # one signer per chain at a time
    last = session.exec(
        select(Signature)
        .where(Signature.person_id == log.person_id)
        .order_by(Signature.seq.desc())
        .limit(1)
    ).first()
    content = _signed_content(log, relationship)
    signature = Signature(
        log_id=log.id,
        person_id=log.person_id,
        signer_person_id=actor.person_id,
        seq=(last.seq + 1) if last else 1,
        signed_at=now or utcnow(),
        content=content,
        content_hash=sha256_of(content),
        prev_hash=last.hash if last else GENESIS,
        hash="",
    )
    signature.hash = link_hash(signature)
    log.status, log.review_comment, log.reviewed_at = SIGNED, "", signature.signed_at
    session.add_all([log, signature])
    flush_versioned(session, log)
    record_event(session, log, actor=actor, action="sign", detail={"signature": signature.hash})
    return signature


def return_log(session: Session, *, actor: Actor, log_id: int, comment: str) -> SupervisionLog:
    """Send a pending log back to the associate with what to correct."""
    comment = " ".join(comment.split())
    if not comment or len(comment) > 2000:
        raise InputError(
            {"comment": "say what the associate should correct (up to 2,000 characters)"}
        )
    log, _ = _review(session, actor, log_id)
    log.status, log.review_comment, log.reviewed_at = RETURNED, comment, utcnow()
    session.add(log)
    flush_versioned(session, log)
    record_event(session, log, actor=actor, action="return", detail={"comment": comment})
    return log


def awaiting_review(session: Session, *, actor: Actor) -> list[SupervisionLog]:
    """The pending logs the actor supervises, oldest first."""
    rows = session.exec(
        select(SupervisionLog)
        .join(SupervisionRelationship, SupervisionRelationship.id == SupervisionLog.relationship_id)
        .where(
            SupervisionRelationship.supervisor_person_id == actor.person_id,
            SupervisionLog.status == PENDING,
            SupervisionLog.deleted_at.is_(None),
        )
        .order_by(SupervisionLog.start, SupervisionLog.id)
    )
    found = list(rows)
    for log in found:
        require(actor, Action.READ, log)
    return found


def signatures_of(session: Session, *, actor: Actor, person: Person) -> list[Signature]:
    """The associate's chain, in order."""
    require(actor, Action.READ, person)
    return list(
        session.exec(
            select(Signature).where(Signature.person_id == person.id).order_by(Signature.seq)
        )
    )


@dataclass(frozen=True)
class BrokenSignature:
    person_id: int
    seq: int
    log_id: int
    why: str


@dataclass(frozen=True)
class SignatureReport:
    associates: int
    signatures: int
    broken: BrokenSignature | None


def _why_broken(signature: Signature, log: SupervisionLog | None, expected: tuple) -> str | None:
    seq, prev_hash = expected
    if signature.seq != seq:
        return f"signatures {seq} to {signature.seq - 1} of this associate are missing"
    if signature.prev_hash != prev_hash:
        return "its link to the signature before it does not match (that one was changed)"
    if sha256_of(signature.content) != signature.content_hash:
        return "what it says was signed was changed after signing"
    if link_hash(signature) != signature.hash:
        return "its signer, time or link was changed after signing"
    if log is None:
        return "the signed log is gone"
    if log_content(log) != signature.content["log"]:
        return "the signed log was changed after it was signed"
    if log.status != SIGNED or log.deleted_at is not None:
        return "the signed log is no longer marked signed"
    return None


def verify_chains(session: Session, *, actor: Actor) -> SignatureReport:
    """Every associate's chain recomputed against the stored logs; the first signature that
    does not fit is named, and a log marked signed without a signature is one too."""
    require(actor, Action.READ, WholeDatabase())
    signatures = session.exec(select(Signature).order_by(Signature.person_id, Signature.seq))
    logs = {log.id: log for log in session.exec(select(SupervisionLog))}
    expected: dict[int, tuple[int, str]] = {}
    count = 0
    for signature in signatures:
        count += 1
        position = expected.get(signature.person_id, (1, GENESIS))
        why = _why_broken(signature, logs.get(signature.log_id), position)
        if why:
            broken = BrokenSignature(signature.person_id, signature.seq, signature.log_id, why)
            return SignatureReport(len(expected) + 1, count, broken)
        expected[signature.person_id] = (signature.seq + 1, signature.hash)
        logs.pop(signature.log_id, None)
    unsealed = next((log for log in logs.values() if log.status == SIGNED), None)
    if unsealed is not None:
        broken = BrokenSignature(
            unsealed.person_id, 0, unsealed.id, "it is marked signed but nobody signed it"
        )
        return SignatureReport(len(expected), count, broken)
    return SignatureReport(len(expected), count, None)
