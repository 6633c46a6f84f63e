"""Pooled proportions against a hand computation of the DerSimonian–Laird formulas."""

from __future__ import annotations

import math

import pytest
from hand_pooling import dersimonian_laird, expit

from lupuskg.exceptions import IncompatibleMeasuresError, TooFewStudiesError
from lupuskg.synthesis.pooling import ArmProportion, logit_effect, pool_proportions

#: (events, patients) of three single arms, heterogeneous on purpose (I² about 85%)
DATA = [(2, 20), (10, 20), (15, 20)]


def _arms(data: list[tuple[int, int]], **extra: str) -> list[ArmProportion]:
    return [
        ArmProportion(
            f"r{i}", f"study-{i}", f"arm-{i}", f"doc-{i}", f"Author{i} 20{i:02d}", e, n, **extra
        )
        for i, (e, n) in enumerate(data)
    ]


def test_dersimonian_laird_matches_the_hand_computation() -> None:
    hand = dersimonian_laird(DATA)
    pooled = pool_proportions(_arms(DATA), "DL")
    # the hand numbers, to 3 decimals, so a change in the formulas above shows too
    assert round(hand["estimate"], 3) == 0.430
    assert (round(hand["ci_lower"], 3), round(hand["ci_upper"], 3)) == (0.130, 0.792)
    assert round(hand["tau2"], 3) == 1.715
    assert round(hand["i2"], 3) == 0.849
    assert round(pooled.estimate, 3) == round(hand["estimate"], 3)
    assert round(pooled.ci_lower, 3) == round(hand["ci_lower"], 3)
    assert round(pooled.ci_upper, 3) == round(hand["ci_upper"], 3)
    assert round(pooled.tau2, 3) == round(hand["tau2"], 3)
    assert round(pooled.i2, 3) == round(hand["i2"], 3)
    assert (pooled.studies, pooled.patients) == (3, 60)
    assert math.isclose(sum(pooled.weights), 1.0)


def test_homogeneous_studies_truncate_tau2_at_zero() -> None:
    data = [(5, 10), (6, 12), (9, 20)]  # Q < df: DL gives tau2 = 0 and the fixed-effect estimate
    hand = dersimonian_laird(data)
    pooled = pool_proportions(_arms(data), "DL")
    assert hand["tau2"] == 0.0 and pooled.tau2 == 0.0 and pooled.i2 == 0.0
    assert round(pooled.estimate, 3) == round(hand["estimate"], 3) == 0.476
    assert round(pooled.ci_lower, 3) == round(hand["ci_lower"], 3)
    assert round(pooled.ci_upper, 3) == round(hand["ci_upper"], 3)


def test_paule_mandel_solves_its_estimating_equation() -> None:
    """Paule & Mandel (1982): tau2 makes the weighted residual sum of squares equal k - 1."""
    pooled = pool_proportions(_arms(DATA), "PM")
    y = [math.log(e / (n - e)) for e, n in DATA]
    v = [1 / e + 1 / (n - e) for e, n in DATA]
    w = [1 / (vi + pooled.tau2) for vi in v]
    mu = sum(wi * yi for wi, yi in zip(w, y, strict=True)) / sum(w)
    assert math.isclose(
        sum(wi * (yi - mu) ** 2 for wi, yi in zip(w, y, strict=True)), 2, abs_tol=1e-4
    )
    assert round(pooled.estimate, 3) == round(expit(mu), 3) == 0.425
    assert round(pooled.tau2, 3) == 2.380


def test_zero_events_get_the_continuity_correction() -> None:
    assert logit_effect(0, 10) == (math.log(0.5 / 10.5), 1 / 0.5 + 1 / 10.5)


def test_one_study_is_refused() -> None:
    arms = _arms([(3, 9)])
    with pytest.raises(TooFewStudiesError) as caught:
        pool_proportions(arms)
    assert str(caught.value) == (
        "pooling needs results from at least two studies; found only 1 study (study-0, 1 arm(s))"
    )


def test_two_arms_of_one_study_are_one_study() -> None:
    arms = _arms([(3, 9), (4, 9)])
    arms = [
        ArmProportion(a.result, "study-0", a.arm, a.document, a.label, a.events, a.total)
        for a in arms
    ]
    with pytest.raises(TooFewStudiesError, match="found only 1 study"):
        pool_proportions(arms)


def test_mixed_time_points_are_refused() -> None:
    arms = [
        *_arms([(3, 9)], time_point="P6M"),
        ArmProportion("r9", "study-9", "arm-9", "doc-9", "Other 2020", 4, 9, time_point="P12M"),
    ]
    with pytest.raises(IncompatibleMeasuresError) as caught:
        pool_proportions(arms)
    assert str(caught.value) == "the matching results mix time points: P12M, P6M"


def test_mixed_statistics_are_refused() -> None:
    arms = [
        ArmProportion("r1", "s1", "a1", "d1", "A 2001", 3, 9, statistic="CountProportion"),
        ArmProportion("r2", "s2", "a2", "d2", "B 2002", 4, 9, statistic="SurvivalProbability"),
    ]
    with pytest.raises(
        IncompatibleMeasuresError, match="mix statistic types: CountProportion, SurvivalProbability"
    ):
        pool_proportions(arms)


#: Wang 2014's shape: one arm with a major and a partial response out of 40 at 12 months,
#: and a second study with a complete remission (the counts are invented for the test)
SUB_OUTCOMES = [
    ArmProportion(
        "r1", "s1", "a1", "d1", "A 2013", 23, 83, time_point="P1Y", outcome="lkg:CompleteRemission"
    ),
    ArmProportion(
        "r2",
        "s2",
        "a2",
        "d2",
        "B 2014",
        13,
        40,
        time_point="P1Y",
        outcome="lkg:MajorClinicalResponse",
    ),
    ArmProportion(
        "r3",
        "s2",
        "a2",
        "d2",
        "B 2014",
        11,
        40,
        time_point="P1Y",
        outcome="lkg:PartialClinicalResponse",
    ),
]


def test_narrower_outcomes_of_one_arm_are_refused_with_the_choices() -> None:
    """Not summed into 'any response': the message lists them and how to pick one."""
    with pytest.raises(IncompatibleMeasuresError) as caught:
        pool_proportions(SUB_OUTCOMES)
    assert str(caught.value) == (
        "arm a2 has results for 2 narrower outcomes at P1Y: "
        "lkg:MajorClinicalResponse 13/40 (r2), lkg:PartialClinicalResponse 11/40 (r3); "
        "they are not added up into one proportion: the document records no total over them, "
        "and the categories may overlap"
    )
    assert caught.value.hint == (
        "pool one outcome at a time: "
        "--outcome lkg:MajorClinicalResponse or --outcome lkg:PartialClinicalResponse"
    )


def test_different_outcomes_across_studies_are_refused() -> None:
    """Complete remission in one study and major response in another are not like with like."""
    with pytest.raises(IncompatibleMeasuresError) as caught:
        pool_proportions(SUB_OUTCOMES[:2])
    assert str(caught.value) == (
        "the matching results mix outcomes: lkg:CompleteRemission, lkg:MajorClinicalResponse"
    )
    assert caught.value.hint == "pool like with like: choose one with --outcome"


def test_across_instruments_pools_mixed_instruments_only_when_asked() -> None:
    arms = [
        ArmProportion("r1", "s1", "a1", "d1", "A 2001", 3, 9, instrument="lkg:SLEDAI"),
        ArmProportion("r2", "s2", "a2", "d2", "B 2002", 4, 9),
    ]
    with pytest.raises(IncompatibleMeasuresError) as caught:
        pool_proportions(arms)
    assert str(caught.value) == "the matching results mix instruments: lkg:SLEDAI, not defined"
    assert "--instrument any" in (caught.value.hint or "")
    pooled = pool_proportions(arms, across_instruments=True)
    assert pooled.across_instruments and pooled.instruments == ("", "lkg:SLEDAI")
    assert not pool_proportions(_arms(DATA)).across_instruments


def test_across_instruments_still_refuses_mixed_time_points() -> None:
    arms = [
        ArmProportion("r1", "s1", "a1", "d1", "A 2001", 3, 9, instrument="lkg:SLEDAI"),
        ArmProportion("r2", "s2", "a2", "d2", "B 2002", 4, 9, time_point="P6M"),
    ]
    with pytest.raises(IncompatibleMeasuresError, match="mix time points"):
        pool_proportions(arms, across_instruments=True)
