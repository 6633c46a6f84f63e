"""A project whose only documents are the synthesis fixtures (three invented studies).

Real documents are left out on purpose: adding a study to graph/ must never change
what these tests expect.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from lupuskg.config import Settings

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def synthesis_settings(
    tmp_path_factory: pytest.TempPathFactory,
    project_copier: Callable[[Path], Path],
    project_builder: Callable[[Path], AbstractContextManager[Settings]],
) -> Iterator[Settings]:
    """Settings of the fixture project, built (validation skipped: fixtures have no sources)."""
    root = project_copier(tmp_path_factory.mktemp("synthesis"))
    shutil.rmtree(root / "graph")
    shutil.copytree(FIXTURES / "documents", root / "graph" / "documents")
    (root / "graph" / "sources").mkdir()
    with project_builder(root) as project:
        yield project
