"""Collecting arms: a total the document records replaces its breakdown (the remission rule)."""

from __future__ import annotations

import pyoxigraph as ox

from lupuskg.namespaces import PREFIXES
from lupuskg.synthesis.collect import _recorded_totals
from lupuskg.synthesis.pooling import ArmProportion

LKG = PREFIXES["lkg"]
SUBCLASS = ox.NamedNode(PREFIXES["rdfs"] + "subClassOf")


def _store() -> ox.Store:
    """Major and partial response under clinical response, in the default graph."""
    store = ox.Store()
    for narrower in ("MajorClinicalResponse", "PartialClinicalResponse"):
        store.add(
            ox.Quad(ox.NamedNode(LKG + narrower), SUBCLASS, ox.NamedNode(LKG + "ClinicalResponse"))
        )
    return store


def _arm(result: str, outcome: str, events: int, arm: str = "a2") -> ArmProportion:
    return ArmProportion(
        result, "s2", arm, "d2", "B 2014", events, 40, time_point="P1Y", outcome=outcome
    )


def test_a_recorded_total_replaces_its_breakdown() -> None:
    arms = [
        _arm("r-total", "lkg:ClinicalResponse", 24),
        _arm("r-major", "lkg:MajorClinicalResponse", 13),
        _arm("r-partial", "lkg:PartialClinicalResponse", 11),
    ]
    assert [arm.result for arm in _recorded_totals(_store(), arms)] == ["r-total"]


def test_without_a_total_the_breakdown_stays_for_pooling_to_refuse() -> None:
    arms = [
        _arm("r-major", "lkg:MajorClinicalResponse", 13),
        _arm("r-partial", "lkg:PartialClinicalResponse", 11),
    ]
    assert _recorded_totals(_store(), arms) == arms


def test_results_of_other_arms_and_time_points_are_left_alone() -> None:
    other_time = ArmProportion(
        "r-6m",
        "s2",
        "a2",
        "d2",
        "B 2014",
        9,
        40,
        time_point="P6M",
        outcome="lkg:MajorClinicalResponse",
    )
    arms = [
        _arm("r-total", "lkg:ClinicalResponse", 24),
        _arm("r-other-arm", "lkg:MajorClinicalResponse", 5, arm="a3"),
        other_time,
    ]
    assert _recorded_totals(_store(), arms) == arms
