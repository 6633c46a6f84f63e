"""Opening the persisted embedded store (pyoxigraph) that `lupuskg build` writes.

Readers open it read-only and query with the union of all graphs as default graph,
the semantics Virtuoso uses, so the canned queries behave the same everywhere.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .closure import add_closure
from .config import Settings
from .exceptions import BuildError
from .namespaces import document_graph

__all__ = [
    "MANIFEST_NAME",
    "MEMORY_CROSSOVER_QUERIES",
    "QUERY_STORE_ENV",
    "copy_into_memory",
    "open_query_store",
    "open_store",
    "open_store_with_drafts",
    "read_manifest",
]

MANIFEST_NAME = "manifest.json"
#: "disk", "memory" or "auto" (the default): where `lupuskg query` answers from
QUERY_STORE_ENV = "LUPUSKG_QUERY_STORE"
#: ``auto`` copies the store into memory for a run of at least this many canned queries.
#: Measured at 1,000 documents (220k quads, benchmarks/results/cli-memory-crossover.md): the
#: copy takes 1.4-1.5 s, and a query answered in memory instead of on disk saves a median of
#: 150 ms (11 ms to 1.1 s). Both grow with the store, so the crossover is a number of queries,
#: not a size: one query never repays the copy, a run of every canned query does.
MEMORY_CROSSOVER_QUERIES = 10


def open_store(settings: Settings) -> ox.Store:
    """The last good store, read-only; a clear error if nothing was built yet."""
    path = settings.store_dir
    if not path.is_dir():
        raise BuildError(
            f"no built store at {path}",
            hint="run `lupuskg build` first (README command (a) does it for you)",
        )
    try:
        return ox.Store.read_only(str(path))
    except OSError as error:
        raise BuildError(f"cannot open the store at {path}: {error}") from error


def open_store_with_drafts(settings: Settings) -> ox.Store:
    """An in-memory copy of the last good store with every graph/drafts/SLUG.ttl added.

    The build never loads drafts (see graph/README.md §12); this copy lets `lupuskg query
    --include-drafts` show what the canned queries would answer with them. Each draft goes
    into its document's named graph. The closure graph (subclass closure, Q11 conflict keys)
    is recomputed with the drafts; nothing else is derived for the draft nodes.
    """
    copy = ox.Store()
    copy.load(open_store(settings).dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    for draft in sorted(settings.drafts_dir.glob("*.ttl")):
        try:
            copy.load(
                path=str(draft),
                format=ox.RdfFormat.TURTLE,
                to_graph=ox.NamedNode(document_graph(draft.stem)),
            )
        except SyntaxError as error:
            raise BuildError(
                f"{draft.relative_to(settings.root)}: malformed Turtle: {error}",
                hint=f"run `lupuskg validate {draft.relative_to(settings.root)}`",
            ) from error
    add_closure(copy)  # the queries join on the closure: recomputed with the drafts' claims
    return copy


def copy_into_memory(store: ox.Store) -> ox.Store:
    """An in-memory copy of a store (pyoxigraph scans rows ~10x faster in memory)."""
    copy = ox.Store()
    copy.bulk_extend(store.quads_for_pattern(None, None, None, None))
    return copy


def open_query_store(settings: Settings, queries: int = 1) -> ox.Store:
    """The store a run of ``queries`` canned queries should answer from: on disk, or an
    in-memory copy when that is faster overall (``LUPUSKG_QUERY_STORE`` overrides)."""
    mode = os.environ.get(QUERY_STORE_ENV, "auto").strip().lower() or "auto"
    if mode not in ("auto", "disk", "memory"):
        raise BuildError(
            f"{QUERY_STORE_ENV}={mode!r} is not a store mode", hint="use auto, disk or memory"
        )
    store = open_store(settings)
    if mode == "disk":
        return store
    if mode == "auto" and queries < MEMORY_CROSSOVER_QUERIES:
        return store
    return copy_into_memory(store)


def read_manifest(settings: Settings) -> dict[str, Any]:
    """What the last good build contained: files, checksums and counts per graph."""
    manifest = Path(settings.store_dir).parent / MANIFEST_NAME
    if not manifest.is_file():
        raise BuildError(f"no build manifest at {manifest}", hint="run `lupuskg build`")
    data: dict[str, Any] = json.loads(manifest.read_text(encoding="utf-8"))
    return data
