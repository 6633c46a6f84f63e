"""SIB-style example discovery at `lupuskg serve`'s SPARQL endpoint (issue 15 part 9).

A client that knows nothing of lupuskg asks the endpoint for its examples, over HTTP on
127.0.0.1, the way SIB's sparql-examples tools do, and must find every canned query with
its question, its SPARQL text and its target.
"""

from __future__ import annotations

import httpx

from lupuskg.config import Settings
from lupuskg.examples import EXAMPLES_GRAPH
from lupuskg.queries import SPARQL_SERVICE, catalog
from lupuskg.store import read_manifest

DISCOVER = """
PREFIX sh: <http://www.w3.org/ns/shacl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
SELECT ?query ?question ?text ?target WHERE {
  ?query a sh:SPARQLExecutable ; rdfs:comment ?question ; sh:select ?text ;
    schema:target ?target .
}
"""


def _ask(server, sparql: str) -> list[dict[str, dict[str, str]]]:  # type: ignore[no-untyped-def]
    response = httpx.post(
        server.endpoint,
        data={"query": sparql},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    bindings: list[dict[str, dict[str, str]]] = response.json()["results"]["bindings"]
    return bindings


def test_every_canned_query_is_discoverable_at_the_endpoint(  # type: ignore[no-untyped-def]
    server, built_settings: Settings
) -> None:
    queries = catalog(built_settings)
    rows = _ask(server, DISCOVER)
    found = {row["query"]["value"]: row for row in rows}
    assert sorted(found) == sorted(query.iri for query in queries.values())
    assert len(rows) == len(queries)  # one question, one text, one target each
    for query in queries.values():
        row = found[query.iri]
        assert row["text"]["value"] == query.sparql
        assert row["question"]["value"] == query.question
        assert row["target"]["value"] == SPARQL_SERVICE


def test_examples_sit_in_their_own_named_graph(  # type: ignore[no-untyped-def]
    server, built_settings: Settings
) -> None:
    """Also found with an explicit GRAPH (stores without a union default graph), and only
    there; the build lists the graph with its size."""
    graph_query = """
PREFIX sh: <http://www.w3.org/ns/shacl#>
SELECT DISTINCT ?g ?query WHERE { GRAPH ?g { ?query a sh:SPARQLExecutable ; sh:select ?text } }
"""
    rows = _ask(server, graph_query)
    assert {row["g"]["value"] for row in rows} == {EXAMPLES_GRAPH}
    assert len({row["query"]["value"] for row in rows}) == len(catalog(built_settings))
    served = {entry["graph"]: entry for entry in read_manifest(built_settings)["served"]}
    count = _ask(
        server, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{EXAMPLES_GRAPH}> {{ ?s ?p ?o }} }}"
    )
    assert int(count[0]["n"]["value"]) == served[EXAMPLES_GRAPH]["triples"] > 0
