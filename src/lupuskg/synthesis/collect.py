"""Collecting per-arm results for pooling: one SPARQL query over the evidence model.

The query follows the names of the evidence-model contract (lkg:Result, lkg:resultArm,
lkg:armIntervention/lkg:therapy, lkg:numerator, lkg:denominator, lkg:hasAuthorship).
Therapy and outcome are matched through their class hierarchies, so "MSC therapy"
collects UC-MSC arms and "clinical response" collects complete remissions. Parameters
are bound as RDF terms (pyoxigraph pre-binding), never pasted into the text.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pyoxigraph as ox

from ..exceptions import SynthesisError
from ..namespaces import PREFIXES
from ..queries import run_sparql
from ..results import compact
from .pooling import ArmProportion

__all__ = ["ARM_RESULTS", "collect_arms", "duration_key"]

_DURATION = re.compile(
    r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)

#: every single-arm count/proportion result under ?therapy and ?outcome, with its provenance
ARM_RESULTS = f"""
PREFIX lkg: <{PREFIXES["lkg"]}>
PREFIX rdfs: <{PREFIXES["rdfs"]}>
SELECT ?therapy ?outcome ?result ?study ?arm ?document ?statistic ?instrument ?timePoint
       ?numerator ?denominator ?author ?year
WHERE {{
  ?result a lkg:Result ;
    lkg:resultOf ?study ;
    lkg:resultArm ?arm ;
    lkg:outcome ?resultOutcome ;
    lkg:statisticType ?statistic ;
    lkg:sourceDocument ?document .
  FILTER NOT EXISTS {{ ?result lkg:resultArm ?otherArm FILTER(?otherArm != ?arm) }}
  ?resultOutcome rdfs:subClassOf* ?outcome .
  ?arm lkg:armIntervention/lkg:therapy ?armTherapy .
  ?armTherapy rdfs:subClassOf* ?therapy .
  OPTIONAL {{ ?result lkg:numerator ?numerator }}
  OPTIONAL {{ ?result lkg:denominator ?denominator }}
  OPTIONAL {{ ?result lkg:instrument ?instrument }}
  OPTIONAL {{ ?result lkg:timePoint ?timePoint }}
  OPTIONAL {{
    ?document lkg:hasAuthorship ?first .
    ?first lkg:authorPosition ?position ; lkg:authorName ?author .
    FILTER(STR(?position) = "1")
  }}
  OPTIONAL {{ ?document lkg:publicationYear ?year }}
}}
ORDER BY ?year ?author ?study ?arm ?result
"""

_COUNT_PROPORTION = PREFIXES["lkg"] + "CountProportion"


def collect_arms(
    store: ox.Store, therapy: str, outcome: str, time_point: str | None = None
) -> list[ArmProportion]:
    """The arms to pool for a therapy and outcome (IRIs), optionally at one ISO time point."""
    bindings = {"therapy": ox.NamedNode(therapy), "outcome": ox.NamedNode(outcome)}
    rows = run_sparql(store, ARM_RESULTS, bindings).to_records()
    arms = [_arm(row) for row in rows]
    if time_point is not None:
        wanted = duration_key(time_point)
        arms = [arm for arm in arms if arm.time_point and duration_key(arm.time_point) == wanted]
    return _unique([arm for arm in arms if _has_counts(arm)])


def _arm(row: dict[str, object]) -> ArmProportion:
    def text(name: str) -> str:
        value = row.get(name)
        return "" if value is None else str(value)

    author = text("author").split(" ")[0] if text("author") else compact(text("document"))
    numerator, denominator = row.get("numerator"), row.get("denominator")
    return ArmProportion(
        result=text("result"),
        study=text("study"),
        arm=text("arm"),
        document=text("document"),
        label=f"{author} {text('year')}".strip(),
        events=-1 if numerator is None else int(str(numerator)),
        total=-1 if denominator is None else int(str(denominator)),
        statistic=compact(text("statistic")),
        instrument=compact(text("instrument")) if text("instrument") else "",
        time_point=text("timePoint"),
    )


def _has_counts(arm: ArmProportion) -> bool:
    """Only results with both counts can be pooled; the others are left out.

    A count/proportion without numerator or denominator is the curator's to fix (the
    shapes warn about it); it must not hide the results that can be pooled.
    """
    return arm.events >= 0 and arm.total > 0


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
