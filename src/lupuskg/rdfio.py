"""Reading RDF files with precise error locations, and writing canonical Turtle.

Syntax is checked with pyoxigraph first because its errors carry line and column;
rdflib is used afterwards for graph work (SHACL, canonical serialisation).

Before either parser sees a file, two bounds apply: XML (RDF/XML) goes through expat
with entity declarations refused (a 976-byte "billion laughs" once ran for 74 s and 9 GB
inside pyoxigraph), and JSON-LD may not name a remote @context or @import (rdflib would
fetch it). Deep nesting that exhausts a parser's recursion becomes a ParseError.
"""

from __future__ import annotations

import json
import re
import xml.parsers.expat
from pathlib import Path

import pyoxigraph as ox
import rdflib

from .exceptions import InputError, LupusKGError, ParseError, SourceLocation
from .formats import RDF_FORMATS, RdfSyntax, by_suffix
from .serialization import canonical_turtle

__all__ = [
    "TOKEN_LIMIT",
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


def _refuse_entities(data: bytes, shown: str) -> None:
    """Parse XML with expat, refusing DTD entity declarations before any expansion."""
    parser = xml.parsers.expat.ParserCreate()

    def entity(name: str, *_rest: object) -> None:
        raise ParseError(
            SourceLocation(shown, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1),
            f"the DTD declares the entity {name!r}; entity declarations are refused "
            "(they allow entity-expansion attacks): write the IRIs out in full",
        )

    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as error:
        raise ParseError(
            SourceLocation(shown, error.lineno, error.offset + 1),
            f"malformed XML: {xml.parsers.expat.ErrorString(error.code)}",
        ) from None


def _refuse_remote_contexts(data: bytes, shown: str) -> None:
    """JSON-LD must carry its contexts inline: a string @context or @import would be fetched."""
    try:
        document = json.loads(data)
    except json.JSONDecodeError as error:
        raise ParseError(SourceLocation(shown, error.lineno, error.colno), error.msg) from None
    except RecursionError:
        raise ParseError(SourceLocation(shown), "JSON nested too deeply") from None
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                if key == "@import" or (key == "@context" and _names_remote(value)):
                    raise ParseError(
                        SourceLocation(shown),
                        f"a remote JSON-LD context ({key}: {json.dumps(value)[:80]}) is "
                        "refused; put the context inline",
                    )
                stack.append(value)


def _names_remote(context: object) -> bool:
    items = context if isinstance(context, list) else [context]
    return any(isinstance(item, str) for item in items)


def _pre_check(path: Path, data: bytes, shown: str) -> None:
    name = syntax_for(path).name
    if name == "rdfxml":
        _refuse_entities(data, shown)
    elif name == "jsonld":
        _refuse_remote_contexts(data, shown)


def check_syntax(path: Path, shown_as: str | None = None) -> int:
    """Parse ``path`` strictly; return its triple count or raise ParseError with line and column."""
    data = _read_bytes(path)
    _pre_check(path, data, shown_as or str(path))
    try:
        return sum(1 for _ in ox.parse(data, format=format_for(path), base_iri=None))
    except SyntaxError as error:
        line, column = error.lineno, error.offset
        match = _POSITION.search(str(error.msg))
        if match:
            line, column = int(match.group(1)), int(match.group(2))
        detail = str(error.msg)
        raise ParseError(SourceLocation(shown_as or str(path), line, column), detail) from error
    except RecursionError:
        raise ParseError(SourceLocation(shown_as or str(path)), "nested too deeply") from None
    except MemoryError as error:
        raise _oversized(data, shown_as or str(path), error) from None


#: pyoxigraph's parsers refuse a single token (literal, IRI) larger than their buffer
TOKEN_LIMIT = 16 * 1024 * 1024


def _oversized(data: bytes, shown: str, error: MemoryError) -> LupusKGError:
    """A ParseError at the first line longer than the parser's token limit."""
    if "buffer maximal size" not in str(error):
        return InputError(
            f"{shown}: ran out of memory while parsing ({len(data)} bytes)",
            hint="split the file, or raise the memory limit",
        )
    line: int | None = None
    number, start = 1, 0
    while start < len(data):  # a line this long holds the oversized token
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        if end - start > TOKEN_LIMIT // 2:
            line = number
            break
        number, start = number + 1, end + 1
    return ParseError(
        SourceLocation(shown, line),
        f"a literal or IRI longer than {TOKEN_LIMIT // (1024 * 1024)} MiB (the parser's limit)",
    )


def parse_graph(path: Path, shown_as: str | None = None) -> rdflib.Graph:
    """An rdflib graph of one file, after a strict syntax check that locates errors."""
    check_syntax(path, shown_as)
    graph = rdflib.Graph()
    try:
        graph.parse(data=_read_bytes(path), format=syntax_for(path).rdflib)
    except RecursionError:
        raise ParseError(
            SourceLocation(shown_as or str(path)),
            "nested too deeply (collections or blank nodes inside each other)",
        ) from None
    return graph
