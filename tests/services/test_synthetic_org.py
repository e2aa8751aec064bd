"""The synthetic organization (`cetrack demo --org`): what it holds keeps the app's invariants,
its chains verify, HR's views and the batch evaluation run over it, and the seed decides it."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from cetrack.cli import main
from cetrack.db.engine import get_engine
from cetrack.db.migrate import upgrade
from cetrack.db.models import (
    Activity,
    Credential,
    Evaluation,
    LicensurePath,
    Membership,
    Organization,
    Person,
    Signature,
    SupervisionLog,
    SupervisionRelationship,
    Verification,
)
from cetrack.engine.cycles import derived_expiration
from cetrack.engine.records import LicenseFacts
from cetrack.hashing import moment_text, sha256_of
from cetrack.inputs import ActivityInput, validate_activity
from cetrack.roles import CLINICIAN, HR, ROLES
from cetrack.services import compliance, evaluation, signoff, synthetic_org
from cetrack.services.actor import Actor
from cetrack.services.errors import Forbidden, InputError
from cetrack.services.workspace import Workspace
from cetrack.settings import get_settings
from cetrack.supervision_inputs import (
    LogInput,
    RelationshipInput,
    validate_log,
    validate_relationship,
)
from tests.services.helpers import TODAY

N = 25
TABLES = (
    Organization,
    Person,
    Membership,
    Credential,
    Evaluation,
    Verification,
    Activity,
    LicensurePath,
    SupervisionRelationship,
    SupervisionLog,
    Signature,
)


def load(workspace: Workspace, clinicians: int = N, seed: int = 1):
    return synthetic_org.generate_organization(
        workspace, actor=Actor.system(), clinicians=clinicians, seed=seed, today=TODAY
    )


def rows(session: Session, model) -> list:
    return list(session.exec(select(model).order_by(model.id)).scalars())


def test_the_organization_has_the_stated_shape(workspace):
    loaded = load(workspace)
    registry = workspace.registry
    with workspace.transaction() as session:
        people = rows(session, Person)
        memberships = rows(session, Membership)
        credentials = rows(session, Credential)
        activities = rows(session, Activity)
        paths = rows(session, LicensurePath)
        logs = rows(session, SupervisionLog)
        verifications = rows(session, Verification)
        stored = {row.credential_id: row for row in rows(session, Evaluation)}
    born = {person.id: person.birth_date for person in people}
    assert len(people) == loaded.people == len(memberships)
    assert all(item.active and item.department and item.roles for item in memberships)
    assert all(set(item.roles) <= set(ROLES) for item in memberships)
    clinicians = [item.person_id for item in memberships if CLINICIAN in item.roles]
    assert len(clinicians) == N and any(HR in item.roles for item in memberships)
    assert len({item.department for item in memberships}) >= 5
    # 1 to 3 licenses per licensed clinician (associates hold their registration, if any)
    associates = {path.person_id for path in paths}
    assert 1 <= len(associates) <= math.ceil(N * synthetic_org.ASSOCIATE_SHARE[1])
    licenses = Counter(
        item.person_id
        for item in credentials
        if registry.get(item.rule_id).tier in ("independent", "associate")
    )
    for person_id in clinicians:
        if person_id not in associates:
            assert 1 <= licenses[person_id] <= 3
    assert any(registry.get(item.rule_id).tier == "certification" for item in credentials)
    # credentials: loaded rules, the expiration the rule gives, a dirty read-model row each
    for item in credentials:
        rule = registry.get(item.rule_id)
        assert rule.compact is None and item.issued < TODAY
        if item.status == "active":
            facts = LicenseFacts(issued=item.issued, birth_date=born[item.person_id])
            assert item.expires == derived_expiration(rule.renewal, facts, TODAY)
        row = stored[item.id]
        assert row.dirty and row.generation == 0 and row.result is None
    # 20 to 150 activities each, valid for the vocabularies, over several years
    per_person = Counter(item.person_id for item in activities)
    for person_id in {item.person_id for item in credentials}:
        assert synthetic_org.ACTIVITIES[0] <= per_person[person_id] <= synthetic_org.ACTIVITIES[1]
    for item in activities:
        validate_activity(
            {name: getattr(item, name) for name in ActivityInput.model_fields}, today=TODAY
        )
    first = min(item.completed for item in activities)
    assert (TODAY - first).days > 3 * 365
    assert len({item.unit for item in activities}) >= 2
    # weekly logs the app would accept, most signed, the latest pending
    assert logs and all((log.end - log.start).days == 6 for log in logs)
    for log in logs:
        validate_log({name: getattr(log, name) for name in LogInput.model_fields}, today=TODAY)
    statuses = Counter(log.status for log in logs)
    assert statuses["signed"] > statuses["pending"] > 0
    # verifications of most licenses, some overdue (older than the organization's interval)
    verified = {item.credential_id for item in verifications}
    assert len(verified) >= 0.6 * len(credentials)
    assert any((TODAY - item.verified_on).days > 365 for item in verifications)
    assert (loaded.activities, loaded.logs) == (len(activities), len(logs))


def test_supervisions_name_supervisors_of_the_organization(workspace):
    load(workspace)
    with workspace.transaction() as session:
        relationships = rows(session, SupervisionRelationship)
        paths = {path.person_id: path for path in rows(session, LicensurePath)}
        for relationship in relationships:
            validate_relationship(
                {name: getattr(relationship, name) for name in RelationshipInput.model_fields}
            )
            license_row = session.get(Credential, relationship.supervisor_credential_id)
            assert license_row.person_id == relationship.supervisor_person_id
            assert license_row.supervisor and license_row.status == "active"
            state = paths[relationship.person_id].rule_id.split("/")[0]
            assert license_row.rule_id.startswith(f"{state}/")
            assert license_row.issued <= relationship.starts_on < license_row.expires


def test_every_signature_chain_verifies(workspace):
    loaded = load(workspace)
    with workspace.transaction() as session:
        report = signoff.verify_chains(session, actor=Actor.system())
    assert report.broken is None
    assert report.signatures == loaded.signatures > 0
    assert report.associates == loaded.associates


def test_hr_sees_the_organization_and_everyone_evaluates(workspace):
    load(workspace)
    registry, system = workspace.registry, Actor.system()
    with workspace.transaction() as session:
        organization = session.exec(select(Organization)).scalars().one()
        before = compliance.compliance_rows(
            session, actor=system, organization=organization, registry=registry, today=TODAY
        )
        held = session.exec(select(func.count()).select_from(Credential)).scalar()
        person_ids = evaluation.needing_evaluation(
            session, actor=system, registry=registry, today=TODAY
        )
    assert len(before) == held and all(row.pending for row in before)
    with workspace.transaction() as session:
        evaluated = evaluation.evaluate_persons(
            session, actor=system, person_ids=person_ids, registry=registry, today=TODAY
        )
    with workspace.transaction() as session:
        statuses = Counter(session.exec(select(Evaluation.status)).scalars())
        after = compliance.compliance_rows(
            session, actor=system, organization=organization, registry=registry, today=TODAY
        )
    assert evaluated == held
    assert "error" not in statuses and "" not in statuses
    assert statuses["compliant"] and statuses["incomplete"]
    summary = compliance.summarize(after, TODAY)
    assert summary.pending == 0 and summary.licenses == held
    assert summary.overdue_verification > 0 and summary.unverified > 0


def _plain(value):
    if isinstance(value, datetime):
        return moment_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def digest(url: str) -> str:
    """SHA-256 over every row of the organization's tables, in id order."""
    with Session(get_engine(url)) as session:
        content = {
            model.__tablename__: [
                {key: _plain(value) for key, value in row._mapping.items()}
                for row in session.execute(select(model.__table__).order_by(model.id))
            ]
            for model in TABLES
        }
    return sha256_of(content)


def fresh(url: str, registry, tmp_path: Path) -> Workspace:
    engine = get_engine(url)
    upgrade(engine)
    return Workspace(engine=engine, registry=registry, files_dir=tmp_path / "files")


def test_the_seed_decides_every_row(tmp_path, registry, postgres_url):
    urls = {
        "first": f"sqlite:///{tmp_path / 'first.db'}",
        "again": f"sqlite:///{tmp_path / 'again.db'}",
        "postgresql": postgres_url,
        "other seed": f"sqlite:///{tmp_path / 'other.db'}",
    }
    for name, url in urls.items():
        load(fresh(url, registry, tmp_path), clinicians=12, seed=2 if name == "other seed" else 1)
    digests = {name: digest(url) for name, url in urls.items()}
    for url in urls.values():
        get_engine(url).dispose()
    assert digests["first"] == digests["again"] == digests["postgresql"]
    assert digests["other seed"] != digests["first"]


def test_refused_twice_for_no_clinicians_or_for_a_person(workspace):
    with pytest.raises(InputError):
        load(workspace, clinicians=0)
    hr = Actor(person_id=1, roles=frozenset({HR}), account_id=1)
    with pytest.raises(Forbidden):
        synthetic_org.generate_organization(workspace, actor=hr, clinicians=3, seed=1, today=TODAY)
    load(workspace, clinicians=3)
    with pytest.raises(InputError, match="already loaded"):
        load(workspace, clinicians=3)


def test_a_load_that_fails_part_way_leaves_nothing(workspace, monkeypatch):
    monkeypatch.setattr(synthetic_org, "PEOPLE_PER_TRANSACTION", 4)
    calls = []

    def broken(self, index):
        calls.append(index)
        raise RuntimeError("disk full")

    monkeypatch.setattr(synthetic_org._Generator, "associate", broken)
    with pytest.raises(RuntimeError):
        load(workspace, clinicians=20)
    assert calls
    with workspace.transaction() as session:
        left = {
            model.__tablename__: session.execute(select(func.count()).select_from(model)).scalar()
            for model in TABLES
        }
    assert set(left.values()) == {0}, left
    monkeypatch.undo()
    assert load(workspace, clinicians=20).people > 20


@pytest.fixture
def cli(database_url, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CETRACK_DATABASE_URL", database_url)
    monkeypatch.setenv("CETRACK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CETRACK_TODAY", TODAY.isoformat())
    get_settings.cache_clear()

    def run(*args: str) -> tuple[int, str]:
        code = main(list(args))
        return code, capsys.readouterr().err

    yield run
    get_settings.cache_clear()


def test_the_command_loads_once_with_a_progress_bar(cli):
    code, err = cli("demo", "--org", "--clinicians", "5")
    assert code == 0, err
    assert "loading [" in err and "5/5" in err
    assert "loaded Lakeside Behavioral Health (demo): 7 people" in err
    code, err = cli("demo", "--org", "--clinicians", "5")
    assert code == 1 and "already loaded" in err and "loading" not in err
    assert cli("demo", "--org", "--clinicians", "0")[0] == 2
    assert cli("demo", "--seed", "3")[0] == 2
    code, err = cli("demo")  # the one-clinician demo still loads beside it
    assert code == 0 and "loaded the demo clinician" in err
