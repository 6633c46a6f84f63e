"""Cold start: wall time of ``lupuskg query Q05`` in a new process on a built copy of the seeds,
and what ``python -X importtime`` says dominates it. ``python benchmarks/cold.py`` prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import COLD_QUERY, ROOT

__all__ = ["cold_query", "import_profile", "main"]


def _lupuskg_bin() -> str:
    candidate = Path(sys.executable).with_name("lupuskg")
    return str(candidate) if candidate.exists() else "lupuskg"


def cold_query(repeats: int) -> dict[str, Any]:
    """Median wall time of ``lupuskg query Q05`` in a new process, on a built seed copy."""
    with tempfile.TemporaryDirectory(prefix="lupuskg-cold-") as tmp:
        project = Path(tmp) / "project"
        project.mkdir()
        for part in ("pyproject.toml", "ontology", "graph", "queries"):
            source = ROOT / part
            if source.is_dir():
                shutil.copytree(source, project / part)
            elif source.is_file():
                shutil.copy2(source, project / part)
        env = {**os.environ, "LUPUSKG_HOME": str(project)}
        env.pop("LUPUSKG_STORE", None)
        built = subprocess.run(
            [_lupuskg_bin(), "build", "--no-validate"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if built.returncode != 0:
            return {"error": "seed build failed", "stderr_tail": built.stderr.splitlines()[-5:]}
        command = [_lupuskg_bin(), "query", COLD_QUERY]
        times, last = [], None
        subprocess.run(command, env=env, capture_output=True, check=False)  # warm the page cache
        for _ in range(repeats):
            started = time.perf_counter()
            last = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
            times.append(time.perf_counter() - started)
        python_only = _wall([sys.executable, "-c", "pass"], env, repeats)
        return {
            "command": f"lupuskg query {COLD_QUERY}",
            "median_s": round(statistics.median(times), 3),
            "min_s": round(min(times), 3),
            "runs": repeats,
            "exit_code": last.returncode if last else None,
            "stdout_lines": len(last.stdout.splitlines()) if last else 0,
            "python_startup_s": python_only,
            "importtime": import_profile(env),
        }


def _wall(command: list[str], env: dict[str, str], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 3)


def import_profile(env: dict[str, str], top: int = 12) -> list[dict[str, Any]]:
    """Top-level imports by cumulative time (``-X importtime``) of ``lupuskg query Q05``."""
    code = "import sys; from lupuskg.cli import main; sys.argv[0] = 'lupuskg'; main()"
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code, "query", COLD_QUERY],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    entries = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        parts = line[len("import time:") :].split("|")
        self_us, cumulative_us, name = int(parts[0]), int(parts[1]), parts[2]
        depth = (len(name) - len(name.lstrip())) // 2
        if depth <= 1:
            entries.append(
                {
                    "module": name.strip(),
                    "cumulative_ms": round(cumulative_us / 1000, 1),
                    "self_ms": round(self_us / 1000, 1),
                }
            )
    entries.sort(key=lambda e: -e["cumulative_ms"])
    return entries[:top]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    print(json.dumps(cold_query(args.repeats), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
