"""The guide's second worked example as a real document: Deng 2017, a two-arm placebo RCT.

tests/data/rct holds a curator summary (our own words; numbers checked against the
abstract, PMID 28478399) and its encoding from graph/README.md alone. It must validate
without a warning, build, and keep its per-arm counts as typed numbers in the store.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox

from lupuskg.build import build
from lupuskg.config import Settings
from lupuskg.validate import validate

RCT = Path(__file__).resolve().parent.parent / "data" / "rct"
SLUG = "deng-2017"


def _install(project: Settings) -> Path:
    target = project.documents_dir / f"{SLUG}.ttl"
    shutil.copy2(RCT / "documents" / f"{SLUG}.ttl", target)
    shutil.copy2(RCT / "sources" / f"{SLUG}.txt", project.sources_dir / f"{SLUG}.txt")
    return target


def test_rct_validates_without_findings(temp_project: Settings) -> None:
    target = _install(temp_project)
    report = validate(temp_project, [target])
    assert [(r.severity, r.focus, r.message) for r in report.results] == []


def test_rct_builds_with_counts_per_arm(temp_project: Settings) -> None:
    _install(temp_project)
    result = build(temp_project)
    store = ox.Store.read_only(str(result.store_dir))
    rows = store.query(
        """
        PREFIX lkg: <https://w3id.org/lupuskg/vocab/>
        SELECT ?role ?outcome ?n ?d WHERE {
          GRAPH ?g {
            ?r a lkg:Result ; lkg:resultArm ?arm ; lkg:outcome ?outcome ;
               lkg:numerator ?n ; lkg:denominator ?d .
            ?arm lkg:armRole ?role .
            ?r lkg:sourceDocument <https://w3id.org/lupuskg/id/deng-2017> .
          }
        }
        """
    )
    found = {
        (row["role"].value.rsplit("/", 1)[1], row["outcome"].value.rsplit("/", 1)[1],
         int(row["n"].value), int(row["d"].value))
        for row in rows
    }  # fmt: skip
    assert found == {
        ("ExperimentalArm", "Remission", 9, 12),
        ("PlaceboComparatorArm", "Remission", 5, 6),
        ("PlaceboComparatorArm", "Stroke", 1, 6),
        ("PlaceboComparatorArm", "AdverseEvent", 1, 6),
        ("ExperimentalArm", "Leucopenia", 1, 12),
        ("ExperimentalArm", "Pneumonia", 2, 12),
        ("ExperimentalArm", "Death", 1, 12),
    }
