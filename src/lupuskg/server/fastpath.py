"""The endpoint's fast path: a repeated request answered from pre-built bytes.

A client that sends the same query again (a dashboard, a notebook re-run, a load test)
sends the same bytes. This ASGI middleware sits inside the Host check and CORS and in
front of the routes; for ``/sparql`` and ``/api/queries/...`` (GET and form or direct
POST) it keys the raw request, without decoding it: method, path, URL query, content
type, Accept and body bytes (:data:`lupuskg.server.cache.RequestKey`). If the full path
already answered exactly that request from the result cache and the store version is
still the one it answered from, the answer goes out as it was sent then: the pre-built
response headers (``ETag`` computed once) and the serialised body, or a 304 when
``If-None-Match`` matches. Nothing is parsed, negotiated or copied.

Anything else, a first request included, goes down the full path (protocol parsing,
limits, the query guard in a worker, content negotiation) with the body replayed; when
that path answers from the cache it records the request here
(``ResultCache.remember_request``). Only requests the full path answered successfully
are ever recorded, and the key holds every input that path reads to build the answer,
so the same bytes get the same response; the query itself is still keyed by its
normalised parse tree (cache.py), never by its text. A POST is keyed only when it
declares a Content-Length within the body limit: larger or chunked bodies take the full
path, which enforces the limit.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .cache import RequestKey, ResultCache, if_none_match, store_version

__all__ = ["REQUEST_KEY", "FastPath"]

#: the scope entry through which the full path learns the raw request's key
REQUEST_KEY = "lupuskg.request_key"

_HEADERS = (b"content-type", b"content-length", b"accept", b"if-none-match")


class FastPath:
    """ASGI middleware: repeated query requests answered from the result cache's bytes."""

    def __init__(self, app: ASGIApp, cache: ResultCache, store_path: str, body_limit: int) -> None:
        self.app = app
        self.cache = cache
        self.store_path = store_path
        self.body_limit = body_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.cache.enabled:
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        path = scope["path"]
        if method not in ("GET", "POST") or not (
            path == "/sparql" or path.startswith("/api/queries/")
        ):
            await self.app(scope, receive, send)
            return
        found: dict[bytes, bytes] = {}
        for name, value in scope["headers"]:
            if name in _HEADERS and name not in found:  # the first one, as Starlette reads
                found[name] = value
        body = b""
        if method == "POST":
            declared = found.get(b"content-length", b"")
            if not declared.isdigit() or int(declared) > self.body_limit:
                await self.app(scope, receive, send)
                return
            chunks: list[bytes] = []
            while True:
                message = await receive()
                if message["type"] != "http.request":
                    return  # the client went away
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    break
            body = b"".join(chunks)
        key: RequestKey = (
            method,
            path,
            scope.get("query_string", b""),
            found.get(b"content-type", b""),
            found.get(b"accept", b""),
            body,
        )
        known = self.cache.answer_request(key, store_version(self.store_path))
        if known is None:
            scope[REQUEST_KEY] = key
            await self.app(scope, _replay(body, receive) if method == "POST" else receive, send)
            return
        answer, ok_headers, not_modified_headers = known
        tags = found.get(b"if-none-match")
        if tags and if_none_match(tags.decode("latin-1"), answer.etag):
            await send(
                {"type": "http.response.start", "status": 304, "headers": not_modified_headers}
            )
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": ok_headers})
        await send({"type": "http.response.body", "body": answer.body})


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive() that gives the body already read, then whatever the client sends next."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        if pending:
            return pending.pop()
        return await receive()

    return replay
