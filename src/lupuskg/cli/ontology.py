"""`lupuskg ontology check`: the QC report and HermiT, one line per finding."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ..config import project_root
from ..config import settings as project_settings
from ..exceptions import OntologyError

if TYPE_CHECKING:
    import rdflib
    from rich.console import Console

    from ..config import Settings

__all__ = ["check_command", "ontology_group"]

_STYLE = {"ERROR": "bold red", "WARN": "yellow", "INFO": "cyan"}


@click.group("ontology")
def ontology_group() -> None:
    """Check the ontology: HermiT and QC report."""


@ontology_group.command("check")
@click.option("--no-reasoner", is_flag=True, help="Skip HermiT; run only the QC report.")
def check_command(no_reasoner: bool) -> None:
    """Run the ROBOT-style QC report and HermiT; exit 1 on any ERROR or inconsistency."""
    from rich.console import Console
    from rich.markup import escape

    from ..ontology import curie, load_ontology_graph, qc_report

    console = Console(highlight=False, soft_wrap=True)
    settings = project_settings(project_root())
    graph = load_ontology_graph(settings)
    findings = qc_report(graph, settings)
    for finding in findings:
        style = _STYLE[finding.level]
        console.print(
            f"[{style}]{finding.level}[/] {finding.rule} "
            f"{escape(curie(finding.subject))} {escape(finding.message)}"
        )
    errors = sum(1 for finding in findings if finding.level == "ERROR")
    console.print(f"QC: {errors} ERROR, {len(findings) - errors} WARN/INFO")
    problems = [f"{errors} QC ERROR(s)"] if errors else []
    if no_reasoner:
        console.print("HermiT: skipped (--no-reasoner)")
    else:
        problems += _reason(console, settings, graph)
    if problems:
        raise OntologyError(
            "ontology check failed: " + "; ".join(problems),
            hint="fix the findings printed above, then re-run `lupuskg ontology check`",
        )


def _reason(console: Console, settings: Settings, graph: rdflib.Graph) -> list[str]:
    """Run HermiT, print its verdict, and return the problems it found."""
    from rich.markup import escape

    from ..ontology import curie, run_hermit

    try:
        result = run_hermit(settings, graph)
    except OntologyError as error:
        console.print(f"[bold red]HermiT: {escape(str(error))}[/]")
        return ["HermiT could not classify the ontology"]
    if result.java_missing:
        console.print("[yellow]Java not found: skipped HermiT, QC still ran[/]")
        return []
    if not result.consistent:
        console.print(f"[bold red]HermiT: INCONSISTENT[/] in {result.seconds:.2f}s")
        return ["the ontology is inconsistent"]
    for iri in result.unsatisfiable:
        console.print(
            f"[bold red]ERROR[/] unsatisfiable_class {escape(curie(iri))} "
            "is equivalent to owl:Nothing; check its disjointness and restrictions"
        )
    console.print(
        f"HermiT: consistent ({len(result.unsatisfiable)} unsatisfiable classes) "
        f"in {result.seconds:.2f}s"
    )
    return [f"{len(result.unsatisfiable)} unsatisfiable class(es)"] if result.unsatisfiable else []
