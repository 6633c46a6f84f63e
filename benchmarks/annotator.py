"""Measure the drafting annotator against every hand-encoded document of graph/documents/.

For each document the draft is made in memory from graph/sources/SLUG.txt (the document
file gives only its article type and study, as `lupuskg new` would), then compared with
the hand encoding:

- quote recall: share of hand quotes (cited by claims) that some draft claim's quote overlaps;
- matching: a draft claim and a hand claim are candidates when their quotes overlap; pairs
  are taken one-to-one, best agreement first (type, intervention, outcome/target);
- precision: share of draft claims matched to a hand claim;
- accuracy on matched pairs: intervention (same set of classes), outcome (same outcome, or
  for mechanism claims the same mechanism and target cell), direction, certainty, and the
  three of intervention + outcome + direction together;
- numeric recall: of the numerator, denominator and value fields of hand results, the share
  that a draft result quoted from an overlapping sentence gives exactly.

Run: .venv/bin/python benchmarks/annotator.py  (writes benchmarks/results/annotator.{json,md})
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from decimal import Decimal
from typing import Any

import rdflib
from rdflib.namespace import RDF

from lupuskg.config import settings as project_settings
from lupuskg.draft import draft_for_text
from lupuskg.namespaces import OA, VOCAB
from lupuskg.rdfio import parse_graph

LKG = rdflib.Namespace(VOCAB)
OAN = rdflib.Namespace(OA)
#: the documents the rules were written against (graph/documents/ as of the first landing);
#: every other document is unseen, and its figures say more about a new paper
DEVELOPED_ON = frozenset(
    [
        "bmt-hsct-conditioning-sle",
        "burt-2006",
        "carl-2024",
        "cem-ucmsc-news",
        "de-silva-2019",
        "frontiers-2021-msc-review",
        "jayne-2004",
        "rajoe-2023",
        "song-2011",
    ]
)
#: hand-encoded documents the rules were not developed on (test fixtures with their sources)
HELD_OUT = ("tests/data/rct",)
TARGETS = {"quote_recall": 0.8, "ido_accuracy": 0.7, "precision": 0.6, "numeric_recall": 0.8}
_CLAIM_TYPES = {
    LKG[t]
    for t in [
        "EfficacyClaim",
        "SafetyClaim",
        "MechanismClaim",
        "LimitationClaim",
        "BarrierClaim",
        "BackgroundClaim",
        "HistoricalClaim",
        "ProcedureClaim",
        "ResearchGapClaim",
    ]
}


def _spans(graph: rdflib.Graph, node: rdflib.term.Node) -> list[tuple[int, int]]:
    spans = []
    for quote in graph.objects(node, LKG.hasQuote):
        start, end = graph.value(quote, OAN.start), graph.value(quote, OAN.end)
        if start is not None and end is not None:
            spans.append((int(start), int(end)))
    return spans


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _claims(graph: rdflib.Graph) -> list[dict[str, Any]]:
    claims = []
    for node in sorted({s for t in _CLAIM_TYPES for s in graph.subjects(RDF.type, t)}):

        def values(p: rdflib.URIRef, n: rdflib.term.Node = node) -> frozenset[str]:
            return frozenset(str(o) for o in graph.objects(n, p))

        claims.append(
            {
                "iri": str(node),
                "type": str(graph.value(node, RDF.type)),
                "spans": _spans(graph, node),
                "intervention": values(LKG.intervention),
                "outcome": values(LKG.outcome)
                | {
                    f"{m}@{c}"
                    for m in values(LKG.mechanism)
                    for c in values(LKG.targetCell) or {""}
                },
                "direction": str(graph.value(node, LKG.direction)),
                "certainty": str(graph.value(node, LKG.certainty)),
            }
        )
    return claims


def _results(graph: rdflib.Graph) -> list[dict[str, Any]]:
    rows = []
    for node in sorted(graph.subjects(RDF.type, LKG.Result)):
        fields = {}
        for name in ("numerator", "denominator", "value"):
            value = graph.value(node, LKG[name])
            if value is not None:
                fields[name] = Decimal(str(value))
        rows.append({"iri": str(node), "spans": _spans(graph, node), "fields": fields})
    return rows


def _score(draft: dict[str, Any], gold: dict[str, Any]) -> int:
    return (
        (draft["type"] == gold["type"])
        + 2 * (draft["intervention"] == gold["intervention"])
        + 3 * bool(draft["outcome"] & gold["outcome"] or draft["outcome"] == gold["outcome"])
        + (draft["direction"] == gold["direction"])
    )


def _short(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def measure(
    slug: str, text: str, gold_graph: rdflib.Graph, draft_graph: rdflib.Graph
) -> dict[str, Any]:
    gold, draft = _claims(gold_graph), _claims(draft_graph)
    gold_quotes = {span for claim in gold for span in claim["spans"]}
    draft_spans = [span for claim in draft for span in claim["spans"]]
    recalled = [q for q in gold_quotes if _overlap([q], draft_spans)]
    pairs = sorted(
        (
            (_score(d, g), i, j)
            for i, d in enumerate(draft)
            for j, g in enumerate(gold)
            if _overlap(d["spans"], g["spans"])
        ),
        reverse=True,
    )
    used_d: set[int] = set()
    used_g: set[int] = set()
    matched = []
    for _, i, j in pairs:
        if i not in used_d and j not in used_g:
            used_d.add(i)
            used_g.add(j)
            matched.append((draft[i], gold[j]))
    failures: Counter[str] = Counter()
    correct = Counter()
    for d, g in matched:
        ok_i = d["intervention"] == g["intervention"]
        ok_o = d["outcome"] == g["outcome"]
        ok_d = d["direction"] == g["direction"]
        ok_c = d["certainty"] == g["certainty"]
        correct["intervention"] += ok_i
        correct["outcome"] += ok_o
        correct["direction"] += ok_d
        correct["certainty"] += ok_c
        correct["ido"] += ok_i and ok_o and ok_d
        if not ok_i:
            failures["intervention: " + ("none drafted" if not d["intervention"] else
                     "other class" if not (d["intervention"] & g["intervention"]) else "partial set")] += 1  # fmt: skip
        if not ok_o:
            failures["outcome: " + ("none drafted" if not d["outcome"] else "other class")] += 1
        if not ok_d:
            failures[f"direction: {_short(d['direction'])} for {_short(g['direction'])}"] += 1
        if not ok_c:
            failures[f"certainty: {_short(d['certainty'])} for {_short(g['certainty'])}"] += 1
    unmatched_gold = [g for j, g in enumerate(gold) if j not in used_g]
    for g in unmatched_gold:
        why = (
            "quote not drafted"
            if not _overlap(g["spans"], draft_spans)
            else "sentence drafted, claim not split out"
        )
        failures[f"missed hand claim: {why}"] += 1
    failures["unmatched draft claim"] += len(draft) - len(matched)
    gold_results, draft_results = _results(gold_graph), _results(draft_graph)
    fields_total = fields_hit = 0
    for result in gold_results:
        nearby = [r for r in draft_results if _overlap(r["spans"], result["spans"])]
        for name, value in result["fields"].items():
            fields_total += 1
            hit = any(r["fields"].get(name) == value for r in nearby)
            fields_hit += hit
            if not hit:
                failures[
                    f"number missed: {name}" + ("" if nearby else " (no result drafted there)")
                ] += 1
    n = len(matched)
    return {
        "slug": slug,
        "hand_claims": len(gold),
        "draft_claims": len(draft),
        "matched": n,
        "hand_quotes": len(gold_quotes),
        "quotes_recalled": len(recalled),
        "quote_recall": len(recalled) / len(gold_quotes) if gold_quotes else None,
        "precision": n / len(draft) if draft else None,
        "intervention_accuracy": correct["intervention"] / n if n else None,
        "outcome_accuracy": correct["outcome"] / n if n else None,
        "direction_accuracy": correct["direction"] / n if n else None,
        "certainty_accuracy": correct["certainty"] / n if n else None,
        "ido_accuracy": correct["ido"] / n if n else None,
        "_correct": dict(correct),
        "hand_number_fields": fields_total,
        "numbers_recalled": fields_hit,
        "numeric_recall": fields_hit / fields_total if fields_total else None,
        "failures": dict(failures.most_common()),
    }


def main() -> int:
    settings = project_settings()
    rows = []
    for path in settings.document_files():
        slug = path.stem
        text = (settings.sources_dir / f"{slug}.txt").read_bytes().decode("utf-8")
        gold = parse_graph(path, str(path))
        draft = draft_for_text(settings, slug, text, gold)
        rows.append(measure(slug, text, gold, draft))
    total = _pooled(rows)
    seen = _pooled([r for r in rows if r["slug"] in DEVELOPED_ON])
    unseen_rows = [r for r in rows if r["slug"] not in DEVELOPED_ON]
    held_out = []
    for folder in HELD_OUT:
        for path in sorted((settings.root / folder / "documents").glob("*.ttl")):
            text = (settings.root / folder / "sources" / f"{path.stem}.txt").read_bytes().decode()
            gold = parse_graph(path, str(path))
            draft = draft_for_text(settings, path.stem, text, gold)
            row = measure(path.stem, text, gold, draft)
            held_out.append({**row, "slug": f"{path.stem} (held out)"})
    out = settings.root / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    unseen = _pooled(unseen_rows + held_out) if unseen_rows or held_out else None
    payload = {
        "targets": TARGETS,
        "overall": total,
        "developed_on": seen,
        "unseen": unseen,
        "documents": rows,
        "held_out": held_out,
    }
    (out / "annotator.json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    report = _markdown(rows, total, held_out, seen, unseen)
    (out / "annotator.md").write_text(report, encoding="utf-8")
    print(report)
    return 0


def _pooled(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def ratio(a: float, b: float) -> float | None:
        return a / b if b else None

    s = {k: sum(r[k] for r in rows) for k in ("hand_claims", "draft_claims", "matched", "hand_quotes",
                                              "quotes_recalled", "hand_number_fields", "numbers_recalled")}  # fmt: skip
    correct: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    for r in rows:
        correct.update(r["_correct"])
        failures.update(r["failures"])
    m = s["matched"]
    return {
        **s,
        "quote_recall": ratio(s["quotes_recalled"], s["hand_quotes"]),
        "precision": ratio(m, s["draft_claims"]),
        "intervention_accuracy": ratio(correct["intervention"], m),
        "outcome_accuracy": ratio(correct["outcome"], m),
        "direction_accuracy": ratio(correct["direction"], m),
        "certainty_accuracy": ratio(correct["certainty"], m),
        "ido_accuracy": ratio(correct["ido"], m),
        "numeric_recall": ratio(s["numbers_recalled"], s["hand_number_fields"]),
        "failures": dict(failures.most_common()),
    }


def _fmt(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _markdown(
    rows: list[dict[str, Any]],
    total: dict[str, Any],
    held_out: list[dict[str, Any]],
    seen: dict[str, Any],
    unseen: dict[str, Any] | None,
) -> str:
    lines = [
        "# Drafting annotator vs the hand encodings",
        "",
        "Written by `benchmarks/annotator.py`; rule-based path (pySBD, spaCy PhraseMatcher over the "
        "ontology's labels and exact synonyms, negspacy NegEx cues, regular numeric patterns). "
        "Pooled figures are micro-averages over all documents.",
        "",
        "| document | hand claims | drafts | matched | quote recall | precision | interv. | outcome | direction | certainty | I+O+D | numeric recall |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in [*rows, {**total, "slug": "**all (pooled)**"}]:
        lines.append(
            f"| {r['slug']} | {r['hand_claims']} | {r['draft_claims']} | {r['matched']} | "
            f"{_fmt(r['quote_recall'])} | {_fmt(r['precision'])} | {_fmt(r['intervention_accuracy'])} | "
            f"{_fmt(r['outcome_accuracy'])} | {_fmt(r['direction_accuracy'])} | {_fmt(r['certainty_accuracy'])} | "
            f"{_fmt(r['ido_accuracy'])} | {_fmt(r['numeric_recall'])} "
            f"({r['numbers_recalled']}/{r['hand_number_fields']}) |"
        )
    extra = [{**seen, "slug": "pooled: developed on (9)"}]
    if unseen is not None:
        extra.append({**unseen, "slug": "**pooled: unseen** (incl. held out)"})
    for r in [*held_out, *extra]:
        lines.append(
            f"| {r['slug']} | {r['hand_claims']} | {r['draft_claims']} | {r['matched']} | "
            f"{_fmt(r['quote_recall'])} | {_fmt(r['precision'])} | "
            f"{_fmt(r['intervention_accuracy'])} | {_fmt(r['outcome_accuracy'])} | "
            f"{_fmt(r['direction_accuracy'])} | {_fmt(r['certainty_accuracy'])} | "
            f"{_fmt(r['ido_accuracy'])} | {_fmt(r['numeric_recall'])} "
            f"({r['numbers_recalled']}/{r['hand_number_fields']}) |"
        )
    lines += [
        "",
        "**The rules were written while reading nine of these documents** (DEVELOPED_ON in "
        "benchmarks/annotator.py) and their hand encodings, so their figures are in-sample; the "
        "documents added later and the test fixture are unseen, and the 'unseen' row is the "
        "better guess for a new paper. No sentence or figure of any document "
        "is written into the code (terms come from the ontology, cues from the generic tables of src/lupuskg/draft/cues.py), "
        "but in-sample rows still overstate. The held-out row is tests/data/rct (Deng 2017).",
    ]
    lines += [
        "",
        "## Against the targets",
        "",
        "| measure | target | all documents | met | unseen only | met |",
        "|---|---|---|---|---|---|",
    ]
    names = {"quote_recall": "quote recall", "ido_accuracy": "intervention+outcome+direction on matched claims",
             "precision": "precision", "numeric_recall": "numeric exact-match recall"}  # fmt: skip
    for key, target in TARGETS.items():
        cells = []
        for pool in (total, unseen):
            value = pool[key] if pool is not None else None
            met = "yes" if value is not None and value >= target else "no"
            cells.append(f"{_fmt(value, 3)} | {met}")
        lines.append(f"| {names[key]} | ≥ {target} | {' | '.join(cells)} |")
    lines += ["", "## Failure classes (pooled counts)", "", "| class | count |", "|---|---|"]
    lines += [f"| {name} | {count} |" for name, count in total["failures"].items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
