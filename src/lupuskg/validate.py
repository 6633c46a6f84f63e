"""`validate`: SHACL shapes, quote checks and cross-document rules over the document files.

Each document is validated on its own, together with the ontology and its imports, so
that one broken file hides nothing else and the cost grows linearly with the corpus.
Many files are spread over worker processes; a few are validated in-process, where
starting workers would cost more than it saves. Rules that need all documents (the
same IRI defined twice) run once at the end.

Outcomes are cached per document (:mod:`lupuskg.validation.cache`): a file whose bytes,
sources, shapes, ontology and validation code are unchanged is not validated again, and
the ontology and shapes are not even parsed when every file comes from the cache.

Unreadable input: every readable file is still validated; then the first
:class:`~lupuskg.exceptions.ParseError` is raised, carrying the partial report as
``error.report`` and every parse error as ``error.errors``, so that the CLI can print
both and exit 2.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

import rdflib
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

from .config import Settings
from .exceptions import InputError, ParseError, SourceLocation
from .namespaces import VOCAB
from .ontology import read_reference_table, reference_table_path
from .rdfio import display_path, parse_graph
from .validation import cache as cache_module
from .validation.cache import UNREAD_PREFIX, DigestMemo, ValidationCache, context_key
from .validation.crossdoc import Definition, defined_in_file, duplicate_definitions
from .validation.engines import engine_name
from .validation.locate import LineIndex
from .validation.quotes import (
    QuoteContext,
    check_quotes,
    check_source_texts,
    check_typed,
    is_confined,
    source_file,
)
from .validation.results import ValidationReport, ValidationResult
from .validation.shapes import (
    dump_queries,
    load_queries,
    parsed_queries,
    preload_queries,
    run_shapes,
)

__all__ = ["PARALLEL_THRESHOLD", "ValidationReport", "ValidationResult", "validate"]

#: from this many files on, documents are validated in worker processes
PARALLEL_THRESHOLD = 8


@dataclass
class _FileOutcome:
    """What validating one file produced; plain data so that it crosses process boundaries."""

    file: str
    results: list[ValidationResult] = field(default_factory=list)
    defined: dict[str, int | None] = field(default_factory=dict)
    #: (line, column, detail) when the file could not be parsed
    parse_error: tuple[int | None, int | None, str] | None = None
    #: files (relative to the project root) the checks read besides the document
    dependencies: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> _FileOutcome:
        """The inverse of :meth:`to_json` (a cache entry: JSON, so its values are Any).

        A malformed entry raises KeyError, TypeError or ValueError; the caller skips it.
        """
        error = data.get("parse_error")
        if error:
            line, column, detail = error
            parse_error: tuple[int | None, int | None, str] | None = (line, column, str(detail))
        else:
            parse_error = None
        return cls(
            file=str(data["file"]),
            results=[ValidationResult(**item) for item in data["results"]],
            defined=dict(data["defined"]),
            parse_error=parse_error,
            dependencies=list(data.get("dependencies") or []),
        )


@dataclass
class _Context:
    """Loaded once per process: the ontology's class skeleton (with imports) and the shapes."""

    settings: Settings
    ontology: rdflib.Graph
    shapes: rdflib.Graph


_WORKER: _Context | None = None
_WORKER_STORE: ValidationCache | None = None

#: the blob of the shapes' translated SPARQL (lupuskg.validation.shapes.dump_queries)
_QUERIES = "queries"

#: how many translated queries the query blob held when this process last read or wrote it
_QUERIES_STORED = 0


def validate(
    settings: Settings,
    files: Sequence[Path] | None = None,
    *,
    jobs: int | None = None,
    cache: bool = True,
) -> ValidationReport:
    """Validate the given document files (default: all of them), each with the ontology.

    With ``cache`` (the default) unchanged files are taken from ``build/validation-cache``
    and fresh outcomes are stored there; ``cache=False`` validates everything and
    neither reads nor writes the cache.
    """
    started = time.perf_counter()
    paths = [Path(path) for path in files] if files is not None else settings.document_files()
    for path in paths:
        if not path.is_file():
            raise InputError(f"{path}: no such document file", hint="check the path")
    store = open_cache(settings, engine_name()) if cache else None  # the engine keys the cache
    outcomes, cached = _run_cached(settings, paths, jobs, store)
    results = [result for outcome in outcomes for result in outcome.results]
    results += _cross_document(settings, paths, outcomes)
    report = ValidationReport(
        results=sorted(results, key=ValidationResult.sort_key),
        files=[outcome.file for outcome in outcomes if outcome.parse_error is None],
        seconds=time.perf_counter() - started,
        cached=cached,
    )
    _raise_parse_errors(outcomes, report)
    return report


def load_context(settings: Settings) -> _Context:
    """Parse the ontology, its imports and the shapes (malformed files raise ParseError)."""
    if not settings.ontology_file.is_file():
        raise InputError(
            f"missing ontology file {display_path(settings.ontology_file, settings.root)}",
            hint="documents are validated against ontology/lupuskg.ttl",
        )
    if not settings.shapes_file.is_file():
        raise InputError(f"missing shapes file {display_path(settings.shapes_file, settings.root)}")
    ontology = rdflib.Graph()
    for path in [settings.ontology_file, *sorted(settings.imports_dir.glob("*.ttl"))]:
        ontology += parse_graph(path, display_path(path, settings.root))
    shapes = parse_graph(settings.shapes_file, display_path(settings.shapes_file, settings.root))
    skeleton = _class_skeleton(ontology)
    skeleton += _unimported_reference_terms(settings, ontology)
    return _Context(settings, skeleton, shapes)


def _unimported_reference_terms(settings: Settings, ontology: rdflib.Graph) -> rdflib.Graph:
    """Mark verified reference-table terms the ontology does not declare.

    The shapes then say "in the reference table but not imported" for them, instead of
    the generic "not a class declared in the ontology" that sends curators hunting.
    """
    path = reference_table_path(settings)
    marked = rdflib.Graph()
    if not path.is_file():
        return marked
    flag = rdflib.URIRef(VOCAB + "inReferenceTable")
    for iri, (_label, confidence) in read_reference_table(path).items():
        term = rdflib.URIRef(iri)
        if confidence != "unverified" and (term, RDF.type, None) not in ontology:
            marked.add((term, flag, rdflib.Literal(True)))
    return marked


def _class_skeleton(ontology: rdflib.Graph) -> rdflib.Graph:
    """The ontology triples the shapes consult: typing, named superclasses, evidence levels.

    Every document is validated with this graph mixed in, so its size is paid once per
    document; labels, definitions and OWL restrictions are never read by the shapes.
    """
    skeleton = rdflib.Graph()
    for predicate in (RDF.type, RDFS.subClassOf, rdflib.URIRef(VOCAB + "evidenceLevel")):
        for subject, obj in ontology.subject_objects(predicate):
            if isinstance(subject, rdflib.URIRef) and not isinstance(obj, rdflib.BNode):
                skeleton.add((subject, predicate, obj))
    return skeleton


#: the packages whose versions key the cache, per engine (the engine's name keys it too)
_ENGINE_PACKAGES = {
    "pyshacl": ("pyshacl", "rdflib"),
    "turbo": ("pyshacl-turbo", "pyshacl", "rdflib"),
}


def open_cache(settings: Settings, engine: str | None = None) -> ValidationCache:
    """The cache of this project for the current ontology, shapes, code and engine
    (default: the engine validation uses, lupuskg.validation.engines.engine_name)."""
    engine = engine_name(engine)
    code = sorted(Path(cache_module.__file__).parent.glob("*.py"))
    inputs = [
        settings.ontology_file,
        *sorted(settings.imports_dir.glob("*.ttl")),
        settings.shapes_file,
        reference_table_path(settings),
        Path(__file__),
        *code,
    ]
    versions = tuple(f"{name}={version(name)}" for name in _ENGINE_PACKAGES[engine])
    directory = settings.build_dir / "validation-cache"
    return ValidationCache(
        directory,
        context_key(inputs, engine=engine, extra=versions),
        settings.root,
        DigestMemo(directory),
    )


def _run_cached(
    settings: Settings, paths: list[Path], jobs: int | None, store: ValidationCache | None
) -> tuple[list[_FileOutcome], int]:
    """Outcomes in the order of ``paths`` and how many came from the cache."""
    if store is None:
        return _run_all(load_context(settings), paths, jobs), 0
    resolver = _Resolver(settings.root)
    keys = [store.key(resolver.shown(path), store.digest(path)) for path in paths]
    found: dict[int, _FileOutcome] = {}
    for index, key in enumerate(keys):
        entry = store.get(key)
        if entry is not None:
            try:
                found[index] = _FileOutcome.from_json(entry)
            except (KeyError, TypeError, ValueError):
                continue
    missing = [index for index in range(len(paths)) if index not in found]
    if missing:
        context = _cached_context(settings, store)
        fresh = _run_all(context, [paths[index] for index in missing], jobs, store)
        _merge_worker_queries(store)
        _store_queries(store)
        for index, outcome in zip(missing, fresh, strict=True):
            store.put(keys[index], outcome.to_json(), outcome.dependencies)
            found[index] = outcome
    if store.memo is not None:
        store.memo.save()
    return [found[index] for index in range(len(paths))], len(paths) - len(missing)


def _cached_context(settings: Settings, store: ValidationCache | None) -> _Context:
    """The parsed context, from the cache's blob when there is one (else parsed and stored).

    The shapes' translated SPARQL is preloaded from the query blob as well.
    """
    if store is not None:
        _preload_queries(store)
        blob = store.load_blob("context")
        if isinstance(blob, tuple) and len(blob) == 2:
            return _Context(settings, blob[0], blob[1])
    context = load_context(settings)
    if store is not None:
        store.save_blob("context", (context.ontology, context.shapes))
    return context


def _load_queries(store: ValidationCache, name: str = _QUERIES) -> dict[Any, Any]:
    """The translated queries of a query blob; an unreadable blob is empty."""
    data = store.load_blob_bytes(name)
    if data is None:
        return {}
    try:
        return load_queries(data)
    except Exception:  # any damage to the blob is a miss
        return {}


def _preload_queries(store: ValidationCache) -> None:
    global _QUERIES_STORED
    stored = _load_queries(store)
    preload_queries(stored)
    _QUERIES_STORED = len(stored)


def _store_queries(store: ValidationCache, name: str = _QUERIES) -> None:
    """Write the queries this process translated to a query blob, when it has new ones.

    The shared blob (``queries``) is merged with what it holds; a worker process writes
    a blob of its own (``queries.<pid>``, one writer per file), which the parent merges
    into the shared one after the pool ends (:func:`_merge_worker_queries`).
    """
    global _QUERIES_STORED
    held = parsed_queries()
    if len(held) <= _QUERIES_STORED:
        return
    merged = {**_load_queries(store), **held} if name == _QUERIES else held
    try:
        data = dump_queries(merged)
    except Exception:  # a query that cannot be stored exactly is not stored
        return
    store.save_blob_bytes(name, data)
    _QUERIES_STORED = len(merged)


def _merge_worker_queries(store: ValidationCache) -> None:
    """Take the workers' query blobs into this process (and so into the shared blob)."""
    for path in store.part_blobs(_QUERIES):
        with suppress(Exception):  # a damaged part is dropped
            preload_queries(load_queries(path.read_bytes()))
        path.unlink(missing_ok=True)


def _run_all(
    context: _Context, paths: list[Path], jobs: int | None, store: ValidationCache | None = None
) -> list[_FileOutcome]:
    workers = min(jobs or os.cpu_count() or 1, len(paths))
    if workers <= 1 or len(paths) < PARALLEL_THRESHOLD:
        return [_validate_file(context, path) for path in paths]
    chunk = max(1, len(paths) // (workers * 4))
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_init_worker, initargs=(context.settings, store)
    ) as pool:
        return list(pool.map(_validate_in_worker, paths, chunksize=chunk))


def _init_worker(settings: Settings, store: ValidationCache | None = None) -> None:
    global _WORKER, _WORKER_STORE
    _WORKER = _cached_context(settings, store)
    _WORKER_STORE = store


def _validate_in_worker(path: Path) -> _FileOutcome:
    assert _WORKER is not None, "worker not initialised"
    outcome = _validate_file(_WORKER, path)
    if _WORKER_STORE is not None:
        # the parent never sees the workers' queries: each worker writes its own blob
        _store_queries(_WORKER_STORE, f"{_QUERIES}.{os.getpid()}")
    return outcome


def _validate_file(context: _Context, path: Path) -> _FileOutcome:
    """SHACL, quotes and typing checks of one document file."""
    settings = context.settings
    shown = display_path(path, settings.root)
    try:
        with _quiet_rdflib():
            document = parse_graph(path, shown)
    except ParseError as error:
        return _FileOutcome(
            shown, parse_error=(error.location.line, error.location.column, error.detail)
        )
    index = LineIndex(path.read_text(encoding="utf-8"))
    quotes = QuoteContext(settings.root, settings.sources_dir, shown, index.line_of)
    data, own = _with_host_document(settings, path, document)
    results = run_shapes(data, context.ontology, context.shapes, file=shown, line_of=index.line_of)
    results += check_source_texts(data, quotes)
    results += check_quotes(data, quotes)
    results += check_typed(data, quotes)
    dependencies = _read_sources(data, quotes)
    if own is not None:
        results = [r for r in results if r.focus_term is None or r.focus_term in own]
        # a draft is checked merged with its document: that file is read too
        host = settings.documents_dir / path.name
        dependencies = sorted({*dependencies, display_path(host, settings.root)})
    return _FileOutcome(shown, results, _definitions(document, index), dependencies=dependencies)


def _read_sources(document: rdflib.Graph, quotes: QuoteContext) -> list[str]:
    """The source files the checks of this document read, relative to the root if inside it."""
    nodes = set(document.subjects(RDF.type, URIRef(VOCAB + "SourceText")))
    nodes |= set(document.objects(None, URIRef(VOCAB + "inSourceText")))
    nodes |= set(document.objects(None, URIRef(VOCAB + "sourceText")))
    root = quotes.root
    sources_dir = quotes.sources_dir
    shown = set()
    for node in nodes:
        path = source_file(document, node, quotes)
        if path is not None and not is_confined(path, sources_dir, root):
            # never read, not even to hash it: the entry is marked never to be reused
            shown.add(UNREAD_PREFIX + str(node))
            continue
        if path is not None:
            try:
                shown.add(str(path.resolve().relative_to(root.resolve())))
            except ValueError:
                shown.add(str(path.resolve()))
    return sorted(shown)


def _with_host_document(
    settings: Settings, path: Path, draft: rdflib.Graph
) -> tuple[rdflib.Graph, set[str] | None]:
    """A draft (graph/drafts/SLUG.ttl) is checked as if merged into its document.

    The draft refers to the document node, its source text and its study without
    describing them; merged with graph/documents/SLUG.ttl, the shapes see what the
    document would be after accepting every draft claim. Only results about the draft's
    own nodes are kept (``own``, as N3 terms): the document file reports its own.
    """
    drafts = settings.drafts_dir.resolve()
    if path.resolve().parent != drafts:
        return draft, None
    host = settings.documents_dir / path.name
    own = {subject.n3() for subject in set(draft.subjects())}
    if not host.is_file():
        return draft, own
    merged = parse_graph(host, display_path(host, settings.root))
    merged += draft
    return merged, own


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """rdflib logs a traceback for ill-typed literals (e.g. 2019-02-31); SHACL reports them."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _definitions(document: rdflib.Graph, index: LineIndex) -> dict[str, int | None]:
    line_of = index.line_of
    return {
        str(s): line_of(str(s))
        for s in set(document.subjects(RDF.type, None))
        if isinstance(s, URIRef)
    }


def _cross_document(
    settings: Settings, paths: list[Path], outcomes: list[_FileOutcome]
) -> list[ValidationResult]:
    """Same IRI defined in two documents, also against project documents not named."""
    definitions: dict[str, list[Definition]] = {}
    for outcome in outcomes:
        for iri, line in outcome.defined.items():
            definitions.setdefault(iri, []).append(Definition(outcome.file, line))
    resolver = _Resolver(settings.root)
    named = {resolver.resolve(path) for path in paths}
    for other in settings.document_files():
        if resolver.resolve(other) in named:
            continue
        shown = resolver.shown(other)
        for iri in defined_in_file(other):
            definitions.setdefault(iri, []).append(Definition(shown, None))
    return duplicate_definitions(definitions, {outcome.file for outcome in outcomes})


class _Resolver:
    """``Path.resolve`` and :func:`display_path` for many files in few folders.

    Resolving a path walks every component (a readlink per component); at 1,000
    documents that was a tenth of an incremental run. A file that is not itself a
    symlink resolves to its resolved folder plus its name, so folders are resolved once.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._folders: dict[Path, Path] = {}

    def resolve(self, path: Path) -> Path:
        if path.name in ("", ".", "..") or path.is_symlink():
            return path.resolve()
        folder = path.parent
        resolved = self._folders.get(folder)
        if resolved is None:
            resolved = self._folders[folder] = folder.resolve()
        return resolved / path.name

    def shown(self, path: Path) -> str:
        """What :func:`display_path` gives: relative to the root when inside it."""
        resolved = self.resolve(path)
        try:
            return str(resolved.relative_to(self.root))
        except ValueError:
            return str(path)


def _raise_parse_errors(outcomes: list[_FileOutcome], report: ValidationReport) -> None:
    errors = [
        ParseError(SourceLocation(outcome.file, line, column), detail)
        for outcome in outcomes
        if outcome.parse_error is not None
        for line, column, detail in [outcome.parse_error]
    ]
    if errors:
        first = errors[0]
        first.report = report
        first.errors = errors
        raise first
