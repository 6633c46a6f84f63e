"""What `lupuskg serve` shows of the synthesis: the gap map at /map, forest plots at /meta/...

Links to our own IRIs are made local (``/id/...``), so that a click on a claim opens
the server's own page for it rather than the w3id redirect.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyoxigraph as ox

from ..config import Settings
from .gapmap import build_map, render_html
from .meta import meta_on_store

__all__ = ["forest_svg", "map_page"]


def map_page(store: ox.Store) -> str:
    """The evidence gap map page with links into this server."""
    return render_html(build_map(store), link_base="/")


def forest_svg(
    store: ox.Store,
    therapy: str,
    outcome: str,
    time_point: str | None,
    settings: Settings | None = None,
) -> str:
    """The forest plot of one pooled estimate as SVG text (SynthesisError when not poolable)."""
    with tempfile.TemporaryDirectory(prefix="lupuskg-meta-") as directory:
        analysis = meta_on_store(
            store,
            therapy=therapy,
            outcome=outcome,
            time_point=time_point,
            out_dir=Path(directory),
            settings=settings,
        )
        svg = next(path for path in analysis.files if path.suffix == ".svg")
        return svg.read_text(encoding="utf-8")
