"""Validation results as data: one record per problem, and the report that holds them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node
from rdflib.util import from_n3

from ..namespaces import PREFIXES, SH, VOCAB, converter, curie

if TYPE_CHECKING:
    import rdflib

__all__ = [
    "SEVERITIES",
    "ValidationReport",
    "ValidationResult",
    "converter",
    "curie",
    "render_term",
]

#: SHACL severities in the order a curator should read them
SEVERITIES = ("Violation", "Warning", "Info")

_SH = SH


def render_term(term: rdflib.term.Node) -> str:
    """A node as a curator reads it: CURIE for IRIs, Turtle-like text for literals."""
    if isinstance(term, URIRef):
        return curie(str(term))
    if isinstance(term, Literal):
        text = '"' + str(term).replace("\\", "\\\\").replace('"', '\\"') + '"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype and term.datatype != XSD.string:
            return f"{text}^^{curie(str(term.datatype))}"
        return text
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


@dataclass(frozen=True)
class ValidationResult:
    """One problem found in one file, located so that a curator can jump to it."""

    severity: str  # "Violation" | "Warning" | "Info"
    file: str  # display path relative to project root
    line: int | None  # line of the focus node's first triple in that file
    focus: str  # focus node as CURIE
    path: str | None  # CURIE
    message: str
    hint: str
    constraint: str  # e.g. "sh:MinCountConstraintComponent" or "lkg:QuoteMismatch"
    value: str | None
    #: the focus node and value in N-Triples syntax, so that to_graph() is lossless
    focus_term: str | None = field(default=None, compare=False, repr=False)
    value_term: str | None = field(default=None, compare=False, repr=False)

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        return (
            self.file,
            self.line if self.line is not None else 1 << 30,
            SEVERITIES.index(self.severity) if self.severity in SEVERITIES else 9,
            self.focus,
            self.path or "",
            self.message,
        )


@dataclass
class ValidationReport:
    """Everything one validation run found, over the files it was given."""

    results: list[ValidationResult]
    files: list[str]
    seconds: float
    #: how many of the files' outcomes came from the validation cache
    cached: int = 0

    @property
    def conforms(self) -> bool:
        """True when nothing rose to a Violation (warnings do not block a build)."""
        return self.violations == 0

    @property
    def violations(self) -> int:
        return sum(1 for result in self.results if result.severity == "Violation")

    @property
    def warnings(self) -> int:
        return sum(1 for result in self.results if result.severity == "Warning")

    @property
    def infos(self) -> int:
        return sum(1 for result in self.results if result.severity == "Info")

    def summary(self) -> str:
        """One line, e.g. ``3 documents, 0 violations, 1 warning in 0.42s``."""
        return (
            f"{_plural(len(self.files), 'document')}, {_plural(self.violations, 'violation')}, "
            f"{_plural(self.warnings, 'warning')} in {self.seconds:.2f}s"
            + (f" ({self.cached} from cache)" if self.cached else "")
        )

    def to_graph(self) -> rdflib.Graph:
        """The report as a W3C ``sh:ValidationReport``, with lkg:file/lkg:line/lkg:hint added."""
        graph = Graph(bind_namespaces="none")
        for prefix, iri in PREFIXES.items():
            graph.bind(prefix, iri)
        report = BNode("report")
        graph.add((report, RDF.type, URIRef(_SH + "ValidationReport")))
        graph.add((report, URIRef(_SH + "conforms"), Literal(self.conforms)))
        for index, result in enumerate(self.results):
            node = BNode(f"result{index}")
            graph.add((report, URIRef(_SH + "result"), node))
            for predicate, obj in _result_triples(result):
                graph.add((node, URIRef(predicate), obj))
            if result.line is not None:
                graph.add(
                    (node, URIRef(VOCAB + "line"), Literal(result.line, datatype=XSD.integer))
                )
        return graph


def _result_triples(result: ValidationResult) -> list[tuple[str, rdflib.term.Node]]:
    triples: list[tuple[str, rdflib.term.Node]] = [
        (str(RDF.type), URIRef(_SH + "ValidationResult")),
        (_SH + "resultSeverity", URIRef(_SH + result.severity)),
        (_SH + "focusNode", _term(result.focus_term, result.focus)),
        (_SH + "resultMessage", Literal(result.message)),
        (_SH + "sourceConstraintComponent", URIRef(_expand(result.constraint))),
        (VOCAB + "file", Literal(result.file)),
        (VOCAB + "hint", Literal(result.hint)),
    ]
    if result.path is not None:
        triples.append((_SH + "resultPath", URIRef(_expand(result.path))))
    if result.value is not None:
        triples.append((_SH + "value", _term(result.value_term, result.value)))
    return triples


def _term(n_triples: str | None, shown: str) -> rdflib.term.Node:
    """Rebuild an RDF term from its N-Triples text, or from its CURIE when that is all we have."""
    # from_n3 gives None or a plain str only for text that is no N-Triples term (an empty
    # or default value); then the CURIE or <IRI> shown is all there is to rebuild from
    term = from_n3(n_triples) if n_triples else None
    if isinstance(term, Node):
        return term
    if shown.startswith("<") and shown.endswith(">"):
        return URIRef(shown[1:-1])
    expanded = converter().expand(shown)
    return URIRef(expanded) if expanded else Literal(shown)


def _expand(text: str) -> str:
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    return converter().expand(text) or text


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
