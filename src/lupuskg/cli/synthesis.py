"""`lupuskg meta`, `lupuskg profile` and `lupuskg map`: synthesis of the evidence in the store.

Only click is imported at start; statsmodels and matplotlib load when a command runs.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..synthesis.pooling import DEFAULT_METHOD, METHODS
from .progress import progress_output

if TYPE_CHECKING:
    from ..synthesis.meta import MetaAnalysis

__all__ = ["map_command", "meta_command", "profile_command"]

F = TypeVar("F", bound=Callable[..., Any])


def _out_dir(default: str, help_text: str) -> Callable[[F], F]:
    """The ``-o/--output`` folder option of `meta` and `map`."""
    return click.option(
        "-o",
        "--output",
        "out_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path(default),
        show_default=True,
        help=help_text,
    )


@click.command("meta")
@click.option("--outcome", required=True, help="Outcome: label, synonym, CURIE or IRI.")
@click.option("--therapy", required=True, help="Therapy: label, synonym, CURIE or IRI.")
@click.option("--timepoint", "time_point", metavar="DURATION", help="Only results at, e.g., P12M.")
@click.option(
    "--instrument",
    metavar="CURIE",
    help="Only results measured with it (lkg:SLEDAI), or 'none' (results that define none); "
    "'any' pools across definitions of the outcome, explicitly, with each row's shown.",
)
@click.option(
    "--exact-outcome",
    is_flag=True,
    help="Only results on the outcome class itself, not on its subclasses.",
)
@click.option(
    "--method",
    type=click.Choice(list(METHODS)),
    default=DEFAULT_METHOD,
    show_default=True,
    help="τ² estimator: DerSimonian–Laird or Paule–Mandel.",
)
@_out_dir("build/meta", "Folder for the forest plot (PNG, SVG) and inputs (JSON, CSV).")
@click.option("--json", "as_json", is_flag=True, help="Print the pooled estimate as JSON.")
def meta_command(
    outcome: str,
    therapy: str,
    time_point: str | None,
    instrument: str | None,
    exact_outcome: bool,
    method: str,
    out_dir: Path,
    as_json: bool,
) -> None:
    """Pool per-arm proportions across studies (random effects, logit scale)."""
    from ..synthesis.meta import meta

    with progress_output() as progress:
        analysis = meta(
            outcome,
            therapy,
            time_point=time_point,
            instrument=instrument,
            method=method,
            out_dir=out_dir,
            progress=progress,
            exact_outcome=exact_outcome,
        )
    if as_json:
        click.echo(
            json.dumps({"pooled": analysis.summary(), "inputs": analysis.inputs()}, indent=2)
        )
    else:
        _print_meta(analysis, outcome)
    for path in analysis.files:
        click.echo(f"wrote {path}", err=True)


def _print_meta(analysis: MetaAnalysis, outcome: str) -> None:
    from rich.table import Table

    from ..results import compact, wide_console
    from ..synthesis.pooling import instrument_label

    summary = analysis.summary()
    table = Table(
        title=(
            f"{summary['therapy']} — {summary['outcome']}"
            + (f" at {summary['time_point']}" if summary["time_point"] else "")
        ),
        title_justify="left",
    )
    columns = ("study (first author, year)", "instrument", "events/n", "proportion", "95% CI")
    for column in (*columns, "weight"):
        table.add_column(column)
    for row in analysis.inputs():
        table.add_row(
            f"{row['label']} ({compact(row['result'])})",
            instrument_label(row["instrument"]),
            f"{row['events']}/{row['total']}",
            f"{row['proportion']:.3f}",
            f"{row['ci_lower']:.3f}–{row['ci_upper']:.3f}",
            f"{100 * row['weight']:.1f}%",
        )
    table.add_row(
        f"pooled ({summary['method']}, random effects)",
        "",
        f"{summary['patients']} patients, {summary['studies']} studies",
        f"{summary['estimate']:.3f}",
        f"{summary['ci_lower']:.3f}–{summary['ci_upper']:.3f}",
        f"τ²={summary['tau2']:.3f} I²={100 * summary['i2']:.0f}%",
        style="bold",
    )
    console = wide_console()
    console.print(table)
    definitions = sorted(map(instrument_label, analysis.pooled.instruments))
    if analysis.pooled.across_instruments and len(definitions) > 1:
        console.print(
            f"pooled across {len(definitions)} definitions of {outcome}: "
            f"{', '.join(definitions)} — interpret with the I² shown",
            markup=False,
            highlight=False,
        )


@click.command("profile")
@click.argument("therapy")
@click.option(
    "-f",
    "--format",
    "output_format",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE."
)
def profile_command(therapy: str, output_format: str, output: Path | None) -> None:
    """Certainty profile of THERAPY: one GRADE-style rated row per outcome."""
    from ..synthesis.profile import profile

    with progress_output() as progress:
        rows = profile(therapy, progress=progress).to_records()
    if output_format == "table":
        _print_profile(therapy, rows)
        return
    text = json.dumps(rows, indent=2) + "\n" if output_format == "json" else _csv(rows)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)


def _csv(rows: list[dict[str, object]]) -> str:
    from ..synthesis.profile import COLUMNS

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _print_profile(therapy: str, rows: list[dict[str, object]]) -> None:
    from rich.table import Table

    from ..results import wide_console

    table = Table(title=f"certainty profile: {therapy}", title_justify="left", show_lines=True)
    columns = ("outcome", "studies", "patients", "designs", "directions", "consistency")
    for column in (*columns, "directness", "imprecision", "certainty", "rules"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            *(str(row[c]) for c in columns),
            f"{row['directness']} ({row['populations'] or '-'})",
            str(row["imprecision"]),
            str(row["certainty"]),
            str(row["rules"]).replace("; ", "\n"),
        )
    wide_console().print(table)


@click.command("map")
@_out_dir("build/map", "Folder for index.html (self-contained), map.json, map.png and map.svg.")
def map_command(out_dir: Path) -> None:
    """Evidence gap map: therapies × outcomes, bubbles by patients, gaps visible."""
    from ..synthesis.gapmap import evidence_map, write_map

    with progress_output() as progress:
        evidence = evidence_map(progress=progress)
        paths = write_map(evidence, out_dir, progress)
    for path in paths:
        click.echo(f"wrote {path}")
    filled = len(evidence.cells)
    total = len(evidence.rows) * len(evidence.columns)
    click.echo(
        f"{len(evidence.rows)} therapies × {len(evidence.columns)} outcomes: {filled} of {total} cells have evidence"
    )
