"""Running queries on a remote SPARQL 1.1 endpoint (Virtuoso, Fuseki, GraphDB, Oxigraph).

SPARQLWrapper speaks the protocol; we always ask for the W3C JSON results format and
keep the raw bytes, so a remote answer becomes the same `QueryResult` as a local one
and is written out by the same serialisers.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from .exceptions import QueryError
from .results import QueryResult

__all__ = ["RemoteEndpoint"]

_TIMEOUT_SECONDS = 60


class RemoteEndpoint:
    """A SPARQL endpoint URL; queries go by POST (URL-encoded) so long texts fit."""

    def __init__(self, url: str, *, timeout: int = _TIMEOUT_SECONDS) -> None:
        if not url.startswith(("http://", "https://")):
            raise QueryError(f"endpoint {url!r} is not an http(s) URL")
        self.url = url
        self.timeout = timeout

    def _wrapper(self, sparql: str, return_format: str) -> Any:
        from SPARQLWrapper import POST, URLENCODED, SPARQLWrapper

        wrapper = SPARQLWrapper(self.url)
        wrapper.setQuery(sparql)
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setReturnFormat(return_format)
        wrapper.setTimeout(self.timeout)
        return wrapper

    def _fetch(self, sparql: str, return_format: str) -> tuple[str, bytes]:
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        wrapper = self._wrapper(sparql, return_format)
        try:
            response = wrapper.query().response
            return wrapper.queryType, response.read()
        except SPARQLWrapperException as error:
            raise QueryError(f"{self.url} refused the query: {error}") from error
        except OSError as error:  # URLError, timeouts, refused connections
            raise QueryError(f"cannot reach {self.url}: {error}") from error

    def select(self, sparql: str) -> QueryResult:
        """A SELECT or ASK query; the endpoint must answer in SPARQL JSON."""
        from SPARQLWrapper import JSON

        query_type, data = self._fetch(sparql, JSON)
        if query_type in ("CONSTRUCT", "DESCRIBE"):
            raise QueryError("CONSTRUCT and DESCRIBE give graphs, not rows", hint="use graph()")
        return QueryResult.from_json(data)

    def graph(self, sparql: str) -> list[ox.Triple]:
        """A CONSTRUCT or DESCRIBE query, answered as N-Triples."""
        from SPARQLWrapper import TURTLE

        _, data = self._fetch(sparql, TURTLE)
        try:
            return [
                quad.triple if hasattr(quad, "triple") else quad
                for quad in ox.parse(data, ox.RdfFormat.TURTLE)
            ]
        except SyntaxError as error:
            raise QueryError(f"{self.url} answered with malformed Turtle: {error}") from error

    def query_type(self, sparql: str) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE, as SPARQLWrapper reads the text."""
        from SPARQLWrapper import JSON

        return self._wrapper(sparql, JSON).queryType
