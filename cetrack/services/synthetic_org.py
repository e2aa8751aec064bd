"""A synthetic organization for benchmarks (`cetrack demo --org`): departments, clinicians
holding 1 to 3 licenses across the states that have rule files (and national certifications),
years of CE over several cycles, associates with weekly supervision logs and their signature
chains, and HR's verifications (some overdue).

Everything comes from `random.Random` seeded by the seed (one generator per person, so a
person's records do not depend on how the load is chunked) and from `today`, timestamps
included: the same seed on the same day gives the same rows. The rows are written with
SQLAlchemy Core bulk inserts, one transaction per chunk of people; ids are reserved up front
(the next ids under SQLite's write lock, `nextval` on PostgreSQL) so related rows can name
each other without a round trip per row. The rows keep every invariant the app relies on:
loaded rule ids, expirations the rules give, a dirty `Evaluation` row per credential, active
memberships, CE in the shared vocabularies, and signatures chained as `signoff.sign_log`
chains them (`signoff.verify_chains` passes). One audit event records the load; a load that
fails part-way is removed again.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Table, delete, func, insert, select, text
from sqlmodel import Session

from cetrack.db.engine import transaction
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
from cetrack.engine.cycles import RuleInputError, current_cycle, derived_expiration, select_version
from cetrack.engine.dates import add_months
from cetrack.engine.records import LicenseFacts
from cetrack.hashing import sha256_of
from cetrack.roles import ADMIN, CLINICIAN, HR, SUPERVISOR
from cetrack.rules.registry import Registry
from cetrack.rules.schema import ContinuingEducation, Requirement, RuleFile
from cetrack.services import audit
from cetrack.services.actor import Actor
from cetrack.services.errors import InputError
from cetrack.services.policy import Action, WholeDatabase, require
from cetrack.services.signoff import GENESIS, SUPERVISOR_CONTENT, link_hash, log_content
from cetrack.services.supervision_logs import PENDING, RETURNED, SIGNED
from cetrack.services.workspace import Workspace

ORGANIZATION_NAME = "Lakeside Behavioral Health (demo)"
DOMAIN = "lakeside-bh.example.org"
MAX_CLINICIANS = 100_000
PEOPLE_PER_TRANSACTION = 500
ROWS_PER_STATEMENT = 5_000
ACTIVITIES = (20, 150)  # per clinician
ASSOCIATE_SHARE = (0.05, 0.10)

ProgressCallback = Callable[[int], None]


@dataclass(frozen=True)
class OrganizationSummary:
    organization_id: int
    name: str
    people: int  # clinicians, associates and staff
    clinicians: int  # licensed clinicians and associates
    associates: int
    licenses: int  # state licenses, associate registrations included
    certifications: int
    activities: int
    logs: int
    signatures: int
    verifications: int
    seconds: float


# --- vocabulary of a plausible organization ---------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


DEPARTMENTS = (
    ("Adult Outpatient", 24),
    ("Child and Family Services", 16),
    ("Crisis Services", 9),
    ("Substance Use Treatment", 11),
    ("Integrated Primary Care", 8),
    ("Telehealth", 10),
    ("Residential Treatment", 6),
    ("Community Outreach", 6),
    ("Older Adult Services", 4),
    ("Forensic and Court Services", 3),
    ("Psychological Assessment", 3),
)
FIRST_NAMES = _words(
    "Aaliyah Aaron Abigail Adrian Aisha Alejandro Alex Alicia Amara Amelia Ana Andre Andrea "
    "Angela Anthony Ari Ava Benjamin Bianca Brandon Brianna Caleb Camila Carlos Carmen "
    "Caroline Casey Catherine Chloe Chris Claire Daniel Danielle David Deepa Derek Destiny "
    "Diana Dmitri Elena Elijah Elizabeth Emily Emma Eric Esther Ethan Fatima Felipe Gabriel "
    "Grace Hannah Hiro Isaac Isabella Jacob Jada Jamal James Jasmine Javier Jennifer Jessica "
    "John Jordan Jose Joseph Joy Julia Julian Kai Karen Katherine Kayla Keisha Kevin Laura "
    "Lauren Leah Leo Liam Lily Linh Lucas Lucia Madison Malik Marcus Maria Mariam Mark "
    "Maya Megan Mei Michael Michelle Miguel Mohammed Monica Nadia Naomi Nathan Nicole Noah "
    "Olivia Omar Patricia Paul Priya Rachel Rafael Rebecca Ricardo Robert Rosa Ryan Samantha "
    "Samuel Sara Sean Sofia Stephanie Sunita Tamara Taylor Teresa Thomas Tyler Valeria "
    "Vanessa Victor Wei William Xavier Yasmin Yusuf Zoe"
)
LAST_NAMES = _words(
    "Abbott Acosta Adams Ahmed Alexander Ali Allen Alvarez Anderson Bailey Baker Banks Barnes "
    "Bell Bennett Brooks Brown Bryant Butler Campbell Carter Castillo Chang Chavez Chen Clark "
    "Cohen Coleman Collins Cook Cooper Cruz Davis Diaz Dixon Edwards Ellis Evans Fischer "
    "Flores Foster Franklin Garcia Gomez Gonzalez Gordon Graham Green Griffin Gupta Hall "
    "Hamilton Harris Hayes Henderson Hernandez Hill Hoang Howard Hughes Jackson James Jenkins "
    "Johnson Jones Jordan Kang Kelly Khan Kim King Kowalski Lee Lewis Lin Lopez Martin "
    "Martinez Mendoza Miller Mitchell Moore Morales Morgan Murphy Myers Nguyen Nelson Okafor "
    "Ortiz Owens Parker Patel Perez Perry Peterson Phillips Powell Price Ramirez Ramos Reed "
    "Reyes Richardson Rivera Roberts Robinson Rodriguez Rogers Ross Russell Sanchez Sanders "
    "Scott Shah Silva Singh Smith Stewart Sullivan Taylor Thomas Thompson Torres Tran Turner "
    "Walker Wallace Wang Ward Washington Watson White Williams Wilson Wong Wright Wu Yang "
    "Young Zhang"
)
PROFESSIONS = (("counselor", 36), ("social_work", 34), ("mft", 16), ("psychology", 14))
ASSOCIATE_PROFESSIONS = (("counselor", 50), ("social_work", 30), ("mft", 18), ("psychology", 2))
# national certifications, by profession: (rule id, share of that profession holding it)
CERTIFICATIONS = {
    "counselor": (("national/NCC", 0.45), ("national/CCMHC", 0.08), ("national/MAC", 0.05)),
    "social_work": (("national/NCAC-I", 0.05), ("national/NCAC-II", 0.03)),
    "mft": (("national/AAMFT-AS", 0.10),),
    "psychology": (),
}
PROVIDERS = (
    "NBCC-approved provider #6721",
    "NBCC-approved provider #4410",
    "NASW Professional Education",
    "AAMFT Learning Center",
    "APA Continuing Education",
    "PESI Behavioral Health",
    "Psychotherapy Networker",
    "Online CE Academy",
    "Relias Learning",
    "CE4Less",
    "University Extension, School of Social Work",
    "State Counseling Association",
    "Lakeside Behavioral Health Training Institute",
    "EMDRIA-approved trainer",
    "Beck Institute",
)
TITLES = {
    "ethics": (
        "Ethics and Boundaries in Telehealth",
        "Ethical Decision-Making Workshop",
        "Ethics for Mental Health Professionals",
        "Confidentiality, Duty to Warn and Ethics",
        "Social Media and Professional Ethics",
    ),
    "jurisprudence": ("Laws and Rules for Mental Health Professionals", "Jurisprudence Update"),
    "suicide_prevention": (
        "Suicide Risk Assessment and Safety Planning",
        "Collaborative Assessment and Management of Suicidality",
        "Counseling on Access to Lethal Means",
    ),
    "cultural_competency": (
        "Culturally Responsive Counseling",
        "Cultural Humility in Clinical Practice",
        "Serving LGBTQ+ Clients Affirmatively",
    ),
    "supervision": (
        "Clinical Supervision: Models, Ethics and Documentation",
        "Supervising Associates: Evaluation and Feedback",
    ),
    "telehealth": ("Telehealth Best Practices", "Technology-Assisted Counseling"),
    "hiv_aids": ("HIV/AIDS: Prevention, Testing and Counseling",),
    "domestic_violence": (
        "Intimate Partner Violence: Screening and Response",
        "Domestic Violence Assessment",
    ),
    "child_abuse": ("Child Abuse Recognition and Mandated Reporting",),
    "elder_abuse": ("Elder Abuse and Dependent-Adult Abuse",),
    "human_trafficking": ("Human Trafficking: Recognition and Response",),
    "implicit_bias": ("Implicit Bias in Behavioral Health Care",),
    "substance_use": (
        "Motivational Interviewing Refresher",
        "Co-Occurring Disorders Treatment",
        "Medication for Opioid Use Disorder: What Counselors Need to Know",
    ),
    "medical_errors": ("Preventing Medical Errors in Behavioral Health",),
    "trauma": (
        "Trauma-Focused CBT Foundations",
        "EMDR Basic Training, Part 1",
        "Treating Complex Trauma",
        "Trauma-Informed Care in Community Settings",
    ),
    "boundaries": ("Professional Boundaries for Mental Health Counselors",),
    "clinical": (
        "Dialectical Behavior Therapy Skills",
        "Cognitive Processing Therapy",
        "Assessment and Treatment of Anxiety Disorders",
        "Treating Depression with Behavioral Activation",
        "Acceptance and Commitment Therapy",
        "DSM-5-TR Diagnostic Update",
        "Treating Eating Disorders",
        "Working with Adolescents",
        "Perinatal Mental Health",
    ),
    "crisis_management": ("Crisis Intervention and De-escalation",),
    "sexual_harassment": ("Sexual Harassment Prevention in the Workplace",),
    "dementia": ("Alzheimer's Disease and Dementia Care",),
    "pain_management": ("Chronic Pain and Mental Health",),
    "opioids": ("Opioids: Risks, Alternatives and Counseling",),
    "practice_management": (
        "Clinical Documentation That Survives an Audit",
        "Billing and Coding for Therapists",
    ),
    "pharmacology": ("Psychopharmacology Update",),
    "couples_family": ("Couples Therapy Essentials", "Family Systems in Practice"),
    "aging": ("Grief and Loss in Older Adults", "Mental Health and Aging"),
    "general": ("Burnout Prevention and Self-Care", "Mindfulness for Clinicians"),
}
RELATED = {  # second categories a course often carries too
    "ethics": ("boundaries", "telehealth", "practice_management"),
    "trauma": ("clinical",),
    "clinical": ("trauma", "substance_use", "couples_family"),
    "substance_use": ("clinical", "opioids"),
    "aging": ("clinical", "dementia"),
    "suicide_prevention": ("crisis_management",),
    "couples_family": ("clinical",),
    "telehealth": ("ethics",),
}
# what a clinician takes beside what the rules require, by weight
ELECTIVES = (
    ("clinical", 30),
    ("trauma", 12),
    ("ethics", 8),
    ("substance_use", 8),
    ("couples_family", 5),
    ("cultural_competency", 5),
    ("suicide_prevention", 4),
    ("telehealth", 4),
    ("crisis_management", 3),
    ("aging", 3),
    ("practice_management", 3),
    ("general", 4),
    ("supervision", 2),
    ("domestic_violence", 2),
    ("implicit_bias", 2),
    ("boundaries", 2),
)
FORMATS = (("live_online", 42), ("in_person", 30), ("self_study", 28))
AMOUNTS = (1, 1, 1.5, 2, 2, 3, 3, 3, 4, 6)  # clock hours of one course
# pace of CE: share of people, (low, high) factor of the hours their rules ask a year,
# the chance a required topic is covered in a cycle, and the share of electives before
# the current cycle (people who stopped logging)
PACES = (
    (65, (1.3, 2.2), 0.97, None),
    (15, (2.2, 3.5), 0.97, None),
    (13, (0.6, 1.0), 0.6, None),
    (7, (0.2, 0.5), 0.3, 0.75),
)
RETURN_COMMENTS = (
    "Please split the group supervision out of the individual hour.",
    "Direct hours look high for this week; check the schedule and resubmit.",
    "Telehealth hours cannot exceed direct hours; please correct.",
)
STATE_NAMES = {
    "AK": "Alaska", "AL": "Alabama", "AR": "Arkansas", "AZ": "Arizona", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DC": "District of Columbia", "DE": "Delaware",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "IA": "Iowa", "ID": "Idaho",
    "IL": "Illinois", "IN": "Indiana", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "MA": "Massachusetts", "MD": "Maryland", "ME": "Maine", "MI": "Michigan", "MN": "Minnesota",
    "MO": "Missouri", "MS": "Mississippi", "MT": "Montana", "NC": "North Carolina",
    "ND": "North Dakota", "NE": "Nebraska", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NV": "Nevada", "NY": "New York", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VA": "Virginia",
    "VT": "Vermont", "WA": "Washington", "WI": "Wisconsin", "WV": "West Virginia",
    "WY": "Wyoming",
}  # fmt: skip


def _weighted(rng: random.Random, choices: Sequence[tuple[Any, float]]) -> Any:
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights)[0]


def _day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _moment(day: date, rng: random.Random, first_hour: int = 8, last_hour: int = 20) -> datetime:
    """A time of that day (UTC), to the second."""
    seconds = rng.randint(first_hour * 3600, last_hour * 3600 - 1)
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=seconds)


# --- what the rules offer -----------------------------------------------------------------


@dataclass(frozen=True)
class _Catalog:
    """The loaded rules, sorted the same way on every run."""

    licenses: dict[str, list[RuleFile]]  # profession -> independent state licenses
    paths: list[RuleFile]  # rules with supervised experience
    associate_rules: dict[tuple[str, str], RuleFile]  # (state, profession) -> registration
    certifications: dict[str, list[tuple[RuleFile, float]]]

    @classmethod
    def of(cls, registry: Registry) -> _Catalog:
        rules = [registry.get(rule_id) for rule_id in registry.ids()]
        states = [rule for rule in rules if len(rule.state) == 2 and rule.renewal and rule.ce]
        licenses: dict[str, list[RuleFile]] = {}
        for rule in states:
            if rule.tier == "independent":
                licenses.setdefault(rule.profession, []).append(rule)
        return cls(
            licenses=licenses,
            paths=[rule for rule in states if rule.supervised_experience],
            associate_rules={
                (rule.state, rule.profession): rule for rule in states if rule.tier == "associate"
            },
            certifications={
                profession: [
                    (registry.get(rule_id), share) for rule_id, share in held if rule_id in registry
                ]
                for profession, held in CERTIFICATIONS.items()
            },
        )


def _ce_version(rule: RuleFile, expires: date) -> ContinuingEducation:
    try:
        return select_version(rule.ce, expires, "ce")
    except RuleInputError:
        return rule.ce[-1]


def _has_versions(rule: RuleFile, expires: date) -> bool:
    """Whether a renewal and a CE version of the rule apply to a cycle ending then."""
    versions = (rule.renewal, rule.ce)
    return all(any(version.applies_on(expires) for version in found) for found in versions)


def _label(rule: RuleFile) -> str:
    return f"{rule.state} {rule.license}"


def _supervisor_credential_text(rule: RuleFile) -> str:
    """What a supervisor's credential is called in the rule ("LPC-S (...)" -> "LPC-S")."""
    requirement = rule.supervised_experience[-1].supervisor
    if requirement is None or not requirement.credential:
        return ""
    return requirement.credential.split(" (")[0][:120]


def _registration_abbreviation(rule: RuleFile) -> str:
    """ "Licensed Professional Counselor Associate (LPCA)" -> "LPCA"; else "LPC-A"."""
    title = rule.supervised_experience[-1].associate_title
    if title.endswith(")") and "(" in title:
        return title.rsplit("(", 1)[1][:-1]
    return f"{rule.license}-A"


# --- one person's records, before ids ----------------------------------------------------


@dataclass
class _Credential:
    rule: RuleFile
    row: dict
    cycle_start: date
    verifications: list[dict] = field(default_factory=list)


@dataclass
class _Relationship:
    row: dict
    logs: list[dict] = field(default_factory=list)
    signed_at: dict[int, datetime] = field(default_factory=dict)  # log index -> moment


@dataclass
class _Member:
    person: dict
    membership: dict
    credentials: list[_Credential] = field(default_factory=list)
    activities: list[dict] = field(default_factory=list)
    path: dict | None = None
    relationships: list[_Relationship] = field(default_factory=list)
    profession: str = ""


@dataclass(frozen=True)
class _SupervisorEntry:
    person_id: int
    credential_id: int
    name: str
    email: str
    label: str
    number: str


class _Generator:
    """Builds each person's rows from the seed; remembers what later people need (emails
    taken, supervisors by state)."""

    def __init__(self, registry: Registry, seed: int, today: date, organization_id: int):
        self.registry, self.seed, self.today = registry, seed, today
        self.organization_id = organization_id
        self.catalog = _Catalog.of(registry)
        self.loaded_at = datetime(today.year, today.month, today.day, 6, tzinfo=UTC)
        master = random.Random(f"cetrack-org/{seed}")
        self.master = master
        # where most of the organization practises: a few states with supervised experience
        states = sorted({rule.state for rule in self.catalog.paths})
        self.home_states = frozenset(master.sample(states, min(4, len(states))))
        self.emails: set[str] = set()
        self.supervisors: dict[tuple[str, str], list[_SupervisorEntry]] = {}
        self.verifiers: list[int] = []

    def rng(self, index: int) -> random.Random:
        return random.Random(f"cetrack-org/{self.seed}/{index}")

    # -- people -------------------------------------------------------------------------

    def _email(self, first: str, last: str) -> str:
        base = f"{first}.{last}".lower().replace("'", "")
        email, number = f"{base}@{DOMAIN}", 1
        while email in self.emails:
            number += 1
            email = f"{base}{number}@{DOMAIN}"
        self.emails.add(email)
        return email

    def _person(self, rng: random.Random, age: tuple[int, int]) -> dict:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        years = rng.randint(*age)
        born = _day_between(
            rng, date(self.today.year - years - 1, 1, 1), date(self.today.year - years, 12, 28)
        )
        return {
            "email": self._email(first, last),
            "name": f"{first} {last}",
            "birth_date": born,
            "created_at": self.loaded_at,
            "version": 1,
        }

    def _membership(self, roles: list[str], department: str) -> dict:
        return {
            "organization_id": self.organization_id,
            "roles": sorted(roles),
            "department": department,
            "active": True,
            "created_at": self.loaded_at,
            "version": 1,
        }

    def staff(self, count_hr: int) -> list[_Member]:
        rng = random.Random(f"cetrack-org/{self.seed}/staff")
        found = []
        for number in range(count_hr + 1):
            person = self._person(rng, (30, 60))
            if number == 0:
                found.append(_Member(person, self._membership([ADMIN], "Administration")))
            else:
                found.append(_Member(person, self._membership([HR], "Human Resources")))
        return found

    # -- credentials ---------------------------------------------------------------------

    def _credential(
        self,
        rng: random.Random,
        rule: RuleFile,
        *,
        born: date,
        issued: date,
        supervisor: bool = False,
        number: str | None = None,
        may_lapse: bool = True,
    ) -> _Credential | None:
        """A credential with the expiration its rule gives (a few lapsed: not renewed)."""
        facts = LicenseFacts(issued=issued, birth_date=born)
        try:
            expires = derived_expiration(rule.renewal, facts, self.today)
            renewal = select_version(rule.renewal, expires, "renewal")
            cycle, _ = current_cycle(renewal, replace(facts, expires=expires), self.today)
        except RuleInputError:
            return None
        status = "active"
        lapses = may_lapse and not supervisor and rng.random() < 0.02
        if lapses and cycle.previous_end > issued and _has_versions(rule, cycle.previous_end):
            expires, status = cycle.previous_end, "expired"  # not renewed
        if not _has_versions(rule, expires):
            return None
        flags = []
        offered = sorted(
            {
                flag
                for requirement in _ce_version(rule, expires).requirements
                if requirement.when
                for flag in requirement.when.flags
            }
        )
        if offered and rng.random() < 0.3:
            flags = [rng.choice(offered)]
        row = {
            "rule_id": rule.id,
            "number": number or f"{rule.license} {rng.randint(10000, 999999)}",
            "issued": issued,
            "expires": expires,
            "status": status,
            "supervisor": supervisor,
            "flags": flags,
            "home_credential_id": None,
            "remote_state": "",
            "attestations": [],
            "created_at": self.loaded_at,
            "updated_at": self.loaded_at,
            "deleted_at": None,
            "version": 1,
        }
        return _Credential(rule, row, cycle.start)

    def _licenses(
        self, rng: random.Random, profession: str, born: date, *, force_supervisor: bool
    ) -> list[_Credential]:
        rules = self.catalog.licenses.get(profession, [])
        if not rules:
            return []
        home = [rule for rule in rules if rule.state in self.home_states]
        if force_supervisor:
            home = [rule for rule in home if rule.supervised_experience] or home
        first = rng.choice(home) if home and (force_supervisor or rng.random() < 0.7) else None
        first = first or rng.choice(rules)
        count = _weighted(rng, ((1, 60), (2, 28), (3, 12)))
        elsewhere: dict[str, list[RuleFile]] = {}
        for rule in rules:
            if rule.state != first.state:
                elsewhere.setdefault(rule.state, []).append(rule)
        states = rng.sample(sorted(elsewhere), min(count - 1, len(elsewhere)))
        chosen = [first, *(rng.choice(elsewhere[state]) for state in states)]
        latest = self.today - timedelta(days=(6 * 365 if force_supervisor else 90))
        earliest = date(born.year + 26, born.month, min(born.day, 28))
        licensed_from = min(max(earliest, self.today - timedelta(days=30 * 365)), latest)
        issued = _day_between(rng, licensed_from, latest)
        years = (self.today - issued).days / 365
        supervises = force_supervisor or (years >= 4 and rng.random() < 0.3)
        found = []
        for position, rule in enumerate(chosen):
            if position:
                issued = _day_between(rng, issued, self.today - timedelta(days=60))
            made = self._credential(
                rng, rule, born=born, issued=issued, supervisor=supervises and position == 0
            )
            if made is not None:
                found.append(made)
        return found

    def _certifications(
        self, rng: random.Random, profession: str, born: date, licensed: date
    ) -> list[_Credential]:
        found = []
        for rule, share in self.catalog.certifications.get(profession, []):
            if rng.random() < share:
                issued = _day_between(rng, licensed, self.today - timedelta(days=30))
                made = self._credential(rng, rule, born=born, issued=issued, may_lapse=False)
                if made is not None:
                    found.append(made)
        return found

    def _verify(self, rng: random.Random, credential: _Credential) -> None:
        """HR's look-ups: most licenses, half the certifications; a third with an older one
        before it; about a quarter of the current ones past the yearly re-verification."""
        certification = credential.rule.tier == "certification"
        if not self.verifiers or rng.random() > (0.5 if certification else 0.88):
            return
        row = credential.row
        earliest = row["issued"]
        current = self.today - timedelta(days=rng.randint(3, 520))
        if current < earliest:
            current = _day_between(rng, earliest, self.today)
        days = [current]
        if rng.random() < 0.35 and current - timedelta(days=400) >= earliest:
            days.insert(0, current - timedelta(days=rng.randint(330, 400)))
        for day in days:
            result = "active"
            if row["status"] == "expired" and day > row["expires"]:
                result = "expired"
            elif rng.random() < 0.02:
                result = "disciplined"
            elif rng.random() < 0.005:
                result = "not_found"
            note = {
                "disciplined": "Board order on file; practice not restricted.",
                "not_found": "No match for the number on file; asked the licensee.",
                "expired": "The board shows the license expired.",
            }.get(result, "")
            credential.verifications.append(
                {
                    "person_id": None,  # set with the ids
                    "organization_id": self.organization_id,
                    "verified_on": day,
                    "verified_by_person_id": rng.choice(self.verifiers),
                    "method": _weighted(
                        rng, (("online_lookup", 90), ("board_letter", 6), ("phone", 4))
                    ),
                    "url": credential.rule.verification_url,
                    "result": result,
                    "note": note,
                    "evidence_certificate_id": None,
                    "created_at": _moment(day, rng, 14, 23),
                }
            )

    # -- CE --------------------------------------------------------------------------------

    def _activity(
        self,
        rng: random.Random,
        completed: date,
        category: str,
        hours: float,
        *,
        kind: str = "course",
        state: str = "",
        formats: Sequence[str] = (),
    ) -> dict:
        categories = [category]
        if category in RELATED and rng.random() < 0.3:
            categories.append(rng.choice(RELATED[category]))
        title = rng.choice(TITLES[category])
        provider = rng.choice(PROVIDERS)
        if category == "jurisprudence" and state:
            title = f"{STATE_NAMES.get(state, state)} {title}"
            provider = f"{STATE_NAMES.get(state, state)} licensing board"
            kind = "exam" if rng.random() < 0.5 else kind
        amount, unit = float(hours), "hours"
        draw = rng.random()
        if kind == "course" and draw < 0.06:
            amount, unit = float(round(hours * 60)), "minutes"
        elif kind == "course" and draw < 0.08:
            kind = _weighted(rng, (("agency_training", 3), ("peer_consultation", 1)))
        fmt = "self_study" if kind == "exam" else _weighted(rng, FORMATS)
        if formats and fmt not in formats:
            fmt = rng.choice(sorted(formats))
        created = min(_moment(completed + timedelta(days=rng.randint(0, 20)), rng), self.loaded_at)
        return {
            "title": title,
            "provider": provider,
            "completed": completed,
            "amount": amount,
            "unit": unit,
            "categories": categories,
            "format": fmt,
            "type": kind,
            "notes": "",
            "certificate_id": None,
            "created_at": created,
            "updated_at": created,
            "deleted_at": None,
            "version": 1,
        }

    def _activities(self, rng: random.Random, credentials: list[_Credential]) -> list[dict]:
        """Years of CE: the topics each license requires, cycle after cycle (as often as the
        person's pace allows), then electives up to the person's yearly hours."""
        yesterday = self.today - timedelta(days=1)
        _, (low, high), coverage, stopped = _weighted(rng, [(pace, pace[0]) for pace in PACES])
        cycles = [
            (credential, credential.rule.renewal[-1].cycle_months) for credential in credentials
        ]
        longest = max(months for _, months in cycles)
        span_start = max(
            min(credential.cycle_start for credential in credentials)
            - timedelta(days=min(longest * 2, 60) * 30),
            self.today - timedelta(days=8 * 365),
            min(credential.row["issued"] for credential in credentials) - timedelta(days=365),
        )
        span_start = min(span_start, self.today - timedelta(days=2 * 365))
        current_start = max(credential.cycle_start for credential in credentials)
        found: list[dict] = []
        for credential, months in cycles:
            version = _ce_version(credential.rule, credential.row["expires"])
            windows = []
            start = credential.cycle_start
            while start > span_start and len(windows) < 3:
                end = min(yesterday, add_months(start, months) - timedelta(days=1))
                windows.append((max(start, span_start), end))
                start = add_months(start, -months)
            for number, (first, last) in enumerate(windows):
                share = 1.0
                if number == 0:  # the current cycle is under way
                    elapsed = (self.today - credential.cycle_start).days / max(1, months * 30.4)
                    share = min(1.0, 0.2 + elapsed)
                for requirement in version.requirements:
                    if not _applies(requirement, credential.row):
                        continue
                    if requirement.frequency == "once" and number:
                        continue
                    if rng.random() > coverage * share:
                        continue
                    category = requirement.categories[0] if requirement.categories else None
                    if category is None or category not in TITLES:
                        continue
                    kind = requirement.types[0] if requirement.types else "course"
                    if kind not in ("course", "exam", "academic", "agency_training"):
                        kind = "course"
                    hours = min(requirement.hours, 12)
                    parts = [hours] if hours <= 4 else [round(hours / 2 + 0.25, 0)] * 2
                    for part in parts:
                        found.append(
                            self._activity(
                                rng,
                                _day_between(rng, first, last),
                                category,
                                max(1.0, part),
                                kind=kind,
                                state=credential.rule.state,
                                formats=requirement.formats,
                            )
                        )
        yearly = max(
            _ce_version(c.rule, c.row["expires"]).total_hours / (months / 12)
            for c, months in cycles
        )
        years = (self.today - span_start).days / 365
        electives = round(yearly * rng.uniform(low, high) * years / 2.7) - len(found)
        total = min(ACTIVITIES[1], max(ACTIVITIES[0], len(found) + max(0, electives)))
        if len(found) > total:
            found = rng.sample(found, total)
        while len(found) < total:
            if stopped and rng.random() < stopped and current_start > span_start:
                completed = _day_between(rng, span_start, current_start - timedelta(days=1))
            else:
                completed = _day_between(rng, span_start, yesterday)
            category = _weighted(rng, ELECTIVES)
            if rng.random() < 0.01:
                found.append(self._academic(rng, completed))
            else:
                found.append(self._activity(rng, completed, category, rng.choice(AMOUNTS)))
        return _without_duplicates(found)

    def _academic(self, rng: random.Random, completed: date) -> dict:
        row = self._activity(rng, completed, "clinical", 3)
        row.update(
            title=f"Graduate seminar: {row['title']}",
            provider="State University, Department of Counseling",
            amount=3.0,
            unit="semester_credit",
            type="academic",
            format=rng.choice(("in_person", "live_online")),
        )
        return row

    # -- people of each kind -------------------------------------------------------------

    def clinician(self, index: int, *, force_supervisor: bool = False) -> _Member:
        rng = self.rng(index)
        profession = _weighted(rng, PROFESSIONS)
        person = self._person(rng, (28, 67))
        licenses = self._licenses(
            rng, profession, person["birth_date"], force_supervisor=force_supervisor
        )
        licensed = min((c.row["issued"] for c in licenses), default=self.today)
        held = licenses + self._certifications(rng, profession, person["birth_date"], licensed)
        roles = [CLINICIAN] + ([SUPERVISOR] if any(c.row["supervisor"] for c in held) else [])
        member = _Member(
            person,
            self._membership(roles, _weighted(rng, DEPARTMENTS)),
            credentials=held,
            profession=profession,
        )
        for credential in held:
            self._verify(rng, credential)
        if held:
            member.activities = self._activities(rng, held)
        return member

    def associate(self, index: int) -> _Member:
        """An associate gaining supervised experience toward a license under a supervisor in
        the organization (a clinician if no supervisor practises where they could)."""
        rng = self.rng(index)
        profession = _weighted(rng, ASSOCIATE_PROFESSIONS)
        candidates = [
            rule
            for rule in self.catalog.paths
            if self.supervisors.get((rule.state, rule.profession))
        ]
        same = [rule for rule in candidates if rule.profession == profession]
        if not candidates:
            return self.clinician(index)
        weights = [5 if rule.state in self.home_states else 1 for rule in same or candidates]
        path_rule = rng.choices(same or candidates, weights)[0]
        profession = path_rule.profession
        person = self._person(rng, (24, 40))
        weeks = rng.randint(20, 120)
        this_monday = self.today - timedelta(days=self.today.weekday())
        started = this_monday - timedelta(weeks=weeks)
        registered = started - timedelta(days=rng.randint(3, 40))
        abbreviation = _registration_abbreviation(path_rule)
        number = f"{abbreviation} {rng.randint(10000, 99999)}"
        held = []
        registration = self.catalog.associate_rules.get((path_rule.state, profession))
        if registration is not None:
            made = self._credential(
                rng,
                registration,
                born=person["birth_date"],
                issued=registered,
                number=number,
                may_lapse=False,
            )
            held += [made] if made else []
        held += self._certifications(rng, profession, person["birth_date"], registered)
        department = _weighted(rng, DEPARTMENTS)
        member = _Member(
            person,
            self._membership([CLINICIAN], department),
            credentials=held,
            profession=profession,
        )
        member.path = {
            "rule_id": path_rule.id,
            "started_on": started,
            "registration_number": number,
            "registration_issued": registered,
            "created_at": _moment(started, rng),
            "updated_at": _moment(started, rng),
            "deleted_at": None,
            "version": 1,
        }
        for credential in held:
            self._verify(rng, credential)
        if held:
            member.activities = self._activities(rng, held)
        self._supervision(rng, member, path_rule, started, weeks, department)
        return member

    def _supervision(
        self,
        rng: random.Random,
        member: _Member,
        rule: RuleFile,
        started: date,
        weeks: int,
        department: str,
    ) -> None:
        """One supervisor (a fifth change supervisors part-way) and a log every week (a few
        weeks off); all signed but the latest one to three, and now and then one returned."""
        pool = self.supervisors[(rule.state, rule.profession)]
        first = rng.choice(pool)
        switch = None
        if weeks >= 30 and len(pool) > 1 and rng.random() < 0.2:
            switch = rng.randint(10, weeks - 10)
        setting = f"{ORGANIZATION_NAME.split(' (')[0]}, {department}"
        credential_text = _supervisor_credential_text(rule)
        spans = [(first, 0, switch or weeks)]
        if switch:
            second = rng.choice([entry for entry in pool if entry != first])
            spans.append((second, switch, weeks))
        for supervisor, begin, end in spans:
            starts = started + timedelta(weeks=begin)
            row = {
                "supervisor_person_id": supervisor.person_id,
                "supervisor_credential_id": supervisor.credential_id,
                "supervisor_name": supervisor.name,
                "supervisor_email": supervisor.email,
                "supervisor_license": supervisor.label,
                "supervisor_license_number": supervisor.number,
                "supervisor_license_expires": None,
                "supervisor_credential": credential_text,
                "supervisor_credential_since": None,
                "supervisor_credential_until": None,
                "setting": setting,
                "starts_on": starts,
                "ends_on": starts + timedelta(weeks=end - begin, days=-1) if end < weeks else None,
                "created_at": _moment(starts, rng),
                "updated_at": _moment(starts, rng),
                "deleted_at": None,
                "version": 1,
            }
            member.relationships.append(_Relationship(row))
        pending = rng.randint(1, 3)
        returned = weeks - rng.randint(4, 8) if rng.random() < 0.1 else None
        for number in range(weeks):
            if rng.random() < 0.05 and number != returned:
                continue  # a week off
            relationship = member.relationships[0 if switch is None or number < switch else 1]
            start = started + timedelta(weeks=number)
            log = _week(rng, start, relationship.row["setting"])
            created = min(_moment(start + timedelta(days=rng.randint(7, 9)), rng), self.loaded_at)
            if number == returned:
                reviewed = created + timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 8))
                reviewed = min(reviewed, self.loaded_at)
                log.update(
                    status=RETURNED,
                    review_comment=rng.choice(RETURN_COMMENTS),
                    reviewed_at=reviewed,
                    updated_at=reviewed,
                    version=2,
                )
            elif number < weeks - pending:
                signed = created + timedelta(days=rng.randint(0, 4), hours=rng.randint(1, 8))
                signed = min(signed, self.loaded_at)
                log.update(status=SIGNED, reviewed_at=signed, updated_at=signed, version=2)
                relationship.signed_at[len(relationship.logs)] = signed
            else:
                log.update(status=PENDING, reviewed_at=None, updated_at=created)
            log["created_at"] = created
            relationship.logs.append(log)


def _week(rng: random.Random, start: date, setting: str) -> dict:
    """A plausible week: 12 to 28 h of counseling (some by telehealth), indirect work, an
    hour of individual supervision, group supervision every other week or so."""
    direct = float(rng.randint(12, 28))
    group = rng.random() < 0.5
    return {
        "start": start,
        "end": start + timedelta(days=6),
        "direct": direct,
        "telehealth": float(rng.randint(0, int(direct) // 3)),
        "couples_family": float(rng.choice((0, 0, 0, 1, 2))),
        "indirect": float(rng.randint(4, 10)),
        "individual_supervision": 1.0 if rng.random() < 0.95 else 2.0,
        "triadic_supervision": 0.0,
        "group_supervision": 1.5 if group else 0.0,
        "group_size": rng.randint(3, 6) if group else None,
        "video": rng.random() < 0.2,
        "setting": setting,
        "notes": "",
        "review_comment": "",
        "amends_id": None,
        "deleted_at": None,
        "version": 1,
    }


def _applies(requirement: Requirement, credential_row: dict) -> bool:
    when = requirement.when
    if when is None:
        return True
    if when.supervisor is not None and when.supervisor != credential_row["supervisor"]:
        return False
    return set(when.flags) <= set(credential_row["flags"])


def _without_duplicates(rows: list[dict]) -> list[dict]:
    """No two entries the app would call the same activity (same title on the same day): a
    repeat moves a day earlier (it was logged after it was completed all the same)."""
    seen: set[tuple] = set()
    for row in sorted(rows, key=lambda item: (item["completed"], item["title"])):
        key = (row["title"], row["completed"])
        while key in seen:
            row["completed"] -= timedelta(days=1)
            key = (row["title"], row["completed"])
        seen.add(key)
    return sorted(rows, key=lambda item: (item["completed"], item["title"], item["amount"]))


# --- writing ------------------------------------------------------------------------------


def _table(model) -> Table:
    return model.__table__


def _reserve_ids(session: Session, model, count: int) -> list[int]:
    """`count` new ids of the table: the next ones after the largest (SQLite's write lock is
    held for the whole transaction) or from the id sequence (PostgreSQL)."""
    if count == 0:
        return []
    table = _table(model)
    if session.get_bind().dialect.name == "postgresql":
        rows = session.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
            ),
            {"table": table.name, "n": count},
        ).scalars()
        return sorted(rows)
    largest = session.execute(select(func.max(table.c.id))).scalar() or 0
    return list(range(largest + 1, largest + 1 + count))


def _insert(session: Session, model, rows: list[dict]) -> None:
    table = _table(model)
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        session.execute(insert(table), rows[start : start + ROWS_PER_STATEMENT])


def _with_ids(session: Session, model, rows: list[dict]) -> list[dict]:
    for row, new_id in zip(rows, _reserve_ids(session, model, len(rows)), strict=True):
        row["id"] = new_id
    _insert(session, model, rows)
    return rows


@dataclass
class _Counts:
    people: int = 0
    clinicians: int = 0
    associates: int = 0
    licenses: int = 0
    certifications: int = 0
    activities: int = 0
    logs: int = 0
    signatures: int = 0
    verifications: int = 0


def _write(session: Session, members: list[_Member], counts: _Counts) -> None:
    """The members' rows, parents before children, ids reserved in bulk."""
    _with_ids(session, Person, [member.person for member in members])
    for member in members:
        member.membership["person_id"] = member.person["id"]
    _insert(session, Membership, [member.membership for member in members])
    credentials = [(member, item) for member in members for item in member.credentials]
    for member, item in credentials:
        item.row["person_id"] = member.person["id"]
    _with_ids(session, Credential, [item.row for _, item in credentials])
    _insert(session, Evaluation, [_evaluation_row(item.row["id"]) for _, item in credentials])
    _verifications(session, [item for _, item in credentials])
    activities = []
    for member in members:
        for row in member.activities:
            row["person_id"] = member.person["id"]
            activities.append(row)
    _insert(session, Activity, activities)
    _supervision_rows(session, [member for member in members if member.path], counts)
    counts.people += len(members)
    counts.licenses += sum(item.rule.tier != "certification" for _, item in credentials)
    counts.certifications += sum(item.rule.tier == "certification" for _, item in credentials)
    counts.activities += len(activities)
    counts.verifications += sum(len(item.verifications) for _, item in credentials)


def _evaluation_row(credential_id: int) -> dict:
    """What `evaluation.create_evaluation_row` writes: a dirty row, never evaluated."""
    return {
        "credential_id": credential_id,
        "generation": 0,
        "dirty": True,
        "rule_hash": "",
        "status": "",
    }


def _verifications(session: Session, credentials: list[_Credential]) -> None:
    """Each license's look-ups, the older first; the newer supersedes it."""
    for item in credentials:
        for row in item.verifications:
            row.update(credential_id=item.row["id"], person_id=item.row["person_id"])
    rounds = max((len(item.verifications) for item in credentials), default=0)
    for position in range(rounds):
        rows = []
        for item in credentials:
            if position < len(item.verifications):
                row = item.verifications[position]
                row["supersedes_id"] = item.verifications[position - 1]["id"] if position else None
                rows.append(row)
        _with_ids(session, Verification, rows)


def _supervision_rows(session: Session, associates: list[_Member], counts: _Counts) -> None:
    """Paths, supervisions, logs, then each associate's chain of signatures (as `sign_log`
    would have sealed them, in the order the logs were signed)."""
    if not associates:
        return
    for member in associates:
        member.path["person_id"] = member.person["id"]
    _insert(session, LicensurePath, [member.path for member in associates])
    relationships = [item for member in associates for item in member.relationships]
    for member in associates:
        for item in member.relationships:
            item.row["person_id"] = member.person["id"]
    _with_ids(session, SupervisionRelationship, [item.row for item in relationships])
    logs = []
    for item in relationships:
        for log in item.logs:
            log.update(person_id=item.row["person_id"], relationship_id=item.row["id"])
            logs.append(log)
    _with_ids(session, SupervisionLog, logs)
    signatures = []
    for member in associates:
        signatures += _chain(member)
    _with_ids(session, Signature, signatures)
    counts.logs += len(logs)
    counts.signatures += len(signatures)


def _chain(member: _Member) -> list[dict]:
    signed = sorted(
        (
            (moment, item.logs[position], item.row)
            for item in member.relationships
            for position, moment in item.signed_at.items()
        ),
        key=lambda entry: entry[0],
    )
    chain, previous = [], GENESIS
    for seq, (moment, log, relationship) in enumerate(signed, start=1):
        content = {
            "log": log_content(SimpleNamespace(**log)),
            "supervisor": {name: relationship[name] for name in SUPERVISOR_CONTENT},
        }
        row = {
            "log_id": log["id"],
            "person_id": log["person_id"],
            "signer_person_id": relationship["supervisor_person_id"],
            "seq": seq,
            "signed_at": moment,
            "content": content,
            "content_hash": sha256_of(content),
            "prev_hash": previous,
        }
        row["hash"] = previous = link_hash(SimpleNamespace(**row))
        chain.append(row)
    return chain


def _remember_supervisors(generator: _Generator, members: list[_Member]) -> None:
    for member in members:
        for item in member.credentials:
            row = item.row
            if row["supervisor"] and row["status"] == "active":
                key = (item.rule.state, item.rule.profession)
                generator.supervisors.setdefault(key, []).append(
                    _SupervisorEntry(
                        person_id=member.person["id"],
                        credential_id=row["id"],
                        name=member.person["name"],
                        email=member.person["email"],
                        label=_label(item.rule),
                        number=row["number"],
                    )
                )


def _remove(workspace: Workspace, organization_id: int) -> None:
    """Undo a load that failed part-way: every row of the organization's people."""
    with transaction(workspace.engine) as session:
        members = select(Membership.person_id).where(Membership.organization_id == organization_id)
        for model in (
            Signature,
            SupervisionLog,
            SupervisionRelationship,
            LicensurePath,
            Activity,
            Verification,
        ):
            session.execute(delete(_table(model)).where(_table(model).c.person_id.in_(members)))
        credentials = select(Credential.id).where(Credential.person_id.in_(members))
        session.execute(delete(_table(Evaluation)).where(Evaluation.credential_id.in_(credentials)))
        session.execute(delete(_table(Credential)).where(Credential.person_id.in_(members)))
        people = [row for row in session.execute(members).scalars()]
        session.execute(
            delete(_table(Membership)).where(Membership.organization_id == organization_id)
        )
        for start in range(0, len(people), ROWS_PER_STATEMENT):
            part = people[start : start + ROWS_PER_STATEMENT]
            session.execute(delete(_table(Person)).where(Person.id.in_(part)))
        session.execute(delete(_table(Organization)).where(Organization.id == organization_id))


def _chunks(indices: range, size: int) -> Iterator[range]:
    for start in range(indices.start, indices.stop, size):
        yield range(start, min(start + size, indices.stop))


def _loaded(session: Session) -> bool:
    return (
        session.execute(
            select(Organization.id).where(Organization.name == ORGANIZATION_NAME)
        ).first()
        is not None
    )


def generate_organization(
    workspace: Workspace,
    *,
    actor: Actor,
    clinicians: int,
    seed: int,
    today: date,
    progress: ProgressCallback | None = None,
) -> OrganizationSummary:
    """Load the synthetic organization: `clinicians` people with licenses (5 to 10% of them
    associates), its HR staff and admin; `progress(n)` hears of every n people written.
    `actor` is cetrack itself (the command line), like the one-clinician demo's. Refused
    (InputError) for fewer than one clinician or when it is already loaded."""
    require(actor, Action.CREATE, WholeDatabase())
    if not 1 <= clinicians <= MAX_CLINICIANS:
        raise InputError({"clinicians": f"give 1 to {MAX_CLINICIANS:,} clinicians"})
    began = time.monotonic()
    with workspace.transaction() as session:
        if _loaded(session):
            raise InputError(
                {"demo": f"the organization demo ({ORGANIZATION_NAME}) is already loaded"}
            )
        (organization_id,) = _reserve_ids(session, Organization, 1)
        session.execute(
            insert(_table(Organization)),
            [
                {
                    "id": organization_id,
                    "name": ORGANIZATION_NAME,
                    "reverify_days": 365,
                    "created_at": datetime(today.year, today.month, today.day, 6, tzinfo=UTC),
                    "version": 1,
                }
            ],
        )
    if progress:
        progress(0)  # begun: nothing refused it
    generator = _Generator(workspace.registry, seed, today, organization_id)
    share = generator.master.uniform(*ASSOCIATE_SHARE)
    associates = round(clinicians * share) if clinicians >= 10 else 0
    counts = _Counts()
    try:
        with workspace.transaction() as session:
            staff = generator.staff(max(1, round(clinicians / 400)))
            _write(session, staff, counts)
            generator.verifiers = [
                member.person["id"] for member in staff if HR in member.membership["roles"]
            ]
        licensed = range(clinicians - associates)
        for chunk in _chunks(licensed, PEOPLE_PER_TRANSACTION):
            members = [generator.clinician(index, force_supervisor=index == 0) for index in chunk]
            with workspace.transaction() as session:
                _write(session, members, counts)
            _remember_supervisors(generator, members)
            counts.clinicians += len(members)
            if progress:
                progress(len(members))
        for chunk in _chunks(range(clinicians - associates, clinicians), PEOPLE_PER_TRANSACTION):
            members = [generator.associate(index) for index in chunk]
            with workspace.transaction() as session:
                _write(session, members, counts)
            counts.clinicians += len(members)
            counts.associates += sum(member.path is not None for member in members)
            if progress:
                progress(len(members))
        with workspace.transaction() as session:
            audit.record(
                session,
                actor=actor,
                person_id=None,
                action="create",
                entity="organization",
                entity_id=organization_id,
                detail={"demo": "synthetic organization", "seed": seed, "clinicians": clinicians},
            )
    except BaseException:
        _remove(workspace, organization_id)
        raise
    return OrganizationSummary(
        organization_id=organization_id,
        name=ORGANIZATION_NAME,
        people=counts.people,
        clinicians=counts.clinicians,
        associates=counts.associates,
        licenses=counts.licenses,
        certifications=counts.certifications,
        activities=counts.activities,
        logs=counts.logs,
        signatures=counts.signatures,
        verifications=counts.verifications,
        seconds=time.monotonic() - began,
    )
