"""The SVG charts: valid XML, an accessible name, every mark's exact value in data-value, no inline style."""
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from reports.charts import Chart, Series, fmt, render

NS = {"svg": "http://www.w3.org/2000/svg"}


def chart(kind, values, series=("a",), **kw):
    return Chart(id="c1", kind=kind, title="Tiêu đề <&>", description="Mô tả", categories=[f"Xã {i}" for i in range(len(values))],
                 series=[Series(s, s.upper()) for s in series], values=values, **kw)


def parse(c):
    return ET.fromstring(str(render(c)))


def marks(root):
    return [(m.get("data-category"), m.get("data-series"), m.get("data-value"))
            for m in root.iter() if m.get("data-value") is not None]


@pytest.mark.parametrize("kind", ["bar", "stacked", "funnel", "line"])
def test_every_kind_is_an_accessible_image_without_inline_style(kind):
    root = parse(chart(kind, [[3, 1], [0, 2]], series=("a", "b")))
    assert root.get("role") == "img"
    title, desc = root.find("svg:title", NS), root.find("svg:desc", NS)
    assert title.text == "Tiêu đề <&>" and desc.text == "Mô tả"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert root.get("viewBox").startswith("0 0 400 ")
    svg = str(render(chart(kind, [[3, 1], [0, 2]], series=("a", "b"))))
    assert "style" not in svg and "<script" not in svg


def test_stacked_marks_carry_every_value_and_widths_add_up():
    root = parse(chart("stacked", [[3, 1], [0, 2]], series=("a", "b")))
    assert marks(root) == [("Xã 0", "a", "3"), ("Xã 0", "b", "1"), ("Xã 1", "a", "0"), ("Xã 1", "b", "2")]
    bars = [m for m in root.iter("{http://www.w3.org/2000/svg}rect") if m.get("data-value")]
    # 4 units of the largest total take the whole span; 1 unit is a quarter of it
    assert float(bars[0].get("width")) == pytest.approx(3 * float(bars[1].get("width")))
    assert float(bars[1].get("x")) == pytest.approx(float(bars[0].get("width")))


def test_bar_keeps_decimal_values_exact_and_draws_the_reference_line():
    root = parse(chart("bar", [[Decimal("45.5")], [None], [Decimal("120.0")]], unit="%", reference=100,
                       reference_label="100%"))
    assert marks(root) == [("Xã 0", "a", "45.5"), ("Xã 1", "a", ""), ("Xã 2", "a", "120")]
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts[:2] == ["Xã 0", "45,5%"] and "—" in texts
    lines = root.findall("svg:line", NS)
    assert [line.get("class") for line in lines] == ["chart-reference"] * 3
    assert {line.get("x1") for line in lines} == {_x_of_100(root)}


def _x_of_100(root):
    """The bar of 120 spans the whole width (344); 100 sits at 100/120 of it."""
    bars = [m for m in root.iter("{http://www.w3.org/2000/svg}rect") if m.get("data-value") is not None]
    return f"{float(bars[2].get('width')) * 100 / 120:.1f}".rstrip("0").rstrip(".")


def test_funnel_bars_are_centred_and_shrink_with_the_count():
    root = parse(chart("funnel", [[10], [5], [0]]))
    bars = [m for m in root.iter("{http://www.w3.org/2000/svg}rect") if m.get("data-value")]
    widths = [float(b.get("width")) for b in bars]
    assert widths[0] == 400 and widths[1] == 200 and widths[2] == 2  # a zero stage stays visible as a sliver
    assert [float(b.get("x")) + float(b.get("width")) / 2 for b in bars] == [200, 200, 200]


def test_line_puts_one_dot_per_point_and_a_polyline_per_series():
    root = parse(chart("line", [[1, 0], [4, 2], [2, 2]], series=("issued", "new")))
    assert len(root.findall("svg:polyline", NS)) == 2
    assert [v for _c, s, v in marks(root) if s == "issued"] == ["1", "4", "2"]
    dots = [m for m in root.iter("{http://www.w3.org/2000/svg}circle")]
    # the higher the value, the higher the dot (smaller y)
    assert float(dots[2].get("cy")) < float(dots[0].get("cy"))


def test_labels_are_escaped():
    c = chart("bar", [[1]])
    c.categories = ['<script>alert("x")</script>']
    svg = str(render(c))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    ET.fromstring(svg)


def test_vietnamese_number_format():
    assert (fmt(1234567), fmt(Decimal("45.5"), "%"), fmt(None), fmt(Decimal("100.0"))) == ("1.234.567", "45,5%", "—", "100")


def test_table_alternative_has_a_total_for_a_stacked_chart():
    c = chart("stacked", [[3, 1], [0, 2]], series=("a", "b"))
    assert c.table_headers == ["A", "B", "Tổng"]
    assert c.table_rows == [["Xã 0", "3", "1", "4"], ["Xã 1", "0", "2", "2"]]
