"""The evidence gap map: therapies × outcomes, one bubble per cell with claims, gaps left visible.

Rows are the therapies under lkg:CellTherapy (or lkg:StemCellTherapy while the ontology
has no cell-therapy parent), in hierarchy order and indented by depth. Columns are the
outcomes claimed for any of them, grouped efficacy / safety / barriers. A bubble's area
follows the patients of the distinct studies behind its claims (studies, then claims,
where no sample size is known); its colour is the prevailing direction and its opacity
the prevailing stated certainty. The page is one self-contained HTML file: the SVG and
the script are generated here, no CDN, no library. Clicking a bubble lists its claims
with statement, document, quotes and a link to the claim. The static figures (PNG and
SVG, for papers and slides) are drawn with matplotlib from the same cells.
"""

from __future__ import annotations

import html
import json
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..config import settings as project_settings
from ..namespaces import BASE, PREFIXES
from ..queries import run_sparql
from ..results import compact
from ..store import open_store
from .forest import save_figure
from .frames import data_frame
from .progress import ProgressHook, tracked

__all__ = [
    "COLUMNS",
    "Cell",
    "EvidenceMap",
    "build_map",
    "evidence_map",
    "map_figure",
    "render_html",
    "write_map",
]

_LKG = PREFIXES["lkg"]
GROUPS = (("efficacy", "EfficacyOutcome"), ("safety", "SafetyOutcome"), ("barriers", "Barrier"))
COLOURS = {
    "lkg:Improves": "#2e7d32",
    "lkg:NotObserved": "#00838f",
    "lkg:Observed": "#ef6c00",
    "lkg:Worsens": "#c62828",
    "lkg:NoEffect": "#757575",
    "lkg:Mixed": "#6a1b9a",
}
OPACITY = {"lkg:Established": 0.95, "lkg:Suggested": 0.7, "lkg:Speculative": 0.45}
#: the columns of :meth:`EvidenceMap.to_records` and of its data frame, in order
COLUMNS = (
    "therapy",
    "therapy_label",
    "outcome",
    "outcome_label",
    "group",
    "claims",
    "studies",
    "size",
    "size_unit",
    "direction",
    "certainty",
)

_THERAPIES = f"""
PREFIX lkg: <{_LKG}>
PREFIX rdfs: <{PREFIXES["rdfs"]}>
SELECT ?root ?therapy ?parent ?label WHERE {{
  VALUES ?root {{ lkg:CellTherapy lkg:StemCellTherapy }}
  ?therapy rdfs:subClassOf* ?root .
  OPTIONAL {{ ?therapy rdfs:subClassOf ?parent . ?parent rdfs:subClassOf* ?root FILTER(?parent != ?therapy) }}
  OPTIONAL {{ ?therapy rdfs:label ?label }}
}}
"""

_CLAIMS = f"""
PREFIX lkg: <{_LKG}>
PREFIX rdfs: <{PREFIXES["rdfs"]}>
PREFIX oa: <{PREFIXES["oa"]}>
PREFIX dcterms: <{PREFIXES["dcterms"]}>
SELECT ?claim ?therapy ?outcome ?outcomeLabel ?group ?statement ?document ?title
       ?direction ?certainty ?study ?size ?quote
WHERE {{
  VALUES (?group ?top) {{
    ("efficacy" lkg:EfficacyOutcome) ("safety" lkg:SafetyOutcome) ("barriers" lkg:Barrier)
  }}
  ?claim lkg:intervention ?therapy ; lkg:outcome ?outcome ; lkg:sourceDocument ?document .
  ?outcome rdfs:subClassOf* ?top .
  OPTIONAL {{ ?outcome rdfs:label ?outcomeLabel }}
  OPTIONAL {{ ?claim lkg:statement ?statement }}
  OPTIONAL {{ ?document dcterms:title ?title }}
  OPTIONAL {{ ?claim lkg:direction ?direction }}
  OPTIONAL {{ ?claim lkg:certainty ?certainty }}
  OPTIONAL {{ ?claim lkg:aboutStudy ?study OPTIONAL {{ ?study lkg:sampleSize ?size }} }}
  OPTIONAL {{ ?claim lkg:hasQuote/oa:exact ?quote }}
}}
ORDER BY ?claim ?quote
"""


@dataclass
class Cell:
    """The claims of one therapy and one outcome."""

    claims: dict[str, dict[str, Any]] = field(default_factory=dict)
    studies: dict[str, int] = field(default_factory=dict)

    @property
    def size(self) -> tuple[int, str]:
        """What the bubble shows: patients, else studies, else claims."""
        patients = sum(self.studies.values())
        if patients:
            return patients, "patients"
        if self.studies:
            return len(self.studies), "studies"
        return len(self.claims), "claims"

    def prevailing(self, key: str) -> str:
        counts = Counter(claim[key] for claim in self.claims.values() if claim[key])
        return counts.most_common(1)[0][0] if counts else ""


@dataclass
class EvidenceMap:
    """Rows (therapy, label, depth), columns (outcome, label, group) and the filled cells."""

    rows: list[tuple[str, str, int]]
    columns: list[tuple[str, str, str]]
    cells: dict[tuple[str, str], Cell]

    def to_records(self) -> list[dict[str, Any]]:
        """One record per row and column, empty cells included (a gap is data too)."""
        records = []
        for therapy, label, _ in self.rows:
            for outcome, outcome_label, group in self.columns:
                cell = self.cells.get((therapy, outcome), Cell())
                size, unit = cell.size
                records.append(
                    {
                        "therapy": compact(therapy),
                        "therapy_label": label,
                        "outcome": compact(outcome),
                        "outcome_label": outcome_label,
                        "group": group,
                        "claims": len(cell.claims),
                        "studies": len(cell.studies),
                        "size": size if cell.claims else 0,
                        "size_unit": unit,
                        "direction": cell.prevailing("direction"),
                        "certainty": cell.prevailing("certainty"),
                    }
                )
        return records

    def to_dataframe(self) -> Any:
        """Every therapy × outcome cell as a pandas DataFrame (gaps are rows with 0 claims)."""
        return data_frame(self.to_records(), COLUMNS)

    def figure(self) -> Any:
        """The map as a matplotlib ``Figure`` (see :func:`map_figure`)."""
        return map_figure(self)


def _tree(store: ox.Store) -> list[tuple[str, str, int]]:
    """Therapies depth-first from the root, children in label order."""
    records = run_sparql(store, _THERAPIES).to_records()
    root = _LKG + "CellTherapy"
    if not any(row["root"] == root for row in records):
        root = _LKG + "StemCellTherapy"
    labels: dict[str, str] = {}
    children: dict[str, set[str]] = {}
    for row in records:
        if row["root"] != root:
            continue
        therapy = str(row["therapy"])
        labels.setdefault(therapy, str(row["label"] or compact(therapy)))
        if row["parent"]:
            children.setdefault(str(row["parent"]), set()).add(therapy)
    ordered: list[tuple[str, str, int]] = []

    def visit(node: str, depth: int) -> None:
        if any(node == seen for seen, _, _ in ordered):
            return
        ordered.append((node, labels.get(node, compact(node)), depth))
        for child in sorted(
            children.get(node, set()), key=lambda c: labels.get(c, str(c)).casefold()
        ):
            visit(child, depth + 1)

    visit(root, 0)
    return ordered


def build_map(store: ox.Store, progress: ProgressHook | None = None) -> EvidenceMap:
    """Collect rows, columns and cells from the store; steps are reported to ``progress``."""
    if progress:
        progress("querying claims", 0, 1)
    rows = _tree(store)
    therapies = {therapy for therapy, _, _ in rows}
    cells: dict[tuple[str, str], Cell] = {}
    columns: dict[str, tuple[str, str, str]] = {}
    records = run_sparql(store, _CLAIMS).to_records()
    if progress:
        progress("querying claims", 1, 1)
    for row in tracked(records, len(records), "collecting claims", progress):
        therapy, outcome = str(row["therapy"]), str(row["outcome"])
        if therapy not in therapies:
            continue
        columns.setdefault(
            outcome, (outcome, str(row["outcomeLabel"] or compact(outcome)), str(row["group"]))
        )
        _add_claim(cells.setdefault((therapy, outcome), Cell()), row)
    order = {name: index for index, (name, _) in enumerate(GROUPS)}
    ordered = sorted(columns.values(), key=lambda c: (order[c[2]], c[1].casefold()))
    return EvidenceMap(rows, ordered, cells)


def _add_claim(cell: Cell, row: dict[str, Any]) -> None:
    claim = cell.claims.setdefault(
        str(row["claim"]),
        {
            "claim": str(row["claim"]),
            "statement": str(row["statement"] or ""),
            "document": str(row["document"]),
            "title": str(row["title"] or compact(str(row["document"]))),
            "direction": compact(str(row["direction"])) if row["direction"] else "",
            "certainty": compact(str(row["certainty"])) if row["certainty"] else "",
            "quotes": [],
        },
    )
    if row["quote"] and str(row["quote"]) not in claim["quotes"]:
        claim["quotes"].append(str(row["quote"]))
    if row["study"]:
        cell.studies[str(row["study"])] = int(row["size"] or 0)


# ---------------------------------------------------------------- rendering

_LEFT, _TOP, _ROW, _COL, _RIGHT = 390, 230, 30, 34, 170


def render_svg(evidence: EvidenceMap) -> str:
    """The map as an SVG document; bubbles carry data-cell keys for the page's script."""
    width = _LEFT + _COL * len(evidence.columns) + _RIGHT  # room for the slanted last headers
    height = _TOP + _ROW * len(evidence.rows) + 20
    biggest = max((cell.size[0] for cell in evidence.cells.values()), default=1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    parts += _column_headers(evidence)
    for r, (therapy, label, depth) in enumerate(evidence.rows):
        y = _TOP + r * _ROW + _ROW / 2
        parts.append(f'<text x="{10 + 16 * depth}" y="{y + 4}">{html.escape(label)}</text>')
        for c, (outcome, _, _) in enumerate(evidence.columns):
            x = _LEFT + c * _COL + _COL / 2
            parts.append(
                f'<rect class="gap" x="{x - _COL / 2 + 1}" y="{y - _ROW / 2 + 1}" '
                f'width="{_COL - 2}" height="{_ROW - 2}" fill="#f4f4f4" stroke="#e0e0e0"/>'
            )
            cell = evidence.cells.get((therapy, outcome))
            if cell:
                parts.append(_bubble(cell, x, y, biggest, f"{r}-{c}"))
    parts.append("</svg>")
    return "\n".join(parts)


def _column_headers(evidence: EvidenceMap) -> list[str]:
    parts = []
    start = 0
    for index, (_, label, group) in enumerate(evidence.columns):
        x = _LEFT + index * _COL + _COL / 2
        parts.append(
            f'<text transform="translate({x + 4},{_TOP - 8}) rotate(-60)">{html.escape(label)}</text>'
        )
        last = index + 1 == len(evidence.columns) or evidence.columns[index + 1][2] != group
        if last:
            x0, x1 = _LEFT + start * _COL, _LEFT + (index + 1) * _COL
            parts.append(
                f'<line x1="{x0 + 2}" x2="{x1 - 2}" y1="{_TOP - 2}" y2="{_TOP - 2}" stroke="#333" stroke-width="2"/>'
            )
            parts.append(
                f'<text x="{(x0 + x1) / 2}" y="14" text-anchor="middle" font-weight="bold">{group}</text>'
            )
            start = index + 1
    return parts


def _bubble(cell: Cell, x: float, y: float, biggest: int, key: str) -> str:
    size, unit = cell.size
    radius = 4 + 9 * math.sqrt(size / biggest)
    colour = COLOURS.get(cell.prevailing("direction"), "#455a64")
    opacity = OPACITY.get(cell.prevailing("certainty"), 0.6)
    title = f"{size} {unit}, {len(cell.claims)} claim(s); {cell.prevailing('direction') or 'no direction'}"
    return (
        f'<circle class="bubble" data-cell="{key}" cx="{x}" cy="{y}" r="{radius:.1f}" '
        f'fill="{colour}" fill-opacity="{opacity}" stroke="#222" stroke-width="0.6">'
        f"<title>{html.escape(title)}</title></circle>"
    )


_SCRIPT = """
const cells = JSON.parse(document.getElementById('cells').textContent);
const panel = document.getElementById('details');
function esc(text) { const d = document.createElement('div'); d.textContent = text; return d.innerHTML; }
function show(key) {
  const cell = cells[key];
  let out = '<h2>' + esc(cell.therapy) + ' \\u2014 ' + esc(cell.outcome) + '</h2>';
  out += '<p>' + esc(cell.size + ' ' + cell.unit + ', ' + cell.claims.length + ' claim(s)') + '</p><ol>';
  for (const claim of cell.claims) {
    out += '<li class="claim"><p class="statement">' + esc(claim.statement) + '</p>';
    out += '<p class="meta">' + esc(claim.direction + ' \\u00b7 ' + claim.certainty) + ' \\u00b7 <a href="' +
      esc(claim.document) + '">' + esc(claim.title) + '</a> \\u00b7 <a class="claim-link" href="' +
      esc(claim.claim) + '">claim</a></p>';
    for (const quote of claim.quotes) { out += '<blockquote class="quote">' + esc(quote) + '</blockquote>'; }
    out += '</li>';
  }
  panel.innerHTML = out + '</ol>';
}
for (const bubble of document.querySelectorAll('circle.bubble')) {
  bubble.style.cursor = 'pointer';
  bubble.addEventListener('click', () => show(bubble.dataset.cell));
}
document.body.dataset.ready = 'true';
"""


def local_link(iri: str, link_base: str | None) -> str:
    """Our IRI under ``link_base`` (e.g. "/" on the server); other IRIs unchanged."""
    if link_base is None or not iri.startswith(BASE):
        return iri
    return link_base + iri.removeprefix(BASE)


def _cell_data(evidence: EvidenceMap, link_base: str | None = None) -> dict[str, Any]:
    data = {}
    for r, (therapy, label, _) in enumerate(evidence.rows):
        for c, (outcome, outcome_label, _) in enumerate(evidence.columns):
            cell = evidence.cells.get((therapy, outcome))
            if cell:
                size, unit = cell.size
                data[f"{r}-{c}"] = {
                    "therapy": label,
                    "outcome": outcome_label,
                    "size": size,
                    "unit": unit,
                    "claims": [
                        {
                            **claim,
                            "claim": local_link(claim["claim"], link_base),
                            "document": local_link(claim["document"], link_base),
                        }
                        for claim in cell.claims.values()
                    ],
                }
    return data


def render_html(
    evidence: EvidenceMap, title: str = "lupuskg evidence gap map", link_base: str | None = None
) -> str:
    """One self-contained page: inline SVG, inline data, inline script.

    ``link_base`` makes links to our IRIs local (the server passes "/").
    """
    legend = " ".join(
        f'<span><svg width="12" height="12"><circle cx="6" cy="6" r="6" fill="{colour}"/></svg> '
        f"{html.escape(name.removeprefix('lkg:'))}</span>"
        for name, colour in COLOURS.items()
    )
    data = json.dumps(_cell_data(evidence, link_base), sort_keys=True).replace("</", "<\\/")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: sans-serif; margin: 16px; display: flex; flex-wrap: wrap; gap: 24px; }}
#map {{ flex: none; }} #details {{ max-width: 560px; }}
blockquote.quote {{ border-left: 3px solid #999; margin: 4px 0 8px 0; padding-left: 8px; color: #333; }}
.legend span {{ margin-right: 10px; }} .meta {{ color: #555; font-size: 90%; }}
</style></head>
<body><div id="map"><h1>{html.escape(title)}</h1>
<p class="legend">colour: prevailing direction {legend}; opacity: stated certainty;
area: patients (or studies, or claims, where no sample size is known); grey squares are gaps.</p>
{render_svg(evidence)}</div>
<div id="details"><p>Click a bubble to list its claims with their quotes.</p></div>
<script type="application/json" id="cells">{data}</script>
<script>{_SCRIPT}</script>
</body></html>
"""


def map_figure(evidence: EvidenceMap) -> Any:
    """The map as a matplotlib ``Figure``: therapies as rows (indented by depth), outcomes as
    columns under their group, a bubble per cell with claims, and a grey square per gap.

    Bubble area follows the cell's size (patients, else studies, else claims) relative to
    the largest cell, colour the prevailing direction and opacity the prevailing certainty,
    as on the page.
    """
    from matplotlib.figure import Figure

    rows, columns = evidence.rows, evidence.columns
    figure = Figure()
    axes = figure.add_subplot()
    biggest = max((cell.size[0] for cell in evidence.cells.values()), default=1)
    from matplotlib.collections import PatchCollection
    from matplotlib.colors import to_rgba

    squares, xs, ys, areas, colours = [], [], [], [], []
    for r, (therapy, _, _) in enumerate(rows):
        for c, (outcome, _, _) in enumerate(columns):
            squares.append(_gap_square(c, r))
            cell = evidence.cells.get((therapy, outcome))
            if cell:
                xs.append(c)
                ys.append(r)
                areas.append(16 + 140 * cell.size[0] / biggest)  # area, like the page's radius²
                colour = COLOURS.get(cell.prevailing("direction"), "#455a64")
                colours.append(to_rgba(colour, OPACITY.get(cell.prevailing("certainty"), 0.6)))
    # one collection each: a patch or a scatter call per cell costs seconds at 1,000 documents
    axes.add_collection(
        PatchCollection(squares, facecolor="#f4f4f4", edgecolor="#e0e0e0", match_original=False)
    )
    if xs:
        axes.scatter(xs, ys, s=areas, c=colours, edgecolors="#222222", linewidths=0.6, zorder=3)
    axes.set_xlim(-0.5, len(columns) - 0.5)
    axes.set_ylim(len(rows) - 0.5, -0.5)  # first therapy on top
    axes.set_yticks(range(len(rows)))
    axes.set_yticklabels(
        ["\u2003" * depth + label for _, label, depth in rows], ha="left"
    )  # left-aligned, so that the em spaces indent children under their parent
    axes.set_xticks(range(len(columns)))
    axes.set_xticklabels([label for _, label, _ in columns], rotation=60, ha="left")
    axes.xaxis.tick_top()
    axes.tick_params(length=0)
    for side in axes.spines.values():
        side.set_visible(False)
    _group_brackets(axes, columns)
    _legend(figure)
    _fit(figure, axes, len(rows), len(columns))
    figure.tight_layout(rect=(0, 0.06, 1, 0.95))
    return figure


def _legend(figure: Any) -> None:
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], marker="o", linestyle="", color=colour, markeredgecolor="#222222")
        for colour in COLOURS.values()
    ]
    figure.legend(
        handles,
        [name.removeprefix("lkg:") for name in COLOURS],
        loc="lower center",
        ncols=len(COLOURS),
        frameon=False,
        fontsize="small",
        title="prevailing direction; opacity: stated certainty; area: patients "
        "(or studies, or claims); grey: gap",
        title_fontsize="small",
    )


def _fit(figure: Any, axes: Any, rows: int, columns: int) -> None:
    """Size the figure to its labels: cells of 0.3 in, plus the widest row label and the
    tallest (slanted) column label; left-aligned row labels move out by the widest one."""
    inch = figure.dpi

    def extent(labels: Any, attribute: str) -> float:  # measured with the figure's own renderer
        return max((getattr(t.get_window_extent(), attribute) for t in labels), default=0.0)

    left = extent(axes.get_yticklabels(), "width") / inch
    top = extent(axes.get_xticklabels(), "height") / inch
    overhang = extent(axes.get_xticklabels()[-1:], "width") / inch
    figure.set_size_inches(max(7.5, left + 0.3 * columns + overhang + 0.6), top + 0.3 * rows + 1.5)
    axes.tick_params(axis="y", pad=left * 72 + 6)


def _gap_square(column: int, row: int) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle(
        (column - 0.47, row - 0.47), 0.94, 0.94, facecolor="#f4f4f4", edgecolor="#e0e0e0"
    )


def _group_brackets(axes: Any, columns: list[tuple[str, str, str]]) -> None:
    """The group names (efficacy, safety, barriers) above their columns, with a line."""
    start = 0
    for index, (_, _, group) in enumerate(columns):
        if index + 1 == len(columns) or columns[index + 1][2] != group:
            axes.annotate(
                group,
                xy=((start + index) / 2, 1.0),
                xycoords=("data", "figure fraction"),
                xytext=(0, -2),
                textcoords="offset points",
                ha="center",
                va="top",
                fontweight="bold",
            )
            axes.plot([start - 0.4, index + 0.4], [-0.55, -0.55], color="#333333", clip_on=False)
            start = index + 1


def write_map(
    evidence: EvidenceMap, out_dir: Path, progress: ProgressHook | None = None
) -> list[Path]:
    """``index.html``, ``map.json`` (every cell, gaps included), ``map.png`` and ``map.svg``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    step = "writing the map"
    if progress:
        progress(step, 0, 3)
    renderers: list[tuple[str, Callable[[], str]]] = [
        ("index.html", lambda: render_html(evidence)),
        ("map.json", lambda: json.dumps(evidence.to_records(), indent=2) + "\n"),
    ]
    paths = []
    for done, (name, render) in enumerate(renderers, start=1):
        (out_dir / name).write_text(render(), encoding="utf-8")
        paths.append(out_dir / name)
        if progress:
            progress(step, done, 3)
    paths += save_figure(map_figure(evidence), out_dir, "map")
    if progress:
        progress(step, 3, 3)
    return paths


def evidence_map(
    *,
    out_dir: str | Path | None = None,
    settings: Any = None,
    progress: ProgressHook | None = None,
) -> EvidenceMap:
    """The Python API: ``lupuskg.evidence_map().to_dataframe()``; ``out_dir`` writes the files."""
    evidence = build_map(open_store(settings or project_settings()), progress)
    if out_dir is not None:
        write_map(evidence, Path(out_dir), progress)
    return evidence
