"""`lupuskg meta` and ``lupuskg.meta(...)``: collect, pool, plot and write one synthesis."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..config import Settings
from ..config import settings as project_settings
from ..exceptions import SynthesisError
from ..queries import _as_iri as as_iri
from ..results import compact
from ..store import open_store
from .collect import collect_arms
from .forest import COLUMNS, forest_figure, input_rows, save_figure, summary, write_inputs
from .frames import data_frame
from .pooling import DEFAULT_METHOD, PooledEstimate, pool_proportions
from .progress import ProgressHook
from .terms import resolve_term

__all__ = ["ANY_INSTRUMENT", "MetaAnalysis", "meta", "meta_on_store"]

#: the ``instrument`` value that pools across instruments (outcome definitions) on request
ANY_INSTRUMENT = "any"


@dataclass
class MetaAnalysis:
    """A pooled estimate, what it pooled, and the files written for it."""

    therapy: str
    outcome: str
    time_point: str | None
    pooled: PooledEstimate
    files: list[Path] = field(default_factory=list)

    @property
    def stem(self) -> str:
        """File name stem: one per therapy, outcome, time point, definition and method.

        The definition is part of it so that a like-with-like pool per instrument, the pool of
        results that define none, and the pool across definitions never overwrite each other.
        """
        stem = _stem(self.therapy, self.outcome, self.time_point, self.pooled.method)
        if self.pooled.across_instruments:
            return stem + "-any-instrument"
        defined = [compact(i).split(":")[-1] for i in self.pooled.instruments if i]
        return stem + "".join(f"-{name}" for name in defined)

    def summary(self) -> dict[str, Any]:
        return {
            "therapy": compact(self.therapy),
            "outcome": compact(self.outcome),
            "time_point": self.time_point or "",
            **summary(self.pooled),
        }

    @property
    def title(self) -> str:
        """The forest plot's title: therapy — outcome [at time point]."""
        return f"{compact(self.therapy)} — {compact(self.outcome)}" + (
            f" at {self.time_point}" if self.time_point else ""
        )

    def inputs(self) -> list[dict[str, Any]]:
        """One record per pooled arm (the rows of the forest plot and of the CSV)."""
        return input_rows(self.pooled)

    def to_dataframe(self) -> Any:
        """The inputs as a pandas DataFrame, one row per arm; ``attrs["pooled"]`` is :meth:`summary`."""
        return data_frame(self.inputs(), COLUMNS, pooled=self.summary())

    to_frame = to_dataframe  # the name the first README used

    def figure(self) -> Any:
        """The forest plot as a matplotlib ``Figure`` (a notebook shows it; ``savefig`` writes it)."""
        return forest_figure(self.pooled, self.title)

    def write(self, out_dir: str | Path) -> list[Path]:
        """Forest plot (PNG, SVG) and inputs (JSON, CSV) in ``out_dir``; the paths, also in ``files``."""
        directory = Path(out_dir)
        self.files = save_figure(self.figure(), directory, self.stem)
        self.files += write_inputs(self.pooled, directory, self.stem)
        return self.files


def _stem(therapy: str, outcome: str, time_point: str | None, method: str) -> str:
    parts = [compact(therapy).split(":")[-1], compact(outcome).split(":")[-1]]
    return "-".join([*parts, *([time_point] if time_point else []), method])


def meta_on_store(
    store: ox.Store,
    *,
    therapy: str,
    outcome: str,
    time_point: str | None = None,
    method: str = DEFAULT_METHOD,
    out_dir: Path | None = None,
    settings: Settings | None = None,
    instrument: str | None = None,
    progress: ProgressHook | None = None,
    exact_outcome: bool = False,
) -> MetaAnalysis:
    """Pool on an open store; with ``out_dir``, write forest plot (PNG, SVG) and inputs (JSON, CSV).

    The arms are the rows of the forest-plot query Q21 of ``settings``' project;
    ``instrument`` keeps only results measured with it ("none": results without one), or,
    as "any", pools results of one outcome class across instruments (outcome definitions),
    which is otherwise refused; the estimate then says so (``pooled.across_instruments``);
    ``exact_outcome`` keeps only results on the outcome class itself, not its subclasses.
    """
    steps = 3 if out_dir is not None else 2
    if progress:
        progress("pooling", 0, steps)
    therapy_iri = resolve_term(store, "therapy", therapy)
    outcome_iri = resolve_term(store, "outcome", outcome)
    arms = collect_arms(
        store, therapy_iri, outcome_iri, time_point, settings=settings, exact_outcome=exact_outcome
    )
    across = instrument is not None and instrument.strip().lower() == ANY_INSTRUMENT
    if instrument is not None and not across:
        wanted = "" if instrument.strip().lower() == "none" else compact(_as_iri(instrument))
        arms = [arm for arm in arms if arm.instrument == wanted]
    if progress:
        progress("pooling", 1, steps)
    pooled = pool_proportions(arms, method, across_instruments=across)
    analysis = MetaAnalysis(therapy_iri, outcome_iri, time_point, pooled)
    if progress:
        progress("pooling", 2, steps)
    if out_dir is not None:
        analysis.write(out_dir)
        if progress:
            progress("pooling", 3, steps)
    return analysis


def _as_iri(text: str) -> str:
    iri = as_iri(text.strip())
    if iri is None:
        raise SynthesisError(
            f"instrument {text!r} is not a CURIE or IRI",
            hint="e.g. lkg:SLEDAI, none (results that define none) or any (across definitions)",
        )
    return iri


def meta(
    outcome: str,
    therapy: str,
    *,
    time_point: str | None = None,
    instrument: str | None = None,
    method: str = DEFAULT_METHOD,
    out_dir: str | Path | None = None,
    settings: Settings | None = None,
    progress: ProgressHook | None = None,
    exact_outcome: bool = False,
) -> MetaAnalysis:
    """The Python API: ``lupuskg.meta("relapse", "MSC", time_point="P12M", instrument="none")``.

    Nothing is written unless ``out_dir`` is given (or :meth:`MetaAnalysis.write` is called).
    ``instrument="any"`` pools across outcome definitions, explicitly (refused by default).
    ``exact_outcome=True`` pools only results on the outcome class itself, not its subclasses.
    """
    settings = settings or project_settings()
    store = open_store(settings)
    return meta_on_store(
        store,
        therapy=therapy,
        outcome=outcome,
        time_point=time_point,
        method=method,
        out_dir=Path(out_dir) if out_dir is not None else None,
        settings=settings,
        instrument=instrument,
        progress=progress,
        exact_outcome=exact_outcome,
    )
