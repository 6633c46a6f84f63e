"""Collecting per-arm results for pooling: through the canned forest-plot query (Q21).

`lupuskg meta`, the derived graph and the server all read the rows a user gets from
``lupuskg query Q21 --param therapy=... --param outcome=...``, so a pooled estimate is
made of exactly the rows the forest-plot query shows, with their Wilson intervals.
Therapy and outcome are matched through their class hierarchies (Q21 does that), so
"MSC therapy" collects UC-MSC arms and "clinical response" collects complete remissions.
Parameters are bound as RDF terms (pyoxigraph pre-binding), never pasted into the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

import pyoxigraph as ox

from ..closure import SUBCLASS_OR_SELF
from ..config import Settings
from ..exceptions import SynthesisError
from ..namespaces import PREFIXES, converter
from ..queries import embedded_runner, execute, get_query, run_sparql
from ..results import compact
from .pooling import ArmProportion

__all__ = ["FOREST_QUERY", "ArmIndex", "collect_arms", "duration_key", "months_label"]

#: the canned query whose rows are pooled
FOREST_QUERY = "Q21"

_DURATION = re.compile(
    r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


def collect_arms(
    store: ox.Store,
    therapy: str,
    outcome: str,
    time_point: str | None = None,
    *,
    settings: Settings | None = None,
    exact_outcome: bool = False,
) -> list[ArmProportion]:
    """The arms to pool for a therapy and outcome (IRIs), optionally at one ISO time point.

    ``settings`` names the project whose ``queries/`` holds Q21 (default: this project).
    With ``exact_outcome``, only results whose outcome is exactly ``outcome`` are kept
    (Q21 also returns its subclasses: remission brings complete and renal remissions).
    """
    params = {"therapy": ox.NamedNode(therapy), "outcome": ox.NamedNode(outcome)}
    _, _, result = execute(FOREST_QUERY, params, settings=settings, runner=embedded_runner(store))
    arms = [_arm(row) for row in result.to_records()]
    if exact_outcome:
        arms = [arm for arm in arms if arm.outcome == compact(outcome)]
    return _finish(store, arms, time_point)


def _finish(
    store: ox.Store,
    arms: list[ArmProportion],
    time_point: str | None,
    narrower: Callable[[str], set[str]] | None = None,
) -> list[ArmProportion]:
    """Q21's rows for one therapy and outcome made into the arms to pool."""
    if time_point is not None:
        wanted = months_label(_whole_months(time_point))
        arms = [arm for arm in arms if arm.time_point == wanted]
    # totals first, then labels: a breakdown dropped for its total does not make the
    # remaining row look like a second arm of the same study
    return _unique(_recorded_totals(store, arms, narrower))


class ArmIndex:
    """:func:`collect_arms` for many therapy and outcome pairs at the cost of one query.

    The build pools every (therapy, outcome) pair of the corpus; calling Q21 once per pair
    made the derived graph cost pairs × corpus (the pairs grow with the corpus too), most
    of a 1,000-document build. Here Q21 runs once with neither parameter bound, which
    gives every row that any binding gives (its hierarchy tests are ``FILTER EXISTS``
    over the build's closure, true for an unbound parameter whenever the term has a
    closure entry at all), and each pair takes its rows by the very test Q21 applies:
    ``?armTherapy lkg:subClassOfOrSelf ?therapy`` and ``?resultOutcome
    lkg:subClassOfOrSelf ?outcome``, read from the closure graph. Row order is Q21's
    ORDER BY in both cases, so ``arms(t, o)`` equals ``collect_arms(store, t, o)``
    (tests/synthesis/test_derived.py checks this on every pair of the seeds).
    """

    def __init__(self, store: ox.Store, *, settings: Settings | None = None) -> None:
        query = get_query(FOREST_QUERY, settings)
        rows = run_sparql(store, query.sparql).to_records()
        self._rows = [
            (str(row["armTherapy"]), str(row["resultOutcome"]), _arm(row)) for row in rows
        ]
        self._or_self: dict[str, set[str]] = {}
        for quad in store.quads_for_pattern(None, ox.NamedNode(SUBCLASS_OR_SELF), None):
            if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.NamedNode):
                self._or_self.setdefault(quad.subject.value, set()).add(quad.object.value)
        self._store = store
        self._narrower: dict[str, set[str]] = {}

    def arms(
        self, therapy: str, outcome: str, time_point: str | None = None
    ) -> list[ArmProportion]:
        """What ``collect_arms(store, therapy, outcome, time_point)`` returns."""
        empty: set[str] = set()
        arms = [
            arm
            for arm_therapy, result_outcome, arm in self._rows
            if therapy in self._or_self.get(arm_therapy, empty)
            and outcome in self._or_self.get(result_outcome, empty)
        ]
        return _finish(self._store, arms, time_point, self.narrower)

    def narrower(self, outcome: str) -> set[str]:
        """:func:`_narrower`, memoised: the hierarchy is the same for every pair."""
        known = self._narrower.get(outcome)
        if known is None:
            known = self._narrower[outcome] = _narrower(self._store, outcome)
        return known


_NARROWER = f"""
PREFIX rdfs: <{PREFIXES["rdfs"]}>
SELECT DISTINCT ?broader ?narrower WHERE {{
  ?narrower rdfs:subClassOf+ ?broader FILTER(?narrower != ?broader)
}}
"""


def _recorded_totals(
    store: ox.Store,
    arms: list[ArmProportion],
    narrower_of: Callable[[str], set[str]] | None = None,
) -> list[ArmProportion]:
    """Where an arm has a result for a broader outcome and results for narrower ones (same
    time point and instrument), keep the broader one: it is the total the document records.

    The narrower results are its breakdown, not further arms. An arm with only narrower
    results keeps them all, and pooling refuses it (they are not summed into a total).
    ``narrower_of`` gives the narrower classes of an outcome (default: asked of ``store``;
    ArmIndex passes its memo, the hierarchy being the same for every pair).
    """

    def in_store(broader: str) -> set[str]:
        return _narrower(store, broader)

    lookup = narrower_of or in_store
    groups: dict[tuple[str, str, str], list[ArmProportion]] = {}
    for arm in arms:
        groups.setdefault((arm.arm, arm.time_point, arm.instrument), []).append(arm)
    dropped: set[str] = set()
    for group in groups.values():
        outcomes = {arm.outcome for arm in group}
        if len(outcomes) < 2:
            continue
        for broader in sorted(outcomes):
            narrower = lookup(broader)
            if outcomes - {broader} <= narrower:
                dropped |= {arm.result for arm in group if arm.outcome != broader}
                break
    return [arm for arm in arms if arm.result not in dropped]


def _narrower(store: ox.Store, outcome: str) -> set[str]:
    """The CURIEs of the classes strictly below ``outcome`` (a CURIE)."""
    iri = converter().expand(outcome) or outcome
    rows = run_sparql(store, _NARROWER, {"broader": ox.NamedNode(iri)}).to_records()
    return {compact(str(row["narrower"])) for row in rows}


def _arm(row: dict[str, object]) -> ArmProportion:
    def text(name: str) -> str:
        value = row.get(name)
        return "" if value is None else str(value)

    months = row.get("timePointMonths")
    return ArmProportion(
        result=text("result"),
        study=text("study"),
        arm=text("arm"),
        document=text("document"),
        label=_label(text("firstAuthor"), text("year"), text("document")),
        events=int(str(row["events"])),
        total=int(str(row["total"])),
        statistic="lkg:CountProportion",  # Q21 returns count/proportion results only
        instrument=compact(text("instrument")) if text("instrument") else "",
        time_point=months_label(int(str(months))) if months is not None else "",
        outcome=compact(text("resultOutcome")),
    )


def _label(first_author: str, year: str, document: str) -> str:
    """A forest-plot row label: first author's surname and year ("Wang 2014").

    A document without authors (a web capture that names none) falls back to its slug,
    the last part of its IRI, with the year when the slug does not already end in it
    ("wang-2013", "pumch-apbsct-sle"), rather than a CURIE.
    """
    if first_author:
        return f"{first_author.split(' ')[0]} {year}".strip()
    slug = document.rsplit("/", 1)[-1]
    return slug if not year or slug.endswith(year) else f"{slug} {year}"


def _unique(arms: list[ArmProportion]) -> list[ArmProportion]:
    """One row per result (the therapy hierarchy may match an arm twice); labels kept apart."""
    seen: dict[str, ArmProportion] = {}
    for arm in arms:
        seen.setdefault(arm.result, arm)
    unique = list(seen.values())
    labels = [arm.label for arm in unique]
    return [
        replace(arm, label=f"{arm.label} ({compact(arm.arm).split('.')[-1]})")
        if labels.count(arm.label) > 1
        else arm
        for arm in unique
    ]


def months_label(months: int) -> str:
    """Whole months as the store writes the duration: 12 -> P1Y, 18 -> P1Y6M, 6 -> P6M, 0 -> P0M."""
    years, rest = divmod(months, 12)
    text = (f"{years}Y" if years else "") + (f"{rest}M" if rest or not years else "")
    return "P" + text


def _whole_months(text: str) -> int:
    months, seconds = duration_key(text)
    if seconds:
        raise SynthesisError(
            f"{text!r} is not a whole number of months",
            hint="results are matched on whole months (lkg:timePointMonths): give e.g. P6M, P12M or P2Y",
        )
    return months


def duration_key(text: str) -> tuple[int, float]:
    """An xsd:duration as (months, seconds), so P12M equals P1Y (the store writes P1Y)."""
    match = _DURATION.match(text.strip())
    if not match or text.strip() in ("P", "PT"):
        raise SynthesisError(
            f"{text!r} is not an ISO 8601 duration",
            hint="write time points as xsd:duration, e.g. P12M, P2Y or P26W",
        )
    years, months, weeks, days, hours, minutes, seconds = (
        float(group) if group else 0.0 for group in match.groups()
    )
    total_seconds = (weeks * 7 + days) * 86400 + hours * 3600 + minutes * 60 + seconds
    return int(years * 12 + months), total_seconds
