"""`lupuskg publish` against a minimal in-process Graph Store Protocol server.

The server checks basic auth on every request, keeps what each PUT sends, and can be told
to drop the connection (close without answering) on its n-th PUT, as a store that crashes
or a proxy that times out would.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlparse

import pytest
import rdflib
from publish_helpers import XSD_NNI, exported

from lupuskg.config import Settings
from lupuskg.namespaces import ONTOLOGY_GRAPH
from lupuskg.publish import (
    PublishIncompleteError,
    StoreCredentialsError,
    StoreUnreachableError,
    publish,
    state_file,
)

CREDENTIALS = "Basic " + base64.b64encode(b"editor:secret").decode()


class _GraphStore(BaseHTTPRequestHandler):
    graphs: ClassVar[dict[str, rdflib.Graph]] = {}
    puts: ClassVar[list[str]] = []
    reads: ClassVar[int] = 0
    drop_on_put: ClassVar[int | None] = None  # 1-based number of the PUT to drop

    def _authorised(self) -> bool:
        if self.headers.get("Authorization") == CREDENTIALS:
            return True
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="gsp"')
        self.send_header("Content-Length", "0")
        self.end_headers()
        return False

    def do_HEAD(self) -> None:
        if not self._authorised():
            return
        _GraphStore.reads += 1
        graph = parse_qs(urlparse(self.path).query)["graph"][0]
        self.send_response(200 if graph in self.graphs else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_PUT(self) -> None:
        if not self._authorised():
            return
        graph = parse_qs(urlparse(self.path).query)["graph"][0]
        body = self.rfile.read(int(self.headers["Content-Length"]))
        assert self.headers["Content-Type"].startswith("text/turtle")
        if self.drop_on_put is not None and len(self.puts) + 1 == self.drop_on_put:
            _GraphStore.drop_on_put = None
            self.close_connection = True
            self.connection.shutdown(2)  # no status line: the client sees a dropped connection
            return
        existed = graph in self.graphs
        self.graphs[graph] = rdflib.Graph().parse(data=body, format="turtle")
        self.puts.append(graph)
        self.send_response(204 if existed else 201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def graph_store(built_settings: Settings) -> Iterator[str]:
    _GraphStore.graphs = {}
    _GraphStore.puts = []
    _GraphStore.reads = 0
    _GraphStore.drop_on_put = None
    state_file(built_settings).unlink(missing_ok=True)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _GraphStore)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/store"
    httpd.shutdown()
    httpd.server_close()


def _publish(settings: Settings, url: str, **options: object):  # type: ignore[no-untyped-def]
    return publish(settings, url, user="editor", password="secret", auth="basic", **options)  # type: ignore[arg-type]


def _cli(settings: Settings, url: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from lupuskg.cli import main; sys.exit(main())",
            "publish",
            "--store",
            url,
            "--user",
            "editor",
            "--password",
            "secret",
            "--auth",
            "basic",
            *extra,
        ],
        env={**os.environ, "LUPUSKG_HOME": str(settings.root)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_publish_sends_exactly_the_exported_graphs_ontology_first(
    built_settings: Settings, graph_store: str
) -> None:
    local = exported(built_settings)
    first = _publish(built_settings, graph_store)
    assert [item.status for item in first.graphs] == [201] * len(local)
    assert _GraphStore.puts[0] == ONTOLOGY_GRAPH
    assert sorted(_GraphStore.puts) == sorted(local)
    for iri, graph in local.items():
        assert rdflib.compare.isomorphic(_GraphStore.graphs[iri], graph), iri
    # datatypes as encoded: the store would have turned these into xsd:integer
    received = [
        obj
        for graph in _GraphStore.graphs.values()
        for obj in graph.objects()
        if isinstance(obj, rdflib.Literal) and str(obj.datatype) == XSD_NNI
    ]
    assert received
    second = _publish(built_settings, graph_store)  # PUT replaces: rerunning is harmless
    assert [item.status for item in second.graphs] == [204] * len(local)
    assert sorted(_GraphStore.puts) == sorted(list(local) * 2)
    assert second.triples == sum(len(graph) for graph in local.values())


def test_wrong_credentials_are_found_before_the_first_put(
    built_settings: Settings, graph_store: str
) -> None:
    with pytest.raises(StoreCredentialsError, match=r"refused the credentials \(HTTP 401\)"):
        publish(built_settings, graph_store, user="editor", password="wrong", auth="basic")
    with pytest.raises(StoreCredentialsError, match="access without credentials"):
        publish(built_settings, graph_store)
    assert _GraphStore.puts == []
    result = _cli(built_settings, graph_store, "--password", "wrong")  # the last one counts
    assert result.returncode == 1
    assert "nothing was sent" in result.stderr
    assert "Traceback" not in result.stderr
    assert _GraphStore.puts == []


def test_an_unreachable_store_is_found_before_the_first_put(built_settings: Settings) -> None:
    with pytest.raises(StoreUnreachableError, match="cannot reach the graph store"):
        _publish(built_settings, "http://127.0.0.1:9/store")


def test_a_dropped_connection_mid_publish_lists_what_is_old_and_resume_finishes(
    built_settings: Settings, graph_store: str
) -> None:
    local = exported(built_settings)
    order = [ONTOLOGY_GRAPH, *sorted(iri for iri in local if iri != ONTOLOGY_GRAPH)]
    _GraphStore.drop_on_put = 3
    result = _cli(built_settings, graph_store)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "the connection dropped" in result.stderr
    assert f"2 of {len(local)} graphs replaced: ontology, " in result.stderr
    names = [iri.rsplit("/", 1)[1] for iri in order]
    still_old = result.stderr.split("still old (or not confirmed) on the store: ")[1]
    assert all(name in still_old for name in names[2:6])
    assert "--resume" in result.stderr
    assert _GraphStore.puts == order[:2]

    resumed = _cli(built_settings, graph_store, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert f"({2} already current, skipped)" in resumed.stdout
    assert _GraphStore.puts == order  # the first two were not sent again
    for iri, graph in local.items():
        assert rdflib.compare.isomorphic(_GraphStore.graphs[iri], graph), iri

    again = _publish(built_settings, graph_store, resume=True)  # idempotent: nothing to send
    assert again.sent == []
    assert _GraphStore.puts == order


def test_a_refused_graph_stops_with_a_count(built_settings: Settings, graph_store: str) -> None:
    local = exported(built_settings)
    _GraphStore.drop_on_put = 1
    with pytest.raises(PublishIncompleteError) as caught:
        _publish(built_settings, graph_store)
    assert caught.value.replaced == []
    assert caught.value.remaining[0] == ONTOLOGY_GRAPH
    assert len(caught.value.remaining) == len(local)
    assert str(caught.value).startswith("publishing stopped at graph ontology: ")
