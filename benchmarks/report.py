"""The benchmark's reports: verdicts against the targets, markdown tables and the log-log plot.

``python benchmarks/report.py results/latest.json`` re-writes latest.md and scaling.png from
an earlier results JSON (run.py calls it after every size, in another process, so that
matplotlib never inflates the runner's peak RSS).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
from pathlib import Path
from typing import Any

from common import COLD_QUERY, TARGETS, timed

__all__ = ["main", "markdown", "plot_name", "plot_scaling", "summarise", "write_reports"]


def _query_verdicts(top: dict[str, Any], engine: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(median target, speed-up target) for one oxigraph variant at the largest size."""
    ours = timed(top.get(engine, {}))
    theirs = timed(top["rdflib"])
    untimed = sorted(set(top.get(engine, {}).get("queries", {})) - set(ours))
    limit = TARGETS["query_median_ms"]
    slow: dict[str, Any] = {q: r["median_ms"] for q, r in ours.items() if r["median_ms"] > limit}
    slow.update({q: "skipped: estimated too slow to time" for q in untimed})
    median = {
        "documents": top["documents"],
        "met": bool(ours) and not slow,
        "over_target": slow,
        "max_ms": max((r["median_ms"] for r in ours.values()), default=None),
    }
    ratios = {
        q: round(theirs[q]["median_ms"] / ours[q]["median_ms"], 1)
        for q in ours
        if q in theirs and ours[q]["median_ms"] > 0
    }
    missing = sorted(set(top.get(engine, {}).get("queries", {})) - set(ratios))
    speedup = {
        "documents": top["documents"],
        "met": (min(ratios.values()) >= TARGETS["speedup_vs_rdflib"] and not missing)
        if ratios
        else None,
        "min_ratio": min(ratios.values(), default=None),
        "below_target": {q: r for q, r in ratios.items() if r < TARGETS["speedup_vs_rdflib"]},
        "not_compared": missing,
        "note": top["rdflib"].get("skipped") or top["rdflib"].get("error"),
    }
    return median, speedup


def _peer_verdict(top: dict[str, Any], engine: str) -> dict[str, Any]:
    """No slower than the best peer with identical rows, for at least 17 of 19 queries."""
    ours = timed(top.get(engine, {}))
    compared, behind = 0, {}
    for query_id, result in ours.items():
        best = best_peer(top, query_id)
        if best is None:
            continue
        compared += 1
        if result["median_ms"] > best[1]["median_ms"]:
            behind[query_id] = (
                f"{result['median_ms']:.1f} vs {PEERS[best[0]]} {best[1]['median_ms']:.1f}"
            )
    ahead = compared - len(behind)
    measured = any(top.get(name, {}).get("queries") for name in PEERS)
    return {
        "documents": top["documents"],
        "met": (ahead >= TARGETS["peer_wins"]) if measured else None,
        "no_slower": ahead,
        "compared": compared,
        "behind": behind,
    }


def _growth(sizes: list[dict[str, Any]]) -> dict[str, float]:
    """Time ratio per 10x more documents, for steps from 100 documents up."""
    growth: dict[str, float] = {}
    for small, big in itertools.pairwise(sizes):
        if small["documents"] < 100:
            continue
        exponent = math.log(big["documents"] / small["documents"]) / math.log(10)
        pairs = [
            (stage, small[stage].get("seconds"), big[stage].get("seconds"))
            for stage in ("build", "validate")
        ]
        for engine in ("oxigraph", "oxigraph_memory"):
            a, b = timed(small.get(engine, {})), timed(big.get(engine, {}))
            pairs += [(f"{engine} {q}", a[q]["median_ms"], b[q]["median_ms"]) for q in a if q in b]
        for name, before, after in pairs:
            if before and after:
                step = f"{name} {small['documents']}->{big['documents']}"
                growth[step] = round((after / before) ** (1 / exponent), 2)
    return growth


def summarise(sizes: list[dict[str, Any]], cold: dict[str, Any]) -> dict[str, Any]:
    """Which targets are met, with the figures behind each verdict."""
    verdicts: dict[str, Any] = {}
    top = sizes[-1] if sizes else None
    if top:
        median, speedup = _query_verdicts(top, "oxigraph")
        verdicts["query_median_ms"], verdicts["speedup_vs_rdflib"] = median, speedup
        median, speedup = _query_verdicts(top, "oxigraph_memory")
        verdicts["query_median_ms_memory"], verdicts["speedup_vs_rdflib_memory"] = median, speedup
        total = (top["build"].get("seconds") or 0) + (top["validate"].get("seconds") or 0)
        verdicts["build_plus_validate_s"] = {
            "documents": top["documents"],
            "seconds": round(total, 2),
            "build_s": top["build"].get("seconds"),
            "validate_s": top["validate"].get("seconds"),
            "met": total <= TARGETS["build_plus_validate_s"],
        }
        verdicts["vs_best_peer"] = _peer_verdict(top, "oxigraph_memory")
        verdicts["vs_best_peer_disk"] = _peer_verdict(top, "oxigraph")
    growth = _growth(sizes)
    over = {step: ratio for step, ratio in growth.items() if ratio > TARGETS["growth_per_10x"]}
    verdicts["growth_per_10x"] = {
        "met": (not over) if growth else None,
        "over_target": over,
        "max": max(growth.values(), default=None),
        "note": "time ratio per 10x documents, steps from 100 documents up (see JSON for all)",
    }
    verdicts["growth_ratios"] = growth
    if "median_s" in cold:
        verdicts["cold_query_s"] = {
            "seconds": cold["median_s"],
            "met": cold["median_s"] <= TARGETS["cold_query_s"],
        }
    return verdicts


def plot_name(stem: str) -> str:
    return "scaling.png" if stem == "latest" else f"{stem}-scaling.png"


def write_reports(results: dict[str, Any], out: Path, stem: str = "latest") -> list[Path]:
    """Write <stem>.json, <stem>.md and the scaling plot; return the paths written."""
    paths = [out / f"{stem}.json", out / f"{stem}.md"]
    paths[0].write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    paths[1].write_text(markdown(results), encoding="utf-8")
    plot = out / plot_name(stem)
    if plot_scaling(results, plot):
        paths.append(plot)
    return paths


def _fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _stage_cell(result: dict[str, Any], key: str = "seconds") -> str:
    if "skipped" in result:
        return f"skipped ({result['skipped']})"
    if "error" in result:
        return f"error ({result['error']})"
    return _fmt(result.get(key))


def markdown(results: dict[str, Any]) -> str:
    """The results as markdown tables: stages, per-query medians, targets, cold start."""
    sizes = results["sizes"]
    machine = results["machine"]
    lines = [
        "# lupuskg scaling benchmark",
        "",
        f"Run {results['created']} on {machine['cpus']} CPUs, Python {machine['python']}, "
        f"pyoxigraph {machine['pyoxigraph']}, rdflib {machine['rdflib']}; "
        f"query medians over {results['settings']['repeats']} runs. "
        "Reproduce with `python benchmarks/run.py` (see benchmarks/README.md).",
        "",
        *(
            []
            if results.get("complete", True)
            else [
                f"**Partial results:** the run was stopped after {sizes[-1]['documents']} "
                "documents; larger sizes are missing.",
                "",
            ]
        ),
        "## Stages (seconds; peak RSS in MB per stage process)",
        "",
        "| documents | triples | generate | build (check + load) | validate | build + validate "
        "| rdflib load | peak MB build / validate / oxigraph / rdflib |",
        "|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for entry in sizes:
        build, validate, ox, rd = (entry[k] for k in ("build", "validate", "oxigraph", "rdflib"))
        both = (build.get("seconds") or 0) + (validate.get("seconds") or 0)
        violations = validate.get("violations")
        lines.append(
            f"| {entry['documents']} | {build.get('triples', '–')} | {_fmt(entry['generate_s'])} "
            f"| {_stage_cell(build)} ({_fmt(build.get('check_s'))} + {_fmt(build.get('load_and_summary_s'))}) "
            f"| {_stage_cell(validate)}{'' if violations in (None, 0) else f' ({violations} violations)'} "
            f"| {_fmt(both)} | {_stage_cell(rd, 'load_s')} "
            f"| {' / '.join(_fmt(r.get('peak_rss_mb'), 0) for r in (build, validate, ox, rd))} |"
        )
    for entry in sizes:
        lines += _query_table(entry)
    lines += ["", "## Targets", "", "| target | goal | measured | met |", "|---|---|---|---|"]
    verdicts = results["verdicts"]
    goals = {
        "query_median_ms": "every canned query median ≤ 100 ms, on-disk store (largest size)",
        "query_median_ms_memory": "the same, store copied into memory (largest size)",
        "speedup_vs_rdflib": "every canned query ≥ 25× faster than rdflib, on-disk store",
        "speedup_vs_rdflib_memory": "the same, store copied into memory",
        "build_plus_validate_s": "build + validation ≤ 60 s (largest size)",
        "growth_per_10x": "10× documents ≤ 12× time",
        "cold_query_s": f"cold `lupuskg query {COLD_QUERY}` ≤ 0.3 s",
        "vs_best_peer": "no slower than the best peer with identical rows for ≥ 17 queries, "
        "in memory (largest size)",
        "vs_best_peer_disk": "the same, on-disk store",
    }
    for key, goal in goals.items():
        verdict = verdicts.get(key)
        if verdict is None:
            lines.append(f"| {key} | {goal} | not measured | – |")
            continue
        shown = {k: v for k, v in verdict.items() if k != "met"}
        met = {True: "yes", False: "**no**", None: "n/a"}[verdict.get("met")]
        lines.append(f"| {key} | {goal} | `{json.dumps(shown, ensure_ascii=False)}` | {met} |")
    cold = results.get("cold_query", {})
    lines += ["", f"## Cold start: `lupuskg query {COLD_QUERY}` on the seed graph", ""]
    if "median_s" in cold:
        lines.append(
            f"Median wall time {cold['median_s']} s over {cold['runs']} runs (min {cold['min_s']} s); "
            f"bare `python -c pass` takes {cold['python_startup_s']} s. "
            "Top-level imports by cumulative time (`python -X importtime`):"
        )
        lines += ["", "| module | cumulative ms | self ms |", "|---|---:|---:|"]
        lines += [
            f"| {e['module']} | {e['cumulative_ms']} | {e['self_ms']} |" for e in cold["importtime"]
        ]
    else:
        lines.append(f"not measured: `{json.dumps(cold)}`")
    return "\n".join(lines) + "\n"


def _ms(result: dict[str, Any] | None) -> str:
    if result is None:
        return "–"
    if "median_ms" not in result:
        return "skipped"
    runs = result["runs"]
    note = "" if runs >= 5 else f" ({runs} run{'s' if runs > 1 else ''})"
    return f"{result['median_ms']:.1f}{note}"


def _ratio(slow: dict[str, Any] | None, fast: dict[str, Any] | None) -> str:
    if not slow or not fast or "median_ms" not in slow or "median_ms" not in fast:
        return "–"
    if not fast["median_ms"]:
        return "–"
    ratio = slow["median_ms"] / fast["median_ms"]
    if ratio < 1:
        return f"{ratio:.2f}×"
    return f"{ratio:.1f}×" if ratio < 10 else f"{ratio:.0f}×"


PEERS = {"virtuoso": "Virtuoso", "oxigraph_server": "Oxigraph server"}


def best_peer(entry: dict[str, Any], query_id: str) -> tuple[str, dict[str, Any]] | None:
    """The fastest peer whose rows equal the embedded engine's (same digest), if any."""
    ours = entry.get("oxigraph", {}).get("queries", {}).get(query_id, {})
    digest = ours.get("digest")
    if not digest:
        return None
    equal = [
        (name, result)
        for name in PEERS
        if (result := entry.get(name, {}).get("queries", {}).get(query_id, {})).get("digest")
        == digest
        and "median_ms" in result
    ]
    return min(equal, key=lambda item: item[1]["median_ms"]) if equal else None


def _peer_cell(entry: dict[str, Any], name: str, query_id: str) -> str:
    result = entry.get(name, {}).get("queries", {}).get(query_id)
    if result is None:
        return "–"
    if "error" in result:
        return "error"
    shown = _ms(result)
    ours = entry.get("oxigraph", {}).get("queries", {}).get(query_id, {})
    if "digest" in result and ours.get("digest") and result["digest"] != ours["digest"]:
        shown += f" (rows differ: {result['rows']})"
    return shown


def _query_table(entry: dict[str, Any]) -> list[str]:
    """Median ms per canned query at one size, on every engine, with ratios."""
    names = ("oxigraph", "oxigraph_memory", "rdflib", *PEERS)
    engines = {name: entry.get(name, {}) for name in names}
    notes = [
        f"{name}: {result['skipped']}" for name, result in engines.items() if "skipped" in result
    ]
    lines = [
        "",
        f"## Canned queries at {entry['documents']} documents: median ms",
        "",
        "Peers count only where their rows equal the embedded engine's (digest of the",
        'engine-neutral rows); "best peer" is the fastest such peer, and the last column',
        "is our in-memory median (what `lupuskg serve` answers from) over the best peer's.",
        "",
        "| query | rows | oxigraph on disk | oxigraph in memory | rdflib | rdflib ÷ memory "
        "| Virtuoso | Oxigraph server | best peer | memory ÷ best peer |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    query_ids = sorted({q for result in engines.values() for q in result.get("queries", {})})
    for query_id in query_ids:
        disk, memory, rdflib = (
            engines[n].get("queries", {}).get(query_id)
            for n in ("oxigraph", "oxigraph_memory", "rdflib")
        )
        rows = next((r["rows"] for r in (disk, memory, rdflib) if r and "rows" in r), "–")
        best = best_peer(entry, query_id)
        best_cell = f"{PEERS[best[0]]} {_ms(best[1])}" if best else "none with equal rows"
        lines.append(
            f"| {query_id} | {rows} | {_ms(disk)} | {_ms(memory)} | {_ms(rdflib)} "
            f"| {_ratio(rdflib, memory)} | {_peer_cell(entry, 'virtuoso', query_id)} "
            f"| {_peer_cell(entry, 'oxigraph_server', query_id)} | {best_cell} "
            f"| {_ratio(memory, best[1]) if best else '–'} |"
        )
    skipped = sorted(
        f"{name} {q}: {r.get('skipped') or r.get('error')}"
        for name, result in engines.items()
        for q, r in result.get("queries", {}).items()
        if "skipped" in r or "error" in r
    )
    if notes or skipped:
        lines += ["", "Skipped or failed: " + "; ".join(notes + skipped)]
    return lines


def plot_scaling(results: dict[str, Any], path: Path) -> bool:
    """Log-log plot of seconds against documents, one line per stage."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series: dict[str, list[tuple[int, float]]] = {}

    def add(name: str, docs: int, seconds: float | None) -> None:
        if seconds:
            series.setdefault(name, []).append((docs, seconds))

    names = {"oxigraph": "oxigraph on disk", "oxigraph_memory": "oxigraph in memory",
             "rdflib": "rdflib"}  # fmt: skip
    # sums over the queries timed at every size, so that a skipped query bends no line
    common = {
        engine: set.intersection(*(set(timed(e.get(engine, {}))) for e in results["sizes"]))
        for engine in names
    }
    for entry in results["sizes"]:
        docs = entry["documents"]
        add("build (parse + load)", docs, entry["build"].get("seconds"))
        add("validation", docs, entry["validate"].get("seconds"))
        add("rdflib load", docs, entry["rdflib"].get("load_s"))
        add("oxigraph: copy into memory", docs, entry.get("oxigraph_memory", {}).get("load_s"))
        for engine, label in names.items():
            engine_timed = timed(entry.get(engine, {}))
            medians = [engine_timed[q]["median_ms"] / 1000 for q in sorted(common[engine])]
            if medians:
                add(f"{label}: {len(medians)} queries (sum of medians)", docs, sum(medians))
                add(f"{label}: slowest of them", docs, max(medians))
    if not series:
        return False
    figure, axes = plt.subplots(figsize=(10, 6))
    for name, points in series.items():
        xs, ys = zip(*points, strict=True)
        style = "--" if name.startswith("rdflib") else "-"
        axes.plot(xs, ys, style, marker="o", label=name)
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("documents (≈100 triples each)")
    axes.set_ylabel("seconds")
    axes.set_title("lupuskg: cost against corpus size")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5))
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path, metavar="JSON")
    args = parser.parse_args(argv)
    results = json.loads(args.results.read_text(encoding="utf-8"))
    results["verdicts"] = summarise(results["sizes"], results.get("cold_query", {}))
    for path in write_reports(results, args.results.parent, stem=args.results.stem):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
