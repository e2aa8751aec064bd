"""Invites on SQLite and PostgreSQL: a one-time link sets a roster member's password once,
before it expires; only its hash is stored; a newer link voids the older."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from cetrack.db.models import AuditEvent, Invite, utcnow
from cetrack.services import accounts, invites, roster
from cetrack.services.errors import InputError
from tests.services.helpers import TODAY
from tests.services.organization import clinic

NEW_PASSWORD = "my very own password"


def newcomer(session, place):
    hr = place.actor(session, "hal@clinic.org")
    person = roster.add_member(
        session,
        actor=hr,
        organization=place.organization,
        name="Nia New",
        email="nia@clinic.org",
        roles=["clinician"],
        today=TODAY,
    )
    return place.actor(session, "hal@clinic.org"), person


def test_a_link_sets_the_password_once(workspace):
    with workspace.transaction() as session:
        place = clinic(session)
        hr, person = newcomer(session, place)
        issued = invites.invite(
            session, actor=hr, organization=place.organization, person_id=person.id
        )
        link = issued.link("https://cetrack.clinic.org/")
        assert link == f"https://cetrack.clinic.org/?invite={issued.token}"
        stored = session.exec(select(Invite)).one()
        assert issued.token not in stored.token_hash  # only its SHA-256 is kept
        assert not accounts.sign_in(session, email="nia@clinic.org", password="").actor
        assert invites.invited_email(session, issued.token) == "nia@clinic.org"
        invites.redeem(session, token=issued.token, password=NEW_PASSWORD)
        assert accounts.sign_in(session, email="nia@clinic.org", password=NEW_PASSWORD).actor
        with pytest.raises(InputError, match="expired or was already used"):
            invites.redeem(session, token=issued.token, password="another long password")
        details = [event.detail for event in session.exec(select(AuditEvent))]
    assert not any(issued.token in str(detail) or NEW_PASSWORD in str(detail) for detail in details)


def test_a_link_expires_and_a_newer_one_voids_it(workspace):
    with workspace.transaction() as session:
        place = clinic(session)
        hr, person = newcomer(session, place)
        first = invites.invite(
            session, actor=hr, organization=place.organization, person_id=person.id
        )
        later = utcnow() + invites.LIFETIME + timedelta(seconds=1)
        with pytest.raises(InputError):
            invites.redeem(session, token=first.token, password=NEW_PASSWORD, now=later)
        second = invites.invite(
            session, actor=hr, organization=place.organization, person_id=person.id
        )
        with pytest.raises(InputError):
            invites.redeem(session, token=first.token, password=NEW_PASSWORD)
        with pytest.raises(InputError, match="at least 12"):
            invites.redeem(session, token=second.token, password="short")
        invites.redeem(session, token=second.token, password=NEW_PASSWORD)
        with pytest.raises(InputError, match="already has a password"):
            invites.invite(session, actor=hr, organization=place.organization, person_id=person.id)
        with pytest.raises(InputError):
            invites.redeem(session, token="not-a-token", password=NEW_PASSWORD)
