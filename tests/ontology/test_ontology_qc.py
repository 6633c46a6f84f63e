"""Each QC rule fires on its own small broken fixture, and only there."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from lupuskg.ontology import QC_RULES, Level, QCFinding, curie, qc_report

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REFERENCE = Path(__file__).resolve().parents[2] / "ontology" / "reference" / "obo-terms.tsv"

LKG = "https://w3id.org/lupuskg/vocab/"
OBO = "http://purl.obolibrary.org/obo/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def report(name: str) -> list[QCFinding]:
    return qc_report(rdflib.Graph().parse(FIXTURES / name), REFERENCE)


@pytest.mark.parametrize(
    ("fixture", "rule", "level", "subject"),
    [
        ("missing_label.ttl", "missing_label", Level.ERROR, LKG + "NoLabel"),
        ("missing_definition.ttl", "missing_definition", Level.ERROR, LKG + "NoDefinition"),
        ("multiple_labels.ttl", "multiple_labels", Level.ERROR, LKG + "TwoLabels"),
        ("duplicate_label.ttl", "duplicate_label", Level.ERROR, LKG + "Remission"),
        ("duplicate_label.ttl", "duplicate_label", Level.ERROR, LKG + "RemissionTwin"),
        ("undeclared_term.ttl", "undeclared_term", Level.ERROR, LKG + "UCMSCTherpy"),
        ("obo_label_mismatch.ttl", "obo_label_mismatch", Level.ERROR, OBO + "CL_0000815"),
        ("unverified_obo_term.ttl", "unverified_obo_term", Level.ERROR, OBO + "CHEBI_5801"),
        ("non_owl2_datatype.ttl", "non_owl2_datatype", Level.ERROR, XSD + "gYear"),
        ("deprecated_term_in_use.ttl", "deprecated_term_in_use", Level.WARN, LKG + "OldTerm"),
        ("lowercase_definition.ttl", "lowercase_definition", Level.INFO, LKG + "Lowercase"),
    ],
)
def test_rule_fires_on_its_fixture(fixture: str, rule: str, level: Level, subject: str) -> None:
    findings = report(fixture)
    assert (level, rule, subject) in {(f.level, f.rule, f.subject) for f in findings}, findings
    assert {f.rule for f in findings} == {rule}, f"other rules fired too: {findings}"


def test_every_rule_has_a_fixture() -> None:
    assert {path.stem for path in FIXTURES.glob("*.ttl")} >= set(QC_RULES)


def test_clean_fixture_has_no_findings() -> None:
    assert report("clean.ttl") == []


def test_messages_say_how_to_fix() -> None:
    (finding,) = report("obo_label_mismatch.ttl")
    assert "'Treg'" in finding.message and "'regulatory T cell'" in finding.message


def test_real_ontology_is_clean(merged: rdflib.Graph, real_settings) -> None:  # type: ignore[no-untyped-def]
    findings = qc_report(merged, real_settings)
    assert findings == [], "\n".join(
        f"{f.level} {f.rule} {curie(f.subject)} {f.message}" for f in findings
    )


def test_levels_compare_as_strings() -> None:
    assert Level.ERROR == "ERROR" and f"{Level.WARN}" == "WARN"
