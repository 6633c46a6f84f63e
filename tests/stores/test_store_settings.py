"""The README's store table, against a real Oxigraph server: `--endpoint` never answers a
silent 0 rows. Without `--union-default-graph` (and on an empty store) every canned query
is refused with the setting to change; with it, every canned query gives the embedded rows.
An unknown CURIE or IRI for a parameter is an error that lists the nearest terms."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from lupuskg.cli import main
from lupuskg.config import Settings
from lupuskg.exceptions import EndpointSetupError, UnknownParameterError
from lupuskg.queries import catalog, embedded_runner, execute, run_canned
from lupuskg.store import open_store

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(scope="module")
def union_server(oxigraph_factory: Callable[..., object], built_trig: bytes):  # type: ignore[no-untyped-def]
    return oxigraph_factory(union=True, trig=built_trig)


@pytest.fixture(scope="module")
def plain_server(oxigraph_factory: Callable[..., object], built_trig: bytes):  # type: ignore[no-untyped-def]
    return oxigraph_factory(union=False, trig=built_trig)


def _rows(json: bytes) -> Counter[tuple[str, ...]]:
    solutions = ox.parse_query_results(json, ox.QueryResultsFormat.JSON)
    names = [variable.value for variable in solutions.variables]
    return Counter(
        tuple("" if s[name] is None else str(s[name]) for name in names) for s in solutions
    )


def test_every_canned_query_matches_on_union_default_graph(
    union_server, built_settings: Settings
) -> None:
    runner = embedded_runner(open_store(built_settings))
    differ = []
    for query_id in catalog(built_settings):
        _, _, here = execute(query_id, settings=built_settings, runner=runner)
        assert len(here), f"{query_id} has no rows embedded; the comparison would be empty"
        _, _, there = execute(query_id, settings=built_settings, endpoint=union_server.query)
        if _rows(there.json) != _rows(here.json):
            differ.append(f"{query_id}: {len(here)} rows embedded, {len(there)} on Oxigraph server")
    assert not differ, "\n".join(differ)


def test_parameterised_query_matches_on_union_default_graph(
    union_server, built_settings: Settings
) -> None:
    runner = embedded_runner(open_store(built_settings))
    params = {"therapy": "MSC", "condition": "SLE"}
    _, bound_here, here = execute("Q05", params, settings=built_settings, runner=runner)
    _, bound_there, there = execute(
        "Q05", params, settings=built_settings, endpoint=union_server.query
    )
    assert bound_there == bound_here
    assert len(here) and _rows(there.json) == _rows(here.json)


@pytest.mark.parametrize("query_id", ["Q01", "Q05", "Q18"])
def test_no_union_default_graph_is_refused_with_the_setting(
    query_id: str, plain_server, built_settings: Settings
) -> None:
    result = CliRunner().invoke(main, ["query", query_id, "--endpoint", plain_server.query])
    assert result.exit_code == 1, result.output
    message = result.stderr
    assert "does not query their union as the default graph" in message
    assert "0 rows" in message
    assert "--union-default-graph" in message
    assert "tdb2:unionDefaultGraph" in message
    assert "Traceback" not in message


def test_no_union_default_graph_python_api(plain_server, built_settings: Settings) -> None:
    with pytest.raises(EndpointSetupError, match="union"):
        run_canned("Q05", settings=built_settings, endpoint=plain_server.query, therapy="MSC")


def test_empty_store_is_refused(oxigraph_factory, built_settings: Settings) -> None:  # type: ignore[no-untyped-def]
    empty = oxigraph_factory(union=True, trig=None)
    with pytest.raises(EndpointSetupError) as caught:
        run_canned("Q01", settings=built_settings, endpoint=empty.query)
    assert str(caught.value).endswith("is empty: the canned queries would return 0 rows")
    assert "lupuskg publish" in caught.value.hint


@pytest.mark.parametrize("where", ["embedded", "endpoint"])
def test_unknown_curie_lists_nearest_terms(
    where: str, union_server, built_settings: Settings
) -> None:
    args = ["query", "Q05", "--param", "therapy=lkg:HSCT"]
    if where == "endpoint":
        args += ["--endpoint", union_server.query]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    message = result.stderr
    assert (
        "Q05 parameter 'therapy': 'lkg:HSCT' names no term in the graph; nearest terms: " in message
    )
    assert "obo:MAXO_0000747" in message.split("nearest terms: ")[1]  # HSCT, by its label
    assert "Traceback" not in message


def test_unknown_iri_and_wrong_type_are_errors(built_settings: Settings) -> None:
    with pytest.raises(
        UnknownParameterError, match="names no term in the graph; nearest terms: lkg:MSCTherapy"
    ):
        execute(
            "Q06",
            {"therapy": "https://w3id.org/lupuskg/vocab/MSCTherapie"},
            settings=built_settings,
        )
    with pytest.raises(UnknownParameterError, match=r"which is not a lkg:Therapy"):
        execute("Q06", {"therapy": "obo:CL_0002569"}, settings=built_settings)


def test_readme_names_each_store_setting() -> None:
    """The store table says what the error says (the rows above test Oxigraph and Virtuoso)."""
    text = README.read_text(encoding="utf-8")
    table = text.split("### Stores", 1)[1].split("\n\n", 2)[1]
    for needle in (
        "--union-default-graph",
        "/query",
        "tdb2:unionDefaultGraph",
        "Virtuoso",
        "GraphDB",
    ):
        assert needle in table, needle
