"""The canned queries as a SIB sparql-examples graph in the store (issue 15 part 9).

SIB's tools (and any client) find a SPARQL endpoint's examples by querying the endpoint
itself: ``?q a sh:SPARQLExecutable ; rdfs:comment ?question ; sh:select ?text ;
schema:target ?endpoint``. So every build loads the query files (``queries/*.ttl``, the
sparql-examples form with our parameter metadata) into one named graph of the store,
:data:`EXAMPLES_GRAPH`, and writes the same triples next to its manifest
(:data:`EXAMPLES_FILE`, listed under ``served``). ``lupuskg serve`` answers from that
store, so its endpoint serves them.

The graph is for the store's clients, not part of the exported dataset: exports, VoID and
``publish`` read :func:`lupuskg.dataset.load_graphs`, which leaves it out (the release
carries the same triples as ``queries/queries.ttl``). Also, rdflib's canonical Turtle
writer indents the continuation lines of multi-line literals, so the SPARQL texts would
not survive an rdflib round trip through the export formats unchanged.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from .config import Settings
from .exceptions import BuildError
from .namespaces import GRAPH, PREFIXES

__all__ = ["EXAMPLES_FILE", "EXAMPLES_GRAPH", "example_triples", "write_examples_graph"]

EXAMPLES_GRAPH = GRAPH + "examples"
EXAMPLES_FILE = "examples.ttl"


def example_triples(settings: Settings) -> list[ox.Triple]:
    """Every triple of the query files directly in ``queries/``, in a stable order."""
    triples: set[ox.Triple] = set()
    for path in sorted(settings.queries_dir.glob("*.ttl")):
        try:
            triples.update(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        except (OSError, SyntaxError) as error:
            raise BuildError(
                f"{path.name}: cannot read the query file: {error}",
                hint="fix the query file; `lupuskg queries` reads the same files",
            ) from error
    return sorted(triples, key=str)


def write_examples_graph(store: ox.Store, directory: Path, settings: Settings) -> int:
    """Add the examples graph to the new ``store`` and write ``directory/examples.ttl``;
    returns its size."""
    graph = ox.NamedNode(EXAMPLES_GRAPH)
    triples = example_triples(settings)
    store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""
    (directory / EXAMPLES_FILE).write_bytes(data)
    return len(triples)
