"""The writing layer: canonical, byte-stable serialisations of rdflib graphs.

Everything that writes RDF for people or hubs (``lupuskg fmt``, export, release,
nanopublications, VoID) goes through here; this module imports nothing above
:mod:`lupuskg.namespaces` and :mod:`lupuskg.formats`, so the use cases can share it
without import cycles.

Blank nodes get content-derived labels (``rdflib.compare.to_canonical_graph``, salted per
named graph so identical structures in two graphs stay distinct), Turtle and TriG are
rdflib ``longturtle`` with one prefix map and subject-sorted blocks, N-Triples/N-Quads
are sorted lines, RDF/XML is written by pyoxigraph from sorted triples, and JSON-LD is
compacted with our own ``@context`` (``context.jsonld`` next to this module; never a
remote context) and written with sorted keys and sorted node arrays.

Turtle whose blocks are sorted by subject IRI, so one new triple is a one-line diff.

rdflib's ``longturtle`` orders subject blocks by how often each subject is referenced,
so adding one ``rdfs:seeAlso`` can move a class hundreds of lines away. This writer keeps
everything else of ``longturtle`` (layout, ``rdf:type`` and ``rdfs:label`` first, then
predicates and objects sorted) and changes only the block order:

1. IRI subjects, sorted by IRI;
2. right after each block, the blank nodes that block references but that cannot be
   written inline (referenced more than once), depth first, sorted by content;
3. at the end, blank-node blocks nobody references (``[] a owl:AllDisjointClasses``),
   sorted by content, each again followed by the blank nodes it owns.

"Sorted by content" uses the node's outgoing triples with blank nodes blanked out, and the
label as a tie-break: labels come from ``to_canonical_graph`` and so are deterministic, but
they hash the whole neighbourhood, and content sorts more stably under small edits.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
import rdflib
from rdflib.compare import to_canonical_graph
from rdflib.plugins.serializers.longturtle import LongTurtleSerializer
from rdflib.term import BNode, Literal, URIRef

from .exceptions import BuildError
from .formats import by_name
from .namespaces import PREFIXES

if TYPE_CHECKING:
    from rdflib.term import Node

__all__ = [
    "canonical_graph",
    "canonical_trig",
    "canonical_turtle",
    "canonical_turtle_with",
    "jsonld_context",
    "merge",
    "serialize",
    "sorted_turtle",
    "to_oxigraph",
]

#: a prefix line as rdflib's longturtle writes it: ``PREFIX name: <iri>``
_PREFIX_LINE = re.compile(r"^PREFIX (\S*): <([^>]*)>$", re.MULTILINE)


@cache
def _serializer() -> Any:
    """The serializer class, defined once on first use."""

    class SortedTurtleSerializer(LongTurtleSerializer):
        """``longturtle`` with blocks in subject-IRI order (see the module docstring)."""

        def orderSubjects(self) -> list[Node]:
            iris = sorted((s for s in self._subjects if not isinstance(s, BNode)), key=str)
            ordered: list[Node] = []
            placed: set[Node] = set()
            for subject in iris:
                self._place(subject, ordered, placed)
            roots = [
                s
                for s in self._subjects
                if isinstance(s, BNode) and s not in placed and self._references[s] == 0
            ]
            for subject in sorted(roots, key=self._content_key):
                self._place(subject, ordered, placed)
            rest = [s for s in self._subjects if s not in placed]  # cycles of blank nodes
            for subject in sorted(rest, key=self._content_key):
                self._place(subject, ordered, placed)
            return ordered

        def _place(self, subject: Node, ordered: list[Node], placed: set[Node]) -> None:
            """Append ``subject``, then the shared blank nodes reachable from it."""
            ordered.append(subject)
            placed.add(subject)
            for owned in sorted(self._shared_below(subject), key=self._content_key):
                if owned not in placed:
                    self._place(owned, ordered, placed)

        def _shared_below(self, subject: Node) -> set[Node]:
            """Blank nodes written as their own block that ``subject`` reaches through inline ones."""
            found: set[Node] = set()
            stack = [subject]
            visited: set[Node] = set()
            while stack:
                node = stack.pop()
                if node in visited:
                    continue
                visited.add(node)
                for obj in self.store.objects(node, None):
                    if not isinstance(obj, BNode) or obj == subject:
                        continue
                    if self._references[obj] > 1:
                        found.add(obj)
                    else:
                        stack.append(obj)
            return found

        def _content_key(self, node: Node) -> tuple[str, str]:
            """Sort key: the node's own triples with blank nodes blanked, then its label."""
            lines = sorted(
                f"{p.n3()} {'[]' if isinstance(o, BNode) else _term(o)}"
                for p, o in self.store.predicate_objects(node)
            )
            return "\n".join(lines), str(node)

    return SortedTurtleSerializer


def _term(node: Node) -> str:
    if isinstance(node, URIRef | Literal):
        return node.n3()
    return str(node)


def sorted_turtle(graph: rdflib.Graph) -> str:
    """The graph as ``longturtle`` text with subject-sorted blocks, using its bound prefixes."""
    stream = io.BytesIO()
    _serializer()(graph).serialize(stream, encoding="utf-8")
    return stream.getvalue().decode("utf-8")


def canonical_turtle(graph: rdflib.Graph) -> str:
    """Deterministic Turtle: blank nodes relabelled by content hash, sorted, one prefix map."""
    return _at_prefixes(_longturtle(to_canonical_graph(graph), PREFIXES))


def _at_prefixes(text: str) -> str:
    """longturtle text with its ``PREFIX`` header written in the ``@prefix`` form.

    Every Turtle and TriG file we write declares prefixes the same way, as ``@prefix``:
    the OWL API behind Protégé still rejects SPARQL-style ``PREFIX`` lines in Turtle
    (owlcs/owlapi#1149), and pyoxigraph's TriG writer (the dataset export) uses it too.
    """
    used: dict[str, str] = {}
    body = _strip_prefix_block(text, used)
    return _prefix_header(used, list(used)) + body + "\n"


def _prefix_header(used: Mapping[str, str], order: list[str]) -> str:
    """``@prefix`` lines for the used prefixes in ``order`` (then the rest by name)."""
    ranked = sorted(used, key=lambda n: (order.index(n) if n in order else len(order), n))
    return "".join(f"@prefix {name}: <{used[name]}> .\n" for name in ranked) + "\n" * bool(used)


@cache
def jsonld_context() -> dict[str, Any]:
    """Our compact JSON-LD context (the value of ``@context``), read from the package."""
    text = resources.files("lupuskg").joinpath("context.jsonld").read_text(encoding="utf-8")
    context: dict[str, Any] = json.loads(text)["@context"]
    return context


def canonical_graph(graph: rdflib.Graph, salt: str = "") -> rdflib.Graph:
    """The graph with blank nodes relabelled by content, prefixed by a per-graph salt."""
    prefix = "b" + hashlib.sha256(salt.encode()).hexdigest()[:8] if salt else "b"
    out = rdflib.Graph(bind_namespaces="none")

    def relabel(term: Any) -> Any:
        return rdflib.BNode(prefix + term) if isinstance(term, rdflib.BNode) else term

    for s, p, o in to_canonical_graph(graph):
        out.add((relabel(s), relabel(p), relabel(o)))
    return out


def merge(graphs: Iterable[rdflib.Graph]) -> rdflib.Graph:
    """The union of several graphs (blank nodes must already be distinct)."""
    merged = rdflib.Graph(bind_namespaces="none")
    for graph in graphs:
        for triple in graph:
            merged.add(triple)
    return merged


def _longturtle(graph: rdflib.Graph, prefixes: Mapping[str, str]) -> str:
    """rdflib longturtle of an already canonical graph, with a fixed prefix map."""
    out = rdflib.Graph(bind_namespaces="none")
    for prefix, iri in prefixes.items():
        out.bind(prefix, iri, override=True, replace=True)
    for triple in graph:
        out.add(triple)
    return sorted_turtle(out)


def canonical_turtle_with(graph: rdflib.Graph, extra_prefixes: Mapping[str, str]) -> str:
    """Like :func:`canonical_turtle`, with more prefixes than PREFIXES."""
    return _at_prefixes(_longturtle(canonical_graph(graph), {**PREFIXES, **extra_prefixes}))


def canonical_trig(
    graphs: Mapping[str, rdflib.Graph],
    extra_prefixes: Mapping[str, str] | None = None,
) -> str:
    """Deterministic TriG: one prefix block, then each graph (sorted by IRI) as canonical Turtle."""
    prefixes = {**PREFIXES, **(extra_prefixes or {})}
    used: dict[str, str] = {}
    blocks: list[str] = []
    for iri in sorted(graphs):
        text = _longturtle(canonical_graph(graphs[iri], iri), prefixes)
        body = _strip_prefix_block(text, used)
        blocks.append(f"<{iri}> {{\n" + body + "\n}\n")
    return _prefix_header(used, list(prefixes)) + "\n".join(blocks)


def _strip_prefix_block(text: str, used: dict[str, str]) -> str:
    """The statements of a Turtle text, byte for byte, after its leading PREFIX lines.

    Only the header is read: a line inside a long literal may look like a PREFIX line or be
    blank, and re-indenting or dropping it would change the literal, so the body is kept verbatim.
    """
    lines = text.split("\n")
    start = 0
    while start < len(lines):
        match = _PREFIX_LINE.match(lines[start])
        if match:
            _use_prefix(used, match.group(1), match.group(2))
        elif lines[start].strip():
            break
        start += 1
    return "\n".join(lines[start:]).rstrip("\n")


def _use_prefix(used: dict[str, str], name: str, iri: str) -> None:
    """Record a prefix a graph used; two graphs must never give one name two IRIs."""
    if used.setdefault(name, iri) != iri:
        raise BuildError(
            f"prefix {name}: is bound to both <{used[name]}> and <{iri}> in one TriG export",
            hint="add the namespace to lupuskg.namespaces.PREFIXES",
        )


def to_oxigraph(term: Any) -> Any:
    """An rdflib term as the equivalent pyoxigraph term."""
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to a pyoxigraph term")


def _ox_triples(graph: rdflib.Graph) -> list[ox.Triple]:
    triples = [ox.Triple(*(to_oxigraph(t) for t in triple)) for triple in graph]
    return sorted(triples, key=str)


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted(set(data.decode("utf-8").splitlines()))
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def _ntriples(graphs: Mapping[str, rdflib.Graph]) -> bytes:
    merged = merge(canonical_graph(g, iri) for iri, g in graphs.items())
    return _sorted_lines(ox.serialize(_ox_triples(merged), format=ox.RdfFormat.N_TRIPLES) or b"")


def _nquads(graphs: Mapping[str, rdflib.Graph]) -> bytes:
    quads = [
        ox.Quad(triple.subject, triple.predicate, triple.object, ox.NamedNode(iri))
        for iri, graph in graphs.items()
        for triple in _ox_triples(canonical_graph(graph, iri))
    ]
    return _sorted_lines(ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"")


def _rdfxml(graphs: Mapping[str, rdflib.Graph]) -> bytes:
    merged = merge(canonical_graph(g, iri) for iri, g in graphs.items())
    triples = _ox_triples(merged)
    used = {name: iri for name, iri in PREFIXES.items() if _uses(triples, iri)}
    # pyoxigraph returns None only when it writes to a given output; here it returns the bytes
    return ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=used) or b""


def _uses(triples: list[ox.Triple], namespace: str) -> bool:
    return any(t.predicate.value.startswith(namespace) for t in triples)


def _jsonld(graphs: Mapping[str, rdflib.Graph], *, named: bool) -> bytes:
    """Compact JSON-LD with our inline context, normalised so that it is byte-stable."""
    context = jsonld_context()
    if named:
        dataset = rdflib.Dataset()
        for iri, graph in graphs.items():
            target = dataset.graph(rdflib.URIRef(iri))
            for triple in canonical_graph(graph, iri):
                target.add(triple)
        text = dataset.serialize(format="json-ld", context=context, auto_compact=True)
    else:
        merged = merge(canonical_graph(g, iri) for iri, g in graphs.items())
        text = merged.serialize(format="json-ld", context=context, auto_compact=True)
    document = _normalise_json(json.loads(text))
    if isinstance(document, dict):
        document["@context"] = context
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _normalise_json(value: Any, key: str = "") -> Any:
    """Sort every unordered array (not ``@list`` ones) so that output order is stable."""
    if isinstance(value, dict):
        return {k: _normalise_json(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_normalise_json(v) for v in value]
        if key == "@list":
            return items
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def serialize(graphs: Mapping[str, rdflib.Graph], fmt: str) -> bytes:
    """Bytes of ``graphs`` in ``fmt``; triple formats hold the merged graph."""
    if fmt == "ttl":
        merged = merge(canonical_graph(g, iri) for iri, g in graphs.items())
        return canonical_turtle(merged).encode("utf-8")
    if fmt == "trig":
        return canonical_trig(graphs).encode("utf-8")
    if fmt == "nt":
        return _ntriples(graphs)
    if fmt == "nq":
        return _nquads(graphs)
    if fmt == "jsonld":
        return _jsonld(graphs, named=len(graphs) > 1)
    if fmt == "rdfxml":
        return _rdfxml(graphs)
    by_name(fmt)  # an unknown name raises InputError listing the valid ones
    raise AssertionError(f"export format {fmt!r} is registered but has no writer")
