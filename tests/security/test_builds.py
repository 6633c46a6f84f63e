"""Probes of finding 3: concurrent builds, kill -9 leftovers and pruning.

Before: with 6 builds at once 20 of 72 failed and `build/current` once pointed at a
deleted directory; after a kill -9 pruning kept the half-written generation and deleted
the previous good one.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import threading

import pytest
from serve_helpers import lupuskg_command

from lupuskg.build import build
from lupuskg.config import Settings
from lupuskg.exceptions import BuildError
from lupuskg.store import MANIFEST_NAME, open_store

#: parallel builds x rounds; CI runs 4 x 3 to stay within its time budget, and
#: LUPUSKG_BUILD_STRESS=6x10 runs the issue's full 6 builds x 10 rounds.
BUILDS, ROUNDS = (int(n) for n in os.environ.get("LUPUSKG_BUILD_STRESS", "4x3").split("x"))


def _current(settings: Settings) -> str:
    target = (settings.build_dir / "current").resolve()
    assert (target / MANIFEST_NAME).is_file(), f"build/current points at {target}"
    return target.name


def test_a_second_build_refuses_while_one_runs_or_waits(temp_project: Settings) -> None:
    build(temp_project, validate=False)
    with (temp_project.build_dir / ".lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(BuildError) as caught:
            build(temp_project, validate=False)
        assert str(caught.value) == (
            "another `lupuskg build` is running in this project (build/.lock is held)"
        )
        done: list[str] = []
        waiter = threading.Thread(
            target=lambda: done.append(build(temp_project, validate=False, wait=True).generation)
        )
        waiter.start()
        waiter.join(timeout=1)
        assert done == []  # still waiting for the lock
        fcntl.flock(held, fcntl.LOCK_UN)
    waiter.join(timeout=120)
    assert done and _current(temp_project) == done[0]


def test_half_written_generations_go_first_and_the_good_ones_stay(temp_project: Settings) -> None:
    first = build(temp_project, validate=False).generation
    generations = temp_project.build_dir / "generations"
    killed = generations / "99999999T000000000000Z-1"  # newest by name, as a kill -9 leaves it
    (killed / "store").mkdir(parents=True)
    second = build(temp_project, validate=False).generation
    assert not killed.exists()
    assert sorted(path.name for path in generations.iterdir()) == sorted([first, second])


def test_parallel_builds_leave_a_good_current(temp_project: Settings) -> None:
    env = {**os.environ, "LUPUSKG_HOME": str(temp_project.root)}
    for _ in range(ROUNDS):
        running = [
            subprocess.Popen(
                lupuskg_command("build", "--no-validate", "--wait"),
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            for _ in range(BUILDS)
        ]
        for process in running:
            _, err = process.communicate(timeout=300)
            assert process.returncode == 0, err.decode()
        _current(temp_project)
    store = open_store(temp_project)
    assert bool(store.query("ASK { GRAPH ?g { ?s ?p ?o } }"))
    complete = [
        path
        for path in (temp_project.build_dir / "generations").iterdir()
        if (path / MANIFEST_NAME).is_file()
    ]
    assert len(complete) == 2


def test_without_wait_concurrent_builds_refuse_cleanly(temp_project: Settings) -> None:
    env = {**os.environ, "LUPUSKG_HOME": str(temp_project.root)}
    running = [
        subprocess.Popen(
            lupuskg_command("build", "--no-validate"),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(3)
    ]
    outcomes = [(p.wait(timeout=300), p.stderr.read().decode()) for p in running]  # type: ignore[union-attr]
    assert any(code == 0 for code, _ in outcomes)
    for code, err in outcomes:
        if code != 0:
            assert "another `lupuskg build` is running" in err
            assert "Traceback" not in err
    _current(temp_project)
