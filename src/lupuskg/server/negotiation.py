"""Content negotiation: which serialisation a client gets for results, graphs and pages.

Clients ask with an Accept header (q-values and wildcards honoured) or with the common
`format` parameter (a short name or a media type). No acceptable format means 406.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..formats import by_key
from .problems import Problem

__all__ = [
    "BOOLEAN_FORMATS",
    "DATASET_PAGE_FORMATS",
    "GRAPH_FORMATS",
    "HTML",
    "ONTOLOGY_FORMATS",
    "PAGE_FORMATS",
    "QUERY_PAGE_FORMATS",
    "RESULT_FORMATS",
    "Format",
    "choose",
    "parse_accept",
]


@dataclass(frozen=True)
class Format:
    """One serialisation: its short key, the media type we send, and media types that ask for it."""

    key: str
    media_type: str
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        textual = self.media_type.startswith("text/") or self.key in {
            "json",
            "xml",
            "jsonld",
            "sparql",
            "trig",
            "nquads",
        }
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type


RESULT_FORMATS = (
    Format("json", "application/sparql-results+json", ("application/json",)),
    Format("xml", "application/sparql-results+xml", ("application/xml", "text/xml")),
    Format("csv", "text/csv"),
    Format("tsv", "text/tab-separated-values"),
)
BOOLEAN_FORMATS = RESULT_FORMATS[:2]
#: the graph syntaxes the server offers, described by the format registry
GRAPH_FORMATS = tuple(
    Format(syntax.key, syntax.media_type, syntax.accepts)
    for syntax in map(by_key, ("turtle", "ntriples", "jsonld", "rdfxml"))
)
HTML = Format("html", "text/html", ("application/xhtml+xml",))
#: a linked-data page: HTML for people, RDF for machines
PAGE_FORMATS = (HTML, *GRAPH_FORMATS)
#: an ontology document: RDF/XML first (OWL tools send no Accept or */*), HTML for browsers
ONTOLOGY_FORMATS = (GRAPH_FORMATS[3], HTML, *GRAPH_FORMATS[:3])
#: a nanopublication is four named graphs: only syntaxes that keep graphs
DATASET_PAGE_FORMATS = (
    HTML,
    *(
        Format(syntax.key, syntax.media_type, syntax.accepts)
        for syntax in map(by_key, ("trig", "nquads", "jsonld"))
    ),
)
#: a canned query: its page, its SPARQL text, or its metadata as RDF
QUERY_PAGE_FORMATS = (HTML, Format("sparql", "application/sparql-query"), *GRAPH_FORMATS)

_SHORT_NAMES = {
    "ttl": "turtle",
    "nt": "ntriples",
    "nq": "nquads",
    "json-ld": "jsonld",
    "rdf": "rdfxml",
    "owl": "rdfxml",
    "rq": "sparql",
}


def parse_accept(header: str) -> list[tuple[str, float]]:
    """Media ranges with their q-values, best first (stable for equal q)."""
    ranges: list[tuple[str, float, int]] = []
    for position, part in enumerate(header.split(",")):
        fields = [item.strip() for item in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        quality = 1.0
        for parameter in fields[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append((media, quality, position))
    ranges.sort(key=lambda item: (-item[1], _specificity(item[0]), item[2]))
    return [(media, quality) for media, quality, _ in ranges]


def _specificity(media: str) -> int:
    if media == "*/*":
        return 2
    return 1 if media.endswith("/*") else 0


def choose(offered: tuple[Format, ...], accept: str | None, requested: str | None = None) -> Format:
    """The best offered format for this request, or Problem(406)."""
    if requested:
        return _by_name(offered, requested)
    if not accept or not accept.strip():
        return offered[0]
    for media, quality in parse_accept(accept):
        if quality <= 0:
            continue
        found = _match(offered, media)
        if found is not None:
            return found
    wanted = ", ".join(item.media_type for item in offered)
    raise Problem(406, f"cannot produce any of the accepted media types; available: {wanted}")


def _match(offered: tuple[Format, ...], media: str) -> Format | None:
    if media == "*/*":
        return offered[0]
    if media.endswith("/*"):
        major = media[:-1]
        return next((item for item in offered if item.media_type.startswith(major)), None)
    for item in offered:
        if media == item.media_type:
            return item
    return next((item for item in offered if media in item.aliases), None)


def _by_name(offered: tuple[Format, ...], requested: str) -> Format:
    name = requested.strip().lower()
    name = _SHORT_NAMES.get(name, name)
    for item in offered:
        if name in (item.key, item.media_type, *item.aliases):
            return item
    names = ", ".join(item.key for item in offered)
    raise Problem(406, f"unknown or unsuitable format {requested!r}; use one of {names}")
