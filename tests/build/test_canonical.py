"""Hand-edited Turtle stays canonical: a deterministic re-serialisation is byte-identical."""

from __future__ import annotations

from pathlib import Path

import pytest

from lupuskg.canonical import canonical_files, format_file
from lupuskg.config import settings

ROOT = Path(__file__).resolve().parents[2]
PROJECT = settings(ROOT)


@pytest.mark.parametrize(
    "path", canonical_files(PROJECT), ids=lambda path: str(path.relative_to(ROOT))
)
def test_turtle_file_is_canonical(path: Path) -> None:
    result = format_file(path, PROJECT, check=True)
    assert not result.changed, f"{result.path} is not canonical: run `lupuskg fmt`"


def test_canonical_form_is_stable(tmp_path: Path) -> None:
    from lupuskg.rdfio import canonical_turtle, parse_graph

    source = tmp_path / "g.ttl"
    source.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<http://e/b> rdfs:subClassOf [ a owl:Restriction ; owl:onProperty <http://e/p> ;"
        " owl:someValuesFrom <http://e/c> ], [ a owl:Restriction ; owl:onProperty <http://e/q> ;"
        " owl:someValuesFrom <http://e/d> ] .\n",
        encoding="utf-8",
    )
    once = canonical_turtle(parse_graph(source))
    source.write_text(once, encoding="utf-8")
    assert canonical_turtle(parse_graph(source)) == once
