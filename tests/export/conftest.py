"""Fixtures for the export tests: a built copy of our small fixture project, and of the real one.

Every test that takes ``dataset`` runs twice: against ``fixture_project/`` (small,
contract-conformant, with blank nodes, typed literals and non-ASCII text) and against the
real project once its ontology and documents exist (skipped before that).
"""

from __future__ import annotations

import pytest
from export_project import FIXTURE, build_copy, real_project_ready

from lupuskg.config import Settings


@pytest.fixture(scope="session")
def fixture_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return build_copy(FIXTURE, tmp_path_factory.mktemp("export-fixture") / "project")


@pytest.fixture(scope="session", params=["fixture", "project"])
def dataset(request: pytest.FixtureRequest) -> Settings:
    """Settings of a built project: the export fixture, then the real project."""
    if request.param == "fixture":
        return request.getfixturevalue("fixture_settings")
    if not real_project_ready():
        pytest.skip("the real ontology and documents are not encoded yet")
    return request.getfixturevalue("built_settings")


@pytest.fixture(scope="session")
def release(dataset: Settings, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """One release bundle of ``dataset``, written into a temp dir."""
    from lupuskg.release import write_release

    out = tmp_path_factory.mktemp("dist")
    return write_release(dataset, out, endpoint_url="http://127.0.0.1:7878/sparql")
