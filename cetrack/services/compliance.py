"""The organization's compliance view for HR: every active member's licenses with their
stored results, verifications and flags, read with SQL from the read model (never evaluated
while a page draws). A result not brought up to date yet is shown as stored and counted as
pending; `bring_up_to_date` evaluates them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from cetrack.db.models import Credential, Evaluation, Membership, Organization, Person, Verification
from cetrack.exports.records import (
    EXPIRY_BANDS,
    ComplianceRow,
    FilterChoices,
    Filters,
    Summary,
)
from cetrack.rules.registry import Registry
from cetrack.services import evaluation
from cetrack.services.actor import Actor
from cetrack.services.policy import Action, OrganizationView, require


def _organization_view(actor: Actor, organization: Organization) -> None:
    require(actor, Action.READ, OrganizationView(organization.id, "compliance"))


def compliance_rows(
    session: Session,
    *,
    actor: Actor,
    organization: Organization,
    registry: Registry,
    today: date,
    filters: Filters | None = None,
) -> list[ComplianceRow]:
    """Every license of the organization's active members matching the filters."""
    _organization_view(actor, organization)
    filters = filters or Filters()
    successor = aliased(Verification)
    statement = (
        select(Membership, Person, Credential, Evaluation, Verification)
        .join(Person, Person.id == Membership.person_id)
        .join(Credential, Credential.person_id == Person.id)
        .join(Evaluation, Evaluation.credential_id == Credential.id, isouter=True)
        .join(Verification, Verification.credential_id == Credential.id, isouter=True)
        .join(successor, successor.supersedes_id == Verification.id, isouter=True)
        .where(
            Membership.organization_id == organization.id,
            Membership.active,
            Credential.deleted_at.is_(None),
            successor.id.is_(None),
        )
        .order_by(Person.name, Person.id, Credential.rule_id, Credential.id)
    )
    if filters.departments:
        statement = statement.where(Membership.department.in_(filters.departments))
    if filters.states:
        statement = statement.where(
            or_(*(Credential.rule_id.startswith(f"{state}/") for state in filters.states))
        )
    if filters.license_types:
        statement = statement.where(
            or_(*(Credential.rule_id.endswith(f"/{kind}") for kind in filters.license_types))
        )
    rows = []
    interval = timedelta(days=organization.reverify_days)
    for membership, person, credential, stored, verification in session.exec(statement):
        if filters.roles and not set(filters.roles) & set(membership.roles):
            continue
        # a license without a loaded rule has nothing to evaluate, so nothing is pending
        current = credential.rule_id not in registry or evaluation.is_current(
            stored, registry.hash_of(credential.rule_id), today
        )
        rows.append(
            ComplianceRow(
                person_id=person.id,
                name=person.name,
                email=person.email,
                department=membership.department,
                roles=tuple(membership.roles),
                credential_id=credential.id,
                rule_id=credential.rule_id,
                number=credential.number,
                expires=credential.expires,
                license_status=credential.status,
                ce_status=stored.status if stored else "",
                ce_deadline=stored.deadline if stored else None,
                hours_missing=stored.minimal_additional if stored else None,
                pending=not current,
                verified_on=verification.verified_on if verification else None,
                verification_result=verification.result if verification else None,
                verification_due=verification.verified_on + interval if verification else None,
            )
        )
    return rows


def summarize(rows: list[ComplianceRow], today: date, months: int = 12) -> Summary:
    """The dashboard's counts, and expirations by month over the next `months`."""
    flags = Counter(row.verification_flag(today) for row in rows)
    bands = [row.expiring_within(today) for row in rows]
    horizon = date(
        today.year + (today.month + months - 1) // 12, (today.month + months - 1) % 12 + 1, 1
    )
    by_month: dict[str, int] = {}
    for row in rows:
        if row.expires and today <= row.expires < horizon:
            key = row.expires.strftime("%Y-%m")
            by_month[key] = by_month.get(key, 0) + 1
    return Summary(
        people=len({row.person_id for row in rows}),
        licenses=len(rows),
        expired=sum(row.expired(today) for row in rows),
        expiring={
            band: sum(1 for found in bands if found and found <= band) for band in EXPIRY_BANDS
        },
        ce_incomplete=sum(row.ce_incomplete for row in rows),
        unverified=flags["never"],
        overdue_verification=flags["overdue"],
        verification_problem=flags["problem"],
        pending=sum(row.pending for row in rows),
        by_month=dict(sorted(by_month.items())),
    )


def filter_choices(session: Session, *, actor: Actor, organization: Organization) -> FilterChoices:
    """The departments, roles, states and license types on the roster, to filter by."""
    _organization_view(actor, organization)
    rows = session.exec(
        select(Membership.department, Membership.roles, Credential.rule_id)
        .join(Credential, Credential.person_id == Membership.person_id, isouter=True)
        .where(Membership.organization_id == organization.id, Membership.active)
        .where(or_(Credential.id.is_(None), Credential.deleted_at.is_(None)))
    ).all()
    rule_ids = {rule_id for _, _, rule_id in rows if rule_id}
    return FilterChoices(
        departments=sorted({department for department, _, _ in rows if department}),
        roles=sorted({role for _, roles, _ in rows for role in roles}),
        states=sorted({rule_id.split("/")[0] for rule_id in rule_ids}),
        license_types=sorted({rule_id.split("/")[-1] for rule_id in rule_ids}),
    )


def bring_up_to_date(
    session: Session,
    *,
    actor: Actor,
    organization: Organization,
    registry: Registry,
    today: date,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Evaluate the out-of-date results of the organization's members (HR asks; cetrack
    evaluates); `progress(done, total)` hears of each person done. Returns how many
    credentials were evaluated."""
    rows = compliance_rows(
        session, actor=actor, organization=organization, registry=registry, today=today
    )
    stale = sorted({row.person_id for row in rows if row.pending})
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress(done, len(stale))

    return evaluation.evaluate_persons(
        session,
        actor=Actor.system(),
        person_ids=stale,
        registry=registry,
        today=today,
        progress=advance,
    )
