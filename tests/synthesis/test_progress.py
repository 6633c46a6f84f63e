"""Progress: the library reports steps to a hook and prints nothing; the CLI draws only on a TTY."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from lupuskg.cli import main
from lupuskg.cli.progress import progress_output as _progress
from lupuskg.synthesis.gapmap import evidence_map
from lupuskg.synthesis.meta import meta
from lupuskg.synthesis.profile import profile
from lupuskg.synthesis.progress import tracked


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int, int]] = []

    def __call__(self, step: str, done: int, total: int) -> None:
        self.calls.append((step, done, total))

    def steps(self) -> dict[str, list[int]]:
        by_step: dict[str, list[int]] = {}
        for step, done, _ in self.calls:
            by_step.setdefault(step, []).append(done)
        return by_step

    def assert_each_step_runs_to_its_total(self) -> None:
        assert self.calls, "no progress reported"
        for step, done in self.steps().items():
            totals = {total for name, _, total in self.calls if name == step}
            assert len(totals) == 1, f"{step}: total changed {totals}"
            assert done == sorted(done), f"{step} went backwards: {done}"
            assert done[0] == 0 and done[-1] == totals.pop(), f"{step}: {done}"


def test_tracked_reports_about_every_percent_and_the_end() -> None:
    recorder = Recorder()
    assert list(tracked(range(1000), 1000, "rows", recorder)) == list(range(1000))
    done = [d for _, d, _ in recorder.calls]
    assert done[0] == 0 and done[-1] == 1000 and len(done) == 101
    assert list(tracked([1, 2], 2, "rows", None)) == [1, 2]  # no hook, no calls


def test_map_profile_and_meta_report_their_steps(synthesis_settings, tmp_path, capsys) -> None:
    recorder = Recorder()
    evidence_map(out_dir=tmp_path / "map", settings=synthesis_settings, progress=recorder)
    assert list(recorder.steps()) == ["querying claims", "collecting claims", "writing the map"]
    recorder.assert_each_step_runs_to_its_total()

    recorder = Recorder()
    profile("UC-MSC", settings=synthesis_settings, progress=recorder)
    assert list(recorder.steps()) == ["querying claims", "rating outcomes"]
    recorder.assert_each_step_runs_to_its_total()

    recorder = Recorder()
    meta(
        "complete remission",
        "UC-MSC",
        time_point="P12M",
        out_dir=tmp_path / "meta",
        settings=synthesis_settings,
        progress=recorder,
    )
    assert recorder.calls == [
        ("pooling", 0, 3),
        ("pooling", 1, 3),
        ("pooling", 2, 3),
        ("pooling", 3, 3),
    ]
    assert capsys.readouterr() == ("", "")  # the library never prints


def test_no_bar_off_a_terminal(synthesis_settings, tmp_path) -> None:
    with _progress(tty=False) as hook:
        assert hook is None
    result = CliRunner().invoke(main, ["map", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "collecting claims" not in result.stderr and "\x1b[" not in result.output


def test_a_bar_on_a_terminal_takes_every_step(capfd: pytest.CaptureFixture[str]) -> None:
    with _progress(tty=True) as hook:
        assert hook is not None
        for done in range(4):
            hook("rating outcomes", done, 3)
        hook("writing the map", 1, 1)
    drawn = capfd.readouterr().err
    assert "rating outcomes" in drawn and "3/3" in drawn
