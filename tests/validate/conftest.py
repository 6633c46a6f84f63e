"""Fixtures of the validation tests: a private project holding known-good fixture documents.

The fixture documents (tests/validate/fixtures/documents) follow contract.md and quote
the real source texts. While the real ontology/lupuskg.ttl does not exist yet, a small
contract-conformant slice of it (tests/validate/fixtures/ontology) stands in.
"""

from __future__ import annotations

import shutil

import pytest
from validate_paths import FIXTURE_DOCUMENTS, FIXTURE_ONTOLOGY

from lupuskg.config import Settings


def install_fixture_ontology_if_missing(project: Settings) -> None:
    """Use the fixture ontology slice when the real ontology has not been written yet."""
    if project.ontology_file.is_file():
        return
    shutil.copy2(FIXTURE_ONTOLOGY / "lupuskg.ttl", project.ontology_file)
    project.imports_dir.mkdir(parents=True, exist_ok=True)
    for path in (FIXTURE_ONTOLOGY / "imports").glob("*.ttl"):
        shutil.copy2(path, project.imports_dir / path.name)


@pytest.fixture
def validation_project(temp_project: Settings) -> Settings:
    """A temp project whose graph/documents holds exactly the two fixture documents."""
    install_fixture_ontology_if_missing(temp_project)
    temp_project.documents_dir.mkdir(parents=True, exist_ok=True)
    for path in temp_project.documents_dir.glob("*.ttl"):
        path.unlink()
    for path in FIXTURE_DOCUMENTS.glob("*.ttl"):
        shutil.copy2(path, temp_project.documents_dir / path.name)
    return temp_project
