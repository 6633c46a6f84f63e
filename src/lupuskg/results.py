"""Query results as data, and their output formats.

A result is kept as rows of `Cell`s: decoded straight from pyoxigraph's terms for the
embedded engine, or from the W3C SPARQL 1.1 JSON results document a remote endpoint
answers with. The JSON document is the one canonical serialised form (written from the
cells when first asked for); every other format (XML, CSV, TSV) is written from it by
pyoxigraph's own serialisers, so all outputs follow the W3C formats exactly.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
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
    "labelled",
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
    #: the pyoxigraph triple of an RDF-star cell (kind "triple"), for serialising it again
    triple: Any = field(default=None, compare=False, repr=False)

    @classmethod
    def from_term(cls, term: Any) -> Cell:
        if isinstance(term, ox.NamedNode):
            return cls("iri", term.value)
        if isinstance(term, ox.BlankNode):
            return cls("bnode", term.value)
        if isinstance(term, ox.Literal):
            return cls("literal", term.value, term.datatype.value, term.language)
        return cls("triple", str(term), triple=term)

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
    """A SELECT (or ASK) result: variables and rows of cells; its W3C JSON on demand.

    An embedded-engine result is decoded straight from pyoxigraph's terms: going through
    the JSON document (serialise, then parse) took 24-48 % of a canned query's time on an
    in-memory store at 1,000 documents. The JSON form is written when first asked for.
    """

    variables: tuple[str, ...]
    rows: tuple[tuple[Cell | None, ...], ...]
    boolean: bool | None = None
    _json: bytes | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_json(cls, data: bytes) -> QueryResult:
        """Decode a W3C SPARQL 1.1 JSON results document."""
        try:
            parsed = ox.parse_query_results(data, ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as error:
            raise QueryError(f"malformed SPARQL JSON results: {error}") from error
        if isinstance(parsed, ox.QueryBoolean):
            return cls((), (), bool(parsed), data)
        return cls._decode(parsed, data)

    @classmethod
    def from_solutions(cls, solutions: ox.QuerySolutions | ox.QueryBoolean) -> QueryResult:
        """Materialise an embedded-engine result, term by term (no JSON round trip)."""
        if isinstance(solutions, ox.QueryBoolean):
            return cls((), (), bool(solutions))
        return cls._decode(solutions, None)

    @classmethod
    def _decode(cls, solutions: ox.QuerySolutions, data: bytes | None) -> QueryResult:
        variables = tuple(variable.value for variable in solutions.variables)
        width = range(len(variables))
        cells: dict[Any, Cell] = {}  # one Cell per distinct term: rows repeat terms a lot

        def cell(term: Any) -> Cell | None:
            if term is None:
                return None
            known = cells.get(term)
            if known is None:
                known = cells[term] = Cell.from_term(term)
            return known

        rows = tuple(tuple(cell(solution[i]) for i in width) for solution in solutions)
        return cls(variables, rows, None, data)

    @property
    def json(self) -> bytes:
        """The W3C SPARQL 1.1 JSON results document (written once, then kept)."""
        if self._json is None:
            object.__setattr__(self, "_json", _to_json(self))
        assert self._json is not None
        return self._json

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

    def to_dataframe(self) -> Any:
        """Rows as a pandas DataFrame: IRIs as CURIEs (the project's one converter), literals
        as their Python values, unbound cells as None; one column per variable, in order.

        pandas is an optional extra (``pip install 'lupuskg[dataframe]'``).
        """
        try:
            import pandas as pd
        except ImportError as error:
            raise QueryError(
                "to_dataframe() needs pandas, which is not installed",
                hint="pip install 'lupuskg[dataframe]'",
            ) from error
        columns: dict[str, list[Any]] = {name: [] for name in self.variables}
        for row in self.rows:
            for name, cell in zip(self.variables, row, strict=True):
                columns[name].append(None if cell is None else _frame_value(cell))
        return pd.DataFrame(columns, columns=list(self.variables))

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


def _frame_value(cell: Cell) -> Any:
    if cell.kind == "iri":
        return compact(cell.lexical)
    if cell.kind == "bnode":
        return f"_:{cell.lexical}"
    return cell.value


def labelled(
    result: QueryResult, columns: Mapping[str, str], labels: Mapping[str, str]
) -> QueryResult:
    """``result`` with a label column after each of ``columns`` (variable -> label column),
    holding ``labels[iri]`` as a plain literal where the cell is a labelled IRI."""
    variables: list[str] = []
    sources: list[tuple[int, bool]] = []  # (index into the old row, is a label column)
    for index, name in enumerate(result.variables):
        variables.append(name)
        sources.append((index, False))
        if name in columns:
            variables.append(columns[name])
            sources.append((index, True))
    string = _XSD + "string"
    made: dict[str, Cell] = {}

    def label_of(cell: Cell | None) -> Cell | None:
        if cell is None or cell.kind != "iri" or cell.lexical not in labels:
            return None
        known = made.get(cell.lexical)
        if known is None:
            known = made[cell.lexical] = Cell("literal", labels[cell.lexical], string)
        return known

    rows = tuple(
        tuple(label_of(row[index]) if is_label else row[index] for index, is_label in sources)
        for row in result.rows
    )
    return QueryResult(tuple(variables), rows)  # its JSON is written when asked for


def _json_term(cell: Cell) -> dict[str, Any]:
    if cell.kind == "iri":
        return {"type": "uri", "value": cell.lexical}
    if cell.kind == "bnode":
        return {"type": "bnode", "value": cell.lexical}
    if cell.kind == "triple":  # SPARQL 1.2 / SPARQL-star JSON, as pyoxigraph writes it
        parts = (cell.triple.subject, cell.triple.predicate, cell.triple.object)
        names = ("subject", "predicate", "object")
        value = {
            name: _json_term(Cell.from_term(part)) for name, part in zip(names, parts, strict=True)
        }
        return {"type": "triple", "value": value}
    term: dict[str, Any] = {"type": "literal", "value": cell.lexical}
    if cell.language:
        term["xml:lang"] = cell.language
    elif cell.datatype and cell.datatype != _XSD + "string":
        term["datatype"] = cell.datatype
    return term


def _to_json(result: QueryResult) -> bytes:
    """The W3C SPARQL 1.1 JSON results document of a decoded result."""
    if result.boolean is not None:
        document: dict[str, Any] = {"head": {}, "boolean": result.boolean}
    else:
        bindings = [
            {
                name: _json_term(cell)
                for name, cell in zip(result.variables, row, strict=True)
                if cell is not None
            }
            for row in result.rows
        ]
        document = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
