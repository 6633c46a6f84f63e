"""The build's closure graph: rdfs:subClassOf*/+ as triples, and Q11's conflict keys.

The canned queries join on ``lkg:subClassOfOrSelf``/``lkg:strictSubClassOf`` and on
``lkg:conflictsWith`` instead of walking ``rdfs:subClassOf*`` per row. These tests check
that the materialised triples mean what the paths meant: on hand-made hierarchies, and
by running Q11-pairs as it was written before the closure (property paths, like-with-like
rules in SPARQL, kept in tests/queries/fixtures/q11-pairs-path-form.rq and q11-path-form.rq) beside the
current ones, on the seeds and on the like-with-like fixture.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from lupuskg.closure import (
    CLOSURE_FILE,
    CLOSURE_GRAPH,
    CONFLICTS_WITH,
    STRICT_SUBCLASS,
    SUBCLASS_OR_SELF,
    add_closure,
    closure_triples,
)
from lupuskg.config import Settings
from lupuskg.dataset import load_graphs
from lupuskg.queries import load_catalog, run_sparql
from lupuskg.store import open_store, read_manifest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "queries" / "fixtures"
EX = "http://example.org/"


def _n(name: str) -> ox.NamedNode:
    return ox.NamedNode(EX + name)


def _pairs(triples: list[ox.Triple], predicate: str) -> set[tuple[str, str]]:
    return {
        (t.subject.value.removeprefix(EX), t.object.value.removeprefix(EX))  # type: ignore[union-attr]
        for t in triples
        if t.predicate.value == predicate
    }


def test_strict_closure_is_transitive_and_or_self_adds_every_node() -> None:
    triples = closure_triples([(_n("c"), _n("b")), (_n("b"), _n("a"))], [_n("individual")])
    assert _pairs(triples, STRICT_SUBCLASS) == {("c", "b"), ("c", "a"), ("b", "a")}
    assert _pairs(triples, SUBCLASS_OR_SELF) == {
        ("c", "b"),
        ("c", "a"),
        ("b", "a"),
        ("a", "a"),
        ("b", "b"),
        ("c", "c"),
        ("individual", "individual"),
    }


def test_a_cycle_makes_a_class_its_own_strict_subclass() -> None:
    triples = closure_triples([(_n("a"), _n("b")), (_n("b"), _n("a"))], [])
    assert ("a", "a") in _pairs(triples, STRICT_SUBCLASS)


def test_blank_nodes_are_walked_through_but_not_emitted() -> None:
    restriction = ox.BlankNode("r")
    triples = closure_triples([(_n("c"), restriction), (restriction, _n("a"))], [])
    assert _pairs(triples, STRICT_SUBCLASS) == {("c", "a")}


def _rows(store: ox.Store, sparql: str) -> Counter[tuple[str, ...]]:
    result = run_sparql(store, sparql)
    return Counter(tuple("" if c is None else c.lexical for c in row) for row in result.rows)


_PATH_FORM = (FIXTURES / "q11-pairs-path-form.rq").read_text(encoding="utf-8")
_CURRENT = load_catalog(ROOT / "queries")["Q11-pairs"].sparql
_Q11_PATH_FORM = (FIXTURES / "q11-path-form.rq").read_text(encoding="utf-8")
_Q11 = load_catalog(ROOT / "queries")["Q11"].sparql


def test_q11_pairs_on_the_closure_equal_the_path_form_on_the_seeds(
    built_settings: Settings,
) -> None:
    store = open_store(built_settings)
    current = _rows(store, _CURRENT)
    assert current, "the seeds have conflicting claims; Q11-pairs must find them"
    assert current == _rows(store, _PATH_FORM)
    assert _rows(store, _Q11) == _rows(store, _Q11_PATH_FORM)


def test_q11_on_the_closure_equals_the_path_form_on_the_rule_fixture() -> None:
    """The fixture has a claim pair for each rule, kept or rejected (no quotes: Q11 only)."""
    store = ox.Store()
    store.load(path=str(FIXTURES / "like-with-like.ttl"), format=ox.RdfFormat.TURTLE)
    before = _rows(store, _Q11_PATH_FORM)
    add_closure(store)
    assert before
    assert _rows(store, _Q11) == before


def test_conflict_keys_are_only_pairs_of_claims(built_settings: Settings) -> None:
    store = open_store(built_settings)
    keyed = run_sparql(
        store,
        f"SELECT ?a ?b WHERE {{ GRAPH <{CLOSURE_GRAPH}> {{ ?a <{CONFLICTS_WITH}> ?b }} }}",
    )
    assert keyed.rows
    for a, b in keyed.rows:
        for claim in (a, b):
            assert claim is not None
            asked = store.query(
                f"ASK {{ GRAPH ?g {{ <{claim.lexical}> "
                "<https://w3id.org/lupuskg/vocab/direction> ?d }}"
            )
            assert bool(asked), f"{claim.lexical} is not a claim with a direction"


def test_build_writes_the_closure_beside_the_manifest_and_exports_read_it(
    built_settings: Settings,
) -> None:
    directory = Path(built_settings.store_dir).parent
    assert (directory / CLOSURE_FILE).is_file()
    derived = {entry["graph"]: entry for entry in read_manifest(built_settings)["derived"]}
    graphs = load_graphs(built_settings)
    assert len(graphs[CLOSURE_GRAPH]) == derived[CLOSURE_GRAPH]["triples"] > 0
    in_store = sum(
        1
        for _ in open_store(built_settings).quads_for_pattern(
            None, None, None, ox.NamedNode(CLOSURE_GRAPH)
        )
    )
    assert in_store == derived[CLOSURE_GRAPH]["triples"]


@pytest.mark.parametrize("query_id", ["Q01", "Q05", "Q16", "Q18"])
def test_rewritten_queries_walk_no_property_path(query_id: str) -> None:
    """The corpus is never walked with rdfs:subClassOf* per row (issue 17)."""
    text = load_catalog(ROOT / "queries")[query_id].sparql
    assert "rdfs:subClassOf*" not in text and "rdfs:subClassOf+" not in text
