"""Facts the build derives from the encoded documents, so that curators never write them twice.

``lkg:followUpMonths`` restates a study's ``lkg:followUp`` and ``lkg:timePointMonths`` a
result's ``lkg:timePoint`` as whole months. Queries sort and compare these integers on
every SPARQL store, because SPARQL 1.1 defines no order on ``xsd:duration`` and Virtuoso
stores durations lossily. A duration made of whole years and months (P6Y, P1Y6M, P18M),
or of zero days (P0D, baseline), converts; anything else (P10D, PT12H) does not, and
validation reports a follow-up that does not convert.

The derived triples belong to the document's own named graph, next to the duration they
restate, and every reader of the dataset gets them from the same rule here: the build
(:func:`derived_month_quads`, on the quads it loads into the store, and so publish) and the
file-reading layer :mod:`lupuskg.dataset` (:func:`derived_month_triples`, for export, release,
nanopublications and VoID). So a document's graph is the same wherever it is read, and a
curator never writes the months by hand.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from typing import TYPE_CHECKING, TypeVar

import pyoxigraph as ox
from rdflib import Literal, URIRef

from .namespaces import VOCAB, XSD

if TYPE_CHECKING:
    import rdflib

__all__ = ["DERIVED_MONTHS", "derived_month_quads", "derived_month_triples", "duration_months"]

_Key = TypeVar("_Key", bound=Hashable)

_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(0+)D)?$")

#: duration property -> the whole-months property the build derives from it
DERIVED_MONTHS: dict[str, str] = {
    VOCAB + "followUp": VOCAB + "followUpMonths",
    VOCAB + "timePoint": VOCAB + "timePointMonths",
}


def duration_months(lexical: str) -> int | None:
    """Whole months of an xsd:duration lexical form, or None when it is not whole months.

    >>> duration_months("P6Y"), duration_months("P1Y6M"), duration_months("P0D")
    (72, 18, 0)
    >>> duration_months("P10D") is None, duration_months("P") is None
    (True, True)
    """
    match = _DURATION.match(lexical.strip())
    if match is None or lexical.strip() == "P":
        return None
    years, months, _days = match.groups()
    return 12 * int(years or 0) + int(months or 0)


def _month_facts(
    statements: Iterable[tuple[_Key, str, str | None, str | None]],
) -> list[tuple[_Key, str, int]]:
    """(subject key, month property, months) to add, from (subject key, predicate IRI,
    literal lexical form or None, literal datatype IRI or None) statements.

    The subject key carries the graph where that matters. A month value the curator wrote
    is kept (validation checks that it agrees); a duration that does not convert is skipped.
    """
    statements = list(statements)
    months_props = set(DERIVED_MONTHS.values())
    written = {(key, predicate) for key, predicate, _, _ in statements if predicate in months_props}
    facts: list[tuple[_Key, str, int]] = []
    for key, predicate, lexical, datatype in statements:
        target = DERIVED_MONTHS.get(predicate)
        if target is None or lexical is None or datatype != XSD + "duration":
            continue
        if (key, target) in written:
            continue
        months = duration_months(lexical)
        if months is None:
            continue
        written.add((key, target))
        facts.append((key, target, months))
    return facts


def derived_month_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The month quads to add to parsed quads: one per duration that converts and has no
    month value yet, in the duration's own graph."""
    statements = [
        (
            (q.subject, q.graph_name),
            q.predicate.value,
            q.object.value if isinstance(q.object, ox.Literal) else None,
            q.object.datatype.value if isinstance(q.object, ox.Literal) else None,
        )
        for q in quads
    ]
    return [
        ox.Quad(
            subject,
            ox.NamedNode(target),
            ox.Literal(str(months), datatype=ox.NamedNode(XSD + "nonNegativeInteger")),
            graph,
        )
        for (subject, graph), target, months in _month_facts(statements)
    ]


def derived_month_triples(
    graph: rdflib.Graph,
) -> list[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]]:
    """The same month triples for one document read as an rdflib graph (lupuskg.dataset)."""
    statements = [
        (
            subject,
            str(predicate),
            str(obj) if isinstance(obj, Literal) else None,
            str(obj.datatype) if isinstance(obj, Literal) and obj.datatype else None,
        )
        for subject, predicate, obj in graph
    ]
    return [
        (subject, URIRef(target), Literal(str(months), datatype=URIRef(XSD + "nonNegativeInteger")))
        for subject, target, months in _month_facts(statements)
    ]
