"""The real seed graph (graph/documents with ontology/) conforms: no violations."""

from __future__ import annotations

import pytest

from lupuskg.config import Settings
from lupuskg.validate import validate


def test_seed_graph_has_no_violations(temp_project: Settings) -> None:
    if not temp_project.ontology_file.is_file() or not temp_project.document_files():
        pytest.skip("the seed documents or the ontology are not encoded yet")
    report = validate(temp_project)
    violations = [r for r in report.results if r.severity == "Violation"]
    assert violations == [], "\n".join(
        f"{r.file}:{r.line} {r.focus} {r.message}" for r in violations
    )
    assert len(report.files) == len(temp_project.document_files())
