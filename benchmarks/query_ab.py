"""Canned queries before and after a rewrite, on one built corpus, in one process.

``python benchmarks/query_ab.py --project CORPUS --before OLD_QUERIES_DIR [--after DIR]``

Copies the corpus's built store into memory (what ``lupuskg serve`` answers from), then
runs every canned query of both query directories through ``lupuskg.queries.run_sparql``
(the production path: union default graph, parameter defaults as substitutions, results
decoded), interleaved run by run so that both sides see the same machine load. It
reports per query the rows, both medians and their ratio, and whether the two texts
return the same rows **in the same order** (the golden files compare order too). The load
average is sampled before and after every query. ``--json FILE`` keeps every figure.

The corpus must have been built by the code under test (derived and closure graphs
included; ``--reclosure`` recomputes the closure graph with this checkout's code instead), e.g. ``benchmarks/generate.py 1000 --out DIR`` then
``LUPUSKG_HOME=DIR lupuskg build --no-validate``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from common import ROOT, load_average, project_settings

__all__ = ["main"]


def _queries(directory: Path, limit: Any = None) -> dict[str, tuple[str, dict[str, Any]]]:
    """Each query's default call (a drill-down: its default page), or ``limit`` rows."""
    from lupuskg.queries import load_catalog, page, page_of, resolve_parameters

    def no_runner(_sparql: str, _bindings: Any) -> Any:
        raise RuntimeError("label look-up is not expected for default parameters")

    return {
        query_id: (
            page(query.sparql, *page_of(query, limit)),
            resolve_parameters(query, {}, no_runner),
        )
        for query_id, query in load_catalog(directory).items()
    }


def _rows(result: Any) -> list[tuple[str, ...]]:
    return [
        tuple(
            "" if cell is None else f"{cell.kind}|{cell.lexical}|{cell.datatype}|{cell.language}"
            for cell in row
        )
        for row in result.rows
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--before", type=Path, required=True, help="the old queries/ directory")
    parser.add_argument("--after", type=Path, default=ROOT / "queries")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--only", default="", help="comma-separated query ids")
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--before-limit",
        default=None,
        help="LIMIT for the before side ('all': a drill-down's every row); default: its default call",
    )
    parser.add_argument(
        "--reclosure",
        action="store_true",
        help="recompute graph/closure with this checkout's lupuskg.closure (as a build would)",
    )
    args = parser.parse_args(argv)

    settings = project_settings(args.project)
    from lupuskg.queries import run_sparql
    from lupuskg.store import copy_into_memory, open_store

    store = copy_into_memory(open_store(settings))
    if args.reclosure:
        from lupuskg.closure import add_closure

        started = time.perf_counter()
        add_closure(store)
        print(f"closure recomputed in {time.perf_counter() - started:.2f} s", flush=True)
    limit = args.before_limit
    before = _queries(args.before, int(limit) if limit and limit.isdigit() else limit)
    after = _queries(args.after)
    wanted = [q for q in args.only.split(",") if q] or sorted(set(before) | set(after))
    report: dict[str, Any] = {"project": str(args.project), "cpus": os.cpu_count(), "queries": {}}
    print("| query | rows | before ms | after ms | after/before | same rows, same order | load |")
    print("|---|---:|---:|---:|---:|---|---|")
    for query_id in wanted:
        sides = {"before": before.get(query_id), "after": after.get(query_id)}
        times: dict[str, list[float]] = {"before": [], "after": []}
        rows: dict[str, list[tuple[str, ...]]] = {}
        load_start = load_average()
        for _ in range(args.repeats):
            for side, query in sides.items():
                if query is None:
                    continue
                started = time.perf_counter()
                result = run_sparql(store, query[0], query[1])
                times[side].append((time.perf_counter() - started) * 1000)
                rows.setdefault(side, _rows(result))
        load_end = load_average()
        medians = {side: statistics.median(t) if t else None for side, t in times.items()}
        same = rows.get("before") == rows.get("after") if len(rows) == 2 else None
        entry = {
            "rows": {side: len(r) for side, r in rows.items()},
            "median_ms": medians,
            "runs_ms": times,
            "same_rows_same_order": same,
            "load": [load_start, load_end],
        }
        report["queries"][query_id] = entry
        b, a = medians["before"], medians["after"]
        ratio = f"{a / b:.2f}" if a is not None and b else "–"
        n = len(rows.get("after", rows.get("before", [])))
        print(
            f"| {query_id} | {n:,} | {b or 0:,.1f} | {a or 0:,.1f} | {ratio} | {same} "
            f"| {load_start}-{load_end} |",
            flush=True,
        )
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
