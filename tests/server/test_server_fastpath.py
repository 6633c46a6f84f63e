"""The fast path (lupuskg.server.fastpath): a request repeated byte for byte is answered from
the result cache's bytes without reaching the routes, and nothing else is."""

from __future__ import annotations

import os
from pathlib import Path

from starlette.responses import Response
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

from lupuskg.server.cache import CachedAnswer, ResultCache, store_version
from lupuskg.server.fastpath import REQUEST_KEY, FastPath

QUERY = "SELECT * WHERE { ?s ?p ?o }"


class _Routes:
    """Stands in for the full path: answers, keeps the answer and records the raw request."""

    def __init__(self, cache: ResultCache, store: Path) -> None:
        self.cache = cache
        self.store = store
        self.calls: list[tuple[bytes, bool]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        if scope["method"] == "POST":
            message = await receive()
            body = message.get("body", b"")
        self.calls.append((body, REQUEST_KEY in scope))
        version = store_version(self.store)
        etag = f'"{len(self.calls)}"'
        answer = CachedAnswer(b"answer:" + body, "select", "SELECT", etag)
        self.cache.store("text", "normalised", version, "opts", answer)
        headers = {"Vary": "Accept", "ETag": etag}
        full = Response(answer.body, media_type="text/csv", headers=headers)
        if REQUEST_KEY in scope:
            self.cache.remember_request(
                scope[REQUEST_KEY],
                "text",
                version,
                "opts",
                full.raw_headers,
                Response(status_code=304, headers=headers).raw_headers,
            )
        await full(scope, receive, send)


def _client(tmp_path: Path, body_limit: int = 1000) -> tuple[TestClient, _Routes, Path]:
    store = tmp_path / "current"
    (tmp_path / "one").mkdir()
    store.symlink_to("one")
    cache = ResultCache(max_entries=8, max_bytes=10_000)
    routes = _Routes(cache, store)
    app = FastPath(routes, cache, str(store), body_limit)
    return TestClient(app, base_url="http://127.0.0.1"), routes, store


def test_a_repeated_request_never_reaches_the_routes(tmp_path: Path) -> None:
    client, routes, _ = _client(tmp_path)
    first = client.post("/sparql", data={"query": QUERY}, headers={"accept": "text/csv"})
    assert routes.calls == [(b"query=SELECT+%2A+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D", True)], (
        "the full path gets the body the fast path read"
    )
    again = client.post("/sparql", data={"query": QUERY}, headers={"accept": "text/csv"})
    assert len(routes.calls) == 1, "the same bytes again: answered by the fast path"
    assert again.content == first.content
    assert again.headers == first.headers
    not_modified = client.post(
        "/sparql",
        data={"query": QUERY},
        headers={"accept": "text/csv", "if-none-match": first.headers["etag"]},
    )
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified.headers["etag"] == first.headers["etag"]
    assert len(routes.calls) == 1


def test_anything_that_differs_takes_the_full_path(tmp_path: Path) -> None:
    client, routes, _ = _client(tmp_path)
    client.post("/sparql", data={"query": QUERY}, headers={"accept": "text/csv"})
    client.post("/sparql", data={"query": QUERY}, headers={"accept": "application/json"})
    client.post("/sparql", data={"query": QUERY + " "}, headers={"accept": "text/csv"})
    client.post("/sparql?format=csv", data={"query": QUERY}, headers={"accept": "text/csv"})
    client.post(
        "/sparql",
        content=QUERY.encode(),
        headers={"accept": "text/csv", "content-type": "application/sparql-query"},
    )
    client.get("/sparql", params={"query": QUERY}, headers={"accept": "text/csv"})
    client.get("/health")
    assert len(routes.calls) == 7


def test_a_new_store_version_is_a_miss(tmp_path: Path) -> None:
    client, routes, store = _client(tmp_path)
    client.get("/sparql", params={"query": QUERY})
    client.get("/sparql", params={"query": QUERY})
    assert len(routes.calls) == 1
    (tmp_path / "two").mkdir()
    (tmp_path / ".current").symlink_to("two")
    os.replace(tmp_path / ".current", store)  # what a build does
    client.get("/sparql", params={"query": QUERY})
    assert len(routes.calls) == 2, "an answer of the previous build is never served"


def test_large_or_undeclared_bodies_are_not_keyed(tmp_path: Path) -> None:
    client, routes, _ = _client(tmp_path, body_limit=10)
    for _ in range(2):
        client.post("/sparql", data={"query": QUERY})
    assert routes.calls == [(b"query=SELECT+%2A+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D", False)] * 2


def test_an_evicted_answer_is_a_miss(tmp_path: Path) -> None:
    client, routes, _ = _client(tmp_path)
    client.get("/sparql", params={"query": QUERY})
    cache = routes.cache
    for number in range(10):  # push the answer out of the cache (8 entries)
        cache.store(f"t{number}", f"n{number}", "v", "o", CachedAnswer(b"x", "select", "S", '"x"'))
    client.get("/sparql", params={"query": QUERY})
    assert len(routes.calls) == 2


def test_request_keys_are_bounded_by_bytes() -> None:
    cache = ResultCache(max_entries=100, max_bytes=800)  # keys: at most 100 bytes in all
    cache.store("text", "norm", "v", "o", CachedAnswer(b"x", "select", "SELECT", '"e"'))
    keys = [("GET", "/sparql", b"q=" + bytes([65 + n]) * 40, b"", b"", b"") for n in range(4)]
    for key in keys:
        cache.remember_request(key, "text", "v", "o", [], [])
    assert cache.answer_request(keys[0], "v") is None, "the oldest key was evicted"
    assert cache.answer_request(keys[-1], "v") is not None
    assert cache.answer_request(keys[-1], "other version") is None
