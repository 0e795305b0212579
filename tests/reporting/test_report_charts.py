"""Charts a board can read: the 1-5 scale, unscored functions never drawn at 0, a trend axis
fitted to the data with series that differ in grayscale, target ticks that show on any fill."""

from __future__ import annotations

from reportlab.graphics.shapes import Line, Polygon

from app.catalog.loader import resources_root
from app.reporting import charts
from app.reporting.fonts import register_fonts
from app.reporting.styles import INK


def _fonts():  # type: ignore[no-untyped-def]
    return register_fonts(resources_root() / "fonts")


def _shapes(group):  # type: ignore[no-untyped-def]
    for item in getattr(group, "contents", []):
        yield item
        yield from _shapes(item)


def test_trend_axis_is_fitted_to_the_data() -> None:
    # Whole levels around the data with a quarter level of room for the value labels.
    assert charts.fitted_range([2.3, 2.6, None]) == (2.0, 3.0)
    assert charts.fitted_range([2.0, 2.8]) == (1.0, 4.0)
    assert charts.fitted_range([1.0, 4.6]) == (1.0, 5.0)
    assert charts.fitted_range([5.0]) == (4.0, 5.0)
    assert charts.fitted_range([None]) == (1.0, 5.0)


def test_seven_series_differ_by_marker_and_dash() -> None:
    styles = charts.SERIES_STYLES[:7]
    pairs = {(tuple(dash or ()), marker) for _colour, dash, marker in styles}
    assert len(pairs) == 7
    assert len({tuple(dash or ()) for _c, dash, _m in styles}) == 7


def test_an_unscored_function_is_not_drawn_at_zero() -> None:
    axes = [
        charts.Axis("GOVERN", 3.0, 3.0),
        charts.Axis("MAP", None, None),
        charts.Axis("MEASURE", 2.0, 3.0),
        charts.Axis("MANAGE", 4.0, 3.0),
    ]
    drawing = charts.radar(axes, 200, _fonts())
    cx, cy = drawing.width / 2, drawing.height / 2 + 4 * 2.8346
    polygons = [s for s in _shapes(drawing) if isinstance(s, Polygon) and s.fillColor is not None]
    score = polygons[-1]  # the filled score shape
    points = list(zip(score.points[::2], score.points[1::2], strict=True))
    assert len(points) == 3  # the three scored axes only
    assert all(abs(x - cx) > 1 or abs(y - cy) > 1 for x, y in points)  # none at the centre


def test_bars_start_at_one_and_target_ticks_are_black_on_white() -> None:
    bars = [charts.Bar("GOVERN 1", 1.0, 3.0, ""), charts.Bar("GOVERN 2", None, 3.0, "no score")]
    drawing = charts.category_bars(bars, 300, _fonts())
    lines = [s for s in _shapes(drawing) if isinstance(s, Line)]
    ticks = [line for line in lines if line.strokeWidth == 1.6]
    assert ticks and all(t.strokeColor == INK for t in ticks)  # black: visible in grayscale
    halos = [line for line in lines if line.strokeWidth == 3.2]
    assert len(halos) == len(ticks)  # each tick on a white edge
    labels = [s.text for s in _shapes(drawing) if hasattr(s, "text")]
    assert "0" not in labels and "1" in labels and "5" in labels  # the scale runs 1 to 5


def test_trend_labels_use_the_text_font_fallback() -> None:
    # A cycle's name is user text: each script is set in a face that has its glyphs (the main
    # face alone drew Chinese as empty boxes), Arabic shaped, and the PNG copy gets letters.
    import datetime as dt

    from reportlab.graphics.shapes import String

    from app.domain.report import TrendRow
    from app.reporting import raster

    fonts = _fonts()
    names = ["人工智能 评估", "تقييم المخاطر", "Zürich review"]
    rows = [
        TrendRow(i, name, dt.date(2026, 1 + i, 1), "final", 3.0, (("GOVERN", 3.0),), i == 2)
        for i, name in enumerate(names)
    ]
    drawing = charts.trend_lines(rows, ["GOVERN"], 400, fonts)
    labels = [s for s in _shapes(drawing) if isinstance(s, charts.UserString)]
    cjk = [s for s in labels if "人" in s.plain]
    assert cjk and all(s.fontName.endswith("-cjk") for s in cjk)
    arabic = [s for s in labels if s.fontName.endswith("-arabic")]
    assert arabic and all(s.text != s.plain for s in arabic)  # shaped glyphs, letters kept
    assert not any(isinstance(s, String) and "[U+" in s.text for s in _shapes(drawing))
    assert raster.drawing_png(drawing).startswith(b"\x89PNG")
