"""The notebook API on the fixture studies: data frames, and figures with real content."""

from __future__ import annotations

import struct
from pathlib import Path

import lupuskg
from lupuskg.synthesis import forest, gapmap, profile

UCMSC = "umbilical cord mesenchymal stem cell therapy"


def _png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_meta_frame_has_one_row_per_arm_and_the_pooled_estimate(synthesis_settings) -> None:
    analysis = lupuskg.meta(
        "complete remission", "UC-MSC", time_point="P12M", settings=synthesis_settings
    )
    frame = analysis.to_dataframe()
    assert tuple(frame.columns) == forest.COLUMNS
    assert frame[["label", "events", "total"]].values.tolist() == [
        ["Alpha 2010", 2, 20],
        ["Beta 2015", 10, 20],
        ["Gamma 2020", 15, 20],
    ]
    assert round(float(frame["weight"].sum()), 6) == 1.0
    pooled = frame.attrs["pooled"]
    assert (round(pooled["estimate"], 3), pooled["studies"], pooled["patients"]) == (0.430, 3, 60)
    assert analysis.files == []  # nothing written without out_dir


def test_profile_is_a_sequence_of_rows_and_a_frame(synthesis_settings) -> None:
    result = lupuskg.profile("UC-MSC", settings=synthesis_settings)
    assert isinstance(result, profile.CertaintyProfile)
    frame = result.to_dataframe()
    assert tuple(frame.columns) == profile.COLUMNS
    assert len(frame) == len(result) == 1
    assert frame.attrs["therapy"] == "lkg:UCMSCTherapy"
    row = frame.iloc[0]
    assert (row["outcome"], row["studies"], row["patients"]) == ("lkg:CompleteRemission", 3, 60)
    assert row["certainty"] == result[0].certainty
    assert [r.outcome for r in result] == ["lkg:CompleteRemission"]


def test_evidence_map_frame_lists_every_cell_gaps_included(synthesis_settings) -> None:
    evidence = lupuskg.evidence_map(settings=synthesis_settings)
    frame = evidence.to_dataframe()
    assert tuple(frame.columns) == gapmap.COLUMNS
    assert len(frame) == len(evidence.rows) * len(evidence.columns)
    filled = frame[frame["claims"] > 0]
    assert filled[["therapy", "size", "size_unit"]].values.tolist() == [
        ["lkg:UCMSCTherapy", 60, "patients"]
    ]
    assert (frame["claims"] == 0).sum() == len(frame) - 1  # the gaps are rows too


def test_map_png_and_svg_show_rows_columns_and_the_bubble(synthesis_settings, tmp_path) -> None:
    evidence = lupuskg.evidence_map(out_dir=tmp_path / "map", settings=synthesis_settings)
    svg = (tmp_path / "map" / "map.svg").read_text(encoding="utf-8")
    for _, label, _ in evidence.rows:
        assert f">{label}</text>" in svg.replace("\u2003", ""), f"row {label!r} missing"
    assert ">complete remission outcome</text>" in svg
    assert ">efficacy</text>" in svg
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg  # no date, no version
    width, height = _png_size(tmp_path / "map" / "map.png")
    rows = len(evidence.rows)
    assert width >= 7.5 * 150 and height > rows * 0.3 * 150  # 150 dpi, 0.3 in per row


def test_map_figures_are_byte_identical_on_a_second_run(synthesis_settings, tmp_path) -> None:
    evidence = gapmap.evidence_map(settings=synthesis_settings)
    first = forest.save_figure(gapmap.map_figure(evidence), tmp_path / "a", "map")
    second = forest.save_figure(evidence.figure(), tmp_path / "b", "map")
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes(), f"{one.name} differs between runs"


def test_forest_png_and_svg_label_rows_by_first_author_and_year(
    synthesis_settings, tmp_path
) -> None:
    analysis = lupuskg.meta(
        "complete remission", "UC-MSC", time_point="P12M", settings=synthesis_settings
    )
    png, svg = analysis.write(tmp_path)[:2]
    assert (png.suffix, svg.suffix) == (".png", ".svg")
    text = svg.read_text(encoding="utf-8")
    for label in ("Alpha 2010  2/20", "Beta 2015  10/20", "Gamma 2020  15/20"):
        assert f">{label}</text>" in text
    assert "pooled 0.430 [0.130, 0.792]" in text
    width, height = _png_size(png)
    assert (width, height) == (1200, int(150 * (1.6 + 0.45 * 5)))  # 8 in × (1.6 + 0.45·5) in
    assert (
        analysis.figure().axes[0].get_title() == "lkg:UCMSCTherapy — lkg:CompleteRemission at P12M"
    )
    again = analysis.write(tmp_path / "again")
    assert again[1].read_bytes() == svg.read_bytes()
