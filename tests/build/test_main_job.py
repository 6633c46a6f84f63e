"""`lupuskg all`, README command (a): every step runs and says so, on a private copy."""

from __future__ import annotations

from click.testing import CliRunner

from lupuskg.cli import main
from lupuskg.config import Settings
from lupuskg.release import RELEASE_STEPS


def test_all_checks_validates_builds_answers_and_releases(temp_project: Settings) -> None:
    result = CliRunner().invoke(main, ["all", "--no-reasoner"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    for step in ("ontology", "validate", "answers written to", "release"):
        assert step in out, step
    bundle = temp_project.release_dir / f"lupuskg-{temp_project.version}"
    assert (bundle / "void.ttl").is_file() and (bundle / "SHA256SUMS").is_file()
    # the release step's progress: one plain line per step on stderr (no terminal here)
    finished = [line for line in result.stderr.splitlines() if line.startswith("release: ")]
    assert [line.split(" (", 1)[0].removeprefix("release: ") for line in finished] == list(
        RELEASE_STEPS
    )
