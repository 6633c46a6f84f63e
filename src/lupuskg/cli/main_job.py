"""`lupuskg all`: the main job README command (a) runs on the embedded default.

Order matters: the ontology is checked, documents are validated, and only then is
the store rebuilt, queried and exported; a failure at any step keeps the last good
store and release.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ..config import settings as project_settings
from ..exceptions import OntologyError, ValidationFailed

if TYPE_CHECKING:
    from rich.console import Console

    from ..config import Settings

__all__ = ["all_command"]


@click.command("all")
@click.option("--no-reasoner", is_flag=True, help="Skip HermiT (QC still runs).")
def all_command(no_reasoner: bool) -> None:
    """Check the ontology, validate, build, answer the canned questions, write the release."""
    from rich.console import Console

    console = Console()
    settings = project_settings()
    _check_ontology(console, settings, reasoner=not no_reasoner)
    _validate(console, settings)
    _build(console)
    _answer(console, settings)
    _release(console, settings)


def _check_ontology(console: Console, settings: Settings, *, reasoner: bool) -> None:
    from ..ontology import load_ontology_graph, qc_report, run_hermit

    findings = qc_report(load_ontology_graph(settings), settings)
    errors = [finding for finding in findings if finding.level == "ERROR"]
    console.print(
        f"[bold]ontology[/] QC: {len(errors)} ERROR, {len(findings) - len(errors)} WARN/INFO"
    )
    if errors:
        raise OntologyError(
            f"ontology QC found {len(errors)} ERROR(s)", hint="run `lupuskg ontology check`"
        )
    if not reasoner:
        return
    result = run_hermit(settings)
    if result.java_missing:
        console.print("[yellow]ontology[/] Java not found: HermiT skipped, QC still ran")
    elif not result.consistent or result.unsatisfiable:
        raise OntologyError(
            "HermiT: the ontology is inconsistent or has unsatisfiable classes",
            hint="run `lupuskg ontology check` for details",
        )
    else:
        console.print(
            f"[bold]ontology[/] HermiT: consistent, 0 unsatisfiable classes in {result.seconds:.2f}s"
        )


def _validate(console: Console, settings: Settings) -> None:
    from ..validate import validate

    report = validate(settings)
    console.print(
        f"[bold]validate[/] {len(report.files)} documents, {report.violations} violations, "
        f"{report.warnings} warnings in {report.seconds:.2f}s"
    )
    if not report.conforms:
        raise ValidationFailed(
            f"validation found {report.violations} violation(s); the store was not replaced",
            hint="run `lupuskg validate` to see each one with its file and line",
        )


def _build(console: Console) -> None:
    from .build import print_build_summary, run_build

    print_build_summary(run_build(validate=False))


def _answer(console: Console, settings: Settings) -> None:
    from rich.table import Table

    from ..queries import catalog, write_answers

    out_dir = settings.build_dir / "answers"
    answers = write_answers(settings, out_dir)
    titles = {query_id: query.title for query_id, query in catalog(settings).items()}
    table = Table(title="canned evidence questions", title_justify="left")
    table.add_column("id")
    table.add_column("question")
    table.add_column("rows", justify="right")
    for query_id, rows in answers:
        table.add_row(query_id, titles.get(query_id, ""), str(rows))
    console.print(table)
    console.print(f"answers written to {out_dir}")


def _release(console: Console, settings: Settings) -> None:
    from ..release import write_release
    from .progress import progress_output

    with progress_output(plain=True, prefix="release: ") as progress:  # as `lupuskg release`
        result = write_release(settings, progress=progress)
    console.print(f"[bold]release[/] {len(result.files)} files written to {result.directory}")
