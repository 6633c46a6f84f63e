"""`lupuskg validate [FILE...] [--format text|json|turtle] [--no-cache]`.

Unchanged documents are taken from build/validation-cache; the summary says how many.

Exit codes: 0 conforms (warnings allowed), 1 violations, 2 input could not be read.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..config import settings as project_settings
from ..exceptions import ParseError
from ..namespaces import PREFIXES
from ..validation.engines import ENGINE_VARIABLE

if TYPE_CHECKING:
    from ..validation.results import ValidationReport, ValidationResult

__all__ = ["format_result", "validate_command"]

_COLOURS = {"Violation": "red", "Warning": "yellow", "Info": "cyan"}


def format_result(result: ValidationResult) -> str:
    """``SEVERITY file:line CURIE path message [value] (hint: ...)`` on one line."""
    where = result.file if result.line is None else f"{result.file}:{result.line}"
    parts = [result.severity.upper(), where, result.focus or "-"]
    if result.path:
        parts.append(result.path)
    parts.append(result.message)
    if result.value is not None and result.value not in result.message:
        parts.append(f"[value: {result.value}]")
    if result.hint:
        parts.append(f"(hint: {result.hint})")
    return " ".join(parts)


@click.command("validate")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="text: one line per result; json (JSON-LD) / turtle: the W3C SHACL validation report.",
)
@click.option("--jobs", "-j", type=int, default=None, help="Worker processes (default: all cores).")
@click.option(
    "--no-cache",
    "no_cache",
    is_flag=True,
    help="Validate every file again; neither read nor write build/validation-cache.",
)
@click.option(
    "--engine",
    type=click.Choice(["pyshacl", "turbo"]),
    default=None,
    help="SHACL engine (default: $LUPUSKG_SHACL_ENGINE, else turbo, i.e. pyshacl-turbo; "
    "pyshacl: the Python engine, same reports).",
)
def validate_command(
    files: tuple[Path, ...],
    output_format: str,
    jobs: int | None,
    no_cache: bool,
    engine: str | None,
) -> None:
    """Validate documents (default: all of graph/documents/) with SHACL and quote checks."""
    from ..validate import validate  # rdflib and the SHACL engine: not for `--help`

    if engine:
        os.environ[ENGINE_VARIABLE] = engine  # read by every validation worker
    settings = project_settings()
    try:
        report = validate(settings, list(files) or None, jobs=jobs, cache=not no_cache)
    except ParseError as error:
        if error.report is not None:
            _emit(error.report, output_format)
        for each in error.errors:
            click.secho(
                f"ERROR {each.location} malformed Turtle: {each.detail}", fg="red", err=True
            )
        click.secho(f"hint: {error.hint}", fg="yellow", err=True)
        raise SystemExit(2) from None
    _emit(report, output_format)
    raise SystemExit(0 if report.conforms else 1)


def _emit(report: ValidationReport, output_format: str) -> None:
    if output_format == "text":
        for result in report.results:
            click.secho(format_result(result), fg=_COLOURS.get(result.severity))
        click.echo(report.summary())
        return
    graph = report.to_graph()
    if output_format == "turtle":
        click.echo(graph.serialize(format="turtle"))
    else:
        context = {prefix: iri for prefix, iri in PREFIXES.items()}
        click.echo(graph.serialize(format="json-ld", context=context, indent=2))
    click.echo(report.summary(), err=True)
