"""Fixtures for the ontology tests: the real merged graph, one HermiT run, broken projects."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import rdflib

from lupuskg.config import Settings, settings
from lupuskg.ontology import ReasonerResult, load_ontology_graph, run_hermit

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REFERENCE = ROOT / "ontology" / "reference" / "obo-terms.tsv"


@pytest.fixture(scope="session")
def real_settings() -> Settings:
    """Settings of the checkout itself (the ontology checks only read)."""
    return settings(ROOT)


@pytest.fixture(scope="session")
def merged(real_settings: Settings) -> rdflib.Graph:
    """lupuskg.ttl merged with its imports."""
    return load_ontology_graph(real_settings)


@pytest.fixture(scope="session")
def hermit(real_settings: Settings, merged: rdflib.Graph) -> ReasonerResult:
    """One real HermiT run over the real ontology, shared by the tests that need it."""
    if shutil.which("java") is None:
        pytest.skip("Java is not installed; .ci/run installs it")
    return run_hermit(real_settings, merged)


@pytest.fixture
def fixture_root(tmp_path: Path) -> Callable[[str], Path]:
    """Build a throwaway project whose ontology is one fixture file; returns its root."""

    def make(name: str) -> Path:
        root = tmp_path / name.removesuffix(".ttl")
        (root / "ontology" / "reference").mkdir(parents=True)
        (root / "pyproject.toml").write_text('[tool.lupuskg]\nversion = "0.0.0"\n')
        shutil.copy(FIXTURES / name, root / "ontology" / "lupuskg.ttl")
        shutil.copy(REFERENCE, root / "ontology" / "reference" / "obo-terms.tsv")
        return root

    return make
