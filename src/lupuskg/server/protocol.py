"""The SPARQL 1.1 Protocol, query operation: GET, form POST and direct POST.

It extracts the query text and the protocol dataset (default-graph-uri, named-graph-uri)
from a request, reading at most the allowed number of bytes, and refuses the update
operation outright.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.datastructures import QueryParams
from starlette.requests import Request

from .limits import ServerLimits
from .problems import Problem

__all__ = ["ProtocolRequest", "body_limit", "read_protocol_request"]

FORM = "application/x-www-form-urlencoded"
DIRECT_QUERY = "application/sparql-query"
DIRECT_UPDATE = "application/sparql-update"


@dataclass(frozen=True)
class ProtocolRequest:
    """A query operation as the protocol defines it; query is None for a bare GET."""

    query: str | None
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    #: the `format` parameter many clients send instead of an Accept header
    format: str | None


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def _read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it grows past `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise Problem(413, f"request body is {declared} bytes; at most {limit} are accepted")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Problem(413, f"request body exceeds {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise Problem(400, "the request body is not valid UTF-8") from None


def _single(params: list[tuple[str, str]], name: str) -> str | None:
    values = [value for key, value in params if key == name]
    if len(values) > 1:
        raise Problem(400, f"the request carries {len(values)} '{name}' parameters; send one")
    return values[0] if values else None


def _graphs(params: list[tuple[str, str]], name: str) -> tuple[str, ...] | None:
    values = tuple(value for key, value in params if key == name)
    return values or None


def _from_params(params: list[tuple[str, str]], query: str | None) -> ProtocolRequest:
    if any(key == "update" for key, _ in params):
        raise Problem(403, "SPARQL Update is not allowed: this endpoint is read-only")
    return ProtocolRequest(
        query=query if query is not None else _single(params, "query"),
        default_graphs=_graphs(params, "default-graph-uri"),
        named_graphs=_graphs(params, "named-graph-uri"),
        format=_single(params, "format"),
    )


def body_limit(limits: ServerLimits) -> int:
    """The most request-body bytes read: a query of N characters is at most 4N bytes of
    UTF-8, and percent-encoding triples that."""
    return limits.max_query_length * 12 + 4096


async def read_protocol_request(request: Request, limits: ServerLimits) -> ProtocolRequest:
    """Parse a GET or POST query request; raise Problem for anything the protocol forbids."""
    limit = body_limit(limits)
    url_params = list(QueryParams(request.url.query).multi_items())
    if request.method == "GET":
        return _from_params(url_params, None)
    media = _media_type(request)
    if media == DIRECT_UPDATE:
        raise Problem(403, "SPARQL Update is not allowed: this endpoint is read-only")
    if media == FORM:
        body = _decode(await _read_body(request, limit))
        params = parse_qsl(body, keep_blank_values=True)
        if any(key == "query" for key, _ in url_params):
            raise Problem(400, "send the query either in the form body or in the URL, not both")
        return _from_params(url_params + params, None)
    if media == DIRECT_QUERY:
        body = _decode(await _read_body(request, limit))
        if any(key == "query" for key, _ in url_params):
            raise Problem(400, "a direct POST carries the query in its body, not in the URL")
        return _from_params(url_params, body)
    raise Problem(
        415, f"unsupported content type {media or '(none)'!r}; POST either {FORM} or {DIRECT_QUERY}"
    )
