"""`lupuskg ontology check` through click: exit 0 on the real ontology, 1 on broken ones."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from lupuskg.cli import main

ROOT = Path(__file__).resolve().parents[2]


def check(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["ontology", "check", *args], env={"LUPUSKG_HOME": str(root)})


def test_real_ontology_passes() -> None:
    result = check(ROOT)
    assert result.exit_code == 0, result.output
    assert "QC: 0 ERROR" in result.output
    assert "HermiT: consistent (0 unsatisfiable classes) in" in result.output


def test_broken_fixture_fails_with_one_line_per_finding(
    fixture_root: Callable[[str], Path],
) -> None:
    result = check(fixture_root("missing_label.ttl"), "--no-reasoner")
    assert result.exit_code == 1
    assert "ERROR missing_label lkg:NoLabel add an rdfs:label (@en)" in result.output
    assert "ontology check failed: 1 QC ERROR(s)" in result.output


def test_warnings_alone_do_not_fail(fixture_root: Callable[[str], Path]) -> None:
    result = check(fixture_root("deprecated_term_in_use.ttl"), "--no-reasoner")
    assert result.exit_code == 0, result.output
    assert "WARN deprecated_term_in_use lkg:OldTerm" in result.output


def test_inconsistent_ontology_fails(fixture_root: Callable[[str], Path]) -> None:
    result = check(fixture_root("inconsistent.ttl"))
    assert result.exit_code == 1
    assert "HermiT: INCONSISTENT" in result.output


def test_unsatisfiable_class_fails(fixture_root: Callable[[str], Path]) -> None:
    result = check(fixture_root("unsatisfiable.ttl"))
    assert result.exit_code == 1
    assert "ERROR unsatisfiable_class lkg:Impossible" in result.output
    assert "HermiT: consistent (1 unsatisfiable classes)" in result.output


def test_missing_java_is_reported_and_qc_still_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("lupuskg.ontology.shutil.which", lambda name: None)
    result = check(ROOT)
    assert result.exit_code == 0, result.output
    assert "QC: 0 ERROR" in result.output
    assert "Java not found: skipped HermiT, QC still ran" in result.output


def test_unresolvable_import_is_an_error(fixture_root: Callable[[str], Path]) -> None:
    result = check(fixture_root("unresolved_import.ttl"), "--no-reasoner")
    assert result.exit_code == 1
    assert "cannot resolve owl:imports <https://example.org/not-in-catalog.owl>" in result.output


def test_datatype_outside_owl2_map_is_named(fixture_root: Callable[[str], Path]) -> None:
    """HermiT refuses xsd:gYear; the check says which datatype instead of a stack trace."""
    result = check(fixture_root("non_owl2_datatype.ttl"))
    assert result.exit_code == 1
    assert "ERROR non_owl2_datatype xsd:gYear" in result.output
    assert "HermiT: HermiT failed: " in result.output and "XMLSchema#gYear" in result.output
    assert "1 QC ERROR(s); HermiT could not classify the ontology" in result.output
    assert "\tat org.semanticweb" not in result.output
