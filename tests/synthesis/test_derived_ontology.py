"""The derived graph against the ontology: every property is used within its declared domain,
and HermiT finds pooled estimates and certainty assessments consistent (issue 14, part 5).

Pooled estimates reuse lkg:therapy, lkg:outcome, lkg:value, lkg:ciLower ... whose domains
once named only results, claims or intervention specifications; a reasoner then classified a
pooled estimate as all three, which are disjoint, and the data became inconsistent.
"""

from __future__ import annotations

import shutil

import pytest
import rdflib

from lupuskg.config import Settings
from lupuskg.namespaces import PREFIXES
from lupuskg.ontology import load_ontology_graph, run_hermit
from lupuskg.queries import run_sparql
from lupuskg.store import open_store
from lupuskg.synthesis.derived import DERIVED_GRAPH

LKG = rdflib.Namespace(PREFIXES["lkg"])

#: a triple of the derived graph whose subject is of no class in its predicate's domain
OUTSIDE_DOMAIN = f"""
PREFIX rdf: <{PREFIXES["rdf"]}>
PREFIX rdfs: <{PREFIXES["rdfs"]}>
PREFIX owl: <{PREFIXES["owl"]}>
SELECT DISTINCT ?subject ?predicate WHERE {{
  GRAPH <{DERIVED_GRAPH}> {{ ?subject ?predicate ?object }}
  ?predicate rdfs:domain ?domain .
  FILTER NOT EXISTS {{
    ?subject rdf:type/rdfs:subClassOf* ?class .
    ?domain (owl:unionOf/rdf:rest*/rdf:first)? ?class .
  }}
}}
ORDER BY ?predicate ?subject
"""

#: the pooled-estimate and certainty nodes with their triples, minus lkg:timePoint, whose
#: xsd:duration is outside the OWL 2 datatype map (HermiT refuses it; SHACL checks it)
SYNTHESIS_NODES = f"""
PREFIX lkg: <{PREFIXES["lkg"]}>
CONSTRUCT {{ ?node ?predicate ?object }} WHERE {{
  GRAPH <{DERIVED_GRAPH}> {{
    VALUES ?kind {{ lkg:PooledEstimate lkg:CertaintyAssessment }}
    ?node a ?kind ; ?predicate ?object .
    FILTER(?predicate != lkg:timePoint)
  }}
}}
"""


def test_every_derived_triple_is_within_its_predicates_domain(
    synthesis_settings: Settings,
) -> None:
    rows = run_sparql(open_store(synthesis_settings), OUTSIDE_DOMAIN).to_records()
    assert rows == [], (
        "derived-graph subjects outside their predicate's rdfs:domain (add the class to the "
        "domain's owl:unionOf in ontology/lupuskg.ttl, or use a dedicated property): "
        + ", ".join(f"{row['predicate']} on {row['subject']}" for row in rows)
    )


def _with_synthesis_nodes(settings: Settings) -> tuple[rdflib.Graph, list[rdflib.URIRef]]:
    store = open_store(settings)
    merged = load_ontology_graph(settings)
    pooled: list[rdflib.URIRef] = []
    for triple in store.query(SYNTHESIS_NODES, use_default_graph_as_union=True):
        subject, predicate, value = (rdflib.util.from_n3(str(term)) for term in triple)
        merged.add((subject, predicate, value))  # type: ignore[arg-type]
        if value == LKG.PooledEstimate:
            pooled.append(subject)  # type: ignore[arg-type]
    return merged, sorted(set(pooled))


@pytest.fixture(scope="module")
def java() -> None:
    if shutil.which("java") is None:
        pytest.skip("Java is not installed; .ci/run installs it")


@pytest.mark.usefixtures("java")
def test_hermit_finds_pooled_estimates_consistent(synthesis_settings: Settings) -> None:
    graph, pooled = _with_synthesis_nodes(synthesis_settings)
    assert len(pooled) == 2  # the fixture's P12M estimate, by DL and by PM
    assert (None, LKG.therapy, None) in graph and (None, LKG.statisticType, None) in graph
    assert run_hermit(synthesis_settings, graph).consistent


@pytest.mark.usefixtures("java")
def test_hermit_would_see_a_pooled_estimate_classified_as_a_result(
    synthesis_settings: Settings,
) -> None:
    """The check has teeth: a pooled estimate that is also a result is inconsistent."""
    graph, pooled = _with_synthesis_nodes(synthesis_settings)
    graph.add((pooled[0], rdflib.RDF.type, LKG.Result))
    assert not run_hermit(synthesis_settings, graph).consistent
