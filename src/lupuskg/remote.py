"""Running queries on a remote SPARQL 1.1 endpoint (Virtuoso, Fuseki, GraphDB, Oxigraph).

SPARQLWrapper speaks the protocol; we always ask for the W3C JSON results format and
keep the raw bytes, so a remote answer becomes the same `QueryResult` as a local one
and is written out by the same serialisers.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from .exceptions import EndpointSetupError, QueryError
from .namespaces import ONTOLOGY_IRI, PREFIXES
from .results import QueryResult

__all__ = ["STORE_SETTINGS", "RemoteEndpoint"]

_TIMEOUT_SECONDS = 60
#: SPARQLWrapper's names of the two answer formats we ask for (its JSON and TURTLE
#: constants), here so that naming a format does not import SPARQLWrapper
_JSON = "json"
_TURTLE = "turtle"

#: how each store is told to answer queries without FROM over all its graphs (README "Stores")
STORE_SETTINGS = (
    "Oxigraph server: `oxigraph serve --union-default-graph` (queries go to /query)",
    "Fuseki: `tdb2:unionDefaultGraph true` on the TDB2 dataset in its assembler",
    "GraphDB and Virtuoso: the default graph is the union already (do not set a default graph)",
)

_OWL_ONTOLOGY = f"<{ONTOLOGY_IRI}> a <{PREFIXES['owl']}Ontology>"
_CLAIM = f"?claim <{PREFIXES['lkg']}sourceDocument> ?document"
#: the ontology header and a claim, both visible without GRAPH: the canned queries need both
_IN_DEFAULT = f"ASK {{ {_OWL_ONTOLOGY} . {_CLAIM} }}"
_IN_NAMED = f"ASK {{ GRAPH ?g {{ {_CLAIM} }} }}"
_ANYTHING = "ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


_CHECKED: set[str] = set()


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

    def ask(self, sparql: str) -> bool:
        result = self.select(sparql)
        if result.boolean is None:
            raise QueryError(f"{self.url} did not answer an ASK query with a boolean")
        return result.boolean

    def check_union_default_graph(self) -> None:
        """Refuse, with the store setting to change, an endpoint whose default graph is not
        the union of its named graphs: the canned queries would silently return 0 rows.

        Two cheap ASK probes: the ontology header and a claim seen without ``GRAPH``, and
        a claim in some named graph. Checked once per endpoint and process.
        """
        if self.url in _CHECKED:
            return
        if self.ask(_IN_DEFAULT):
            _CHECKED.add(self.url)
            return
        settings = "; ".join(STORE_SETTINGS)
        if self.ask(_IN_NAMED):
            raise EndpointSetupError(
                f"{self.url} keeps the lupuskg graphs as named graphs but does not query their "
                "union as the default graph, so every canned query would return 0 rows",
                hint=f"turn on the union default graph. {settings}",
            )
        detail = "holds no lupuskg claims" if self.ask(_ANYTHING) else "is empty"
        raise EndpointSetupError(
            f"{self.url} {detail}: the canned queries would return 0 rows",
            hint="load the release TriG there (`lupuskg publish --store URL`, or the store's "
            f"own loader), and check that queries see all graphs. {settings}",
        )

    def select(self, sparql: str) -> QueryResult:
        """A SELECT or ASK query; the endpoint must answer in SPARQL JSON."""
        query_type, data = self._fetch(sparql, _JSON)
        if query_type in ("CONSTRUCT", "DESCRIBE"):
            raise QueryError("CONSTRUCT and DESCRIBE give graphs, not rows", hint="use graph()")
        return QueryResult.from_json(data)

    def graph(self, sparql: str) -> list[ox.Triple]:
        """A CONSTRUCT or DESCRIBE query, answered as N-Triples."""
        _, data = self._fetch(sparql, _TURTLE)
        try:
            return [
                quad.triple if hasattr(quad, "triple") else quad
                for quad in ox.parse(data, ox.RdfFormat.TURTLE)
            ]
        except SyntaxError as error:
            raise QueryError(f"{self.url} answered with malformed Turtle: {error}") from error

    def query_type(self, sparql: str) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE, as SPARQLWrapper reads the text."""
        return str(self._wrapper(sparql, _JSON).queryType)
