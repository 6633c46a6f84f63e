"""`lupuskg queries`, `lupuskg query` and `lupuskg sparql`.

Kept light on purpose: at import, click and the query modules every command here needs
(pyoxigraph, no rdflib); rich and SPARQLWrapper load only when a table is drawn or an
endpoint is asked (tests/test_cold_imports.py).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

import click
import pyoxigraph as ox

from ..config import settings
from ..exceptions import InputError, QueryError
from ..namespaces import PREFIXES
from ..oxigraph import write
from ..queries import ALL_ROWS, DRILL_DOWN_PAGE, Limit, bind_values, catalog, execute, page, page_of
from ..remote import RemoteEndpoint
from ..results import Cell, QueryResult, compact, wide_console
from ..store import open_store
from ..tables import render_table

__all__ = ["queries_command", "query_command", "sparql_command"]

_FORMATS = ("table", "csv", "tsv", "json", "xml")

_format_option = click.option(
    "-f",
    "--format",
    "output_format",
    type=click.Choice(_FORMATS),
    default="table",
    show_default=True,
    help="table for people; csv, tsv, json, xml: W3C SPARQL 1.1 results formats.",
)
_endpoint_option = click.option(
    "--endpoint",
    metavar="URL",
    help="Run on this remote SPARQL 1.1 endpoint instead of the embedded store.",
)
_wide_option = click.option(
    "--wide",
    is_flag=True,
    help="Table: every column (IRIs and their labels), whole cells, all rows.",
)
_max_rows_option = click.option(
    "--max-rows",
    type=click.IntRange(min=0),
    default=50,
    show_default=True,
    help="Table: rows shown (0: all); the footer counts the rest.",
)
_output_option = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the result to FILE instead of standard output.",
)


@click.command("queries")
def queries_command() -> None:
    """List the canned evidence queries: id, title and parameters."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title="canned evidence queries", title_justify="left")
    for column in ("id", "title", "parameters"):
        table.add_column(column, overflow="fold")
    for query in catalog().values():
        parameters = "\n".join(
            f"{p.name} ({compact(p.value_type)}; default {compact(p.default) if p.default else 'none'})"
            for p in query.parameters
        )
        table.add_row(query.id, Text(query.title), Text(parameters or "-"))
    wide_console().print(table)


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InputError(
                f"--param {pair!r} is not NAME=VALUE", hint="e.g. --param therapy=UC-MSC"
            )
        params[name.strip()] = value.strip()
    return params


def _limit(_ctx: click.Context, param: click.Parameter, value: str | None) -> Limit:
    """--limit: a number of rows (0 or more), or "all"."""
    if value is None:
        return None
    text = value.strip().lower()
    if text == ALL_ROWS:
        return ALL_ROWS
    if text.isdigit():
        return int(text)
    raise click.BadParameter(f"{value!r} is neither a number of rows nor 'all'", param=param)


@click.command("query")
@click.argument("query_id")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter: an IRI, a CURIE, or a label or synonym from the ontology.",
)
@_format_option
@_endpoint_option
@_output_option
@click.option(
    "--show-sparql", is_flag=True, help="Print the query with its VALUES binding instead."
)
@click.option(
    "--limit",
    metavar="N|all",
    callback=_limit,
    help=f"At most this many rows, or 'all' (paging a drill-down: Q10-pairs and Q11-pairs "
    f"give their first {DRILL_DOWN_PAGE:,} rows unless told).",
)
@click.option("--offset", type=click.IntRange(min=0), help="Skip this many rows first.")
@click.option(
    "--include-drafts",
    is_flag=True,
    help="Also answer from graph/drafts/ (unreviewed claims, never built into the store).",
)
@_wide_option
@_max_rows_option
def query_command(
    query_id: str,
    params: tuple[str, ...],
    output_format: str,
    endpoint: str | None,
    output: Path | None,
    show_sparql: bool,
    limit: Limit,
    offset: int | None,
    include_drafts: bool,
    wide: bool,
    max_rows: int,
) -> None:
    """Run canned query QUERY_ID (e.g. Q05, Q11-pairs) and print its answer.

    Each IRI column comes with a …Label column; the table shows the label in its place
    (--wide: both).
    """
    query, bound, result = execute(
        query_id,
        _parse_params(params),
        endpoint=endpoint,
        limit=limit,
        offset=offset,
        include_drafts=include_drafts,
    )
    if show_sparql:
        click.echo(page(bind_values(query.sparql, bound), *page_of(query, limit, offset)))
        return
    if limit is None and len(result) == DRILL_DOWN_PAGE and page_of(query)[0] == DRILL_DOWN_PAGE:
        start = offset or 0
        click.echo(
            f"rows {start + 1:,}-{start + DRILL_DOWN_PAGE:,} (a drill-down's default page): "
            f"--offset {start + DRILL_DOWN_PAGE} for the next, --limit all for every row",
            err=True,
        )
    title = f"{query.id}: {query.title}" + "".join(
        f"  [{name}={Cell.from_term(value)}]" for name, value in sorted(bound.items())
    )
    _emit(result, output_format, output, title, wide=wide, max_rows=max_rows)


@click.command("sparql")
@click.argument("source", type=click.File("r", encoding="utf-8"))
@_format_option
@_endpoint_option
@_output_option
@_wide_option
@_max_rows_option
def sparql_command(
    source: TextIO,
    output_format: str,
    endpoint: str | None,
    output: Path | None,
    wide: bool,
    max_rows: int,
) -> None:
    """Run the ad-hoc SPARQL query in SOURCE (a file, or - for stdin)."""
    text = source.read()
    if not text.strip():
        raise InputError("the query is empty")
    result_or_graph = _run_adhoc(text, endpoint)
    if isinstance(result_or_graph, bytes):
        _write(result_or_graph, output)
    else:
        _emit(result_or_graph, output_format, output, None, wide=wide, max_rows=max_rows)


def _run_adhoc(text: str, endpoint: str | None) -> QueryResult | bytes:
    """A QueryResult for SELECT/ASK, Turtle bytes for CONSTRUCT/DESCRIBE."""
    if endpoint:
        remote = RemoteEndpoint(endpoint)
        if remote.query_type(text) in ("CONSTRUCT", "DESCRIBE"):
            return write(remote.graph(text), ox.RdfFormat.TURTLE, PREFIXES)
        return remote.select(text)
    try:
        answer = open_store(settings()).query(text, use_default_graph_as_union=True)
    except SyntaxError as error:
        raise QueryError(f"malformed SPARQL: {error}") from error
    if isinstance(answer, ox.QueryTriples):
        return write(answer, ox.RdfFormat.TURTLE, PREFIXES)
    return QueryResult.from_solutions(answer)


def _emit(
    result: QueryResult,
    output_format: str,
    output: Path | None,
    title: str | None,
    *,
    wide: bool = False,
    max_rows: int = 50,
) -> None:
    if output_format != "table":
        _write(result.serialize(output_format), output)
        return
    if output is None:
        render_table(result, title=title, wide=wide, max_rows=max_rows)
        return
    with output.open("w", encoding="utf-8") as handle:
        render_table(result, title=title, file=handle, wide=wide, max_rows=max_rows)


def _write(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        output.write_bytes(data)
