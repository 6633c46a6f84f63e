"""OWL class expressions (blank nodes in RDF) as Manchester-syntax HTML, with labels.

A class page shows ``rdfs:subClassOf [ owl:onProperty lkg:hasOutcome ; owl:someValuesFrom
lkg:Remission ]`` as *has outcome* **some** *remission*, each name linked to its page.

rdflib's ``rdflib.extras.infixowl.manchesterSyntax`` was tried first: it prints qualified
cardinality restrictions (seven in our ontology) as raw blank-node ids, runs a SPARQL
query per node on an rdflib graph, and returns plain text without links. owlready2
renders constructs as Python expressions, not Manchester syntax, and needs the ontology
loaded into a world. So this small renderer reads the store the page queries already
use. It is bounded: nesting depth, list length and the walk up to an owning expression
are all capped, so a cyclic or huge blank-node structure cannot hang a request.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import pyoxigraph as ox

from ..namespaces import PREFIXES
from ..results import compact

__all__ = ["MAX_DEPTH", "MAX_LIST", "expression_html", "owning_expression"]

OWL = PREFIXES["owl"]
RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
MAX_DEPTH = 8
MAX_LIST = 100
_MAX_CLIMB = 200

_FIRST = ox.NamedNode(RDF + "first")
_REST = ox.NamedNode(RDF + "rest")
_NIL = ox.NamedNode(RDF + "nil")
_LABEL = ox.NamedNode(RDFS + "label")
#: restriction facets written as ``[>= 0]`` after a datatype
_FACETS = {
    "minInclusive": ">=",
    "maxInclusive": "<=",
    "minExclusive": ">",
    "maxExclusive": "<",
    "length": "length",
    "minLength": "minLength",
    "maxLength": "maxLength",
    "pattern": "pattern",
}
_CARDINALITIES = {
    "qualifiedCardinality": "exactly",
    "cardinality": "exactly",
    "minQualifiedCardinality": "min",
    "minCardinality": "min",
    "maxQualifiedCardinality": "max",
    "maxCardinality": "max",
}

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Linker = Callable[[str, str], str]


def _objects(store: ox.Store, subject: ox.NamedNode | ox.BlankNode) -> dict[str, list[Term]]:
    out: dict[str, list[Term]] = {}
    for quad in store.quads_for_pattern(subject, None, None, None):
        obj = quad.object
        if isinstance(obj, ox.NamedNode | ox.BlankNode | ox.Literal):
            values = out.setdefault(quad.predicate.value, [])
            if obj not in values:
                values.append(obj)
    return out


def _label(store: ox.Store, iri: ox.NamedNode) -> str:
    labels = sorted(
        quad.object.value
        for quad in store.quads_for_pattern(iri, _LABEL, None, None)
        if isinstance(quad.object, ox.Literal)
    )
    return labels[0] if labels else compact(iri.value)


def _keyword(word: str) -> str:
    return f'<b class="kw">{word}</b>'


def _list(store: ox.Store, head: Term) -> list[Term]:
    items: list[Term] = []
    node = head
    while isinstance(node, ox.BlankNode) and len(items) < MAX_LIST:
        cell = _objects(store, node)
        items.extend(cell.get(_FIRST.value, [])[:1])
        rest = cell.get(_REST.value, [])
        node = rest[0] if rest else _NIL
    return items


class _Renderer:
    def __init__(self, store: ox.Store, link: Linker) -> None:
        self.store = store
        self.link = link

    def name(self, iri: ox.NamedNode) -> str:
        return self.link(iri.value, _label(self.store, iri))

    def term(self, term: Term, depth: int, nested: bool = True) -> str:
        if isinstance(term, ox.NamedNode):
            return self.name(term)
        if isinstance(term, ox.Literal):
            if term.datatype.value.endswith("#string") or term.language:
                return html.escape(f'"{term.value}"')
            return html.escape(term.value)
        if depth >= MAX_DEPTH:
            return "…"
        text = self.expression(term, depth + 1)
        bracketed = text.startswith(("[", "(", "{"))
        return f"({text})" if nested and " " in text and not bracketed else text

    def expression(self, node: ox.BlankNode, depth: int = 0) -> str:
        facts = _objects(self.store, node)

        def one(local: str) -> Term | None:
            values = facts.get(OWL + local, [])
            return values[0] if values else None

        prop = one("onProperty")
        if prop is not None:
            return self.restriction(prop, one, depth)
        for local, word in (("intersectionOf", "and"), ("unionOf", "or")):
            members = one(local)
            if members is not None:
                parts = [self.term(item, depth) for item in _list(self.store, members)]
                return f" {_keyword(word)} ".join(parts)
        complement = one("complementOf")
        if complement is not None:
            return f"{_keyword('not')} {self.term(complement, depth)}"
        members = one("oneOf")
        if members is not None:
            items = ", ".join(self.term(item, depth) for item in _list(self.store, members))
            return "{" + items + "}"
        inverse = one("inverseOf")
        if inverse is not None:
            return f"{_keyword('inverse')} {self.term(inverse, depth)}"
        datatype = one("onDatatype")
        if datatype is not None:
            return self.datatype_restriction(datatype, one("withRestrictions"), depth)
        return self.description(node, facts, depth)  # not a class expression: e.g. a SHACL shape

    def description(self, node: ox.BlankNode, facts: dict[str, list[Term]], depth: int) -> str:
        """Any other blank node, as a Turtle-like ``[ predicate object ; ... ]`` with links."""
        if _FIRST.value in facts:  # an RDF list
            items = " ".join(self.term(item, depth) for item in _list(self.store, node))
            return f"({items})"
        parts = []
        for predicate in sorted(facts)[:MAX_LIST]:
            values = ", ".join(self.term(value, depth, nested=False) for value in facts[predicate])
            parts.append(f"{self.link(predicate, compact(predicate))} {values}")
        return "[ " + " ; ".join(parts) + " ]"

    def restriction(self, prop: Term, one: Callable[[str], Term | None], depth: int) -> str:
        subject = self.term(prop, depth)
        for local, word in (("someValuesFrom", "some"), ("allValuesFrom", "only")):
            filler = one(local)
            if filler is not None:
                return f"{subject} {_keyword(word)} {self.term(filler, depth)}"
        value = one("hasValue")
        if value is not None:
            return f"{subject} {_keyword('value')} {self.term(value, depth)}"
        if one("hasSelf") is not None:
            return f"{subject} {_keyword('Self')}"
        for local, word in _CARDINALITIES.items():
            count = one(local)
            if count is not None:
                text = f"{subject} {_keyword(word)} {html.escape(count.value)}"
                filler = one("onClass") or one("onDataRange")
                return f"{text} {self.term(filler, depth)}" if filler is not None else text
        return f"{subject} {_keyword('(restriction)')}"

    def datatype_restriction(self, datatype: Term, facets: Term | None, depth: int) -> str:
        parts = []
        for facet in _list(self.store, facets) if facets is not None else []:
            if not isinstance(facet, ox.BlankNode):
                continue
            for predicate, values in _objects(self.store, facet).items():
                local = predicate.removeprefix(PREFIXES["xsd"])
                if local in _FACETS and values:
                    parts.append(f"{html.escape(_FACETS[local])} {html.escape(values[0].value)}")
        return f"{self.term(datatype, depth)}[{', '.join(parts)}]"


def expression_html(store: ox.Store, node: ox.BlankNode, link: Linker) -> str:
    """The class expression rooted at ``node`` in Manchester syntax, as HTML with links."""
    return _Renderer(store, link).expression(node)


def owning_expression(store: ox.Store, node: ox.BlankNode) -> ox.BlankNode:
    """The outermost blank node above ``node`` through RDF lists and nested expressions
    (the restriction or union a list cell or filler belongs to), bounded by a step cap."""
    current = node
    for _ in range(_MAX_CLIMB):
        parents = [
            quad.subject
            for quad in store.quads_for_pattern(None, None, current, None)
            if isinstance(quad.subject, ox.BlankNode)
        ]
        if not parents:
            return current
        current = parents[0]
    return current
