"""Load, reason over and quality-check the lupuskg ontology.

The edited source is ``ontology/lupuskg.ttl``; its OBO slice is imported through
``owl:imports`` and resolved offline by ``ontology/catalog-v001.xml``, exactly as
Protégé resolves it. HermiT runs through owlready2 (which reads no Turtle, so the
merged graph is handed over as N-Triples). The QC report follows ROBOT ``report``:
each rule is a small SPARQL "violation" query (ODK style) that must return no rows.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import rdflib
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.query import ResultRow

from .config import Settings
from .exceptions import InputError, OntologyError
from .namespaces import OBO, PREFIXES, VOCAB, XSD, curie
from .rdfio import display_path, parse_graph

__all__ = [
    "OWL2_DATATYPES",
    "QC_RULES",
    "Level",
    "QCFinding",
    "ReasonerResult",
    "curie",
    "load",
    "load_ontology_graph",
    "qc_report",
    "read_reference_table",
    "reference_table_path",
    "resolve_imports",
    "run_hermit",
]

DEFINITION = rdflib.URIRef(OBO + "IAO_0000115")
_CATALOG_NS = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}"
_BUILTIN_NAMESPACES = (str(RDF), str(RDFS), str(OWL), XSD)
_DECLARATION_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
    RDFS.Datatype,
)
#: annotation properties built into OWL 2; their objects are not "uses" of a term
_BUILTIN_ANNOTATIONS = frozenset(
    {
        RDFS.label,
        RDFS.comment,
        RDFS.seeAlso,
        RDFS.isDefinedBy,
        OWL.deprecated,
        OWL.versionInfo,
        OWL.versionIRI,
        OWL.priorVersion,
        OWL.backwardCompatibleWith,
        OWL.incompatibleWith,
        OWL.imports,
    }
)


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

    from .config import settings as project_settings

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


_PREFIX_BLOCK = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX obo: <http://purl.obolibrary.org/obo/>
"""

#: own (lkg:) terms: declared entities in our vocabulary namespace
_OWN_TERMS = """
  VALUES ?type { owl:Class owl:ObjectProperty owl:DatatypeProperty
                 owl:AnnotationProperty owl:NamedIndividual }
  ?term a ?type .
  FILTER(isIRI(?term) && STRSTARTS(STR(?term), ?own))
  FILTER NOT EXISTS { ?term owl:deprecated ?deprecated FILTER(STR(?deprecated) = "true") }
"""

MISSING_LABEL = (
    _PREFIX_BLOCK
    + "SELECT DISTINCT ?term WHERE {"
    + _OWN_TERMS
    + "FILTER NOT EXISTS { ?term rdfs:label ?label } }"
)

MISSING_DEFINITION = (
    _PREFIX_BLOCK
    + "SELECT DISTINCT ?term WHERE {"
    + _OWN_TERMS
    + "FILTER NOT EXISTS { ?term obo:IAO_0000115 ?definition } }"
)

MULTIPLE_LABELS = (
    _PREFIX_BLOCK
    + "SELECT ?term (COUNT(DISTINCT ?label) AS ?n) WHERE {"
    + _OWN_TERMS
    + "?term rdfs:label ?label } GROUP BY ?term LANG(?label) HAVING (COUNT(DISTINCT ?label) > 1)"
)

LOWERCASE_DEFINITION = (
    _PREFIX_BLOCK
    + "SELECT DISTINCT ?term ?definition WHERE {"
    + _OWN_TERMS
    + "?term obo:IAO_0000115 ?definition"
    + ' FILTER(REGEX(STR(?definition), "^[a-z]")) }'
)

DUPLICATE_LABEL = (
    _PREFIX_BLOCK
    + """
SELECT ?key (GROUP_CONCAT(DISTINCT STR(?term); separator=" ") AS ?terms) WHERE {
  ?term rdfs:label ?label .
  FILTER(isIRI(?term))
  FILTER NOT EXISTS { ?term owl:deprecated ?deprecated FILTER(STR(?deprecated) = "true") }
  BIND(LCASE(STR(?label)) AS ?key)
}
GROUP BY ?key
HAVING (COUNT(DISTINCT ?term) > 1)
"""
)

DEPRECATED_IN_USE = (
    _PREFIX_BLOCK
    + """
SELECT DISTINCT ?term ?user WHERE {
  ?term owl:deprecated ?deprecated FILTER(STR(?deprecated) = "true")
  { ?user ?p ?term } UNION { ?user ?term ?value BIND(?term AS ?p) }
  FILTER(?user != ?term)
  FILTER(?p NOT IN (rdfs:label, rdfs:comment, rdfs:seeAlso, rdfs:isDefinedBy, owl:deprecated))
  FILTER NOT EXISTS { ?p a owl:AnnotationProperty }
}
"""
)


def _rows(graph: rdflib.Graph, query: str, **bindings: rdflib.term.Identifier) -> list[ResultRow]:
    """The solutions of a SELECT query (rdflib types a result row as a triple, bool or row)."""
    return [row for row in graph.query(query, initBindings=bindings) if isinstance(row, ResultRow)]


def _own(graph: rdflib.Graph, query: str) -> list[ResultRow]:
    return _rows(graph, query, own=rdflib.Literal(VOCAB))


def missing_label(graph: rdflib.Graph, reference: dict[str, tuple[str, str]]) -> list[QCFinding]:
    """Every own term needs a label (ROBOT: ERROR): users and Protégé show nothing else."""
    return [
        QCFinding(Level.ERROR, "missing_label", str(row.term), "add an rdfs:label (@en)")
        for row in _own(graph, MISSING_LABEL)
    ]


def missing_definition(
    graph: rdflib.Graph, reference: dict[str, tuple[str, str]]
) -> list[QCFinding]:
    """Every own term needs an IAO:0000115 definition.

    ROBOT reports this as WARN, because large community ontologies accept terms whose
    definitions lag behind. lupuskg makes it an ERROR: issue 2 requires every own term
    to be defined, our terms are few, and a curator choosing between e.g. "procedure
    risk" and "adverse event" needs the definition to pick the right one.
    """
    return [
        QCFinding(
            Level.ERROR,
            "missing_definition",
            str(row.term),
            "add an obo:IAO_0000115 genus-differentia definition (@en)",
        )
        for row in _own(graph, MISSING_DEFINITION)
    ]


def multiple_labels(graph: rdflib.Graph, reference: dict[str, tuple[str, str]]) -> list[QCFinding]:
    """An own term must have one label per language (ROBOT: ERROR); use synonyms for the rest."""
    return [
        QCFinding(
            Level.ERROR,
            "multiple_labels",
            str(row.term),
            f"{row.n} labels in one language; keep one, move the others to oboInOwl synonyms",
        )
        for row in _own(graph, MULTIPLE_LABELS)
    ]


def lowercase_definition(
    graph: rdflib.Graph, reference: dict[str, tuple[str, str]]
) -> list[QCFinding]:
    """Definitions are sentences (ROBOT: INFO): start with a capital letter."""
    return [
        QCFinding(Level.INFO, "lowercase_definition", str(row.term), "capitalise the definition")
        for row in _own(graph, LOWERCASE_DEFINITION)
    ]


def duplicate_label(graph: rdflib.Graph, reference: dict[str, tuple[str, str]]) -> list[QCFinding]:
    """Two terms must not share a label (ROBOT: ERROR); compared case-insensitively.

    Case is ignored because users search case-insensitively: our "proteinuria" next to
    HP's "Proteinuria" would make a label lookup ambiguous.
    """
    findings = []
    for row in _rows(graph, DUPLICATE_LABEL):
        terms = sorted(str(row.terms).split(" "))
        for term in terms:
            others = ", ".join(curie(other) for other in terms if other != term)
            findings.append(
                QCFinding(
                    Level.ERROR,
                    "duplicate_label",
                    term,
                    f"label {str(row.key)!r} is also used by {others}; make the labels distinct",
                )
            )
    return findings


def _declared(graph: rdflib.Graph) -> set[rdflib.term.Node]:
    """IRIs that have any rdf:type: OWL declarations, ontologies and typed individuals."""
    return {
        subject for subject in graph.subjects(RDF.type, None) if isinstance(subject, rdflib.URIRef)
    }


def _used(graph: rdflib.Graph, annotation_properties: set[rdflib.term.Node]) -> set[rdflib.URIRef]:
    """IRIs that an axiom mentions: subjects, predicates, and objects of non-annotation triples."""
    used: set[rdflib.URIRef] = set()
    for subject, predicate, value in graph:
        if isinstance(predicate, rdflib.URIRef):
            used.add(predicate)
        if isinstance(subject, rdflib.URIRef):
            used.add(subject)
        annotation = predicate in annotation_properties or predicate in _BUILTIN_ANNOTATIONS
        if isinstance(value, rdflib.URIRef) and not annotation:
            used.add(value)
    return {iri for iri in used if not str(iri).startswith(_BUILTIN_NAMESPACES)}


def undeclared_term(graph: rdflib.Graph, reference: dict[str, tuple[str, str]]) -> list[QCFinding]:
    """A term used in an axiom must be declared (ROBOT/OWL API: ERROR), or OWL 2 DL breaks.

    This catches typos in IRIs (``lkg:UCMSCTherpy``) and OBO terms used without being
    added to the import module.
    """
    annotation_properties = set(graph.subjects(RDF.type, OWL.AnnotationProperty))
    undeclared = _used(graph, annotation_properties) - _declared(graph)
    hint = "declare it (a owl:Class / owl:ObjectProperty / ...) or fix the IRI"
    if any(str(iri).startswith(OBO) for iri in undeclared):
        hint += "; OBO terms go in ontology/imports/obo-import.ttl"
    return [
        QCFinding(Level.ERROR, "undeclared_term", str(iri), f"used but not declared: {hint}")
        for iri in sorted(undeclared)
    ]


def _obo_terms(graph: rdflib.Graph) -> set[str]:
    terms = set()
    for triple in graph:
        for node in triple:
            if isinstance(node, rdflib.URIRef) and str(node).startswith(OBO):
                terms.add(str(node))
    return terms


def obo_label_mismatch(
    graph: rdflib.Graph, reference: dict[str, tuple[str, str]]
) -> list[QCFinding]:
    """A reused OBO term carries exactly the label its source ontology gives it (ERROR).

    We never re-label other ontologies' terms: a different label means either a typo or
    the wrong IRI, and both mislead everyone who federates with the source.
    """
    findings = []
    for iri in sorted(_obo_terms(graph)):
        if iri not in reference:
            continue
        expected = reference[iri][0]
        labels = sorted(str(label) for label in graph.objects(rdflib.URIRef(iri), RDFS.label))
        if expected not in labels:
            found = ", ".join(repr(label) for label in labels) or "no label"
            findings.append(
                QCFinding(
                    Level.ERROR,
                    "obo_label_mismatch",
                    iri,
                    f"has {found}; the reference table says {expected!r}",
                )
            )
    return findings


def unverified_obo_term(
    graph: rdflib.Graph, reference: dict[str, tuple[str, str]]
) -> list[QCFinding]:
    """Only OBO IRIs verified in the reference table may be used (ERROR): no guessed IDs."""
    findings = []
    for iri in sorted(_obo_terms(graph)):
        if iri not in reference:
            message = "not in ontology/reference/obo-terms.tsv; verify it and add a row"
        elif reference[iri][1] == "unverified":
            message = "marked unverified in obo-terms.tsv; verify it or use another term"
        else:
            continue
        findings.append(QCFinding(Level.ERROR, "unverified_obo_term", iri, message))
    return findings


def deprecated_term_in_use(
    graph: rdflib.Graph, reference: dict[str, tuple[str, str]]
) -> list[QCFinding]:
    """A deprecated term still referenced by another axiom (ROBOT: WARN): replace the reference."""
    findings = []
    for row in _rows(graph, DEPRECATED_IN_USE):
        user = curie(str(row.user)) if isinstance(row.user, rdflib.URIRef) else "an anonymous axiom"
        findings.append(
            QCFinding(
                Level.WARN,
                "deprecated_term_in_use",
                str(row.term),
                f"deprecated but still used by {user}; point it at the replacement term",
            )
        )
    return findings


#: the OWL 2 datatype map (OWL 2 Syntax section 4); HermiT supports these and only these
OWL2_DATATYPES = frozenset(
    [
        *(
            "http://www.w3.org/2001/XMLSchema#" + name
            for name in [
                "decimal",
                "integer",
                "nonNegativeInteger",
                "nonPositiveInteger",
                "positiveInteger",
                "negativeInteger",
                "long",
                "int",
                "short",
                "byte",
                "unsignedLong",
                "unsignedInt",
                "unsignedShort",
                "unsignedByte",
                "double",
                "float",
                "string",
                "normalizedString",
                "token",
                "language",
                "Name",
                "NCName",
                "NMTOKEN",
                "boolean",
                "hexBinary",
                "base64Binary",
                "anyURI",
                "dateTime",
                "dateTimeStamp",
            ]
        ),
        str(RDF.PlainLiteral),
        str(RDF.XMLLiteral),
        str(RDF.langString),
        str(RDFS.Literal),
        str(OWL.real),
        str(OWL.rational),
    ]
)
_XSD = XSD


def non_owl2_datatype(
    graph: rdflib.Graph, reference: dict[str, tuple[str, str]]
) -> list[QCFinding]:
    """An XSD datatype outside the OWL 2 map in a logical axiom breaks OWL 2 DL (ERROR).

    HermiT, in Protégé too, refuses the whole ontology when e.g. xsd:gYear is a
    property range. Annotation values (dcterms:created "..."^^xsd:date) are fine.
    """
    annotation_properties = set(graph.subjects(RDF.type, OWL.AnnotationProperty))
    bad: set[str] = set()
    for _, predicate, value in graph:
        if predicate in annotation_properties or predicate in _BUILTIN_ANNOTATIONS:
            continue
        if isinstance(value, rdflib.Literal):
            value = value.datatype or RDF.PlainLiteral
        if str(value).startswith(_XSD) and str(value) not in OWL2_DATATYPES:
            bad.add(str(value))
    return [
        QCFinding(
            Level.ERROR,
            "non_owl2_datatype",
            iri,
            "not in the OWL 2 datatype map: use rdfs:Literal as the OWL range and record "
            "the datatype with schema:rangeIncludes (SHACL checks the data)",
        )
        for iri in sorted(bad)
    ]


Rule = Callable[[rdflib.Graph, dict[str, tuple[str, str]]], list[QCFinding]]

#: rule id -> check, in report order
QC_RULES: dict[str, Rule] = {
    "missing_label": missing_label,
    "missing_definition": missing_definition,
    "multiple_labels": multiple_labels,
    "duplicate_label": duplicate_label,
    "undeclared_term": undeclared_term,
    "obo_label_mismatch": obo_label_mismatch,
    "unverified_obo_term": unverified_obo_term,
    "non_owl2_datatype": non_owl2_datatype,
    "deprecated_term_in_use": deprecated_term_in_use,
    "lowercase_definition": lowercase_definition,
}


def qc_report(graph: rdflib.Graph, reference: Path | Settings) -> list[QCFinding]:
    """Run every QC rule; findings sorted by level, rule and subject.

    ``reference`` is the obo-terms.tsv path, or the project settings to use the copy
    shipped in ``ontology/reference/``.
    """
    path = reference_table_path(reference) if isinstance(reference, Settings) else reference
    table = read_reference_table(path)
    findings = {finding for rule in QC_RULES.values() for finding in rule(graph, table)}
    return sorted(findings, key=lambda f: (_SEVERITY[f.level], f.rule, f.subject, f.message))


# --------------------------------------------------------------------------- display
