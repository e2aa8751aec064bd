"""Every sentence cetrack says about a result, in one place: reasons, notes, hours, plans,
requirements, statuses and the pace. The app, the PDF, the calendar and the `cetrack check`
JSON all word things through here, so they say the same thing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from cetrack.engine.cycles import RuleInputError
from cetrack.engine.joint_plan import JointItem, JointPlan
from cetrack.engine.pace import Pace
from cetrack.engine.reasons import Note, Reason
from cetrack.engine.results import (
    ActivityEffect,
    CEResult,
    HomeDependency,
    LoggedReminder,
    PlanItem,
    Progress,
    RequirementResult,
)
from cetrack.rules.provenance import unconfirmed_sources
from cetrack.rules.schema import Expiration, Renewal, RuleFile
from cetrack.rules.vocabulary import CATEGORIES, FORMATS

FORMAT_WORDS = {"in_person": "in person", "live_online": "live online", "self_study": "self-study"}
STATUS_WORDS = {
    "compliant": "Compliant",
    "incomplete": "Incomplete",
    "exempt": "Exempt",
    "invalid": "Invalid",
}
VERIFICATION_FLAG_WORDS = {
    "never": "Never verified",
    "overdue": "Verification overdue",
    "problem": "Board did not show it active",
}
UNIT_WORDS = {
    "hours": "h",
    "minutes": "min",
    "ceu": "CEU",
    "semester_credit": "semester credits",
    "quarter_credit": "quarter credits",
}

_REASONS: dict[str, str] = {
    # CE
    "after_as_of": "dated after the evaluation date ({as_of})",
    "after_cycle": "completed after the cycle ended on {end} (counts toward the next cycle)",
    "before_cycle": "completed before the cycle began on {start}",
    "before_cycle_once": (
        "completed before the cycle began on {start}; it counts only toward "
        "requirements that look back further"
    ),
    "before_issue": "completed before the license was issued on {issued}",
    "unit_not_accepted": "{unit} are not a unit this rule converts to CE hours",
    "rounding": "credit is given in {increment} h steps; the remainder does not count",
    "below_first_hour": "under the first whole hour; this rule gives no credit below one hour",
    "not_accepted": "{title} are not accepted",
    "over_cap": "over the {limit} h {title} cap",
    "over_day_cap": "over the {limit} h {title} cap for {day}",
    # supervised experience
    "unsigned": "not signed by the supervisor",
    "log_after_as_of": "the log ends after the evaluation date ({as_of})",
    "before_start": "before the supervised experience began on {start}",
    "too_old": "more than {years} years before the application date ({cutoff})",
    "after_max_duration": "after the {months}-month maximum period (ended {limit_date})",
    "weekly_cap": "over the {limit} h per week maximum",
    "weekly_direct_cap": "direct hours over the {limit} h per week maximum",
    "group_weight": "group supervision counts at {weight} of its hours",
    "weekly_minimum": "under the {limit} h per week minimum; such weeks do not count",
    "indirect_cap": "over the {limit} h maximum of indirect hours",
    "period_maximum": "supervision over {limit} h in {period} does not count",
    "telehealth_cap": "over the {limit} h maximum of telehealth hours",
    "ratio_min": (
        "not covered by supervision: at least {supervision} h of supervision are required "
        "per {per} h of {basis} hours"
    ),
    "ratio_average": (
        "not covered by supervision: supervision must average {supervision} h per {per} h "
        "of {basis} hours over the whole experience"
    ),
    "ratio_max": "supervision beyond {supervision} h per {per} h of {basis} hours does not count",
    "period_minimum": (
        "{period} had {got} h of {kind}; {need} h were required ({per} h every {unit}), "
        "so the period does not count"
    ),
    "group_size": "a group of {size} is larger than the maximum of {limit}",
    "group_share": "group supervision over the {share} share of supervision hours",
    "outside_supervision": (
        "outside the dates {supervisor} supervised this associate ({start} to {end})"
    ),
    "supervisor_license_inactive": "{supervisor}'s license was not active on these dates",
    "supervisor_not_qualified": "{supervisor} did not hold the {credential} on these dates",
    "too_many_supervisors": (
        "more than {limit} supervisors at one time; {supervisor} is one too many"
    ),
}

_NOTES: dict[str, str] = {
    "expiration_mismatch": (
        "license.expires {expires} does not fit the rule's expiration model ({model}); "
        "the license's date is used"
    ),
    "due_at_renewals_unknown_number": (
        "{title}: due only at renewal(s) {renewals}; the renewal number is unknown "
        "(give license.issued), so it is shown as due"
    ),
    "due_every_nth_unknown_number": (
        "{title}: due every {n} renewals; the renewal number is unknown (give license.issued), "
        "so it is shown as due"
    ),
    "ce_window": "CE for the renewal due {renewal} counts only if earned from {start} to {end}",
    "no_projection": "no projection: the recent pace does not add the missing hours",
    "faster_with": "{kind}: 1 more hour a {per} would bring the date to {date}",
    "triadic_as_group": (
        "the rule does not say whether triadic supervision is individual: it is counted as "
        "group supervision"
    ),
    "projected_past_maximum": (
        "at this pace the experience would run past the {months}-month maximum"
    ),
    "registration_ends_first": (
        "the {registration} registration cannot be renewed beyond {final}, before the "
        "projected eligibility date"
    ),
}

# how a compact credential's home credential stands, after "invalid: "
_STANDINGS: dict[str, str] = {
    "missing": "no home credential is linked",
    "ineligible": "{home} is not a credential the {compact} stands on",
    "inactive": "{home} is not active",
    "lapsed": "{home} expired on {expires}",
    "home_invalid": "{home} is itself invalid ({inner})",
}


# --- numbers -------------------------------------------------------------------------------


def number(value: float) -> str:
    """12 -> "12", 1.5 -> "1.5", 0.333333 -> "0.33"."""
    return f"{round(value, 2):g}"


def hours(value: float) -> str:
    return f"{number(value)} h"


def amount(value: float, unit: str) -> str:
    """An amount in its own unit: "90 min", "1.5 CEU", "3 h"."""
    return f"{number(value)} {UNIT_WORDS.get(unit, unit)}"


def progress(item: Progress) -> str:
    """ "3 of 6 h"."""
    return f"{number(item.counted)} of {hours(item.required)}"


def allocation_line(allocation: dict[str, float], titles: dict[str, str]) -> str:
    """Where an activity's hours counted, by requirement title: "2 h Ethics; 1 h total"."""
    return "; ".join(
        f"{hours(value)} {'toward the total only' if key == 'total' else titles.get(key, key)}"
        for key, value in allocation.items()
        if value
    )


# --- reasons and notes ---------------------------------------------------------------------


def _params(params: dict[str, Any]) -> dict[str, Any]:
    return {
        key: number(value) if isinstance(value, float) else value for key, value in params.items()
    }


def reason_text(reason: Reason) -> str:
    return _REASONS[reason.code].format(**_params(reason.params))


def note_text(note: Note) -> str:
    params = dict(note.params)
    if note.code == "expiration_mismatch":
        params["model"] = expiration_text(
            Expiration.model_validate(params.pop("expiration")), params.pop("cycle_months")
        )
    if "renewals" in params:
        params["renewals"] = ", ".join(map(str, params["renewals"]))
    return _NOTES[note.code].format(**_params(params))


_BIRTH_MONTH_OFFSETS = {
    0: "the birth month",
    -1: "the month before the birth month",
    1: "the month after the birth month",
}


def expiration_text(expiration: Expiration, cycle_months: int) -> str:
    """How a license expires: "June 30 of odd years, every 2 years"."""
    years = cycle_months // 12
    every = f"every {years} years" if years > 1 else "every year"
    parity = f" of {expiration.parity} years" if expiration.parity else ""
    match expiration.model:
        case "fixed_date":
            when = date(2001, expiration.month, 1).strftime("%B") + f" {expiration.day}"
            return f"{when}{parity}, {every}"
        case "birth_month":
            month = _BIRTH_MONTH_OFFSETS.get(expiration.month_offset)
            month = month or f"{abs(expiration.month_offset)} months " + (
                "before the birth month" if expiration.month_offset < 0 else "after the birth month"
            )
            return f"last day of {month}{parity}, {every}"
        case "birthday":
            return f"birthday{parity}, {every}"
    start = (
        "the end of the month of issue"
        if expiration.anchor == "end_of_issue_month"
        else "the issue date"
    )
    return f"every {cycle_months} months from {start}"


def renewal_text(renewal: Renewal) -> str:
    return expiration_text(renewal.expiration, renewal.cycle_months)


UNCONFIRMED = "unconfirmed"


def unconfirmed_mark(rule: RuleFile, source: str | None) -> str:
    """ " (unconfirmed)" after a figure whose only source is secondary, else nothing."""
    return f" ({UNCONFIRMED})" if source in unconfirmed_sources(rule) else ""


# --- plans, requirements, statuses ---------------------------------------------------------


def category_label(category_id: str) -> str:
    return CATEGORIES.get(category_id, category_id).split(" (")[0]


def formats_phrase(formats: Iterable[str]) -> str:
    """["in_person", "live_online"] -> "in person or live online"; all -> "any format"."""
    formats = list(formats)
    if set(formats) >= set(FORMATS):
        return "any format"
    labels = [FORMAT_WORDS.get(item, item) for item in formats]
    if len(labels) <= 1:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} or {labels[-1]}"


def plan_line(item: PlanItem, result: CEResult) -> str:
    """ "3 h — Ethics (in person or live online)"."""
    titles = {requirement.id: requirement.title for requirement in result.requirements}
    if item.requirement == "total":
        topic = "any topic toward the total"
    else:
        topic = titles.get(item.requirement, category_label(item.category))
    kind = f", as {item.type.replace('_', ' ')}" if item.type != "course" else ""
    return f"{hours(item.hours)} — {topic}{kind} ({formats_phrase(item.formats)})"


def logged_reminder_line(reminder: LoggedReminder, activity_titles: dict[str, str]) -> str:
    """ "Done: <reminder> (logged: “<activity title>”)"."""
    title = activity_titles.get(reminder.activity, reminder.activity)
    return f"Done: {reminder.title} (logged: “{title}”)"


def effect_line(effect: ActivityEffect) -> str:
    """What one more activity would do for a credential: "TX/LPC: +3 h Ethics; +3 h toward the
    total still missing" or "NY/LMHC: nothing (<reason>)"."""
    parts = [f"+{hours(gain)} {title}" for title, gain in effect.requirements]
    if effect.total > 0:
        parts.append(f"+{hours(effect.total)} toward the total still missing")
    if parts:
        return f"{effect.rule_id}: {'; '.join(parts)}"
    why = "; ".join(reason_text(reason) for reason in effect.reasons)
    return f"{effect.rule_id}: nothing ({why or 'what it could count toward is already met'})"


def attested_text(requirement: RequirementResult) -> str:
    """ "attested: completed on 2020-11-14" (no hours were logged for it)."""
    return f"attested: completed on {requirement.attested_on.isoformat()}"


def requirement_line(requirement: RequirementResult) -> str:
    """ "Ethics: 3 of 6 h counted, 3 h remaining (due 2027-02-01)"."""
    if requirement.attested_on:
        return f"{requirement.title}: met, {attested_text(requirement)}"
    remaining = hours(requirement.remaining)
    line = f"{requirement.title}: {progress(requirement)} counted, {remaining} remaining"
    return f"{line} (due {requirement.due.isoformat()})" if requirement.due else line


def standing_text(home: HomeDependency) -> str:
    """Why a compact credential is invalid: "TX/LPC expired on 2026-06-30"."""
    params = {
        "home": home.rule,
        "compact": home.compact,
        "expires": home.expires.isoformat() if home.expires else "",
        "inner": standing_text(home.home) if home.home else "",
    }
    return _STANDINGS[home.standing].format(**params)


def dependency_line(home: HomeDependency) -> str:
    """The dependency in one sentence: "Expires with TX/LPC on 2027-06-30" or why it is
    invalid, then the remote state's jurisprudence requirement where it applies."""
    if not home.valid:
        line = f"Invalid: {standing_text(home)}"
    elif home.expires_with_home:
        expires = f" on {home.expires.isoformat()}" if home.expires else ""
        line = f"Expires with {home.rule}{expires}; valid while {home.rule} is active"
    else:
        line = f"Valid while {home.rule} is active"
    if home.valid and home.ce_follows_home:
        line += f"; no CE of its own (the CE of {home.rule} keeps it valid)"
    if home.jurisprudence_required:
        where = f"{home.remote_state} " if home.remote_state else "remote-state "
        done = home.jurisprudence_done_on
        line += (
            f". {where}jurisprudence requirement: attested completed on {done.isoformat()}"
            if done
            else f". {where}jurisprudence requirement: not yet attested"
        )
    return line + "."


def deadline_title(result: CEResult) -> str:
    """A deadline's calendar title: "TX/LPC renewal deadline: 3 h of CE still needed", or a
    compact credential's dependency ("... expires with TX/LPC")."""
    home = result.home
    if home and not home.valid:
        return f"{result.rule} invalid: {standing_text(home)}"
    if home and home.expires_with_home:
        return f"{result.rule} expires with {home.rule}"
    missing = result.minimal_additional
    return f"{result.rule} renewal deadline: " + (
        f"{hours(missing)} of CE still needed"
        if missing > 1e-6
        else f"CE {STATUS_WORDS[result.status].lower()}"
    )


def status_line(result: CEResult) -> str:
    """ "Incomplete on 2026-11-22: 21 of 24 h counted, 3 h still needed"."""
    status = STATUS_WORDS[result.status]
    line = f"{status} on {result.as_of.isoformat()}: {progress(result.total)} counted"
    missing = result.minimal_additional
    return f"{line}, {hours(missing)} still needed" if missing > 1e-6 else line


def total_sentence(result: CEResult) -> str:
    """What the total means beside the status: met or not, and what is still missing."""
    total = result.total
    short = [
        f"{hours(item.remaining)} {item.title}" for item in result.requirements if item.remaining
    ]
    counted = f"{hours(total.counted)} count toward the {hours(total.required)} total"
    if total.remaining > 0:
        return f"{counted}; {hours(total.remaining)} more are needed for the total." + (
            f" Still short: {'; '.join(short)}." if short else ""
        )
    if short:
        missing = "; ".join(short)
        return f"The total is met ({counted}), but this is not complete: still short {missing}."
    return f"The total is met ({counted}) and so is every requirement."


def pace_sentence(pace: Pace, deadline: date) -> str:
    if pace.remaining <= 0:
        return "Done: nothing more is needed this cycle."
    rate = f"{pace.per_month:.1f} h a month"
    added = f"about {pace.projected_additional:.0f} h by {deadline.isoformat()}"
    if pace.on_track:
        return (
            f"On track: at your recent pace ({rate}) you will add {added}; "
            f"{hours(pace.remaining)} are still needed."
        )
    if pace.behind_on and pace.projected_additional + 1e-9 >= pace.remaining:
        topics = ", ".join(pace.behind_on)
        return (
            f"Behind on {topics}: at your recent pace ({rate}) you will add {added}, enough "
            f"hours in all, but too few of them recently count toward {topics}."
        )
    return (
        f"Behind: at your recent pace ({rate}) you will add {added}, but "
        f"{hours(pace.remaining)} are still needed (about {pace.needed_per_month:.1f} h a month)."
    )


# --- what a person must enter --------------------------------------------------------------

FACT_WORDS = {
    "birth_date": "your birth date (Your details, on the Licenses & certifications page)",
    "expires": "the expiration printed on the license",
    "issued": "the date the license was issued",
}


def internal_error_text(error: Exception) -> str:
    """What a license shows when the engine itself failed on it (a defect of cetrack, not of
    the records): the batch stores this instead of stopping every other license."""
    return (
        f"cetrack could not evaluate this license ({type(error).__name__}: {str(error)[:300]}). "
        "This is a defect in cetrack; please report it with the license's rule."
    )


def rule_input_text(error: RuleInputError) -> str:
    """A rule's missing license facts as a person reads them: "Enter your birth date (Your
    details ...) or the expiration printed on the license: this license expires by birth
    date." Other rule input errors keep their own sentence."""
    if not error.needs:
        return str(error)
    wanted = " or ".join(FACT_WORDS[name] for name in error.needs)
    return f"Enter {wanted}: {error.why}."


# --- the plan across every credential ------------------------------------------------------


def _names(names: Iterable[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def joint_plan_headline(plan: JointPlan) -> str:
    """ "9 h close every gap in TX/LPC, NY/LMHC and national/NCC"."""
    serves = sorted({name for item in plan.items for name in item.serves})
    return f"{hours(plan.total)} close every gap in {_names(serves)}"


def joint_plan_line(item: JointItem) -> str:
    """ "6 h Ethics, live online: for TX/LPC and NY/LMHC"."""
    topic = category_label(item.kind.category) if item.kind.category else "any topic"
    kind = "" if item.kind.type == "course" else f" ({item.kind.type.replace('_', ' ')})"
    return (
        f"{hours(item.hours)} {topic}{kind}, {FORMAT_WORDS[item.kind.format].lower()}: "
        f"for {_names(item.serves)}"
    )


def expiry_text(row, today: date) -> str:
    """A roster license's expiration in words: expired, expires in N days, or its date."""
    if row.expired(today):
        return "Expired"
    days = row.days_to_expiry(today)
    if days is None:
        return "No expiration on file"
    return f"Expires in {days} day{'s' if days != 1 else ''}" if days <= 90 else "Current"


def ce_text(row, today: date) -> str:
    """A roster license's CE standing in words."""
    if row.pending and not row.ce_status:
        return "Not evaluated yet"
    if not row.ce_incomplete:
        return STATUS_WORDS.get(row.ce_status, row.ce_status or "Cannot evaluate")
    days = row.ce_days_left(today)
    left = f", {days} days left" if days is not None else ""
    return f"{hours(row.hours_missing or 0)} missing{left}"
