"""The rule-file format: one YAML file per license in one state.

Pydantic checks the shape (unknown keys, types, ranges); `cetrack.rules.checks` checks what
needs the whole file (source ids, vocabulary, version overlaps, impossible numbers).
`state_rules/README.md` documents every field with an example; `rule.schema.json` beside the
files is generated from these models for editors.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Hours = Annotated[float, Field(ge=0)]
PositiveHours = Annotated[float, Field(gt=0)]
SourceRef = Annotated[str, Field(min_length=1, description="id of an entry in the file's sources")]
FractionText = Annotated[
    str | float,
    Field(description='a fraction such as "1/3" or 0.5, between 0 and 1'),
]


def parse_fraction(value: str | float) -> Fraction:
    """Read a fraction written as "1/3", "0.5" or 0.5."""
    fraction = Fraction(value) if isinstance(value, str) else Fraction(value).limit_denominator()
    if not 0 <= fraction <= 1:
        raise ValueError(f"{value} is not between 0 and 1")
    return fraction


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Selector(StrictModel):
    """Which activities something applies to. An empty list means "any"."""

    categories: list[str] = Field(default_factory=list, description="activity has any of these")
    formats: list[str] = Field(default_factory=list, description="activity is in one of these")
    types: list[str] = Field(default_factory=list, description="activity is of one of these types")


class Versioned(StrictModel):
    """A version applies from `effective_from` (inclusive) to `effective_until` (exclusive).

    CE and renewal versions are chosen by the cycle's end date; supervised-experience
    versions by the application date.
    """

    effective_from: date | None = None
    effective_until: date | None = None

    def applies_on(self, day: date) -> bool:
        starts_ok = self.effective_from is None or self.effective_from <= day
        return starts_ok and (self.effective_until is None or day < self.effective_until)


# --- sources and provenance -------------------------------------------------------------


class Source(StrictModel):
    id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9._-]*$")
    title: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://\S+$")
    retrieved: date = Field(description="the day this source was read to verify the rule")
    authority: Literal["official", "official_copy", "secondary"] = Field(
        description=(
            "official: a government or board host; official_copy: the verbatim official text "
            "republished elsewhere (Justia, Casetext, Cornell LII, eLaws ...); secondary: a "
            "summary by a CE provider, association or tracker"
        )
    )


class Conflict(StrictModel):
    """Where sources disagree: what the file encodes, what else was found, and why."""

    topic: str
    encoded: str
    alternatives: str
    sources: list[SourceRef] = Field(min_length=1)


class NotEvaluated(StrictModel):
    """A real requirement the engine does not check (shown to the user as a reminder)."""

    title: str
    source: SourceRef
    applies_to: Literal["licensee", "associate"] = Field(
        default="licensee",
        description=(
            "licensee: shown with the license's renewal CE; associate: only for associates, "
            "interns, permit holders and applicants working toward the license (never on a "
            "licensed clinician's CE card or summary)"
        ),
    )
    logged_by: list[str] = Field(
        default_factory=list,
        description=(
            "categories whose activity, logged in the cycle, shows the item done (a course "
            "with no set hours, such as Texas's human-trafficking course)"
        ),
    )


# --- renewal -------------------------------------------------------------------------------


class Expiration(StrictModel):
    """How the expiration (end of the CE period) is set.

    fixed_date: `month`/`day`, in odd or even years when `parity` is set.
    birth_month: last day of the licensee's birth month (or of the month `month_offset` months
      from it); birthday: the birthday itself. The
      year comes from `parity`, or from the issue date and `first_term_min_months`.
    issue_anniversary: every cycle from the issue date (`anchor: issue_date`) or from the last
      day of the month of issue (`anchor: end_of_issue_month`).
    """

    model: Literal["fixed_date", "birth_month", "birthday", "issue_anniversary"]
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)
    parity: Literal["odd", "even"] | None = None
    anchor: Literal["issue_date", "end_of_issue_month"] = "issue_date"
    first_term_min_months: int | None = Field(default=None, ge=0, le=60)
    month_offset: int = Field(
        default=0,
        ge=-11,
        le=11,
        description="birth_month: months from the birth month (-1: the month before it)",
    )
    source: SourceRef | None = Field(
        default=None, description="where the expiration date is stated, if not the renewal's source"
    )

    @model_validator(mode="after")
    def _fields_fit_model(self) -> Expiration:
        if self.model == "fixed_date" and (self.month is None or self.day is None):
            raise ValueError("a fixed_date expiration needs month and day")
        if self.model != "fixed_date" and (self.month is not None or self.day is not None):
            raise ValueError(f"month/day only apply to fixed_date, not {self.model}")
        if self.model == "issue_anniversary" and self.parity is not None:
            raise ValueError("parity does not apply to issue_anniversary")
        if self.month_offset and self.model != "birth_month":
            raise ValueError("month_offset only applies to birth_month")
        return self


class Registration(StrictModel):
    """An associate registration's own lifetime (e.g. CA AMFT: 1 year, 5 renewals, 6 years)."""

    title: str
    valid_months: int = Field(gt=0, description="length of the first term")
    renewal_valid_months: int | None = Field(
        default=None, gt=0, description="length of each renewal term, when it differs"
    )
    anchor: Literal["issue_date", "end_of_issue_month"] = "issue_date"
    max_renewals: int | None = Field(default=None, ge=0)
    max_years: float | None = Field(default=None, gt=0)
    source: SourceRef


class Renewal(Versioned):
    cycle_months: int = Field(gt=0, le=120, description="length of the CE reporting period")
    renewal_every_months: int | None = Field(
        default=None,
        gt=0,
        description="how often the license itself renews, when more often than CE is reported",
    )
    expiration: Expiration
    registration: Registration | None = Field(
        default=None, description="for associate tiers: the registration's lifetime limits"
    )
    source: SourceRef
    note: str | None = None


# --- continuing education ------------------------------------------------------------------


class Units(StrictModel):
    """How activity units become CE hours. None means the unit is not accepted."""

    hour_minutes: int = Field(default=60, ge=30, le=60, description="minutes in one CE hour")
    increment: float | None = Field(
        default=None, gt=0, le=1, description="credit is rounded down to a multiple of this"
    )
    first_hour_whole: bool = Field(
        default=False, description="increments only count after a first whole hour"
    )
    ceu_hours: float | None = Field(default=None, gt=0, description="CE hours per CEU")
    semester_credit_hours: float | None = Field(default=None, gt=0)
    quarter_credit_hours: float | None = Field(default=None, gt=0)
    source: SourceRef


Frequency = Literal[
    "every_cycle",
    "once",
    "every_nth_cycle",
    "within_years",
    "per_year_of_cycle",
    "after_licensure",
]


class Condition(StrictModel):
    """When a requirement applies to a licensee (all given conditions must hold)."""

    supervisor: bool | None = Field(default=None, description="licensee supervises (or not)")
    renewal_numbers: list[int] | None = Field(
        default=None, description="only at these renewals (1 = first renewal after licensure)"
    )
    flags: list[str] = Field(
        default_factory=list, description="licensee declares all of these (e.g. telehealth)"
    )
    cycle_starts_from: date | None = Field(
        default=None, description="only for cycles that start on or after this date"
    )


class Requirement(Selector):
    """A minimum inside (or beside) the total.

    A bucket requirement (`overlap: false`) takes hours exclusively: an hour fills one bucket.
    An overlap requirement (`overlap: true`) is a check on counted hours that also count
    elsewhere, such as a minimum of live hours.
    """

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str
    hours: PositiveHours
    counts_toward_total: bool = True
    overlap: bool = False
    frequency: Frequency = "every_cycle"
    n: int | None = Field(default=None, ge=2, description="every_nth_cycle: every n-th renewal")
    first: int | None = Field(
        default=None, ge=1, description="every_nth_cycle: the first renewal at which it is due"
    )
    years: float | None = Field(default=None, gt=0, description="within_years: look-back")
    months: int | None = Field(default=None, gt=0, description="after_licensure: due within")
    when: Condition | None = None
    exempt_first_renewal: bool | None = Field(
        default=None, description="override the first-renewal handling for this requirement"
    )
    source: SourceRef | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _frequency_parameters(self) -> Requirement:
        needed = {"every_nth_cycle": "n", "within_years": "years", "after_licensure": "months"}
        for frequency, field in needed.items():
            given = getattr(self, field) is not None
            if self.frequency == frequency and not given:
                raise ValueError(f"frequency {frequency} needs `{field}`")
            if self.frequency != frequency and given:
                raise ValueError(f"`{field}` only applies to frequency {frequency}")
        if self.first is not None and self.frequency != "every_nth_cycle":
            raise ValueError("`first` only applies to frequency every_nth_cycle")
        return self


class Cap(Selector):
    """At most `max_hours` (or `max_fraction` of the required total) from matching activities."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str = Field(description='how the cap reads in a reason, e.g. "self-study"')
    max_hours: Hours | None = None
    max_fraction: FractionText | None = None
    per: Literal["cycle", "day"] = "cycle"
    source: SourceRef | None = None
    note: str | None = None

    @field_validator("max_fraction")
    @classmethod
    def _fraction_in_range(cls, value: str | float | None) -> str | float | None:
        if value is not None:
            parse_fraction(value)
        return value

    @model_validator(mode="after")
    def _one_limit(self) -> Cap:
        if (self.max_hours is None) == (self.max_fraction is None):
            raise ValueError("a cap needs exactly one of max_hours and max_fraction")
        if self.per == "day" and self.max_fraction is not None:
            raise ValueError("a per-day cap needs max_hours")
        return self


class Exclusion(Selector):
    """Activities the board does not accept. Categories match when every category of the
    activity is listed (nothing acceptable remains)."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str = Field(description='reads in a reason, e.g. "office-management courses"')
    source: SourceRef | None = None


class Carryover(StrictModel):
    """Hours beyond the total carried into the next cycle; they count only toward its total."""

    max_hours: Hours = Field(description="0 means carryover is not allowed")
    source: SourceRef


class Bucket(StrictModel):
    """First-renewal requirement by when in the cycle the license was issued."""

    issued_from_month: int = Field(ge=0, description="months after the cycle start, inclusive")
    issued_to_month: int = Field(gt=0, description="months after the cycle start, exclusive")
    total_hours: Hours | None = None
    fraction: FractionText | None = None
    requirements: dict[str, Hours] = Field(
        default_factory=dict, description="requirement id -> hours in this bucket"
    )

    @model_validator(mode="after")
    def _one_amount(self) -> Bucket:
        if (self.total_hours is None) == (self.fraction is None):
            raise ValueError("a bucket needs exactly one of total_hours and fraction")
        if self.fraction is not None:
            parse_fraction(self.fraction)
        if self.issued_to_month <= self.issued_from_month:
            raise ValueError("issued_to_month must be after issued_from_month")
        return self


class RequirementRate(StrictModel):
    """A prorated requirement: `hours` for every `per_months` months (partial periods count)."""

    hours: PositiveHours
    per_months: int = Field(gt=0)
    minimum: Hours = 0


class Proration(StrictModel):
    """How a first cycle shorter than a full one is prorated.

    per_month: `hours_per_month` × months from the month of issue (inclusive when
      `include_issue_month`) through the month of expiration.
    whole_months: `hours_per_month` × whole months from the issue date to the expiration.
    buckets: fixed amounts by the month of the cycle in which the license was issued.
    When `hours_per_month` is absent it is the total divided by the cycle's months.
    """

    method: Literal["per_month", "whole_months", "buckets"]
    hours_per_month: PositiveHours | None = None
    include_issue_month: bool = True
    round_to: float | None = Field(default=None, gt=0, description="round up to a multiple")
    requirement_rates: dict[str, RequirementRate] = Field(default_factory=dict)
    buckets: list[Bucket] = Field(default_factory=list)

    @model_validator(mode="after")
    def _method_fields(self) -> Proration:
        if self.method == "buckets" and not self.buckets:
            raise ValueError("method buckets needs buckets")
        if self.method != "buckets" and self.buckets:
            raise ValueError(f"buckets do not apply to method {self.method}")
        return self


class FirstRenewal(StrictModel):
    """The first renewal after licensure: full requirement, exempt, or prorated."""

    mode: Literal["full", "exempt", "prorate"]
    proration: Proration | None = None
    source: SourceRef

    @model_validator(mode="after")
    def _proration_with_prorate(self) -> FirstRenewal:
        if (self.mode == "prorate") != (self.proration is not None):
            raise ValueError("proration is given exactly when mode is prorate")
        return self


class ContinuingEducation(Versioned):
    total_hours: Hours
    units: Units
    requirements: list[Requirement] = Field(default_factory=list)
    caps: list[Cap] = Field(default_factory=list)
    exclusions: list[Exclusion] = Field(default_factory=list)
    carryover: Carryover
    first_renewal: FirstRenewal
    accept_before_issue: bool = Field(
        default=True, description="whether CE completed before the license was issued counts"
    )
    window_calendar_years_before_renewal_year: int | None = Field(
        default=None,
        gt=0,
        description=(
            "CE counts only if earned in this many calendar years before the calendar year "
            "of renewal (the CE window ends on Dec 31 before the renewal year)"
        ),
    )
    source: SourceRef
    note: str | None = None


# --- supervised experience -----------------------------------------------------------------


class SupervisionRatio(StrictModel):
    """`kind: min`: at least `supervision_hours` per `per_hours` of `basis` hours; hours
    beyond what the supervision received so far covers do not count (supervision logged later
    does not restore them). With `average: true` the ratio is an average over the whole
    experience: only the hours beyond what all its supervision covers do not count, the
    latest first. `kind: max`: supervision beyond that many per `per_hours` does not count."""

    kind: Literal["min", "max"] = "min"
    supervision_hours: PositiveHours = 1
    per_hours: PositiveHours
    basis: Literal["direct", "total"] = "direct"
    average: bool = False
    source: SourceRef | None = None

    @model_validator(mode="after")
    def _average_is_a_minimum(self) -> SupervisionRatio:
        if self.average and self.kind != "min":
            raise ValueError("average applies to a minimum ratio")
        return self


class PeriodMinimum(StrictModel):
    """At least `supervision_hours` of supervision in every calendar period in which the person
    practised; experience in a period that falls short does not count. With `average: true` it
    is an average over the whole experience instead (a requirement, nothing is excluded).
    `individual: true` counts individual supervision only."""

    period: Literal["week", "two_weeks", "month"]
    supervision_hours: PositiveHours
    average: bool = False
    individual: bool = False
    source: SourceRef | None = None


class PeriodMaximum(StrictModel):
    """At most `supervision_hours` of supervision count in any calendar period."""

    period: Literal["week", "two_weeks", "month"]
    supervision_hours: PositiveHours
    source: SourceRef | None = None


class SupervisorRequirement(StrictModel):
    """Who may supervise: the supervisor credential a supervisor must hold on every log's
    dates (beside an active license), and how many supervisors an associate may have at once."""

    credential: str | None = Field(
        default=None,
        description='the supervisor credential required, e.g. "LPC-S (Council-approved '
        'supervisor)"; none: an active license suffices',
    )
    concurrent_max: int | None = Field(
        default=None, gt=0, description="most supervisors an associate may have at one time"
    )
    source: SourceRef
    note: str | None = None


class SupervisedExperience(Versioned):
    title: str = Field(description='e.g. "LPC Associate supervised experience"')
    associate_title: str = Field(description="the credential held while gaining experience")
    total_hours: Hours | None = None
    direct_hours: Hours | None = Field(default=None, description="minimum direct client contact")
    supervision_hours: Hours | None = Field(default=None, description="minimum supervision")
    individual_supervision_hours: Hours | None = None
    group_supervision_max_fraction: FractionText | None = Field(
        default=None, description="share of counted supervision that may be group supervision"
    )
    group_supervision_weight: FractionText | None = Field(
        default=None,
        description='group supervision counts at this fraction of its hours, e.g. "1/2"',
    )
    couples_family_hours: Hours | None = Field(default=None, description="minimum, of direct")
    telehealth_max_hours: Hours | None = Field(default=None, description="maximum, of direct")
    months_min: int | None = Field(default=None, ge=0)
    months_max: int | None = Field(default=None, gt=0)
    weeks_min: int | None = Field(default=None, ge=0)
    weekly_hours_max: Hours | None = None
    weekly_direct_hours_max: Hours | None = Field(
        default=None, description="direct hours over this per week do not count"
    )
    weekly_hours_min: Hours | None = Field(
        default=None, description="weeks with fewer experience hours do not count"
    )
    indirect_hours_max: Hours | None = Field(
        default=None, description="most indirect (non-client-contact) hours that count"
    )
    supervision_counts_toward_total: bool = Field(
        default=False, description="supervision time is part of the total experience hours"
    )
    ratios: list[SupervisionRatio] = Field(default_factory=list)
    period_minimums: list[PeriodMinimum] = Field(default_factory=list)
    period_maximums: list[PeriodMaximum] = Field(default_factory=list)
    group_size_max: int | None = Field(default=None, gt=0)
    individual_size_max: int | None = Field(
        default=None, gt=0, description="most supervisees in a session that is still individual"
    )
    max_age_years: float | None = Field(
        default=None, gt=0, description="hours older than this before application do not count"
    )
    signed_required: bool = True
    supervisor: SupervisorRequirement | None = Field(
        default=None, description="who may supervise, checked on every log's dates"
    )
    registration: Registration | None = None
    source: SourceRef
    field_sources: dict[str, SourceRef] = Field(
        default_factory=dict, description="field name -> source, where it differs from `source`"
    )
    note: str | None = None

    @field_validator("group_supervision_max_fraction", "group_supervision_weight")
    @classmethod
    def _fraction_in_range(cls, value: str | float | None) -> str | float | None:
        if value is not None:
            parse_fraction(value)
        return value


# --- interstate compacts --------------------------------------------------------------------


class HomeLicense(StrictModel):
    """What a privilege stands on: a credential of one of these families and tiers, or of one
    of these rules (PSYPACT's APIT stands on the ASPPB E.Passport)."""

    professions: list[str] = Field(default_factory=list, description="license families")
    tiers: list[Literal["independent", "associate", "certification", "privilege"]] = Field(
        default_factory=lambda: ["independent"]
    )
    rules: list[str] = Field(default_factory=list, description="rule ids, instead of families")

    @model_validator(mode="after")
    def _families_or_rules(self) -> HomeLicense:
        if bool(self.professions) == bool(self.rules):
            raise ValueError("a home license is named by professions or by rules, not both")
        return self


class Compact(StrictModel):
    """A credential granted under an interstate compact: it stands on a home credential and
    is invalid while that one is not active and unexpired."""

    name: str = Field(min_length=1)
    home: HomeLicense
    expires_with_home: bool = Field(
        description="the credential is valid until the home credential's expiration"
    )
    ce_follows_home: bool = Field(
        default=False, description="no CE of its own: the home state's CE keeps it valid"
    )
    remote_state: bool = Field(
        default=False, description="granted for one remote state, entered with the credential"
    )
    remote_jurisprudence: bool = Field(
        default=False, description="the remote state's jurisprudence requirement applies"
    )
    operational: bool = Field(
        default=True, description="false: enacted, but not yet issued (cannot be added)"
    )
    status_note: str | None = Field(default=None, description="where the compact stands")
    source: SourceRef


# --- the file ------------------------------------------------------------------------------


class RuleFile(StrictModel):
    state: str = Field(pattern=r"^([A-Z]{2}|national|compact)$")
    license: str = Field(pattern=r"^[A-Za-z0-9-]+$")
    title: str
    profession: str = Field(
        pattern=r"^[a-z][a-z0-9_]*$", description="a license family listed in _shared.yaml"
    )
    tier: Literal["independent", "associate", "certification", "privilege"]
    board: str
    board_url: str = Field(pattern=r"^https?://\S+$")
    verification_url: str = Field(pattern=r"^https?://\S+$", description="license look-up")
    verified_on: date
    sources: list[Source] = Field(min_length=1)
    renewal: list[Renewal] = Field(
        default_factory=list,
        description="required unless a compact credential expires with "
        "its home credential or is not yet issued",
    )
    ce: list[ContinuingEducation] = Field(
        default_factory=list,
        description="required unless a compact credential's CE follows its home state",
    )
    compact: Compact | None = Field(default=None, description="for tier privilege only")
    supervised_experience: list[SupervisedExperience] = Field(default_factory=list)
    not_evaluated: list[NotEvaluated] = Field(default_factory=list)
    conflicts: list[Conflict] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _sections_present(self) -> RuleFile:
        compact = self.compact
        if (self.tier == "privilege") != (compact is not None):
            raise ValueError("a `compact` section is given exactly when the tier is privilege")
        if (compact is not None) != (self.state == "compact"):
            raise ValueError("compact credentials, and only they, live in state_rules/compact/")
        issued = compact is None or compact.operational
        if not self.renewal and issued and not (compact and compact.expires_with_home):
            raise ValueError("renewal: missing (required)")
        if not self.ce and issued and not (compact and compact.ce_follows_home):
            raise ValueError("ce: missing (required)")
        if compact and compact.ce_follows_home and self.ce:
            raise ValueError("a credential whose CE follows its home state has no `ce`")
        if compact and compact.expires_with_home and self.renewal:
            raise ValueError("a credential that expires with its home has no `renewal`")
        if self.ce and not self.renewal:
            raise ValueError("a file with `ce` needs the `renewal` that sets its cycle")
        return self

    @property
    def id(self) -> str:
        return f"{self.state}/{self.license}"
