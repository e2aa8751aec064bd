"""The supervised-experience verification packet: one ZIP with `summary.pdf` (laid out like a
board's experience-verification form), `logs.csv` (every live log), `chain.json` (the
associate's signatures, each recomputable) and `manifest.json` (each file's size and SHA-256,
as in the CE audit packet). Pure: the records come in, the bytes go out.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from operator import attrgetter

import pandas as pd

from cetrack.db.models import (
    LicensurePath,
    Person,
    Signature,
    SupervisionLog,
    SupervisionRelationship,
)
from cetrack.engine.cycles import select_version
from cetrack.engine.results import SupervisionResult
from cetrack.exports.packet import MANIFEST, zip_archive
from cetrack.exports.pdf import SummaryPDF, bullets, facts, paragraph, section, table
from cetrack.exports.tables import to_csv
from cetrack.hashing import moment_text
from cetrack.rules.schema import RuleFile
from cetrack.supervision_inputs import HOUR_FIELDS
from cetrack.wording import hours, note_text, number, reason_text

LOG_COLUMNS = (
    "id",
    "start",
    "end",
    *HOUR_FIELDS,
    "group_size",
    "video",
    "setting",
    "notes",
    "status",
    "supervisor",
    "signed_at",
    "signer",
    "amends_id",
    "superseded",
)


@dataclass(frozen=True)
class ExperienceRecords:
    """An associate's path, with everything the packet shows: every live log, the logs a
    signed amendment replaced, their supervisors, the signature chain and the result."""

    person: Person
    path: LicensurePath
    rule: RuleFile
    result: SupervisionResult
    supervisors: Sequence[SupervisionRelationship]
    logs: Sequence[SupervisionLog]
    superseded: frozenset[int]
    signatures: Sequence[Signature]

    @property
    def current_logs(self) -> list[SupervisionLog]:
        """The logs the result counts from, oldest first."""
        live = [log for log in self.logs if log.id not in self.superseded]
        return sorted(live, key=lambda log: (log.start, log.id))

    @property
    def signature_of(self) -> Mapping[int, Signature]:
        return {signature.log_id: signature for signature in self.signatures}


def supervision_packet(records: ExperienceRecords, *, as_of: date) -> bytes:
    contents = {
        "summary.pdf": verification_pdf(records, as_of=as_of),
        "logs.csv": to_csv(logs_frame(records)),
        "chain.json": chain_json(records.signatures),
    }
    manifest = {
        "generated": as_of.isoformat(),
        "person": {"name": records.person.name, "email": records.person.email},
        "files": [
            {"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for path, data in sorted(contents.items())
        ],
    }
    contents[MANIFEST] = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")
    return zip_archive(contents, as_of)


def signer_name(signature: Signature) -> str:
    """The supervisor as named in what they signed."""
    return signature.content.get("supervisor", {}).get("supervisor_name", "")


def logs_frame(records: ExperienceRecords) -> pd.DataFrame:
    """One row per live log, oldest first (amendments and the logs they replace included)."""
    names = {item.id: item.supervisor_name for item in records.supervisors}
    signatures = records.signature_of
    rows = []
    for log in sorted(records.logs, key=lambda log: (log.start, log.id)):
        signature = signatures.get(log.id)
        rows.append(
            {
                "id": log.id,
                "start": log.start.isoformat(),
                "end": log.end.isoformat(),
                **{name: float(getattr(log, name)) for name in HOUR_FIELDS},
                "group_size": "" if log.group_size is None else log.group_size,
                "video": "yes" if log.video else "no",
                "setting": log.setting,
                "notes": log.notes,
                "status": log.status,
                "supervisor": names.get(log.relationship_id, ""),
                "signed_at": moment_text(signature.signed_at) if signature else "",
                "signer": signer_name(signature) if signature else "",
                "amends_id": "" if log.amends_id is None else log.amends_id,
                "superseded": "yes" if log.id in records.superseded else "no",
            }
        )
    return pd.DataFrame(rows, columns=list(LOG_COLUMNS), dtype=object)


def chain_json(signatures: Sequence[Signature]) -> bytes:
    """The chain in `seq` order, with all that each link's hash covers: `signed_at` as it
    is hashed (UTC, to the microsecond)."""
    chain = [
        {
            "seq": item.seq,
            "log_id": item.log_id,
            "person_id": item.person_id,
            "signer_person_id": item.signer_person_id,
            "signed_at": moment_text(item.signed_at),
            "content": item.content,
            "content_hash": item.content_hash,
            "prev_hash": item.prev_hash,
            "hash": item.hash,
        }
        for item in sorted(signatures, key=lambda item: item.seq)
    ]
    return json.dumps(chain, indent=2, ensure_ascii=False).encode("utf-8")


# --- the verification form ----------------------------------------------------------------


def verification_pdf(records: ExperienceRecords, *, as_of: date) -> bytes:
    person, rule, result = records.person, records.rule, records.result
    pdf = SummaryPDF(f"Supervised experience verification - {person.name} - {rule.id} - {as_of}")
    pdf.set_creation_date(datetime.combine(as_of, time(), UTC))
    pdf.set_title(f"Supervised experience verification: {rule.title} ({rule.id})")
    pdf.set_author(person.name)
    pdf.set_creator("cetrack")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 8, "Supervised experience verification", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=12)
    paragraph(pdf, f"{result.experience} toward {rule.title} ({rule.id})")
    pdf.ln(3)
    facts(pdf, _associate_rows(records, as_of))
    for relationship in records.supervisors:
        section(pdf, f"Supervisor: {relationship.supervisor_name}")
        facts(pdf, _supervisor_rows(records, relationship))
        paragraph(pdf, "Supervisor's signature: ______________________________   Date: __________")
    section(pdf, "Hours by kind")
    table(pdf, (90, 32, 32, 32), ("LEFT", "RIGHT", "RIGHT", "RIGHT"), _kind_rows(records))
    paragraph(
        pdf,
        "Supervision is counted as the rule classes it: triadic supervision, and a group small "
        "enough, may count as individual or as group supervision.",
    )
    section(pdf, "Requirements")
    rows = [("Requirement", "Required", "Counted", "Remaining")]
    rows += [
        (item.title, number(item.required), number(item.counted), number(item.remaining))
        for item in result.requirements
    ]
    table(pdf, (90, 32, 32, 32), ("LEFT", "RIGHT", "RIGHT", "RIGHT"), rows)
    section(pdf, "Logs")
    table(
        pdf,
        (30, 14, 14, 22, 30, 16, 60),
        ("LEFT", "RIGHT", "RIGHT", "LEFT", "LEFT", "RIGHT", "LEFT"),
        _log_rows(records),
    )
    if result.notes:
        section(pdf, "Notes")
        bullets(pdf, [note_text(note) for note in result.notes])
    section(pdf, "Signatures")
    paragraph(pdf, _chain_text(records.signatures))
    return bytes(pdf.output())


def _day(value: date | None, missing: str = "not recorded") -> str:
    return value.isoformat() if value else missing


def _associate_rows(records: ExperienceRecords, as_of: date) -> list[tuple[str, str]]:
    person, path, rule, result = records.person, records.path, records.rule, records.result
    experience = select_version(rule.supervised_experience, result.as_of, "supervised-experience")
    rows = [
        ("Associate", f"{person.name} <{person.email}>"),
        ("License sought", f"{rule.title} ({rule.id})"),
        ("Board", rule.board),
        ("Associate credential", experience.associate_title),
        ("Registration number", path.registration_number or "not recorded"),
        ("Registration issued", _day(path.registration_issued)),
    ]
    if result.registration_final_expiry:
        rows.append(("Registration held until", _day(result.registration_final_expiry)))
    rows += [
        ("Experience began", _day(path.started_on)),
        ("Prepared on", as_of.isoformat()),
        ("Status", "Eligible: every requirement is met" if result.eligible else "Not yet eligible"),
        ("Projected eligibility", _projection(result)),
    ]
    return rows


def _projection(result: SupervisionResult) -> str:
    if result.eligible:
        return f"met on {_day(result.projected_eligible)}"
    if result.projected_eligible is None:
        return "no projection: the recent pace does not add the missing hours"
    return f"{result.projected_eligible.isoformat()} at the recent pace"


def _supervisor_rows(
    records: ExperienceRecords, relationship: SupervisionRelationship
) -> list[tuple[str, str]]:
    license_text = ", ".join(
        part
        for part in (relationship.supervisor_license, relationship.supervisor_license_number)
        if part
    )
    if relationship.supervisor_license_expires:
        license_text += f" (expires {relationship.supervisor_license_expires.isoformat()})"
    credential = relationship.supervisor_credential or "not recorded"
    if relationship.supervisor_credential_since:
        credential += f" since {relationship.supervisor_credential_since.isoformat()}"
    if relationship.supervisor_credential_until:
        credential += f" until {relationship.supervisor_credential_until.isoformat()}"
    logs = [log for log in records.current_logs if log.relationship_id == relationship.id]
    signatures = records.signature_of
    signed = sorted(  # a log an amendment replaced was signed too
        signatures[log.id].signed_at.date()
        for log in records.logs
        if log.relationship_id == relationship.id and log.id in signatures
    )
    return [
        ("License and number", license_text or "not recorded"),
        ("Supervisor credential", credential),
        ("Setting", relationship.setting or "not recorded"),
        ("Supervised", f"{_day(relationship.starts_on)} to {_day(relationship.ends_on, 'now')}"),
        (
            "Logged",
            f"{len(logs)} log(s): {hours(sum(map(_experience, logs)))} "
            f"of experience, {hours(sum(map(_supervision, logs)))} of supervision",
        ),
        (
            "Signatures",
            f"{len(signed)} signed, first {signed[0]}, last {signed[-1]}" if signed else "none yet",
        ),
    ]


def _experience(log: SupervisionLog) -> float:
    return log.direct + log.indirect


def _supervision(log: SupervisionLog) -> float:
    return log.individual_supervision + log.triadic_supervision + log.group_supervision


def _kind_rows(records: ExperienceRecords) -> list[tuple[str, ...]]:
    """Each kind of hour: logged (the current logs), signed, and counted by the rule ("-"
    where the rule does not count that kind apart)."""
    logs, signatures = records.current_logs, records.signature_of
    signed = [log for log in logs if log.id in signatures]
    counted = records.result.logs
    couples = next(
        (item for item in records.result.requirements if item.id == "couples_family_hours"), None
    )
    kinds = (
        ("Direct client contact", attrgetter("direct"), sum(x.direct for x in counted)),
        ("  of it telehealth", attrgetter("telehealth"), None),
        ("  of it couples and family", attrgetter("couples_family"), couples and couples.counted),
        ("Indirect", attrgetter("indirect"), sum(x.indirect for x in counted)),
        (
            "Individual supervision",
            attrgetter("individual_supervision"),
            sum(x.individual for x in counted),
        ),
        ("Triadic supervision", attrgetter("triadic_supervision"), None),
        ("Group supervision", attrgetter("group_supervision"), sum(x.group for x in counted)),
        ("Experience (direct and indirect)", _experience, sum(x.counted for x in counted)),
        ("Supervision", _supervision, sum(x.supervision for x in counted)),
    )
    rows = [("Kind", "Logged", "Signed", "Counted")]
    for label, value, count in kinds:
        count = "-" if count is None else number(count)
        rows.append((label, number(sum(map(value, logs))), number(sum(map(value, signed))), count))
    return rows


def _log_rows(records: ExperienceRecords) -> list[tuple[str, ...]]:
    outcomes = {item.id: item for item in records.result.logs}
    signatures = records.signature_of
    rows = [
        ("Period", "Direct", "Indirect", "Supervision I/T/G", "Status", "Counted", "Not counted")
    ]
    for log in records.current_logs:
        outcome = outcomes.get(str(log.id))
        signature = signatures.get(log.id)
        status = (
            f"signed {signature.signed_at.date()} by {signer_name(signature)}"
            if signature
            else log.status
        )
        why = (
            [f"{hours(reason.hours)} {reason_text(reason)}" for reason in outcome.reasons]
            if outcome
            else []
        )
        rows.append(
            (
                f"{log.start}\nto {log.end}",
                number(log.direct),
                number(log.indirect),
                "/".join(number(getattr(log, name)) for name in HOUR_FIELDS[4:]),
                status,
                number(outcome.counted) if outcome else "0",
                "\n".join(why),
            )
        )
    return rows


def _chain_text(signatures: Sequence[Signature]) -> str:
    if not signatures:
        return "No log is signed yet."
    last = max(signatures, key=lambda item: item.seq)
    return (
        f"{len(signatures)} signature(s), sealed in one SHA-256 chain (chain.json); the last "
        f"link is {last.hash}. manifest.json holds the SHA-256 of every file of this packet."
    )
