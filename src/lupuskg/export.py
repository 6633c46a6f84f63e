"""Use case: exporting the built dataset in the formats linked-data hubs take.

This is the top layer: it reads the exact graphs of the last good build
(:mod:`lupuskg.dataset`) and writes them with the canonical writers
(:mod:`lupuskg.serialization`), so exports are byte-identical across runs.

Quads: TriG, N-Quads and JSON-LD keep one named graph per document plus the ontology
graph. Turtle, N-Triples and RDF/XML hold the merged graph (the union of all named
graphs), so a triple stated in two documents appears once there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import Settings
from .dataset import load_graphs
from .exceptions import InputError
from .files import write_file
from .formats import EXPORT_FORMATS, RDF_FORMATS
from .nanopubs import build_nanopubs, nanopubs_trig
from .serialization import serialize
from .void import release_date

__all__ = ["FORMATS", "QUAD_FORMATS", "ExportResult", "export"]

#: views of the format registry (lupuskg.formats) for callers that want plain names
FORMATS = EXPORT_FORMATS
QUAD_FORMATS = frozenset(fmt.name for fmt in RDF_FORMATS if fmt.quads)


@dataclass(frozen=True)
class ExportResult:
    """What one export wrote (or would write to stdout when ``path`` is None)."""

    format: str
    path: Path | None
    graphs: int
    triples: int
    bytes: int


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
        if fmt != "trig":
            raise InputError("nanopublications are written as TriG only", hint="use --format trig")
        collection = build_nanopubs(graphs, created=release_date(settings, graphs))
        data = nanopubs_trig(collection).encode("utf-8")
        count, triples = len(collection), sum(np.size for np in collection)
    else:
        data = serialize(graphs, fmt)
        count, triples = len(graphs), sum(len(g) for g in graphs.values())
    if out is not None:
        write_file(out, data)  # atomic; OutputError on a full disk or a read-only target
    return ExportResult(fmt, out, count, triples, len(data)), data
