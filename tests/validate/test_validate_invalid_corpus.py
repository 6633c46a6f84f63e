"""Every patch in tests/data/invalid/ makes one realistic curator mistake; each must be caught.

A patch (``<case>.patch``) applied to a known-good base document gives the bad file, and
``<case>.expected`` beside it lists the results it must produce. The bad file replaces
the fixture document it was made from, in a private project, and is validated through the
CLI (`lupuskg validate FILE`). The results it adds to those of the unbroken document must
be exactly the expected ones, and the exit code must match.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from validate_paths import INVALID, write_invalid

from lupuskg.cli import main
from lupuskg.config import Settings
from lupuskg.validate import ValidationResult, validate

CEM = "cem-ucmsc-news"
FRONTIERS = "frontiers-2021-msc-review"
V = "Violation"


@dataclass(frozen=True)
class Case:
    file: str
    slug: str
    exit_code: int
    #: (severity, focus, path, constraint, message)
    expected: frozenset[tuple[str, str, str | None, str, str]]


def _read_case(expected: Path) -> Case:
    """``<case>.expected``: the document it breaks, the exit code, then one result a line."""
    lines = expected.read_text(encoding="utf-8").splitlines()
    slug = lines[0].removeprefix("# document: ")
    exit_code = int(lines[1].removeprefix("# exit code: "))
    rows = []
    for line in lines[2:]:
        if line.startswith("#"):
            continue
        severity, focus, path, constraint, message = line.split("\t")
        rows.append((severity, focus, None if path == "-" else path, constraint, message))
    return Case(expected.with_suffix(".ttl").name, slug, exit_code, frozenset(rows))


#: one case per tests/data/invalid/<case>.patch, its results beside it in <case>.expected
CASES = [_read_case(path) for path in sorted(INVALID.glob("*.expected"))]


def _key(result: ValidationResult) -> tuple[str, str, str | None, str, str]:
    return (result.severity, result.focus, result.path, result.constraint, result.message)


def _install(project: Settings, bad: str, slug: str) -> Path:
    return write_invalid(bad, project.documents_dir / f"{slug}.ttl")


def test_corpus_has_one_file_per_mistake() -> None:
    files = sorted(path.with_suffix(".ttl").name for path in INVALID.glob("*.patch"))
    assert files == sorted([c.file for c in CASES] + ["malformed-turtle.ttl"])
    assert len(files) + 1 >= 15  # plus the duplicate-IRI pair


@pytest.mark.parametrize("bad", CASES, ids=[c.file for c in CASES])
def test_invalid_document_is_reported(validation_project: Settings, bad: Case) -> None:
    target = validation_project.documents_dir / f"{bad.slug}.ttl"
    baseline = {_key(r) for r in validate(validation_project, [target]).results}
    _install(validation_project, bad.file, bad.slug)

    results = [r for r in validate(validation_project, [target]).results if _key(r) not in baseline]
    assert {_key(r) for r in results} == bad.expected
    assert all(r.file == f"graph/documents/{bad.slug}.ttl" and r.line for r in results)
    assert all(r.hint for r in results)

    outcome = CliRunner().invoke(main, ["validate", str(target)])
    assert outcome.exit_code == bad.exit_code, outcome.output
    for result in results:
        assert (
            f"{result.severity.upper()} {result.file}:{result.line} {result.focus}"
            in outcome.output
        )


def test_quote_mismatch_hint_gives_the_right_offsets(validation_project: Settings) -> None:
    target = _install(validation_project, "quote-offsets-mismatch.ttl", CEM)
    [result] = [
        r
        for r in validate(validation_project, [target]).results
        if r.constraint == "lkg:QuoteMismatch"
    ]
    assert result.hint == "The passage occurs at oa:start 1448, oa:end 1533: set those offsets"
    assert result.line == 60  # the quote's subject line, after the one-line header comment


def test_malformed_turtle_exits_2_with_file_line_column(validation_project: Settings) -> None:
    target = _install(validation_project, "malformed-turtle.ttl", CEM)
    outcome = CliRunner().invoke(main, ["validate", str(target)])
    assert outcome.exit_code == 2
    assert "ERROR graph/documents/cem-ucmsc-news.ttl:37:5 malformed Turtle:" in outcome.output


def test_malformed_file_does_not_hide_the_others(validation_project: Settings) -> None:
    from lupuskg.exceptions import ParseError

    _install(validation_project, "malformed-turtle.ttl", CEM)
    _install(validation_project, "mechanism-no-target-cell.ttl", FRONTIERS)
    with pytest.raises(ParseError) as caught:
        validate(validation_project)
    assert str(caught.value.location) == "graph/documents/cem-ucmsc-news.ttl:37:5"
    report = caught.value.report  # type: ignore[attr-defined]
    assert report.files == ["graph/documents/frontiers-2021-msc-review.ttl"]
    assert [(r.severity, r.focus) for r in report.results] == [
        ("Warning", "lkgd:frontiers-2021-msc-review.claim-01")
    ]
    outcome = CliRunner().invoke(main, ["validate"])
    assert outcome.exit_code == 2
    assert "WARNING graph/documents/frontiers-2021-msc-review.ttl:10" in outcome.output


def test_same_iri_in_two_documents(validation_project: Settings) -> None:
    for path in (INVALID / "duplicate-iri").glob("*.patch"):
        name = path.with_suffix(".ttl").name
        write_invalid(f"duplicate-iri/{name}", validation_project.documents_dir / name)
    report = validate(validation_project)
    duplicates = [
        (r.severity, r.file, r.line, r.focus, r.message)
        for r in report.results
        if r.constraint == "lkg:DuplicateDefinition"
    ]
    assert duplicates == [
        (V, "graph/documents/cem-ucmsc-news.ttl", 52, "lkgd:cem-ucmsc-news.quote-01",
         "lkgd:cem-ucmsc-news.quote-01 is defined in more than one document: also in "
         "graph/documents/frontiers-2021-msc-review.ttl"),
        (V, "graph/documents/frontiers-2021-msc-review.ttl", 33, "lkgd:cem-ucmsc-news.quote-01",
         "lkgd:cem-ucmsc-news.quote-01 is defined in more than one document: also in "
         "graph/documents/cem-ucmsc-news.ttl"),
    ]  # fmt: skip
    assert CliRunner().invoke(main, ["validate"]).exit_code == 1


def test_duplicate_found_when_only_one_file_is_named(validation_project: Settings) -> None:
    for path in (INVALID / "duplicate-iri").glob("*.patch"):
        name = path.with_suffix(".ttl").name
        write_invalid(f"duplicate-iri/{name}", validation_project.documents_dir / name)
    named = validation_project.documents_dir / f"{FRONTIERS}.ttl"
    report = validate(validation_project, [named])
    assert [
        (r.file, r.focus) for r in report.results if r.constraint == "lkg:DuplicateDefinition"
    ] == [("graph/documents/frontiers-2021-msc-review.ttl", "lkgd:cem-ucmsc-news.quote-01")]


def test_arm_and_result_of_the_evidence_model_validate(validation_project: Settings) -> None:
    """The unbroken evidence block the data-rule fixtures are made from adds no result."""
    target = validation_project.documents_dir / f"{CEM}.ttl"
    baseline = {_key(r) for r in validate(validation_project, [target]).results}
    shutil.copy2(
        INVALID.parent / "evidence-valid.ttl", validation_project.documents_dir / f"{CEM}.ttl"
    )
    added = [r for r in validate(validation_project, [target]).results if _key(r) not in baseline]
    assert added == []
