"""Every file of tests/data/invalid/ holds one realistic curator mistake; each must be caught.

A bad file replaces the fixture document it was made from, in a private project, and is
validated through the CLI (`lupuskg validate FILE`). The results it adds to those of
the unbroken document must be exactly the expected ones, and the exit code must match.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from validate_paths import INVALID

from lupuskg.cli import main
from lupuskg.config import Settings
from lupuskg.validate import ValidationResult, validate

CEM = "cem-ucmsc-news"
FRONTIERS = "frontiers-2021-msc-review"
V, W = "Violation", "Warning"
SPARQL = "sh:SPARQLConstraintComponent"


@dataclass(frozen=True)
class Case:
    file: str
    slug: str
    exit_code: int
    #: (severity, focus, path, constraint, message)
    expected: frozenset[tuple[str, str, str | None, str, str]]


def case(file: str, slug: str, exit_code: int, *expected: tuple) -> Case:
    return Case(file, slug, exit_code, frozenset(expected))


CASES = [
    case("claim-no-source.ttl", CEM, 1,
         (V, "lkgd:cem-ucmsc-news.claim-02", "lkg:sourceDocument", "sh:MinCountConstraintComponent",
          "The claim has no source: lkg:sourceDocument is missing")),
    case("claim-two-sources.ttl", CEM, 1,
         (V, "lkgd:cem-ucmsc-news.claim-03", "lkg:sourceDocument", "sh:MaxCountConstraintComponent",
          "The claim has more than one lkg:sourceDocument; a claim comes from exactly one document"),
         (V, "lkgd:cem-ucmsc-news.claim-03", "lkg:sourceDocument", "sh:ClassConstraintComponent",
          "The claim's lkg:sourceDocument is not the document described in this file")),
    case("claim-no-quote.ttl", CEM, 1,
         (V, "lkgd:cem-ucmsc-news.claim-03", "lkg:hasQuote", "sh:MinCountConstraintComponent",
          "The claim has no quote: every claim needs at least one verbatim lkg:hasQuote"),
         (W, "lkgd:cem-ucmsc-news.quote-03", None, "sh:SPARQLConstraintComponent",
          "The quote is not used by any claim (no lkg:hasQuote points at it)")),
    case("quote-not-in-source.ttl", CEM, 1,
         (V, "lkgd:cem-ucmsc-news.quote-02", "oa:exact", "lkg:QuoteNotInSource",
          "The quote does not occur anywhere in the source text graph/sources/cem-ucmsc-news.txt: "
          'the quote says "One patient felt warm and dizzy after the transplantation"')),
    case("quote-offsets-mismatch.ttl", CEM, 1,
         (V, "lkgd:cem-ucmsc-news.quote-02", "oa:start", "lkg:QuoteMismatch",
          "The quote does not match the source text graph/sources/cem-ucmsc-news.txt at oa:start "
          '1459, oa:end 1544: the quote says "One patient experienced a warm sensation with '
          'dizziness following the transplantation" but the source there says "experienced a '
          'warm sensation with dizziness following the transplantation, but no pa"')),
    case("sample-size-negative.ttl", CEM, 1,
         (V, "lkgd:cem-ucmsc-news.study-ucmsc-6y", "lkg:sampleSize", "sh:SPARQLConstraintComponent",
          "lkg:sampleSize cannot be negative: -9"),
         (V, "lkgd:cem-ucmsc-news.study-ucmsc-6y", "lkg:sampleSize", "sh:DatatypeConstraintComponent",
          "lkg:sampleSize must be a whole number of patients (xsd:nonNegativeInteger)")),
    case("sample-size-not-integer.ttl", CEM, 1,
         (V, "lkgd:cem-ucmsc-news.study-ucmsc-6y", "lkg:sampleSize", "sh:DatatypeConstraintComponent",
          "lkg:sampleSize must be a whole number of patients (xsd:nonNegativeInteger)")),
    case("unknown-therapy.ttl", CEM, 1,
         (V, "lkgd:cem-ucmsc-news.claim-01", "lkg:intervention", "lkg:SubClassOfConstraintComponent",
          "lkg:intervention is not a therapy class of the ontology (unknown or misspelt IRI?)")),
    case("typo-predicate.ttl", CEM, 1,
         (V, "lkgd:cem-ucmsc-news.claim-02", "lkg:qualifer", "sh:ClosedConstraintComponent",
          "This predicate is not part of the lupuskg model of a claim (a misspelt predicate?)")),
    case("direction-not-in-enumeration.ttl", CEM, 1,
         (V, "lkgd:cem-ucmsc-news.claim-02", "lkg:direction", "sh:InConstraintComponent",
          "lkg:direction is not one of the allowed directions")),
    case("bad-doi.ttl", CEM, 1,
         (V, "lkgd:cem-ucmsc-news", "bibo:doi", "sh:PatternConstraintComponent",
          "The DOI is malformed: it must look like 10.1234/suffix, without a https://doi.org/ "
          "prefix or spaces")),
    case("bad-date.ttl", CEM, 1,
         (V, "lkgd:cem-ucmsc-news", "dcterms:issued", "sh:DatatypeConstraintComponent",
          "dcterms:issued must be a valid xsd:date (YYYY-MM-DD)")),
    case("statement-language-tag.ttl", CEM, 1,
         (V, "lkgd:cem-ucmsc-news.claim-02", "lkg:statement", "sh:DatatypeConstraintComponent",
          "lkg:statement must be a plain string without a language tag or datatype")),
    case("follow-up-wrong-datatype.ttl", CEM, 1,
         (V, "lkgd:cem-ucmsc-news.study-ucmsc-6y", "lkg:followUp", "sh:DatatypeConstraintComponent",
          "lkg:followUp must be one xsd:duration")),
    case("study-of-other-document.ttl", CEM, 1,
         (V, "lkgd:cem-ucmsc-news.claim-01", "lkg:aboutStudy", "sh:SPARQLConstraintComponent",
          "The claim's study lkgd:carl-2024.study-astis is not reported in the claim's own "
          "document (its lkg:reportedIn differs from the claim's lkg:sourceDocument)"),
         (V, "lkgd:cem-ucmsc-news.claim-01", "lkg:aboutStudy", "sh:ClassConstraintComponent",
          "lkg:aboutStudy must point at a lkg:Study described in this file")),
    case("document-no-claims.ttl", FRONTIERS, 0,
         (W, "lkgd:frontiers-2021-msc-review", None, "sh:SPARQLConstraintComponent",
          "The document has no claims: no claim names it as its lkg:sourceDocument")),
    case("mechanism-no-target-cell.ttl", FRONTIERS, 0,
         (W, "lkgd:frontiers-2021-msc-review.claim-01", "lkg:targetCell",
          "sh:MinCountConstraintComponent", "The mechanism claim names no target cell (lkg:targetCell)")),
    # evidence-model data rules (issue 11, part 5): base + one arm and one result
    case("result-numerator-over-denominator.ttl", CEM, 1,
         (V, "lkgd:cem-ucmsc-news.result-01", "lkg:numerator", SPARQL, "lkg:numerator 10 is larger than lkg:denominator 9")),
    case("result-denominator-over-arm.ttl", CEM, 1,
         (V, "lkgd:cem-ucmsc-news.result-01", "lkg:denominator", SPARQL,
          "lkg:denominator 12 is larger than the 9 patients analysed in arm lkgd:cem-ucmsc-news.arm-ucmsc")),
    case("result-proportion-mismatch.ttl", CEM, 1,
         (V, "lkgd:cem-ucmsc-news.result-01", "lkg:value", SPARQL,
          "lkg:value 20.0 % disagrees with lkg:numerator / lkg:denominator = 11.111 % "
          "(more than 0.5 percentage points apart)")),
    case("arms-exceed-sample-size.ttl", CEM, 1,
         (V, "lkgd:cem-ucmsc-news.study-ucmsc-6y", "lkg:sampleSize", SPARQL,
          "The arms hold 12 patients, more than the study's lkg:sampleSize 9")),
    case("result-after-follow-up.ttl", CEM, 1,
         (V, "lkgd:cem-ucmsc-news.result-01", "lkg:timePoint", SPARQL,
          "lkg:timePoint P7Y is after the end of the study's follow-up P6Y")),
    case("result-ci-excludes-value.ttl", CEM, 1,
         (V, "lkgd:cem-ucmsc-news.result-01", "lkg:value", SPARQL,
          "The confidence interval 15.0 to 40.0 does not contain lkg:value 11.1")),
    case("result-p-value-out-of-range.ttl", CEM, 1,
         (V, "lkgd:cem-ucmsc-news.result-01", "lkg:pValue", SPARQL, "lkg:pValue 5.0 is not between 0 and 1")),
    case("efficacy-claim-placebo-intervention.ttl", CEM, 1,
         (V, "lkgd:cem-ucmsc-news.claim-90", "lkg:intervention", SPARQL,
          "lkg:Placebo is a placebo, never the intervention of an efficacy claim"),
         (V, "lkgd:cem-ucmsc-news.claim-90", "lkg:intervention", "lkg:SubClassOfConstraintComponent",
          "lkg:intervention is not a therapy class of the ontology (unknown or misspelt IRI?)")),
    case("efficacy-claim-placebo-arm.ttl", CEM, 1,
         (V, "lkgd:cem-ucmsc-news.claim-90", "lkg:basedOnResult", SPARQL,
          "The efficacy claim rests on a result (lkg:basedOnResult) that belongs only to the "
          "placebo arm lkgd:cem-ucmsc-news.arm-ucmsc")),
    case("follow-up-not-derivable.ttl", CEM, 1,
         (V, "lkgd:cem-ucmsc-news.study-ucmsc-6y", "lkg:followUp", SPARQL,
          "lkg:followUp P45D is not a whole number of years and months, so lkg:followUpMonths "
          "cannot be derived from it")),
    case("reference-term-not-imported.ttl", CEM, 1,
         (V, "lkgd:cem-ucmsc-news.claim-02", "lkg:outcome", SPARQL,
          "in the reference table but not imported: add it to ontology/imports/obo-import.ttl")),
]  # fmt: skip


def _key(result: ValidationResult) -> tuple[str, str, str | None, str, str]:
    return (result.severity, result.focus, result.path, result.constraint, result.message)


def _install(project: Settings, bad: Path, slug: str) -> Path:
    target = project.documents_dir / f"{slug}.ttl"
    shutil.copy2(bad, target)
    return target


def test_corpus_has_one_file_per_mistake() -> None:
    files = sorted(path.name for path in INVALID.glob("*.ttl"))
    assert files == sorted([c.file for c in CASES] + ["malformed-turtle.ttl"])
    assert len(files) + 1 >= 15  # plus the duplicate-IRI pair


@pytest.mark.parametrize("bad", CASES, ids=[c.file for c in CASES])
def test_invalid_document_is_reported(validation_project: Settings, bad: Case) -> None:
    target = validation_project.documents_dir / f"{bad.slug}.ttl"
    baseline = {_key(r) for r in validate(validation_project, [target]).results}
    _install(validation_project, INVALID / bad.file, bad.slug)

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
    target = _install(validation_project, INVALID / "quote-offsets-mismatch.ttl", CEM)
    [result] = [
        r
        for r in validate(validation_project, [target]).results
        if r.constraint == "lkg:QuoteMismatch"
    ]
    assert result.hint == "The passage occurs at oa:start 1448, oa:end 1533: set those offsets"
    assert result.line == 60  # the quote's subject line, after the one-line header comment


def test_malformed_turtle_exits_2_with_file_line_column(validation_project: Settings) -> None:
    target = _install(validation_project, INVALID / "malformed-turtle.ttl", CEM)
    outcome = CliRunner().invoke(main, ["validate", str(target)])
    assert outcome.exit_code == 2
    assert "ERROR graph/documents/cem-ucmsc-news.ttl:37:5 malformed Turtle:" in outcome.output


def test_malformed_file_does_not_hide_the_others(validation_project: Settings) -> None:
    from lupuskg.exceptions import ParseError

    _install(validation_project, INVALID / "malformed-turtle.ttl", CEM)
    _install(validation_project, INVALID / "mechanism-no-target-cell.ttl", FRONTIERS)
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
    for path in (INVALID / "duplicate-iri").glob("*.ttl"):
        shutil.copy2(path, validation_project.documents_dir / path.name)
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
    for path in (INVALID / "duplicate-iri").glob("*.ttl"):
        shutil.copy2(path, validation_project.documents_dir / path.name)
    named = validation_project.documents_dir / f"{FRONTIERS}.ttl"
    report = validate(validation_project, [named])
    assert [
        (r.file, r.focus) for r in report.results if r.constraint == "lkg:DuplicateDefinition"
    ] == [("graph/documents/frontiers-2021-msc-review.ttl", "lkgd:cem-ucmsc-news.quote-01")]


def test_arm_and_result_of_the_evidence_model_validate(validation_project: Settings) -> None:
    """The unbroken evidence block the data-rule fixtures are made from adds no result."""
    target = validation_project.documents_dir / f"{CEM}.ttl"
    baseline = {_key(r) for r in validate(validation_project, [target]).results}
    _install(validation_project, INVALID.parent / "evidence-valid.ttl", CEM)
    added = [r for r in validate(validation_project, [target]).results if _key(r) not in baseline]
    assert added == []
