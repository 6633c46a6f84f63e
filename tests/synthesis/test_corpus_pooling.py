"""Pooling on the real corpus (graph/documents), checked against a hand computation.

The pooled numbers are recomputed here from the events and patients of each pooled arm
with DerSimonian–Laird written out by hand (logit proportions, inverse-variance weights,
Cochran's Q, the method-of-moments τ² truncated at zero, a normal 95% interval), not
with statsmodels and not copied from the command's output; they must agree to the third
decimal place. Adding a document only adds arms, so the checks are over the arms pooled,
with the studies the corpus holds today required among them.

What the corpus can pool today (see the curation notes of the documents named):

- overall survival at 12 months after MSC therapy: Gu 2014 (77/81) and Wang 2014
  (37/40), two studies of the Nanjing group whose patients may overlap;
- remission at 6 months after autologous HSCT: Jayne 2004 (33/50, remission defined as
  SLEDAI < 3) and the Peking Union cohort (21/24, remission not defined in its abstract)
  are the only two studies, and by default they are refused as mixed instruments: the
  like-with-like rule holds on the real corpus too. ``--instrument any``
  (``instrument="any"``) pools them on request, across the two definitions, and says so
  (Cochrane Handbook ch. 10: outcomes measured differently, chosen explicitly with the
  heterogeneity shown); time points, statistics and outcome classes are still not mixed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hand_pooling import dersimonian_laird as _hand_dl

import lupuskg
from lupuskg.cli import main
from lupuskg.config import Settings
from lupuskg.exceptions import IncompatibleMeasuresError
from lupuskg.store import open_store
from lupuskg.synthesis.collect import collect_arms
from lupuskg.synthesis.meta import MetaAnalysis

ID = "https://w3id.org/lupuskg/id/"
LKG = "https://w3id.org/lupuskg/vocab/"
JAYNE = ID + "jayne-2004.result-01"
PUMCH = ID + "pumch-apbsct-sle.result-01"
REMISSION_REFUSAL = [
    "error: the matching results mix instruments: lkg:SLEDAI, not defined",
    "hint: pool like with like: choose one with --instrument, "
    "or pool across definitions explicitly with --instrument any",
]


def _agrees_with_hand(
    analysis: MetaAnalysis, counts: dict[str, tuple[int, int]]
) -> dict[str, float]:
    """The pool's summary equals the hand DerSimonian–Laird of ``counts`` to 3 decimals."""
    hand = _hand_dl(list(counts.values()))
    summary = analysis.summary()
    for key in ("estimate", "ci_lower", "ci_upper", "tau2", "i2"):
        assert round(summary[key], 3) == round(hand[key], 3), key
    assert summary["patients"] == hand["patients"]
    assert summary["studies"] == len({arm.study for arm in analysis.pooled.arms}) >= 2
    return hand


def test_hand_computation_matches_a_worked_example() -> None:
    """The hand formula itself, on the two survival arms worked out on paper.

    logit(77/81) = ln(77/4) = 2.9575, v = 1/77 + 1/4 = 0.26299;
    logit(37/40) = ln(37/3) = 2.5123, v = 1/37 + 1/3 = 0.36036;
    Q = 0.3180 < df = 1, so τ² = 0 and the fixed-effect mean is 2.7697 (SE 0.3899):
    expit gives 0.941 (0.881–0.972).
    """
    pooled = _hand_dl([(77, 81), (37, 40)])
    assert round(pooled["estimate"], 3) == 0.941
    assert (round(pooled["ci_lower"], 3), round(pooled["ci_upper"], 3)) == (0.881, 0.972)
    assert pooled["tau2"] == 0.0 and pooled["i2"] == 0.0


def test_msc_survival_at_12_months_pools_and_matches_the_hand_computation(
    built_settings: Settings,
) -> None:
    analysis = lupuskg.meta(
        "lkg:OverallSurvival", "MSC", time_point="P12M", instrument="none", settings=built_settings
    )
    counts = {arm.result: (arm.events, arm.total) for arm in analysis.pooled.arms}
    assert counts[ID + "gu-2014.result-01"] == (77, 81)
    assert counts[ID + "wang-2014.result-01"] == (37, 40)
    _agrees_with_hand(analysis, counts)


def test_hsct_remission_at_6_months_is_refused_for_mixed_instruments(
    built_settings: Settings,
) -> None:
    """Jayne 2004 (SLEDAI < 3) and the Peking Union cohort (undefined) are not pooled."""
    with pytest.raises(IncompatibleMeasuresError, match="mix instruments") as refused:
        lupuskg.meta("remission", "HSCT", time_point="P6M", settings=built_settings)
    assert str(refused.value) == REMISSION_REFUSAL[0].removeprefix("error: ")
    assert refused.value.hint == REMISSION_REFUSAL[1].removeprefix("hint: ")
    store = open_store(built_settings)
    arms = collect_arms(
        store, LKG + "AutologousHSCT", LKG + "Remission", "P6M", settings=built_settings
    )
    by_result = {arm.result: arm for arm in arms}
    jayne = by_result[JAYNE]
    pumch = by_result[PUMCH]
    assert (jayne.events, jayne.total, jayne.instrument) == (33, 50, "lkg:SLEDAI")
    assert (pumch.events, pumch.total, pumch.instrument) == (21, 24, "")


def test_exact_outcome_leaves_out_narrower_outcomes(built_settings: Settings) -> None:
    """Relapse at 12 months after MSC: Gu 2014's renal flares (a narrower relapse) mix in
    unless --exact-outcome keeps lkg:Relapse results only."""
    with pytest.raises(IncompatibleMeasuresError, match="mix outcomes"):
        lupuskg.meta(
            "relapse", "MSC", time_point="P12M", instrument="none", settings=built_settings
        )
    analysis = lupuskg.meta(
        "relapse",
        "MSC",
        time_point="P12M",
        instrument="none",
        exact_outcome=True,
        settings=built_settings,
    )
    assert {arm.outcome for arm in analysis.pooled.arms} == {"lkg:Relapse"}
    assert ID + "gu-2014.result-03" not in {arm.result for arm in analysis.pooled.arms}
    hand = _hand_dl([(arm.events, arm.total) for arm in analysis.pooled.arms])
    assert round(analysis.pooled.estimate, 3) == round(hand["estimate"], 3)


def test_exact_outcome_option_of_the_command(built_settings: Settings, tmp_path: object) -> None:
    arguments = ["meta", "--outcome", "relapse", "--therapy", "MSC", "--timepoint", "P12M"]
    arguments += ["--instrument", "none", "--exact-outcome", "-o", str(tmp_path), "--json"]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    assert '"outcome": "lkg:Relapse"' in result.stdout


def test_rows_without_a_first_author_are_labelled_by_slug(built_settings: Settings) -> None:
    store = open_store(built_settings)
    arms = collect_arms(store, LKG + "MSCTherapy", LKG + "CompleteRemission", "P12M")
    labels = {arm.result: arm.label for arm in arms}
    assert labels[ID + "wang-2013.result-01"] == "wang-2013"
    arms = collect_arms(store, LKG + "AutologousHSCT", LKG + "Remission", "P6M")
    labels = {arm.result: arm.label for arm in arms}
    assert labels[ID + "pumch-apbsct-sle.result-01"] == "pumch-apbsct-sle"
    assert labels[ID + "jayne-2004.result-01"] == "Jayne 2004"


def test_the_command_refuses_hsct_remission_by_default_with_the_exact_message(
    built_settings: Settings, tmp_path: Path
) -> None:
    arguments = ["meta", "--outcome", "remission", "--therapy", "HSCT", "--timepoint", "P6M"]
    result = CliRunner().invoke(main, [*arguments, "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == REMISSION_REFUSAL


def _remission_across_definitions(settings: Settings) -> MetaAnalysis:
    return lupuskg.meta("remission", "HSCT", time_point="P6M", instrument="any", settings=settings)


def test_instrument_any_pools_hsct_remission_at_6_months_across_definitions(
    built_settings: Settings,
) -> None:
    """Jayne 2004 (SLEDAI < 3) and the Peking Union cohort (not defined), pooled on request.

    The hand computation: logit(33/50) = ln(33/17), logit(21/24) = ln(21/3); Q exceeds its
    one degree of freedom, so τ² > 0 and I² is well above half: the definitions disagree.
    """
    analysis = _remission_across_definitions(built_settings)
    counts = {arm.result: (arm.events, arm.total) for arm in analysis.pooled.arms}
    assert (counts[JAYNE], counts[PUMCH]) == ((33, 50), (21, 24))
    hand = _agrees_with_hand(analysis, counts)
    if set(counts) == {JAYNE, PUMCH}:  # the corpus of today: the figures of issue 14
        assert hand["tau2"] > 0 and 0.5 < hand["i2"] < 0.9
        assert hand["ci_lower"] < hand["estimate"] < hand["ci_upper"]
    summary = analysis.summary()
    assert summary["across_instruments"] is True
    assert {"lkg:SLEDAI", ""} <= set(summary["instruments"])
    assert {row["result"]: row["instrument"] for row in analysis.inputs()}[JAYNE] == "lkg:SLEDAI"
    assert {row["result"]: row["instrument"] for row in analysis.inputs()}[PUMCH] == ""


def test_instrument_any_still_refuses_mixed_time_points(built_settings: Settings) -> None:
    with pytest.raises(IncompatibleMeasuresError, match="mix time points"):
        lupuskg.meta("remission", "HSCT", instrument="any", settings=built_settings)


def test_instrument_any_output_names_both_definitions(
    built_settings: Settings, tmp_path: Path
) -> None:
    """The table shows each row's instrument and a line under it names the definitions;
    the JSON inputs carry the instrument per row and the forest plot labels each row's."""
    arguments = ["meta", "--outcome", "remission", "--therapy", "HSCT", "--timepoint", "P6M"]
    arguments += ["--instrument", "any", "-o", str(tmp_path)]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    jayne = next(line for line in lines if "Jayne 2004" in line)
    pumch = next(line for line in lines if "pumch-apbsct-sle" in line)
    assert "lkg:SLEDAI" in jayne and "33/50" in jayne
    assert "not defined" in pumch and "21/24" in pumch
    analysis = _remission_across_definitions(built_settings)
    pooled = next(line for line in lines if line.startswith("│ pooled"))
    assert (
        f"{analysis.pooled.estimate:.3f}" in pooled
        and f"I²={100 * analysis.pooled.i2:.0f}%" in pooled
    )
    note = next(line for line in lines if line.startswith("pooled across "))
    assert note.startswith("pooled across ") and note.endswith(" — interpret with the I² shown")
    assert "definitions of remission: " in note
    assert "lkg:SLEDAI" in note and "not defined" in note
    if {arm.result for arm in analysis.pooled.arms} == {JAYNE, PUMCH}:
        assert note == (
            "pooled across 2 definitions of remission: lkg:SLEDAI, not defined"
            " — interpret with the I² shown"
        )
    svg = next(path for path in tmp_path.iterdir() if path.suffix == ".svg")
    text = svg.read_text(encoding="utf-8")
    assert "Jayne 2004  33/50  [lkg:SLEDAI]" in text
    assert "pumch-apbsct-sle  21/24  [not defined]" in text
    data = json.loads(next(p for p in tmp_path.iterdir() if p.suffix == ".json").read_text())
    instruments = {row["result"]: row["instrument"] for row in data["inputs"]}
    assert (instruments[JAYNE], instruments[PUMCH]) == ("lkg:SLEDAI", "")
    assert data["pooled"]["across_instruments"] is True
