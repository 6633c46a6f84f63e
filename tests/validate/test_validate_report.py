"""The report as data, text, Turtle and JSON-LD; the parallel path gives the serial result."""

from __future__ import annotations

import json

import rdflib
from click.testing import CliRunner
from rdflib.namespace import SH
from validate_paths import write_invalid

from lupuskg import validate as validate_module
from lupuskg.cli import main
from lupuskg.config import Settings
from lupuskg.validate import ValidationReport, ValidationResult, validate

LKG = rdflib.Namespace("https://w3id.org/lupuskg/vocab/")


def _result(severity: str) -> ValidationResult:
    return ValidationResult(
        severity=severity, file="graph/documents/x.ttl", line=3, focus="lkgd:x.claim-01",
        path="lkg:direction", message="m", hint="h", constraint="sh:InConstraintComponent",
        value="lkg:Sideways",
    )  # fmt: skip


def test_counts_and_summary() -> None:
    report = ValidationReport([_result("Violation"), _result("Warning")], ["a", "b", "c"], 0.421)
    assert (report.conforms, report.violations, report.warnings) == (False, 1, 1)
    assert report.summary() == "3 documents, 1 violation, 1 warning in 0.42s"
    assert (
        ValidationReport([], ["a"], 0).summary() == "1 document, 0 violations, 0 warnings in 0.00s"
    )


def test_to_graph_is_a_w3c_report() -> None:
    graph = ValidationReport([_result("Warning")], ["x"], 0.1).to_graph()
    report = graph.value(predicate=rdflib.RDF.type, object=SH.ValidationReport)
    assert graph.value(report, SH.conforms).toPython() is True
    node = graph.value(report, SH.result)
    assert graph.value(node, SH.resultSeverity) == SH.Warning
    assert graph.value(node, SH.focusNode) == rdflib.URIRef(
        "https://w3id.org/lupuskg/id/x.claim-01"
    )
    assert graph.value(node, SH.resultPath) == LKG.direction
    assert graph.value(node, SH.value) == LKG.Sideways
    assert graph.value(node, SH.sourceConstraintComponent) == SH.InConstraintComponent
    assert (graph.value(node, LKG.file).toPython(), graph.value(node, LKG.line).toPython()) == (
        "graph/documents/x.ttl",
        3,
    )


def _break(project: Settings) -> None:
    write_invalid("direction-not-in-enumeration.ttl", project.documents_dir / "cem-ucmsc-news.ttl")


def test_cli_text_output(validation_project: Settings) -> None:
    _break(validation_project)
    outcome = CliRunner().invoke(main, ["validate"])
    assert outcome.exit_code == 1
    lines = outcome.output.strip().splitlines()
    assert lines[0] == (
        "VIOLATION graph/documents/cem-ucmsc-news.ttl:27 lkgd:cem-ucmsc-news.claim-02 lkg:direction "
        "lkg:direction is not one of the allowed directions [value: lkg:Improved] (hint: Use "
        "lkg:Improves, lkg:Worsens, lkg:NoEffect, lkg:Mixed, lkg:Observed, lkg:NotObserved, "
        "lkg:Promotes or lkg:Inhibits.)"
    )
    assert lines[-1].startswith("2 documents, 1 violation, 1 warning in ")


def test_cli_turtle_and_json_give_the_report_graph(validation_project: Settings) -> None:
    _break(validation_project)
    runner = CliRunner()
    turtle = runner.invoke(main, ["validate", "--format", "turtle"])
    jsonld = runner.invoke(main, ["validate", "--format", "json"])
    assert turtle.exit_code == jsonld.exit_code == 1
    from_turtle = rdflib.Graph().parse(data=turtle.stdout, format="turtle")
    json.loads(jsonld.stdout)
    from_json = rdflib.Graph().parse(data=jsonld.stdout, format="json-ld")
    for graph in (from_turtle, from_json):
        severities = sorted(str(s) for s in graph.objects(None, SH.resultSeverity))
        assert severities == [str(SH.Violation), str(SH.Warning)]
        assert (None, SH.value, LKG.Improved) in graph


def test_clean_project_exits_0(validation_project: Settings) -> None:
    outcome = CliRunner().invoke(main, ["validate"])
    assert outcome.exit_code == 0, outcome.output
    assert (
        "WARNING graph/documents/cem-ucmsc-news.ttl:87 lkgd:cem-ucmsc-news bibo:doi"
        in outcome.output
    )


def test_parallel_path_matches_serial(validation_project: Settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _break(validation_project)
    serial = validate(validation_project, jobs=1).results
    monkeypatch.setattr(validate_module, "PARALLEL_THRESHOLD", 2)
    parallel = validate(validation_project, jobs=2).results
    assert parallel == serial
    assert len(serial) == 2


def test_missing_file_is_input_error(validation_project: Settings) -> None:
    outcome = CliRunner().invoke(main, ["validate", "graph/documents/nope.ttl"])
    assert outcome.exit_code == 2
