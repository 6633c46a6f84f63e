"""`lupuskg build` and `lupuskg fmt`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..config import settings as project_settings
from ..exceptions import LupusKGError

if TYPE_CHECKING:
    from ..build import BuildResult

__all__ = ["build_command", "fmt_command", "print_build_summary", "run_build"]


def run_build(validate: bool = True, wait: bool = False) -> BuildResult:
    """Build with a rich progress bar; returns the BuildResult."""
    from rich.progress import BarColumn, Progress, TextColumn

    from ..build import build

    settings = project_settings()
    with Progress(
        TextColumn("[bold]build[/]"), BarColumn(), TextColumn("{task.description}"), transient=True
    ) as bar:
        task = bar.add_task("starting", total=None)

        def advance(what: str, done: int, total: int) -> None:
            bar.update(task, description=what, completed=done, total=total)

        return build(settings, validate=validate, progress=advance, wait=wait)


def print_build_summary(result: BuildResult) -> None:
    """One row per named graph: triples, claims, studies and quotes."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"build {result.generation}", title_justify="left")
    for column in ("graph", "triples", "claims", "studies", "quotes"):
        table.add_column(column, justify="left" if column == "graph" else "right")
    for summary in result.graphs:
        table.add_row(
            summary.graph.rsplit("/", 1)[-1],
            str(summary.triples),
            str(summary.claims),
            str(summary.studies),
            str(summary.quotes),
        )
    console = Console()
    console.print(table)
    console.print(
        f"built {result.triples} triples in {len(result.graphs)} graphs "
        f"in {result.seconds:.2f}s -> {result.store_dir}"
    )


@click.command("build")
@click.option("--no-validate", is_flag=True, help="Skip SHACL/quote validation (not for release).")
@click.option("--wait", is_flag=True, help="Wait for a build already running, instead of refusing.")
def build_command(no_validate: bool, wait: bool) -> None:
    """Parse, validate and load everything into the embedded store, atomically."""
    print_build_summary(run_build(validate=not no_validate, wait=wait))


@click.command("fmt")
@click.option(
    "--check", is_flag=True, help="Only report files that are not canonical; exit 1 if any."
)
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def fmt_command(check: bool, files: tuple[Path, ...]) -> None:
    """Rewrite Turtle files in canonical form (sorted, stable blank nodes, one prefix map)."""
    from ..canonical import canonical_files, format_file
    from ..rdfio import display_path, syntax_for

    settings = project_settings()
    for path in files:
        if path.suffix.lower() != ".ttl" or syntax_for(path).name != "ttl":
            raise LupusKGError(
                f"{display_path(path, settings.root)} is not Turtle; `lupuskg fmt` rewrites "
                "Turtle files only and leaves other syntaxes untouched",
                hint="convert it with `lupuskg export` or give only .ttl files",
            )
    targets = list(files) or canonical_files(settings)
    changed = [format_file(path, settings, check=check) for path in targets]
    changed = [result for result in changed if result.changed]
    for result in changed:
        click.echo(f"{'not canonical' if check else 'reformatted'}: {result.path}")
    if check and changed:
        raise LupusKGError(
            f"{len(changed)} file(s) are not canonical", hint="run `lupuskg fmt` to rewrite them"
        )
    click.echo(
        f"{len(targets)} file(s) checked, {len(changed)} {'differ' if check else 'rewritten'}"
    )
