"""``…Label`` columns for query results: one label per IRI, looked up after the query.

Every column that holds IRIs gets a ``<name>Label`` column right after it (unless the
query already projects one), filled with the term's ``rdfs:label`` or, failing that, its
``skos:prefLabel`` from the store; empty where the term has neither.

The labels come from a second query, not from ``OPTIONAL { ?x rdfs:label ?xLabel }``
patterns inside each canned query (the SIB sparql-examples style), because only the
second way answers identically on every SPARQL 1.1 store:

- the lookup is one shape, ``VALUES ?term { … } ?term rdfs:label ?label`` (then the same
  for skos:prefLabel): no OPTIONAL, no property path, no sub-select. Extra OPTIONALs next to the
  canned queries' ``rdfs:subClassOf*`` paths are what Virtuoso 7.2 mis-evaluates
  (coord/virtuoso.md V1, V2), and every OPTIONAL added to a query is one more plan for
  its optimiser to get wrong;
- a term with two labels (an imported OBO label and our own, two languages, both
  rdfs:label and skos:prefLabel) would multiply the rows of the canned query, and
  grouped queries would need SAMPLE() over them, which stores may answer with different
  labels. Here one label per term is chosen by a fixed rule (below), so the rows of the
  canned query are exactly its rows;
- the canned queries and their release ``.rq`` files stay as they are, with the answers
  the golden files and the parity tests check.

The rule: rdfs:label before skos:prefLabel; no language tag or ``en`` before other ``en-*``
tags before any other language; then the smallest text. Terms go to the store in batches
of :data:`BATCH` (a remote endpoint gets them by POST).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pyoxigraph as ox

from .namespaces import PREFIXES
from .results import Cell, QueryResult, labelled

__all__ = [
    "BATCH",
    "LABEL_PROPERTIES",
    "LABEL_SUFFIX",
    "add_labels",
    "iri_columns",
    "label_query",
    "lookup",
]

#: label properties, most preferred first
LABEL_PROPERTIES = (PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "prefLabel")
LABEL_SUFFIX = "Label"
#: IRIs per lookup query
BATCH = 500

#: run a SPARQL text with parameter bindings (as ``lupuskg.queries.Runner``)
Runner = Callable[[str, Mapping[str, Any]], QueryResult]


def label_query(iris: Iterable[str], property_iri: str) -> str:
    """The lookup of one label property for these IRIs; each IRI is checked and written by
    pyoxigraph, never pasted."""
    terms = " ".join(str(ox.NamedNode(iri)) for iri in iris)
    return (
        "SELECT ?term ?label WHERE {\n"
        f"  VALUES ?term {{ {terms} }}\n"
        f"  ?term {ox.NamedNode(property_iri)} ?label .\n"
        "}\n"
    )


def _rank(property_rank: int, label: Cell) -> tuple[int, int, str]:
    language = (label.language or "").lower()
    if language in ("", "en"):
        tongue = 0
    elif language.startswith("en-"):
        tongue = 1
    else:
        tongue = 2
    return (property_rank, tongue, label.lexical)


def lookup(iris: Iterable[str], runner: Runner) -> dict[str, str]:
    """IRI -> its one label (see the module's rule); IRIs without a label are left out.

    One query per label property and batch (a VALUES block and one triple pattern): on
    pyoxigraph at 1,000 documents that is 4x faster than one query whose VALUES also
    lists the properties.
    """
    wanted = sorted(set(iris))
    best: dict[str, tuple[tuple[int, int, str], str]] = {}
    for property_rank, property_iri in enumerate(LABEL_PROPERTIES):
        for start in range(0, len(wanted), BATCH):
            result = runner(label_query(wanted[start : start + BATCH], property_iri), {})
            for term, label in result.rows:
                if term is None or label is None or label.kind != "literal":
                    continue
                rank = _rank(property_rank, label)
                known = best.get(term.lexical)
                if known is None or rank < known[0]:
                    best[term.lexical] = (rank, label.lexical)
    return {iri: label for iri, (_, label) in best.items()}


def iri_columns(result: QueryResult) -> list[str]:
    """Variables that hold an IRI in some row and have no ``…Label`` column yet."""
    names = set(result.variables)
    columns = []
    for index, name in enumerate(result.variables):
        if name.endswith(LABEL_SUFFIX) or name + LABEL_SUFFIX in names:
            continue
        if any((cell := row[index]) is not None and cell.kind == "iri" for row in result.rows):
            columns.append(name)
    return columns


def add_labels(result: QueryResult, runner: Runner) -> QueryResult:
    """The result with a ``<name>Label`` column after each IRI column (see the module)."""
    if result.boolean is not None or any(
        cell is not None and cell.kind == "triple" for row in result.rows for cell in row
    ):
        return result
    columns = iri_columns(result)
    if not columns:
        return result
    indexes = [result.variables.index(name) for name in columns]
    iris = {
        cell.lexical
        for row in result.rows
        for index in indexes
        if (cell := row[index]) is not None and cell.kind == "iri"
    }
    return labelled(result, {name: name + LABEL_SUFFIX for name in columns}, lookup(iris, runner))
