"""Evaluate supervised-experience logs: what counts, why the rest does not, when eligible.

Logs are taken in date order. Each log first loses what can be judged on its own (unsigned,
out of range, oversized groups, hours over the weekly maximum); then periods short of their
supervision minimum; then the cumulative limits (telehealth maximum, supervision ratios,
the group share). Every excluded hour carries a reason.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from cetrack.engine.cycles import registration_final_expiry, select_version
from cetrack.engine.dates import add_months, day_before, whole_months
from cetrack.engine.reasons import Note, Reason
from cetrack.engine.records import SupervisionLog, Supervisor
from cetrack.engine.results import ExperienceRequirement, LogResult, SupervisionResult
from cetrack.rules.schema import RuleFile, SupervisedExperience, parse_fraction

_TOLERANCE = 1e-6
PACE_WINDOW_DAYS = 84


class NoSupervisedExperience(ValueError):
    """The rule has no supervised-experience section."""


@dataclass
class LogOutcome:
    id: str
    log: SupervisionLog
    direct: float
    indirect: float
    individual: float
    group: float
    telehealth: float = 0.0
    couples_family: float = 0.0
    reasons: list[Reason] = field(default_factory=list)

    @property
    def experience(self) -> float:
        return round(self.direct + self.indirect, 6)

    @property
    def supervision(self) -> float:
        return round(self.individual + self.group, 6)

    @property
    def excluded(self) -> float:
        return round(self.log.direct + self.log.indirect - self.experience, 6)

    @property
    def excluded_supervision(self) -> float:
        log = self.log
        logged = log.individual_supervision + log.triadic_supervision + log.group_supervision
        return round(logged - self.supervision, 6)

    def cut_experience(self, hours: float, *, direct_first: bool = False) -> float:
        """Remove up to `hours` of experience (indirect first unless `direct_first`)."""
        order = ("direct", "indirect") if direct_first else ("indirect", "direct")
        removed = 0.0
        for part in order:
            take = min(getattr(self, part), hours - removed)
            setattr(self, part, round(getattr(self, part) - take, 6))
            removed += take
        self.telehealth = min(self.telehealth, self.direct)
        self.couples_family = min(self.couples_family, self.direct)
        return round(removed, 6)

    def drop_all(self, reason_code: str, params: dict) -> None:
        hours = self.experience + self.supervision
        self.direct = self.indirect = self.individual = self.group = 0.0
        self.telehealth = self.couples_family = 0.0
        self.reasons.append(Reason(reason_code, round(hours, 6), params))


@dataclass(frozen=True)
class RequirementProgress:
    id: str
    title: str
    required: float
    counted: float

    @property
    def remaining(self) -> float:
        return max(0.0, round(self.required - self.counted, 6))


def evaluate_supervision(
    rule: RuleFile,
    start: date,
    logs: Sequence[SupervisionLog],
    as_of: date,
    *,
    application_date: date | None = None,
    registration_issued: date | None = None,
    supervisors: Sequence[Supervisor] = (),
) -> SupervisionResult:
    """`supervisors` are checked against the rule's supervisor qualification on the dates of
    each log that names one (a log naming none, or one not given, is not checked)."""
    if not rule.supervised_experience:
        raise NoSupervisedExperience(f"{rule.id} has no supervised-experience rules")
    applied = application_date or as_of
    experience = select_version(rule.supervised_experience, applied, "supervised-experience")
    ordered = sorted(enumerate(logs), key=lambda item: (item[1].start, item[0]))
    by_id = {supervisor.id: supervisor for supervisor in supervisors}
    outcomes = [_initial(log, experience, start, as_of, applied, by_id) for _, log in ordered]
    _period_minimums(outcomes, experience, start)
    _period_maximums(outcomes, experience, start)
    _cumulative_limits(outcomes, experience)
    requirements = _requirements(outcomes, experience, start)
    eligible = all(item.remaining <= _TOLERANCE for item in requirements)
    notes: list[Note] = []
    if any(log.triadic_supervision for log in logs) and not _triadic_is_individual(experience):
        notes.append(Note("triadic_as_group"))
    pace = _pace(outcomes, experience, start, as_of)
    if eligible:
        projected = _eligible_on(outcomes, experience, start)
    else:
        projected = _projection(requirements, pace, experience, start, as_of)
        if projected is None:
            notes.append(Note("no_projection"))
        else:
            notes.extend(_faster(requirements, pace, experience, start, as_of, projected))
    if projected and experience.months_max and projected > add_months(start, experience.months_max):
        notes.append(Note("projected_past_maximum", {"months": experience.months_max}))
    registration = experience.registration
    final = (
        registration_final_expiry(registration, registration_issued)
        if (registration and registration_issued)
        else None
    )
    if final and projected and projected > final:
        notes.append(
            Note(
                "registration_ends_first",
                {"registration": registration.title, "final": final.isoformat()},
            )
        )
    return SupervisionResult(
        rule=rule.id,
        experience=experience.title,
        as_of=as_of,
        start=start,
        eligible=eligible,
        requirements=tuple(
            ExperienceRequirement(
                id=item.id,
                title=item.title,
                required=item.required,
                counted=item.counted,
                remaining=item.remaining,
            )
            for item in requirements
        ),
        logs=tuple(_log_result(outcomes[position]) for position in _original_order(ordered)),
        pace_per_week=pace,
        projected_eligible=projected,
        notes=tuple(notes),
        registration_final_expiry=final,
    )


def _log_result(outcome: LogOutcome) -> LogResult:
    return LogResult(
        id=outcome.id,
        counted=outcome.experience,
        direct=outcome.direct,
        indirect=outcome.indirect,
        supervision=outcome.supervision,
        individual=outcome.individual,
        group=outcome.group,
        excluded=outcome.excluded,
        excluded_supervision=outcome.excluded_supervision,
        reasons=tuple(outcome.reasons),
    )


def _original_order(ordered: list[tuple[int, SupervisionLog]]) -> list[int]:
    positions = {original: position for position, (original, _) in enumerate(ordered)}
    return [positions[original] for original in range(len(ordered))]


# --- pass 1: each log on its own --------------------------------------------------------------


def _triadic_is_individual(experience: SupervisedExperience) -> bool:
    """Triadic supervision is individual where the rule's individual sessions take two
    supervisees; where the rule does not say, it is counted as group (the stricter reading)."""
    return (experience.individual_size_max or 1) >= 2


def _initial(
    log: SupervisionLog,
    experience: SupervisedExperience,
    start: date,
    as_of: date,
    applied: date,
    supervisors: dict[str, Supervisor],
) -> LogOutcome:
    triadic_individual = _triadic_is_individual(experience)
    outcome = LogOutcome(
        id=log.id,
        log=log,
        direct=log.direct,
        indirect=log.indirect,
        individual=log.individual_supervision + (log.triadic_supervision * triadic_individual),
        group=log.group_supervision + (log.triadic_supervision * (not triadic_individual)),
        telehealth=min(log.telehealth, log.direct),
        couples_family=min(log.couples_family, log.direct),
    )
    if experience.signed_required and not log.signed:
        outcome.drop_all("unsigned", {})
        return outcome
    if log.end > as_of:
        outcome.drop_all("log_after_as_of", {"as_of": as_of.isoformat()})
        return outcome
    if log.start < start:
        outcome.drop_all("before_start", {"start": start.isoformat()})
        return outcome
    refused = _supervisor_refusal(log, experience, supervisors)
    if refused:
        outcome.drop_all(*refused)
        return outcome
    if experience.max_age_years:
        cutoff = add_months(applied, -round(experience.max_age_years * 12))
        if log.end < cutoff:
            outcome.drop_all(
                "too_old", {"years": float(experience.max_age_years), "cutoff": cutoff.isoformat()}
            )
            return outcome
    if experience.months_max:
        limit = day_before(add_months(start, experience.months_max))
        if log.start > limit:
            outcome.drop_all(
                "after_max_duration",
                {"months": experience.months_max, "limit_date": limit.isoformat()},
            )
            return outcome
    _group_size(outcome, experience)
    _group_weight(outcome, experience)
    days = (log.end - log.start).days + 1
    worked = outcome.experience + (
        outcome.supervision if experience.supervision_counts_toward_total else 0.0
    )
    if experience.weekly_hours_min is not None:
        per_week = worked * 7 / max(days, 7)
        if per_week + _TOLERANCE < experience.weekly_hours_min:
            outcome.drop_all("weekly_minimum", {"limit": float(experience.weekly_hours_min)})
            return outcome
    if experience.weekly_hours_max is not None:
        limit = experience.weekly_hours_max * max(days, 7) / 7
        over = round(min(worked - limit, outcome.experience), 6)
        if over > _TOLERANCE:
            removed = outcome.cut_experience(over)
            outcome.reasons.append(
                Reason("weekly_cap", removed, {"limit": float(experience.weekly_hours_max)})
            )
    if experience.weekly_direct_hours_max is not None:
        limit = experience.weekly_direct_hours_max * max(days, 7) / 7
        over = round(outcome.direct - limit, 6)
        if over > _TOLERANCE:
            removed = outcome.cut_experience(over, direct_first=True)
            outcome.reasons.append(
                Reason(
                    "weekly_direct_cap",
                    removed,
                    {"limit": float(experience.weekly_direct_hours_max)},
                )
            )
    return outcome


def _supervisor_refusal(
    log: SupervisionLog, experience: SupervisedExperience, supervisors: dict[str, Supervisor]
) -> tuple[str, dict] | None:
    """Why the log's supervisor could not supervise it on its dates (None: they could)."""
    supervisor = supervisors.get(log.supervisor or "")
    if supervisor is None:
        return None
    name = {"supervisor": supervisor.who}
    if not _within(log, supervisor.start, supervisor.end):
        until = supervisor.end.isoformat() if supervisor.end else "now"
        return "outside_supervision", {**name, "start": supervisor.start.isoformat(), "end": until}
    if not _within(log, supervisor.license_from, supervisor.license_until):
        return "supervisor_license_inactive", name
    requirement = experience.supervisor
    if requirement is None:
        return None
    if requirement.credential and not (
        supervisor.credential
        and _within(log, supervisor.credential_from, supervisor.credential_until)
    ):
        return "supervisor_not_qualified", {**name, "credential": requirement.credential}
    limit = requirement.concurrent_max
    if limit:
        first_seen: dict[str, date] = {}
        for other in supervisors.values():
            if _overlaps(log, other.start, other.end):
                first_seen[other.who] = min(other.start, first_seen.get(other.who, other.start))
        at_once = sorted((start, who) for who, start in first_seen.items())
        if supervisor.who not in {who for _, who in at_once[:limit]}:
            return "too_many_supervisors", {**name, "limit": limit}
    return None


def _within(log: SupervisionLog, first: date | None, last: date | None) -> bool:
    return (first is None or log.start >= first) and (last is None or log.end <= last)


def _overlaps(log: SupervisionLog, first: date, last: date | None) -> bool:
    return first <= log.end and (last is None or last >= log.start)


def _group_size(outcome: LogOutcome, experience: SupervisedExperience) -> None:
    size = outcome.log.group_size
    if size is None or outcome.group <= 0:
        return
    if experience.group_size_max and size > experience.group_size_max:
        outcome.reasons.append(
            Reason("group_size", outcome.group, {"size": size, "limit": experience.group_size_max})
        )
        outcome.group = 0.0
    elif experience.individual_size_max and size <= experience.individual_size_max:
        outcome.individual = round(outcome.individual + outcome.group, 6)
        outcome.group = 0.0


def _group_weight(outcome: LogOutcome, experience: SupervisedExperience) -> None:
    """Group supervision that counts at a fraction of its hours loses the rest."""
    if experience.group_supervision_weight is None or outcome.group <= 0:
        return
    weight = parse_fraction(experience.group_supervision_weight)
    lost = round(outcome.group * (1 - weight), 6)
    if lost > _TOLERANCE:
        outcome.group = round(outcome.group - lost, 6)
        outcome.reasons.append(Reason("group_weight", lost, {"weight": _share_text(weight)}))


# --- pass 2: supervision minimums per period --------------------------------------------------


def _period_key(day: date, period: str, start: date) -> tuple:
    if period == "month":
        return (day.year, day.month)
    length = 7 if period == "week" else 14
    return ((day - start).days // length,)


def _period_label(key: tuple, period: str, start: date) -> str:
    if period == "month":
        return f"{key[0]}-{key[1]:02d}"
    length = 7 if period == "week" else 14
    first = start + timedelta(days=key[0] * length)
    return f"the {period.replace('_', ' ')} from {first.isoformat()}"


def _period_minimums(
    outcomes: list[LogOutcome], experience: SupervisedExperience, start: date
) -> None:
    for minimum in experience.period_minimums:
        if minimum.average:
            continue
        periods: dict[tuple, list[LogOutcome]] = defaultdict(list)
        for outcome in outcomes:
            if outcome.experience > _TOLERANCE:
                periods[_period_key(outcome.log.start, minimum.period, start)].append(outcome)
        for key, members in sorted(periods.items()):
            spans = _periods_spanned(members, minimum.period)
            need = minimum.supervision_hours * spans
            got = round(
                sum(
                    member.individual if minimum.individual else member.supervision
                    for member in members
                ),
                6,
            )
            if got + _TOLERANCE >= need:
                continue
            unit = {"week": "week", "two_weeks": "two weeks", "month": "month"}[minimum.period]
            params = {
                "period": _period_label(key, minimum.period, start),
                "kind": "individual supervision" if minimum.individual else "supervision",
                "got": float(got),
                "need": float(need),
                "per": float(minimum.supervision_hours),
                "unit": unit,
            }
            for member in members:
                # the period does not count at all: its supervision neither
                removed = member.cut_experience(member.experience)
                removed += member.supervision
                member.individual = member.group = 0.0
                member.reasons.append(Reason("period_minimum", round(removed, 6), params))


def _period_maximums(
    outcomes: list[LogOutcome], experience: SupervisedExperience, start: date
) -> None:
    for maximum in experience.period_maximums:
        used: dict[tuple, float] = defaultdict(float)
        for outcome in outcomes:
            key = _period_key(outcome.log.start, maximum.period, start)
            room = max(0.0, maximum.supervision_hours - used[key])
            over = round(outcome.supervision - room, 6)
            if over > _TOLERANCE:
                from_group = min(outcome.group, over)
                outcome.group = round(outcome.group - from_group, 6)
                outcome.individual = round(outcome.individual - (over - from_group), 6)
                outcome.reasons.append(
                    Reason(
                        "period_maximum",
                        over,
                        {
                            "limit": float(maximum.supervision_hours),
                            "period": _period_label(key, maximum.period, start),
                        },
                    )
                )
            used[key] += outcome.supervision


def _periods_spanned(members: list[LogOutcome], period: str) -> int:
    """How many periods a group of logs covers (a monthly log spans two fortnights)."""
    first = min(member.log.start for member in members)
    last = max(member.log.end for member in members)
    if period == "month":
        return max(1, whole_months(first, last + timedelta(days=1)))
    length = 7 if period == "week" else 14
    return max(1, math.floor(((last - first).days + 1) / length + 0.5))


# --- pass 3: cumulative limits ----------------------------------------------------------------


def _cumulative_limits(outcomes: list[LogOutcome], experience: SupervisedExperience) -> None:
    telehealth_left = experience.telehealth_max_hours
    basis_counted: dict[int, float] = defaultdict(float)
    supervision_so_far = 0.0
    individual_so_far = group_so_far = 0.0
    share = (
        parse_fraction(experience.group_supervision_max_fraction)
        if experience.group_supervision_max_fraction is not None
        else None
    )
    indirect_left = experience.indirect_hours_max
    for outcome in outcomes:
        if indirect_left is not None:
            over = round(outcome.indirect - indirect_left, 6)
            if over > _TOLERANCE:
                outcome.indirect = round(outcome.indirect - over, 6)
                outcome.reasons.append(
                    Reason("indirect_cap", over, {"limit": float(experience.indirect_hours_max)})
                )
            indirect_left = max(0.0, indirect_left - outcome.indirect)
        if telehealth_left is not None and outcome.telehealth > telehealth_left + _TOLERANCE:
            over = round(outcome.telehealth - telehealth_left, 6)
            removed = outcome.cut_experience(over, direct_first=True)
            outcome.telehealth = round(outcome.telehealth - over, 6)
            outcome.reasons.append(
                Reason("telehealth_cap", removed, {"limit": float(experience.telehealth_max_hours)})
            )
        if telehealth_left is not None:
            telehealth_left = max(0.0, telehealth_left - outcome.telehealth)
        for ratio in experience.ratios:
            if ratio.kind == "max":
                _ratio_max(outcome, ratio, experience)
        if share is not None:
            allowed_group = (
                float(share / (1 - share)) * (individual_so_far + outcome.individual)
                if share < 1
                else math.inf
            )
            over = round(group_so_far + outcome.group - allowed_group, 6)
            if over > _TOLERANCE:
                removed = min(over, outcome.group)
                outcome.group = round(outcome.group - removed, 6)
                outcome.reasons.append(
                    Reason("group_share", removed, {"share": _share_text(share)})
                )
        individual_so_far += outcome.individual
        group_so_far += outcome.group
        supervision_so_far += outcome.supervision
        for index, ratio in enumerate(experience.ratios):
            if ratio.kind == "min" and not ratio.average:
                _ratio_min(outcome, ratio, index, supervision_so_far, basis_counted, experience)
    for ratio in experience.ratios:
        if ratio.average:
            _ratio_average(outcomes, ratio)


def _share_text(share) -> str:
    return f"{share.numerator}/{share.denominator}" if share.denominator <= 10 else f"{share:.0%}"


def _basis_hours(outcome: LogOutcome, basis: str) -> float:
    return outcome.direct if basis == "direct" else outcome.experience


def _ratio_max(outcome: LogOutcome, ratio, experience: SupervisedExperience) -> None:
    allowed = _basis_hours(outcome, ratio.basis) * ratio.supervision_hours / ratio.per_hours
    over = round(outcome.supervision - allowed, 6)
    if over <= _TOLERANCE:
        return
    from_group = min(outcome.group, over)
    outcome.group = round(outcome.group - from_group, 6)
    outcome.individual = round(outcome.individual - (over - from_group), 6)
    outcome.reasons.append(Reason("ratio_max", over, _ratio_params(ratio)))


def _ratio_min(
    outcome: LogOutcome,
    ratio,
    index: int,
    supervision_so_far: float,
    basis_counted: dict[int, float],
    experience: SupervisedExperience,
) -> None:
    covered = supervision_so_far * ratio.per_hours / ratio.supervision_hours
    basis = _basis_hours(outcome, ratio.basis)
    over = round(basis_counted[index] + basis - covered, 6)
    if over > _TOLERANCE:
        removed = outcome.cut_experience(over, direct_first=ratio.basis == "direct")
        outcome.reasons.append(Reason("ratio_min", removed, _ratio_params(ratio)))
    basis_counted[index] += _basis_hours(outcome, ratio.basis)


def _ratio_average(outcomes: list[LogOutcome], ratio) -> None:
    """Hours beyond what all the supervision covers do not count, the latest logs first."""
    supervision = sum(outcome.supervision for outcome in outcomes)
    covered = supervision * ratio.per_hours / ratio.supervision_hours
    over = round(sum(_basis_hours(outcome, ratio.basis) for outcome in outcomes) - covered, 6)
    for outcome in sorted(outcomes, key=lambda item: item.log.start, reverse=True):
        if over <= _TOLERANCE:
            return
        take = min(over, _basis_hours(outcome, ratio.basis))
        if take > _TOLERANCE:
            removed = outcome.cut_experience(take, direct_first=ratio.basis == "direct")
            outcome.reasons.append(Reason("ratio_average", removed, _ratio_params(ratio)))
            over = round(over - removed, 6)


def _ratio_params(ratio) -> dict:
    return {
        "supervision": float(ratio.supervision_hours),
        "per": float(ratio.per_hours),
        "basis": "direct-contact" if ratio.basis == "direct" else "experience",
    }


# --- requirements, eligibility and pace -------------------------------------------------------

_HOUR_REQUIREMENTS = (
    ("total_hours", "Supervised experience hours"),
    ("direct_hours", "Direct client-contact hours"),
    ("supervision_hours", "Supervision hours"),
    ("individual_supervision_hours", "Individual supervision hours"),
    ("couples_family_hours", "Couples and family hours"),
)


def _sums(outcomes: Sequence[LogOutcome], experience: SupervisedExperience) -> dict[str, float]:
    sums = {
        "direct_hours": sum(outcome.direct for outcome in outcomes),
        "supervision_hours": sum(outcome.supervision for outcome in outcomes),
        "individual_supervision_hours": sum(outcome.individual for outcome in outcomes),
        "couples_family_hours": sum(outcome.couples_family for outcome in outcomes),
    }
    total = sum(outcome.experience for outcome in outcomes)
    if experience.supervision_counts_toward_total:
        total += sums["supervision_hours"]
    sums["total_hours"] = total
    return {key: round(value, 6) for key, value in sums.items()}


def _last_counted_end(outcomes: Sequence[LogOutcome]) -> date | None:
    ends = [o.log.end for o in outcomes if o.experience > _TOLERANCE]
    return max(ends) if ends else None


def _requirements(
    outcomes: list[LogOutcome], experience: SupervisedExperience, start: date
) -> list[RequirementProgress]:
    sums = _sums(outcomes, experience)
    progress = [
        RequirementProgress(key, title, getattr(experience, key), sums[key])
        for key, title in _HOUR_REQUIREMENTS
        if getattr(experience, key) is not None
    ]
    last = _last_counted_end(outcomes)
    if experience.months_min is not None:
        months = whole_months(start, last + timedelta(days=1)) if last else 0
        progress.append(
            RequirementProgress(
                "months", "Months of supervised experience", experience.months_min, months
            )
        )
    for minimum in experience.period_minimums:
        if minimum.average:
            progress.append(_average(outcomes, minimum, start, last))
    if experience.weeks_min is not None:
        weeks = ((last - start).days + 1) // 7 if last else 0
        progress.append(
            RequirementProgress(
                "weeks", "Weeks of supervised experience", experience.weeks_min, weeks
            )
        )
    return progress


_PERIOD_DAYS = {"week": 7, "two_weeks": 14, "month": 365.25 / 12}


def _average(
    outcomes: list[LogOutcome], minimum, start: date, last: date | None
) -> RequirementProgress:
    """Supervision averaging `supervision_hours` per period over the experience so far
    (partial periods count in proportion)."""
    kind = "individual supervision" if minimum.individual else "supervision"
    counted = sum(o.individual if minimum.individual else o.supervision for o in outcomes)
    return RequirementProgress(
        _average_id(minimum),
        f"{kind.capitalize()} averaging {minimum.supervision_hours:g} h per "
        f"{minimum.period.replace('_', ' ')}",
        round(minimum.supervision_hours * _periods_elapsed(minimum.period, start, last), 2),
        round(counted, 6),
    )


def _periods_elapsed(period: str, start: date, last: date | None) -> float:
    """Periods from the start through `last`: whole calendar months plus the leftover days
    as a share of a month, or days / 7 (or 14)."""
    if last is None:
        return 0.0
    end = last + timedelta(days=1)
    if period != "month":
        return (end - start).days / _PERIOD_DAYS[period]
    months = whole_months(start, end)
    leftover = (end - add_months(start, months)).days
    return months + leftover / _PERIOD_DAYS["month"]


def _average_id(minimum) -> str:
    individual = "individual_" if minimum.individual else ""
    return f"average_{individual}supervision_per_{minimum.period}"


def _duration_date(experience: SupervisedExperience, start: date) -> date:
    """The first day on which the minimum duration has passed."""
    dates = [start]
    if experience.months_min:
        dates.append(day_before(add_months(start, experience.months_min)))
    if experience.weeks_min:
        dates.append(start + timedelta(days=experience.weeks_min * 7 - 1))
    return max(dates)


def _eligible_on(outcomes: list[LogOutcome], experience: SupervisedExperience, start: date) -> date:
    """When the hour requirements were first all met (and the duration had passed)."""
    ordered = sorted(outcomes, key=lambda outcome: outcome.log.end)
    for position in range(len(ordered)):
        sums = _sums(ordered[: position + 1], experience)
        if all(
            sums[key] + _TOLERANCE >= getattr(experience, key)
            for key, _ in _HOUR_REQUIREMENTS
            if getattr(experience, key) is not None
        ):
            return max(ordered[position].log.end, _duration_date(experience, start))
    return _duration_date(experience, start)


def _pace(
    outcomes: list[LogOutcome], experience: SupervisedExperience, start: date, as_of: date
) -> dict[str, float]:
    """Counted hours per week over the last 12 weeks (or since the start, if shorter)."""
    window_start = max(start, as_of - timedelta(days=PACE_WINDOW_DAYS - 1))
    days = (as_of - window_start).days + 1
    if days <= 0:
        return {key: 0.0 for key, _ in _HOUR_REQUIREMENTS}
    recent = []
    for outcome in outcomes:
        log = outcome.log
        overlap = (min(log.end, as_of) - max(log.start, window_start)).days + 1
        if overlap <= 0:
            continue
        share = overlap / ((log.end - log.start).days + 1)
        recent.append((outcome, share))
    weekly: dict[str, float] = {}
    for key, _ in _HOUR_REQUIREMENTS:
        counted = sum(_sums([outcome], experience)[key] * share for outcome, share in recent)
        weekly[key] = round(counted / days * 7, 2)
    return weekly


# what one more hour a week (of experience) or a month (of supervision) would bring forward
_EXTRA_PER_WEEK = {
    "total_hours": (1.0, "week"),
    "direct_hours": (1.0, "week"),
    "couples_family_hours": (1.0, "week"),
    "supervision_hours": (12 / 52, "month"),
    "individual_supervision_hours": (12 / 52, "month"),
}
# the requirements an hour of each kind also counts toward
_ALSO_COUNTS = {
    "direct_hours": ("total_hours",),
    "couples_family_hours": ("direct_hours", "total_hours"),
    "individual_supervision_hours": ("supervision_hours",),
}


def _faster(
    requirements: list[RequirementProgress],
    pace: dict[str, float],
    experience: SupervisedExperience,
    start: date,
    as_of: date,
    projected: date,
) -> list[Note]:
    """The one extra hour (a week, or of supervision a month) that brings the projected date
    closest, if any does."""
    averages = {_average_id(minimum): minimum for minimum in experience.period_minimums}
    best: tuple[date, str, str] | None = None
    for item in requirements:
        if item.remaining <= _TOLERANCE:
            continue
        key = item.id
        if key in averages:
            individual = averages[key].individual
            key = "individual_supervision_hours" if individual else "supervision_hours"
        if key not in _EXTRA_PER_WEEK:
            continue
        extra, per = _EXTRA_PER_WEEK[key]
        faster = dict(pace)
        also = _ALSO_COUNTS.get(key, ())
        if experience.supervision_counts_toward_total and "supervision" in key:
            also = (*also, "total_hours")
        for counted in (key, *also):
            faster[counted] = faster.get(counted, 0.0) + extra
        sooner = _projection(requirements, faster, experience, start, as_of)
        if sooner and sooner < projected and (best is None or sooner < best[0]):
            best = (sooner, key, per)
    if best is None:
        return []
    sooner, key, per = best
    kind = dict(_HOUR_REQUIREMENTS)[key]
    return [Note("faster_with", {"kind": kind, "per": per, "date": sooner.isoformat()})]


def _projection(
    requirements: list[RequirementProgress],
    pace: dict[str, float],
    experience: SupervisedExperience,
    start: date,
    as_of: date,
) -> date | None:
    averages = {_average_id(minimum): minimum for minimum in experience.period_minimums}
    days_needed = 0
    for item in requirements:
        if item.remaining <= _TOLERANCE:
            continue
        if item.id in ("months", "weeks"):
            # the duration runs to the last counted log: it grows only while hours are logged
            if pace.get("total_hours", 0.0) <= 0:
                return None
            continue
        if item.id in averages:
            # the requirement keeps growing: catch up only if supervision outpaces it
            minimum = averages[item.id]
            key = "individual_supervision_hours" if minimum.individual else "supervision_hours"
            needed = minimum.supervision_hours * 7 / _PERIOD_DAYS[minimum.period]
            per_week = pace.get(key, 0.0) - needed
        else:
            per_week = pace.get(item.id, 0.0)
        if per_week <= 0:
            return None
        days_needed = max(days_needed, math.ceil(item.remaining / per_week * 7))
    return max(as_of + timedelta(days=days_needed), _duration_date(experience, start))
