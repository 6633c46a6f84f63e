"""The one table of RDF syntaxes: names, media types, file suffixes, parser identifiers.

Reading files, exporting, release metadata (VoID/DCAT media types), the SPARQL service
description and the server's content negotiation all look formats up here, so a syntax
is described once. SPARQL *result* formats (CSV, TSV, JSON, XML) are a different kind of
thing and live with the results (:mod:`lupuskg.results`).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .exceptions import InputError

__all__ = [
    "EXPORT_FORMATS",
    "RDF_FORMATS",
    "RdfSyntax",
    "by_key",
    "by_name",
    "by_suffix",
]


@dataclass(frozen=True)
class RdfSyntax:
    """One RDF syntax and every identifier other tools use for it."""

    #: our short name (``lupuskg export --format``)
    name: str
    #: the name the HTTP server uses in ``?format=`` and in its negotiation tables
    key: str
    #: the IANA media type we send
    media_type: str
    #: other media types that ask for this syntax in an Accept header
    accepts: tuple[str, ...]
    #: file suffixes, the one we write first
    suffixes: tuple[str, ...]
    #: rdflib's parser/serializer name
    rdflib: str
    #: pyoxigraph's identifier
    oxigraph: ox.RdfFormat
    #: local name in http://www.w3.org/ns/formats/ (SPARQL service descriptions)
    w3c: str
    #: whether the syntax keeps named graphs
    quads: bool

    @property
    def suffix(self) -> str:
        """The suffix of files we write in this syntax."""
        return self.suffixes[0]


RDF_FORMATS: tuple[RdfSyntax, ...] = (
    RdfSyntax(
        "ttl",
        "turtle",
        "text/turtle",
        ("application/x-turtle",),
        (".ttl",),
        "turtle",
        ox.RdfFormat.TURTLE,
        "Turtle",
        quads=False,
    ),
    RdfSyntax(
        "trig",
        "trig",
        "application/trig",
        (),
        (".trig",),
        "trig",
        ox.RdfFormat.TRIG,
        "TriG",
        quads=True,
    ),
    RdfSyntax(
        "nt",
        "ntriples",
        "application/n-triples",
        ("text/plain",),
        (".nt",),
        "nt",
        ox.RdfFormat.N_TRIPLES,
        "N-Triples",
        quads=False,
    ),
    RdfSyntax(
        "nq",
        "nquads",
        "application/n-quads",
        (),
        (".nq",),
        "nquads",
        ox.RdfFormat.N_QUADS,
        "N-Quads",
        quads=True,
    ),
    RdfSyntax(
        "jsonld",
        "jsonld",
        "application/ld+json",
        ("application/json",),
        (".jsonld",),
        "json-ld",
        ox.RdfFormat.JSON_LD,
        "JSON-LD",
        quads=True,
    ),
    RdfSyntax(
        "rdfxml",
        "rdfxml",
        "application/rdf+xml",
        ("application/xml", "text/xml"),
        (".rdf", ".owl"),
        "xml",
        ox.RdfFormat.RDF_XML,
        "RDF_XML",
        quads=False,
    ),
)
#: what ``lupuskg export`` can write, in the order the CLI lists them
EXPORT_FORMATS: tuple[str, ...] = tuple(syntax.name for syntax in RDF_FORMATS)

_BY_NAME = {syntax.name: syntax for syntax in RDF_FORMATS}
_BY_KEY = {syntax.key: syntax for syntax in RDF_FORMATS}
_BY_SUFFIX = {suffix: syntax for syntax in RDF_FORMATS for suffix in syntax.suffixes}


def by_name(name: str) -> RdfSyntax:
    """The syntax of an export format name; InputError lists the valid names."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise InputError(
            f"unknown export format {name!r}", hint=f"use one of {', '.join(EXPORT_FORMATS)}"
        ) from None


def by_key(key: str) -> RdfSyntax:
    """The syntax of a server format key (``turtle``, ``ntriples``, ...)."""
    return _BY_KEY[key]


def by_suffix(suffix: str) -> RdfSyntax | None:
    """The syntax of a file suffix (case-insensitive), or None when it is not RDF."""
    return _BY_SUFFIX.get(suffix.lower())
