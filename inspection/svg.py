"""Small inline-SVG drawings for the run report: the DAG, line charts and histograms.

Inline SVG needs no script and no network, so the report renders offline in any browser.
"""

import html
from typing import Dict, List, Optional, Sequence, Tuple

# Fill colours of node states, also used by the report's state badges.
STATE_COLOURS = {
    "COMPLETE": "#2e7d32",
    "CACHED": "#1565c0",
    "FAILED": "#c62828",
    "STOPPED": "#ad1457",  # a run the data gate stopped
    "RUNNING": "#ef6c00",
    "NEW": "#757575",
    "UNKNOWN": "#757575",
    "CANCELED": "#757575",
    "INTERRUPTED": "#757575",  # a run killed before it finished (its node marked CANCELED)
}
# One colour per data series (train, eval; loss, val_loss), in order.
SERIES_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728")
NODE_WIDTH, NODE_HEIGHT = 200, 44
LAYER_GAP, COLUMN_GAP, MARGIN = 34, 24, 12
LEGEND_ROW = 16


def node_layers(nodes: Sequence[str], edges: Sequence[Tuple[str, str]]) -> Dict[str, int]:
    """Each node's layer: the length of the longest edge path that reaches it."""
    layer = {node: 0 for node in nodes}
    for _ in nodes:  # longest paths settle within len(nodes) rounds in a DAG
        for source, target in edges:
            if source in layer and target in layer:
                layer[target] = max(layer[target], layer[source] + 1)
    return layer


def dag(nodes: Sequence[Tuple[str, str, float]], edges: Sequence[Tuple[str, str]]) -> str:
    """Boxes for (node, state, seconds), coloured by state, top to bottom along `edges`.

    Top to bottom, a layer per row, keeps a ten-node pipeline within a page's width.
    """
    names = [name for name, _, _ in nodes]
    layer = node_layers(names, edges)
    members: Dict[int, List[str]] = {}
    for name in names:
        members.setdefault(layer[name], []).append(name)
    widest = max((len(row) for row in members.values()), default=1)
    width = MARGIN * 2 + widest * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP
    height = MARGIN * 2 + (max(layer.values(), default=0) + 1) * (NODE_HEIGHT + LAYER_GAP) - LAYER_GAP
    position: Dict[str, Tuple[float, float]] = {}
    for row, row_names in members.items():
        indent = (width - len(row_names) * (NODE_WIDTH + COLUMN_GAP) + COLUMN_GAP) / 2  # centred
        for column, name in enumerate(row_names):
            position[name] = (indent + column * (NODE_WIDTH + COLUMN_GAP), MARGIN + row * (NODE_HEIGHT + LAYER_GAP))
    parts = [
        f'<svg class="dag" role="img" aria-label="pipeline DAG" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#888"/></marker></defs>',
    ]
    for source, target in edges:
        if source not in position or target not in position:
            continue
        (x1, y1), (x2, y2) = position[source], position[target]
        x1, y1, x2 = x1 + NODE_WIDTH / 2, y1 + NODE_HEIGHT, x2 + NODE_WIDTH / 2
        middle = (y1 + y2) / 2
        parts.append(
            f'<path d="M {x1:.1f} {y1} C {x1:.1f} {middle}, {x2:.1f} {middle}, {x2:.1f} {y2}" fill="none" '
            'stroke="#888" stroke-width="1.5" marker-end="url(#arrow)"/>'
        )
    for name, state, seconds in nodes:
        x, y = position[name]
        colour = STATE_COLOURS.get(state, STATE_COLOURS["UNKNOWN"])
        parts.append(
            f'<g class="node" data-state="{html.escape(state)}"><title>{html.escape(name)}: {html.escape(state)}, '
            f'{seconds:.1f} s</title><rect x="{x:.1f}" y="{y}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="7" '
            f'fill="{colour}"/><text x="{x + 10:.1f}" y="{y + 18}" class="name">{html.escape(_fit(name))}</text>'
            f'<text x="{x + 10:.1f}" y="{y + 35}" class="state">{html.escape(state)} · {seconds:.1f} s</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _fit(name: str, characters: int = 24) -> str:
    """A node id short enough for its box (`latest_blessed_model_resolver` is 29 characters)."""
    return name if len(name) <= characters else name[: characters - 1] + "…"


def _nice_range(low: float, high: float) -> Tuple[float, float]:
    if low == high:
        return low - 0.5, high + 0.5
    pad = (high - low) * 0.05
    return low - pad, high + pad


def line_chart(
    series: Dict[str, List[Tuple[float, float]]], title: str, x_label: str, width: int = 420, height: int = 270
) -> str:
    """Lines of (x, y) points with axes, five y ticks and a legend; the title names the metric."""
    points = [point for line in series.values() for point in line]
    if not points:
        return ""
    left, right, top = 56, 12, 28
    bottom = 38 + LEGEND_ROW * len(series)  # the legend sits under the x axis, clear of the lines
    x_low, x_high = min(p[0] for p in points), max(p[0] for p in points)
    if x_low == x_high:
        x_low, x_high = x_low - 1, x_high + 1
    y_low, y_high = _nice_range(min(p[1] for p in points), max(p[1] for p in points))

    def x_of(value: float) -> float:
        return left + (value - x_low) / (x_high - x_low) * (width - left - right)

    def y_of(value: float) -> float:
        return top + (y_high - value) / (y_high - y_low) * (height - top - bottom)

    parts = [
        f'<svg class="chart" role="img" aria-label="{html.escape(title)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="{left}" y="16" class="title">{html.escape(title)}</text>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" class="axis"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" class="axis"/>',
        f'<text x="{(left + width - right) / 2}" y="{height - bottom + 30}" class="label" text-anchor="middle">'
        f"{html.escape(x_label)}</text>",
    ]
    for tick in range(5):
        value = y_low + (y_high - y_low) * tick / 4
        y = y_of(value)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" class="tick" text-anchor="end">{value:.3g}</text>')
    for value in (x_low, x_high):
        parts.append(
            f'<text x="{x_of(value):.1f}" y="{height - bottom + 14}" class="tick" text-anchor="middle">{value:g}</text>'
        )
    for index, (name, line) in enumerate(series.items()):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        path = " ".join(f"{x_of(x):.1f},{y_of(y):.1f}" for x, y in line)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts += [f'<circle cx="{x_of(x):.1f}" cy="{y_of(y):.1f}" r="2.5" fill="{colour}"/>' for x, y in line]
        legend_x = left
        legend_y = height - bottom + 38 + index * LEGEND_ROW
        parts.append(f'<rect x="{legend_x}" y="{legend_y}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{legend_x + 14}" y="{legend_y + 9}" class="legend">{html.escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def histogram(
    buckets: Sequence[Tuple[float, float, float]], colour: str, scale: Optional[float] = None,
    width: int = 150, height: int = 36,
) -> str:
    """Bars for (low, high, count) buckets, heights relative to `scale` (default: the tallest)."""
    if not buckets:
        return ""
    tallest = scale or max(count for _, _, count in buckets) or 1
    bar = width / len(buckets)
    parts = [
        f'<svg class="histogram" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'xmlns="http://www.w3.org/2000/svg">'
    ]
    for index, (low, high, count) in enumerate(buckets):
        bar_height = max(count / tallest * (height - 2), 1 if count else 0)
        parts.append(
            f'<rect x="{index * bar:.1f}" y="{height - bar_height:.1f}" width="{max(bar - 1, 1):.1f}" '
            f'height="{bar_height:.1f}" fill="{colour}"><title>{low:.4g} to {high:.4g}: {count:g}</title></rect>'
        )
    parts.append("</svg>")
    return "".join(parts)


def fraction_bars(values: Sequence[Tuple[str, float]], colour: str, width: int = 150) -> str:
    """Horizontal bars for (label, fraction of rows), e.g. a string feature's top values."""
    row = 14
    height = row * len(values)
    parts = [
        f'<svg class="bars" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'xmlns="http://www.w3.org/2000/svg">'
    ]
    for index, (label, fraction) in enumerate(values):
        y = index * row
        parts.append(
            f'<rect x="0" y="{y + 2}" width="{fraction * width * 0.45:.1f}" height="{row - 4}" fill="{colour}"/>'
            f'<text x="{fraction * width * 0.45 + 4:.1f}" y="{y + row - 3}" class="bar-label">'
            f"{html.escape(label)} {fraction:.0%}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
