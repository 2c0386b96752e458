"""Charts as inline SVG rendered on the server (no JavaScript, prints, works offline, strict CSP).

A chart is built from numbers a report's Table already holds (reports/dashboards.py), so a chart and its
report cannot disagree. Every mark carries `data-category`, `data-series` and `data-value` (the exact number),
a <title> for a pointer's tooltip, and the SVG has role="img" with <title>/<desc> named by aria-labelledby.
Colours, fonts and sizes come from classes in static/css/charts.css (no style attributes). The viewBox keeps
the proportions and the SVG scales to the width of its container, down to a 390 px phone: bars are
horizontal and each label stands on its own line above its bar, so long Vietnamese names need no truncation.

Four kinds: `bar` (one series, horizontal), `stacked` (several series in one horizontal bar per category),
`funnel` (centred bars narrowing stage by stage) and `line` (several series over ordered categories, e.g. years).
"""
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH = 400  # viewBox width; the SVG is drawn at 100% of its container
ROW = 40  # one category: its label line and its bar
BAR = 16
LABEL_GAP = 14  # from the top of a row to the label's baseline
VALUE_SPACE = 56  # room kept right of the longest bar for its value
SERIES_CLASSES = 8  # charts.css defines .s0 … .s7


@dataclass(frozen=True)
class Series:
    key: str
    label: str


@dataclass
class Chart:
    """What a chart shows; `values[i][j]` is category i of series j (an int or Decimal, None when unknown)."""

    id: str
    kind: str  # "bar" | "stacked" | "funnel" | "line"
    title: str
    description: str
    categories: list
    series: list
    values: list
    unit: str = ""  # appended to shown values, e.g. "%"
    reference: Decimal | None = None  # a reference line (e.g. 100 % of the target) on a bar chart
    reference_label: str = ""
    link: str = ""  # the report that drills down
    link_label: str = ""
    empty_text: str = ""
    notes: list = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(v for row in self.values for v in row)

    @property
    def svg(self):
        return render(self)

    @property
    def table_rows(self) -> list:
        """The data table alternative: [category, shown value per series (+ the total for a stacked chart)]."""
        rows = []
        for category, row in zip(self.categories, self.values):
            shown = [fmt(v, self.unit) for v in row]
            if self.kind == "stacked":
                shown.append(fmt(sum(v or 0 for v in row), self.unit))
            rows.append([category, *shown])
        return rows

    @property
    def table_headers(self) -> list:
        headers = [s.label for s in self.series]
        return headers + ([_total_label()] if self.kind == "stacked" else [])


def _total_label() -> str:
    from django.utils.translation import gettext as _

    return _("Tổng")


def fmt(value, unit: str = "") -> str:
    """Vietnamese numbers: 1.234 for counts, 45,5 for a decimal; "—" when unknown."""
    if value is None:
        return "—"
    if isinstance(value, Decimal) and value != value.to_integral_value():
        whole, _dot, frac = f"{value:.1f}".partition(".")
        text = f"{int(whole):,}".replace(",", ".") + "," + frac
    else:
        text = f"{int(value):,}".replace(",", ".")
    return f"{text}{unit}"


def data_value(value) -> str:
    """The exact number in data-value (machine-readable: a dot for decimals, empty when unknown)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else f"{value.normalize():f}"
    return str(value)


def _n(x) -> str:
    """A coordinate with at most one decimal."""
    return f"{float(x):.1f}".rstrip("0").rstrip(".")


def _mark(tag: str, cls: str, chart: Chart, i: int, j: int, value, **attrs) -> str:
    category, series = chart.categories[i], chart.series[j]
    attributes = " ".join(f'{k.replace("_", "-")}="{_n(v) if isinstance(v, (int, float, Decimal)) else escape(v)}"'
                          for k, v in attrs.items())
    tip = f"{category} — {series.label}: {fmt(value, chart.unit)}" if len(chart.series) > 1 else \
        f"{category}: {fmt(value, chart.unit)}"
    return (f'<{tag} class="{cls}" data-category="{escape(category)}" data-series="{escape(series.key)}" '
            f'data-value="{data_value(value)}" {attributes}><title>{escape(tip)}</title></{tag}>')


def _open(chart: Chart, height: float) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{chart.kind}" id="{escape(chart.id)}-svg" '
            f'viewBox="0 0 {WIDTH} {_n(height)}" role="img" preserveAspectRatio="xMinYMin meet" '
            f'aria-labelledby="{escape(chart.id)}-svg-title {escape(chart.id)}-svg-desc">'
            f'<title id="{escape(chart.id)}-svg-title">{escape(chart.title)}</title>'
            f'<desc id="{escape(chart.id)}-svg-desc">{escape(chart.description)}</desc>')


def _legend(chart: Chart, y: float) -> tuple[str, float]:
    """One legend line per two series (a phone is narrow). Returns the markup and the height used."""
    if len(chart.series) < 2:
        return "", 0
    parts = []
    for j, series in enumerate(chart.series):
        row, col = divmod(j, 2)
        x, top = col * WIDTH / 2, y + row * 18
        parts.append(f'<rect class="chart-swatch s{j % SERIES_CLASSES}" x="{_n(x)}" y="{_n(top)}" width="10" '
                     f'height="10"/><text class="chart-legend" x="{_n(x + 14)}" y="{_n(top + 9)}">{escape(series.label)}</text>')
    height = ((len(chart.series) + 1) // 2) * 18 + 6
    return "".join(parts), height


def _scale_max(chart: Chart, totals: list) -> float:
    biggest = max([float(t or 0) for t in totals] + [float(chart.reference or 0), 0])
    return biggest or 1.0


def bar_svg(chart: Chart):
    """One horizontal bar per category (series 0), its value at the end of the bar, an optional reference line."""
    values = [row[0] if row else None for row in chart.values]
    top = 4
    height = top + ROW * len(chart.categories) + (16 if chart.reference is not None else 4)
    span = WIDTH - VALUE_SPACE
    top_value = _scale_max(chart, values)
    out = [_open(chart, height)]
    for i, (category, value) in enumerate(zip(chart.categories, values)):
        y = top + i * ROW
        w = span * float(value or 0) / top_value
        out.append(f'<text class="chart-label" x="0" y="{_n(y + LABEL_GAP - 2)}">{escape(category)}</text>')
        out.append(_mark("rect", "chart-bar s0", chart, i, 0, value, x=0, y=y + LABEL_GAP + 2, width=max(w, 0),
                         height=BAR))
        out.append(f'<text class="chart-value" x="{_n(w + 4)}" y="{_n(y + LABEL_GAP + 14)}">'
                   f'{escape(fmt(value, chart.unit))}</text>')
    if chart.reference is not None:  # a dashed mark across each bar's lane, clear of the labels
        x = span * float(chart.reference) / top_value
        bottom = top + ROW * len(chart.categories)
        for i in range(len(chart.categories)):
            lane = top + i * ROW + LABEL_GAP
            out.append(f'<line class="chart-reference" x1="{_n(x)}" x2="{_n(x)}" y1="{_n(lane)}" '
                       f'y2="{_n(lane + BAR + 4)}"/>')
        out.append(f'<text class="chart-reference-label" x="{_n(x)}" y="{_n(bottom + 12)}" text-anchor="middle">'
                   f'{escape(chart.reference_label)}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))


def stacked_svg(chart: Chart):
    """One horizontal bar per category, split into its series; the total at the end."""
    legend, legend_height = _legend(chart, 0)
    top = legend_height + 4
    height = top + ROW * len(chart.categories) + 4
    totals = [sum(v or 0 for v in row) for row in chart.values]
    span = WIDTH - VALUE_SPACE
    top_value = _scale_max(chart, totals)
    out = [_open(chart, height), legend]
    for i, (category, row) in enumerate(zip(chart.categories, chart.values)):
        y = top + i * ROW
        out.append(f'<text class="chart-label" x="0" y="{_n(y + LABEL_GAP - 2)}">{escape(category)}</text>')
        x = 0.0
        for j, value in enumerate(row):
            w = span * float(value or 0) / top_value
            out.append(_mark("rect", f"chart-bar s{j % SERIES_CLASSES}", chart, i, j, value, x=x, y=y + LABEL_GAP + 2,
                             width=w, height=BAR))
            x += w
        out.append(f'<text class="chart-value" x="{_n(x + 4)}" y="{_n(y + LABEL_GAP + 14)}">'
                   f'{escape(fmt(totals[i], chart.unit))}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))


def funnel_svg(chart: Chart):
    """Stages as centred bars whose width is the stage's count; the label and count stand above each bar."""
    values = [row[0] if row else None for row in chart.values]
    top = 4
    height = top + ROW * len(chart.categories) + 4
    top_value = _scale_max(chart, values)
    out = [_open(chart, height)]
    for i, (category, value) in enumerate(zip(chart.categories, values)):
        y = top + i * ROW
        w = max(WIDTH * float(value or 0) / top_value, 2)
        out.append(f'<text class="chart-label" x="{WIDTH / 2:g}" y="{_n(y + LABEL_GAP - 2)}" text-anchor="middle">'
                   f'{escape(category)}: <tspan class="chart-value-strong">{escape(fmt(value, chart.unit))}</tspan>'
                   f'</text>')
        out.append(_mark("rect", f"chart-bar chart-stage s{i % SERIES_CLASSES}", chart, i, 0, value,
                         x=(WIDTH - w) / 2, y=y + LABEL_GAP + 2, width=w, height=BAR))
    out.append("</svg>")
    return mark_safe("".join(out))


def _ticks(top_value: float) -> list:
    """Up to five round gridline values from 0 to at least top_value."""
    step = 1
    for candidate in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        step = candidate
        if top_value / candidate <= 4:
            break
    n = int(-(-top_value // step)) or 1
    return [step * k for k in range(n + 1)]


def line_svg(chart: Chart):
    """Series as lines over ordered categories (years), a dot with the value on every point, gridlines."""
    legend, legend_height = _legend(chart, 0)
    left, right, bottom_space = 34, 10, 22
    plot_top = legend_height + 8
    plot_height = 160
    height = plot_top + plot_height + bottom_space
    numbers = [float(v or 0) for row in chart.values for v in row]
    ticks = _ticks(max(numbers + [1]))
    top_value = float(ticks[-1]) or 1.0
    n = len(chart.categories)
    step = (WIDTH - left - right) / max(n - 1, 1)

    def x_of(i):
        return left + (i * step if n > 1 else (WIDTH - left - right) / 2)

    def y_of(v):
        return plot_top + plot_height - plot_height * float(v or 0) / top_value

    out = [_open(chart, height), legend]
    for t in ticks:
        out.append(f'<line class="chart-grid" x1="{left}" x2="{WIDTH - right}" y1="{_n(y_of(t))}" y2="{_n(y_of(t))}"/>'
                   f'<text class="chart-axis" x="{left - 4}" y="{_n(y_of(t) + 4)}" text-anchor="end">{fmt(t)}</text>')
    every = max(1, -(-n // 8))  # at most 8 category labels on the axis
    for i, category in enumerate(chart.categories):
        if i % every == 0 or i == n - 1:
            out.append(f'<text class="chart-axis" x="{_n(x_of(i))}" y="{_n(plot_top + plot_height + 16)}" '
                       f'text-anchor="middle">{escape(category)}</text>')
    for j, _series in enumerate(chart.series):
        points = " ".join(f"{_n(x_of(i))},{_n(y_of(row[j]))}" for i, row in enumerate(chart.values))
        out.append(f'<polyline class="chart-line s{j % SERIES_CLASSES}" points="{points}"/>')
        for i, row in enumerate(chart.values):
            out.append(_mark("circle", f"chart-dot s{j % SERIES_CLASSES}", chart, i, j, row[j], cx=x_of(i),
                             cy=y_of(row[j]), r=3.5))
    out.append("</svg>")
    return mark_safe("".join(out))


RENDERERS = {"bar": bar_svg, "stacked": stacked_svg, "funnel": funnel_svg, "line": line_svg}


def render(chart: Chart):
    return RENDERERS[chart.kind](chart)
