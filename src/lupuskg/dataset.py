"""The reading layer: the exact graphs of the last good build, as rdflib graphs.

Export, release, nanopublications, VoID and publish all start from :func:`load_graphs`,
so every use case sends the same triples with the datatypes we encoded and validated.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox
import rdflib

from .build import input_files
from .closure import CLOSURE_FILE, CLOSURE_GRAPH
from .config import Settings
from .derive import derived_month_triples
from .examples import EXAMPLES_GRAPH
from .exceptions import BuildError, InputError
from .namespaces import GRAPH
from .rdfio import display_path, parse_graph
from .store import open_store, read_manifest
from .synthesis.derived import DERIVED_FILE, DERIVED_GRAPH

__all__ = ["load_graphs", "load_store_graphs", "resolve_graph"]


def resolve_graph(name: str) -> str:
    """A graph IRI from a document slug (``carl-2024``), ``ontology`` or a full IRI."""
    if name.startswith(("http://", "https://")):
        return name
    return GRAPH + name


def load_graphs(settings: Settings, graph: str | None = None) -> dict[str, rdflib.Graph]:
    """Each named graph of the last good build as an rdflib Graph, keyed and sorted by IRI.

    Each document graph includes the month values the build derives in it
    (:mod:`lupuskg.derive`), so exports hold the triples the store and publish hold.

    The graphs are read from the very files the build loaded, after checking against the
    build manifest that they are unchanged: the Oxigraph store canonicalises literals
    (``"5"^^xsd:nonNegativeInteger`` comes back as ``xsd:integer``, ``P72M`` as ``P6Y``),
    and a hub must receive the datatypes we encoded and validated.
    """
    open_store(settings)  # a clear error when nothing was built yet
    files = input_files(settings)
    _check_unchanged(settings, files)
    graphs: dict[str, rdflib.Graph] = {}
    for path, iri in files:
        parsed = parse_graph(path, display_path(path, settings.root))
        target = graphs.setdefault(iri, _empty_graph())
        for triple in parsed:
            target.add(triple)
        for triple in derived_month_triples(parsed):  # as the build adds them to its graph
            target.add(triple)
    graphs[DERIVED_GRAPH] = _derived_graph(settings)  # pooled estimates the build computed
    graphs[CLOSURE_GRAPH] = _build_file_graph(settings, CLOSURE_FILE)  # subclass closure
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
    return _build_file_graph(settings, DERIVED_FILE)


def _build_file_graph(settings: Settings, name: str) -> rdflib.Graph:
    """A graph the build wrote beside its manifest (empty when it wrote none)."""
    graph = _empty_graph()
    file = Path(settings.store_dir).parent / name
    if file.is_file():
        graph.parse(file, format="turtle")
    return graph


def _empty_graph() -> rdflib.Graph:
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
    """The dataset's named graphs exactly as the Oxigraph store holds them (literals
    canonicalised); not the sparql-examples graph, which the store serves to its clients
    but which is no part of the dataset (lupuskg.examples)."""
    data = open_store(settings).dump(format=ox.RdfFormat.N_QUADS)
    dataset = rdflib.Dataset()
    dataset.parse(data=data, format="nquads")
    graphs: dict[str, rdflib.Graph] = {}
    for context in dataset.graphs():
        if str(context.identifier) == EXAMPLES_GRAPH:
            continue
        if len(context) and context.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID:
            target = graphs.setdefault(str(context.identifier), _empty_graph())
            for triple in context:
                target.add(triple)
    return dict(sorted(graphs.items()))
