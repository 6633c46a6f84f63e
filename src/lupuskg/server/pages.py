"""Linked-data pages: our IRIs resolve to HTML for people and to RDF for machines.

A page shows a term's or claim's label, definition, types and statements, the claims
that mention it (with their quotes and source documents), and what else links to it.
The IRI is validated and serialised by pyoxigraph into a VALUES block, never pasted raw.
"""

from __future__ import annotations

import html
from collections import OrderedDict
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..namespaces import BASE, DATA, ONTOLOGY_IRI, PREFIXES, VOCAB
from ..oxigraph import construct, select
from ..results import compact

__all__ = [
    "Resource",
    "describe_resource",
    "local_href",
    "not_found_page",
    "render_page",
    "resource_triples",
]

_PROLOGUE = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
_LABELS = ("rdfs:label", "skos:prefLabel", "dcterms:title", "lkg:statement")
_DEFINITIONS = ("obo:IAO_0000115", "skos:definition", "rdfs:comment")

_OUTGOING = (
    _PROLOGUE
    + """
SELECT DISTINCT ?p ?o (SAMPLE(?l) AS ?label) WHERE {
  VALUES ?s { %(iri)s }
  ?s ?p ?o OPTIONAL { ?o rdfs:label ?l }
} GROUP BY ?p ?o ORDER BY ?p ?o LIMIT 300
"""
)
_CLAIMS = (
    _PROLOGUE
    + """
SELECT ?claim ?p ?statement ?doc ?title ?exact ?direction ?certainty WHERE {
  VALUES ?s { %(iri)s }
  ?claim ?p ?s ; lkg:sourceDocument ?doc .
  OPTIONAL { ?claim lkg:statement ?statement }
  OPTIONAL { ?doc dcterms:title ?title }
  OPTIONAL { ?claim lkg:hasQuote ?q . ?q oa:exact ?exact }
  OPTIONAL { ?claim lkg:direction ?direction }
  OPTIONAL { ?claim lkg:certainty ?certainty }
} ORDER BY ?claim ?exact LIMIT 300
"""
)
_QUOTES = (
    _PROLOGUE
    + """
SELECT ?exact ?start ?end ?doc ?title WHERE {
  VALUES ?s { %(iri)s }
  ?s lkg:hasQuote ?q . ?q oa:exact ?exact .
  OPTIONAL { ?q oa:start ?start } OPTIONAL { ?q oa:end ?end }
  OPTIONAL { ?s lkg:sourceDocument ?doc OPTIONAL { ?doc dcterms:title ?title } }
} ORDER BY ?start ?exact
"""
)
_INCOMING = (
    _PROLOGUE
    + """
SELECT DISTINCT ?x ?p (SAMPLE(?l) AS ?label) WHERE {
  VALUES ?s { %(iri)s }
  ?x ?p ?s FILTER NOT EXISTS { ?x lkg:sourceDocument ?d }
  OPTIONAL { ?x rdfs:label ?l }
} GROUP BY ?x ?p ORDER BY ?p ?x LIMIT 300
"""
)
_GRAPH = (
    _PROLOGUE
    + """
CONSTRUCT { ?s ?p ?o . ?x ?q ?s . ?quote ?qp ?qo }
WHERE {
  VALUES ?s { %(iri)s }
  { ?s ?p ?o } UNION { ?x ?q ?s }
  UNION { ?s lkg:hasQuote ?quote . ?quote ?qp ?qo }
}
"""
)


@dataclass
class Claim:
    iri: str
    statement: str = ""
    roles: list[str] = field(default_factory=list)
    documents: dict[str, str] = field(default_factory=dict)
    quotes: list[str] = field(default_factory=list)
    direction: str = ""
    certainty: str = ""


@dataclass
class Resource:
    """Everything a page shows about one IRI."""

    iri: str
    label: str
    definitions: list[str]
    outgoing: list[tuple[str, ox.NamedNode | ox.BlankNode | ox.Literal, str]]
    quotes: list[tuple[str, str, str]]
    claims: list[Claim]
    incoming: list[tuple[str, str, str]]


def _bind(query: str, iri: str) -> str:
    """The query with ?s bound by a VALUES block; the IRI is validated and written by pyoxigraph."""
    return query.replace("%(iri)s", str(ox.NamedNode(iri)))


def _run(store: ox.Store, query: str, iri: str) -> list[ox.QuerySolution]:
    return list(select(store, _bind(query, iri), use_default_graph_as_union=True))


def _value(term: object) -> str:
    return "" if term is None else getattr(term, "value", str(term))


def describe_resource(store: ox.Store, iri: str) -> Resource | None:
    """Collect the page's content; None when the store knows nothing about this IRI."""
    outgoing = [
        (row["p"].value, row["o"], _value(row["label"])) for row in _run(store, _OUTGOING, iri)
    ]
    incoming = [
        (row["x"].value, row["p"].value, _value(row["label"]))
        for row in _run(store, _INCOMING, iri)
    ]
    claims = _claims(_run(store, _CLAIMS, iri))
    if not (outgoing or incoming or claims):
        return None
    quotes = [
        (_value(row["exact"]), _value(row["doc"]), _value(row["title"]))
        for row in _run(store, _QUOTES, iri)
    ]
    by_predicate: dict[str, list[str]] = {}
    for predicate, obj, _ in outgoing:
        if isinstance(obj, ox.Literal):
            by_predicate.setdefault(compact(predicate), []).append(obj.value)
    label = next((by_predicate[key][0] for key in _LABELS if key in by_predicate), compact(iri))
    definitions = [text for key in _DEFINITIONS for text in by_predicate.get(key, [])]
    return Resource(iri, label, definitions, outgoing, quotes, claims, incoming)


def _claims(rows: list[ox.QuerySolution]) -> list[Claim]:
    claims: OrderedDict[str, Claim] = OrderedDict()
    for row in rows:
        iri = row["claim"].value
        claim = claims.setdefault(iri, Claim(iri))
        claim.statement = claim.statement or _value(row["statement"])
        claim.direction = claim.direction or _value(row["direction"])
        claim.certainty = claim.certainty or _value(row["certainty"])
        role = compact(row["p"].value)
        if role not in claim.roles:
            claim.roles.append(role)
        claim.documents.setdefault(row["doc"].value, _value(row["title"]))
        exact = _value(row["exact"])
        if exact and exact not in claim.quotes:
            claim.quotes.append(exact)
    return list(claims.values())


def resource_triples(store: ox.Store, iri: str) -> list[ox.Triple]:
    """The RDF view of a page: the IRI's statements, incoming links and a claim's quotes."""
    return list(construct(store, _bind(_GRAPH, iri), use_default_graph_as_union=True))


def local_href(iri: str) -> str:
    """Our own IRIs link to this server's copy of the page; others link out."""
    if iri.startswith((VOCAB, DATA)) or iri == ONTOLOGY_IRI:
        return "/" + iri[len(BASE) :]
    return iri


def _table(title: str, rows: list[tuple[str, str]], predicate: int) -> str:
    """A heading and a two-column table (none without rows); column ``predicate`` has class p."""
    if not rows:
        return ""
    cls = ["", ""]
    cls[predicate] = ' class="p"'
    body = "".join(f"<tr><td{cls[0]}>{a}</td><td{cls[1]}>{b}</td></tr>" for a, b in rows)
    return f"<h2>{title}</h2><table>{body}</table>"


def _link(iri: str, label: str = "") -> str:
    shown = label or compact(iri)
    return f'<a href="{html.escape(local_href(iri))}" title="{html.escape(iri)}">{html.escape(shown)}</a>'


def _term(term: ox.NamedNode | ox.BlankNode | ox.Literal, label: str) -> str:
    if isinstance(term, ox.NamedNode):
        return _link(term.value, label)
    if isinstance(term, ox.Literal):
        suffix = ""
        if term.language:
            suffix = f' <span class="dt">@{html.escape(term.language)}</span>'
        elif not term.datatype.value.endswith("#string"):
            suffix = f' <span class="dt">{html.escape(compact(term.datatype.value))}</span>'
        return f"{html.escape(term.value)}{suffix}"
    return html.escape(str(term))


def _claim_html(claim: Claim) -> str:
    documents = ", ".join(_link(doc, title) for doc, title in claim.documents.items())
    quotes = "".join(f"<blockquote>{html.escape(quote)}</blockquote>" for quote in claim.quotes)
    facts = " · ".join(
        part
        for part in (
            "as " + ", ".join(html.escape(role) for role in claim.roles),
            _link(claim.direction) if claim.direction else "",
            _link(claim.certainty) if claim.certainty else "",
        )
        if part
    )
    return (
        f'<li class="claim"><p>{_link(claim.iri, claim.statement or compact(claim.iri))}</p>'
        f'<p class="meta">{facts} — source: {documents}</p>{quotes}</li>'
    )


_STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
a{color:#1f5fa8;text-decoration:none}a:hover{text-decoration:underline}
code{background:#f3f3f3;padding:.1rem .3rem;word-break:break-all}
table{border-collapse:collapse;width:100%}td{border-top:1px solid #ddd;padding:.3rem;vertical-align:top}
td.p{width:14rem;color:#555}.dt{color:#888;font-size:.85em}.meta{color:#555;font-size:.9em;margin:.2rem 0}
blockquote{margin:.3rem 0 .6rem 1rem;padding-left:.6rem;border-left:3px solid #c9d7ea;font-style:italic}
li.claim{margin-bottom:1rem}nav a{margin-right:1rem}
"""


def render_page(resource: Resource) -> str:
    """The HTML page of one resource."""
    parts = [
        f"<h1>{html.escape(resource.label)}</h1>",
        f"<p><code>{html.escape(resource.iri)}</code></p>",
    ]
    parts += [f'<p class="definition">{html.escape(text)}</p>' for text in resource.definitions]
    if resource.quotes:
        parts.append("<h2>Quotes</h2>")
        for exact, doc, title in resource.quotes:
            source = f'<p class="meta">from {_link(doc, title)}</p>' if doc else ""
            parts.append(f"<blockquote>{html.escape(exact)}</blockquote>{source}")
    outgoing = [(_link(p), _term(o, label)) for p, o, label in resource.outgoing]
    parts.append(_table("Statements", outgoing, predicate=0))
    if resource.claims:
        items = "".join(_claim_html(claim) for claim in resource.claims)
        parts.append(f"<h2>Claims that mention it ({len(resource.claims)})</h2><ul>{items}</ul>")
    incoming = [(_link(x, label), _link(p)) for x, p, label in resource.incoming]
    parts.append(_table("Linked from", incoming, predicate=1))
    formats = " ".join(
        f'<a href="?format={key}">{name}</a>'
        for key, name in (
            ("turtle", "Turtle"),
            ("ntriples", "N-Triples"),
            ("jsonld", "JSON-LD"),
            ("rdfxml", "RDF/XML"),
        )
    )
    parts.append(f'<p class="meta">This page as RDF: {formats}</p>')
    return _document(resource.label, "".join(parts))


def _document(title: str, body: str) -> str:
    nav = (
        '<nav><a href="/">Query page</a><a href="/ontology">Ontology</a>'
        '<a href="/api/queries">Canned queries (JSON)</a></nav>'
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)} — lupuskg</title><style>{_STYLE}</style></head>"
        f"<body>{nav}{body}</body></html>"
    )


def not_found_page(iri: str) -> str:
    return _document(
        "Not found",
        f"<h1>Not found</h1><p>The graph says nothing about <code>{html.escape(iri)}</code>.</p>",
    )
