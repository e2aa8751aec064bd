"""Compact credentials: a privilege to practice, an E.Passport, an APIT. Each stands on a home
credential and is valid only while that one is active and unexpired (and, down the chain,
while the home's own home is). One that expires with its home takes the home's expiration;
one whose CE follows its home state has no CE of its own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from cetrack.engine.ce import evaluate_ce
from cetrack.engine.dates import day_after
from cetrack.engine.records import Activity, LicenseFacts
from cetrack.engine.results import (
    CarryoverResult,
    CEResult,
    CycleInfo,
    HomeDependency,
    Progress,
)
from cetrack.rules.schema import Compact, RuleFile

JURISPRUDENCE = "remote_jurisprudence"  # the attestation key of the remote state's requirement


@dataclass(frozen=True)
class HomeRecord:
    """The home credential as its dependant sees it. `rule` is None when its rule file is
    not loaded; `home` is its own home when it is itself a compact credential."""

    rule_id: str
    rule: RuleFile | None
    expires: date | None
    status: str = "active"
    home: HomeRecord | None = None


def home_is_eligible(credential_rule: RuleFile, home_rule: RuleFile) -> bool:
    """Whether a compact credential of `credential_rule` may stand on one of `home_rule`."""
    return _eligible(credential_rule.compact, home_rule)


def _eligible(compact: Compact, rule: RuleFile) -> bool:
    if compact.home.rules:
        return rule.id in compact.home.rules
    return rule.profession in compact.home.professions and rule.tier in compact.home.tiers


def dependency(
    compact: Compact,
    home: HomeRecord | None,
    as_of: date,
    *,
    remote_state: str | None = None,
    facts: LicenseFacts | None = None,
) -> HomeDependency:
    """How the home credential stands on `as_of`, checked in a fixed order: linked, of a kind
    the compact accepts, active as recorded, unexpired, and standing on its own home."""
    inner = None
    if home is None:
        standing = "missing"
    elif home.rule is None or not _eligible(compact, home.rule):
        standing = "ineligible"
    elif home.status != "active":
        standing = "inactive"
    elif home.expires is not None and home.expires < as_of:
        standing = "lapsed"
    else:
        standing = "active"
        if home.rule.compact is not None:
            inner = dependency(home.rule.compact, home.home, as_of)
            standing = "active" if inner.valid else "home_invalid"
    return HomeDependency(
        compact=compact.name,
        rule=home.rule_id if home else None,
        expires=home.expires if home else None,
        standing=standing,
        expires_with_home=compact.expires_with_home,
        ce_follows_home=compact.ce_follows_home,
        remote_state=remote_state,
        jurisprudence_required=compact.remote_jurisprudence,
        jurisprudence_done_on=(
            facts.attested_on(JURISPRUDENCE) if facts and compact.remote_jurisprudence else None
        ),
        home=inner,
    )


def _chain_changes(home: HomeRecord | None, as_of: date) -> list[date]:
    """Days after `as_of` on which a home down the chain lapses."""
    changes = []
    while home is not None:
        if home.expires is not None and home.expires >= as_of:
            changes.append(day_after(home.expires))
        home = home.home
    return changes


def _without_own_ce(rule: RuleFile, facts: LicenseFacts, as_of: date) -> CEResult:
    """The result of a credential whose CE is its home state's: no hours of its own."""
    end = facts.expires or as_of
    start = min(facts.issued or end, end)
    nothing = Progress(required=0, counted=0, remaining=0)
    return CEResult(
        rule=rule.id,
        as_of=as_of,
        status="compliant",
        cycle=CycleInfo(start=start, end=end, first_renewal=False, renewal_number=None),
        total=nothing,
        requirements=(),
        activities=(),
        carryover=CarryoverResult(carried_in=0, carried_out=0, max=0),
        minimal_additional=0,
        plan=(),
        not_evaluated=tuple(
            item.title for item in rule.not_evaluated if item.applies_to == "licensee"
        ),
        valid_until=date.max,
    )


def evaluate_compact(
    rule: RuleFile,
    facts: LicenseFacts,
    activities: Sequence[Activity],
    as_of: date,
    home: HomeRecord | None,
    *,
    remote_state: str | None = None,
) -> CEResult:
    """Evaluate a compact credential on `as_of`: its own CE (if any) under its own cycle, or
    none, then its home's standing. A home that does not stand makes it `invalid`; a remote
    state's jurisprudence requirement not yet attested leaves it `incomplete`."""
    compact = rule.compact
    if compact is None:
        raise ValueError(f"{rule.id} is not a compact credential")
    if compact.expires_with_home:
        facts = replace(facts, expires=home.expires if home else None)
    result = (
        evaluate_ce(rule, facts, activities, as_of)
        if rule.ce
        else _without_own_ce(rule, facts, as_of)
    )
    home_standing = dependency(compact, home, as_of, remote_state=remote_state, facts=facts)
    status = result.status
    if not home_standing.valid:
        status = "invalid"
    elif compact.remote_jurisprudence and home_standing.jurisprudence_done_on is None:
        status = "incomplete"
    return result.model_copy(
        update={
            "status": status,
            "home": home_standing,
            "valid_until": min([result.valid_until, *_chain_changes(home, as_of)]),
        }
    )
