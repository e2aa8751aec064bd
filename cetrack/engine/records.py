"""Plain records the engine evaluates: no database, no Streamlit, no JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Activity:
    """An activity as logged: `amount` is in `unit` (the rule converts it to CE hours)."""

    id: str
    completed: date
    amount: float
    unit: str = "hours"
    categories: tuple[str, ...] = ()
    format: str = "in_person"
    type: str = "course"
    title: str = ""
    provider: str = ""

    @classmethod
    def from_attributes(cls, source: object, *, id: str, amount: float | None = None) -> Activity:
        """An engine record from anything with an activity's attributes (a stored activity,
        a scenario's activity, whose amount is called `hours`)."""
        return cls(
            id=id,
            completed=source.completed,
            amount=source.amount if amount is None else amount,
            unit=source.unit,
            categories=tuple(source.categories),
            format=source.format,
            type=source.type,
            title=source.title,
            provider=source.provider,
        )


@dataclass(frozen=True)
class LicenseFacts:
    expires: date | None = None
    issued: date | None = None
    birth_date: date | None = None
    first_renewal: bool | None = None
    renewal_number: int | None = None
    supervisor: bool = False
    flags: frozenset[str] = field(default_factory=frozenset)
    # one-time requirements the licensee attests were completed: (requirement id, date)
    attested: frozenset[tuple[str, date]] = field(default_factory=frozenset)

    def attested_on(self, requirement_id: str) -> date | None:
        return next((day for key, day in self.attested if key == requirement_id), None)


@dataclass(frozen=True)
class SupervisionLog:
    id: str
    start: date
    end: date
    direct: float = 0
    indirect: float = 0
    individual_supervision: float = 0
    group_supervision: float = 0
    signed: bool = False
    telehealth: float = 0
    couples_family: float = 0
    group_size: int | None = None
    supervisor: str | None = None
    # supervision of two supervisees at once: individual where the rule's individual sessions
    # take two, else group
    triadic_supervision: float = 0


@dataclass(frozen=True)
class Supervisor:
    """A supervisor of the associate over `start`..`end` (None: still supervising), as far as
    the rule's qualification can be checked: the days their license was active and the days
    they held the supervisor credential the rule asks for (None: not known to end or begin).
    One supervisor in two settings is two records with one `name`, counted once at a time."""

    id: str
    start: date
    end: date | None = None
    license_from: date | None = None
    license_until: date | None = None
    credential: bool = True
    credential_from: date | None = None
    credential_until: date | None = None
    name: str = ""

    @property
    def who(self) -> str:
        return self.name or self.id
