"""`lupuskg meta` on the fixture studies: SPARQL collection, pooled numbers, files, refusals."""

from __future__ import annotations

import csv
import json

import pytest
from click.testing import CliRunner

from lupuskg.cli import main
from lupuskg.synthesis.meta import meta

ALPHA = "https://w3id.org/lupuskg/id/alpha-2010"


def test_collects_one_row_per_arm_with_first_author_and_year(synthesis_settings) -> None:
    analysis = meta("complete remission", "UC-MSC", time_point="P12M", settings=synthesis_settings)
    rows = analysis.inputs()
    assert [(r["label"], r["events"], r["total"]) for r in rows] == [
        ("Alpha 2010", 2, 20),
        ("Beta 2015", 10, 20),
        ("Gamma 2020", 15, 20),
    ]
    assert rows[0]["result"] == ALPHA + ".result-01"
    assert rows[0]["document"] == ALPHA


def test_pooled_numbers_are_the_hand_computed_ones(synthesis_settings) -> None:
    """The counts are those of test_pooling.DATA, so the hand numbers apply."""
    summary = meta(
        "complete remission", "UC-MSC", time_point="P12M", settings=synthesis_settings
    ).summary()
    assert (
        round(summary["estimate"], 3),
        round(summary["ci_lower"], 3),
        round(summary["ci_upper"], 3),
    ) == (
        0.430,
        0.130,
        0.792,
    )
    assert (round(summary["tau2"], 3), round(summary["i2"], 3)) == (1.715, 0.849)
    assert (summary["studies"], summary["patients"]) == (3, 60)


def test_therapy_and_outcome_match_through_the_hierarchy(synthesis_settings) -> None:
    """MSC therapy and remission are ancestors of the arms' UC-MSC and complete remission."""
    analysis = meta("remission", "MSC", time_point="P1Y", settings=synthesis_settings)
    assert analysis.pooled.studies == 3


def test_cli_writes_forest_plot_and_inputs(synthesis_settings, tmp_path) -> None:
    out = tmp_path / "meta"
    result = CliRunner().invoke(
        main,
        [
            "meta",
            "--outcome",
            "complete remission",
            "--therapy",
            "UC-MSC",
            "--timepoint",
            "P12M",
            "-o",
            str(out),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["pooled"]["studies"] == 3
    stem = "UCMSCTherapy-CompleteRemission-P12M-DL"
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{stem}.{ext}" for ext in ("csv", "json", "png", "svg")
    )
    assert (out / f"{stem}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = (out / f"{stem}.svg").read_text(encoding="utf-8")
    assert "Alpha 2010" in svg and "Gamma 2020" in svg
    with (out / f"{stem}.csv").open(encoding="utf-8") as handle:
        assert [row["label"] for row in csv.DictReader(handle)] == [
            "Alpha 2010",
            "Beta 2015",
            "Gamma 2020",
        ]


def test_cli_refuses_mixed_time_points_with_the_reason(synthesis_settings, tmp_path) -> None:
    result = CliRunner().invoke(
        main,
        ["meta", "--outcome", "complete remission", "--therapy", "UC-MSC", "-o", str(tmp_path)],
    )
    assert result.exit_code == 1
    assert "error: the matching results mix time points: P1Y, P6M" in result.stderr


def test_cli_refuses_a_single_study(synthesis_settings, tmp_path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "meta",
            "--outcome",
            "complete remission",
            "--therapy",
            "UC-MSC",
            "--timepoint",
            "P6M",
            "-o",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 1
    assert (
        "error: pooling needs results from at least two studies; found only 1 study "
        f"({ALPHA}.study-main, 1 arm(s))"
    ) in result.stderr


def test_instrument_keeps_only_results_measured_with_it(synthesis_settings) -> None:
    """The fixture results name no instrument: 'none' keeps all three, lkg:SLEDAI none."""
    from lupuskg.exceptions import TooFewStudiesError

    kept = meta(
        "complete remission",
        "UC-MSC",
        time_point="P12M",
        instrument="none",
        settings=synthesis_settings,
    )
    assert kept.pooled.studies == 3
    with pytest.raises(TooFewStudiesError):
        meta(
            "complete remission",
            "UC-MSC",
            time_point="P12M",
            instrument="lkg:SLEDAI",
            settings=synthesis_settings,
        )


def test_file_names_tell_the_definitions_apart(synthesis_settings) -> None:
    """Pools of one outcome under different definitions write different files, never over each other."""
    from dataclasses import replace

    undefined = meta("complete remission", "UC-MSC", time_point="P12M", settings=synthesis_settings)
    arms = tuple(replace(arm, instrument="lkg:SLEDAI") for arm in undefined.pooled.arms)
    sledai = replace(undefined, pooled=replace(undefined.pooled, arms=arms))
    across = replace(undefined, pooled=replace(undefined.pooled, across_instruments=True))
    assert [undefined.stem, sledai.stem, across.stem] == [
        "UCMSCTherapy-CompleteRemission-P12M-DL",
        "UCMSCTherapy-CompleteRemission-P12M-DL-SLEDAI",
        "UCMSCTherapy-CompleteRemission-P12M-DL-any-instrument",
    ]
