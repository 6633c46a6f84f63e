"""The user-facing text of the canned queries describes the question, not the machinery.

A query's ``rdfs:comment`` and its parameters' comments are shown on the query pages, in
``lupuskg queries`` and at the head of the released ``.rq`` files. Engine workarounds,
issue numbers and test fixtures belong in ``#`` comments inside the SPARQL.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lupuskg.queries import load_catalog

ROOT = Path(__file__).resolve().parents[2]
QUERIES = load_catalog(ROOT / "queries")

#: words that mark a developer note: SPARQL engines, issue numbers, repository paths
DEVELOPER_NOTE = re.compile(
    r"\b(?:virtuoso|rdflib|pyoxigraph|jena|fuseki|graphdb|blazegraph)\b"
    r"|\bissue\s+\d+|\btests/|\bsrc/lupuskg",
    re.IGNORECASE,
)


def _notes(text: str) -> list[str]:
    return [match.group(0) for match in DEVELOPER_NOTE.finditer(text)]


@pytest.mark.parametrize("query_id", sorted(QUERIES))
def test_comments_carry_no_developer_notes(query_id: str) -> None:
    query = QUERIES[query_id]
    texts = {"rdfs:comment": query.question}
    texts |= {f"parameter {p.name}": p.comment for p in query.parameters}
    found = {where: notes for where, text in texts.items() if (notes := _notes(text))}
    assert found == {}, (
        f"{query.path.name}: user-facing comments name {found}; say what the query answers "
        "there, and move engine workarounds, issue numbers and test references into a "
        "`#` comment inside sh:select"
    )


def test_the_rule_sees_a_developer_note() -> None:
    assert _notes("durations, which Virtuoso stores lossily (issue 7)") == ["Virtuoso", "issue 7"]
    assert _notes("tested on tests/queries/fixtures/x.trig") == ["tests/"]
    assert _notes("every engine picks the same example; remission counts as response") == []
