"""What a readable table costs next to CSV: a canned query at scale, rendered both ways.

On a built project (e.g. ``python benchmarks/generate.py 1000 --out DIR`` then
``LUPUSKG_HOME=DIR lupuskg build --no-validate``), in one process, median of ``--repeats``:

- ``query``: the canned query with its own columns (``labels=False``);
- ``query_labels``: the same plus the ``…Label`` lookup (lupuskg.labels);
- ``csv``: writing the labelled result as CSV;
- ``table``: the default table (COLUMNS=100, first 50 rows, plain text off a TTY);
- ``table_wide``: ``--wide`` (every column and row).

Usage: ``python benchmarks/table_render.py DIR [--query Q05] [--repeats 5]``.
Writes ``benchmarks/results/table-render.json`` (merged per project size) and prints it.
Figures are recorded, never asserted in tests.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
RESULTS = ROOT / "benchmarks" / "results" / "table-render.json"


def _median_s(action: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--query", default="Q05")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    os.environ["LUPUSKG_HOME"] = str(args.project)
    os.environ["COLUMNS"] = "100"

    from lupuskg.config import settings
    from lupuskg.queries import embedded_runner, execute
    from lupuskg.store import open_store, read_manifest
    from lupuskg.tables import render_table

    project = settings(args.project)
    run = embedded_runner(open_store(project))
    _, _, result = execute(args.query, settings=project, runner=run)
    documents = sum(
        entry["graph"].rsplit("/", 1)[-1] != "ontology"
        for entry in read_manifest(project)["graphs"]
    )
    figures = {
        "query": args.query,
        "documents": documents,
        "rows": len(result),
        "columns_with_labels": len(result.variables),
        "repeats": args.repeats,
        "seconds": {
            "query": _median_s(
                lambda: execute(args.query, settings=project, runner=run, labels=False),
                args.repeats,
            ),
            "query_labels": _median_s(
                lambda: execute(args.query, settings=project, runner=run), args.repeats
            ),
            "csv": _median_s(lambda: result.serialize("csv"), args.repeats),
            "table": _median_s(lambda: render_table(result, file=io.StringIO()), args.repeats),
            "table_wide": _median_s(
                lambda: render_table(result, file=io.StringIO(), wide=True), args.repeats
            ),
        },
        "cpus": os.cpu_count(),
    }
    merged = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    merged[f"{args.query}@{documents}"] = figures
    RESULTS.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
