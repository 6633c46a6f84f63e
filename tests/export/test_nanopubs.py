"""Each claim becomes one well-formed nanopublication (our rules and the nanopub library agree)."""

from __future__ import annotations

import rdflib

from lupuskg.config import Settings
from lupuskg.dataset import load_graphs
from lupuskg.nanopubs import NP, library_problem, nanopub_problems, split_nanopubs

LKG = rdflib.Namespace("https://w3id.org/lupuskg/vocab/")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")


def parsed(release) -> rdflib.Dataset:  # type: ignore[no-untyped-def]
    dataset = rdflib.Dataset()
    dataset.parse(release.directory / "data" / "lupuskg-nanopubs.trig", format="trig")
    return dataset


def claims(settings: Settings) -> dict[str, rdflib.Graph]:
    """Claim IRI -> the document graph that states it."""
    found = {}
    for graph in load_graphs(settings).values():
        for claim in graph.subjects(LKG.sourceDocument, None):
            if (claim, LKG.statement, None) in graph:
                found[str(claim)] = graph
    return found


def test_one_nanopub_per_claim(release, dataset: Settings) -> None:  # type: ignore[no-untyped-def]
    nanopubs, stray = split_nanopubs(parsed(release))
    assert stray == []
    expected = {
        "https://w3id.org/lupuskg/np/" + claim.rsplit("/", 1)[-1] for claim in claims(dataset)
    }
    assert set(nanopubs) == expected
    assert release.nanopubs == len(expected)


def test_every_nanopub_passes_our_rules_and_the_library(release) -> None:  # type: ignore[no-untyped-def]
    nanopubs, _ = split_nanopubs(parsed(release))
    problems = {iri: nanopub_problems(parts, iri) for iri, parts in nanopubs.items()}
    assert {iri: p for iri, p in problems.items() if p} == {}
    verdicts = {iri: library_problem(parts) for iri, parts in nanopubs.items()}
    assert {iri: v for iri, v in verdicts.items() if v} == {}


def test_assertion_is_the_claim_and_provenance_names_document_and_quote(
    release, dataset: Settings
) -> None:  # type: ignore[no-untyped-def]
    nanopubs, _ = split_nanopubs(parsed(release))
    for claim, graph in claims(dataset).items():
        iri = "https://w3id.org/lupuskg/np/" + claim.rsplit("/", 1)[-1]
        parts = nanopubs[iri]
        subject = rdflib.URIRef(claim)
        assert set(parts["assertion"]) == set(graph.triples((subject, None, None)))
        assertion = parts["assertion"].identifier
        derived = set(parts["provenance"].objects(assertion, PROV.wasDerivedFrom))
        sources = set(graph.objects(subject, LKG.sourceDocument))
        quotes = set(graph.objects(subject, LKG.hasQuote))
        assert derived == sources | quotes
        (activity,) = parts["provenance"].objects(assertion, PROV.wasGeneratedBy)
        evidence = set(graph.objects(subject, LKG.evidenceType))
        assert evidence <= set(parts["provenance"].objects(activity, rdflib.RDF.type))
        pubinfo = parts["pubinfo"]
        assert (
            rdflib.URIRef(iri),
            rdflib.DCTERMS.license,
            rdflib.URIRef("http://creativecommons.org/licenses/by/4.0/"),
        ) in pubinfo


def test_our_rules_catch_a_broken_nanopub(release) -> None:  # type: ignore[no-untyped-def]
    nanopubs, _ = split_nanopubs(parsed(release))
    iri, parts = sorted(nanopubs.items())[0]
    head = rdflib.Graph(identifier=parts["head"].identifier) + parts["head"]
    head.remove((rdflib.URIRef(iri), rdflib.URIRef(NP + "hasPublicationInfo"), None))
    broken = {"head": head, "assertion": parts["assertion"], "provenance": parts["provenance"]}
    assert nanopub_problems(broken, iri) == [
        f"{iri}: head has 0 np:hasPublicationInfo links, expected exactly 1",
        f"{iri}: the pubinfo graph is missing or empty",
        f"{iri}: 3 distinct graphs, expected exactly 4",
        f"{iri}: head has 3 triples, expected exactly 4",
    ]
    empty = {**parts, "provenance": rdflib.Graph(identifier=parts["provenance"].identifier)}
    assert nanopub_problems(empty, iri) == [
        f"{iri}: the provenance graph is missing or empty",
        f"{iri}: provenance says nothing about the assertion graph",
    ]
    assert library_problem(empty) is not None
