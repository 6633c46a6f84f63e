"""Exporting the built dataset in the formats linked-data hubs take, byte-identically.

Hubs diff and checksum dumps, so every format here is deterministic: blank nodes get
content-derived labels (``rdflib.compare.to_canonical_graph``, salted per named graph so
identical structures in two graphs stay distinct), Turtle and TriG are rdflib
``longturtle`` with one prefix map, N-Triples/N-Quads are sorted lines, RDF/XML is
written by pyoxigraph from sorted triples, and JSON-LD is compacted with our own
``@context`` (``context.jsonld`` next to this module; never a remote context) and
written with sorted keys and sorted node arrays.

Quads: TriG, N-Quads and JSON-LD keep one named graph per document plus the ontology
graph. Turtle, N-Triples and RDF/XML hold the merged graph (the union of all named
graphs), so a triple stated in two documents appears once there.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .config import Settings
from .exceptions import BuildError, InputError
from .formats import EXPORT_FORMATS, RDF_FORMATS, by_name
from .namespaces import GRAPH, PREFIXES
from .rdfio import canonical_turtle, display_path, parse_graph
from .serialization import sorted_turtle
from .store import open_store, read_manifest
from .synthesis.derived import DERIVED_FILE, DERIVED_GRAPH

if TYPE_CHECKING:
    import rdflib

__all__ = [
    "FORMATS",
    "QUAD_FORMATS",
    "ExportResult",
    "canonical_graph",
    "canonical_trig",
    "canonical_turtle_with",
    "export",
    "jsonld_context",
    "load_graphs",
    "load_store_graphs",
    "merge",
    "resolve_graph",
    "serialize",
    "to_oxigraph",
]

#: views of the format registry (lupuskg.formats) for callers that want plain names
FORMATS = EXPORT_FORMATS
QUAD_FORMATS = frozenset(fmt.name for fmt in RDF_FORMATS if fmt.quads)

_PREFIX_LINE = re.compile(r"^PREFIX (\S*): <([^>]*)>$")


@dataclass(frozen=True)
class ExportResult:
    """What one export wrote (or would write to stdout when ``path`` is None)."""

    format: str
    path: Path | None
    graphs: int
    triples: int
    bytes: int


@cache
def jsonld_context() -> dict[str, Any]:
    """Our compact JSON-LD context (the value of ``@context``), read from the package."""
    text = resources.files("lupuskg").joinpath("context.jsonld").read_text(encoding="utf-8")
    return json.loads(text)["@context"]


def resolve_graph(name: str) -> str:
    """A graph IRI from a document slug (``carl-2024``), ``ontology`` or a full IRI."""
    if name.startswith(("http://", "https://")):
        return name
    return GRAPH + name


def load_graphs(settings: Settings, graph: str | None = None) -> dict[str, rdflib.Graph]:
    """Each named graph of the last good build as an rdflib Graph, keyed and sorted by IRI.

    The graphs are read from the very files the build loaded, after checking against the
    build manifest that they are unchanged: the Oxigraph store canonicalises literals
    (``"5"^^xsd:nonNegativeInteger`` comes back as ``xsd:integer``, ``P72M`` as ``P6Y``),
    and a hub must receive the datatypes we encoded and validated.
    """
    from .build import input_files

    open_store(settings)  # a clear error when nothing was built yet
    files = input_files(settings)
    _check_unchanged(settings, files)
    graphs: dict[str, rdflib.Graph] = {}
    for path, iri in files:
        parsed = parse_graph(path, display_path(path, settings.root))
        target = graphs.setdefault(iri, _empty_graph())
        for triple in parsed:
            target.add(triple)
    graphs[DERIVED_GRAPH] = _derived_graph(settings)  # pooled estimates the build computed
    graphs = {iri: g for iri, g in sorted(graphs.items()) if len(g)}
    if graph is not None:
        wanted = resolve_graph(graph)
        if wanted not in graphs:
            names = ", ".join(iri.removeprefix(GRAPH) for iri in graphs)
            raise InputError(f"no graph {graph!r} in the dataset", hint=f"use one of: {names}")
        return {wanted: graphs[wanted]}
    return graphs


def _derived_graph(settings: Settings) -> rdflib.Graph:
    """The build's derived graph (lupuskg.synthesis), read from its ``derived.ttl``."""
    graph = _empty_graph()
    file = Path(settings.store_dir).parent / DERIVED_FILE
    if file.is_file():
        graph.parse(file, format="turtle")
    return graph


def _empty_graph() -> rdflib.Graph:
    import rdflib

    return rdflib.Graph(bind_namespaces="none")


def _check_unchanged(settings: Settings, files: list[tuple[Path, str]]) -> None:
    """Refuse to export files that differ from what the last good build loaded and validated."""
    recorded = {g["graph"]: g["sha256"] for g in read_manifest(settings).get("graphs", [])}
    by_graph: dict[str, hashlib._Hash] = {}
    for path, iri in files:
        by_graph.setdefault(iri, hashlib.sha256()).update(path.read_bytes())
    current = {iri: digest.hexdigest() for iri, digest in by_graph.items()}
    changed = sorted(
        iri.removeprefix(GRAPH)
        for iri in set(current) | set(recorded)
        if current.get(iri) != recorded.get(iri)
    )
    if changed:
        raise BuildError(
            f"the inputs changed since the last build: {', '.join(changed)}",
            hint="run `lupuskg build` first, so that only validated data is exported",
        )


def load_store_graphs(settings: Settings) -> dict[str, rdflib.Graph]:
    """The named graphs exactly as the Oxigraph store holds them (literals canonicalised)."""
    import rdflib

    data = open_store(settings).dump(format=ox.RdfFormat.N_QUADS)
    dataset = rdflib.Dataset()
    dataset.parse(data=data, format="nquads")
    graphs: dict[str, rdflib.Graph] = {}
    for context in dataset.graphs():
        if len(context) and context.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID:
            target = graphs.setdefault(str(context.identifier), _empty_graph())
            for triple in context:
                target.add(triple)
    return dict(sorted(graphs.items()))


def canonical_graph(graph: rdflib.Graph, salt: str = "") -> rdflib.Graph:
    """The graph with blank nodes relabelled by content, prefixed by a per-graph salt."""
    import rdflib
    from rdflib.compare import to_canonical_graph

    prefix = "b" + hashlib.sha256(salt.encode()).hexdigest()[:8] if salt else "b"
    out = rdflib.Graph(bind_namespaces="none")
    for triple in to_canonical_graph(graph):
        out.add(
            tuple(rdflib.BNode(prefix + t) if isinstance(t, rdflib.BNode) else t for t in triple)
        )  # type: ignore[arg-type]
    return out


def merge(graphs: Iterable[rdflib.Graph]) -> rdflib.Graph:
    """The union of several graphs (blank nodes must already be distinct)."""
    import rdflib

    merged = rdflib.Graph(bind_namespaces="none")
    for graph in graphs:
        for triple in graph:
            merged.add(triple)
    return merged


def _longturtle(graph: rdflib.Graph, prefixes: Mapping[str, str]) -> str:
    """rdflib longturtle of an already canonical graph, with a fixed prefix map."""
    import rdflib

    out = rdflib.Graph(bind_namespaces="none")
    for prefix, iri in prefixes.items():
        out.bind(prefix, iri, override=True, replace=True)
    for triple in graph:
        out.add(triple)
    return sorted_turtle(out)


def canonical_turtle_with(graph: rdflib.Graph, extra_prefixes: Mapping[str, str]) -> str:
    """Like :func:`lupuskg.rdfio.canonical_turtle`, with more prefixes than PREFIXES."""
    return _longturtle(canonical_graph(graph), {**PREFIXES, **extra_prefixes})


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
        body: list[str] = []
        for line in text.splitlines():
            match = _PREFIX_LINE.match(line)
            if match:
                _use_prefix(used, match.group(1), match.group(2))
            elif line.strip():
                body.append("    " + line)
            elif body and body[-1] != "":
                body.append("")
        while body and body[-1] == "":
            body.pop()
        blocks.append(f"<{iri}> {{\n" + "\n".join(body) + "\n}\n")
    order = list(prefixes)
    header = [
        f"PREFIX {name}: <{used[name]}>"
        for name in sorted(used, key=lambda n: (order.index(n) if n in order else len(order), n))
    ]
    return "\n".join(header) + "\n\n" + "\n".join(blocks)


def _use_prefix(used: dict[str, str], name: str, iri: str) -> None:
    """Record a prefix a graph used; two graphs must never give one name two IRIs."""
    if used.setdefault(name, iri) != iri:
        raise BuildError(
            f"prefix {name}: is bound to both <{used[name]}> and <{iri}> in one TriG export",
            hint="add the namespace to lupuskg.namespaces.PREFIXES",
        )


def to_oxigraph(term: Any) -> Any:
    """An rdflib term as the equivalent pyoxigraph term."""
    import rdflib

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
    return _sorted_lines(ox.serialize(_ox_triples(merged), format=ox.RdfFormat.N_TRIPLES))


def _nquads(graphs: Mapping[str, rdflib.Graph]) -> bytes:
    quads = [
        ox.Quad(triple.subject, triple.predicate, triple.object, ox.NamedNode(iri))
        for iri, graph in graphs.items()
        for triple in _ox_triples(canonical_graph(graph, iri))
    ]
    return _sorted_lines(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))


def _rdfxml(graphs: Mapping[str, rdflib.Graph]) -> bytes:
    merged = merge(canonical_graph(g, iri) for iri, g in graphs.items())
    triples = _ox_triples(merged)
    used = {name: iri for name, iri in PREFIXES.items() if _uses(triples, iri)}
    return ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=used)


def _uses(triples: list[ox.Triple], namespace: str) -> bool:
    return any(t.predicate.value.startswith(namespace) for t in triples)


def _jsonld(graphs: Mapping[str, rdflib.Graph], *, named: bool) -> bytes:
    """Compact JSON-LD with our inline context, normalised so that it is byte-stable."""
    import rdflib

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


def export(
    settings: Settings,
    fmt: str,
    *,
    graph: str | None = None,
    out: Path | None = None,
    nanopubs: bool = False,
) -> tuple[ExportResult, bytes]:
    """Export the built dataset (or one graph, or the claims as nanopublications).

    Returns the result and the bytes; writes them to ``out`` when given.
    """
    graphs = load_graphs(settings, graph)
    if nanopubs:
        from .nanopubs import build_nanopubs, nanopubs_trig
        from .void import release_date

        if fmt != "trig":
            raise InputError("nanopublications are written as TriG only", hint="use --format trig")
        collection = build_nanopubs(graphs, created=release_date(settings, graphs))
        data = nanopubs_trig(collection).encode("utf-8")
        count, triples = len(collection), sum(np.size for np in collection)
    else:
        data = serialize(graphs, fmt)
        count, triples = len(graphs), sum(len(g) for g in graphs.values())
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    return ExportResult(fmt, out, count, triples, len(data)), data
