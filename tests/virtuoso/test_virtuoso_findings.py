"""The minimal reproduction of README.md V1 on the test Virtuoso, and the portable rewrite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

pytestmark = pytest.mark.virtuoso

PREFIXES = (
    "PREFIX : <http://example.com/v1/> PREFIX owl: <http://www.w3.org/2002/07/owl#> "
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
)
DATA = """@prefix : <http://example.com/v1/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
:A rdfs:subClassOf :B , :C .  :B rdfs:subClassOf :T .  :C rdfs:subClassOf :T .
:T rdfs:subClassOf :Top .  :U rdfs:subClassOf :Top .
:A a owl:Class . :B a owl:Class . :C a owl:Class . :T a owl:Class . :U a owl:Class . :Top a owl:Class .
:c1 a :Claim ; :i :A .  :c2 a :Claim ; :i :A .  :c3 a :Claim ; :i :B .
""" + "".join(f":u{n} :i :U .\n" for n in range(1, 10))
SPEC = [("c1", "A"), ("c2", "A"), ("c3", "B")]
DIRECT = "SELECT ?claim ?c WHERE { ?claim a :Claim ; :i ?c . ?c rdfs:subClassOf* :T }"
PORTABLE = (
    "SELECT ?claim ?c WHERE { VALUES ?t { :T } ?claim a :Claim ; :i ?c . "
    "{ SELECT DISTINCT ?c ?t WHERE { ?t a owl:Class . ?c rdfs:subClassOf* ?t } LIMIT 1000000 } }"
)


def _loaded(virtuoso, graph: str, turtle: bytes) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Put ``turtle`` into its own ``graph`` for the module's tests, and delete it after them,
    so that the parity tests on the same Virtuoso never see it."""
    auth = httpx.DigestAuth("dba", "dba")
    response = httpx.put(
        virtuoso.graph_store,
        params={"graph": graph},
        content=turtle,
        headers={"Content-Type": "text/turtle"},
        auth=auth,
        timeout=60,
    )
    assert response.status_code in (200, 201, 204), response.text[:300]
    yield graph
    httpx.delete(virtuoso.graph_store, params={"graph": graph}, auth=auth, timeout=60)


@pytest.fixture(scope="module")
def v1_graph(virtuoso) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The V1 data in its own graph."""
    yield from _loaded(virtuoso, "http://example.com/v1/graph", DATA.encode())


def _rows(virtuoso, query: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    response = httpx.post(
        virtuoso.sparql,
        data={"query": PREFIXES + query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    response.raise_for_status()
    short = "http://example.com/v1/"
    return sorted(
        (row["claim"]["value"].removeprefix(short), row["c"]["value"].removeprefix(short))
        for row in response.json()["results"]["bindings"]
    )


def test_portable_closure_gives_the_spec_rows(virtuoso, v1_graph: str) -> None:  # type: ignore[no-untyped-def]
    assert _rows(virtuoso, PORTABLE) == SPEC


def test_direct_path_join_still_differs(virtuoso, v1_graph: str) -> None:  # type: ignore[no-untyped-def]
    """V1 itself: if this starts to pass, Virtuoso fixed it; update README.md and the queries."""
    assert _rows(virtuoso, DIRECT) != SPEC, (
        "V1 no longer reproduces: update tests/virtuoso/README.md"
    )


# ---- V4: a DISTINCT sub-select run once per outer row (tests/stores/repros) -------------

REPRO = Path(__file__).resolve().parents[1] / "stores" / "repros" / "virtuoso-correlated-distinct"


def _spec_rows(data: str, query: str) -> list[tuple[str, ...]]:
    """The rows by the spec: pyoxigraph on the same data (tests/stores/test_repros.py)."""
    store = ox.Store()
    store.load(data.encode(), format=ox.RdfFormat.TURTLE)
    solutions = store.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [variable.value for variable in solutions.variables]
    return sorted(tuple(s[name].value for name in names) for s in solutions)  # type: ignore[union-attr]


def _virtuoso_rows(virtuoso, query: str, names: list[str]) -> list[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    response = httpx.post(
        virtuoso.sparql,
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=120,
    )
    response.raise_for_status()
    return sorted(
        tuple(row[name]["value"] for name in names)
        for row in response.json()["results"]["bindings"]
    )


@pytest.fixture(scope="module")
def v4_graph(virtuoso) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The V4 reproduction data in its own graph."""
    yield from _loaded(virtuoso, "http://example.com/r/graph", (REPRO / "data.ttl").read_bytes())


def test_v4_limited_inner_distinct_gives_the_spec_rows(virtuoso, v4_graph: str) -> None:  # type: ignore[no-untyped-def]
    data = (REPRO / "data.ttl").read_text(encoding="utf-8")
    portable = (REPRO / "portable.rq").read_text(encoding="utf-8")
    spec = _spec_rows(data, portable)
    assert len(spec) == 309
    assert _virtuoso_rows(virtuoso, portable, ["t", "o", "d"]) == spec


def test_v4_correlated_distinct_still_loses_rows(virtuoso, v4_graph: str) -> None:  # type: ignore[no-untyped-def]
    """V4 itself: if this starts to pass, Virtuoso fixed it; update README.md and Q10/Q10-pairs."""
    data = (REPRO / "data.ttl").read_text(encoding="utf-8")
    bug = (REPRO / "bug.rq").read_text(encoding="utf-8")
    spec = _spec_rows(data, bug)
    there = _virtuoso_rows(virtuoso, bug, ["t", "o", "d"])
    assert len(there) < len(spec), "V4 no longer reproduces: update tests/virtuoso/README.md"
    assert set(there) <= set(spec)  # rows lost, none invented
