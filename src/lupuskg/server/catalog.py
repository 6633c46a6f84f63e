"""The canned queries as the REST API and the query page see them.

The catalog, parameter resolution (labels, CURIEs, IRIs) and binding all come from
`lupuskg.queries`; this module only shapes them for HTTP. Bound queries are run by
the caller through the worker pool, so the same limits apply as to any query.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox

from ..config import Settings
from ..exceptions import QueryError
from ..queries import (
    CannedQuery,
    bind_values,
    catalog,
    embedded_runner,
    get_query,
    resolve_parameters,
)
from .pages import local_href

__all__ = ["bound_query", "entries", "examples", "summary"]


def entries(settings: Settings) -> list[CannedQuery]:
    """Every canned query, in id order."""
    return list(catalog(settings).values())


def summary(query: CannedQuery, url: str, example: str | None = None) -> dict[str, Any]:
    """One catalog entry as JSON: metadata, parameters, the SPARQL text and the text with
    its default parameter values bound (what the query page preloads)."""
    return {
        "id": query.id,
        "iri": query.iri,
        "title": query.title,
        "question": query.question,
        "keywords": list(query.keywords),
        "parameters": [
            {
                "name": parameter.name,
                "valueType": parameter.value_type,
                "default": parameter.default,
                "description": parameter.comment,
            }
            for parameter in query.parameters
        ],
        "sparql": query.sparql,
        "example": example or query.sparql,
        "url": url,
        "page": local_href(query.iri),
    }


def bound_query(
    settings: Settings, store: ox.Store, query_id: str, params: Mapping[str, str]
) -> str:
    """The SPARQL text of a canned query with its parameters bound as a VALUES block.

    Raises UnknownQueryError / UnknownParameterError for the caller to turn into 404 / 400.
    """
    query = get_query(query_id, settings)
    for name in params:
        query.parameter(name)
    bindings = resolve_parameters(query, params, embedded_runner(store))
    return bind_values(query.sparql, bindings)


def examples(settings: Settings, store: ox.Store, queries: list[CannedQuery]) -> dict[str, str]:
    """Each query's text with its defaults bound; the plain text where binding fails."""
    out = {}
    for query in queries:
        try:
            out[query.id] = bound_query(settings, store, query.id, {})
        except QueryError:
            out[query.id] = query.sparql
    return out
