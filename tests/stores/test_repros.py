"""The minimal reproductions of the engine faults the canned queries work around.

Each ``repros/<name>/`` holds ``data.ttl``, ``bug.rq`` (the construct an engine gets wrong)
and ``portable.rq`` (the rewrite the canned queries use). pyoxigraph gives the spec's rows
for both, so the rewrite changes no answer; rdflib's fault is checked here, Virtuoso's in
``tests/virtuoso/test_virtuoso_findings.py`` (it needs the server).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

REPROS = Path(__file__).parent / "repros"
NAMES = sorted(path.name for path in REPROS.iterdir() if path.is_dir())


def repro(name: str) -> tuple[str, str, str]:
    """(data, bug query, portable query) of ``repros/<name>``."""
    folder = REPROS / name
    data, bug, portable = (
        (folder / part).read_text(encoding="utf-8")
        for part in ("data.ttl", "bug.rq", "portable.rq")
    )
    return data, bug, portable


def oxigraph_rows(data: str, query: str) -> list[tuple[str, ...]]:
    store = ox.Store()
    store.load(data.encode(), format=ox.RdfFormat.TURTLE)
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    names = list(solutions.variables)
    return sorted(
        tuple("" if s[name] is None else s[name].value for name in names) for s in solutions
    )


def rdflib_rows(data: str, query: str) -> list[tuple[str, ...]]:
    graph = rdflib.Graph()
    graph.parse(data=data, format="turtle")
    result = graph.query(query)
    return sorted(tuple("" if value is None else str(value) for value in row) for row in result)  # type: ignore[union-attr]


def test_every_repro_is_complete() -> None:
    assert NAMES == ["rdflib-optional-filter", "virtuoso-correlated-distinct"]


@pytest.mark.parametrize("name", NAMES)
def test_the_rewrite_gives_the_same_rows_by_the_spec(name: str) -> None:
    data, bug, portable = repro(name)
    rows = oxigraph_rows(data, bug)
    assert rows, "an empty answer would prove nothing"
    assert oxigraph_rows(data, portable) == rows


def test_rdflib_drops_the_row_and_the_rewrite_restores_it() -> None:
    """Q02's fault on rdflib 7: if the bug form starts to agree, rdflib fixed it (update the
    comment in queries/Q02 and the benchmark README)."""
    data, bug, portable = repro("rdflib-optional-filter")
    spec = oxigraph_rows(data, bug)
    example = "http://example.com/q02/"
    assert (example + "c1", example + "S1", example + "D1") in spec
    assert rdflib_rows(data, bug) != spec, "rdflib no longer drops the row: update Q02's note"
    assert rdflib_rows(data, portable) == spec
