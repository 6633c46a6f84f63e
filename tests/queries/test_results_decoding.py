"""Results decoded straight from pyoxigraph terms equal the ones decoded through W3C JSON,
and the JSON they write is byte for byte pyoxigraph's own."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from lupuskg.config import Settings
from lupuskg.queries import catalog, default_bindings, get_query
from lupuskg.results import QueryResult
from lupuskg.store import open_store

XSD = "http://www.w3.org/2001/XMLSchema#"


def _both(store: ox.Store, text: str, **options: object) -> tuple[QueryResult, bytes]:
    direct = QueryResult.from_solutions(store.query(text, **options))  # type: ignore[arg-type]
    solutions = store.query(text, **options)  # type: ignore[arg-type]
    assert isinstance(solutions, ox.QuerySolutions | ox.QueryBoolean)
    return direct, solutions.serialize(format=ox.QueryResultsFormat.JSON) or b""


def test_every_term_kind() -> None:
    store = ox.Store()
    subject, predicate = ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p")
    for value in (
        ox.Literal('é "quoted"\n', language="fr"),
        ox.Literal("3", datatype=ox.NamedNode(XSD + "integer")),
        ox.Literal("plain"),
        ox.NamedNode("http://e/o"),
        ox.BlankNode("b1"),
    ):
        store.add(ox.Quad(subject, predicate, value))
    store.add(ox.Quad(ox.BlankNode("b2"), predicate, ox.Literal("x")))
    text = "SELECT ?s ?o ?unbound WHERE { ?s ?p ?o OPTIONAL { ?s <http://e/none> ?unbound } }"
    direct, json = _both(store, text)
    assert direct.json == json
    assert direct == QueryResult.from_json(json)
    for name in ("csv", "tsv", "xml"):
        assert direct.serialize(name) == QueryResult.from_json(json).serialize(name)
    triple = "SELECT ?t WHERE { BIND(<<( <http://e/s> <http://e/p> 1 )>> AS ?t) }"
    direct, json = _both(store, triple)
    assert direct.json == json
    ask, json = _both(store, "ASK { ?s ?p ?o }")
    assert ask.boolean is True and ask.json == json


@pytest.mark.parametrize("query_id", sorted(catalog()))
def test_canned_queries_decode_the_same_both_ways(built_settings: Settings, query_id: str) -> None:
    query = get_query(query_id, built_settings)
    store = open_store(built_settings)
    bindings = {ox.Variable(name): term for name, term in default_bindings(query).items()}
    direct, json = _both(
        store, query.sparql, use_default_graph_as_union=True, substitutions=bindings or None
    )
    assert direct.json == json
    assert direct.rows == QueryResult.from_json(json).rows
