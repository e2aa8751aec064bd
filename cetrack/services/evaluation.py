"""Evaluate a person's credentials; results are stored and reused until an input changes."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from cetrack.db.models import Activity, Credential, Evaluation, Person, utcnow
from cetrack.engine.ce import evaluate_ce
from cetrack.engine.cycles import RuleInputError
from cetrack.engine.pace import Pace, project
from cetrack.engine.records import LicenseFacts
from cetrack.rules.registry import Registry
from cetrack.rules.schema import RuleFile
from cetrack.scenario.output import ce_result_json
from cetrack.services.activities import engine_record, list_activities


@dataclass(frozen=True)
class CredentialStatus:
    credential: Credential
    rule: RuleFile
    result: dict | None
    pace: Pace | None = None
    error: str | None = None

    @property
    def title(self) -> str:
        return f"{self.rule.id} — {self.rule.title}"


def license_facts(credential: Credential, person: Person) -> LicenseFacts:
    return LicenseFacts(
        expires=credential.expires,
        issued=credential.issued,
        birth_date=person.birth_date,
        supervisor=credential.supervisor,
        flags=frozenset(credential.flags),
    )


def _digest(
    credential: Credential, person: Person, activities: list[Activity], rule: RuleFile, today: date
) -> str:
    payload = {
        "credential": [
            credential.rule_id,
            credential.issued,
            credential.expires,
            credential.supervisor,
            sorted(credential.flags),
        ],
        "birth_date": person.birth_date,
        "activities": [
            [a.id, a.completed, a.hours, a.unit, a.categories, a.format, a.type] for a in activities
        ],
        "rule": rule.model_dump(mode="json"),
        "today": today,
    }
    text = json.dumps(payload, default=str, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def evaluate_credential(
    session: Session,
    *,
    person: Person,
    credential: Credential,
    registry: Registry,
    today: date,
    activities: list[Activity] | None = None,
) -> CredentialStatus:
    rule = registry.get(credential.rule_id)
    if activities is None:
        activities = list_activities(session, person=person)
    digest = _digest(credential, person, activities, rule, today)
    stored = session.exec(
        select(Evaluation).where(Evaluation.credential_id == credential.id)
    ).first()
    if stored is None or stored.digest != digest:
        try:
            result = ce_result_json(
                evaluate_ce(
                    rule,
                    license_facts(credential, person),
                    [engine_record(activity) for activity in activities],
                    today,
                )
            )
        except RuleInputError as error:
            return CredentialStatus(credential, rule, None, error=str(error))
        stored = stored or Evaluation(credential_id=credential.id, digest=digest, status="")
        stored.digest, stored.result = digest, result
        stored.status, stored.computed_at = result["status"], utcnow()
        stored.deadline = date.fromisoformat(result["deadline"])
        session.add(stored)
        session.flush()
    result = stored.result
    return CredentialStatus(credential, rule, result, pace=_pace(result, activities, today))


def _pace(result: dict, activities: list[Activity], today: date) -> Pace:
    completed = {str(activity.id): activity.completed for activity in activities}
    counted_on = [
        (completed[item["id"]], item["counted"])
        for item in result["activities"]
        if item["id"] in completed and item["counted"]
    ]
    return project(
        counted_on,
        cycle_start=date.fromisoformat(result["cycle"]["start"]),
        deadline=date.fromisoformat(result["deadline"]),
        remaining=result["minimal_additional"],
        today=today,
    )


def without_rule(credentials: list[Credential], registry: Registry) -> list[Credential]:
    """Credentials whose rule file is not loaded (missing, or rejected by the lint): they
    cannot be evaluated or exported until the file is fixed."""
    return [credential for credential in credentials if credential.rule_id not in registry]


def credential_statuses(
    session: Session,
    *,
    person: Person,
    credentials: list[Credential],
    registry: Registry,
    today: date,
) -> list[CredentialStatus]:
    activities = list_activities(session, person=person)
    return [
        evaluate_credential(
            session,
            person=person,
            credential=credential,
            registry=registry,
            today=today,
            activities=activities,
        )
        for credential in credentials
        if credential.rule_id in registry
    ]
