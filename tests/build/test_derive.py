"""lkg:followUpMonths and lkg:timePointMonths are derived at build from their durations."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from lupuskg.derive import derived_month_quads, duration_months
from lupuskg.namespaces import VOCAB

XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize(
    ("lexical", "months"),
    [("P6Y", 72), ("P18M", 18), ("P1Y6M", 18), ("P0D", 0), ("P0Y", 0), ("P10D", None),
     ("PT12H", None), ("P", None), ("P1.5Y", None), ("-P1Y", None)],
)
def test_duration_months(lexical: str, months: int | None) -> None:
    assert duration_months(lexical) == months


def _quads(turtle: str) -> list[ox.Quad]:
    prefixes = f"@prefix lkg: <{VOCAB}> . @prefix xsd: <{XSD}> .\n"
    return list(ox.parse((prefixes + turtle).encode(), format=ox.RdfFormat.TURTLE))


def test_derives_months_for_study_and_result() -> None:
    derived = derived_month_quads(
        _quads('<urn:s> lkg:followUp "P6Y"^^xsd:duration . '
               '<urn:r> lkg:timePoint "P12M"^^xsd:duration .')
    )
    assert {(q.subject.value, q.predicate.value, q.object.value) for q in derived} == {
        ("urn:s", VOCAB + "followUpMonths", "72"),
        ("urn:r", VOCAB + "timePointMonths", "12"),
    }
    assert {q.object.datatype.value for q in derived} == {XSD + "nonNegativeInteger"}


def test_keeps_a_written_value_and_skips_what_does_not_convert() -> None:
    quads = _quads(
        '<urn:s> lkg:followUp "P6Y"^^xsd:duration ; '
        'lkg:followUpMonths "72"^^xsd:nonNegativeInteger . '
        '<urn:t> lkg:followUp "P10D"^^xsd:duration . '
        '<urn:u> lkg:followUp "P6Y" .'
    )
    assert derived_month_quads(quads) == []
