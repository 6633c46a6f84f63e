"""The derived named graph: every poolable set of results, pooled, rebuilt on every build.

A group is one therapy (with the arms of its subclasses, as in Q21), one exact outcome
class of the results, one time point and one instrument, with single-arm count/proportion results from two or more
studies (the like-with-like rule of `pool_proportions`). Each pooled-estimate node names
the result nodes it pooled (``lkg:pooledResult``, also ``prov:wasDerivedFrom``), and
through them their quotes and documents, so a reader can walk from a pooled number to
every sentence behind it.

Every result with a numerator and a denominator also gets its proportion and 95% Wilson
score interval here (``lkg:proportion``, ``lkg:wilsonLower``, ``lkg:wilsonUpper``):
SPARQL 1.1 has no square root, so the forest-plot query (Q21) reads them rather than
computing them, and gives the same numbers on every store. Each arm with safety results
gets ``lkg:safetyResultCount`` and ``lkg:adverseEventSummary`` ("pneumonia 2/12; ...",
in label order) for Table 1 (Q20), because GROUP_CONCAT has no defined order.

The build writes the graph into the new store and as ``derived.ttl`` next to the
manifest, so that exports (which read files, not the store) include it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from itertools import groupby
from pathlib import Path

import pyoxigraph as ox

from ..config import Settings
from ..exceptions import SynthesisError
from ..namespaces import DATA, GRAPH, PREFIXES, RDF_TYPE
from ..oxigraph import write
from ..queries import run_sparql
from ..results import compact
from .collect import ArmIndex, duration_key
from .pooling import METHODS, ArmProportion, PooledEstimate, pool_proportions, wilson_interval
from .profile import ProfileRow, profile_rows

__all__ = [
    "DERIVED_FILE",
    "DERIVED_GRAPH",
    "certainty_quads",
    "derive",
    "derived_quads",
    "pooled_estimates",
    "proportion_quads",
    "read_derived_file",
    "safety_summary_quads",
    "write_derived_graph",
]

DERIVED_GRAPH = GRAPH + "derived"
DERIVED_FILE = "derived.ttl"
_LKG = PREFIXES["lkg"]
_XSD = PREFIXES["xsd"]

#: the exact therapy and outcome classes of single-arm count/proportion results
_PAIRS = f"""
PREFIX lkg: <{_LKG}>
SELECT DISTINCT ?therapy ?outcome WHERE {{
  ?result a lkg:Result ;
    lkg:statisticType lkg:CountProportion ;
    lkg:outcome ?outcome ;
    lkg:resultArm/lkg:armIntervention/lkg:therapy ?therapy .
}}
ORDER BY ?therapy ?outcome
"""


#: every result with both counts (numerator <= denominator > 0; others are SHACL's to report)
_COUNTS = f"""
PREFIX lkg: <{_LKG}>
SELECT ?result ?numerator ?denominator WHERE {{
  ?result a lkg:Result ; lkg:numerator ?numerator ; lkg:denominator ?denominator .
}}
"""


def proportion_quads(store: ox.Store) -> list[ox.Quad]:
    """Proportion and 95% Wilson interval (6 decimals) of every result with both counts."""
    graph = ox.NamedNode(DERIVED_GRAPH)
    quads: list[ox.Quad] = []
    seen: set[str] = set()
    for row in run_sparql(store, _COUNTS).to_records():
        result = str(row["result"])
        try:
            events, total = int(str(row["numerator"])), int(str(row["denominator"]))
            lower, upper = wilson_interval(events, total)
        except (ValueError, SynthesisError):
            continue  # not a proportion: validation names the result and the fix
        if result in seen:
            continue  # two numerators or denominators: validation reports it
        seen.add(result)
        node = ox.NamedNode(result)
        for predicate, number in (
            ("proportion", events / total),
            ("wilsonLower", lower),
            ("wilsonUpper", upper),
        ):
            quads.append(ox.Quad(node, ox.NamedNode(_LKG + predicate), _decimal(number), graph))
    return quads


_SAFETY = f"""
PREFIX lkg: <{_LKG}>
PREFIX rdfs: <{PREFIXES["rdfs"]}>
SELECT DISTINCT ?arm ?result ?label ?numerator ?denominator WHERE {{
  ?result a lkg:Result ; lkg:resultArm ?arm ; lkg:outcome ?outcome ; lkg:numerator ?numerator .
  ?outcome rdfs:subClassOf* lkg:SafetyOutcome .
  OPTIONAL {{ ?outcome rdfs:label ?label }}
  OPTIONAL {{ ?result lkg:denominator ?denominator }}
}}
"""


def safety_summary_quads(store: ox.Store) -> list[ox.Quad]:
    """Per arm: how many safety results with a count it has, and their summary in label order."""
    events: dict[str, dict[str, str]] = {}
    for row in run_sparql(store, _SAFETY).to_records():
        label = str(row["label"]) if row["label"] is not None else compact(str(row["result"]))
        count = str(row["numerator"]) + (
            f"/{row['denominator']}" if row["denominator"] is not None else ""
        )
        events.setdefault(str(row["arm"]), {})[str(row["result"])] = f"{label} {count}"
    graph = ox.NamedNode(DERIVED_GRAPH)
    quads = []
    for arm, by_result in sorted(events.items()):
        node = ox.NamedNode(arm)
        summary = "; ".join(sorted(by_result.values(), key=_natural))
        quads.append(
            ox.Quad(
                node,
                ox.NamedNode(_LKG + "safetyResultCount"),
                _typed(str(len(by_result)), "nonNegativeInteger"),
                graph,
            )
        )
        quads.append(
            ox.Quad(node, ox.NamedNode(_LKG + "adverseEventSummary"), ox.Literal(summary), graph)
        )
    return quads


def _natural(text: str) -> tuple[str, ...]:
    """Label order, with numbers compared as numbers ("death 2/50" before "death 12/50")."""
    return tuple(part.zfill(12) if part.isdigit() else part for part in re.split(r"(\d+)", text))


def _decimal(number: float) -> ox.Literal:
    """A decimal rounded to 6 places, in canonical form ("0.75", "1.0", "0.0")."""
    text = format(round(Decimal(number), 6).normalize(), "f")
    return _typed(text if "." in text else text + ".0", "decimal")


def pooled_estimates(
    store: ox.Store, settings: Settings | None = None
) -> list[tuple[str, str, PooledEstimate]]:
    """(therapy, outcome, estimate) for every poolable group, by both τ² estimators.

    ``settings`` names the project whose forest-plot query (Q21) collects the arms.
    """
    estimates = []
    index: ArmIndex | None = None  # one Q21 run for every pair, made at the first pair
    for row in run_sparql(store, _PAIRS).to_records():
        therapy, outcome = str(row["therapy"]), str(row["outcome"])
        try:
            if index is None:  # no pair, no Q21 needed (a project may have no results)
                index = ArmIndex(store, settings=settings)
            arms = index.arms(therapy, outcome)
        except SynthesisError:
            continue  # a count without numerator or denominator: SHACL reports it, not the build
        # one outcome class per group: narrower outcomes are pooled under their own pair
        arms = [arm for arm in arms if arm.outcome == compact(outcome)]
        for group in _groups(arms):
            for method in METHODS:
                try:
                    estimates.append((therapy, outcome, pool_proportions(group, method)))
                except SynthesisError:
                    break  # fewer than two studies, or an arm twice: not poolable, not an error
    return estimates


def _groups(arms: list[ArmProportion]) -> Iterable[list[ArmProportion]]:
    """Arms split by (time point, instrument, statistic): like with like."""

    def key(arm: ArmProportion) -> tuple[tuple[int, float], str, str]:
        time_point = duration_key(arm.time_point) if arm.time_point else (-1, -1.0)
        return time_point, arm.instrument, arm.statistic

    wanted = sorted(arms, key=key)
    for _, group in groupby(wanted, key=key):
        yield list(group)


def estimate_iri(therapy: str, outcome: str, pooled: PooledEstimate) -> str:
    """A readable, stable IRI: lkgd:derived.pooled-<therapy>-<outcome>[-<time>]-<method>."""
    time_point = pooled.arms[0].time_point
    instrument = pooled.arms[0].instrument.split(":")[-1]
    parts = [compact(therapy).split(":")[-1], compact(outcome).split(":")[-1]]
    parts += [part for part in (instrument, time_point) if part]
    return f"{DATA}derived.pooled-{'-'.join(parts)}-{pooled.method}"


def derived_quads(estimates: Iterable[tuple[str, str, PooledEstimate]]) -> list[ox.Quad]:
    """The triples of each pooled-estimate node, in the derived graph."""
    graph = ox.NamedNode(DERIVED_GRAPH)
    quads: list[ox.Quad] = []
    for therapy, outcome, pooled in estimates:
        node = ox.NamedNode(estimate_iri(therapy, outcome, pooled))

        def add(
            predicate: str, value: ox.NamedNode | ox.Literal, node: ox.NamedNode = node
        ) -> None:
            quads.append(ox.Quad(node, ox.NamedNode(predicate), value, graph))

        add(RDF_TYPE, ox.NamedNode(_LKG + "PooledEstimate"))
        add(_LKG + "therapy", ox.NamedNode(therapy))
        add(_LKG + "outcome", ox.NamedNode(outcome))
        add(_LKG + "statisticType", ox.NamedNode(_LKG + "CountProportion"))
        add(_LKG + "poolingMethod", ox.NamedNode(_LKG + METHODS[pooled.method].term))
        if pooled.arms[0].time_point:
            add(_LKG + "timePoint", _typed(pooled.arms[0].time_point, "duration"))
        for predicate, number in (
            ("value", pooled.estimate),
            ("ciLower", pooled.ci_lower),
            ("ciUpper", pooled.ci_upper),
            ("tauSquared", pooled.tau2),
            ("iSquared", pooled.i2),
        ):
            add(_LKG + predicate, _decimal(number))
        add(_LKG + "studyCount", _typed(str(pooled.studies), "nonNegativeInteger"))
        add(_LKG + "patientCount", _typed(str(pooled.patients), "nonNegativeInteger"))
        for arm in pooled.arms:
            add(_LKG + "pooledResult", ox.NamedNode(arm.result))
            add(PREFIXES["prov"] + "wasDerivedFrom", ox.NamedNode(arm.result))
    return quads


def _typed(text: str, datatype: str) -> ox.Literal:
    return ox.Literal(text, datatype=ox.NamedNode(_XSD + datatype))


def certainty_quads(
    store: ox.Store, estimates: Iterable[tuple[str, str, PooledEstimate]]
) -> list[ox.Quad]:
    """A certainty-profile node for each pooled therapy and outcome that claims speak about.

    The store must already hold the pooled estimates: the profile reads their I² and CI.
    """
    graph = ox.NamedNode(DERIVED_GRAPH)
    pooled_nodes: dict[tuple[str, str], list[str]] = {}
    for therapy, outcome, pooled in estimates:
        pooled_nodes.setdefault((therapy, outcome), []).append(
            estimate_iri(therapy, outcome, pooled)
        )
    quads: list[ox.Quad] = []
    profiles: dict[str, list[ProfileRow]] = {}  # one profile per therapy, not per pair
    for (therapy, outcome), nodes in sorted(pooled_nodes.items()):
        if therapy not in profiles:
            profiles[therapy] = profile_rows(store, therapy)
        rows = [row for row in profiles[therapy] if row.outcome == compact(outcome)]
        if not rows:
            continue
        names = [compact(therapy).split(":")[-1], compact(outcome).split(":")[-1]]
        node = ox.NamedNode(f"{DATA}derived.certainty-{'-'.join(names)}")
        values: list[tuple[str, ox.NamedNode | ox.Literal]] = [
            (RDF_TYPE, ox.NamedNode(_LKG + "CertaintyAssessment")),
            (_LKG + "therapy", ox.NamedNode(therapy)),
            (_LKG + "outcome", ox.NamedNode(outcome)),
            (_LKG + "certaintyRating", ox.Literal(rows[0].certainty)),
        ]
        values += [
            (_LKG + "ratingRule", ox.Literal(f"{rule.name} ({rule.change:+d}): {rule.reason}"))
            for rule in rows[0].rules
        ]
        values += [(_LKG + "assessedEstimate", ox.NamedNode(iri)) for iri in nodes]
        quads += [ox.Quad(node, ox.NamedNode(p), o, graph) for p, o in values]
    return quads


def derive(store: ox.Store, settings: Settings | None = None) -> list[ox.Quad]:
    """Compute the pooled estimates of a store (nothing is written)."""
    return derived_quads(pooled_estimates(store, settings))


def read_derived_file(directory: Path) -> list[ox.Triple]:
    """The derived graph a build wrote next to its manifest (empty if nothing was poolable)."""
    file = directory / DERIVED_FILE
    if not file.is_file():
        return []
    return list(ox.parse(path=str(file), format=ox.RdfFormat.TURTLE))


def write_derived_graph(store: ox.Store, directory: Path, settings: Settings | None = None) -> int:
    """Replace the derived graph in ``store`` and in ``directory/derived.ttl``; its size."""
    if _has_graph(store):
        store.remove_graph(ox.NamedNode(DERIVED_GRAPH))
    quads = proportion_quads(store) + safety_summary_quads(store)
    store.extend(quads)  # the forest-plot query, and so the pooling, reads them
    estimates = pooled_estimates(store, settings)
    pooled = derived_quads(estimates)
    quads += pooled
    file = directory / DERIVED_FILE
    if not quads:
        file.unlink(missing_ok=True)
        return 0
    store.extend(pooled)
    certainty = certainty_quads(store, estimates)
    store.extend(certainty)
    quads += certainty
    triples = sorted((ox.Triple(q.subject, q.predicate, q.object) for q in quads), key=str)
    file.write_bytes(write(triples, ox.RdfFormat.TURTLE, PREFIXES))
    return len(quads)


def _has_graph(store: ox.Store) -> bool:
    return ox.NamedNode(DERIVED_GRAPH) in set(store.named_graphs())
