"""Facts the build derives from the encoded documents, so that curators never write them twice.

``lkg:followUpMonths`` restates a study's ``lkg:followUp`` and ``lkg:timePointMonths`` a
result's ``lkg:timePoint`` as whole months. Queries sort and compare these integers on
every SPARQL store, because SPARQL 1.1 defines no order on ``xsd:duration`` and Virtuoso
stores durations lossily. A duration made of whole years and months (P6Y, P1Y6M, P18M),
or of zero days (P0D, baseline), converts; anything else (P10D, PT12H) does not, and
validation reports a follow-up that does not convert.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox

from .namespaces import VOCAB

__all__ = ["DERIVED_MONTHS", "derived_month_quads", "duration_months"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
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


def derived_month_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The month quads to add: one per duration that converts and has no month value yet.

    A month value the curator wrote is kept (validation checks that it agrees).
    """
    quads = list(quads)
    written = {
        (q.subject, q.predicate.value, q.graph_name)
        for q in quads
        if q.predicate.value in DERIVED_MONTHS.values()
    }
    derived: list[ox.Quad] = []
    for quad in quads:
        target = DERIVED_MONTHS.get(quad.predicate.value)
        if target is None or not isinstance(quad.object, ox.Literal):
            continue
        if quad.object.datatype.value != _XSD + "duration":
            continue
        if (quad.subject, target, quad.graph_name) in written:
            continue
        months = duration_months(quad.object.value)
        if months is None:
            continue
        written.add((quad.subject, target, quad.graph_name))
        derived.append(
            ox.Quad(
                quad.subject,
                ox.NamedNode(target),
                ox.Literal(str(months), datatype=ox.NamedNode(_XSD + "nonNegativeInteger")),
                quad.graph_name,
            )
        )
    return derived
