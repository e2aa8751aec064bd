"""Renewal cycles: when a license expires, which cycle a date falls in, first renewals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TypeVar

from cetrack.engine.dates import add_months, clamped, day_after, end_of_month
from cetrack.engine.reasons import Note
from cetrack.engine.records import LicenseFacts
from cetrack.rules.schema import Registration, Renewal, Versioned

V = TypeVar("V", bound=Versioned)

_MAX_CYCLES = 200


class RuleInputError(ValueError):
    """The license facts are not enough (or not consistent) for this rule. The message names
    the scenario's fields; `needs` (license facts, any one of which would do) and `why` let
    the app word it for a person (`wording.rule_input_text`)."""

    def __init__(self, message: str, *, needs: tuple[str, ...] = (), why: str = ""):
        super().__init__(message)
        self.needs = needs
        self.why = why


def _missing(needs: tuple[str, ...], why: str) -> RuleInputError:
    first, *others = needs
    alternatives = f" (or {', '.join(f'license.{name}' for name in others)})" if others else ""
    return RuleInputError(f"license.{first}{alternatives} is needed: {why}", needs=needs, why=why)


@dataclass(frozen=True)
class Cycle:
    start: date
    end: date
    first: bool
    renewal_number: int | None
    previous_end: date

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1


def earning_window(cycle: Cycle, years_before_renewal_year: int | None) -> Cycle:
    """The cycle whose CE must be earned in the calendar years before its renewal year."""
    if years_before_renewal_year is None:
        return cycle
    start = date(cycle.end.year - years_before_renewal_year, 1, 1)
    return replace(
        cycle,
        start=start,
        end=date(cycle.end.year - 1, 12, 31),
        previous_end=date(start.year - 1, 12, 31),
    )


def select_version(versions: Sequence[V], day: date, section: str) -> V:
    for version in versions:
        if version.applies_on(day):
            return version
    raise RuleInputError(f"no version of the {section} rule applies on {day.isoformat()}")


class ExpirationSequence:
    """The license's expiration dates: `at(0)` is an anchor expiration, `at(k)` k cycles on."""

    def __init__(self, renewal: Renewal, facts: LicenseFacts, reference: date):
        self.renewal = renewal
        self.facts = facts
        self.step = renewal.cycle_months
        model = renewal.expiration.model
        if model != "issue_anniversary" and self.step % 12:
            raise RuleInputError(f"a {model} expiration needs a cycle of whole years")
        self._off_model = False
        self.anchor = facts.expires or self._first_on_or_after(reference)
        # a printed date the model does not produce (a board-set term): step from it by months
        self._off_model = self.mismatch() is not None

    # -- the model's dates ------------------------------------------------------------------

    def _birth(self) -> date:
        if self.facts.birth_date is None:
            raise _missing(("birth_date", "expires"), "this license expires by birth date")
        return self.facts.birth_date

    def _in_year(self, year: int) -> date:
        expiration = self.renewal.expiration
        match expiration.model:
            case "fixed_date":
                return clamped(year, expiration.month, expiration.day)
            case "birth_month":
                if self.facts.birth_date is None:
                    return end_of_month(year, self.anchor.month)
                # `month_offset`: -1 is the month before the birth month (NY registrations)
                index = year * 12 + self.facts.birth_date.month - 1 + expiration.month_offset
                return end_of_month(index // 12, index % 12 + 1)
            case "birthday":
                birth = self.facts.birth_date or self.anchor
                return clamped(year, birth.month, birth.day)
        raise AssertionError(expiration.model)

    def _issue_anchor(self) -> date:
        issued = self.facts.issued
        if issued is None:
            raise _missing(
                ("issued", "expires"), "this license expires on the anniversary of its issue"
            )
        if self.renewal.expiration.anchor == "end_of_issue_month":
            return end_of_month(issued.year, issued.month)
        return issued

    def _first_on_or_after(self, day: date) -> date:
        expiration = self.renewal.expiration
        if expiration.model == "issue_anniversary":
            anchor = self._issue_anchor()
            for k in range(1, _MAX_CYCLES):
                candidate = self._shift(anchor, k * self.step)
                if candidate >= day:
                    return candidate
            raise RuleInputError("no expiration found")
        if expiration.model != "fixed_date":
            self._birth()
        years = self._candidate_years(day)
        for year in years:
            candidate = self._in_year(year)
            if candidate >= day:
                return candidate
        raise RuleInputError("no expiration found")

    def _candidate_years(self, day: date) -> range:
        expiration = self.renewal.expiration
        step_years = self.step // 12
        if expiration.parity:
            first = (
                day.year if (day.year % 2 == 0) == (expiration.parity == "even") else day.year + 1
            )
            return range(first - 2, first + 2 * step_years + 2, 2 if step_years % 2 == 0 else 1)
        if step_years == 1:
            return range(day.year - 1, day.year + 2)
        issued = self.facts.issued
        if issued is None:
            raise _missing(
                ("expires", "issued"),
                "the year this license expires depends on when it was issued",
            )
        earliest = add_months(issued, expiration.first_term_min_months or 0)
        first_year = next(
            year
            for year in range(earliest.year, earliest.year + 3)
            if self._in_year(year) >= earliest and self._in_year(year) > issued
        )
        offset = max(0, (day.year - first_year) // step_years - 1)
        first = first_year + offset * step_years
        return range(first, first + 3 * step_years + 1, step_years)

    # -- stepping ----------------------------------------------------------------------------

    def _shift(self, anchor: date, months: int) -> date:
        expiration = self.renewal.expiration
        if self._off_model:
            shifted = add_months(anchor, months)
            month_end = anchor == end_of_month(anchor.year, anchor.month)
            return end_of_month(shifted.year, shifted.month) if month_end else shifted
        if expiration.model in ("fixed_date", "birth_month", "birthday"):
            return self._in_year(anchor.year + months // 12)
        shifted = add_months(anchor, months)
        if expiration.anchor == "end_of_issue_month":
            return end_of_month(shifted.year, shifted.month)
        return shifted

    def at(self, k: int) -> date:
        if k == 0:
            return self.anchor
        return self._shift(self.anchor, k * self.step)

    def first_expiration(self) -> date | None:
        """The license's first expiration after issue (the first renewal), if issue is known."""
        issued = self.facts.issued
        if issued is None:
            return None
        if self.renewal.expiration.model == "issue_anniversary" and self.facts.expires is None:
            return self._shift(self._issue_anchor(), self.step)
        earliest = add_months(issued, self.renewal.expiration.first_term_min_months or 0)
        found = None
        for k in range(0, -_MAX_CYCLES, -1):
            candidate = self.at(k)
            if candidate <= issued or candidate < earliest:
                break
            found = candidate
        if found is None:
            raise RuleInputError(
                f"license.issued {issued.isoformat()} does not fit the expiration "
                f"{self.anchor.isoformat()}"
            )
        return found

    def mismatch(self) -> Note | None:
        """A note when the license's printed date does not fit the rule's model."""
        expires = self.facts.expires
        if expires is None:
            return None
        expiration = self.renewal.expiration
        if expiration.model == "issue_anniversary":
            return None
        if expiration.model == "birth_month" and self.facts.birth_date is None:
            return None
        expected = self._in_year(expires.year)
        parity_ok = expiration.parity is None or (expires.year % 2 == 0) == (
            expiration.parity == "even"
        )
        if expected != expires or not parity_ok:
            return Note(
                "expiration_mismatch",
                {
                    "expires": expires.isoformat(),
                    "expiration": expiration.model_dump(mode="json", exclude_none=True),
                    "cycle_months": self.renewal.cycle_months,
                },
            )
        return None


def cycle_ending(
    sequence: ExpirationSequence, k: int, facts: LicenseFacts, *, first: bool | None = None
) -> Cycle:
    """The cycle that ends at expiration `k` of the sequence."""
    end = sequence.at(k)
    previous = sequence.at(k - 1)
    issued = facts.issued
    if issued is not None and issued > end:
        raise RuleInputError(
            f"license.issued {issued.isoformat()} is after the expiration {end.isoformat()}"
        )
    first_expiration = sequence.first_expiration()
    if first is None:
        first = first_expiration is not None and end == first_expiration
    return Cycle(
        # a license issued inside the cycle, or a first term the board set longer than a
        # full cycle, runs from the issue date
        start=issued
        if issued is not None and (first or issued > previous)
        else day_after(previous),
        end=end,
        first=first,
        renewal_number=_renewal_number(sequence, k, facts),
        previous_end=previous,
    )


def _renewal_number(sequence: ExpirationSequence, k: int, facts: LicenseFacts) -> int | None:
    first_expiration = sequence.first_expiration()
    if first_expiration is None:
        return None if facts.renewal_number is None else facts.renewal_number + k
    count = 0
    for back in range(k, k - _MAX_CYCLES, -1):
        if sequence.at(back) < first_expiration:
            break
        count += 1
    return count


def current_cycle(
    renewal: Renewal, facts: LicenseFacts, as_of: date
) -> tuple[Cycle, ExpirationSequence]:
    sequence = ExpirationSequence(renewal, facts, as_of)
    cycle = cycle_ending(sequence, 0, facts, first=facts.first_renewal)
    # what the licensee says wins over a count from the model's dates
    number = cycle.renewal_number
    if facts.renewal_number is not None:
        number = facts.renewal_number
    elif facts.first_renewal is True:
        number = 1
    elif facts.first_renewal is False and number == 1:
        number = None  # not the first, and which one is unknown
    if number != cycle.renewal_number:
        cycle = Cycle(cycle.start, cycle.end, cycle.first, number, cycle.previous_end)
    return cycle, sequence


def registration_final_expiry(registration: Registration, issued: date) -> date | None:
    """The last day an associate registration can be held, renewals included; None when
    the rule sets no limit on renewals or years (it can be renewed indefinitely)."""
    anchor = (
        end_of_month(issued.year, issued.month)
        if registration.anchor == ("end_of_issue_month")
        else issued
    )
    renewal_months = registration.renewal_valid_months or registration.valid_months
    limits = []
    if registration.max_renewals is not None:
        terms = registration.valid_months + renewal_months * registration.max_renewals
        limits.append(add_months(anchor, terms))
    if registration.max_years is not None:
        limits.append(add_months(anchor, round(registration.max_years * 12)))
    return min(limits, default=None)


def derived_expiration(renewals: Sequence[Renewal], facts: LicenseFacts, on: date) -> date:
    """The expiration the rule gives on `on` (ignoring any printed date)."""
    renewal = select_version(renewals, on, "renewal")
    cycle, _ = current_cycle(renewal, replace(facts, expires=None), on)
    return cycle.end
