"""Query results as data, and their output formats.

The W3C SPARQL 1.1 JSON results document is the one canonical form a result is kept
in: the embedded engine serialises into it, a remote endpoint answers in it, and
every other format (XML, CSV, TSV) is written from it by pyoxigraph's own
serialisers, so all outputs follow the W3C formats exactly. Rows for people and
notebooks (`Cell`, `QueryResult.to_records`) are decoded from the same document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

import pyoxigraph as ox

from .exceptions import QueryError
from .namespaces import XSD, compress
from .oxigraph import to_bytes

__all__ = [
    "FORMATS",
    "Cell",
    "QueryResult",
    "compact",
    "render_table",
    "wide_console",
]

#: output format name -> pyoxigraph results format (None: a rich table for people)
FORMATS: dict[str, ox.QueryResultsFormat | None] = {
    "table": None,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}

_XSD = XSD
_PIPE_WIDTH = 200
_INTEGERS = {
    _XSD + name
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedInt",
        "unsignedLong",
        "unsignedShort",
        "unsignedByte",
    )
}


def compact(iri: str) -> str:
    """An IRI as a CURIE of the shared prefix map, or the IRI itself (for tables)."""
    return compress(iri) or iri


@dataclass(frozen=True)
class Cell:
    """One bound value of a row: the RDF term, plus its natural Python value."""

    kind: str  # "iri", "literal" or "bnode"
    lexical: str
    datatype: str | None = None
    language: str | None = None

    @classmethod
    def from_term(cls, term: Any) -> Cell:
        if isinstance(term, ox.NamedNode):
            return cls("iri", term.value)
        if isinstance(term, ox.BlankNode):
            return cls("bnode", term.value)
        if isinstance(term, ox.Literal):
            return cls("literal", term.value, term.datatype.value, term.language)
        return cls("triple", str(term))

    @property
    def value(self) -> Any:
        """int, Decimal, float, bool, date or datetime for those XSD types; else a str."""
        if self.kind != "literal" or self.datatype is None:
            return self.lexical
        try:
            return _native(self.lexical, self.datatype)
        except ValueError:
            return self.lexical

    @property
    def curie(self) -> str | None:
        return compact(self.lexical) if self.kind == "iri" else None

    def to_term(self) -> Any:
        """Back to a pyoxigraph term (used by tests and by parameter binding)."""
        if self.kind == "iri":
            return ox.NamedNode(self.lexical)
        if self.kind == "bnode":
            return ox.BlankNode(self.lexical)
        if self.language:
            return ox.Literal(self.lexical, language=self.language)
        return ox.Literal(self.lexical, datatype=ox.NamedNode(self.datatype or _XSD + "string"))

    def __str__(self) -> str:
        if self.kind == "iri":
            return compact(self.lexical)
        if self.kind == "bnode":
            return f"_:{self.lexical}"
        return self.lexical


def _native(lexical: str, datatype: str) -> Any:
    if datatype in _INTEGERS:
        return int(lexical)
    if datatype == _XSD + "decimal":
        return Decimal(lexical)
    if datatype in (_XSD + "double", _XSD + "float"):
        return float(lexical)
    if datatype == _XSD + "boolean":
        return lexical in ("true", "1")
    if datatype == _XSD + "date":
        return dt.date.fromisoformat(lexical)
    if datatype == _XSD + "dateTime":
        return dt.datetime.fromisoformat(lexical)
    return lexical


@dataclass(frozen=True)
class QueryResult:
    """A SELECT (or ASK) result: variables, rows of cells, and the W3C JSON it came from."""

    variables: tuple[str, ...]
    rows: tuple[tuple[Cell | None, ...], ...]
    json: bytes
    boolean: bool | None = None

    @classmethod
    def from_json(cls, data: bytes) -> QueryResult:
        """Decode a W3C SPARQL 1.1 JSON results document."""
        try:
            parsed = ox.parse_query_results(data, ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as error:
            raise QueryError(f"malformed SPARQL JSON results: {error}") from error
        if isinstance(parsed, ox.QueryBoolean):
            return cls((), (), data, bool(parsed))
        variables = tuple(variable.value for variable in parsed.variables)
        rows = tuple(
            tuple(
                None if solution[name] is None else Cell.from_term(solution[name])
                for name in variables
            )
            for solution in parsed
        )
        return cls(variables, rows, data)

    @classmethod
    def from_solutions(cls, solutions: ox.QuerySolutions | ox.QueryBoolean) -> QueryResult:
        """Materialise an embedded-engine result via its W3C JSON form."""
        return cls.from_json(to_bytes(solutions.serialize(format=ox.QueryResultsFormat.JSON)))

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[Cell | None, ...]]:
        return iter(self.rows)

    def to_records(self) -> list[dict[str, Any]]:
        """Rows as dicts of Python values (unbound variables are None)."""
        return [
            {
                name: None if cell is None else cell.value
                for name, cell in zip(self.variables, row, strict=True)
            }
            for row in self.rows
        ]

    def serialize(self, format: str) -> bytes:
        """The result in a W3C SPARQL 1.1 results format: json, xml, csv or tsv."""
        target = FORMATS.get(format)
        if target is None:
            raise QueryError(
                f"unknown results format {format!r}",
                hint=f"use one of {', '.join(name for name, fmt in FORMATS.items() if fmt)}",
            )
        if target == ox.QueryResultsFormat.JSON:
            return self.json
        parsed = ox.parse_query_results(self.json, ox.QueryResultsFormat.JSON)
        return to_bytes(parsed.serialize(format=target))


def wide_console(file: IO[str] | None = None) -> Any:
    """A rich console; when writing to a pipe or file, wide enough not to fold every cell."""
    from rich.console import Console

    console = Console(file=file)
    if not console.is_terminal:
        console.width = _PIPE_WIDTH
    return console


def render_table(
    result: QueryResult, *, title: str | None = None, file: IO[str] | None = None
) -> None:
    """Print a result for people: CURIEs for IRIs, one rich table, then the row count."""
    from rich.table import Table
    from rich.text import Text

    console = wide_console(file)
    if result.boolean is not None:
        console.print("true" if result.boolean else "false")
        return
    table = Table(title=title, title_justify="left", show_lines=True)
    for name in result.variables:
        table.add_column(name, overflow="fold")
    for row in result.rows:
        table.add_row(*(Text("" if cell is None else str(cell)) for cell in row))
    console.print(table)
    console.print(f"{len(result.rows)} row(s)")
