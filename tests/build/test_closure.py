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
    COUNTS_FOR_OUTCOME,
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


def test_outcomes_count_for_themselves_and_for_clinical_response_when_under_it() -> None:
    response = ox.NamedNode("https://w3id.org/lupuskg/vocab/ClinicalResponse")
    triples = closure_triples(
        [(_n("complete"), _n("remission")), (_n("remission"), response)], [_n("relapse")]
    )
    counted = {
        (t.subject.value.removeprefix(EX), t.object.value.removeprefix(EX))  # type: ignore[union-attr]
        for t in triples
        if t.predicate.value == COUNTS_FOR_OUTCOME
    }
    assert counted == {
        ("complete", "complete"),
        ("complete", response.value),
        ("remission", "remission"),
        ("remission", response.value),
        (response.value, response.value),
        ("relapse", "relapse"),
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
_Q11_PAIR_KEY_FORM = (FIXTURES / "q11-pair-key-form.rq").read_text(encoding="utf-8")


def _ordered(store: ox.Store, sparql: str) -> list[tuple[str, ...]]:
    result = run_sparql(store, sparql)
    return [tuple("" if c is None else c.lexical for c in row) for row in result.rows]


def test_q11_pairs_on_the_closure_equal_the_path_form_on_the_seeds(
    built_settings: Settings,
) -> None:
    store = open_store(built_settings)
    current = _rows(store, _CURRENT)
    assert current, "the seeds have conflicting claims; Q11-pairs must find them"
    assert current == _rows(store, _PATH_FORM)
    assert _rows(store, _Q11) == _rows(store, _Q11_PATH_FORM)
    assert _ordered(store, _Q11) == _ordered(store, _Q11_PAIR_KEY_FORM)


def test_q11_on_the_closure_equals_the_path_form_on_the_rule_fixture() -> None:
    """The fixture has a claim pair for each rule, kept or rejected (no quotes: Q11 only)."""
    store = ox.Store()
    store.load(path=str(FIXTURES / "like-with-like.ttl"), format=ox.RdfFormat.TURTLE)
    before = _rows(store, _Q11_PATH_FORM)
    add_closure(store)
    assert before
    assert _rows(store, _Q11) == before
    assert _ordered(store, _Q11) == _ordered(store, _Q11_PAIR_KEY_FORM)


#: claims with several therapies, outcomes, directions and documents, so that the build's
#: conflict summaries (lupuskg.closure.conflict_summaries) must decide per value, as the
#: query did per row, which therapy and outcome of claim A each pair concerns
_SUMMARY_DATA = """
@prefix lkg: <https://w3id.org/lupuskg/vocab/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/> .
ex:AutoHSCT rdfs:subClassOf ex:HSCT .
ex:CompleteRemission rdfs:subClassOf ex:Remission .
ex:Remission rdfs:subClassOf lkg:ClinicalResponse .
ex:ResponseRate rdfs:subClassOf lkg:ClinicalResponse .
ex:Leucopenia rdfs:subClassOf ex:AdverseEvent .
ex:a lkg:direction lkg:Improves ; lkg:intervention ex:HSCT , ex:Other ;
  lkg:outcome ex:Remission , ex:Headache ; lkg:sourceDocument ex:d1 .
ex:b lkg:direction lkg:NoEffect ; lkg:intervention ex:AutoHSCT ;
  lkg:outcome ex:CompleteRemission ; lkg:sourceDocument ex:d2 .
ex:c lkg:direction lkg:Worsens , lkg:NoEffect ; lkg:intervention ex:HSCT ;
  lkg:outcome ex:ResponseRate ; lkg:sourceDocument ex:d2 , ex:d3 .
ex:e lkg:direction lkg:Improves ; lkg:intervention ex:AutoHSCT ;
  lkg:outcome ex:CompleteRemission ; lkg:sourceDocument ex:d4 .
ex:n lkg:direction lkg:NotObserved , lkg:Improves ; lkg:intervention ex:HSCT ;
  lkg:outcome ex:AdverseEvent , ex:Remission ; lkg:sourceDocument ex:d5 .
ex:o lkg:direction lkg:Observed ; lkg:intervention ex:HSCT ;
  lkg:outcome ex:Leucopenia ; lkg:sourceDocument ex:d6 .
ex:p lkg:direction lkg:Observed ; lkg:intervention ex:HSCT ;
  lkg:outcome ex:Remission ; lkg:sourceDocument ex:d6 .
"""


def test_conflict_summaries_equal_the_pair_join_on_multi_valued_claims() -> None:
    store = ox.Store()
    store.load(_SUMMARY_DATA.encode(), format=ox.RdfFormat.TURTLE)
    add_closure(store)
    expected = _ordered(store, _Q11_PAIR_KEY_FORM)
    # ex:Other and ex:Headache meet nothing; HSCT x remission has 2 favourable claims (a, n)
    # against 3 unfavourable ones (b, c, p) over 3 documents, in 5 pairs
    assert len(expected) == 3
    assert ("2", "2", "3", "3", "5") in [row[2:7] for row in expected], expected
    assert _ordered(store, _Q11) == expected


def test_conflict_summary_counts_are_the_claims_it_names(built_settings: Settings) -> None:
    counted = run_sparql(
        open_store(built_settings),
        f"""PREFIX lkg: <https://w3id.org/lupuskg/vocab/>
        SELECT ?summary ?supporting ?opposing
          (COUNT(DISTINCT ?a) AS ?a_links) (COUNT(DISTINCT ?b) AS ?b_links)
        WHERE {{ GRAPH <{CLOSURE_GRAPH}> {{
          ?summary a lkg:ConflictSummary ; lkg:supportingClaimCount ?supporting ;
            lkg:opposingClaimCount ?opposing ; lkg:supportingClaim ?a ; lkg:opposingClaim ?b ;
            lkg:exampleSupportingClaim ?exampleA ; lkg:exampleOpposingClaim ?exampleB .
          ?summary lkg:supportingClaim ?exampleA ; lkg:opposingClaim ?exampleB .
          ?exampleA lkg:conflictsWith ?exampleB .
        }} }}
        GROUP BY ?summary ?supporting ?opposing""",
    ).rows
    assert counted
    for _, supporting, opposing, a_links, b_links in counted:
        assert supporting is not None and opposing is not None
        assert (supporting.lexical, opposing.lexical) == (a_links.lexical, b_links.lexical)  # type: ignore[union-attr]


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
