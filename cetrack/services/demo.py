"""Demo data: a clinician with a TX LPC (with supervisor status), a NY LMHC and an NCC, and a
year of CE; and the LPC Associate they supervise, with a year of weekly logs (most signed,
the latest awaiting signature, one returned with a comment)."""

from __future__ import annotations

from datetime import date, timedelta

from fpdf import FPDF
from sqlmodel import Session

from cetrack.db.models import Credential, Person
from cetrack.engine.cycles import current_cycle, select_version
from cetrack.engine.records import LicenseFacts
from cetrack.services import (
    activities,
    certificates,
    credentials,
    people,
    signoff,
    supervision,
    supervision_logs,
)
from cetrack.services.actor import Actor
from cetrack.services.errors import InputError
from cetrack.services.policy import Action, WholeDatabase, require
from cetrack.services.workspace import Workspace

DEMO_EMAIL = "dana.rivera@example.org"
ASSOCIATE_EMAIL = "jordan.ellis@example.org"
ASSOCIATE_WEEKS = 52
PENDING_WEEKS = 3  # the latest weeks, not signed yet
RETURNED_WEEK = 5  # weeks before today's: returned with a comment

# days before today, title, provider, hours, categories, format, type, has a certificate
DEMO_ACTIVITIES: tuple[tuple, ...] = (
    (
        350,
        "Ethics and Boundaries in Telehealth",
        "NBCC-approved provider #6721",
        3,
        ["ethics", "boundaries", "telehealth"],
        "live_online",
        "course",
        True,
    ),
    (
        None,  # just before the Texas cycle began: the gap a newcomer should see
        "Culturally Responsive Counseling",
        "Texas Counseling Association",
        3,
        ["cultural_competency"],
        "in_person",
        "course",
        True,
    ),
    (
        290,
        "Suicide Risk Assessment and Safety Planning",
        "NBCC-approved provider #4410",
        6,
        ["suicide_prevention"],
        "in_person",
        "course",
        True,
    ),
    (
        255,
        "Trauma-Focused CBT Foundations",
        "NYSED-approved provider",
        6,
        ["trauma", "clinical"],
        "live_online",
        "course",
        True,
    ),
    (
        230,
        "Texas Jurisprudence Examination",
        "Texas BHEC",
        1,
        ["jurisprudence", "ethics"],
        "self_study",
        "exam",
        False,
    ),
    (
        205,
        "Motivational Interviewing Refresher",
        "NBCC-approved provider #6721",
        4,
        ["substance_use"],
        "self_study",
        "course",
        True,
    ),
    (
        180,
        "Professional Boundaries for Mental Health Counselors",
        "NYSED-approved provider",
        3,
        ["boundaries", "ethics"],
        "live_online",
        "course",
        True,
    ),
    (
        150,
        "Clinical Documentation That Survives an Audit",
        "Online CE Academy",
        2,
        ["practice_management"],
        "self_study",
        "course",
        False,
    ),
    (
        120,
        "Grief and Loss in Older Adults",
        "NBCC-approved provider #4410",
        3,
        ["clinical", "aging"],
        "live_online",
        "course",
        True,
    ),
    (
        100,
        "Ethical Decision-Making Workshop",
        "Texas Counseling Association",
        3,
        ["ethics"],
        "in_person",
        "course",
        True,
    ),
    (
        74,
        "EMDR Basic Training, Part 1",
        "EMDRIA-approved trainer",
        10,
        ["trauma", "clinical"],
        "in_person",
        "course",
        True,
    ),
    (
        50,
        "Human Trafficking: Recognition and Response",
        "Texas HHSC",
        1,
        ["human_trafficking"],
        "self_study",
        "course",
        False,
    ),
    (
        25,
        "Clinical Supervision: Models, Ethics and Documentation",
        "Online CE Academy",
        6,
        ["supervision", "clinical"],
        "self_study",
        "course",
        False,
    ),
    (
        12,
        "Couples Therapy Essentials",
        "NBCC-approved provider #6721",
        4,
        ["couples_family", "clinical"],
        "live_online",
        "course",
        True,
    ),
)

# rule, number, issued, supervisor status (Dana is an LPC-S in Texas)
DEMO_CREDENTIALS = (
    ("TX/LPC", "LPC 78412", date(2015, 9, 2), True),
    ("NY/LMHC", "010954", date(2019, 3, 15), False),
    ("national/NCC", "NCC 301877", date(2018, 10, 31), False),
)


def certificate_pdf(person: Person, title: str, provider: str, hours: float, day: date) -> bytes:
    """A plain certificate of completion, as a CE provider would issue it."""
    pdf = FPDF(orientation="L", format="Letter")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 26)
    pdf.cell(0, 30, "Certificate of Completion", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 16)
    for line in (
        f"This certifies that {person.name}",
        f'completed "{title}"',
        f"on {day.strftime('%B %d, %Y')} for {hours:g} continuing-education contact hours.",
        f"Provider: {provider}",
    ):
        pdf.cell(0, 14, line, align="C", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def load_demo(session: Session, workspace: Workspace, *, actor: Actor, today: date) -> Person:
    """Create the demo clinician (`actor` creates them: cetrack itself, on first start or from
    the command line); the clinician then logs their own credentials and year of CE."""
    require(actor, Action.CREATE, WholeDatabase())  # cetrack's, or a single-user database's
    if people.find_person(session, actor=actor, email=DEMO_EMAIL):
        raise InputError({"demo": "the demo clinician is already loaded"})
    person = people.create_person(
        session,
        actor=actor,
        email=DEMO_EMAIL,
        name="Dana Rivera",
        birth_date=date(1986, 6, 14),
        today=today,
    )
    actor = Actor.local(person)  # from here on the demo clinician acts for themselves
    added = {}
    for rule_id, number, issued, supervises in DEMO_CREDENTIALS:
        if rule_id in workspace.registry:
            added[rule_id] = credentials.add_credential(
                session,
                actor=actor,
                person=person,
                data={
                    "rule_id": rule_id,
                    "number": number,
                    "issued": issued,
                    "supervisor": supervises,
                },
                registry=workspace.registry,
                today=today,
            )
    before_texas_cycle = _before_cycle(workspace, added.get("TX/LPC"), today)
    for days_ago, title, provider, hours, categories, fmt, kind, with_file in DEMO_ACTIVITIES:
        day = before_texas_cycle if days_ago is None else today - timedelta(days=days_ago)
        certificate_id = None
        if with_file:
            certificate_id = certificates.upload_certificate(
                session,
                actor=actor,
                person=person,
                data=certificate_pdf(person, title, provider, hours, day),
                filename=f"{title}.pdf",
                files_dir=workspace.files_dir,
            ).id
        activities.log_activity(
            session,
            actor=actor,
            person=person,
            data={
                "title": title,
                "provider": provider,
                "completed": day,
                "amount": hours,
                "categories": categories,
                "format": fmt,
                "type": kind,
            },
            today=today,
            certificate_id=certificate_id,
        )
    if "TX/LPC" in workspace.registry:
        _demo_associate(session, workspace, supervisor=person, today=today)
    return person


def _demo_week(relationship_id: int, start: date, number: int) -> dict:
    """A plausible week: 16 to 24 h of counseling, some by telehealth, an hour of individual
    supervision every week and group supervision every other week."""
    direct = 16 + (number * 7) % 9
    return {
        "relationship_id": relationship_id,
        "start": start,
        "end": start + timedelta(days=6),
        "direct": direct,
        "telehealth": (number * 3) % 6,
        "couples_family": 2 if number % 4 == 0 else 0,
        "indirect": 8 + number % 5,
        "individual_supervision": 1,
        "group_supervision": 1.5 if number % 2 else 0,
        "group_size": 5 if number % 2 else None,
        "setting": "Riverside Counseling Center",
    }


def _demo_associate(
    session: Session, workspace: Workspace, *, supervisor: Person, today: date
) -> Person:
    """Jordan Ellis, a TX LPC Associate under Dana for the last year."""
    associate = people.create_person(
        session,
        actor=Actor.system(),
        email=ASSOCIATE_EMAIL,
        name="Jordan Ellis",
        birth_date=date(1996, 2, 9),
        today=today,
    )
    first_monday = today - timedelta(days=today.weekday() + 7 * ASSOCIATE_WEEKS)
    actor = Actor.local(associate)
    supervision.add_path(
        session,
        actor=actor,
        person=associate,
        data={
            "rule_id": "TX/LPC",
            "started_on": first_monday,
            "registration_number": "LPC-A 91234",
            "registration_issued": first_monday - timedelta(days=10),
        },
        registry=workspace.registry,
        today=today,
    )
    relationship = supervision.add_supervisor(
        session,
        actor=actor,
        person=associate,
        data={
            "supervisor_name": supervisor.name,
            "supervisor_email": supervisor.email,
            "supervisor_license": "TX LPC",
            "supervisor_license_number": "LPC 78412",
            "supervisor_credential": "LPC-S",
            "setting": "Riverside Counseling Center",
            "starts_on": first_monday,
        },
        state="TX",
    )
    rows = [
        _demo_week(relationship.id, first_monday + timedelta(weeks=number), number)
        for number in range(ASSOCIATE_WEEKS)
    ]
    logs = supervision_logs.add_logs(session, actor=actor, person=associate, rows=rows, today=today)
    signer = supervision.local_actor(session, supervisor)
    for number, log in enumerate(logs):
        weeks_ago = ASSOCIATE_WEEKS - number
        if weeks_ago == RETURNED_WEEK:
            signoff.return_log(
                session,
                actor=signer,
                log_id=log.id,
                comment="Please split the group supervision out of the individual hour.",
            )
        elif weeks_ago > PENDING_WEEKS:
            signoff.sign_log(session, actor=signer, log_id=log.id)
    return associate


def _before_cycle(workspace: Workspace, credential: Credential | None, today: date) -> date:
    """Twenty days before the credential's current cycle began (or about 17 months ago)."""
    if credential is None:
        return today - timedelta(days=520)
    rule = workspace.registry.get(credential.rule_id)
    renewal = select_version(rule.renewal, credential.expires, "renewal")
    facts = LicenseFacts(expires=credential.expires, issued=credential.issued)
    cycle, _ = current_cycle(renewal, facts, today)
    return cycle.start - timedelta(days=20)
