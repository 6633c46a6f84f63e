"""Forest plots (PNG and SVG) and the input table (JSON and CSV) of one pooled estimate.

matplotlib runs on its Agg backend, so nothing needs a display; the SVG carries no date
and a fixed hash salt, so two runs on the same data write the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from .pooling import PooledEstimate, instrument_label

__all__ = [
    "COLUMNS",
    "forest_figure",
    "input_rows",
    "save_figure",
    "summary",
    "write_forest",
    "write_inputs",
]

#: the columns of the input table (CSV, data frame), in order
COLUMNS = (
    "label",
    "study",
    "arm",
    "result",
    "document",
    "events",
    "total",
    "proportion",
    "ci_lower",
    "ci_upper",
    "weight",
    "time_point",
    "instrument",
)


def input_rows(pooled: PooledEstimate) -> list[dict[str, Any]]:
    """One row per pooled arm: counts, its own 95% Wilson interval and its weight."""
    rows = []
    for arm, weight in zip(pooled.arms, pooled.weights, strict=True):
        lower, upper = arm.wilson_interval()
        rows.append(
            {
                "label": arm.label,
                "study": arm.study,
                "arm": arm.arm,
                "result": arm.result,
                "document": arm.document,
                "events": arm.events,
                "total": arm.total,
                "proportion": round(arm.proportion, 6),
                "ci_lower": round(lower, 6),
                "ci_upper": round(upper, 6),
                "weight": round(weight, 6),
                "time_point": arm.time_point,
                "instrument": arm.instrument,
            }
        )
    return rows


def summary(pooled: PooledEstimate) -> dict[str, Any]:
    """The pooled estimate as plain data (JSON, notebooks, the CLI table)."""
    return {
        "method": pooled.method,
        "estimate": round(pooled.estimate, 6),
        "ci_lower": round(pooled.ci_lower, 6),
        "ci_upper": round(pooled.ci_upper, 6),
        "tau2": round(pooled.tau2, 6),
        "i2": round(pooled.i2, 6),
        "q": round(pooled.q, 6),
        "studies": pooled.studies,
        "patients": pooled.patients,
        "instruments": list(pooled.instruments),
        "across_instruments": pooled.across_instruments,
    }


def write_inputs(pooled: PooledEstimate, out_dir: Path, stem: str) -> list[Path]:
    """``<stem>.json`` (inputs and pooled estimate) and ``<stem>.csv`` (inputs)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = input_rows(pooled)
    json_path = out_dir / f"{stem}.json"
    json_path.write_text(
        json.dumps({"pooled": summary(pooled), "inputs": rows}, indent=2) + "\n", encoding="utf-8"
    )
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    csv_path = out_dir / f"{stem}.csv"
    csv_path.write_text(buffer.getvalue(), encoding="utf-8")
    return [json_path, csv_path]


def forest_figure(pooled: PooledEstimate, title: str) -> Any:
    """The forest plot as a matplotlib ``Figure`` (not attached to pyplot, so never shown twice).

    One row per arm, labelled first author and year with events/n (and, in a pool across
    instruments, the row's outcome definition), its 95% Wilson interval and a square sized
    by weight; the pooled estimate is a diamond.
    """
    from matplotlib.figure import Figure

    rows = input_rows(pooled)
    figure = Figure(figsize=(8, 1.6 + 0.45 * (len(rows) + 2)))
    _draw(figure.add_subplot(), rows, pooled, title)
    figure.tight_layout()
    return figure


def save_figure(figure: Any, out_dir: Path, stem: str) -> list[Path]:
    """``<stem>.png`` (150 dpi) and ``<stem>.svg``, both free of dates and versions.

    The SVG has a fixed hash salt for its element ids, so the same figure gives the same bytes.
    """
    import matplotlib

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / f"{stem}.png", out_dir / f"{stem}.svg"]
    with matplotlib.rc_context({"svg.hashsalt": "lupuskg", "svg.fonttype": "none"}):
        figure.savefig(paths[0], dpi=150, metadata={"Software": None})
        figure.savefig(paths[1], metadata={"Date": None, "Creator": None})
    return paths


def write_forest(pooled: PooledEstimate, out_dir: Path, stem: str, title: str) -> list[Path]:
    """``<stem>.png`` and ``<stem>.svg``: one row per arm (first author and year), a pooled diamond."""
    return save_figure(forest_figure(pooled, title), out_dir, stem)


def _draw(axes: Any, rows: list[dict[str, Any]], pooled: PooledEstimate, title: str) -> None:
    count = len(rows)
    biggest = max(row["weight"] for row in rows)
    for index, row in enumerate(rows):
        y = count - index
        axes.plot([row["ci_lower"], row["ci_upper"]], [y, y], color="black", linewidth=1)
        axes.plot(
            row["proportion"], y, "s", color="#1f4e79", markersize=4 + 8 * row["weight"] / biggest
        )
    diamond_x = [pooled.ci_lower, pooled.estimate, pooled.ci_upper, pooled.estimate]
    axes.fill(diamond_x, [0, 0.25, 0, -0.25], color="#c0392b")
    axes.axvline(pooled.estimate, color="#c0392b", linestyle=":", linewidth=0.8)
    labels = [f"{row['label']}  {row['events']}/{row['total']}" for row in rows]
    if pooled.across_instruments:  # pooled across definitions: each row names its own
        labels = [
            f"{label}  [{instrument_label(row['instrument'])}]"
            for label, row in zip(labels, rows, strict=True)
        ]
    axes.set_yticks([*range(count, 0, -1), 0])
    axes.set_yticklabels(
        [
            *labels,
            f"{pooled.method} pooled  {pooled.patients} patients, "
            f"I²={100 * pooled.i2:.0f}%, τ²={pooled.tau2:.3f}",
        ]
    )
    axes.set_xlim(0, 1)
    axes.set_ylim(-0.8, count + 0.8)
    axes.set_xlabel(
        f"proportion (95% CI); pooled {pooled.estimate:.3f} "
        f"[{pooled.ci_lower:.3f}, {pooled.ci_upper:.3f}]"
    )
    axes.set_title(title)
    axes.grid(axis="x", color="#dddddd", linewidth=0.5)
