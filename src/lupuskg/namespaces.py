"""IRIs of our own vocabulary and data, plus the prefix map every file and query shares.

Kept free of rdflib so that the query path can import it without paying for rdflib.
"""

from __future__ import annotations

__all__ = [
    "BASE",
    "DATA",
    "GRAPH",
    "ONTOLOGY_GRAPH",
    "ONTOLOGY_IRI",
    "PREFIXES",
    "SOURCE",
    "VOCAB",
    "document_graph",
]

BASE = "https://w3id.org/lupuskg/"
VOCAB = BASE + "vocab/"
DATA = BASE + "id/"
GRAPH = BASE + "graph/"
SOURCE = BASE + "source/"
ONTOLOGY_IRI = BASE + "ontology"
ONTOLOGY_GRAPH = GRAPH + "ontology"

#: The one prefix map: Turtle files, CURIE rendering, query parameters and exports all use it.
PREFIXES: dict[str, str] = {
    "lkg": VOCAB,
    "lkgd": DATA,
    "obo": "http://purl.obolibrary.org/obo/",
    "oa": "http://www.w3.org/ns/oa#",
    "bibo": "http://purl.org/ontology/bibo/",
    "dcterms": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "oboInOwl": "http://www.geneontology.org/formats/oboInOwl#",
    "prov": "http://www.w3.org/ns/prov#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "schema": "https://schema.org/",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "pav": "http://purl.org/pav/",
    "spdx": "http://spdx.org/rdf/terms#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "np": "http://www.nanopub.org/nschema#",
    "npx": "http://purl.org/nanopub/x/",
}


def document_graph(slug: str) -> str:
    """The named-graph IRI of one document."""
    return GRAPH + slug
