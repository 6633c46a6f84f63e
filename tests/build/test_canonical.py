"""Hand-edited Turtle stays canonical: a deterministic re-serialisation is byte-identical."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

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


def _changed_lines(before: str, after: str) -> int:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return sum(1 for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---"))


def _subjects_without_see_also(graph: rdflib.Graph) -> list[rdflib.URIRef]:
    """First, middle and last IRI subjects (in file order) that have no rdfs:seeAlso yet."""
    subjects = sorted(
        {s for s in graph.subjects() if isinstance(s, rdflib.URIRef)}
        - set(graph.subjects(RDFS.seeAlso, None)),
        key=str,
    )
    return [subjects[0], subjects[len(subjects) // 2], subjects[-1]]


def test_one_new_triple_changes_at_most_three_lines_of_the_ontology() -> None:
    from lupuskg.rdfio import canonical_turtle, parse_graph

    path = ROOT / "ontology" / "lupuskg.ttl"
    original = path.read_text(encoding="utf-8")
    graph = parse_graph(path)
    targets = _subjects_without_see_also(graph)
    assert len(set(targets)) == 3
    for subject in targets:
        edited = parse_graph(path)
        edited.add((subject, RDFS.seeAlso, rdflib.URIRef("https://example.org/see-also")))
        changed = _changed_lines(original, canonical_turtle(edited))
        assert 1 <= changed <= 3, f"adding rdfs:seeAlso to {subject} changed {changed} lines"


def test_blocks_are_sorted_by_subject_with_blank_nodes_after_their_owner(
    tmp_path: Path,
) -> None:
    from lupuskg.rdfio import canonical_turtle, parse_graph

    source = tmp_path / "g.ttl"
    source.write_text(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<http://e/z> rdfs:seeAlso _:shared .\n"
        "<http://e/y> rdfs:seeAlso _:shared .\n"
        "_:shared rdfs:label 'shared' .\n"
        "<http://e/a> rdfs:label 'a' ; rdfs:seeAlso <http://e/y>, <http://e/z> .\n"
        "<http://e/y> rdfs:label 'y' .\n"
        "[] rdfs:label 'root' .\n",
        encoding="utf-8",
    )
    text = canonical_turtle(parse_graph(source))
    blocks = [block.splitlines()[0] for block in text.split("\n\n")[1:]]
    assert blocks[:2] == ["<http://e/a>", "<http://e/y>"]
    assert blocks[2].startswith("_:"), "the shared blank node follows its first owner"
    assert blocks[3:] == ["<http://e/z>", '[]    rdfs:label "root" ;']
    assert isomorphic(rdflib.Graph().parse(data=text, format="turtle"), parse_graph(source))
