"""IRIs of our own vocabulary and data, the one prefix map, and the one CURIE converter.

Every namespace constant lives here, and every CURIE a user sees (CLI tables, pages,
query results, error messages, benchmark Turtle) comes from :func:`compress`, one
``curies.Converter`` built from :data:`PREFIXES`. Kept free of rdflib so that the query
path can import it without paying for rdflib.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import curies

__all__ = [
    "BASE",
    "BIBO",
    "CC_BY",
    "DATA",
    "DCMITYPE",
    "DCTERMS",
    "FORMATS_NS",
    "GRAPH",
    "IANA_MEDIA_TYPES",
    "NP",
    "NPX",
    "OA",
    "OBO",
    "ONTOLOGY_GRAPH",
    "ONTOLOGY_IRI",
    "PAV",
    "PREFIXES",
    "PROV",
    "RDFS_SUBCLASS_OF",
    "RDF_TYPE",
    "SD",
    "SH",
    "SOURCE",
    "SPDX",
    "VOCAB",
    "XSD",
    "compress",
    "converter",
    "curie",
    "document_graph",
    "sparql_prefixes",
    "turtle_prefixes",
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


OBO = PREFIXES["obo"]
OA = PREFIXES["oa"]
SH = PREFIXES["sh"]
XSD = PREFIXES["xsd"]
PAV = PREFIXES["pav"]
SPDX = PREFIXES["spdx"]
SD = PREFIXES["sd"]
NP = PREFIXES["np"]
NPX = PREFIXES["npx"]
PROV = PREFIXES["prov"]
DCTERMS = PREFIXES["dcterms"]
BIBO = PREFIXES["bibo"]
#: the two RDF terms code tests by IRI (rdflib users have RDF.type and RDFS.subClassOf)
RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_SUBCLASS_OF = PREFIXES["rdfs"] + "subClassOf"
#: W3C unique URIs for RDF formats (``formats:Turtle``), used by SPARQL service descriptions
FORMATS_NS = "http://www.w3.org/ns/formats/"
#: DCMI Type Vocabulary (``dctypes:Dataset`` in VoID/DCAT descriptions); not a CURIE prefix
DCMITYPE = "http://purl.org/dc/dcmitype/"
#: media types as IRIs, the form DCAT and VoID expect for ``dcat:mediaType``
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
#: the licence of everything we publish
CC_BY = "http://creativecommons.org/licenses/by/4.0/"

#: a local name that reads the same in Turtle, SPARQL and a shell: no escapes needed
_SAFE_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


@cache
def converter() -> curies.Converter:
    """:data:`PREFIXES` as a CURIE converter (longest matching namespace wins)."""
    import curies

    return curies.Converter.from_prefix_map(PREFIXES)


#: (namespace, prefix) of :data:`PREFIXES`, longest namespace first
_BY_LENGTH: tuple[tuple[str, str], ...] = tuple(
    sorted(
        ((namespace, prefix) for prefix, namespace in PREFIXES.items()), key=lambda p: -len(p[0])
    )
)


def _split(iri: str) -> tuple[str, str] | None:
    """(prefix, local name) by the longest namespace of :data:`PREFIXES` that starts ``iri``.

    This is what :meth:`curies.Converter.compress` does with the converter built from the
    same map (its trie also picks the longest URI prefix), without importing curies and
    pydantic: that import was most of a cold ``lupuskg query`` (about 0.3 s of 0.5 s).
    tests/test_namespaces.py checks that both give the same CURIE for every IRI of the
    seeds, the ontology and a generated corpus.
    """
    for namespace, prefix in _BY_LENGTH:
        if iri.startswith(namespace):
            return prefix, iri[len(namespace) :]
    return None


def compress(iri: str) -> str | None:
    """The CURIE of ``iri``, or None when no prefix covers it with a plain local name.

    Local names that would need escaping (``/``, ``#``, a trailing ``.``) are refused so
    that every CURIE we show can be pasted back into a query or a Turtle file.
    """
    split = _split(iri)
    if split is None:
        return None
    prefix, local = split
    return f"{prefix}:{local}" if _SAFE_LOCAL.fullmatch(local) else None


def curie(iri: str) -> str:
    """An IRI as a CURIE when a project prefix covers it, else as ``<iri>``."""
    return compress(iri) or f"<{iri}>"


def turtle_prefixes(*names: str) -> str:
    """``@prefix`` lines for the named prefixes of :data:`PREFIXES`, in the order given."""
    return "".join(f"@prefix {name}: <{PREFIXES[name]}> .\n" for name in names)


def sparql_prefixes(*names: str) -> str:
    """``PREFIX`` lines for the named prefixes of :data:`PREFIXES`, in the order given."""
    return "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in names)


def document_graph(slug: str) -> str:
    """The named-graph IRI of one document."""
    return GRAPH + slug
