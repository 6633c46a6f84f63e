"""Shared fixtures: a private copy of the project and a store built from it.

Tests never write into the working tree: they copy what the build reads into a
temporary project and point LUPUSKG_HOME at it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from lupuskg.config import Settings, settings

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("pyproject.toml", "ontology", "graph", "queries")


def copy_project(target: Path) -> Path:
    """Copy the inputs of a build into ``target`` and return it."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        elif source.is_file():
            shutil.copy2(source, target / part)
    return target


@pytest.fixture(scope="session")
def project_root() -> Path:
    """The real checkout, read-only for tests."""
    return ROOT


@pytest.fixture(scope="session")
def built_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Settings of a temporary project with a built store (validation skipped here)."""
    from lupuskg.build import build

    root = copy_project(tmp_path_factory.mktemp("project"))
    mp = pytest.MonkeyPatch()
    mp.setenv("LUPUSKG_HOME", str(root))
    mp.delenv("LUPUSKG_STORE", raising=False)
    settings.cache_clear()
    project = settings(root)
    build(project, validate=False)
    yield project
    mp.undo()
    settings.cache_clear()


@pytest.fixture
def temp_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A fresh, unbuilt copy of the project, for tests that break or rebuild it."""
    root = copy_project(tmp_path / "project")
    monkeypatch.setenv("LUPUSKG_HOME", str(root))
    monkeypatch.delenv("LUPUSKG_STORE", raising=False)
    settings.cache_clear()
    yield settings(root)
    settings.cache_clear()
