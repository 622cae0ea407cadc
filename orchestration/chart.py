"""Line charts for the HTML report as inline SVG: the page stays one self-contained file (no
script, no image file, nothing fetched) and any browser draws it."""

from __future__ import annotations

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 200
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 20, 40  # margins: value labels left, date labels below
LINE_COLOUR, THIS_RUN_COLOUR, GRID_COLOUR = "#2b6cb0", "#c05621", "#ddd"


def line_chart(points: list[tuple[str, float | None]], title: str, value_format: str = "{:,.0f}",
               floor: float | None = None, ceiling: float | None = None) -> Markup:
    """A line through the points' values, oldest first (the last one, this run, marked), with the
    first and last labels under the axis. The value axis spans the values, widened to `floor` and
    `ceiling` when given (a score chart keeps 1.0 in view). Points without a value are gaps."""
    values = [v for _, v in points if v is not None]
    if not values:
        return Markup("")
    low = min([*values, *([floor] if floor is not None else [])])
    high = max([*values, *([ceiling] if ceiling is not None else [])])
    span = (high - low) or abs(high) or 1.0

    def x(i: int) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (i / (len(points) - 1) if len(points) > 1 else 0.5)

    def y(value: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (high - value) / span

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" role="img" '
             f'font-family="sans-serif" font-size="11"><title>{escape(title)}</title>']
    for value in (low, (low + high) / 2, high):  # grid lines with their values
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                     f'stroke="{GRID_COLOUR}"/><text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end">'
                     f'{escape(value_format.format(value))}</text>')
    for segment in _runs_of_values(points):
        coordinates = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in segment)
        parts.append(f'<polyline fill="none" stroke="{LINE_COLOUR}" stroke-width="2" points="{coordinates}"/>')
    for i, (label, value) in enumerate(points):
        if value is not None:
            colour = THIS_RUN_COLOUR if i == len(points) - 1 else LINE_COLOUR
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(value):.1f}" r="3" fill="{colour}">'
                         f'<title>{escape(label)}: {escape(value_format.format(value))}</title></circle>')
    for i in sorted({0, len(points) - 1}):
        anchor = "start" if i == 0 and len(points) > 1 else "end" if i else "middle"
        parts.append(f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="{anchor}">'
                     f'{escape(points[i][0])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _runs_of_values(points: list[tuple[str, float | None]]) -> list[list[tuple[int, float]]]:
    """The points split where a value is missing: a line never bridges a run without a score."""
    segments: list[list[tuple[int, float]]] = [[]]
    for i, (_, value) in enumerate(points):
        if value is None:
            segments.append([])
        else:
            segments[-1].append((i, value))
    return [s for s in segments if s]
