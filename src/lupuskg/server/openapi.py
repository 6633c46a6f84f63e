"""OpenAPI 3.1 description of the canned-query REST API (one operation per query, as grlc does)."""

from __future__ import annotations

from typing import Any

from ..namespaces import XSD
from ..queries import ALL_ROWS, DRILL_DOWN_PAGE, CannedQuery

__all__ = ["openapi_document"]

_RESULTS = {
    "application/sparql-results+json": {"schema": {"type": "object"}},
    "application/sparql-results+xml": {"schema": {"type": "string"}},
    "text/csv": {"schema": {"type": "string"}},
    "text/tab-separated-values": {"schema": {"type": "string"}},
}
_ERROR = {"text/plain": {"schema": {"type": "string"}}}


def _schema(value_type: str) -> dict[str, Any]:
    if value_type.endswith(("#integer", "#nonNegativeInteger")):
        return {"type": "integer"}
    if value_type.startswith(XSD):
        return {"type": "string"}
    return {
        "type": "string",
        "description": f"a label, CURIE or IRI of a subclass of <{value_type}>",
    }


def _operation(query: CannedQuery) -> dict[str, Any]:
    parameters = [
        {
            "name": parameter.name,
            "in": "query",
            "required": False,
            "description": parameter.comment,
            "schema": {
                **_schema(parameter.value_type),
                **({"default": parameter.default} if parameter.default else {}),
            },
        }
        for parameter in query.parameters
    ]
    parameters.append(
        {
            "name": "format",
            "in": "query",
            "required": False,
            "description": "results format instead of an Accept header (html: a table with "
            "links to this server's pages, what a browser gets by its Accept header)",
            "schema": {"type": "string", "enum": ["json", "xml", "csv", "tsv", "html"]},
        }
    )
    parameters += [
        {
            "name": "limit",
            "in": "query",
            "required": False,
            "description": "at most this many rows (in the query's ORDER BY), or all; a "
            f"drill-down gives its first {DRILL_DOWN_PAGE} rows unless told",
            "schema": {"oneOf": [{"type": "integer", "minimum": 0}, {"const": ALL_ROWS}]},
        },
        {
            "name": "offset",
            "in": "query",
            "required": False,
            "description": "skip this many rows first",
            "schema": {"type": "integer", "minimum": 0},
        },
    ]
    parameters.append(
        {
            "name": "labels",
            "in": "query",
            "required": False,
            "description": "a <name>Label column after each column of IRIs (rdfs:label, else "
            "skos:prefLabel); false gives the query's own columns, as its release .rq does",
            "schema": {"type": "boolean", "default": True},
        }
    )
    return {
        "operationId": query.id,
        "summary": query.title,
        "description": query.question,
        "tags": list(query.keywords),
        "parameters": parameters,
        "responses": {
            "200": {
                "description": "SPARQL 1.1 query results",
                "content": {**_RESULTS, "text/html": {"schema": {"type": "string"}}},
            },
            "400": {"description": "unknown parameter or value", "content": _ERROR},
            "406": {"description": "no acceptable results format", "content": _ERROR},
            "503": {"description": "a limit (time, rows, bytes) was exceeded", "content": _ERROR},
        },
    }


def openapi_document(queries: list[CannedQuery], server_url: str, version: str) -> dict[str, Any]:
    """The whole API: the catalog listing plus one GET operation per canned query."""
    paths: dict[str, Any] = {
        "/api/queries": {
            "get": {
                "operationId": "listQueries",
                "summary": "The canned evidence queries with their parameters and SPARQL text",
                "responses": {
                    "200": {
                        "description": "catalog",
                        "content": {"application/json": {"schema": {"type": "array"}}},
                    }
                },
            }
        }
    }
    for query in queries:
        paths[f"/api/queries/{query.id}"] = {"get": _operation(query)}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "lupuskg canned evidence queries",
            "version": version,
            "description": "Evidence on stem-cell therapy for lupus. Each operation runs one canned "
            "SPARQL query; parameters take labels, CURIEs or IRIs. The SPARQL endpoint is at /sparql.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [{"url": server_url}],
        "paths": paths,
    }
