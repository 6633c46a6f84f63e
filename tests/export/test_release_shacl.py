"""The shipped shapes accept the shipped data under standard SHACL, with no engine options:
pySHACL's defaults and Jena SHACL (`shacl validate`) over the release bundle's merged
Turtle (ontology included) report no violation, and what they do report (warnings) is on
data nodes only, never on the ontology's classes, properties or axioms."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyshacl
import pytest
import rdflib
from jena_shacl import shacl_validate

from lupuskg.config import Settings

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
DATA_NODES = "https://w3id.org/lupuskg/id/"


def _results(report: rdflib.Graph) -> list[tuple[str, str, str]]:
    return sorted(
        (
            str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
            str(report.value(result, SH.focusNode)),
            str(report.value(result, SH.resultMessage)),
        )
        for result in report.subjects(rdflib.RDF.type, SH.ValidationResult)
    )


def _files(release) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    shapes = release.directory / "shapes" / "shapes.ttl"
    if not shapes.exists():
        pytest.skip("this project ships no shapes (the export fixture)")
    return shapes, release.directory / "data" / "lupuskg.ttl"


def _check(results: list[tuple[str, str, str]], engine: str) -> None:
    severities = Counter(severity for severity, _, _ in results)
    violations = [r for r in results if r[0] == "Violation"][:5]
    assert severities["Violation"] == 0, f"{engine}: {severities}; e.g. {violations}"
    off_data = [r for r in results if not r[1].startswith(DATA_NODES)][:5]
    assert not off_data, f"{engine} reports on non-data nodes: {off_data}"


@pytest.fixture(scope="module")
def pyshacl_results(release) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    shapes, data = _files(release)
    _conforms, report, _text = pyshacl.validate(str(data), shacl_graph=str(shapes))
    return _results(report)


def test_pyshacl_without_options_finds_no_violation(pyshacl_results) -> None:  # type: ignore[no-untyped-def]
    _check(pyshacl_results, "pySHACL")


def test_jena_shacl_finds_no_violation(release, tmp_path: Path, pyshacl_results) -> None:  # type: ignore[no-untyped-def]
    shapes, data = _files(release)
    report = rdflib.Graph()
    report.parse(data=shacl_validate(tmp_path, shapes, data), format="turtle")
    results = _results(report)
    _check(results, "Jena SHACL")
    assert results == pyshacl_results  # both engines read the shapes the same way


def test_both_engines_still_catch_a_misspelt_class(
    release, tmp_path: Path, dataset: Settings
) -> None:  # type: ignore[no-untyped-def]
    """Leaving the ontology's nodes alone must not blind the type check on data nodes."""
    shapes, data = _files(release)
    broken = tmp_path / "broken.ttl"
    broken.write_bytes(
        data.read_bytes()
        + b"\n<https://w3id.org/lupuskg/id/x.claim-1> a <https://w3id.org/lupuskg/vocab/EfficacyClaimm> .\n"
    )
    expected = (
        "Violation",
        "https://w3id.org/lupuskg/id/x.claim-1",
        "The node's rdf:type is not a class of the ontology (a misspelt class name?)",
    )
    _conforms, report, _text = pyshacl.validate(str(broken), shacl_graph=str(shapes))
    assert expected in _results(report)
    jena = rdflib.Graph()
    jena.parse(data=shacl_validate(tmp_path, shapes, broken), format="turtle")
    assert expected in _results(jena)
