"""Shared fixtures: a private copy of the project and a store built from it.

Tests never write into the working tree: they copy what the build reads into a
temporary project and point LUPUSKG_HOME at it.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from lupuskg.config import Settings, settings

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("pyproject.toml", "ontology", "graph", "queries")
EXPECTED = ROOT / "tests" / "expected"
UPDATE_OPTION = "--update-expected"
REWRITTEN = pytest.StashKey[list[Path]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        UPDATE_OPTION,
        action="store_true",
        help="rewrite tests/expected/*.tsv from a fresh build instead of comparing; "
        "runs only the golden-answer tests. Review `git diff tests/expected` afterwards.",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.stash[REWRITTEN] = []


#: fixtures that build a store, start a server, a reasoner or Virtuoso, or validate a whole
#: project: a test using one takes seconds, so it is marked slow and left out of the edit
#: loop's `pytest -m "not slow"` (README, "Tests")
SLOW_FIXTURES = frozenset(
    {
        "built_settings",
        "built_trig",
        "dataset",
        "fixture_settings",
        "generated_corpus",
        "golden",
        "guarded_server",
        "hermit",
        "listener",
        "oxigraph_factory",
        "page_server",
        "release",
        "released",
        "server",
        "synthesis_settings",
        "temp_project",
        "tight_server",
        "validation_project",
        "virtuoso",
    }
)


#: tests that take seconds without such a fixture (measured with --durations): whole-file
#: re-serialisation, SHACL-for-SHACL, HermiT, hypothesis searches, statsmodels and spaCy loads
SLOW_TESTS = (
    "tests/benchmarks/",
    "tests/build/test_canonical.py",
    "tests/draft/test_draft_golden.py",
    "tests/export/test_release_bundle.py",
    "tests/ontology/test_ontology_cli.py",
    "tests/queries/test_conflict_rules.py",
    "tests/security/test_federation.py::test_generated_service_spellings_never_pass",
    "tests/synthesis/test_pooling.py",
    "tests/validate/test_validate_shapes_meta.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests that need heavy fixtures slow; in update mode run only golden tests."""
    for item in items:
        slow_fixture = SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ()))
        if slow_fixture or item.nodeid.startswith(SLOW_TESTS):
            item.add_marker(pytest.mark.slow)
    if not config.getoption(UPDATE_OPTION):
        return
    keep = [item for item in items if "golden" in getattr(item, "fixturenames", ())]
    config.hook.pytest_deselected(items=[item for item in items if item not in keep])
    items[:] = keep


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    config = terminalreporter.config
    if not config.getoption(UPDATE_OPTION):
        return
    rewritten = config.stash[REWRITTEN]
    names = ", ".join(path.name for path in rewritten) or "none (all were up to date)"
    terminalreporter.write_line(f"rewrote {len(rewritten)} expected file(s): {names}")
    if rewritten:
        terminalreporter.write_line(
            "review `git diff tests/expected` row by row against graph/sources/*.txt"
        )


@dataclass
class Golden:
    """The reviewed expected answers in tests/expected/, compared or (in update mode) rewritten."""

    update: bool
    rewritten: list[Path] = field(default_factory=list)

    def path(self, name: str) -> Path:
        return EXPECTED / name

    def rewrite(self, name: str, actual: bytes) -> None:
        """Write ``actual`` as the expected file ``name`` if it differs from what is there."""
        path = self.path(name)
        if path.is_file() and path.read_bytes() == actual:
            return
        path.write_bytes(actual)
        self.rewritten.append(path)


@pytest.fixture(scope="session")
def golden(pytestconfig: pytest.Config) -> Golden:
    """Compare with tests/expected/, or rewrite it under ``--update-expected``."""
    return Golden(pytestconfig.getoption(UPDATE_OPTION), pytestconfig.stash[REWRITTEN])


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
def project_copier() -> Callable[[Path], Path]:
    """``copy_project`` for test modules, which cannot import this conftest by name."""
    return copy_project


@pytest.fixture(scope="session")
def project_root() -> Path:
    """The real checkout, read-only for tests."""
    return ROOT


@contextmanager
def built_project(root: Path) -> Iterator[Settings]:
    """Build the project at ``root`` (validation skipped) and point LUPUSKG_HOME at it."""
    from lupuskg.build import build

    mp = pytest.MonkeyPatch()
    mp.setenv("LUPUSKG_HOME", str(root))
    mp.delenv("LUPUSKG_STORE", raising=False)
    settings.cache_clear()
    project = settings(root)
    build(project, validate=False)
    try:
        yield project
    finally:
        mp.undo()
        settings.cache_clear()


@pytest.fixture(scope="session")
def project_builder() -> Callable[[Path], AbstractContextManager[Settings]]:
    """``built_project`` for test modules, which cannot import this conftest by name."""
    return built_project


@pytest.fixture(scope="session")
def built_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Settings of a temporary project with a built store (validation skipped here)."""
    with built_project(copy_project(tmp_path_factory.mktemp("project"))) as project:
        yield project


@pytest.fixture
def temp_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A fresh, unbuilt copy of the project, for tests that break or rebuild it."""
    root = copy_project(tmp_path / "project")
    monkeypatch.setenv("LUPUSKG_HOME", str(root))
    monkeypatch.delenv("LUPUSKG_STORE", raising=False)
    settings.cache_clear()
    yield settings(root)
    settings.cache_clear()
