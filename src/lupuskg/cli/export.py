"""`lupuskg export` and `lupuskg release`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..config import settings as project_settings
from ..formats import EXPORT_FORMATS, by_suffix
from .progress import progress_output

if TYPE_CHECKING:
    from ..release import ReleaseResult

__all__ = ["export_command", "release_command"]


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default=None,
    help="Output syntax (default: from the -o extension, else ttl; trig with --nanopubs).",
)
@click.option(
    "--graph",
    "graph",
    metavar="SLUG",
    help="Only this named graph (a document slug or 'ontology').",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here, not stdout.",
)
@click.option("--nanopubs", is_flag=True, help="Write each claim as a nanopublication (TriG).")
def export_command(fmt: str | None, graph: str | None, output: Path | None, nanopubs: bool) -> None:
    """Export the built dataset canonically (byte-identical across runs)."""
    from ..export import export

    if fmt is None:
        syntax = by_suffix(output.suffix) if output else None
        fmt = "trig" if nanopubs else syntax.name if syntax else "ttl"
    result, data = export(project_settings(), fmt, graph=graph, out=output, nanopubs=nanopubs)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    what = "nanopublications" if nanopubs else "graph(s)"
    click.echo(
        f"wrote {result.path} ({result.format}, {result.graphs} {what}, "
        f"{result.triples} triples, {result.bytes} bytes)",
        err=True,
    )


@click.command("release")
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write lupuskg-<version>/ into (default: [tool.lupuskg] release-dir, dist/).",
)
@click.option(
    "--previous",
    type=click.Path(exists=True, path_type=Path),
    help="A previous release folder; CHANGES.md lists the triples added and removed per graph.",
)
@click.option("--endpoint-url", help="Public SPARQL endpoint to announce as void:sparqlEndpoint.")
def release_command(output: Path | None, previous: Path | None, endpoint_url: str | None) -> None:
    """Write the versioned release bundle: ontology, shapes, data, queries, VoID, docs, checksums."""
    from ..release import write_release

    with progress_output(plain=True, prefix="release: ") as progress:  # stderr
        result = write_release(
            project_settings(),
            output,
            previous=previous,
            endpoint_url=endpoint_url,
            progress=progress,
        )
    print_release(result)


def print_release(result: ReleaseResult) -> None:
    """The bundle's files with their sizes, then where it is."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"release lupuskg {result.version}", title_justify="left")
    table.add_column("file")
    table.add_column("bytes", justify="right")
    for file in result.files:
        table.add_row(file.path, f"{file.bytes:,}")
    console = Console()
    console.print(table)
    if result.changes is not None:
        added = sum(len(c.added) for c in result.changes)
        removed = sum(len(c.removed) for c in result.changes)
        console.print(f"changes against the previous release: +{added} / -{removed} triples")
    console.print(
        f"{len(result.files)} files, {result.bytes:,} bytes, {result.triples} triples, "
        f"{result.nanopubs} nanopublications"
    )
    console.print(f"release bundle written to {result.directory}")
