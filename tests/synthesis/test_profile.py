"""The GRADE-style rules, one test each on a small fixture, and `lupuskg profile` end to end."""

from __future__ import annotations

import json

from click.testing import CliRunner

from lupuskg.cli import main
from lupuskg.synthesis.profile import Evidence, Rule, rate


def _study(name: str, **extra: object) -> Evidence:
    """A claim resting on a 60-patient non-randomised trial in SLE unless told otherwise."""
    values: dict[str, object] = {
        "claim": f"claim-{name}",
        "document": f"doc-{name}",
        "direction": "lkg:Improves",
        "population": "lkg:RefractorySLE",
        "direct": True,
        "study": f"study-{name}",
        "design": "lkg:ClinicalTrialDesign",
        "evidence_level": 3,
        "randomised": False,
        "sample_size": 60,
    }
    values.update(extra)
    return Evidence(**values)  # type: ignore[arg-type]


def test_start_is_high_for_a_randomised_study() -> None:
    certainty, rules = rate([_study("a", randomised=True, sample_size=120)])
    assert certainty == "high"
    assert rules == [Rule("start", 0, "high: randomised study study-a")]


def test_start_is_low_without_a_randomised_study() -> None:
    certainty, rules = rate([_study("a"), _study("b")])  # 120 patients, consistent, direct
    assert certainty == "low"
    assert rules == [Rule("start", 0, "low: no randomised study (observational or no study data)")]


def test_risk_of_bias_when_nothing_rests_on_study_data() -> None:
    review = _study(
        "a", randomised=True, sample_size=500, design="lkg:NarrativeReviewDesign", evidence_level=6
    )
    certainty, rules = rate([review])
    assert certainty == "moderate"
    assert rules[1] == Rule(
        "risk of bias", -1, "no claim rests on study data (reviews, opinion or statements only)"
    )


def test_inconsistency_when_directions_conflict() -> None:
    evidence = [_study("a", randomised=True), _study("b", direction="lkg:NoEffect")]
    certainty, rules = rate(evidence)
    assert certainty == "moderate"
    assert rules[1] == Rule("inconsistency", -1, "conflicting: lkg:Improves vs lkg:NoEffect")


def test_inconsistency_when_pooled_i2_is_high() -> None:
    certainty, rules = rate([_study("a", randomised=True), _study("b")], i2=0.85)
    assert certainty == "moderate"
    assert rules[1] == Rule("inconsistency", -1, "pooled I² 85% > 50%")


def test_indirectness_for_a_systemic_sclerosis_population() -> None:
    ssc = _study("b", population="obo:MONDO_0005100", direct=False)
    certainty, rules = rate([_study("a", randomised=True), ssc])
    assert certainty == "moderate"
    assert rules[1] == Rule("indirectness", -1, "population not SLE or LN: obo:MONDO_0005100")


def test_imprecision_for_few_patients() -> None:
    certainty, rules = rate([_study("a", randomised=True, sample_size=40)])
    assert certainty == "moderate"
    assert rules[1] == Rule("imprecision", -1, "40 patients known (< 100)")


def test_imprecision_for_a_wide_pooled_interval() -> None:
    certainty, rules = rate([_study("a", randomised=True), _study("b")], ci_width=0.66)
    assert certainty == "moderate"
    assert rules[1] == Rule("imprecision", -1, "pooled 95% CI width 0.66 > 0.3")


def test_rating_never_goes_below_very_low() -> None:
    bad = _study(
        "a", direction="lkg:Worsens", population="obo:MONDO_0005100", direct=False, sample_size=5
    )
    certainty, rules = rate([_study("b", sample_size=5), bad])
    assert certainty == "very low"
    assert [rule.name for rule in rules] == [
        "start",
        "inconsistency",
        "indirectness",
        "imprecision",
    ]


def test_profile_cli_rates_the_fixture_studies(synthesis_settings) -> None:
    """Three non-randomised UC-MSC trials, 60 patients, pooled I² 85%: low, then down twice."""
    result = CliRunner().invoke(main, ["profile", "UC-MSC", "--format", "json"])
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)
    assert row["outcome"] == "lkg:CompleteRemission"
    assert (row["studies"], row["patients"], row["claims"], row["documents"]) == (3, 60, 3, 3)
    assert row["designs"] == "lkg:ClinicalTrialDesign (level 3)"
    assert row["directness"] == "direct"
    assert row["certainty"] == "very low"
    assert row["rules"] == (
        "start (+0): low: no randomised study (observational or no study data); "
        "inconsistency (-1): pooled I² 85% > 50%; "
        "imprecision (-1): 60 patients known (< 100)"
    )
