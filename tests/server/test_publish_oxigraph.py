"""`lupuskg publish` into a real Oxigraph server (PyPI `oxigraph`, the dev extra): graphs and datatypes.

The server runs on a free loopback port with a store in a temp dir; publish goes to its
Graph Store endpoint ``/store`` and the check reads back through its SPARQL endpoint ``/query``.

Oxigraph itself stores ``xsd:nonNegativeInteger`` (and the other derived integer types) as
``xsd:integer`` and rewrites lexical forms (``32.0`` as ``32``), in the server as in pyoxigraph.
So the test checks that publish *sends* the encoded datatypes, and that the server then holds
exactly what Oxigraph makes of those payloads, no more and no less.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from publish_helpers import (
    XSD_NNI,
    exported,
    local_datatype_counts,
    remote_datatype_counts,
    remote_triple_counts,
)

from lupuskg.config import Settings
from lupuskg.publish import graph_payloads, publish, state_file

READY_SECONDS = 60.0


def _binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if Path(found).exists():
        return found
    message = "the oxigraph server (PyPI `oxigraph`, in the dev extra) is not installed"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def oxigraph_server(tmp_path: Path) -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = (tmp_path / "oxigraph.log").open("wb")
    process = subprocess.Popen(
        [
            _binary(),
            "serve",
            "--location",
            str(tmp_path / "store"),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + READY_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"oxigraph serve exited with {process.returncode}")
            try:
                if httpx.get(base + "/query", params={"query": "ASK {}"}, timeout=2).is_success:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("oxigraph serve did not answer")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_publish_into_oxigraph_server_keeps_graphs_and_datatypes(
    built_settings: Settings, oxigraph_server: str
) -> None:
    state_file(built_settings).unlink(missing_ok=True)
    local = exported(built_settings)
    result = publish(built_settings, oxigraph_server + "/store")
    assert result.graphs[0].graph.endswith("/ontology")
    endpoint = oxigraph_server + "/query"
    assert remote_triple_counts(endpoint) == {iri: len(graph) for iri, graph in local.items()}
    payloads = graph_payloads(built_settings)
    assert sum(payload.body.count(XSD_NNI.encode()) for payload in payloads) > 0  # sent as such
    reference = ox.Store()  # what Oxigraph's own canonicalisation makes of the payloads
    for payload in payloads:
        reference.load(
            payload.body, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(payload.graph)
        )
    expected: Counter[tuple[str, str]] = Counter()
    for quad in reference:
        if isinstance(quad.object, ox.Literal) and not quad.object.language:
            expected[(quad.graph_name.value, quad.object.datatype.value)] += 1
    assert remote_datatype_counts(endpoint, set(local)) == expected
    assert local_datatype_counts(local)[(payloads[1].graph, XSD_NNI)] > 0

    again = publish(built_settings, oxigraph_server + "/store")  # replaces, never doubles
    assert [item.status for item in again.graphs] == [204] * len(local)
    assert remote_triple_counts(endpoint) == {iri: len(graph) for iri, graph in local.items()}
