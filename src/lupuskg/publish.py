"""Publish the built dataset to a remote store through the SPARQL 1.1 Graph Store HTTP Protocol.

What is sent: exactly the graphs ``lupuskg export`` writes (:func:`lupuskg.dataset.load_graphs`:
the ontology graph, one graph per document and the derived graph), read from the files the
last good build loaded, so literals keep the datatypes we encoded and validated
(``"5"^^xsd:nonNegativeInteger`` stays so; the Oxigraph store would hand it back as
``xsd:integer``). Each graph goes as canonical N-Triples (sorted lines, content-derived
blank-node labels), which every store parses as Turtle.

How it is sent, honestly:

1. **Before the first PUT** a read of the ontology graph (HEAD, or GET when HEAD is not
   allowed) with the given credentials checks that the store is reachable and accepts them;
   either failure changes nothing remotely and says so.
2. **The ontology graph first**, then the documents and the derived graph in IRI order,
   one PUT each; PUT replaces a graph, so a rerun never doubles anything.
3. **On a failure** (refused, HTTP error, dropped connection) publishing stops and raises
   :class:`PublishIncompleteError`: "N of M graphs replaced: …; still old on the store: …".
4. **A record of what is current** on each store (graph IRI and the SHA-256 of the payload
   sent) is kept in ``build/publish-state.json``, updated after every PUT. With
   ``resume=True`` graphs whose identical payload the record says the store already holds
   are skipped, so a retry after a failure sends only what is still old. The record is
   trusted: if someone else changed the remote store since, publish without resume.

Works with Virtuoso (``/sparql-graph-crud-auth``, digest auth), Fuseki (``/<dataset>/data``),
GraphDB (``/repositories/<id>/rdf-graphs/service``) and Oxigraph server (``/store``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from .config import Settings
from .dataset import load_graphs
from .exceptions import (
    PublishError,
    PublishIncompleteError,
    StoreCredentialsError,
    StoreUnreachableError,
)
from .namespaces import GRAPH, ONTOLOGY_GRAPH
from .serialization import serialize

__all__ = [
    "AUTH_SCHEMES",
    "GraphPayload",
    "PublishError",
    "PublishIncompleteError",
    "PublishResult",
    "PublishedGraph",
    "StoreCredentialsError",
    "StoreUnreachableError",
    "graph_payloads",
    "publish",
    "state_file",
]

#: N-Triples is a subset of Turtle, and Turtle is the type every graph store accepts
CONTENT_TYPE = "text/turtle; charset=utf-8"
#: the HTTP authentication schemes publish speaks; the first is the default (Virtuoso's)
AUTH_SCHEMES = ("digest", "basic")
STATE_FILE = "publish-state.json"

#: called with (graph IRI, triples, skipped) after each graph is stored or skipped
Progress = Callable[[str, int, bool], None]


@dataclass(frozen=True)
class GraphPayload:
    """One graph as it is sent: its IRI, triple count, N-Triples bytes and their SHA-256."""

    graph: str
    triples: int
    body: bytes
    sha256: str


@dataclass(frozen=True)
class PublishedGraph:
    graph: str
    triples: int
    #: HTTP status of the PUT, or None when resume skipped a graph the store already holds
    status: int | None

    @property
    def skipped(self) -> bool:
        return self.status is None


@dataclass
class PublishResult:
    store: str
    graphs: list[PublishedGraph] = field(default_factory=list)
    #: False when build/publish-state.json could not be written (a read-only project)
    state_saved: bool = True

    @property
    def sent(self) -> list[PublishedGraph]:
        return [item for item in self.graphs if not item.skipped]

    @property
    def triples(self) -> int:
        return sum(item.triples for item in self.graphs)


def graph_payloads(settings: Settings) -> list[GraphPayload]:
    """The graphs ``export`` writes, as canonical N-Triples; the ontology graph first."""
    graphs = load_graphs(settings)
    order = sorted(graphs, key=lambda iri: (iri != ONTOLOGY_GRAPH, iri))
    payloads = []
    for iri in order:
        body = serialize({iri: graphs[iri]}, "nt")
        payloads.append(GraphPayload(iri, len(graphs[iri]), body, hashlib.sha256(body).hexdigest()))
    return payloads


def state_file(settings: Settings) -> Path:
    """Where the record of what each store holds is kept (under the build directory)."""
    return Path(settings.build_dir) / STATE_FILE


def publish(
    settings: Settings,
    store_url: str,
    *,
    user: str | None = None,
    password: str | None = None,
    auth: str = AUTH_SCHEMES[0],
    timeout: float = 120.0,
    resume: bool = False,
    progress: Progress | None = None,
) -> PublishResult:
    """PUT every graph of the last good build to ``store_url?graph=<iri>``, ontology first."""
    if not store_url.startswith(("http://", "https://")):
        raise PublishError(f"the store URL {store_url!r} is not an http(s) URL")
    payloads = graph_payloads(settings)  # raises before any network use if the build is stale
    state_path = state_file(settings)
    state = _read_state(state_path)
    held: dict[str, str] = state.setdefault("stores", {}).setdefault(store_url, {})
    if not resume:
        held.clear()
    result = PublishResult(store_url)
    with httpx.Client(auth=_auth(user, password, auth), timeout=timeout) as client:
        _preflight(client, store_url, payloads[0].graph, user)
        for index, payload in enumerate(payloads):
            if resume and held.get(payload.graph) == payload.sha256:
                result.graphs.append(PublishedGraph(payload.graph, payload.triples, None))
                if progress is not None:
                    progress(payload.graph, payload.triples, True)
                continue
            held.pop(payload.graph, None)  # unknown until the PUT succeeds
            try:
                status = _put(client, store_url, payload)
            except _PutFailed as failure:
                result.state_saved = _write_state(state_path, state)
                raise PublishIncompleteError(
                    failure.reason,
                    replaced=[item.graph for item in result.graphs],
                    remaining=[item.graph for item in payloads[index:]],
                    hint=failure.hint
                    + f"; then `lupuskg publish --store {store_url} --resume` sends only the "
                    "graphs that are still old",
                ) from failure.__cause__
            held[payload.graph] = payload.sha256
            result.graphs.append(PublishedGraph(payload.graph, payload.triples, status))
            result.state_saved = _write_state(state_path, state)
            if progress is not None:
                progress(payload.graph, payload.triples, False)
    return result


def _auth(user: str | None, password: str | None, scheme: str) -> httpx.Auth | None:
    if user is None:
        return None
    if scheme not in AUTH_SCHEMES:
        raise PublishError(
            f"unknown authentication scheme {scheme!r}", hint=f"use {' or '.join(AUTH_SCHEMES)}"
        )
    if scheme == "digest":
        return httpx.DigestAuth(user, password or "")
    return httpx.BasicAuth(user, password or "")


_URL_HINT = (
    "check the URL and that the store is running (Virtuoso: http://HOST:8890/sparql-graph-crud-auth, "
    "Fuseki: http://HOST:3030/DATASET/data, Oxigraph server: http://HOST:7878/store)"
)


def _preflight(client: httpx.Client, store_url: str, graph: str, user: str | None) -> None:
    """Read one graph with the credentials: reachability and authentication, before any PUT."""
    # Connection: close, because some stores (Oxigraph server 0.5) send a body with the
    # answer to HEAD, which would be read as the start of the answer to the first PUT
    once = {"Connection": "close"}
    try:
        response = client.head(store_url, params={"graph": graph}, headers=once)
        if response.status_code in (405, 501):  # HEAD not offered: a streamed GET, body unread
            with client.stream("GET", store_url, params={"graph": graph}, headers=once) as got:
                response = got
    except httpx.HTTPError as error:
        raise StoreUnreachableError(
            f"cannot reach the graph store at {store_url} ({_describe(error)}); nothing was sent",
            hint=_URL_HINT,
        ) from error
    status = response.status_code
    if status in (401, 403):
        raise StoreCredentialsError(
            f"the graph store at {store_url} refused "
            + ("the credentials" if user is not None else "access without credentials")
            + f" (HTTP {status}); nothing was sent",
            hint="pass --user/--password and the right --auth (Virtuoso uses digest)",
        )
    if status >= 400 and status != 404:  # 404: the graph is not there yet, which is fine
        raise StoreUnreachableError(
            f"the graph store at {store_url} answered HTTP {status} to a read of <{graph}>; "
            "nothing was sent",
            hint=_URL_HINT,
        )


class _PutFailed(Exception):
    def __init__(self, reason: str, hint: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint


def _put(client: httpx.Client, store_url: str, payload: GraphPayload) -> int:
    name = payload.graph.removeprefix(GRAPH)
    try:
        response = client.put(
            store_url,
            params={"graph": payload.graph},
            content=payload.body,
            headers={"Content-Type": CONTENT_TYPE},
        )
    except httpx.HTTPError as error:
        raise _PutFailed(
            f"publishing stopped at graph {name}: {_describe(error)}",
            "check that the store is still running and has room",
        ) from error
    status = response.status_code
    if status in (401, 403):
        raise _PutFailed(
            f"publishing stopped at graph {name}: the store refused to let these credentials "
            f"write (HTTP {status})",
            "pass --user/--password of an account that may write (Virtuoso uses digest)",
        )
    if status >= 300:
        detail = " ".join(response.text.split())[:300]
        raise _PutFailed(
            f"publishing stopped at graph {name}: HTTP {status}"
            + (f": {detail}" if detail else ""),
            "see the store's log for why it refused the graph",
        )
    return status


def _describe(error: httpx.HTTPError) -> str:
    """What happened on the wire, in words (never a remote body)."""
    if isinstance(error, httpx.ConnectError):
        return f"connection refused or host unknown ({error})"
    if isinstance(error, httpx.TimeoutException):
        return f"no answer in time ({type(error).__name__})"
    if isinstance(error, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return f"the connection dropped ({error or type(error).__name__})"
    return f"{type(error).__name__}: {error}"


def _read_state(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and isinstance(data.get("stores", {}), dict) else {}


def _write_state(path: Path, state: dict[str, Any]) -> bool:
    """Write the record atomically; False when the build directory is not writable."""
    temporary = path.with_name(path.name + f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(state, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()
        return False
    return True
