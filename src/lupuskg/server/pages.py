"""Linked-data pages: our IRIs resolve to HTML for people and to RDF for machines.

A page shows a term's or claim's label, definition, types and statements, the claims
that mention it (with their quotes and source documents), and what else links to it.
The IRI is validated and serialised by pyoxigraph into a VALUES block, never pasted raw.
"""

from __future__ import annotations

import html
from collections import OrderedDict
from dataclasses import dataclass, field
from urllib.parse import quote

import pyoxigraph as ox

from ..namespaces import BASE, PREFIXES
from ..oxigraph import construct, select
from ..results import compact
from .manchester import expression_html, owning_expression

__all__ = [
    "Resource",
    "describe_resource",
    "local_href",
    "not_found_page",
    "render_graph_page",
    "render_nanopub_page",
    "render_page",
    "render_query_page",
    "render_results_page",
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
#: blank nodes (class expressions, list cells) that point at the IRI, for "Used in"
_BLANK_INCOMING = (
    _PROLOGUE
    + """
SELECT DISTINCT ?x WHERE {
  VALUES ?s { %(iri)s }
  ?x ?p ?s FILTER(isBlank(?x))
} LIMIT 100
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
    #: blank-node objects of ``outgoing`` (class expressions) as Manchester-syntax HTML
    expressions: dict[str, str] = field(default_factory=dict)
    #: class expressions that mention this IRI: (owning IRI, its label, predicate, HTML)
    used_in: list[tuple[str, str, str, str]] = field(default_factory=list)


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
    incoming_rows = _run(store, _INCOMING, iri)
    incoming = [
        (row["x"].value, row["p"].value, _value(row["label"]))
        for row in incoming_rows
        if not isinstance(row["x"], ox.BlankNode)
    ]
    used_in = _used_in(store, [row["x"] for row in _run(store, _BLANK_INCOMING, iri)], iri)
    claims = _claims(_run(store, _CLAIMS, iri))
    if not (outgoing or incoming_rows or claims):
        return None
    expressions = {
        obj.value: expression_html(store, obj, _expression_link)
        for _, obj, _ in outgoing
        if isinstance(obj, ox.BlankNode)
    }
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
    return Resource(
        iri, label, definitions, outgoing, quotes, claims, incoming, expressions, used_in
    )


def _expression_link(iri: str, label: str) -> str:
    return _link(iri, label)


def _used_in(store: ox.Store, subjects: list[object], iri: str) -> list[tuple[str, str, str, str]]:
    """The named resources whose class expressions mention ``iri`` (through blank nodes)."""
    found: list[tuple[str, str, str, str]] = []
    seen: set[tuple[str, str, str]] = set()
    for subject in subjects[:100]:
        if not isinstance(subject, ox.BlankNode):
            continue
        owner = owning_expression(store, subject)
        for quad in store.quads_for_pattern(None, None, owner, None):
            named = quad.subject
            if not isinstance(named, ox.NamedNode) or named.value == iri:
                continue
            labels = list(
                store.quads_for_pattern(named, ox.NamedNode(PREFIXES["rdfs"] + "label"), None, None)
            )
            first = labels[0].object if labels else None
            label = first.value if isinstance(first, ox.Literal) else compact(named.value)
            expression = expression_html(store, owner, _expression_link)
            key = (named.value, quad.predicate.value, expression)
            if key not in seen:
                seen.add(key)
                found.append((named.value, label, quad.predicate.value, expression))
    return sorted(found)


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
    """Our own IRIs (everything under the base) link to this server's page; others link out."""
    if iri.startswith(BASE):
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


def _term(
    term: ox.NamedNode | ox.BlankNode | ox.Literal,
    label: str,
    expressions: dict[str, str] | None = None,
) -> str:
    if isinstance(term, ox.BlankNode) and expressions and term.value in expressions:
        return f'<span class="owl">{expressions[term.value]}</span>'
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
.owl b.kw{color:#7a2e8a;font-weight:600}pre{background:#f6f6f6;padding:.6rem;overflow-x:auto}
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
    outgoing = [
        (_link(p), _term(o, label, resource.expressions)) for p, o, label in resource.outgoing
    ]
    parts.append(_table("Statements", outgoing, predicate=0))
    if resource.used_in:
        rows = [
            (f'{_link(owner, label)} <span class="dt">{html.escape(compact(p))}</span>', expr)
            for owner, label, p, expr in resource.used_in
        ]
        parts.append(_table("Used in class expressions", rows, predicate=0))
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


_RDF_LINKS = (
    ("turtle", "Turtle"),
    ("ntriples", "N-Triples"),
    ("jsonld", "JSON-LD"),
    ("rdfxml", "RDF/XML"),
)
_DATASET_LINKS = (("trig", "TriG"), ("nquads", "N-Quads"), ("jsonld", "JSON-LD"))


def _format_links(links: tuple[tuple[str, str], ...], extra: str = "") -> str:
    items = " ".join(f'<a href="?format={key}">{name}</a>' for key, name in links)
    return f'<p class="meta">This document as RDF: {items}{extra}</p>'


def _triples_table(triples: list[ox.Triple] | list[ox.Quad], limit: int) -> str:
    rows = []
    for triple in triples[:limit]:
        subject = triple.subject
        shown = (
            _link(subject.value) if isinstance(subject, ox.NamedNode) else html.escape(str(subject))
        )
        obj = triple.object
        value = _term(obj, "") if isinstance(obj, ox.NamedNode | ox.BlankNode | ox.Literal) else ""
        rows.append(
            f'<tr><td>{shown}</td><td class="p">{_link(triple.predicate.value)}</td><td>{value}</td></tr>'
        )
    more = ""
    if len(triples) > limit:
        more = f'<p class="meta">… and {len(triples) - limit} more triples (see the RDF).</p>'
    return f"<table>{''.join(rows)}</table>{more}" if rows else ""


def render_graph_page(
    iri: str, triples: list[ox.Triple], subset: str | None, limit: int = 300
) -> str:
    """A named graph: its size, its VoID subset, and its first triples."""
    subjects = sorted({t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)})
    parts = [
        f"<h1>Named graph {html.escape(compact(iri))}</h1>",
        f"<p><code>{html.escape(iri)}</code></p>",
        f"<p>{len(triples)} triples about {len(subjects)} resources.</p>",
    ]
    if subset:
        parts.append(f'<p class="meta">Described in the VoID as {_link(subset)}.</p>')
    parts.append(_triples_table(triples, limit))
    parts.append(_format_links(_RDF_LINKS))
    return _document(compact(iri), "".join(parts))


def render_nanopub_page(iri: str, quads: list[ox.Quad], limit: int = 300) -> str:
    """A nanopublication: each of its four graphs as a table."""
    parts = [
        f"<h1>Nanopublication {html.escape(compact(iri))}</h1>",
        f"<p><code>{html.escape(iri)}</code></p>",
    ]
    by_graph: OrderedDict[str, list[ox.Quad]] = OrderedDict()
    for quad in quads:
        name = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
        by_graph.setdefault(name, []).append(quad)
    for name, members in by_graph.items():
        role = name.rsplit("#", 1)[-1]
        parts.append(f'<h2>{html.escape(role)} <span class="dt">{html.escape(name)}</span></h2>')
        parts.append(_triples_table(members, limit))
    parts.append(_format_links(_DATASET_LINKS))
    return _document(compact(iri), "".join(parts))


def render_query_page(
    query_id: str,
    iri: str,
    title: str,
    question: str,
    parameters: list[tuple[str, str, str, str]],
    sparql: str,
) -> str:
    """A canned query: its question, parameters, SPARQL text and links that run it."""
    rows = [
        (
            f"<code>?{html.escape(name)}</code>",
            f"{_link(value_type)}; default {_link(default) if default.startswith('http') else html.escape(default or 'none')}"
            + (f"<br>{html.escape(comment)}" if comment else ""),
        )
        for name, value_type, default, comment in parameters
    ]
    run = f"/api/queries/{quote(query_id)}"
    parts = [
        f"<h1>{html.escape(query_id)}: {html.escape(title)}</h1>",
        f"<p><code>{html.escape(iri)}</code></p>",
        f'<p class="definition">{html.escape(question)}</p>',
        f'<p><a href="{html.escape(run)}">Run it (results as a table)</a> · '
        f'<a href="/?query={html.escape(quote(sparql))}">Open it in the query page</a> · '
        f'<a href="?format=sparql">SPARQL text</a></p>',
        _table("Parameters", rows, predicate=0),
        f"<h2>SPARQL</h2><pre>{html.escape(sparql)}</pre>",
        _format_links(_RDF_LINKS),
    ]
    return _document(f"{query_id} {title}", "".join(parts))


def render_results_page(
    title: str, variables: list[str], bindings: list[dict[str, dict[str, str]]], source: str
) -> str:
    """SELECT results (SPARQL JSON bindings) as an HTML table; our IRIs link to local pages."""
    head = "".join(f"<th>{html.escape(name)}</th>" for name in variables)
    body = []
    for binding in bindings:
        cells = []
        for name in variables:
            term = binding.get(name)
            if term is None:
                cells.append("<td></td>")
            elif term.get("type") == "uri":
                cells.append(f"<td>{_link(term['value'])}</td>")
            else:
                cells.append(f"<td>{html.escape(term.get('value', ''))}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    parts = [
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="meta">{len(bindings)} rows · {source}</p>',
        f'<table class="results"><tr>{head}</tr>{"".join(body)}</table>',
    ]
    return _document(title, "".join(parts))
