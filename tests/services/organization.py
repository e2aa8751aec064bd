"""An organization to test with: a clinic with an admin and an HR officer, and another agency."""

from __future__ import annotations

from dataclasses import dataclass

from cetrack.db.models import Organization
from cetrack.services import accounts
from cetrack.services.actor import Actor
from tests.services.helpers import TODAY

PASSWORD = "correct horse battery"


@dataclass
class Clinic:
    organization: Organization
    other: Organization

    def actor(self, session, email: str) -> Actor:
        outcome = accounts.sign_in(session, email=email, password=PASSWORD)
        assert outcome.actor is not None, outcome.refused
        return outcome.actor


def add(session, organization, email, roles, name=None) -> None:
    accounts.add_account(
        session,
        actor=Actor.system(),
        organization=organization,
        email=email,
        name=name or email.split("@")[0].title(),
        roles=roles,
        password=PASSWORD,
        today=TODAY,
    )


def clinic(session) -> Clinic:
    """Riverside Clinic (ada@clinic.org admin, hal@clinic.org HR, cam@clinic.org and
    cy@clinic.org clinicians) and Other Agency (oz@agency.org clinician, hx@agency.org HR)."""
    accounts.first_admin(
        session,
        email="ada@clinic.org",
        name="Ada Admin",
        password=PASSWORD,
        organization="Riverside Clinic",
        today=TODAY,
    )
    home = accounts.organization_named(session, actor=Actor.system(), name="Riverside Clinic")
    other = accounts.organization_named(session, actor=Actor.system(), name="Other Agency")
    add(session, home, "hal@clinic.org", ["hr"])
    add(session, home, "cam@clinic.org", ["clinician"])
    add(session, home, "cy@clinic.org", ["clinician"])
    add(session, other, "oz@agency.org", ["clinician"])
    add(session, other, "hx@agency.org", ["hr"])
    return Clinic(home, other)
