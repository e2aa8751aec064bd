"""HR's compliance view on SQLite and PostgreSQL: counts of expired and expiring licenses,
CE behind and verifications missing or overdue, read from stored results with filters; only
the organization's HR may see it."""

from __future__ import annotations

from datetime import date

import pytest

from cetrack.services import compliance, credentials, people, roster, verification
from cetrack.services.errors import Forbidden
from tests.services.helpers import TODAY
from tests.services.organization import clinic

# TODAY is 2026-11-22
LICENSES = [
    ("cam@clinic.org", "TX/LPC", "2026-10-31", "expired"),  # lapsed on the roster
    ("cam@clinic.org", "FL/LMHC", "2026-12-15", "active"),  # within 30 days
    ("hal@clinic.org", "TX/LCSW", "2027-01-10", "active"),  # within 60
    ("ria@clinic.org", "NM/LPCC", "2027-02-15", "active"),  # within 90
    ("ria@clinic.org", "TX/LMFT", "2028-06-30", "active"),  # later
]


def build(session, workspace):
    place = clinic(session)
    hr = place.actor(session, "hal@clinic.org")
    roster.add_member(
        session,
        actor=hr,
        organization=place.organization,
        name="Ria Moss",
        email="ria@clinic.org",
        roles=["clinician", "supervisor"],
        department="Adult",
        today=TODAY,
    )
    hr = place.actor(session, "hal@clinic.org")
    for email, rule_id, expires, status in LICENSES:
        person = people.find_person(session, actor=hr, email=email)
        credentials.add_credential(
            session,
            actor=hr,
            person=person,
            data={"rule_id": rule_id, "expires": expires, "status": status, "number": "1"},
            registry=workspace.registry,
            today=TODAY,
        )
    return place


def rows(session, workspace, place, actor, **filters):
    return compliance.compliance_rows(
        session,
        actor=actor,
        organization=place.organization,
        registry=workspace.registry,
        today=TODAY,
        filters=compliance.Filters(**filters),
    )


def summary(session, workspace, place, actor, **filters):
    """The dashboard's counts as the database counts them, checked against the same counts
    over every row."""
    counted = compliance.compliance_summary(
        session,
        actor=actor,
        organization=place.organization,
        registry=workspace.registry,
        today=TODAY,
        filters=compliance.Filters(**filters),
    )
    assert counted == compliance.summarize(rows(session, workspace, place, actor, **filters), TODAY)
    return counted


def test_the_counts_come_from_stored_results_and_change_with_a_verification(workspace):
    with workspace.transaction() as session:
        place = build(session, workspace)
        hr = place.actor(session, "hal@clinic.org")
        before = summary(session, workspace, place, hr)
        assert before.pending == 5 and before.ce_incomplete == 0  # nothing evaluated yet
        evaluated = compliance.bring_up_to_date(
            session,
            actor=hr,
            organization=place.organization,
            registry=workspace.registry,
            today=TODAY,
        )
        assert evaluated == 5
        found = rows(session, workspace, place, hr)
        counts = summary(session, workspace, place, hr)
        for filters in ({"states": ("TX",)}, {"roles": ("supervisor",)}, {"departments": ("X",)}):
            summary(session, workspace, place, hr, **filters)
    assert counts.pending == 0
    assert (counts.people, counts.licenses, counts.expired) == (3, 5, 1)
    assert counts.expiring == {30: 1, 60: 2, 90: 3}
    assert counts.unverified == 5
    assert counts.ce_incomplete == sum(row.ce_status == "incomplete" for row in found) > 0
    assert counts.by_month == {"2026-12": 1, "2027-01": 1, "2027-02": 1}
    by_rule = {row.rule_id: row for row in found}
    behind = next(row for row in found if row.ce_incomplete)
    assert behind.hours_missing > 0 and behind.ce_days_left(TODAY) > 0
    with workspace.transaction() as session:
        hr = place.actor(session, "hal@clinic.org")
        verification.record_verification(
            session,
            actor=hr,
            credential_id=by_rule["FL/LMHC"].credential_id,
            data={"verified_on": "2025-10-01", "method": "phone", "result": "active"},
            evidence=None,
            registry=workspace.registry,
            files_dir=workspace.files_dir,
            today=TODAY,
        )
        verification.record_verification(
            session,
            actor=hr,
            credential_id=by_rule["NM/LPCC"].credential_id,
            data={"verified_on": "2026-11-01", "method": "online_lookup", "result": "disciplined"},
            evidence=None,
            registry=workspace.registry,
            files_dir=workspace.files_dir,
            today=TODAY,
        )
        after = summary(session, workspace, place, hr)
    assert after.unverified == 3
    assert after.overdue_verification == 1  # a year and more ago, with the 365-day default
    assert after.verification_problem == 1


def test_filters_narrow_the_rows(workspace):
    with workspace.transaction() as session:
        place = build(session, workspace)
        hr = place.actor(session, "hal@clinic.org")
        assert {row.rule_id for row in rows(session, workspace, place, hr, states=("TX",))} == {
            "TX/LPC",
            "TX/LCSW",
            "TX/LMFT",
        }
        assert {
            row.rule_id for row in rows(session, workspace, place, hr, license_types=("LPCC",))
        } == {"NM/LPCC"}
        assert {
            row.name for row in rows(session, workspace, place, hr, departments=("Adult",))
        } == {"Ria Moss"}
        assert {
            row.email for row in rows(session, workspace, place, hr, roles=("supervisor",))
        } == {"ria@clinic.org"}
        choices = compliance.filter_choices(session, actor=hr, organization=place.organization)
    assert choices.states == ["FL", "NM", "TX"]
    assert choices.license_types == ["LCSW", "LMFT", "LMHC", "LPC", "LPCC"]
    assert "supervisor" in choices.roles and choices.departments == ["Adult"]


def test_the_list_comes_in_pages_that_add_up_to_it(workspace):
    with workspace.transaction() as session:
        place = build(session, workspace)
        hr = place.actor(session, "hal@clinic.org")
        every = rows(session, workspace, place, hr)
        paged = [
            row
            for number in (1, 2, 3)
            for row in compliance.compliance_rows(
                session,
                actor=hr,
                organization=place.organization,
                registry=workspace.registry,
                today=TODAY,
                page=compliance.Page(number=number, size=2),
            )
        ]
        assert paged == every and len(every) == 5
        assert compliance.count_rows(session, actor=hr, organization=place.organization) == 5
        texas = compliance.Filters(states=("TX",))
        assert (
            compliance.count_rows(session, actor=hr, organization=place.organization, filters=texas)
            == 3
        )


def test_a_deactivated_member_leaves_the_view(workspace):
    with workspace.transaction() as session:
        place = build(session, workspace)
        hr = place.actor(session, "hal@clinic.org")
        member = next(
            row
            for row in roster.members(session, actor=hr, organization=place.organization)
            if row.email == "ria@clinic.org"
        )
        roster.set_member_active(
            session, actor=hr, membership_id=member.membership_id, active=False
        )
        assert "ria@clinic.org" not in {row.email for row in rows(session, workspace, place, hr)}


@pytest.mark.parametrize("email", ["cam@clinic.org", "ada@clinic.org", "hx@agency.org"])
def test_only_the_organizations_hr_sees_it(workspace, email):
    with workspace.transaction() as session:
        place = build(session, workspace)
        actor = place.actor(session, email)
        with pytest.raises(Forbidden):
            rows(session, workspace, place, actor)
        with pytest.raises(Forbidden):
            compliance.filter_choices(session, actor=actor, organization=place.organization)
        with pytest.raises(Forbidden):
            compliance.bring_up_to_date(
                session,
                actor=actor,
                organization=place.organization,
                registry=workspace.registry,
                today=TODAY,
            )


def test_expiry_bands_at_their_edges():
    row = compliance.ComplianceRow(
        1, "A", "a@x.org", "", (), 1, "TX/LPC", "", date(2026, 12, 22), "active",
        "", None, None, False, None, None, None,
    )  # fmt: skip
    assert row.expiring_within(TODAY) == 30  # exactly 30 days ahead
    assert row.expiring_within(date(2026, 12, 23)) is None  # expired the day before
    assert row.expired(date(2026, 12, 23))
