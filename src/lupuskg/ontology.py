"""Load, reason over and quality-check the lupuskg ontology.

The edited source is ``ontology/lupuskg.ttl``; its OBO slice is imported through
``owl:imports`` and resolved offline by ``ontology/catalog-v001.xml``, exactly as
Protégé resolves it. HermiT runs through owlready2 (which reads no Turtle, so the
merged graph is handed over as N-Triples). The QC report follows ROBOT ``report``:
each rule is a file ``ontology/qc/<rule>-violation.rq`` (ODK style), a SPARQL query that
must return no rows; adding a rule is adding a file.
"""

from __future__ import annotations

import csv
import re
import shutil
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib.namespace import OWL, RDF

from .config import Settings
from .config import settings as project_settings
from .exceptions import InputError, OntologyError
from .namespaces import OBO, PREFIXES, curie
from .oxigraph import select
from .rdfio import display_path, parse_graph

__all__ = [
    "REFERENCE_GRAPH",
    "Level",
    "QCFinding",
    "QCRule",
    "ReasonerResult",
    "curie",
    "import_catalog",
    "load",
    "load_ontology_graph",
    "load_qc_rules",
    "qc_report",
    "qc_rules_dir",
    "read_reference_table",
    "reference_table_path",
    "resolve_imports",
    "run_hermit",
]

DEFINITION = rdflib.URIRef(OBO + "IAO_0000115")
_CATALOG_NS = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}"


# --------------------------------------------------------------------------- loading


def reference_table_path(settings: Settings) -> Path:
    """The verified OBO label table shipped with the repository (a byte copy of the shared one)."""
    return settings.root / "ontology" / "reference" / "obo-terms.tsv"


def _catalog(ontology_dir: Path) -> dict[str, Path]:
    """Import IRI -> local file, from the Protégé XML catalog next to the ontology."""
    path = ontology_dir / "catalog-v001.xml"
    if not path.is_file():
        return {}
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        raise InputError(f"{path}: malformed XML catalog: {error}") from error
    return {
        element.attrib["name"]: (ontology_dir / element.attrib["uri"]).resolve()
        for element in root.iter(f"{_CATALOG_NS}uri")
        if "name" in element.attrib and "uri" in element.attrib
    }


def import_catalog(settings: Settings) -> dict[str, Path]:
    """Import IRI (and import version IRI) -> local file, as ``catalog-v001.xml`` maps them."""
    return _catalog(settings.ontology_file.parent)


def _closure(settings: Settings) -> list[tuple[Path, rdflib.Graph]]:
    """Each file of the import closure with its graph, resolved offline through the catalog."""
    catalog = _catalog(settings.ontology_file.parent)
    loaded: list[tuple[Path, rdflib.Graph]] = []
    queue, seen = [settings.ontology_file], set()
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        graph = parse_graph(path, display_path(path, settings.root))
        loaded.append((path, graph))
        for iri in sorted(str(o) for o in graph.objects(None, OWL.imports)):
            if iri not in catalog:
                raise OntologyError(
                    f"cannot resolve owl:imports <{iri}> offline",
                    hint='add <uri name="..." uri="imports/..."/> to ontology/catalog-v001.xml',
                )
            queue.append(catalog[iri])
    return loaded


def resolve_imports(settings: Settings) -> list[Path]:
    """The ontology file followed by its import closure, as Protégé resolves it offline."""
    return [path for path, _ in _closure(settings)]


def load_ontology_graph(settings: Settings) -> rdflib.Graph:
    """The edited ontology merged with its imports, as one rdflib graph."""
    if not settings.ontology_file.is_file():
        raise InputError(f"missing ontology file {settings.ontology_file}")
    merged = rdflib.Graph(bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        merged.bind(prefix, iri)
    for _, graph in _closure(settings):
        merged += graph
    return merged


def load(settings: Settings | None = None, world: Any = None) -> Any:
    """The ontology as an owlready2 ``Ontology``, with its imports resolved offline.

    owlready2 reads no Turtle and fetches ``owl:imports`` from the web unless
    ``owlready2.onto_path`` holds a file of the right name. Here each file of the import
    closure (found through ``catalog-v001.xml``) is converted to N-Triples and loaded
    under its own ontology IRI, imports first, so owlready2 finds every import already
    loaded and never goes online. ``world`` defaults to a fresh ``owlready2.World()``.
    """

    import owlready2

    settings = settings or project_settings()
    world = world if world is not None else owlready2.World()
    closure = _closure(settings)
    ontology = None
    with tempfile.TemporaryDirectory(prefix="lupuskg-owl-") as folder:
        for index, (path, graph) in reversed(list(enumerate(closure))):
            iri = next(iter(sorted(str(s) for s in graph.subjects(RDF.type, OWL.Ontology))), None)
            if iri is None:
                raise OntologyError(f"{path}: no owl:Ontology header, so it cannot be imported")
            nt = Path(folder) / f"{index}.nt"
            graph.serialize(destination=nt, format="nt", encoding="utf-8")
            with nt.open("rb") as handle:
                ontology = world.get_ontology(iri).load(fileobj=handle, format="ntriples")
    return ontology


# --------------------------------------------------------------------------- reasoning


@dataclass(frozen=True)
class ReasonerResult:
    """What HermiT said. ``consistent`` is meaningful only when ``java_missing`` is False."""

    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    seconds: float = 0.0
    java_missing: bool = False


def _owl_input(graph: rdflib.Graph, folder: Path) -> Path:
    """N-Triples for owlready2, without owl:imports (already merged; never fetch the web)."""
    flat = rdflib.Graph()
    for triple in graph:
        if triple[1] != OWL.imports:
            flat.add(triple)
    path = folder / "lupuskg-merged.nt"
    flat.serialize(destination=path, format="nt", encoding="utf-8")
    return path


def run_hermit(settings: Settings, graph: rdflib.Graph | None = None) -> ReasonerResult:
    """Classify the merged ontology with HermiT in an isolated owlready2 World.

    HermiT is deliberately *not* told to ignore unsupported datatypes: Protégé's HermiT
    does not ignore them either, so a datatype outside the OWL 2 map (xsd:gYear,
    xsd:date, ...) in a logical axiom must fail here too (QC rule non_owl2_datatype
    names it without Java).
    """
    java = shutil.which("java")
    if java is None:
        return ReasonerResult(consistent=False, java_missing=True)
    import owlready2

    graph = graph if graph is not None else load_ontology_graph(settings)
    owlready2.JAVA_EXE = java
    with tempfile.TemporaryDirectory(prefix="lupuskg-hermit-") as folder:
        world = owlready2.World()
        world.get_ontology(_owl_input(graph, Path(folder)).as_uri()).load()
        started = time.perf_counter()
        try:
            owlready2.sync_reasoner(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return ReasonerResult(False, [], time.perf_counter() - started)
        except owlready2.OwlReadyJavaError as error:
            raise OntologyError(f"HermiT failed: {_java_reason(str(error))}") from error
        seconds = time.perf_counter() - started
        unsatisfiable = sorted(
            cls.iri for cls in world.inconsistent_classes() if cls.iri != str(OWL.Nothing)
        )
    return ReasonerResult(True, unsatisfiable, seconds)


def _java_reason(output: str) -> str:
    """The informative part of a Java stack trace, e.g. which datatype HermiT refused."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for index, line in enumerate(lines):
        if "Exception" in line and not line.startswith("at "):
            detail = " ".join(lines[index : index + 5])
            return detail.split(" at ", 1)[0]
    return lines[-1] if lines else "no output"


# --------------------------------------------------------------------------- QC report


class Level(StrEnum):
    """Severity of a QC finding, as in ROBOT report; only ERROR fails the check."""

    ERROR = "ERROR"
    WARN = "WARN"
    INFO = "INFO"


_SEVERITY = {Level.ERROR: 0, Level.WARN: 1, Level.INFO: 2}


@dataclass(frozen=True)
class QCFinding:
    """One violation: its level, rule id (ROBOT naming), subject IRI and a fix-oriented message."""

    level: Level
    rule: str
    subject: str
    message: str


def read_reference_table(path: Path) -> dict[str, tuple[str, str]]:
    """IRI -> (label, confidence) from obo-terms.tsv."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
    except OSError as error:
        raise InputError(
            f"{path}: cannot read the OBO reference table: {error.strerror}"
        ) from error
    return {row["iri"]: (row["label"], row["confidence"]) for row in rows}


#: the named graph that holds ontology/reference/obo-terms.tsv while the QC queries run
REFERENCE_GRAPH = "urn:lupuskg:obo-terms.tsv"
#: its columns as predicates: <iri> table:label "label" ; table:confidence "verified"
_TABLE = "urn:lupuskg:obo-terms.tsv#"
_SUFFIX = "-violation.rq"
_CHECKOUT_RULES = Path(__file__).resolve().parents[2] / "ontology" / "qc"
_LEVEL_LINE = re.compile(r"^# level: (ERROR|WARN|INFO)$", re.MULTILINE)
_IRI_IN_MESSAGE = re.compile(r"<([^<>\s]+)>")


@dataclass(frozen=True)
class QCRule:
    """One ``ontology/qc/<rule>-violation.rq`` file: a SELECT that must return no rows.

    The file starts with a one-line ``#`` comment saying what the rule requires, then
    ``# level: ERROR|WARN|INFO``. The query selects ``?subject`` (what the finding is about)
    and ``?message`` (how to fix it; an ``<IRI>`` in it is shown as a CURIE). It runs on the
    merged ontology as the default graph, with obo-terms.tsv in the graph
    ``<urn:lupuskg:obo-terms.tsv>``.
    """

    id: str
    level: Level
    description: str
    sparql: str
    path: Path


def qc_rules_dir(settings: Settings) -> Path:
    """Where the QC rules live: adding a rule is adding a file there.

    A project's own ``ontology/qc/``; a project without one (a scratch copy of just an
    ontology) is checked by the rules of the lupuskg checkout.
    """
    own = settings.root / "ontology" / "qc"
    return own if own.is_dir() else _CHECKOUT_RULES


def load_qc_rules(folder: Path) -> dict[str, QCRule]:
    """Every ``*-violation.rq`` in ``folder``, by rule id (the file name without the suffix)."""
    rules = {}
    for path in sorted(folder.glob("*" + _SUFFIX)):
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise InputError(f"{path}: cannot read the QC rule: {error.strerror}") from error
        first = text.splitlines()[0] if text else ""
        level = _LEVEL_LINE.search(text)
        if not first.startswith("# ") or level is None:
            raise InputError(
                f"{path}: a QC rule starts with a one-line '# ...' comment and has a "
                "'# level: ERROR|WARN|INFO' line"
            )
        rule_id = path.name.removesuffix(_SUFFIX)
        rules[rule_id] = QCRule(rule_id, Level(level.group(1)), first[2:], text, path)
    if not rules:
        raise InputError(f"no QC rules (*{_SUFFIX}) in {folder}")
    return rules


def __getattr__(name: str) -> Any:
    # QC_RULES: the current project's rules, read from ontology/qc/ on first use
    if name == "QC_RULES":
        return load_qc_rules(qc_rules_dir(project_settings()))
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _qc_store(graph: rdflib.Graph, table: dict[str, tuple[str, str]]) -> ox.Store:
    """The ontology as the default graph and the reference table as a named graph, in memory.

    The rules run on pyoxigraph: rdflib's SPARQL engine took ~15 times as long for the same
    answers on the merged ontology.
    """
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    reference = ox.NamedNode(REFERENCE_GRAPH)
    label, confidence = ox.NamedNode(_TABLE + "label"), ox.NamedNode(_TABLE + "confidence")
    store.extend(
        quad
        for iri, (name, level) in sorted(table.items())
        for quad in (
            ox.Quad(ox.NamedNode(iri), label, ox.Literal(name), reference),
            ox.Quad(ox.NamedNode(iri), confidence, ox.Literal(level), reference),
        )
    )
    return store


def _findings(store: ox.Store, rule: QCRule) -> list[QCFinding]:
    try:
        rows = select(store, rule.sparql)
    except SyntaxError as error:
        raise InputError(f"{rule.path}: malformed SPARQL: {error}") from error
    return [
        QCFinding(
            rule.level,
            rule.id,
            row["subject"].value,
            _IRI_IN_MESSAGE.sub(lambda iri: curie(iri.group(1)), row["message"].value),
        )
        for row in rows
    ]


def qc_report(graph: rdflib.Graph, reference: Path | Settings) -> list[QCFinding]:
    """Run every QC rule of ``ontology/qc/``; findings sorted by level, rule and subject.

    ``reference`` is the project settings (rules and the obo-terms.tsv shipped in
    ``ontology/``), or an obo-terms.tsv path (rules of the current project).
    """
    settings = reference if isinstance(reference, Settings) else project_settings()
    path = reference_table_path(reference) if isinstance(reference, Settings) else reference
    store = _qc_store(graph, read_reference_table(path))
    rules = load_qc_rules(qc_rules_dir(settings))
    findings = {finding for rule in rules.values() for finding in _findings(store, rule)}
    return sorted(findings, key=lambda f: (_SEVERITY[f.level], f.rule, f.subject, f.message))


# --------------------------------------------------------------------------- display
