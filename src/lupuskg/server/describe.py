"""What the endpoint says about itself: a SPARQL 1.1 Service Description and a VoID description.

Both are computed from the store the server opened (graph names and triple counts),
cached for the life of the process, and serialised by content negotiation like any graph.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from ..formats import by_key
from ..namespaces import DCTERMS, FORMATS_NS, PREFIXES, RDF_TYPE, SD, VOCAB, XSD
from ..oxigraph import select
from .limits import ServerLimits

__all__ = [
    "DESCRIPTION_PREFIXES",
    "StoreFacts",
    "service_description",
    "store_facts",
]

FORMATS = FORMATS_NS
VOID = PREFIXES["void"]
#: prefixes the descriptions are written with (besides the shared map)
DESCRIPTION_PREFIXES = {"sd": SD, "formats": FORMATS}
#: the dataset this server describes (fragment of the VoID document's IRI)

_RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
)
_GRAPH_FORMATS = tuple(by_key(key).w3c for key in ("turtle", "ntriples", "jsonld", "rdfxml"))
_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
_TOTALS = """
SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects)
       (COUNT(DISTINCT ?p) AS ?properties) (COUNT(DISTINCT ?o) AS ?objects)
WHERE { ?s ?p ?o }
"""
_CLASSES = "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }"
_EXAMPLE = (
    "PREFIX lkg: <" + VOCAB + "> SELECT ?claim WHERE { ?claim lkg:sourceDocument ?d } "
    "ORDER BY ?claim LIMIT 1"
)


@dataclass(frozen=True)
class StoreFacts:
    """Counts that both descriptions report."""

    graphs: tuple[tuple[str, int], ...]
    triples: int
    subjects: int
    properties: int
    objects: int
    classes: int
    example: str | None


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))


def _first(store: ox.Store, query: str) -> ox.QuerySolution:
    solution: ox.QuerySolution = next(select(store, query, use_default_graph_as_union=True))
    return solution


def store_facts(store: ox.Store) -> StoreFacts:
    """Count triples per named graph and in the union (the default graph we serve)."""
    graphs = tuple(
        (row["g"].value, int(row["n"].value))
        for row in select(store, _COUNTS)
        if isinstance(row["g"], ox.NamedNode)
    )
    totals = _first(store, _TOTALS)
    example = [
        row["claim"].value for row in select(store, _EXAMPLE, use_default_graph_as_union=True)
    ]
    return StoreFacts(
        graphs=graphs,
        triples=int(totals["triples"].value),
        subjects=int(totals["subjects"].value),
        properties=int(totals["properties"].value),
        objects=int(totals["objects"].value),
        classes=int(_first(store, _CLASSES)["n"].value),
        example=example[0] if example else None,
    )


class _Triples:
    """A tiny builder so the descriptions read like the Turtle they become."""

    def __init__(self) -> None:
        self.items: list[ox.Triple] = []

    def add(
        self,
        subject: ox.NamedNode | ox.BlankNode,
        predicate: str,
        *objects: str | ox.NamedNode | ox.BlankNode | ox.Literal,
    ) -> None:
        """One triple per object; a plain string object is an IRI."""
        for value in objects:
            term = ox.NamedNode(value) if isinstance(value, str) else value
            self.items.append(ox.Triple(subject, ox.NamedNode(predicate), term))

    def typed(self, subject: ox.NamedNode | ox.BlankNode, *classes: str) -> None:
        self.add(subject, RDF_TYPE, *classes)


def service_description(endpoint: str, facts: StoreFacts, limits: ServerLimits) -> list[ox.Triple]:
    """SPARQL 1.1 Service Description of this endpoint (what a bare GET on it returns)."""
    out = _Triples()
    service = ox.NamedNode(endpoint)
    out.typed(service, SD + "Service")
    out.add(service, SD + "endpoint", endpoint)
    out.add(service, SD + "supportedLanguage", SD + "SPARQL11Query")
    out.add(
        service,
        SD + "resultFormat",
        *(FORMATS + name for name in (*_RESULT_FORMATS, *_GRAPH_FORMATS)),
    )
    out.add(service, SD + "feature", SD + "UnionDefaultGraph")
    if limits.service_allow:
        out.add(service, SD + "feature", SD + "BasicFederatedQuery")
    out.add(service, SD + "defaultEntailmentRegime", "http://www.w3.org/ns/entailment/Simple")
    out.add(
        service,
        DCTERMS + "description",
        ox.Literal(
            "lupuskg: evidence on stem-cell therapy for lupus. Read-only; the default graph is the "
            "union of all named graphs; FROM and FROM NAMED select graphs of this store and are "
            f"never dereferenced; queries run at most {limits.timeout:g} s and return at most "
            f"{limits.max_rows} rows."
        ),
    )
    dataset, default = ox.BlankNode(), ox.BlankNode()
    out.add(service, SD + "defaultDataset", dataset)
    out.typed(dataset, SD + "Dataset")
    out.add(dataset, SD + "defaultGraph", default)
    out.typed(default, SD + "Graph")
    out.add(default, VOID + "triples", _integer(facts.triples))
    for graph_iri, count in facts.graphs:
        named, graph = ox.BlankNode(), ox.BlankNode()
        out.add(dataset, SD + "namedGraph", named)
        out.typed(named, SD + "NamedGraph")
        out.add(named, SD + "name", graph_iri)
        out.add(named, SD + "graph", graph)
        out.typed(graph, SD + "Graph")
        out.add(graph, VOID + "triples", _integer(count))
    return out.items
