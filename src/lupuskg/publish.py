"""Publish the built dataset to a remote store through the SPARQL 1.1 Graph Store HTTP Protocol.

One PUT per named graph (the ontology graph and one graph per document), read from the
last good build. PUT replaces the graph, so publishing twice leaves the remote store
in the same state. Works with Virtuoso (`/sparql-graph-crud-auth`, digest auth), Fuseki
(`/<dataset>/data`), GraphDB (`/repositories/<id>/rdf-graphs/service`) and Oxigraph (`/store`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pyoxigraph as ox

from .config import Settings
from .exceptions import LupusKGError
from .store import open_store

__all__ = ["PublishError", "PublishedGraph", "graph_payloads", "publish"]

#: N-Triples is a subset of Turtle and the form every store parses most reliably
CONTENT_TYPE = "text/turtle; charset=utf-8"
AUTH_SCHEMES = ("digest", "basic")

#: called with (graph IRI, triples) after each graph is stored
Progress = Callable[[str, int], None]


class PublishError(LupusKGError):
    """The remote store refused or could not be reached."""


@dataclass(frozen=True)
class PublishedGraph:
    graph: str
    triples: int
    status: int


def graph_payloads(store: ox.Store) -> list[tuple[str, int, bytes]]:
    """(graph IRI, triple count, N-Triples bytes) for every named graph, in IRI order."""
    payloads = []
    for graph in sorted(store.named_graphs(), key=lambda node: node.value):
        if not isinstance(graph, ox.NamedNode):
            continue
        triples = [quad.triple for quad in store.quads_for_pattern(None, None, None, graph)]
        payloads.append(
            (graph.value, len(triples), ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
        )
    return payloads


def _auth(user: str | None, password: str | None, scheme: str) -> httpx.Auth | None:
    if user is None:
        return None
    if scheme not in AUTH_SCHEMES:
        raise PublishError(f"unknown authentication scheme {scheme!r}", hint="use digest or basic")
    if scheme == "digest":
        return httpx.DigestAuth(user, password or "")
    return httpx.BasicAuth(user, password or "")


def publish(
    settings: Settings,
    store_url: str,
    *,
    user: str | None = None,
    password: str | None = None,
    auth: str = "digest",
    timeout: float = 120.0,
    progress: Progress | None = None,
) -> list[PublishedGraph]:
    """PUT every named graph of the last good build to `store_url?graph=<iri>`."""
    payloads = graph_payloads(open_store(settings))
    results = []
    with httpx.Client(auth=_auth(user, password, auth), timeout=timeout) as client:
        for graph, count, body in payloads:
            status = _put(client, store_url, graph, body)
            results.append(PublishedGraph(graph, count, status))
            if progress is not None:
                progress(graph, count)
    return results


def _put(client: httpx.Client, store_url: str, graph: str, body: bytes) -> int:
    try:
        response = client.put(
            store_url, params={"graph": graph}, content=body, headers={"Content-Type": CONTENT_TYPE}
        )
    except httpx.HTTPError as error:
        raise PublishError(
            f"cannot reach the graph store at {store_url}: {error}",
            hint="check the URL (Virtuoso: http://HOST:8890/sparql-graph-crud-auth) and that it is running",
        ) from error
    if response.status_code in (401, 403):
        raise PublishError(
            f"the graph store refused the credentials for <{graph}> (HTTP {response.status_code})",
            hint="pass --user/--password and the right --auth (Virtuoso uses digest)",
        )
    if response.status_code >= 300:
        detail = " ".join(response.text.split())[:300]
        raise PublishError(f"storing <{graph}> failed with HTTP {response.status_code}: {detail}")
    return response.status_code
