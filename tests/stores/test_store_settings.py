"""The README's store table, against a real Oxigraph server: `--endpoint` never answers a
silent 0 rows. Without `--union-default-graph` (and on an empty store) every canned query
is refused with the setting to change; with it, every canned query gives the embedded rows.
An unknown CURIE or IRI for a parameter is an error that lists the nearest terms."""

from __future__ import annotations

import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import httpx
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


def _readme_oxigraph_block() -> list[str]:
    text = README.read_text(encoding="utf-8").split("### Stores", 1)[1]
    block = re.search(r"```bash\n(.*?)```", text, re.S)
    assert block, "the Stores section has no shell example"
    return [line for line in block.group(1).splitlines() if line.strip()]


def _serve(command: list[str], base: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, f"{command} exited with {process.returncode}"
        try:
            if httpx.get(base + "/query", params={"query": "ASK {}"}, timeout=3).is_success:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    pytest.fail(f"{command[:2]} did not answer within 60 s")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("load", ["curl POST /store", "oxigraph load --location"])
def test_readme_oxigraph_commands_give_rows(
    load: str, built_trig: bytes, built_settings: Settings, tmp_path: Path
) -> None:
    """The README's Oxigraph commands, run as written but for the port and paths: serve
    with --location and --union-default-graph, load the TriG (by the curl line, or by the
    table's `oxigraph load`), then `lupuskg query Q05 --endpoint .../query` prints rows."""
    serve_line, curl_line, query_line = _readme_oxigraph_block()
    binary = Path(sys.executable).with_name("oxigraph")
    if not binary.exists():
        pytest.skip("the oxigraph server is not installed (pip install -e '.[dev]')")
    trig = tmp_path / "lupuskg.trig"
    trig.write_bytes(built_trig)
    port = str(_free_port())

    def local(line: str) -> list[str]:
        line = (
            line.removesuffix("&")
            .replace("7878", port)
            .replace("build/oxigraph", str(tmp_path / "db"))
        )
        line = line.replace("dist/lupuskg-0.1.0/data/lupuskg.trig", str(trig))
        return shlex.split(line)

    serve = local(serve_line)
    assert serve[:2] == ["oxigraph", "serve"] and "--union-default-graph" in serve
    serve[0] = str(binary)
    if load == "oxigraph load --location":
        table = README.read_text(encoding="utf-8").split("### Stores", 1)[1]
        assert "`oxigraph load --location DIR --file lupuskg.trig`" in table
        location = str(tmp_path / "db")
        subprocess.run(
            [str(binary), "load", "--location", location, "--file", str(trig)],
            check=True,
            capture_output=True,
            timeout=300,
        )
    process = _serve(serve, f"http://127.0.0.1:{port}")
    try:
        if load == "curl POST /store":
            curl = local(curl_line)
            if shutil.which("curl") is None:
                pytest.skip("no curl on PATH")
            done = subprocess.run(curl, capture_output=True, timeout=300, check=False)
            assert done.returncode == 0, done.stderr
        query = local(query_line)
        assert query[:3] == ["lupuskg", "query", "Q05"]
        result = CliRunner().invoke(main, [*query[1:], "--format", "csv"])
        assert result.exit_code == 0, result.output
        rows = result.stdout.splitlines()[1:]
        assert len(rows) == len(execute("Q05", settings=built_settings)[2]) > 0
    finally:
        process.terminate()
        process.wait(timeout=30)
