"""Helpers of the publish tests (a plain module; conftest names collide across folders)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx
import rdflib

from lupuskg.config import Settings
from lupuskg.dataset import load_graphs

XSD_NNI = "http://www.w3.org/2001/XMLSchema#nonNegativeInteger"

#: per graph and datatype, how many triples have a typed (non-language) literal object
DATATYPE_COUNTS = """
SELECT ?g ?dt (COUNT(*) AS ?n) WHERE {
  GRAPH ?g { ?s ?p ?o FILTER(isLiteral(?o) && lang(?o) = "") BIND(datatype(?o) AS ?dt) }
} GROUP BY ?g ?dt
"""

TRIPLE_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def exported(settings: Settings) -> dict[str, rdflib.Graph]:
    """The graphs `lupuskg export` writes: what publish must send."""
    return load_graphs(settings)


def local_datatype_counts(graphs: dict[str, rdflib.Graph]) -> Counter[tuple[str, str]]:
    counts: Counter[tuple[str, str]] = Counter()
    for iri, graph in graphs.items():
        for _, _, obj in graph:
            if isinstance(obj, rdflib.Literal) and not obj.language:
                datatype = str(obj.datatype or "http://www.w3.org/2001/XMLSchema#string")
                counts[(iri, datatype)] += 1
    return counts


def remote_rows(endpoint: str, query: str, **extra: Any) -> list[dict[str, str]]:
    response = httpx.post(
        endpoint,
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=120,
        **extra,
    )
    response.raise_for_status()
    return [
        {name: value["value"] for name, value in binding.items()}
        for binding in response.json()["results"]["bindings"]
    ]


def remote_datatype_counts(endpoint: str, graphs: set[str]) -> Counter[tuple[str, str]]:
    return Counter(
        {
            (row["g"], row["dt"]): int(row["n"])
            for row in remote_rows(endpoint, DATATYPE_COUNTS)
            if row["g"] in graphs
        }
    )


def remote_triple_counts(endpoint: str) -> dict[str, int]:
    return {row["g"]: int(row["n"]) for row in remote_rows(endpoint, TRIPLE_COUNTS)}
