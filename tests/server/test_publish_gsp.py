"""`lupuskg publish` against a minimal in-process Graph Store Protocol server (basic auth, PUT replaces)."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlparse

import pyoxigraph as ox
import pytest

from lupuskg.publish import PublishError, publish
from lupuskg.store import open_store

CREDENTIALS = "Basic " + base64.b64encode(b"editor:secret").decode()


class _GraphStore(BaseHTTPRequestHandler):
    graphs: ClassVar[dict[str, set[ox.Triple]]] = {}
    puts: ClassVar[list[str]] = []

    def do_PUT(self) -> None:
        if self.headers.get("Authorization") != CREDENTIALS:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="gsp"')
            self.end_headers()
            return
        graph = parse_qs(urlparse(self.path).query)["graph"][0]
        body = self.rfile.read(int(self.headers["Content-Length"]))
        assert self.headers["Content-Type"].startswith("text/turtle")
        existed = graph in self.graphs
        self.graphs[graph] = {quad.triple for quad in ox.parse(body, ox.RdfFormat.TURTLE)}
        self.puts.append(graph)
        self.send_response(204 if existed else 201)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def graph_store() -> Iterator[str]:
    _GraphStore.graphs = {}
    _GraphStore.puts = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _GraphStore)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/store"
    httpd.shutdown()
    httpd.server_close()


def test_publish_puts_every_graph_and_rerunning_replaces(built_settings, graph_store) -> None:
    store = open_store(built_settings)
    local = {
        graph.value: {quad.triple for quad in store.quads_for_pattern(None, None, None, graph)}
        for graph in store.named_graphs()
    }
    first = publish(built_settings, graph_store, user="editor", password="secret", auth="basic")
    assert [item.status for item in first] == [201] * len(local)
    assert _GraphStore.graphs == local
    second = publish(built_settings, graph_store, user="editor", password="secret", auth="basic")
    assert [item.status for item in second] == [204] * len(local)
    assert _GraphStore.graphs == local
    assert sorted(_GraphStore.puts) == sorted(list(local) * 2)
    assert sum(item.triples for item in second) == sum(len(triples) for triples in local.values())


def test_publish_reports_refused_credentials_and_unreachable_stores(
    built_settings, graph_store
) -> None:
    with pytest.raises(PublishError, match=r"refused the credentials .* \(HTTP 401\)"):
        publish(built_settings, graph_store, user="editor", password="wrong", auth="basic")
    with pytest.raises(PublishError, match="cannot reach the graph store"):
        publish(
            built_settings,
            "http://127.0.0.1:9/store",
            user="editor",
            password="secret",
            auth="basic",
        )
