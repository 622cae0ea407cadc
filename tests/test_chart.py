"""The HTML report's inline SVG charts (orchestration/chart.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from orchestration.chart import line_chart

SVG = "{http://www.w3.org/2000/svg}"


def _svg(points, **kwargs) -> ET.Element:
    return ET.fromstring(str(line_chart(points, "Overall score", "{:.3f}", **kwargs)))  # well-formed or raises


def test_a_missing_value_breaks_the_line_and_every_value_is_a_point():
    svg = _svg([("2026-11-20", 0.99), ("2026-11-21", 0.98), ("2026-11-22", None), ("2026-11-23", 0.995)],
               floor=0.9, ceiling=1.0)
    lines = svg.findall(f"{SVG}polyline")
    assert [len(line.get("points").split()) for line in lines] == [2, 1], "no line bridges the run without a score"
    points = svg.findall(f"{SVG}circle")
    assert [p.find(f"{SVG}title").text for p in points] == ["2026-11-20: 0.990", "2026-11-21: 0.980",
                                                            "2026-11-23: 0.995"]
    assert points[-1].get("fill") != points[0].get("fill"), "this run stands out"
    assert [t.text for t in svg.findall(f"{SVG}text")][:3] == ["0.900", "0.950", "1.000"], "the axis keeps 0.9-1.0"


def test_higher_values_are_drawn_higher():
    svg = _svg([("a", 10.0), ("b", 30.0), ("c", 20.0)])
    heights = [float(c.get("cy")) for c in svg.findall(f"{SVG}circle")]
    assert heights[1] < heights[2] < heights[0]  # SVG's y grows downwards


def test_labels_are_escaped_and_nothing_is_drawn_without_values():
    svg = _svg([("<script>alert(1)</script>", 1.0)])
    assert svg.find(f"{SVG}script") is None and "<script>" in svg.find(f"{SVG}circle/{SVG}title").text
    assert str(line_chart([("a", None)], "empty")) == ""
