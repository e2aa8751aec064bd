"""Checks that need the whole rule file: references, vocabulary, versions, impossible numbers.

Each check returns `Problem`s; a file with any problem is rejected as a whole.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from cetrack.rules.schema import (
    ContinuingEducation,
    Renewal,
    RuleFile,
    Selector,
    Source,
    SupervisedExperience,
    Versioned,
    parse_fraction,
)
from cetrack.rules.shared import SharedData, url_host
from cetrack.rules.vocabulary import ACTIVITY_TYPES, CATEGORIES, FORMATS


@dataclass(frozen=True)
class Problem:
    field: str
    reason: str

    def render(self, file: str) -> str:
        return f"{file}: {self.field}: {self.reason}"


def check_rule(rule: RuleFile, *, shared: SharedData, today: date | None = None) -> list[Problem]:
    """Every problem in a parsed rule file, in a stable order."""
    today = today or date.today()
    problems: list[Problem] = []
    if rule.profession not in shared.profession_ids():
        known = ", ".join(shared.profession_ids())
        problems.append(
            Problem("profession", f"unknown profession {rule.profession!r} (_shared.yaml: {known})")
        )
    if rule.compact:
        problems += [
            Problem(f"compact.home.professions[{index}]", f"unknown profession {profession!r}")
            for index, profession in enumerate(rule.compact.home.professions)
            if profession not in shared.profession_ids()
        ]
    problems += _check_sources(rule, today)
    problems += _check_authorities(rule, shared)
    problems += _check_versions("renewal", rule.renewal)
    problems += _check_versions("ce", rule.ce)
    problems += _check_versions("supervised_experience", rule.supervised_experience)
    for index, renewal in enumerate(rule.renewal):
        problems += _check_renewal(f"renewal[{index}]", renewal)
    for index, ce in enumerate(rule.ce):
        problems += _check_ce(f"ce[{index}]", ce)
    for index, experience in enumerate(rule.supervised_experience):
        problems += _check_experience(f"supervised_experience[{index}]", experience)
    for index, item in enumerate(rule.not_evaluated):
        problems += [
            Problem(f"not_evaluated[{index}].logged_by[{at}]", f"unknown category {category!r}")
            for at, category in enumerate(item.logged_by)
            if category not in CATEGORIES
        ]
    return problems


# --- sources ---------------------------------------------------------------------------------


def _source_refs(rule: RuleFile) -> Iterator[tuple[str, str]]:
    """(field path, source id) for every place the file cites a source."""
    for index, renewal in enumerate(rule.renewal):
        yield f"renewal[{index}].source", renewal.source
        if renewal.expiration.source:
            yield f"renewal[{index}].expiration.source", renewal.expiration.source
        if renewal.registration:
            yield f"renewal[{index}].registration.source", renewal.registration.source
    for index, ce in enumerate(rule.ce):
        path = f"ce[{index}]"
        yield f"{path}.source", ce.source
        yield f"{path}.units.source", ce.units.source
        yield f"{path}.carryover.source", ce.carryover.source
        yield f"{path}.first_renewal.source", ce.first_renewal.source
        for kind in ("requirements", "caps", "exclusions"):
            for item_index, item in enumerate(getattr(ce, kind)):
                if item.source is not None:
                    yield f"{path}.{kind}[{item_index}].source", item.source
    for index, experience in enumerate(rule.supervised_experience):
        path = f"supervised_experience[{index}]"
        yield f"{path}.source", experience.source
        for name, ref in experience.field_sources.items():
            yield f"{path}.field_sources.{name}", ref
        for kind in ("ratios", "period_minimums", "period_maximums"):
            for item_index, item in enumerate(getattr(experience, kind)):
                if item.source is not None:
                    yield f"{path}.{kind}[{item_index}].source", item.source
        if experience.registration:
            yield f"{path}.registration.source", experience.registration.source
        if experience.supervisor:
            yield f"{path}.supervisor.source", experience.supervisor.source
    if rule.compact:
        yield "compact.source", rule.compact.source
    for index, item in enumerate(rule.not_evaluated):
        yield f"not_evaluated[{index}].source", item.source
    for index, conflict in enumerate(rule.conflicts):
        for ref_index, ref in enumerate(conflict.sources):
            yield f"conflicts[{index}].sources[{ref_index}]", ref


def _check_sources(rule: RuleFile, today: date) -> list[Problem]:
    problems: list[Problem] = []
    known: set[str] = set()
    for index, source in enumerate(rule.sources):
        if source.id in known:
            problems.append(Problem(f"sources[{index}].id", f"duplicate source id {source.id!r}"))
        known.add(source.id)
        if source.retrieved > today:
            problems.append(Problem(f"sources[{index}].retrieved", "date is in the future"))
    if rule.verified_on > today:
        problems.append(Problem("verified_on", "date is in the future"))
    for field, ref in _source_refs(rule):
        if ref not in known:
            problems.append(Problem(field, f"unknown source {ref!r} (not in sources)"))
    return problems


_AUTHORITY_WORDS = {
    "official": "a government or board host",
    "official_copy": "a publisher of official text listed in _shared.yaml",
    "secondary": "neither",
}


def _check_authorities(rule: RuleFile, shared: SharedData) -> list[Problem]:
    """A source's authority must be what its host can be."""
    board_hosts = frozenset({url_host(rule.board_url), url_host(rule.verification_url)})
    return authority_problems("sources", rule.sources, shared, board_hosts)


def authority_problems(
    path: str, sources: Sequence[Source], shared: SharedData, board_hosts: frozenset[str]
) -> list[Problem]:
    """Sources whose authority is not what their host can be (the board hosts are official)."""
    problems: list[Problem] = []
    for index, source in enumerate(sources):
        expected = shared.host_authority(source.url, board_hosts=board_hosts)
        if source.authority != expected:
            problems.append(
                Problem(
                    f"{path}[{index}].authority",
                    f"{source.id!r} is marked {source.authority}, but its host "
                    f"{url_host(source.url)} is {_AUTHORITY_WORDS[expected]} "
                    f"(so it is {expected})",
                )
            )
    return problems


# --- versions --------------------------------------------------------------------------------


def _check_versions(section: str, versions: Sequence[Versioned]) -> list[Problem]:
    problems: list[Problem] = []
    for index, version in enumerate(versions):
        start, end = version.effective_from, version.effective_until
        if start and end and start >= end:
            problems.append(
                Problem(f"{section}[{index}].effective_until", "must be after effective_from")
            )
    for first in range(len(versions)):
        for second in range(first + 1, len(versions)):
            if _overlap(versions[first], versions[second]):
                problems.append(
                    Problem(
                        f"{section}[{second}]",
                        f"overlaps {section}[{first}]: versions must not share a date",
                    )
                )
    return problems


def _overlap(a: Versioned, b: Versioned) -> bool:
    a_start, b_start = a.effective_from or date.min, b.effective_from or date.min
    a_end, b_end = a.effective_until or date.max, b.effective_until or date.max
    return a_start < b_end and b_start < a_end


def _check_renewal(path: str, renewal: Renewal) -> list[Problem]:
    problems: list[Problem] = []
    expiration = renewal.expiration
    if expiration.model != "issue_anniversary" and renewal.cycle_months % 12:
        problems.append(
            Problem(f"{path}.cycle_months", f"a {expiration.model} expiration needs whole years")
        )
    if expiration.parity and renewal.cycle_months != 24:
        problems.append(
            Problem(f"{path}.expiration.parity", "odd/even years only fit a 24-month cycle")
        )
    if expiration.model == "fixed_date":
        longest = max(calendar.monthrange(year, expiration.month)[1] for year in (2023, 2024))
        if expiration.day > longest:
            problems.append(
                Problem(
                    f"{path}.expiration.day",
                    f"month {expiration.month} has no day {expiration.day}",
                )
            )
    return problems


# --- continuing education --------------------------------------------------------------------


def _check_selector(path: str, selector: Selector) -> Iterator[Problem]:
    vocabularies = (
        ("categories", CATEGORIES, "category"),
        ("formats", FORMATS, "format"),
        ("types", ACTIVITY_TYPES, "activity type"),
    )
    for field, vocabulary, noun in vocabularies:
        for index, value in enumerate(getattr(selector, field)):
            if value not in vocabulary:
                yield Problem(f"{path}.{field}[{index}]", f"unknown {noun} {value!r}")


def _duplicates(path: str, ids: Iterable[str]) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, item_id in enumerate(ids):
        if item_id in seen:
            yield Problem(f"{path}[{index}].id", f"duplicate id {item_id!r}")
        seen.add(item_id)


def _check_ce(path: str, ce: ContinuingEducation) -> list[Problem]:
    problems: list[Problem] = []
    for kind in ("requirements", "caps", "exclusions"):
        items = getattr(ce, kind)
        problems += _duplicates(f"{path}.{kind}", (item.id for item in items))
        for index, item in enumerate(items):
            problems += _check_selector(f"{path}.{kind}[{index}]", item)
    requirement_ids = {requirement.id for requirement in ce.requirements}
    if "total" in requirement_ids:
        problems.append(Problem(f"{path}.requirements", "the id 'total' is reserved"))
    problems += _check_requirement_numbers(path, ce)
    problems += _check_caps_against_requirements(path, ce)
    proration = ce.first_renewal.proration
    if proration:
        problems += _check_proration(f"{path}.first_renewal.proration", proration, ce)
    return problems


def _check_requirement_numbers(path: str, ce: ContinuingEducation) -> list[Problem]:
    problems: list[Problem] = []
    buckets_in_total = 0.0
    for index, requirement in enumerate(ce.requirements):
        field = f"{path}.requirements[{index}]"
        inside_total = requirement.counts_toward_total and requirement.frequency in (
            "every_cycle",
            "per_year_of_cycle",
        )
        if requirement.counts_toward_total and requirement.hours > ce.total_hours > 0:
            problems.append(
                Problem(
                    f"{field}.hours",
                    f"{requirement.hours:g} h is more than the total of {ce.total_hours:g} h it "
                    "counts toward",
                )
            )
        if inside_total and not requirement.overlap and requirement.when is None:
            buckets_in_total += requirement.hours
        numbers = requirement.when.renewal_numbers if requirement.when else None
        if numbers is not None and any(number < 1 for number in numbers):
            problems.append(Problem(f"{field}.when.renewal_numbers", "renewals count from 1"))
        if requirement.first and requirement.n and requirement.first > requirement.n:
            problems.append(Problem(f"{field}.first", "must not be greater than n"))
    if ce.total_hours and buckets_in_total > ce.total_hours:
        problems.append(
            Problem(
                f"{path}.requirements",
                f"category minimums add up to {buckets_in_total:g} h, more than the total of "
                f"{ce.total_hours:g} h they count toward",
            )
        )
    return problems


def _cap_limit(cap, total: float) -> float:
    if cap.max_hours is not None:
        return cap.max_hours
    return float(parse_fraction(cap.max_fraction)) * total


def _check_caps_against_requirements(path: str, ce: ContinuingEducation) -> list[Problem]:
    """A requirement whose every acceptable format is capped below its hours cannot be met."""
    problems: list[Problem] = []
    for index, requirement in enumerate(ce.requirements):
        formats = requirement.formats or list(FORMATS)
        room = 0.0
        for fmt in formats:
            limits = [
                _cap_limit(cap, ce.total_hours)
                for cap in ce.caps
                if cap.per == "cycle"
                and cap.formats
                and fmt in cap.formats
                and not cap.categories
                and not cap.types
            ]
            room += min(limits) if limits else float("inf")
        if room < requirement.hours:
            problems.append(
                Problem(
                    f"{path}.requirements[{index}]",
                    f"needs {requirement.hours:g} h but caps allow at most {room:g} h in its "
                    "formats",
                )
            )
    for index, cap in enumerate(ce.caps):
        if cap.max_hours is not None and cap.per == "cycle" and cap.max_hours > ce.total_hours > 0:
            problems.append(
                Problem(
                    f"{path}.caps[{index}].max_hours",
                    f"{cap.max_hours:g} h is more than the total of {ce.total_hours:g} h "
                    "(the cap could never apply)",
                )
            )
    return problems


def _check_proration(path: str, proration, ce: ContinuingEducation) -> list[Problem]:
    problems: list[Problem] = []
    requirement_ids = {requirement.id for requirement in ce.requirements}
    for requirement_id in proration.requirement_rates:
        if requirement_id not in requirement_ids:
            problems.append(
                Problem(f"{path}.requirement_rates.{requirement_id}", "unknown requirement id")
            )
    spans: list[tuple[int, int]] = []
    for index, bucket in enumerate(proration.buckets):
        for requirement_id, hours in bucket.requirements.items():
            if requirement_id not in requirement_ids:
                problems.append(
                    Problem(
                        f"{path}.buckets[{index}].requirements.{requirement_id}",
                        "unknown requirement id",
                    )
                )
            if bucket.total_hours is not None and hours > bucket.total_hours > 0:
                problems.append(
                    Problem(
                        f"{path}.buckets[{index}].requirements.{requirement_id}",
                        f"{hours:g} h is more than the bucket's total of {bucket.total_hours:g} h",
                    )
                )
        if bucket.total_hours is not None and bucket.total_hours > ce.total_hours:
            problems.append(
                Problem(f"{path}.buckets[{index}].total_hours", "more than the full total")
            )
        for start, end in spans:
            if bucket.issued_from_month < end and start < bucket.issued_to_month:
                problems.append(Problem(f"{path}.buckets[{index}]", "overlaps another bucket"))
        spans.append((bucket.issued_from_month, bucket.issued_to_month))
    return problems


# --- supervised experience -------------------------------------------------------------------


def _check_experience(path: str, experience: SupervisedExperience) -> list[Problem]:
    problems: list[Problem] = []
    pairs = (
        ("direct_hours", "total_hours", "direct hours cannot exceed the total"),
        ("individual_supervision_hours", "supervision_hours", "individual exceeds supervision"),
        ("couples_family_hours", "direct_hours", "couples/family hours are part of direct"),
        ("months_min", "months_max", "minimum duration exceeds the maximum"),
        ("weekly_hours_min", "weekly_hours_max", "weekly minimum exceeds the weekly maximum"),
        ("indirect_hours_max", "total_hours", "indirect hours cannot exceed the total"),
    )
    for part, whole, reason in pairs:
        part_value, whole_value = getattr(experience, part), getattr(experience, whole)
        if part_value is not None and whole_value is not None and part_value > whole_value:
            problems.append(Problem(f"{path}.{part}", reason))
    if (
        experience.weeks_min
        and experience.months_max
        and experience.weeks_min > experience.months_max * 4.35
    ):
        problems.append(Problem(f"{path}.weeks_min", "more weeks than months_max allows"))
    if (
        experience.group_size_max
        and experience.individual_size_max
        and experience.individual_size_max > experience.group_size_max
    ):
        problems.append(Problem(f"{path}.individual_size_max", "larger than group_size_max"))
    fields = set(SupervisedExperience.model_fields)
    for name in experience.field_sources:
        if name not in fields:
            problems.append(Problem(f"{path}.field_sources.{name}", "not a field of this section"))
    minimum_ratios = [ratio for ratio in experience.ratios if ratio.kind == "min"]
    maximum_ratios = [ratio for ratio in experience.ratios if ratio.kind == "max"]
    for low in minimum_ratios:
        for high in maximum_ratios:
            low_rate = low.supervision_hours / low.per_hours
            if low.basis == high.basis and low_rate > high.supervision_hours / high.per_hours:
                problems.append(
                    Problem(f"{path}.ratios", "the minimum supervision ratio exceeds the maximum")
                )
    return problems
