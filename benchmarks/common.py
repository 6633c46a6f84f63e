"""What the benchmark programs share: paths, targets, timing, the canned queries on each
engine, engine-neutral rows, and the machine description.

The programs: run.py (the orchestrator: sizes, skips, results files), stages.py (one stage
in a fresh process), cold.py (cold `lupuskg query`), report.py (markdown and plot from a
results JSON) and peers.py (Virtuoso and Oxigraph server on the same data).
"""

from __future__ import annotations

import hashlib
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

from lupuskg.namespaces import XSD  # noqa: E402

__all__ = [
    "COLD_QUERY",
    "CORPUS",
    "HERE",
    "QUERY_BUDGET_S",
    "RESULTS",
    "ROOT",
    "TARGETS",
    "canned_queries",
    "load_average",
    "machine",
    "median_ms",
    "normalise_rows",
    "peak_rss_mb",
    "project_settings",
    "rdflib_dataset",
    "rows_digest",
    "run_oxigraph",
    "run_rdflib",
    "time_queries",
    "timed",
    "to_rdflib",
]

RESULTS = HERE / "results"
CORPUS = HERE / "corpus"
COLD_QUERY = "Q05"
TARGETS = {
    "query_median_ms": 100.0,
    "speedup_vs_rdflib": 25.0,
    "build_plus_validate_s": 60.0,
    "growth_per_10x": 12.0,
    "cold_query_s": 0.3,
    "peer_wins": 17,
}


def canned_queries(settings: Any) -> list[tuple[str, str, dict[str, Any]]]:
    """(id, SPARQL text, default parameter bindings) of every canned query, sorted by id.

    Defaults are resolved exactly as ``lupuskg query`` resolves them (no label look-up is
    needed for defaults, so no runner is called), and the text is what its default call
    runs: a drill-down (Q10-pairs, Q11-pairs) with its default page (``LIMIT 1000``).
    """
    from lupuskg.queries import catalog, page, page_of, resolve_parameters

    def no_runner(_sparql: str, _bindings: Any) -> Any:
        raise RuntimeError("label look-up is not expected for default parameters")

    found = []
    for query_id, query in catalog(settings).items():
        text = page(query.sparql, *page_of(query))
        found.append((query_id, text, resolve_parameters(query, {}, no_runner)))
    return sorted(found, key=lambda item: item[0])


def peak_rss_mb() -> float:
    """Peak RSS of this process (VmHWM) or of its largest worker, in MB.

    ``ru_maxrss`` alone misleads here: Linux carries it across fork and exec, so a stage
    would inherit the runner's peak. VmHWM belongs to the process's own address space.
    Workers (validation) are forked from the stage, so their ``ru_maxrss`` starts at the
    stage's own peak, which is the right floor.
    """
    own = 0.0
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                own = int(line.split()[1]) / 1024
    except OSError:
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return round(max(own, children), 1)


#: a query stops repeating once its runs have taken this long (at least one run)
QUERY_BUDGET_S = 30.0


def median_ms(
    run: Callable[[], int], repeats: int, budget_s: float = QUERY_BUDGET_S
) -> dict[str, Any]:
    """Median of ``repeats`` runs; fewer (reported in ``runs``) once ``budget_s`` is spent."""
    times, rows = [], 0
    spent = 0.0
    for _ in range(repeats):
        started = time.perf_counter()
        rows = run()
        elapsed = time.perf_counter() - started
        times.append(elapsed * 1000)
        spent += elapsed
        if spent > budget_s:
            break
    return {
        "median_ms": round(statistics.median(times), 3),
        "min_ms": round(min(times), 3),
        "first_ms": round(times[0], 3),
        "runs": len(times),
        "rows": rows,
    }


def time_queries(
    queries: list[tuple[str, str, dict[str, Any]]],
    run: Callable[[str, dict[str, Any]], int],
    repeats: int,
    skip: dict[str, str],
) -> dict[str, Any]:
    timed: dict[str, Any] = {}
    for query_id, sparql, bound in queries:
        if query_id in skip:
            timed[query_id] = {"skipped": skip[query_id]}
        else:
            timed[query_id] = median_ms(lambda s=sparql, b=bound: run(s, b), repeats)
    return timed


def run_oxigraph(store: Any, sparql: str, bindings: dict[str, Any] | None = None) -> list[Any]:
    """Evaluate on pyoxigraph with the union default graph; materialise every row."""
    import pyoxigraph as ox

    substitutions = {ox.Variable(name): term for name, term in (bindings or {}).items()}
    result = store.query(
        sparql, use_default_graph_as_union=True, substitutions=substitutions or None
    )
    if isinstance(result, bool):
        return [result]
    if isinstance(result, ox.QuerySolutions):
        variables = list(result.variables)
        return [tuple(solution[v] for v in variables) for solution in result]
    return list(result)  # CONSTRUCT / DESCRIBE triples


def to_rdflib(term: Any) -> Any:
    """A pyoxigraph term as the equivalent rdflib term (for initBindings)."""
    import pyoxigraph as ox
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TypeError(f"cannot bind {term!r}")


def run_rdflib(dataset: Any, sparql: str, bindings: dict[str, Any] | None = None) -> list[Any]:
    """Evaluate on rdflib (Dataset with default_union=True); materialise every row.

    Parameters are pre-bound with initBindings, rdflib's analogue of pyoxigraph's
    substitutions, so both engines do the same work.
    """
    init = {name: to_rdflib(term) for name, term in (bindings or {}).items()}
    result = dataset.query(sparql, initBindings=init) if init else dataset.query(sparql)
    if result.type == "ASK":
        return [bool(result.askAnswer)]
    if result.type == "SELECT":
        variables = list(result.vars or [])
        return [tuple(row.get(v) for v in variables) for row in result.bindings]
    return list(result)


def rdflib_dataset(settings: Any) -> Any:
    """The built store's quads in rdflib, union as the default graph.

    Read from the store rather than the files, so that both engines answer over the
    same data: the documents with their derived months, the closure graph and the
    derived graph (proportions, Wilson intervals, per-arm safety summaries) that the
    canned queries join on. The corpus must have been built first.
    """
    import pyoxigraph as ox
    import rdflib

    from lupuskg.store import open_store

    quads = open_store(settings).dump(format=ox.RdfFormat.N_QUADS)
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(data=quads, format="nquads")
    return dataset


# ---- result normalisation (shared with the equivalence test) ---------------------------

_XSD = XSD
_NUMERIC = {
    _XSD + t
    for t in (
        "integer",
        "decimal",
        "double",
        "float",
        "int",
        "long",
        "nonNegativeInteger",
        "positiveInteger",
        "short",
        "byte",
    )
}


def _norm_term(term: Any) -> tuple[Any, ...] | None:
    """An engine-neutral form of one RDF term (pyoxigraph or rdflib)."""
    if term is None:
        return None
    kind = type(term).__name__
    if kind in ("NamedNode", "URIRef"):
        return ("iri", str(term.value if kind == "NamedNode" else term))
    if kind in ("BlankNode", "BNode"):
        return ("bnode",)
    if kind == "Literal":
        if hasattr(term, "language") and not hasattr(term, "toPython"):  # pyoxigraph
            lexical, language = term.value, term.language
            datatype = term.datatype.value if term.datatype is not None else None
        else:  # rdflib
            lexical, language = str(term), term.language
            datatype = str(term.datatype) if term.datatype is not None else None
        if language:
            return ("lit", lexical, "lang", language.lower())
        datatype = datatype or _XSD + "string"
        if datatype in _NUMERIC:
            from decimal import Decimal, InvalidOperation

            try:
                return ("num", Decimal(lexical).normalize())
            except InvalidOperation:
                return ("num", lexical)
        return ("lit", lexical, datatype)
    if kind in ("Triple", "tuple"):
        return tuple(_norm_term(t) for t in term)
    return ("other", str(term))


def normalise_rows(rows: Iterable[Any]) -> list[Any]:
    """Rows as a sorted list (a multiset) of normalised tuples, comparable across engines."""
    out = []
    for row in rows:
        if isinstance(row, bool):
            out.append(("ask", row))
        elif isinstance(row, tuple):
            out.append(tuple(_norm_term(t) for t in row))
        else:  # a triple
            out.append(
                tuple(_norm_term(t) for t in (row.subject, row.predicate, row.object))
                if hasattr(row, "subject")
                else tuple(_norm_term(t) for t in row)
            )
    return sorted(out, key=repr)


def rows_digest(rows: Iterable[Any]) -> str:
    """A digest of a result's engine-neutral rows (a multiset): equal digests, equal rows."""
    return hashlib.sha256(repr(normalise_rows(rows)).encode("utf-8")).hexdigest()[:16]


def project_settings(project: Path) -> Any:
    os.environ["LUPUSKG_HOME"] = str(project)
    os.environ.pop("LUPUSKG_STORE", None)
    from lupuskg.config import settings

    settings.cache_clear()
    return settings(project)


def timed(result: dict[str, Any]) -> dict[str, Any]:
    """The queries of an engine's result that were timed (not skipped)."""
    return {q: r for q, r in result.get("queries", {}).items() if "median_ms" in r}


def load_average() -> float:
    """The 1-minute load average (the machine is shared: figures are read beside it)."""
    return round(os.getloadavg()[0], 2)


def machine() -> dict[str, Any]:
    import pyoxigraph
    import rdflib

    return {
        "load_average": os.getloadavg(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "pyoxigraph": getattr(pyoxigraph, "__version__", "?"),
        "rdflib": rdflib.__version__,
    }
