"""A versioned, reproducible release bundle for linked-data hubs.

``dist/lupuskg-<version>/`` holds the ontology (Turtle, RDF/XML, import modules), the
shapes, the data (TriG with one graph per document, merged Turtle, N-Triples, JSON-LD
and the claims as nanopublications), the canned queries (a sparql-examples graph and
``.rq`` files), HTML documentation of the ontology (pyLODE), ``CHANGES.md`` against a
previous release, ``void.ttl`` (VoID + DCAT, describing every other file) and
``SHA256SUMS``. Nothing depends on the wall clock or on the order files are found, so
two releases of the same data are byte-identical. The bundle is written to a staging
folder and renamed into place, so a failed release never leaves half a bundle.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib

from .config import Settings
from .dataset import load_graphs
from .exceptions import BuildError, InputError
from .files import write_file
from .namespaces import GRAPH, PREFIXES
from .nanopubs import build_nanopubs, nanopubs_trig
from .queries import catalog, self_contained
from .rdfio import parse_graph
from .serialization import (
    canonical_graph,
    canonical_turtle,
    canonical_turtle_with,
    jsonld_context,
    merge,
    serialize,
    to_oxigraph,
)
from .store import open_store
from .synthesis.gapmap import build_map, write_map
from .synthesis.progress import ProgressHook
from .void import VOID_PREFIXES, DistributionFile, describe, release_date

__all__ = [
    "RELEASE_STEPS",
    "GraphChange",
    "ReleaseResult",
    "changes_markdown",
    "diff_graphs",
    "query_files",
    "read_trig",
    "write_release",
]

#: most triples CHANGES.md lists per graph and direction (counts are always complete)
CHANGES_LISTED = 200
_SH = PREFIXES["sh"]
_QUERY_KEYS = ("select", "ask", "construct", "describe")


@dataclass(frozen=True)
class GraphChange:
    """Added and removed triples of one named graph, as sorted N-Triples lines."""

    graph: str
    added: list[str]
    removed: list[str]


@dataclass
class ReleaseResult:
    """Where the bundle is and what it holds."""

    directory: Path
    version: str
    files: list[DistributionFile] = field(default_factory=list)
    nanopubs: int = 0
    triples: int = 0
    changes: list[GraphChange] | None = None

    @property
    def bytes(self) -> int:
        return sum(f.bytes for f in self.files)


#: the steps write_release reports, in order (each as ``progress(step, done, total)``)
RELEASE_STEPS = (
    "reading the build",
    "ontology and shapes",
    "data dumps",
    "nanopublications",
    "queries",
    "ontology documentation",
    "evidence map",
    "CHANGES.md",
    "VoID",
    "checksums",
)


def write_release(
    settings: Settings,
    out_dir: Path | None = None,
    *,
    previous: Path | None = None,
    endpoint_url: str | None = None,
    progress: ProgressHook | None = None,
) -> ReleaseResult:
    """Write ``<out_dir>/lupuskg-<version>/`` from the built store and return what it holds.

    ``progress`` is called as ``progress(step, done, total)`` for each of
    :data:`RELEASE_STEPS` (``done`` 0 when it starts, ``total`` when it ends; the data dumps
    count their four files); nothing is printed.
    """
    report = progress or (lambda _step, _done, _total: None)
    out_dir = Path(out_dir or settings.release_dir)
    report(RELEASE_STEPS[0], 0, 1)
    graphs = load_graphs(settings)
    released = release_date(settings, graphs)
    old = read_trig(_previous_trig(previous)) if previous is not None else None
    report(RELEASE_STEPS[0], 1, 1)
    final = out_dir / f"lupuskg-{settings.version}"
    staging = out_dir / f".lupuskg-{settings.version}.staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)

    def step(name: str, work: Callable[[], Any]) -> Any:
        report(name, 0, 1)
        done = work()
        report(name, 1, 1)
        return done

    try:
        step("ontology and shapes", lambda: _write_ontology(settings, staging))
        _write_data(graphs, staging, report)
        nanopubs = step("nanopublications", lambda: _write_nanopubs(graphs, released, staging))
        step("queries", lambda: _write_queries(settings, staging))
        step("ontology documentation", lambda: _write_docs(settings, staging))
        step(  # lupuskg.synthesis
            "evidence map", lambda: write_map(build_map(open_store(settings)), staging / "map")
        )
        report("CHANGES.md", 0, 1)
        changes = diff_graphs(old, graphs) if old is not None else None
        _write(staging / "CHANGES.md", changes_markdown(settings.version, changes, previous))
        report("CHANGES.md", 1, 1)
        report("VoID", 0, 1)
        files = _inventory(staging)
        void = describe(settings, graphs, files, released=released, endpoint_url=endpoint_url)
        _write(staging / "void.ttl", canonical_turtle_with(void, VOID_PREFIXES))
        report("VoID", 1, 1)
        report("checksums", 0, 1)
        files = _inventory(staging)
        sums = "".join(f"{f.sha256}  {f.path}\n" for f in files)
        _write(staging / "SHA256SUMS", sums)
        _swap_into_place(staging, final)
        report("checksums", 1, 1)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return ReleaseResult(
        directory=final,
        version=settings.version,
        files=_inventory(final),
        nanopubs=len(nanopubs),
        triples=len(merge(graphs.values())),
        changes=changes,
    )


def _write_nanopubs(graphs: Mapping[str, rdflib.Graph], released: date, root: Path) -> list[Any]:
    nanopubs = build_nanopubs(graphs, created=released)
    _write(root / "data" / "lupuskg-nanopubs.trig", nanopubs_trig(nanopubs))
    return nanopubs


def _write(path: Path, content: str | bytes) -> None:
    write_file(path, content)  # OutputError on a full disk or a read-only release-dir


def _inventory(root: Path) -> list[DistributionFile]:
    """Every file of a bundle, sorted by path, with size and checksum."""
    files = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        relative = path.relative_to(root).as_posix()
        files.append(DistributionFile(relative, len(data), hashlib.sha256(data).hexdigest()))
    return files


def _swap_into_place(staging: Path, final: Path) -> None:
    """Replace an older bundle of the same version with the new one."""
    old = final.with_name(final.name + f".old-{os.getpid()}")
    if final.exists():
        os.replace(final, old)
    os.replace(staging, final)
    shutil.rmtree(old, ignore_errors=True)


def _write_ontology(settings: Settings, root: Path) -> None:
    """The edited ontology as canonical Turtle and RDF/XML, its import modules and shapes."""
    ontology = parse_graph(settings.ontology_file)
    _write(root / "ontology" / "lupuskg.ttl", canonical_turtle(ontology))
    _write(root / "ontology" / "lupuskg.owl", serialize({"": ontology}, "rdfxml"))
    for path in sorted(settings.imports_dir.glob("*.ttl")):
        module = parse_graph(path)
        _write(root / "ontology" / "imports" / path.name, canonical_turtle(module))
        _write(
            root / "ontology" / "imports" / (path.stem + ".owl"), serialize({"": module}, "rdfxml")
        )
    catalog = settings.root / "ontology" / "catalog-v001.xml"
    if catalog.is_file():
        _write(root / "ontology" / catalog.name, catalog.read_bytes())
    for shapes in (settings.shapes_file, settings.void_shapes_file):
        if shapes.is_file():
            _write(root / "shapes" / shapes.name, canonical_turtle(parse_graph(shapes)))


def _write_data(graphs: Mapping[str, rdflib.Graph], root: Path, report: ProgressHook) -> None:
    dumps = (
        ("trig", "lupuskg.trig"),
        ("ttl", "lupuskg.ttl"),
        ("nt", "lupuskg.nt"),
        ("jsonld", "lupuskg.jsonld"),
    )
    report("data dumps", 0, len(dumps))
    for done, (fmt, name) in enumerate(dumps, start=1):
        _write(root / "data" / name, serialize(graphs, fmt))
        report("data dumps", done, len(dumps))
    context = json.dumps(
        {"@context": jsonld_context()}, indent=2, sort_keys=True, ensure_ascii=False
    )
    _write(root / "data" / "context.jsonld", context + "\n")


def query_files(settings: Settings) -> tuple[rdflib.Graph, dict[str, str], dict[str, str]]:
    """The canned queries: merged sparql-examples graph, extra prefixes, and ``name.rq`` texts."""
    merged = rdflib.Graph(bind_namespaces="none")
    prefixes: dict[str, str] = {}
    texts: dict[str, str] = {}
    known = set(PREFIXES.values())
    for path in sorted(settings.queries_dir.glob("*.ttl")):
        graph = parse_graph(path)
        for name, iri in sorted(graph.namespaces()):
            if str(iri) not in known and name and name not in PREFIXES:
                prefixes.setdefault(name, str(iri))
        for triple in graph:
            merged.add(triple)
        texts.update(_query_texts(graph, path.stem))
    for path in sorted(settings.queries_dir.glob("*.rq")):
        texts.setdefault(path.stem, path.read_text(encoding="utf-8"))
    return merged, prefixes, texts


def _query_texts(graph: rdflib.Graph, stem: str) -> dict[str, str]:
    """SPARQL text of each executable in one file; named after the file when it holds one."""
    found: list[tuple[str, str]] = []
    for key in _QUERY_KEYS:
        for subject, text in graph.subject_objects(rdflib.URIRef(_SH + key)):
            local = str(subject).rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            found.append((local, str(text)))
    if len(found) == 1:
        return {stem: found[0][1].rstrip("\n") + "\n"}
    return {local: text.rstrip("\n") + "\n" for local, text in sorted(found)}


def _write_queries(settings: Settings, root: Path) -> None:
    """queries.ttl (the sparql-examples graph) and one self-contained ``.rq`` per query."""
    merged, prefixes, texts = query_files(settings)
    if len(merged):
        _write(root / "queries" / "queries.ttl", canonical_turtle_with(merged, prefixes))
    canned = list(catalog(settings).values())
    by_name = {query.id: query for query in canned}
    for query in canned:
        if sum(other.path == query.path for other in canned) == 1:
            by_name[query.path.stem] = query
    for name, text in sorted(texts.items()):
        found = by_name.get(name)
        _write(root / "queries" / f"{name}.rq", self_contained(found) if found else text)


def _write_docs(settings: Settings, root: Path) -> None:
    """pyLODE HTML of the ontology and its import modules, plus the JSON-LD context table."""
    graph = rdflib.Graph()
    for path in [settings.ontology_file, *sorted(settings.imports_dir.glob("*.ttl"))]:
        module = parse_graph(path)
        if path != settings.ontology_file:
            module.remove((None, rdflib.RDF.type, rdflib.OWL.Ontology))
        for triple in module:
            graph.add(triple)
    _write(root / "docs" / "index.html", _pylode_html(graph))
    _write(root / "docs" / "jsonld-context.md", _context_markdown())


#: run in a child process with a fixed hash seed: pyLODE iterates Python sets while writing
_PYLODE = """
import sys, warnings
warnings.simplefilter("ignore")
import rdflib
from rdflib.compare import to_canonical_graph
import pylode.utils
from pylode import OntPub

_intersperse = pylode.utils.intersperse


def _ordered_intersperse(items, sep):
    # pyLODE collects union/intersection members in a set of HTML elements (id order)
    if isinstance(items, (set, frozenset)):
        items = sorted(items, key=str)
    return _intersperse(items, sep)


pylode.utils.intersperse = _ordered_intersperse
parsed = rdflib.Graph()
parsed.parse(data=sys.stdin.buffer.read(), format="nt")
graph = rdflib.Graph()
for triple in sorted(to_canonical_graph(parsed), key=lambda t: tuple(x.n3() for x in t)):
    graph.add(triple)
sys.stdout.buffer.write(OntPub(ontology=graph, sort_subjects=True).make_html().encode("utf-8"))
"""


def _pylode_html(graph: rdflib.Graph) -> bytes:
    """pyLODE's HTML, made reproducible.

    pyLODE lists some values in Python set order (hash seed, blank-node labels, object
    ids), so it runs in a child process with PYTHONHASHSEED=0, on a canonical graph fed as
    sorted N-Triples, with its union/intersection member sets sorted by their HTML.
    The child's logging stays in its stderr.
    """
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    try:
        done = subprocess.run(
            [sys.executable, "-c", _PYLODE],
            input=serialize({"": graph}, "nt"),
            capture_output=True,
            env=env,
            timeout=600,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise BuildError("pyLODE took more than 10 minutes") from error
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        raise BuildError(
            f"pyLODE could not document the ontology: {detail[0]}",
            hint="check `python -c 'import pylode'` (pin pylode>=3.3,<3.4) and the ontology header",
        )
    return done.stdout


def _context_markdown() -> str:
    """Human documentation of the JSON-LD @context: one row per term."""
    context = jsonld_context()
    rows = [
        "# JSON-LD context of lupuskg",
        "",
        "`data/context.jsonld` is the `@context` embedded in",
        "`data/lupuskg.jsonld`: our prefix map plus short aliases for our classes and",
        'properties. Properties whose values are IRIs are coerced with `"@type": "@id"`.',
        "No remote context is ever referenced.",
        "",
        "| term | IRI | values |",
        "|---|---|---|",
    ]
    for term, value in sorted(context.items()):
        iri = value if isinstance(value, str) else value["@id"]
        kind = "prefix" if iri in PREFIXES.values() else ("IRI" if isinstance(value, dict) else "")
        rows.append(f"| `{term}` | `{iri}` | {kind} |")
    return "\n".join(rows) + "\n"


def _previous_trig(previous: Path) -> Path:
    """The data TriG of a previous release: the bundle folder, its data file, or a dist folder."""
    if previous.is_file():
        return previous
    direct = previous / "data" / "lupuskg.trig"
    if direct.is_file():
        return direct
    found = sorted(previous.glob("lupuskg-*/data/lupuskg.trig"))
    if len(found) == 1:
        return found[0]
    raise InputError(
        f"{previous}: no previous release found (expected data/lupuskg.trig)",
        hint="pass the folder of one release, e.g. dist/lupuskg-<version>",
    )


def read_trig(path: Path) -> dict[str, rdflib.Graph]:
    """A TriG file as graphs by IRI."""
    dataset = rdflib.Dataset()
    dataset.parse(path, format="trig")
    graphs = {}
    for context in dataset.graphs():
        if len(context) and context.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID:
            graph = rdflib.Graph(bind_namespaces="none")
            for triple in context:
                graph.add(triple)
            graphs[str(context.identifier)] = graph
    return graphs


def diff_graphs(
    old: Mapping[str, rdflib.Graph], new: Mapping[str, rdflib.Graph]
) -> list[GraphChange]:
    """Per-graph added/removed triples, blank nodes compared by their canonical labels."""

    changes = []
    for iri in sorted(set(old) | set(new)):
        before = _lines(canonical_graph(old[iri], iri), to_oxigraph) if iri in old else set()
        after = _lines(canonical_graph(new[iri], iri), to_oxigraph) if iri in new else set()
        changes.append(GraphChange(iri, sorted(after - before), sorted(before - after)))
    return changes


def _lines(graph: rdflib.Graph, convert: Callable[[Any], Any]) -> set[str]:
    return {str(ox.Triple(*(convert(t) for t in triple))) + " ." for triple in graph}


def changes_markdown(version: str, changes: list[GraphChange] | None, previous: Path | None) -> str:
    """CHANGES.md: counts per graph, then the triples themselves (capped per graph)."""
    lines = [f"# Changes in lupuskg {version}", ""]
    if changes is None:
        return "\n".join([*lines, "No previous release was given, so nothing is compared.", ""])
    lines += [f"Compared with the previous release `{previous.name if previous else ''}`.", ""]
    lines += ["| graph | added | removed |", "|---|---:|---:|"]
    for change in changes:
        lines.append(f"| {_short(change.graph)} | {len(change.added)} | {len(change.removed)} |")
    total_added = sum(len(c.added) for c in changes)
    total_removed = sum(len(c.removed) for c in changes)
    lines += [f"| **all** | {total_added} | {total_removed} |", ""]
    for change in changes:
        for label, triples in (("added", change.added), ("removed", change.removed)):
            if triples:
                lines += [f"## {_short(change.graph)}: {label}", "", "```"]
                lines += triples[:CHANGES_LISTED]
                lines.append("```")
                if len(triples) > CHANGES_LISTED:
                    lines.append(f"... and {len(triples) - CHANGES_LISTED} more")
                lines.append("")
    return "\n".join(lines)


def _short(iri: str) -> str:
    return iri.removeprefix(GRAPH) if iri.startswith(GRAPH) else iri
