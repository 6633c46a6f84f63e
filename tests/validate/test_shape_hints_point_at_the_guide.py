"""The hints of the shapes send curators to places that exist: guide sections and files."""

from __future__ import annotations

import re
from pathlib import Path

import rdflib

ROOT = Path(__file__).resolve().parents[2]
SHAPES = ROOT / "ontology" / "shapes.ttl"
GUIDE = ROOT / "graph" / "README.md"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")

SECTION = re.compile(r"graph/README\.md((?:\s*§\d+(?:\s*\([^)]*\))?(?:\s*(?:and|,)\s*)?)*)")
NUMBER = re.compile(r"§(\d+)")
FILE = re.compile(r"\b((?:ontology|graph|tests)/[\w./-]+\.(?:ttl|tsv|md|txt|xml))")


def _texts() -> list[str]:
    graph = rdflib.Graph().parse(SHAPES, format="turtle")
    return [str(o) for p in (SH.description, SH.message) for o in graph.objects(None, p)]


def _sections() -> set[str]:
    return set(re.findall(r"^## (\d+)\. ", GUIDE.read_text(encoding="utf-8"), re.MULTILINE))


def test_no_hint_names_a_file_that_does_not_exist() -> None:
    missing = sorted(
        {name for text in _texts() for name in FILE.findall(text) if not (ROOT / name).exists()}
    )
    assert not missing, f"shapes.ttl hints name missing files: {missing}; fix the hint"


def test_no_hint_points_at_the_retired_contract_file() -> None:
    stale = [text for text in _texts() if "contract.md" in text]
    assert not stale, f"point these hints at a graph/README.md section instead: {stale}"


def test_every_guide_section_a_hint_cites_exists() -> None:
    sections = _sections()
    cited = {
        number
        for text in _texts()
        for match in SECTION.finditer(text)
        for number in NUMBER.findall(match.group(1))
    }
    assert cited, "no hint cites a guide section; the spelling hints should"
    assert cited <= sections, (
        f"hints cite §{sorted(cited - sections)}, the guide has {sorted(sections)}"
    )


def test_the_guide_names_the_real_reference_table() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    assert "shared/reference/obo-terms.tsv" not in text
    assert "ontology/reference/obo-terms.tsv" in text
    assert (ROOT / "ontology" / "reference" / "obo-terms.tsv").is_file()
