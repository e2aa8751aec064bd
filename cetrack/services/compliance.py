"""The organization's compliance view for HR: every active member's licenses with their
stored results, verifications and flags, read with SQL from the read model (never evaluated
while a page draws). A result not brought up to date yet is shown as stored and counted as
pending; `bring_up_to_date` evaluates them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import String, and_, case, cast, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from cetrack.db.models import Credential, Evaluation, Membership, Organization, Person, Verification
from cetrack.exports.records import (
    EXPIRY_BANDS,
    ComplianceRow,
    FilterChoices,
    Filters,
    Page,
    Summary,
)
from cetrack.rules.registry import Registry
from cetrack.services import evaluation
from cetrack.services.actor import Actor
from cetrack.services.policy import Action, OrganizationView, require


def _organization_view(actor: Actor, organization: Organization) -> None:
    require(actor, Action.READ, OrganizationView(organization.id, "compliance"))


def _scoped(statement, organization: Organization, filters: Filters):
    """`statement` over the licenses of the organization's active members that match the
    filters, each with its stored result and current verification (outer joins)."""
    successor = aliased(Verification)
    statement = (
        statement.select_from(Membership)
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
    )
    if filters.departments:
        statement = statement.where(Membership.department.in_(filters.departments))
    if filters.roles:  # roles are a JSON list of plain words: match the quoted word
        roles_text = cast(Membership.roles, String)
        statement = statement.where(
            or_(*(roles_text.like(f'%"{role}"%') for role in filters.roles))
        )
    if filters.states:
        statement = statement.where(
            or_(*(Credential.rule_id.startswith(f"{state}/") for state in filters.states))
        )
    if filters.license_types:
        statement = statement.where(
            or_(*(Credential.rule_id.endswith(f"/{kind}") for kind in filters.license_types))
        )
    return statement


def compliance_rows(
    session: Session,
    *,
    actor: Actor,
    organization: Organization,
    registry: Registry,
    today: date,
    filters: Filters | None = None,
    page: Page | None = None,
) -> list[ComplianceRow]:
    """The licenses of the organization's active members matching the filters, by name (one
    page of them, with `page`)."""
    _organization_view(actor, organization)
    statement = _scoped(
        select(Membership, Person, Credential, Evaluation, Verification),
        organization,
        filters or Filters(),
    ).order_by(Person.name, Person.id, Credential.rule_id, Credential.id)
    if page is not None:
        statement = statement.limit(page.size).offset(page.offset)
    rows = []
    interval = timedelta(days=organization.reverify_days)
    for membership, person, credential, stored, verification in session.exec(statement):
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


def _count(condition) -> object:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def compliance_summary(
    session: Session,
    *,
    actor: Actor,
    organization: Organization,
    registry: Registry,
    today: date,
    filters: Filters | None = None,
    months: int = 12,
) -> Summary:
    """The dashboard's counts, counted by the database over the stored results: the same
    figures `summarize` gives over every row, without reading the rows."""
    _organization_view(actor, organization)
    filters = filters or Filters()
    expired = or_(Credential.status == "expired", Credential.expires < today)
    never = Verification.id.is_(None)
    problem = and_(Verification.id.is_not(None), Verification.result != "active")
    overdue = and_(
        Verification.result == "active",
        Verification.verified_on < today - timedelta(days=organization.reverify_days),
    )
    out_of_date = or_(
        Evaluation.id.is_(None),
        Evaluation.dirty,
        Evaluation.evaluated_on.is_(None),
        Evaluation.evaluated_on > today,
        Evaluation.valid_until.is_(None),
        Evaluation.valid_until <= today,
    )
    row_stale = case((out_of_date, 1), else_=0).label("stale")
    counted = {
        "licenses": func.count(),
        "expired": _count(expired),
        **{
            f"within_{band}": _count(
                and_(
                    ~expired,
                    Credential.expires >= today,
                    Credential.expires <= today + timedelta(days=band),
                )
            )
            for band in EXPIRY_BANDS
        },
        "ce_incomplete": _count(Evaluation.status.in_(("incomplete", "invalid"))),
        "unverified": _count(never),
        "overdue": _count(overdue),
        "problem": _count(problem),
    }
    columns = [value.label(key) for key, value in counted.items()]
    groups = session.exec(
        _scoped(
            select(Credential.rule_id, Evaluation.rule_hash, row_stale, *columns),
            organization,
            filters,
        ).group_by(Credential.rule_id, Evaluation.rule_hash, row_stale)
    ).all()
    total = {key: sum(getattr(group, key) for group in groups) for key in counted}
    # out of date: by the row's own columns, or computed under another version of the rule
    pending = sum(
        group.licenses
        for group in groups
        if group.rule_id in registry
        and (group.stale or group.rule_hash != registry.hash_of(group.rule_id))
    )
    people = session.exec(
        _scoped(select(func.count(func.distinct(Person.id))), organization, filters)
    ).one()
    return Summary(
        people=people,
        licenses=total["licenses"],
        expired=total["expired"],
        expiring={band: total[f"within_{band}"] for band in EXPIRY_BANDS},
        ce_incomplete=total["ce_incomplete"],
        unverified=total["unverified"],
        overdue_verification=total["overdue"],
        verification_problem=total["problem"],
        pending=pending,
        by_month=_expirations_by_month(session, organization, filters, today, months),
    )


def _horizon(today: date, months: int) -> date:
    return date(
        today.year + (today.month + months - 1) // 12, (today.month + months - 1) % 12 + 1, 1
    )


def _expirations_by_month(
    session: Session, organization: Organization, filters: Filters, today: date, months: int
) -> dict[str, int]:
    by_day = session.exec(
        _scoped(select(Credential.expires, func.count()), organization, filters)
        .where(Credential.expires >= today, Credential.expires < _horizon(today, months))
        .group_by(Credential.expires)
    ).all()
    by_month: Counter[str] = Counter()
    for day, count in by_day:
        by_month[day.strftime("%Y-%m")] += count
    return dict(sorted(by_month.items()))


def count_rows(
    session: Session, *, actor: Actor, organization: Organization, filters: Filters | None = None
) -> int:
    """How many licenses `compliance_rows` lists under the filters (for its pages)."""
    _organization_view(actor, organization)
    return session.exec(_scoped(select(func.count()), organization, filters or Filters())).one()


def summarize(rows: list[ComplianceRow], today: date, months: int = 12) -> Summary:
    """The dashboard's counts, and expirations by month over the next `months`."""
    flags = Counter(row.verification_flag(today) for row in rows)
    bands = [row.expiring_within(today) for row in rows]
    horizon = _horizon(today, months)
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
