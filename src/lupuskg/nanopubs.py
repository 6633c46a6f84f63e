"""Each claim as a nanopublication: head, assertion, provenance and publication info.

Evidence networks ingest claims as nanopublications, so every claim gets one, with a
stable IRI ``https://w3id.org/lupuskg/np/<claim-local-name>`` and the four graphs
``#Head``, ``#assertion``, ``#provenance`` and ``#pubinfo``:

- assertion: the claim's own triples (everything the document graph says about it);
- provenance: the assertion ``prov:wasDerivedFrom`` the source document and the quote,
  ``prov:wasGeneratedBy`` an activity typed with the claim's ECO evidence type, and the
  quote (``oa:exact``, offsets) ``prov:wasQuotedFrom`` the source text;
- pubinfo: creator, creation date (the release date, never the wall clock) and licence.

Well-formedness is checked by our own rules (:func:`nanopub_problems`, no private API)
and, as a second opinion, by the nanopub library (:func:`library_problem`). Signing is
out of scope.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import cast

import rdflib

from .namespaces import (
    BASE,
    BIBO,
    CC_BY,
    DATA,
    DCTERMS,
    NP,
    NPX,
    ONTOLOGY_GRAPH,
    PROV,
    VOCAB,
)
from .serialization import canonical_trig

__all__ = [
    "CC_BY",
    "NANOPUB_BASE",
    "NANOPUB_PREFIXES",
    "NP",
    "ROLES",
    "Nanopublication",
    "build_nanopubs",
    "library_problem",
    "nanopub_problems",
    "nanopubs_trig",
    "split_nanopubs",
]

NANOPUB_BASE = BASE + "np/"
NANOPUB_PREFIXES = {"np": NP, "npx": NPX}
#: who publishes the nanopublications: the lupuskg project itself
CREATOR = BASE
#: graph role -> IRI fragment, in the order nanopub tools expect
ROLES = {"head": "Head", "assertion": "assertion", "provenance": "provenance", "pubinfo": "pubinfo"}
_LINKS = {
    "assertion": "hasAssertion",
    "provenance": "hasProvenance",
    "pubinfo": "hasPublicationInfo",
}


@dataclass(frozen=True)
class Nanopublication:
    """One claim's nanopublication: its IRI and its four graphs by role."""

    iri: str
    claim: str
    parts: dict[str, rdflib.Graph]

    def graph_iri(self, role: str) -> str:
        return f"{self.iri}#{ROLES[role]}"

    @property
    def graphs(self) -> dict[str, rdflib.Graph]:
        """Graph IRI -> graph, for serialisation."""
        return {self.graph_iri(role): graph for role, graph in self.parts.items()}

    @property
    def size(self) -> int:
        return sum(len(graph) for graph in self.parts.values())


def _local_name(iri: str) -> str:
    if iri.startswith(DATA):
        return iri[len(DATA) :]
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def build_nanopubs(graphs: Mapping[str, rdflib.Graph], created: date) -> list[Nanopublication]:
    """One nanopublication per claim, sorted by IRI.

    A claim is a subject with ``lkg:sourceDocument`` and ``lkg:statement``: results carry
    ``lkg:sourceDocument`` too, but they are evidence behind claims, not assertions.
    """
    source_document = rdflib.URIRef(VOCAB + "sourceDocument")
    nanopubs = []
    for iri, graph in sorted(graphs.items()):
        if iri == ONTOLOGY_GRAPH:
            continue
        statement = rdflib.URIRef(VOCAB + "statement")
        for claim in sorted(cast("set[rdflib.URIRef]", set(graph.subjects(source_document, None)))):
            if isinstance(claim, rdflib.URIRef) and (claim, statement, None) in graph:
                nanopubs.append(_nanopub(graph, claim, created))
    return sorted(nanopubs, key=lambda np: np.iri)


def _nanopub(graph: rdflib.Graph, claim: rdflib.URIRef, created: date) -> Nanopublication:
    iri = NANOPUB_BASE + _local_name(str(claim))
    parts = {
        role: rdflib.Graph(bind_namespaces="none", identifier=rdflib.URIRef(f"{iri}#{name}"))
        for role, name in ROLES.items()
    }
    for triple in graph.triples((claim, None, None)):
        parts["assertion"].add(triple)
    _provenance(parts["provenance"], graph, claim, rdflib.URIRef(f"{iri}#assertion"), iri)
    _pubinfo(parts["pubinfo"], rdflib.URIRef(iri), claim, created)
    head = parts["head"]
    subject = rdflib.URIRef(iri)
    head.add((subject, rdflib.RDF.type, rdflib.URIRef(NP + "Nanopublication")))
    for role, link in _LINKS.items():
        head.add((subject, rdflib.URIRef(NP + link), rdflib.URIRef(f"{iri}#{ROLES[role]}")))
    return Nanopublication(iri=iri, claim=str(claim), parts=parts)


def _provenance(
    target: rdflib.Graph,
    graph: rdflib.Graph,
    claim: rdflib.URIRef,
    assertion: rdflib.URIRef,
    iri: str,
) -> None:
    """Where the assertion comes from: document, quotes (with offsets) and evidence type."""
    derived = rdflib.URIRef(PROV + "wasDerivedFrom")
    for document in graph.objects(claim, rdflib.URIRef(VOCAB + "sourceDocument")):
        target.add((assertion, derived, document))
        for predicate in (DCTERMS + "title", BIBO + "doi", DCTERMS + "bibliographicCitation"):
            for value in graph.objects(document, rdflib.URIRef(predicate)):
                target.add((document, rdflib.URIRef(predicate), value))
    for quote in graph.objects(claim, rdflib.URIRef(VOCAB + "hasQuote")):
        target.add((assertion, derived, quote))
        for triple in graph.triples((quote, None, None)):
            target.add(triple)
        for text in graph.objects(quote, rdflib.URIRef(VOCAB + "inSourceText")):
            target.add((quote, rdflib.URIRef(PROV + "wasQuotedFrom"), text))
    activity = rdflib.URIRef(f"{iri}#activity")
    for evidence in graph.objects(claim, rdflib.URIRef(VOCAB + "evidenceType")):
        target.add((assertion, rdflib.URIRef(PROV + "wasGeneratedBy"), activity))
        target.add((activity, rdflib.RDF.type, rdflib.URIRef(PROV + "Activity")))
        target.add((activity, rdflib.RDF.type, evidence))


def _pubinfo(target: rdflib.Graph, np: rdflib.URIRef, claim: rdflib.URIRef, created: date) -> None:
    target.add((np, rdflib.URIRef(DCTERMS + "creator"), rdflib.URIRef(CREATOR)))
    target.add((np, rdflib.URIRef(PROV + "wasAttributedTo"), rdflib.URIRef(CREATOR)))
    target.add(
        (
            np,
            rdflib.URIRef(DCTERMS + "created"),
            rdflib.Literal(created.isoformat(), datatype=rdflib.XSD.date),
        )
    )
    target.add((np, rdflib.URIRef(DCTERMS + "license"), rdflib.URIRef(CC_BY)))
    target.add((np, rdflib.URIRef(NPX + "introduces"), claim))


def nanopubs_trig(nanopubs: Sequence[Nanopublication]) -> str:
    """All nanopublications in one canonical TriG document."""
    graphs: dict[str, rdflib.Graph] = {}
    for np in nanopubs:
        graphs.update(np.graphs)
    return canonical_trig(graphs, NANOPUB_PREFIXES)


def split_nanopubs(dataset: rdflib.Dataset) -> tuple[dict[str, dict[str, rdflib.Graph]], list[str]]:
    """Group a dataset's graphs into nanopublications via their heads.

    Returns ``{np IRI: {role: graph}}`` and the IRIs of non-empty graphs no head claims.
    """
    contexts = {str(c.identifier): c for c in dataset.graphs() if len(c)}
    found: dict[str, dict[str, rdflib.Graph]] = {}
    claimed: set[str] = set()
    for name, context in contexts.items():
        for np in context.subjects(rdflib.RDF.type, rdflib.URIRef(NP + "Nanopublication")):
            parts = {"head": context}
            claimed.add(name)
            for role, link in _LINKS.items():
                for target in context.objects(np, rdflib.URIRef(NP + link)):
                    parts[role] = contexts.get(
                        str(target), rdflib.Graph(identifier=cast("rdflib.URIRef", target))
                    )
                    claimed.add(str(target))
            found[str(np)] = parts
    return found, sorted(set(contexts) - claimed)


def nanopub_problems(parts: Mapping[str, rdflib.Graph], iri: str) -> list[str]:
    """Our own well-formedness rules for one nanopublication; an empty list means valid.

    Rules (after the nanopub guidelines and the nanopub library's checks): exactly four
    distinct, non-empty graphs; the head types the nanopub ``np:Nanopublication`` and
    links exactly one assertion, provenance and pubinfo graph and says nothing else;
    provenance says something about the assertion graph; pubinfo about the nanopub.
    """
    problems: list[str] = []
    head = parts.get("head")
    if head is None:
        return [f"{iri}: no head graph types it np:Nanopublication"]
    subject = rdflib.URIRef(iri)
    if (subject, rdflib.RDF.type, rdflib.URIRef(NP + "Nanopublication")) not in head:
        problems.append(f"{iri}: head does not type it np:Nanopublication")
    names = {str(head.identifier)}
    for role, link in _LINKS.items():
        targets = list(head.objects(subject, rdflib.URIRef(NP + link)))
        if len(targets) != 1:
            problems.append(f"{iri}: head has {len(targets)} np:{link} links, expected exactly 1")
        names.update(str(t) for t in targets)
        graph = parts.get(role)
        if graph is None or len(graph) == 0:
            problems.append(f"{iri}: the {role} graph is missing or empty")
    if len(names) != 4:
        problems.append(f"{iri}: {len(names)} distinct graphs, expected exactly 4")
    if len(head) != 4:
        problems.append(f"{iri}: head has {len(head)} triples, expected exactly 4")
    provenance, pubinfo = parts.get("provenance"), parts.get("pubinfo")
    assertion = parts.get("assertion")
    if (
        provenance is not None
        and assertion is not None
        and not any(True for _ in provenance.triples((assertion.identifier, None, None)))
    ):
        problems.append(f"{iri}: provenance says nothing about the assertion graph")
    if pubinfo is not None and not any(True for _ in pubinfo.triples((subject, None, None))):
        problems.append(f"{iri}: pubinfo says nothing about the nanopublication")
    return problems


def library_problem(parts: Mapping[str, rdflib.Graph]) -> str | None:
    """The nanopub library's verdict on one nanopublication: None if valid, else its message."""

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from nanopub.nanopub import Nanopub
        from nanopub.utils import MalformedNanopubError

        conjunctive = rdflib.ConjunctiveGraph()
        for graph in parts.values():
            target = conjunctive.get_context(graph.identifier)
            for triple in graph:
                target.add(triple)
        try:
            return None if Nanopub(rdf=conjunctive).is_valid else "not valid"
        except MalformedNanopubError as error:
            return str(error)
