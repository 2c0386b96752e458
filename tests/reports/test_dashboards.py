"""The home-page dashboards: each chart's numbers (the SVG's data-value) equal the matching report's Table, every
chart is an accessible image with a data table and a drill-down link, and the page's queries do not grow."""
import datetime
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.test.utils import CaptureQueriesContext
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from products.enums import CertificateStatus
from reports.dashboards import FUNNEL_STAGES
from reports.enums import Grouping
from reports.periods import Params
from reports.registry import get_report
from tests.factories import CommuneFactory, user_with_role

from .factories import certificate, every_state

SVG = "{http://www.w3.org/2000/svg}"


def charts_of(html: str) -> dict:
    """{chart id: [(category, series, value)]} read from the page's inline SVGs."""
    out = {}
    for svg in re.findall(r"<svg .*?</svg>", html, flags=re.S):
        root = ET.fromstring(svg)
        out[root.get("id").removesuffix("-svg")] = [
            (m.get("data-category"), m.get("data-series"), m.get("data-value")) for m in root.iter()
            if m.get("data-value") is not None]
    return out


def values(marks, series=None) -> dict:
    return {c: v for c, s, v in marks if series is None or s == series}


def table(world, code, grouping=Grouping.NONE, **kw):
    return get_report(code).rows(Params(province=world.province, year=timezone.localdate().year, grouping=grouping,
                                        **kw))


def keyed(t) -> dict:
    keys = [c.key for c in t.columns]
    out = {row[0]: dict(zip(keys, row)) for row in t.rows}
    out["__total__"] = dict(zip(keys, t.total)) if t.total else {}
    return out


def n(v) -> str:
    return "" if v is None else (str(int(v)) if Decimal(v) == int(v) else f"{Decimal(v).normalize():f}")


@pytest.fixture
def rich(world):
    """The small world with a record in every state this year, legacy certificates of earlier years, and a
    certificate in its renewal window with a re-evaluation filed."""
    every_state(world)
    today = timezone.localdate()
    certificate(world, world.hoa_nghia, 4, issued_on=datetime.date(2019, 5, 20),
                status=CertificateStatus.EXPIRED, ended_on=datetime.date(2022, 5, 20))
    certificate(world, world.my_an, 3, issued_on=datetime.date(2021, 3, 2),
                status=CertificateStatus.EXPIRED, ended_on=datetime.date(2024, 3, 2))
    filed = certificate(world, world.b, 5, issued_on=today - datetime.timedelta(days=1095 - 150))
    type(filed).objects.filter(pk=filed.pk).update(reevaluation_dossier=world.d_four,
                                                  grace_until=filed.valid_until + datetime.timedelta(days=180))
    return world


def test_every_province_chart_equals_its_report(client, rich):
    world = rich
    client.force_login(world.viewer)
    html = client.get(reverse("home")).content.decode()
    charts = charts_of(html)
    assert set(charts) == {"chart-funnel", "chart-stars", "chart-recognitions", "chart-expiring", "chart-plan",
                           "chart-behind"}

    # Funnel: ideas and plans from the support steps report, the dossier stages from the progress report.
    steps = keyed(table(world, "support_steps"))["__total__"]
    progress = keyed(table(world, "dossier_progress"))["Toàn tỉnh"]
    expected = [steps["idea_total"], steps["plan_total"]]
    expected += [sum(progress[f"status_{s.value}"] for s in states) for _k, states in FUNNEL_STAGES]
    assert [v for _c, _s, v in charts["chart-funnel"]] == [n(v) for v in expected]
    assert expected[2] == progress["total"] - progress["status_draft"] - progress["status_withdrawn"]

    # Stars by product group = the OCOP products report by product group.
    products = keyed(table(world, "ocop_products", Grouping.PRODUCT_GROUP))
    for star in (5, 4, 3):
        assert values(charts["chart-stars"], f"active_{star}") == {
            group: n(row[f"active_{star}"]) for group, row in products.items() if group != "__total__"}

    # Recognitions per year = the report, and each year = the OCOP products report's issued of that year.
    history = keyed(table(world, "recognitions_by_year"))
    for key in ("issued", "new", "upgraded", "re_recognised"):
        assert values(charts["chart-recognitions"], key) == {
            year: n(row[key]) for year, row in history.items() if year != "__total__"}
    assert {"2019", "2020", "2021", str(timezone.localdate().year)} <= set(values(charts["chart-recognitions"]))
    assert values(charts["chart-recognitions"], "issued")["2020"] == "0"  # a year without recognitions stays on the line
    for year in ("2019", "2021", str(timezone.localdate().year)):
        yearly = keyed(get_report("ocop_products").rows(Params(province=world.province, year=int(year),
                                                               grouping=Grouping.NONE)))["Toàn tỉnh"]
        assert (history[year]["issued"], history[year]["new"], history[year]["upgraded"]) == (
            yearly["issued"], yearly["new"], yearly["upgraded"])

    # Expiring certificates = the report, whose total is the OCOP products report's "expiring".
    expiring = keyed(table(world, "expiring_certificates"))
    for key in ("filed", "window_open", "window_missed"):
        assert values(charts["chart-expiring"], key) == {
            month: n(row[key]) for month, row in expiring.items() if month != "__total__"}
    assert expiring["__total__"]["total"] == keyed(table(world, "ocop_products"))["Toàn tỉnh"]["expiring"] == 4
    assert (expiring["__total__"]["filed"], expiring["__total__"]["window_missed"]) == (1, 3)

    # Plan fulfilment = the rate column of the plan progress report (the plan's own unit).
    plan = keyed(get_report("plan_progress").rows(Params(province=world.province, year=2026, plan=world.plan)))
    shown = values(charts["chart-plan"])
    assert shown and all(shown[label] == n(plan[label.rsplit(" (", 1)[0]]["rate"]) for label in shown)

    # The communes furthest behind = the overdue column of the progress report by current commune.
    by_commune = keyed(table(world, "dossier_progress", Grouping.CURRENT_COMMUNE))
    assert values(charts["chart-behind"]) == {
        commune: n(row["overdue"]) for commune, row in by_commune.items() if commune != "__total__" and row["overdue"]}


def test_each_chart_has_a_title_a_data_table_and_a_drill_down_link_to_its_report(client, rich):
    client.force_login(rich.viewer)
    html = client.get(reverse("home")).content.decode()
    for chart_id, code in [("chart-funnel", "dossier_progress"), ("chart-stars", "ocop_products"),
                           ("chart-recognitions", "recognitions_by_year"), ("chart-expiring", "expiring_certificates"),
                           ("chart-plan", "plan_progress"), ("chart-behind", "dossier_progress")]:
        figure = re.search(rf'<figure [^>]*id="{chart_id}".*?</figure>', html, flags=re.S).group(0)
        svg = ET.fromstring(re.search(r"<svg .*?</svg>", figure, flags=re.S).group(0))
        assert svg.get("role") == "img" and svg.find(f"{SVG}title").text and svg.find(f"{SVG}desc").text
        assert "<details" in figure and "<table" in figure and 'role="region"' in figure
        link = re.search(r'<a class="chart-link" href="([^"]+)"', figure).group(1).replace("&amp;", "&")
        assert link.startswith(reverse("reports:report_detail", args=[code]))
        assert client.get(link).status_code == 200
    # The report behind the funnel, opened from its link, shows the same total.
    link = re.search(r'id="chart-funnel".*?class="chart-link" href="([^"]+)"', html, flags=re.S).group(1)
    page = client.get(link.replace("&amp;", "&")).content.decode()
    total = keyed(table(rich, "dossier_progress"))["__total__"]["total"]
    assert re.search(r'id="report-total">(.*?)</tr>', page, flags=re.S).group(1).count(f">{total}<") >= 1


def test_the_data_table_says_the_same_numbers_as_the_chart(client, rich):
    client.force_login(rich.staff)
    html = client.get(reverse("home")).content.decode()
    figure = re.search(r'<figure [^>]*id="chart-stars".*?</figure>', html, flags=re.S).group(0)
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', figure, flags=re.S)
    chart = charts_of(figure)["chart-stars"]
    for group, cells in rows:
        numbers = re.findall(r'<td class="text-end">(.*?)</td>', cells)
        assert numbers[:3] == [v for c, _s, v in chart if c == group]


def test_a_commune_officer_sees_the_row_of_their_commune(client, rich):
    client.force_login(rich.officer)
    html = client.get(reverse("home")).content.decode()
    charts = charts_of(html)
    assert set(charts) == {"chart-funnel", "chart-stars"}
    row = keyed(table(rich, "dossier_progress", Grouping.CURRENT_COMMUNE))["Xã Chợ Lách"]
    steps = keyed(table(rich, "support_steps", Grouping.CURRENT_COMMUNE))["Xã Chợ Lách"]
    expected = [steps["idea_total"], steps["plan_total"]]
    expected += [sum(row[f"status_{s.value}"] for s in states) for _k, states in FUNNEL_STAGES]
    assert [v for _c, _s, v in charts["chart-funnel"]] == [n(v) for v in expected]
    products = keyed(table(rich, "ocop_products", Grouping.CURRENT_COMMUNE))["Xã Chợ Lách"]
    assert [v for _c, _s, v in charts["chart-stars"]] == [n(products[f"active_{s}"]) for s in (5, 4, 3)]
    assert reverse("reports:report_list") not in re.search(r'id="dashboard".*?</section>', html, flags=re.S).group(0)


def test_other_roles_keep_the_plain_to_do_list(client, world):
    producer = user_with_role(Role.PRODUCER, world.a, username="chuthe")
    client.force_login(producer)
    html = client.get(reverse("home")).content.decode()
    assert "<svg" not in html and 'id="dashboard"' not in html and "Việc cần làm tiếp theo" in html


def test_the_to_do_list_stays_beside_the_charts(client, world):
    client.force_login(world.viewer)
    html = client.get(reverse("home")).content.decode()
    assert 'id="dashboard"' in html and ('id="todo-list"' in html or 'id="todo-empty"' in html)
    assert "Xem tiến độ hồ sơ OCOP của tỉnh" in html


def test_another_provinces_records_do_not_reach_the_dashboard(client, world):
    client.force_login(world.other_viewer)
    charts = charts_of(client.get(reverse("home")).content.decode())
    funnel = [v for _c, _s, v in charts["chart-funnel"]]
    # Đồng Tháp: 1 idea, no business plan, 2 dossiers (a draft and a recommended one)
    assert funnel == ["1", "0", "1", "1", "1", "1", "0"]


def _home_queries(client, *, cached=False) -> int:
    if not cached:
        cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("home")).status_code == 200
    return len(ctx)


def test_dashboard_queries_do_not_grow_with_records_communes_or_years(client, world):
    certificate(world, world.a, 3, issued_on=timezone.localdate() - datetime.timedelta(days=10))  # one of each chart
    client.force_login(world.viewer)
    _home_queries(client)
    few = _home_queries(client)
    every_state(world)
    for i in range(6):
        commune = CommuneFactory(parent=world.province, name=f"Xã Mới {i}", code=f"2950{i}")
        certificate(world, commune, 3 + i % 3, issued_on=datetime.date(2015 + i, 6, 1),
                    status=CertificateStatus.EXPIRED, ended_on=datetime.date(2018 + i, 6, 1))
    assert _home_queries(client) == few
    assert few <= 30
    # Once read, the figures come from the cache: the page costs the to-do list, the scope and the data version.
    assert _home_queries(client, cached=True) <= few - 15


def test_a_change_through_the_portal_shows_at_once(client, world):
    """The cached figures are keyed on the data version: a certificate expired by its service (which writes
    the activity log) leaves the chart at once, with no wait."""
    from products.services import certificate_transition

    cert = certificate(world, world.a, 4, issued_on=timezone.localdate() - datetime.timedelta(days=10))
    client.force_login(world.viewer)
    before = charts_of(client.get(reverse("home")).content.decode())["chart-stars"]
    assert values(before, "active_4") == {"I. Thực phẩm": "1"}
    assert charts_of(client.get(reverse("home")).content.decode())["chart-stars"] == before  # from the cache
    certificate_transition(certificate=cert, to=CertificateStatus.EXPIRED, by=world.staff)
    after = client.get(reverse("home")).content.decode()
    assert "chart-stars-svg" not in after and "Chưa có sản phẩm OCOP còn hiệu lực." in after


def test_the_home_page_opens_when_the_cache_is_down(client, world, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}  # nothing listens there
    client.force_login(world.viewer)
    html = client.get(reverse("home")).content.decode()
    assert set(charts_of(html)) >= {"chart-funnel", "chart-plan"} and "Việc cần làm tiếp theo" in html
