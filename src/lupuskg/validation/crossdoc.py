"""Rules that need every document at once; they run once, after the per-document checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..namespaces import RDF_TYPE
from ..rdfio import format_for
from .results import ValidationResult, curie

__all__ = ["Definition", "defined_in_file", "duplicate_definitions"]


@dataclass(frozen=True)
class Definition:
    """A node a file defines (a subject with an rdf:type), with where it starts."""

    file: str
    line: int | None


def defined_in_file(path: Path) -> set[str]:
    """IRIs a document file defines, read quickly with pyoxigraph (for files not being validated)."""

    try:
        quads = ox.parse(path=str(path), format=format_for(path))
        return {
            quad.subject.value
            for quad in quads
            if isinstance(quad.subject, ox.NamedNode) and quad.predicate.value == RDF_TYPE
        }
    except (OSError, SyntaxError, ValueError):
        return set()  # that file's own validation reports it


def duplicate_definitions(
    definitions: Mapping[str, Iterable[Definition]], reported_files: set[str]
) -> list[ValidationResult]:
    """One Violation per file that defines a node another document defines too."""
    results = []
    for iri, places in sorted(definitions.items()):
        places = sorted(set(places), key=lambda place: place.file)
        if len(places) < 2:
            continue
        for place in places:
            if place.file not in reported_files:
                continue
            others = ", ".join(other.file for other in places if other is not place)
            results.append(
                ValidationResult(
                    severity="Violation",
                    file=place.file,
                    line=place.line,
                    focus=curie(iri),
                    path=None,
                    message=f"{curie(iri)} is defined in more than one document: also in {others}",
                    hint="Each node belongs to exactly one document: rename one of them (local "
                    "names start with the document slug) or delete the copy",
                    constraint="lkg:DuplicateDefinition",
                    value=None,
                    focus_term=f"<{iri}>",
                )
            )
    return results
