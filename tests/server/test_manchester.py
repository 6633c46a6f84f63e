"""Class expressions as Manchester syntax (lupuskg.server.manchester), one construct per case."""

from __future__ import annotations

import re
from html import unescape

import pyoxigraph as ox
import pytest

from lupuskg.server.manchester import expression_html, owning_expression

PREFIXES = """
@prefix : <https://w3id.org/lupuskg/vocab/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
:hasOutcome rdfs:label "has outcome" .
:Remission rdfs:label "remission" .
:Relapse rdfs:label "relapse" .
:Death rdfs:label "death" .
"""


def _store(body: str) -> ox.Store:
    store = ox.Store()
    store.load((PREFIXES + body).encode(), format=ox.RdfFormat.TURTLE)
    return store


def _text(store: ox.Store) -> str:
    root = next(
        q.object
        for q in store.quads_for_pattern(
            ox.NamedNode("https://w3id.org/lupuskg/vocab/X"), None, None, None
        )
        if isinstance(q.object, ox.BlankNode)
    )
    html = expression_html(store, root, lambda iri, label: f'<a href="{iri}">{label}</a>')
    return unescape(re.sub(r"<[^>]+>", "", html))


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (
            "[ a owl:Restriction ; owl:onProperty :hasOutcome ; owl:someValuesFrom :Remission ]",
            "has outcome some remission",
        ),
        (
            "[ a owl:Restriction ; owl:onProperty :hasOutcome ; owl:allValuesFrom "
            "[ owl:unionOf ( :Remission :Relapse ) ] ]",
            "has outcome only (remission or relapse)",
        ),
        (
            "[ a owl:Restriction ; owl:onProperty :hasOutcome ; "
            'owl:qualifiedCardinality "1"^^xsd:nonNegativeInteger ; owl:onClass :Remission ]',
            "has outcome exactly 1 remission",
        ),
        (
            "[ a owl:Restriction ; owl:onProperty :hasOutcome ; "
            'owl:maxCardinality "2"^^xsd:nonNegativeInteger ]',
            "has outcome max 2",
        ),
        (
            "[ a owl:Restriction ; owl:onProperty :hasOutcome ; owl:hasValue :Remission ]",
            "has outcome value remission",
        ),
        ("[ owl:complementOf :Death ]", "not death"),
        ("[ owl:oneOf ( :Remission :Relapse ) ]", "{remission, relapse}"),
        (
            "[ owl:intersectionOf ( :Remission [ owl:complementOf :Relapse ] ) ]",
            "remission and (not relapse)",
        ),
        (
            '[ owl:onDatatype xsd:integer ; owl:withRestrictions ( [ xsd:minInclusive "0" ] ) ]',
            "xsd:integer[>= 0]",
        ),
    ],
)
def test_construct(expression: str, expected: str) -> None:
    assert _text(_store(f":X rdfs:subClassOf {expression} .")) == expected


def test_a_cyclic_blank_node_structure_ends() -> None:
    store = ox.Store()
    a, b = ox.BlankNode("a"), ox.BlankNode("b")
    complement = ox.NamedNode("http://www.w3.org/2002/07/owl#complementOf")
    store.add(ox.Quad(a, complement, b))
    store.add(ox.Quad(b, complement, a))
    store.add(
        ox.Quad(
            ox.NamedNode("https://w3id.org/lupuskg/vocab/X"),
            ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf"),
            a,
        )
    )
    assert _text(store).count("not") <= 10 and "…" in _text(store)
    assert owning_expression(store, a) in (a, b)  # bounded climb, no hang
