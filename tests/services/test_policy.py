"""Every public service function that touches the database takes the actor and consults the
one policy (directly or through a service helper that does); the policy's own rules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cetrack.db.models import Activity, Membership, Organization, Person
from cetrack.services.actor import Actor
from cetrack.services.actor import Membership as ActorMembership
from cetrack.services.policy import Action, Forbidden, WholeDatabase, allowed, require

SERVICES = Path(__file__).resolve().parents[2] / "cetrack" / "services"
POLICY_CALLS = {"require", "allowed"}

# Functions with a session that need no actor, each with the reason.
EXEMPT = {
    "accounts.accounts_enabled": "asks whether sign-in is needed, before there is an actor",
    "accounts.sign_in": "turns an email and password into an actor; there is none before",
    "accounts.actor_for": "reads the signed-in account's actor afresh on every page",
    "accounts.first_admin": "the system creates the first admin, refused once any account exists",
    "audit.record": "writes the trail of a use case that was already checked",
    "audit.events_for": "reads one record's trail for the version check of a checked use case",
    "evaluation.create_evaluation_row": "bookkeeping inside a checked credential write",
    "evaluation.mark_dirty": "bookkeeping inside a checked write",
    "evaluation.mark_person_dirty": "bookkeeping inside a checked write",
    "ownership.values_at_version": "reads the trail for check_version, inside a checked update",
    "ownership.check_version": "called by checked updates before they write",
    "ownership.flush_versioned": "called by checked updates to write",
    "ownership.record_event": "writes the trail of a change that was already checked",
    "people.first_person": "finds who the single-user actor is, before there is one",
    "invites.invited_email": "reads whose link it is, for the anonymous holder of the link",
    "invites.redeem": "the anonymous holder of a one-time link sets the password it opens",
    "accounts.sign_in_with_identity": "turns a provider's verified email into an actor",
    "accounts.membership_in": "reads one membership inside a checked use case",
    "accounts.refreshed": "reads an actor again; it grants nothing the actor did not have",
    "credentials.same_license": "asks whether a new license is held, inside a checked use case",
    "credentials.checked_new_credential": "validates a new license inside a checked use case",
    "supervision.supervised_by": "reads whom a person supervises, to build their actor",
    "supervision.local_actor": "builds the single-user actor, before there is one",
    "supervision.supervisor_record": "reads a supervision's license inside a checked progress",
}


def _functions():
    """(module, name, node) for every top-level function of every service module."""
    for path in sorted(SERVICES.glob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                yield path.stem, node.name, node


def _parameters(node: ast.FunctionDef) -> set[str]:
    arguments = node.args
    return {arg.arg for arg in arguments.args + arguments.kwonlyargs + arguments.posonlyargs}


def _called_names(node: ast.FunctionDef) -> set[str]:
    names = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            function = call.func
            if isinstance(function, ast.Name):
                names.add(function.id)
            elif isinstance(function, ast.Attribute):
                names.add(function.attr)
    return names


def _consults_policy() -> dict[str, bool]:
    """Whether each function reaches require/allowed through calls within services."""
    functions = {name: node for _, name, node in _functions()}
    calls = {name: _called_names(node) for name, node in functions.items()}
    reaches = {name: bool(called & POLICY_CALLS) for name, called in calls.items()}
    changed = True
    while changed:
        changed = False
        for name, called in calls.items():
            if not reaches[name] and any(reaches.get(other) for other in called):
                reaches[name] = changed = True
    return reaches


PUBLIC = [
    (f"{module}.{name}", node)
    for module, name, node in _functions()
    if not name.startswith("_") and "session" in _parameters(node)
]


def test_the_scan_finds_the_use_cases():
    names = {name for name, _ in PUBLIC}
    assert {"activities.log_activity", "reports.packet_bytes", "backup.restore_backup"} <= names
    assert set(EXEMPT) <= names, "an exemption names a function that no longer exists"


@pytest.mark.parametrize("name, node", PUBLIC, ids=[name for name, _ in PUBLIC])
def test_every_public_service_function_takes_the_actor_and_asks_the_policy(name, node):
    if name in EXEMPT:
        return
    reaches = _consults_policy()
    assert "actor" in _parameters(node), f"{name} does not take the acting user"
    assert reaches[node.name], f"{name} never consults the policy"


def test_the_scan_would_catch_a_function_that_skips_the_policy(tmp_path):
    source = "def leak(session, *, actor, person):\n    return session.get(person)\n"
    node = ast.parse(source).body[0]
    assert not (_called_names(node) & POLICY_CALLS)


PAT = Person(id=1, email="pat@example.org", name="Pat")
SAM = Person(id=2, email="sam@example.org", name="Sam")


@pytest.mark.parametrize("action", list(Action))
def test_a_clinician_may_act_on_their_own_records_only(action):
    pat = Actor.local(PAT)
    assert allowed(pat, action, PAT)
    assert allowed(pat, action, Activity(person_id=1))
    assert not allowed(pat, action, SAM)
    assert not allowed(pat, action, Activity(person_id=2))
    assert not allowed(pat, action, object())


@pytest.mark.parametrize("roles", [{"admin"}, {"hr"}, {"supervisor"}, {"clinician", "admin"}])
def test_a_signed_in_person_of_any_role_keeps_their_own_records_and_no_one_elses(roles):
    actor = Actor(person_id=1, roles=frozenset(roles), account_id=9)
    assert allowed(actor, Action.UPDATE, Activity(person_id=1))
    assert not allowed(actor, Action.READ, Activity(person_id=2))
    assert not allowed(actor, Action.READ, SAM)


def test_an_admin_manages_memberships_of_their_own_organization_only():
    admin = Actor(
        person_id=1,
        roles=frozenset({"admin"}),
        account_id=9,
        memberships=(ActorMembership(organization_id=10, roles=frozenset({"admin"})),),
    )
    clinician = Actor(
        person_id=2,
        roles=frozenset({"clinician"}),
        account_id=8,
        memberships=(ActorMembership(organization_id=10, roles=frozenset({"clinician"})),),
    )
    ours, theirs = Membership(organization_id=10, person_id=2), Membership(organization_id=11)
    assert allowed(admin, Action.UPDATE, ours) and not allowed(admin, Action.UPDATE, theirs)
    assert allowed(clinician, Action.READ, ours)  # their own membership
    assert not allowed(clinician, Action.UPDATE, ours)
    assert allowed(clinician, Action.READ, Organization(id=10))
    assert not allowed(clinician, Action.UPDATE, Organization(id=10))
    assert not allowed(admin, Action.READ, Organization(id=11))
    assert not allowed(admin, Action.CREATE, Organization())  # only cetrack itself creates them


def test_hr_reads_and_exports_its_peoples_records_and_changes_none():
    hr = Actor(person_id=3, roles=frozenset({"hr"}), account_id=7, readable=frozenset({1}))
    for action in (Action.READ, Action.EXPORT):
        assert allowed(hr, action, PAT) and allowed(hr, action, Activity(person_id=1))
    for action in (Action.CREATE, Action.UPDATE, Action.DELETE):
        assert not allowed(hr, action, Activity(person_id=1))
    assert not allowed(hr, Action.READ, SAM)  # not a member of HR's organizations


def test_a_refused_attempt_raises_and_is_logged(caplog):
    with pytest.raises(Forbidden, match="you may not read activity"):
        require(Actor.local(PAT), Action.READ, Activity(id=7, person_id=2))
    (record,) = caplog.records
    assert "refused: person 1" in record.getMessage()
    assert "activity 7 owned by person 2" in record.getMessage()


def test_cetrack_itself_and_the_single_user_may_back_up_the_database():
    assert allowed(Actor.system(), Action.EXPORT, WholeDatabase())
    assert allowed(Actor.local(PAT), Action.EXPORT, WholeDatabase())
    assert not allowed(Actor(person_id=1, account_id=5), Action.EXPORT, WholeDatabase())
