"""`--endpoint`: the CLI answers on a real SPARQL endpoint exactly as on the embedded store.

A real `lupuskg serve` runs in a subprocess on a free loopback port over the same built
project; `lupuskg query` and `lupuskg sparql` are run once embedded and once through
`--endpoint`, and the two answers are compared as multisets of rows.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from lupuskg.cli import main
from lupuskg.config import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "server"))
from serve_helpers import Server, free_port, start_server, stop_server

ADHOC = """PREFIX lkg: <https://w3id.org/lupuskg/vocab/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?claim ?therapy ?statement ?doc
WHERE {
  ?claim lkg:intervention ?therapy ;
    lkg:statement ?statement ;
    lkg:sourceDocument ?doc .
  ?therapy rdfs:subClassOf* lkg:MSCTherapy .
}
"""


@pytest.fixture(scope="module")
def endpoint(built_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The SPARQL URL of a `lupuskg serve` over the built project, stopped at teardown."""
    server: Server = start_server(
        built_settings, tmp_path_factory.mktemp("serve-endpoint") / "serve.log"
    )
    try:
        yield server.endpoint
    finally:
        stop_server(server)  # terminate, then kill, each with a bounded wait


def _run(*args: str, input: str | None = None) -> str:
    result = CliRunner().invoke(main, list(args), input=input)
    assert result.exit_code == 0, result.output + (result.stderr or "")
    return result.stdout


def _rows(tsv: str) -> tuple[list[str], Counter[tuple[str, ...]]]:
    """Header and the rows as a multiset of N-Triples terms ('' for unbound)."""
    solutions = ox.parse_query_results(tsv.encode("utf-8"), ox.QueryResultsFormat.TSV)
    names = [variable.value for variable in solutions.variables]
    rows = Counter(
        tuple("" if solution[name] is None else str(solution[name]) for name in names)
        for solution in solutions
    )
    return names, rows


@pytest.mark.parametrize(
    "params",
    [(), ("--param", "therapy=MSC", "--param", "condition=SLE")],
    ids=["defaults", "msc-sle"],
)
def test_query_q05_on_endpoint_equals_embedded(endpoint: str, params: tuple[str, ...]) -> None:
    embedded = _rows(_run("query", "Q05", *params, "--format", "tsv"))
    remote = _rows(_run("query", "Q05", *params, "--format", "tsv", "--endpoint", endpoint))
    assert sum(embedded[1].values()) > 0
    assert remote == embedded


def test_sparql_stdin_on_endpoint_equals_embedded(endpoint: str) -> None:
    embedded = _rows(_run("sparql", "-", "--format", "tsv", input=ADHOC))
    remote = _rows(_run("sparql", "-", "--format", "tsv", "--endpoint", endpoint, input=ADHOC))
    # the subclass path crosses the ontology graph and the document graphs (union default graph)
    assert ("<https://w3id.org/lupuskg/vocab/UCMSCTherapy>") in {row[1] for row in embedded[1]}
    assert remote == embedded


def test_endpoint_option_is_honoured(built_settings: Settings) -> None:
    """Nothing listens on this port, so a run that really goes remote must fail."""
    dead = f"http://127.0.0.1:{free_port()}/sparql"
    result = CliRunner().invoke(main, ["query", "Q05", "--format", "tsv", "--endpoint", dead])
    assert result.exit_code != 0
    assert "Traceback" not in (result.stderr or "")
