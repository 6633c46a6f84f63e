"""Checks that SHACL cannot express cleanly, done in Python and reported like SHACL results.

- every quote occurs verbatim in its source text at its offsets (after collapsing
  whitespace; offsets are 0-based code points into the raw text, end exclusive);
- the source text file lies inside graph/sources/ (after following every symlink; a
  path or link that leads out is a violation, and the file is never opened), exists and
  still has the checksum it was encoded with;
- every subject has an rdf:type (an untyped node escapes every shape).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from ..namespaces import OA, SOURCE, VOCAB
from .results import ValidationResult, curie, render_term

if TYPE_CHECKING:
    import rdflib

__all__ = [
    "QuoteContext",
    "check_quotes",
    "check_source_texts",
    "check_typed",
    "is_confined",
    "normalise",
    "source_file",
]

_OA = OA
_SHOWN = 300


def normalise(text: str) -> str:
    """Collapse every run of whitespace to one space and trim the ends."""
    return " ".join(text.split())


@dataclass
class QuoteContext:
    """What the checks of one file need: where sources live and how to locate nodes."""

    root: Path
    sources_dir: Path
    file: str
    line_of: Callable[[str], int | None]

    def result(
        self,
        focus: rdflib.term.Node,
        message: str,
        hint: str,
        constraint: str,
        *,
        path: str | None = None,
        value: rdflib.term.Node | None = None,
        severity: str = "Violation",
    ) -> ValidationResult:
        return ValidationResult(
            severity=severity,
            file=self.file,
            line=self.line_of(str(focus)),
            focus=render_term(focus),
            path=curie(path) if path else None,
            message=message,
            hint=hint,
            constraint=constraint,
            value=render_term(value) if value is not None else None,
            focus_term=focus.n3(),
            value_term=value.n3() if value is not None else None,
        )


def source_file(
    graph: rdflib.Graph, source: rdflib.term.Node, context: QuoteContext
) -> Path | None:
    """The text file behind a source node: its lkg:filePath, else the name in its IRI.

    The path is not checked here; callers must ask :func:`is_confined` before opening it.
    """
    declared = graph.value(source, URIRef(VOCAB + "filePath"))
    if declared is not None:
        return context.root / str(declared)
    if str(source).startswith(SOURCE):
        return context.sources_dir / str(source)[len(SOURCE) :]
    return None


def is_confined(path: Path, sources_dir: Path, root: Path) -> bool:
    """Whether ``path``, with every symlink followed, is a file name inside ``sources_dir``.

    ``sources_dir`` itself must resolve inside the project ``root``, so that neither a
    ``../`` or absolute lkg:filePath nor a symlink (of the file or of a directory on the
    way) can make validation read a file outside the project's source texts.
    """
    try:
        real_sources = sources_dir.resolve()
        real_root = root.resolve()
        real = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return False
    if not real_sources.is_relative_to(real_root):
        return False
    return real != real_sources and real.is_relative_to(real_sources)


def check_source_texts(graph: rdflib.Graph, context: QuoteContext) -> list[ValidationResult]:
    """Each lkg:SourceText's file is confined to graph/sources/, exists and matches its lkg:sha256."""
    results = []
    for source in sorted(graph.subjects(RDF.type, URIRef(VOCAB + "SourceText")), key=str):
        path = source_file(graph, source, context)
        if path is not None and not is_confined(path, context.sources_dir, context.root):
            results.append(_escaping_source(graph, source, context))
            continue
        if path is None or not path.is_file():
            results.append(_missing_source(source, path, context))
            continue
        recorded = graph.value(source, URIRef(VOCAB + "sha256"))
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        if recorded is not None and str(recorded) != actual:
            results.append(
                context.result(
                    source,
                    f"The source text {_shown(path, context)} has changed since it was encoded "
                    f"(its sha256 is {actual}), so the quote offsets may be stale",
                    f'Re-check every quote of this document, then set lkg:sha256 "{actual}"',
                    "lkg:SourceTextChanged",
                    path=VOCAB + "sha256",
                    value=recorded,
                )
            )
    return results


def _escaping_source(
    graph: rdflib.Graph, source: rdflib.term.Node, context: QuoteContext
) -> ValidationResult:
    """A violation that names the node and the declared path, never the file's content."""
    declared = graph.value(source, URIRef(VOCAB + "filePath"))
    where = f"lkg:filePath {_clip(str(declared))}" if declared is not None else "its IRI"
    return context.result(
        source,
        f"The source text named by {where} is outside graph/sources/ (through '..', an "
        "absolute path or a symlink), so it was not read",
        "Copy the text into graph/sources/<slug>.txt as a regular file (not a symlink) and "
        'set lkg:filePath "graph/sources/<slug>.txt"',
        "lkg:SourceTextOutsideProject",
        path=VOCAB + "filePath",
        value=declared,
    )


def _missing_source(
    source: rdflib.term.Node, path: Path | None, context: QuoteContext
) -> ValidationResult:
    where = _shown(path, context) if path else "(no lkg:filePath)"
    return context.result(
        source,
        f"The source text file {where} does not exist, so quotes cannot be checked",
        "Put the plain text the document was encoded from at graph/sources/<slug>.txt "
        "and give that path in lkg:filePath",
        "lkg:MissingSourceText",
        path=VOCAB + "filePath",
    )


def check_quotes(graph: rdflib.Graph, context: QuoteContext) -> list[ValidationResult]:
    """Each lkg:Quote's oa:exact equals its source text between oa:start and oa:end."""
    texts: dict[Path, str] = {}
    results = []
    declared_sources = set(graph.subjects(RDF.type, URIRef(VOCAB + "SourceText")))
    for quote in sorted(graph.subjects(RDF.type, URIRef(VOCAB + "Quote")), key=str):
        parts = _quote_parts(graph, quote)
        if parts is None:
            continue  # missing or ill-typed parts are reported by the SHACL shapes
        exact, start, end, source = parts
        path = source_file(graph, source, context)
        if path is not None and not is_confined(path, context.sources_dir, context.root):
            if source not in declared_sources:  # otherwise reported once, on the source node
                results.append(_escaping_source(graph, source, context))
            continue
        if path is None or not path.is_file():
            continue  # reported once, on the source node
        if path not in texts:
            # bytes, not read_text: universal newlines would turn CRLF into LF and shift offsets
            texts[path] = path.read_bytes().decode("utf-8")
        problem = _compare(quote, exact, start, end, texts[path], _shown(path, context), context)
        if problem is not None:
            results.append(problem)
    return results


def _quote_parts(
    graph: rdflib.Graph, quote: rdflib.term.Node
) -> tuple[str, int, int, rdflib.term.Node] | None:
    exact = graph.value(quote, URIRef(_OA + "exact"))
    start = graph.value(quote, URIRef(_OA + "start"))
    end = graph.value(quote, URIRef(_OA + "end"))
    source = graph.value(quote, URIRef(VOCAB + "inSourceText"))
    if (
        not isinstance(exact, Literal)
        or not isinstance(start, Literal)
        or not isinstance(end, Literal)
        or source is None
    ):
        return None
    start_value, end_value = start.toPython(), end.toPython()
    if not isinstance(start_value, int) or not isinstance(end_value, int):
        return None
    return str(exact), start_value, end_value, source


def _compare(
    quote: rdflib.term.Node,
    exact: str,
    start: int,
    end: int,
    text: str,
    shown: str,
    context: QuoteContext,
) -> ValidationResult | None:
    found = text[start:end] if 0 <= start <= end else ""
    if normalise(found) == normalise(exact):
        return None
    places = find_quote(exact, text)
    if not places:
        return context.result(
            quote,
            f"The quote does not occur anywhere in the source text {shown}: "
            f"the quote says {_clip(exact)}",
            "Copy the passage verbatim from the source text (spelling, punctuation, quotation "
            "marks), then set oa:start and oa:end to where it starts and ends",
            "lkg:QuoteNotInSource",
            path=_OA + "exact",
        )
    best = min(places, key=lambda place: abs(place[0] - start))
    return context.result(
        quote,
        f"The quote does not match the source text {shown} at oa:start {start}, oa:end {end}: "
        f"the quote says {_clip(exact)} but the source there says {_clip(found)}",
        f"The passage occurs at oa:start {best[0]}, oa:end {best[1]}: set those offsets",
        "lkg:QuoteMismatch",
        path=_OA + "start",
    )


def find_quote(exact: str, text: str) -> list[tuple[int, int]]:
    """Every (start, end) where ``exact`` occurs in ``text``, whitespace runs matching any run."""
    words = exact.split()
    if not words:
        return []
    pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
    return [(match.start(), match.end()) for match in pattern.finditer(text)]


def check_typed(graph: rdflib.Graph, context: QuoteContext) -> list[ValidationResult]:
    """Every subject of a document carries an rdf:type; otherwise no shape would check it."""
    typed = set(graph.subjects(RDF.type, None))
    untyped = sorted({s for s in graph.subjects() if s not in typed}, key=str)
    return [
        context.result(
            node,
            "This node has no rdf:type, so none of the shapes can check it",
            "Add its class, e.g. `a lkg:EfficacyClaim`, `a lkg:Quote` or `a lkg:Study`",
            "lkg:UntypedNode",
        )
        for node in untyped
    ]


def _shown(path: Path, context: QuoteContext) -> str:
    try:
        return str(path.resolve().relative_to(context.root.resolve()))
    except ValueError:
        return str(path)


def _clip(text: str) -> str:
    text = normalise(text)
    if len(text) > _SHOWN:
        text = text[: _SHOWN - 1] + "…"
    return f'"{text}"'
