"""Reading RDF files with precise error locations, and writing canonical Turtle.

Syntax is checked with pyoxigraph first because its errors carry line and column;
rdflib is used afterwards for graph work (SHACL, canonical serialisation).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .exceptions import InputError, ParseError, SourceLocation
from .formats import RDF_FORMATS, RdfSyntax, by_suffix
from .serialization import canonical_turtle

if TYPE_CHECKING:
    import rdflib

__all__ = [
    "canonical_turtle",
    "check_syntax",
    "display_path",
    "format_for",
    "parse_graph",
    "syntax_for",
]

_POSITION = re.compile(r"line (\d+) column (\d+)")


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as the user should see it: relative to the project when possible."""
    if root is not None:
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            pass
    return str(path)


def syntax_for(path: Path) -> RdfSyntax:
    """The RDF syntax of a file, from its extension."""
    syntax = by_suffix(path.suffix)
    if syntax is None:
        known = sorted(suffix for fmt in RDF_FORMATS for suffix in fmt.suffixes)
        raise InputError(
            f"{path}: unknown RDF file extension {path.suffix!r}",
            hint=f"use one of {', '.join(known)}",
        )
    return syntax


def format_for(path: Path) -> ox.RdfFormat:
    """The pyoxigraph syntax of a file, from its extension."""
    return syntax_for(path).oxigraph


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}") from error


def check_syntax(path: Path, shown_as: str | None = None) -> int:
    """Parse ``path`` strictly; return its triple count or raise ParseError with line and column."""
    data = _read_bytes(path)
    try:
        return sum(1 for _ in ox.parse(data, format=format_for(path), base_iri=None))
    except SyntaxError as error:
        line, column = error.lineno, error.offset
        match = _POSITION.search(str(error.msg))
        if match:
            line, column = int(match.group(1)), int(match.group(2))
        detail = str(error.msg)
        raise ParseError(SourceLocation(shown_as or str(path), line, column), detail) from error


def parse_graph(path: Path, shown_as: str | None = None) -> rdflib.Graph:
    """An rdflib graph of one file, after a strict syntax check that locates errors."""
    import rdflib

    check_syntax(path, shown_as)
    graph = rdflib.Graph()
    graph.parse(data=_read_bytes(path), format=syntax_for(path).rdflib)
    return graph
