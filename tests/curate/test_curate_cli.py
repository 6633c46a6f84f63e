"""`lupuskg new` and `lupuskg quote` on real files in a temporary copy of the project."""

from __future__ import annotations

import hashlib
from pathlib import Path

from click.testing import CliRunner, Result
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from lupuskg.cli import main
from lupuskg.config import Settings
from lupuskg.validate import validate

LKG = Namespace("https://w3id.org/lupuskg/vocab/")
SOURCE = (
    b"Mesenchymal stem cells were given to 12 patients.\r\nAll 12 patients improved; caf\xc3\xa9.\n"
)
SLUG = "doe-2026"


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _new(project: Settings, tmp_path: Path, data: bytes = SOURCE, slug: str = SLUG) -> Result:
    source = tmp_path / "incoming.txt"
    source.write_bytes(data)
    return _run("new", slug, "--source", str(source))


def test_new_copies_bytes_and_writes_checksum(temp_project: Settings, tmp_path: Path) -> None:
    result = _new(temp_project, tmp_path)
    assert result.exit_code == 0, result.output
    copied = temp_project.sources_dir / f"{SLUG}.txt"
    assert copied.read_bytes() == SOURCE
    sha = hashlib.sha256(SOURCE).hexdigest()
    assert f"wrote graph/sources/{SLUG}.txt (sha256 {sha})" in result.output
    graph = Graph().parse(temp_project.documents_dir / f"{SLUG}.ttl")
    source_node = URIRef(f"https://w3id.org/lupuskg/source/{SLUG}.txt")
    assert (source_node, LKG.sha256, Literal(sha)) in graph
    assert (source_node, LKG.filePath, Literal(f"graph/sources/{SLUG}.txt")) in graph
    document = URIRef(f"https://w3id.org/lupuskg/id/{SLUG}")
    assert (document, RDF.type, LKG.CuratorSummary) in graph
    study = URIRef(f"https://w3id.org/lupuskg/id/{SLUG}.study-01")
    assert (study, LKG.reportedIn, document) in graph


def test_new_refuses_an_existing_slug(temp_project: Settings, tmp_path: Path) -> None:
    existing = temp_project.documents_dir / "carl-2024.ttl"
    before = existing.read_bytes()
    result = _new(temp_project, tmp_path, slug="carl-2024")
    assert result.exit_code == 1
    assert "error: graph/documents/carl-2024.ttl already exists; `new` never overwrites" in (
        result.stderr
    )
    assert existing.read_bytes() == before


def test_new_refuses_non_utf8_naming_the_byte(temp_project: Settings, tmp_path: Path) -> None:
    result = _new(temp_project, tmp_path, data=b"ok \xe9t\xe9")
    assert result.exit_code == 2
    assert (
        f"{tmp_path / 'incoming.txt'} is not valid UTF-8: byte 0xe9 at byte offset 3 "
        "(invalid continuation byte)"
    ) in result.stderr
    assert not (temp_project.sources_dir / f"{SLUG}.txt").exists()
    assert not (temp_project.documents_dir / f"{SLUG}.ttl").exists()


def test_new_refuses_a_bad_slug(temp_project: Settings, tmp_path: Path) -> None:
    result = _new(temp_project, tmp_path, slug="Doe_2026")
    assert result.exit_code == 1
    assert "slug 'Doe_2026' is not lower-case letters and digits joined by single hyphens" in (
        result.stderr
    )


def test_pasted_quote_validates_with_crlf_and_accents(
    temp_project: Settings, tmp_path: Path
) -> None:
    """Offsets count code points of the exact bytes: CRLF is two, 'é' is one."""
    assert _new(temp_project, tmp_path).exit_code == 0
    result = _run("quote", SLUG, "improved; café")
    assert result.exit_code == 0, result.output
    text = SOURCE.decode("utf-8")
    start = text.index("improved; café")
    assert f'oa:start "{start}"^^xsd:nonNegativeInteger ;' in result.output
    assert f'oa:end "{start + 14}"^^xsd:nonNegativeInteger ;' in result.output
    assert f"lkgd:{SLUG}.quote-01\n" in result.output
    document = temp_project.documents_dir / f"{SLUG}.ttl"
    document.write_text(document.read_text(encoding="utf-8") + result.output, encoding="utf-8")
    report = validate(temp_project, [document])
    assert [r for r in report.results if r.severity == "Violation"] == []
    assert "quote-02" in _run("quote", SLUG, "Mesenchymal stem cells").output


def test_quote_not_found_lists_nearest(temp_project: Settings, tmp_path: Path) -> None:
    assert _new(temp_project, tmp_path).exit_code == 0
    result = _run("quote", SLUG, "All 12 patient improved")
    assert result.exit_code == 1
    assert (
        f"error: the text does not occur in graph/sources/{SLUG}.txt; nearest passages: "
        "'All 12 patients improve'"
    ) in result.stderr


def test_quote_found_twice_lists_offsets(temp_project: Settings, tmp_path: Path) -> None:
    assert _new(temp_project, tmp_path).exit_code == 0
    result = _run("quote", SLUG, "12 patients")
    assert result.exit_code == 1
    assert (
        f"error: the text occurs 2 times in graph/sources/{SLUG}.txt, at [37, 48), [55, 66)"
    ) in result.stderr


def test_quote_of_an_unknown_document(temp_project: Settings) -> None:
    result = _run("quote", "nobody-2026", "text")
    assert result.exit_code == 1
    assert "error: no source text graph/sources/nobody-2026.txt" in result.stderr
