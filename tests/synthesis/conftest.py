"""A project whose only documents are the synthesis fixtures (three invented studies).

Real documents are left out on purpose: adding a study to graph/ must never change
what these tests expect.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from lupuskg.config import Settings, settings

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fixture_project(target: Path, documents: Path = FIXTURES / "documents") -> Path:
    """The ontology, queries and pyproject of the checkout with the fixture documents."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "pyproject.toml", target / "pyproject.toml")
    shutil.copytree(ROOT / "ontology", target / "ontology")
    shutil.copytree(ROOT / "queries", target / "queries")
    shutil.copytree(documents, target / "graph" / "documents")
    (target / "graph" / "sources").mkdir()
    return target


@pytest.fixture(scope="module")
def synthesis_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Settings of the fixture project, built (validation skipped: fixtures have no sources)."""
    from lupuskg.build import build

    root = fixture_project(tmp_path_factory.mktemp("synthesis"))
    mp = pytest.MonkeyPatch()
    mp.setenv("LUPUSKG_HOME", str(root))
    mp.delenv("LUPUSKG_STORE", raising=False)
    settings.cache_clear()
    project = settings(root)
    build(project, validate=False)
    yield project
    mp.undo()
    settings.cache_clear()
