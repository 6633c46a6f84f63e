"""scripts/bootstrap.sh says its steps, keeps pip's output in a log and shows it on failure.

Run against a stand-in ``.venv/bin/python`` that prints pip-like noise, so no network
and no real install is needed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FAKE_PYTHON = """#!/bin/sh
case "$*" in
  *"pip list"*) echo "lupuskg==0.1.0"; echo "rdflib==7.0.0"; exit 0 ;;
esac
echo "Looking in indexes: pip noise for: $*"
case "$*" in
  *"install -e"*) [ -n "$FAKE_PIP_FAIL" ] && { echo "ERROR: no matching distribution"; exit 1; } ;;
esac
exit 0
"""


def _project(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    shutil.copy2(ROOT / "scripts" / "bootstrap.sh", tmp_path / "scripts" / "bootstrap.sh")
    shutil.copy2(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    return tmp_path


def _run(project: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "scripts/bootstrap.sh"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", **env},
    )


def test_bootstrap_says_its_steps_and_hides_pip(tmp_path: Path) -> None:
    project = _project(tmp_path)
    done = _run(project)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert lines[0] == "bootstrap: [2/3] upgrading pip"
    assert lines[1].startswith("bootstrap: [3/3] installing lupuskg and its dev extras")
    assert lines[2].startswith("bootstrap: ready: .venv has 2 packages")
    assert "pip noise" not in done.stderr
    assert "pip noise" in (project / ".venv" / "bootstrap.log").read_text()
    again = _run(project)
    assert again.returncode == 0
    assert again.stderr == "bootstrap: .venv is up to date with pyproject.toml\n"


def test_bootstrap_shows_pips_log_when_a_step_fails(tmp_path: Path) -> None:
    project = _project(tmp_path)
    done = _run(project, FAKE_PIP_FAIL="1")
    assert done.returncode == 1
    assert "bootstrap: failed: [3/3] installing lupuskg" in done.stderr
    assert "ERROR: no matching distribution" in done.stderr  # the log's end, shown
    assert not (project / ".venv" / ".lupuskg-installed").exists()  # retried next time
