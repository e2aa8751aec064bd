"""The organization's exports for HR: the roster with statuses (CSV, XLSX), the PDF compliance
report and the calendar of every expiration, all from the compliance view's stored results."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlmodel import Session, select

from cetrack.db.models import Organization
from cetrack.exports import roster as roster_export
from cetrack.exports.tables import to_csv, to_xlsx
from cetrack.rules.registry import Registry
from cetrack.services.actor import Actor
from cetrack.services.compliance import compliance_rows, summarize
from cetrack.services.errors import InputError, NotFound
from cetrack.services.policy import Action, OrganizationView, require

FORMATS = ("csv", "xlsx", "pdf", "ics")


def find_organization(session: Session, *, actor: Actor, name: str | None) -> Organization:
    """The organization of that name; without a name, the only one there is."""
    if name:
        found = session.exec(select(Organization).where(Organization.name == name.strip())).first()
        if found is None:
            raise NotFound(f"no organization named {name.strip()}")
    else:
        every = session.exec(select(Organization).limit(2)).all()
        if len(every) != 1:
            raise InputError(
                {"organization": "name the organization (there is none, or more than one)"}
            )
        found = every[0]
    require(actor, Action.READ, found)
    return found


def organization_export(
    session: Session,
    *,
    actor: Actor,
    organization: Organization,
    registry: Registry,
    today: date,
    kind: str,
) -> bytes:
    """One export of the organization's compliance: `kind` is csv, xlsx, pdf or ics."""
    require(actor, Action.EXPORT, OrganizationView(organization.id, "compliance"))
    if kind not in FORMATS:
        raise InputError({"format": f"choose one of {', '.join(FORMATS)}"})
    rows = compliance_rows(
        session, actor=actor, organization=organization, registry=registry, today=today
    )
    if kind == "pdf":
        return roster_export.compliance_pdf(organization, rows, summarize(rows, today), today)
    if kind == "ics":
        stamp = datetime.combine(today, time(), UTC)
        return roster_export.organization_ics(organization, rows, stamp=stamp)
    frame = roster_export.roster_frame(rows, today)
    return to_csv(frame) if kind == "csv" else to_xlsx(frame, sheet_title="Roster")
