"""What our IRIs dereference to when the store alone does not say: files and descriptions.

Every IRI under the base (``https://w3id.org/lupuskg/``) maps to the same path on the
server. The store describes terms (``/vocab/``), data (``/id/``) and named graphs; this
module supplies the rest:

- ontology documents: the ontology IRI, its version IRI and each import (and import
  version) IRI serve the file the catalog maps them to, whole;
- source texts (``/source/<doc>.txt``) and release files (``/release/<version>/<path>``,
  from ``<release-dir>/lupuskg-<version>/`` when that bundle was written);
- descriptions computed from the project: the VoID (``/dataset...``), the canned queries'
  metadata (``/query/...``), the shapes (``/shapes...``) and one nanopublication per claim
  (``/np/...``), held in a small in-memory store built on first use.

Paths are resolved inside their folder (no ``..`` escapes) and the sizes are capped.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..config import Settings
from ..dataset import load_graphs
from ..exceptions import BuildError
from ..namespaces import BASE, ONTOLOGY_IRI, PREFIXES, RDF_TYPE
from ..nanopubs import NANOPUB_BASE, ROLES, build_nanopubs, nanopubs_trig
from ..ontology import import_catalog
from ..void import describe_current, media_type, release_date
from .cache import store_version

__all__ = [
    "MAX_DOCUMENT_TRIPLES",
    "Documents",
    "FileDocument",
    "TooLarge",
    "graph_triples",
    "hash_children",
    "local_path",
    "nanopub_quads",
]

#: the most triples one document (a graph, an ontology) is served with
MAX_DOCUMENT_TRIPLES = 500_000
_OWL = PREFIXES["owl"]
_VERSION_IRI = ox.NamedNode(_OWL + "versionIRI")
_IMPORTS = ox.NamedNode(_OWL + "imports")
_ONTOLOGY = ox.NamedNode(_OWL + "Ontology")
_TYPE = ox.NamedNode(RDF_TYPE)


class TooLarge(BuildError):
    """A document has more triples than the server serves in one response."""


@dataclass(frozen=True)
class FileDocument:
    """A file that an IRI names, with the media type it is served as."""

    path: Path
    media_type: str

    @property
    def content_type(self) -> str:
        textual = self.media_type.startswith("text/") or self.media_type.endswith(
            ("+xml", "/xml", "json", "/sparql-query", "/trig", "/n-triples", "/n-quads")
        )
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type


def _inside(folder: Path, relative: str) -> Path | None:
    """``folder/relative`` if it is a file inside ``folder``, else None (no escapes)."""
    if not relative or "\x00" in relative:
        return None
    try:
        root = folder.resolve()
        candidate = (root / relative).resolve()
        if not candidate.is_relative_to(root) or not candidate.is_file():
            return None
    except (OSError, ValueError):  # a name too long for the file system, and the like
        return None
    return candidate


def _parse_file(path: Path) -> list[ox.Triple]:
    triples = []
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        triples.append(quad.triple)
        if len(triples) > MAX_DOCUMENT_TRIPLES:
            raise TooLarge(f"{path.name} has more than {MAX_DOCUMENT_TRIPLES} triples")
    return triples


class Documents:
    """The lookups, with what they read cached for the life of the server process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._ontology_files: dict[str, Path] | None = None
        self._parsed: dict[Path, list[ox.Triple]] = {}
        self._describing = threading.Lock()  # held while a VoID or the extras are built
        self._voids: dict[str, tuple[tuple[object, ...], list[ox.Triple]]] = {}
        self._extras: dict[str, tuple[tuple[object, ...], ox.Store]] = {}

    # ------------------------------------------------------------------ files

    def source_file(self, rest: str) -> FileDocument | None:
        """``source/<name>``: a source text the documents were encoded from."""
        name = rest.removeprefix("source/")
        if "/" in name:
            return None
        path = _inside(self.settings.sources_dir, name)
        return FileDocument(path, media_type(path.name)) if path else None

    def release_file(self, rest: str) -> FileDocument | None:
        """``release/<version>/<path>``: a file of a written release bundle."""
        parts = rest.split("/", 2)
        if len(parts) != 3 or parts[0] != "release" or not parts[1] or parts[1].startswith("."):
            return None
        bundle = self.settings.release_dir / f"lupuskg-{parts[1]}"
        path = _inside(bundle, parts[2]) if bundle.is_dir() else None
        return FileDocument(path, media_type(parts[2])) if path else None

    # --------------------------------------------------------------- ontology

    def ontology_files(self) -> dict[str, Path]:
        """Ontology IRI, version IRIs and import IRIs -> the file each one names."""
        with self._lock:
            if self._ontology_files is None:
                files = {ONTOLOGY_IRI: self.settings.ontology_file}
                files.update(import_catalog(self.settings))
                for path in sorted(set(files.values())):
                    for triple in self._triples(path):
                        if triple.predicate == _VERSION_IRI and isinstance(
                            triple.object, ox.NamedNode
                        ):
                            files.setdefault(triple.object.value, path)
                self._ontology_files = files
            return self._ontology_files

    def _triples(self, path: Path) -> list[ox.Triple]:
        if path not in self._parsed:
            self._parsed[path] = _parse_file(path)
        return self._parsed[path]

    def ontology_document(self, iri: str, merge_imports: bool = False) -> list[ox.Triple] | None:
        """The whole document an ontology IRI names (None if it names none).

        With ``merge_imports`` the import closure is merged in, ROBOT ``merge`` style: the
        imported axioms join the document and its ``owl:imports`` and the imported
        modules' headers are dropped, so a client that cannot map import IRIs to local
        files still gets every term, offline.
        """
        files = self.ontology_files()
        path = files.get(iri)
        if path is None:
            return None
        with self._lock:
            triples = list(self._triples(path))
            if not merge_imports:
                return triples
            seen, queue, merged = {path}, [path], [t for t in triples if t.predicate != _IMPORTS]
            while queue:
                for triple in self._triples(queue.pop(0)):
                    if triple.predicate != _IMPORTS or not isinstance(triple.object, ox.NamedNode):
                        continue
                    target = files.get(triple.object.value)
                    if target is None or target in seen:
                        continue
                    seen.add(target)
                    queue.append(target)
                    module = self._triples(target)
                    headers = {
                        t.subject for t in module if t.predicate == _TYPE and t.object == _ONTOLOGY
                    }
                    merged += [
                        t for t in module if t.subject not in headers and t.predicate != _IMPORTS
                    ]
            if len(merged) > MAX_DOCUMENT_TRIPLES:
                raise TooLarge(f"the merged ontology has more than {MAX_DOCUMENT_TRIPLES} triples")
            return merged

    # ---------------------------------------------------------- descriptions

    def void_key(self, endpoint: str | None) -> tuple[object, ...]:
        """What the VoID depends on: the build (the store's resolved generation and mtime),
        the endpoint it states, and the release bundle's files (name, size, mtime), whose
        checksums it lists once ``lupuskg release`` has written them. A few ``stat`` calls."""
        bundle = self.settings.release_dir / f"lupuskg-{self.settings.version}"
        files: list[tuple[str, int, int]] = []
        if bundle.is_dir():
            for path in sorted(bundle.rglob("*")):
                try:
                    stat = path.stat()
                except OSError:  # a bundle being swapped into place
                    continue
                if path.is_file():
                    files.append(
                        (path.relative_to(bundle).as_posix(), stat.st_size, stat.st_mtime_ns)
                    )
        return (store_version(self.settings.store_dir), endpoint or "", tuple(files))

    def void(self, endpoint: str | None) -> list[ox.Triple]:
        """The VoID ``lupuskg release`` writes (:func:`lupuskg.void.describe_current`), stating
        ``endpoint``: computed once per build and bundle (:meth:`void_key`), not per request.

        Raises BuildError when the project's files changed since the last build.
        """
        key = self.void_key(endpoint)
        with self._describing:
            cached = self._voids.get(endpoint or "")
            if cached is None or cached[0] != key:
                void = describe_current(self.settings, endpoint)
                data = void.serialize(format="nt", encoding="utf-8")
                triples = [q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
                cached = self._voids[endpoint or ""] = (key, triples)
            return cached[1]

    def extras(self, endpoint: str | None) -> ox.Store:
        """VoID (stating ``endpoint`` as its SPARQL endpoint), query metadata, shapes and
        nanopublications, in one in-memory store (nanopublications in their own graphs),
        rebuilt only when the VoID's inputs change (:meth:`void_key`).

        Raises BuildError when the project's files changed since the last build.
        """
        void = self.void(endpoint)
        key = self.void_key(endpoint)
        with self._describing:
            cached = self._extras.get(endpoint or "")
            if cached is None or cached[0] != key:
                cached = self._extras[endpoint or ""] = (key, self._build_extras(void))
            return cached[1]

    def _build_extras(self, void: list[ox.Triple]) -> ox.Store:
        settings = self.settings
        graphs = load_graphs(settings)
        store = ox.Store()
        store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in void)
        nanopubs = build_nanopubs(graphs, created=release_date(settings, graphs))
        store.load(nanopubs_trig(nanopubs).encode(), format=ox.RdfFormat.TRIG)
        shapes = [settings.shapes_file, settings.void_shapes_file]
        for path in [*sorted(settings.queries_dir.glob("*.ttl")), *shapes]:
            if path.is_file():
                store.load(path=str(path), format=ox.RdfFormat.TURTLE)
        return store


def nanopub_quads(store: ox.Store, iri: str) -> list[ox.Quad]:
    """The four graphs (head, assertion, provenance, pubinfo) of one nanopublication."""
    if not iri.startswith(NANOPUB_BASE) or "#" in iri:
        return []
    return [
        quad
        for name in ROLES.values()
        for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(f"{iri}#{name}"))
    ]


def graph_triples(store: ox.Store, iri: str) -> list[ox.Triple]:
    """Every triple of one named graph of the store (empty when there is no such graph)."""
    graph = ox.NamedNode(iri)
    triples = []
    for quad in store.quads_for_pattern(None, None, None, graph):
        triples.append(quad.triple)
        if len(triples) > MAX_DOCUMENT_TRIPLES:
            raise TooLarge(f"<{iri}> has more than {MAX_DOCUMENT_TRIPLES} triples")
    return triples


def hash_children(store: ox.Store, iri: str) -> list[ox.Triple]:
    """Triples about ``iri#...`` IRIs (a query's parameters, a checksum): part of its document.

    Only the default graph of the descriptions store is read (VoID, queries, shapes)."""
    prefix = iri + "#"
    return [
        quad.triple
        for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        if isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(prefix)
    ]


def local_path(iri: str) -> str | None:
    """The server path an own IRI dereferences at (its fragment dropped), or None."""
    if not iri.startswith(BASE):
        return None
    return "/" + iri[len(BASE) :].split("#", 1)[0]
