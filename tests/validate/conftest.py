"""Fixtures of the validation tests: a private project holding known-good fixture documents.

The fixture documents (tests/validate/fixtures/documents) follow the model of the
real ontology and quote the real source texts.
"""

from __future__ import annotations

import shutil

import pytest
from validate_paths import FIXTURE_DOCUMENTS

from lupuskg.config import Settings


@pytest.fixture
def validation_project(temp_project: Settings) -> Settings:
    """A temp project whose graph/documents holds exactly the two fixture documents."""
    temp_project.documents_dir.mkdir(parents=True, exist_ok=True)
    for path in temp_project.documents_dir.glob("*.ttl"):
        path.unlink()
    for path in FIXTURE_DOCUMENTS.glob("*.ttl"):
        shutil.copy2(path, temp_project.documents_dir / path.name)
    return temp_project
