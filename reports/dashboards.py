"""The dashboards of the home page (reads only): charts built from the registered reports' Tables.

Province staff and the department's report viewer see their province; a commune officer sees their commune's
row of the same provincial reports. Every chart takes its numbers from a report's Table (reports/registry.py)
and links to that report with the same parameters, so the chart, its data table and the report cannot
disagree. Queries: a fixed handful (one aggregate per report source, the plan in force and its progress);
none grows with records, communes or years.

The rendered dashboard is kept in the cache per unit, day and language, valid while every table its figures
were read from keeps its data version (ocop_portal.pagecache: the database bumps a table's version at each
committed write, whatever made it), so a dashboard is never stale; its "Số liệu tính đến" is the moment its
figures were read.
"""
import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.enums import Role
from accounts.selectors import user_scope
from ocop_portal.pagecache import remember
from registrations.enums import DossierStatus as S
from units.enums import Level
from units.models import AdministrativeUnit

from .charts import Chart, Series, fmt
from .enums import Grouping, PeriodKind
from .periods import Params
from .registry import Table, get_report

PROVINCE_ROLES = (Role.PROVINCE_STAFF, Role.REPORT_VIEWER)
BEHIND_SHOWN = 8  # the communes furthest behind: at most this many
SUMMARY_SHOWN = 8  # categories spelled out in a chart's <desc>

# This year's cycle: a dossier counts in every stage it has reached, by its current state. A dossier returned
# for completion counts as submitted only (it goes back through the stage it was returned from); a withdrawn one
# counts nowhere.
AFTER_FORWARDED = (S.FORWARDED, S.INTAKE, S.ACCEPTED, S.IN_ROUND, S.SCORED, S.RECOMMENDED, S.RECOGNISED,
                   S.NOT_RECOGNISED)
FUNNEL_STAGES = (
    ("submitted", (S.SUBMITTED, S.COMMUNE_REVIEW, S.RETURNED, *AFTER_FORWARDED)),
    ("forwarded", AFTER_FORWARDED),
    ("accepted", (S.ACCEPTED, S.IN_ROUND, S.SCORED, S.RECOMMENDED, S.RECOGNISED, S.NOT_RECOGNISED)),
    ("scored", (S.SCORED, S.RECOMMENDED, S.RECOGNISED, S.NOT_RECOGNISED)),
    ("recognised", (S.RECOGNISED,)),
)


@dataclass
class Dashboard:
    title: str
    subtitle: str
    charts: list
    as_of: datetime.datetime = None
    notes: list = field(default_factory=list)
    html: str = ""  # the rendered charts, tables and links (reports/_dashboard.html), kept with the figures


# --- reading a Table ----------------------------------------------------------------------------------
def table_row(table: Table, label=None) -> dict:
    """{column key: value} of the row labelled `label` (the total row when None; zeros when absent)."""
    keys = [c.key for c in table.columns]
    if label is None:
        row = table.total
    else:
        row = next((r for r in table.rows if r[0] == label), None)
        if row is None:
            return {k: 0 for k in keys[1:]}
    return dict(zip(keys, row))


def report_link(code: str, params: Params, **extra) -> str:
    query = {"province": params.province.pk, "year": params.year, "period": params.period,
             "grouping": params.grouping} | extra
    return f"{reverse('reports:report_detail', args=[code])}?{urlencode(query)}"


def _describe(chart: Chart, sentence: str) -> Chart:
    """The SVG's <desc>: what it shows, then its first categories with their values."""
    if chart.is_empty:
        chart.description = f"{sentence} {chart.empty_text}"
        return chart
    parts = []
    for category, row in list(zip(chart.categories, chart.values))[:SUMMARY_SHOWN]:
        if len(chart.series) == 1:
            parts.append(f"{category}: {fmt(row[0], chart.unit)}")
        else:
            parts.append(f"{category}: " + ", ".join(f"{s.label} {fmt(v, chart.unit)}"
                                                     for s, v in zip(chart.series, row)))
    chart.description = f"{sentence} " + "; ".join(parts) + "."
    return chart


# --- the charts ---------------------------------------------------------------------------------------
def funnel_chart(*, steps: dict, progress: dict, year: int, link: str = "") -> Chart:
    """Ideas → business plans → dossiers submitted → forwarded → accepted → scored → recognised."""
    labels = {"submitted": _("Hồ sơ đã nộp"), "forwarded": _("Đã chuyển lên tỉnh"),
              "accepted": _("Hồ sơ hợp lệ"), "scored": _("Đã chấm điểm"), "recognised": _("Được công nhận")}
    categories = [_("Ý tưởng sản phẩm"), _("Phương án kinh doanh")] + [labels[k] for k, _s in FUNNEL_STAGES]
    values = [steps.get("idea_total") or 0, steps.get("plan_total") or 0]
    values += [sum(progress.get(f"status_{s.value}") or 0 for s in states) for _key, states in FUNNEL_STAGES]
    chart = Chart(id="chart-funnel", kind="funnel", title=_("Chu trình OCOP năm %(year)s") % {"year": year},
                  description="", categories=categories, series=[Series("count", _("Số lượng"))],
                  values=[[v] for v in values], link=link, link_label=_("Xem báo cáo tiến độ hồ sơ"),
                  empty_text=_("Chưa có ý tưởng, phương án hay hồ sơ nào trong năm."),
                  notes=[_("Hồ sơ được tính ở mọi bước đã qua, theo trạng thái hiện tại; hồ sơ bị trả lại tính ở bước "
                           "nộp, hồ sơ đã rút không tính.")])
    return _describe(chart, _("Số ý tưởng, phương án và hồ sơ ở từng bước của chu trình năm %(year)s.")
                     % {"year": year})


def stars_by_group_chart(table: Table, *, link: str = "") -> Chart:
    """Products in force by product group, split by star."""
    stars = (5, 4, 3)
    rows = [r for r in table.rows if table_row(table, r[0])["active_total"]]
    keys = [c.key for c in table.columns]
    chart = Chart(id="chart-stars", kind="stacked", title=_("Sản phẩm OCOP còn hiệu lực theo hạng sao và nhóm"),
                  description="", categories=[r[0] for r in rows],
                  series=[Series(f"active_{n}", _("%(n)s sao") % {"n": n}) for n in stars],
                  values=[[r[keys.index(f"active_{n}")] for n in stars] for r in rows], link=link,
                  link_label=_("Xem báo cáo sản phẩm OCOP"), empty_text=_("Chưa có sản phẩm OCOP còn hiệu lực."))
    return _describe(chart, _("Số sản phẩm có giấy chứng nhận còn hiệu lực, theo nhóm sản phẩm và hạng sao."))


def stars_chart(values: dict, *, link: str = "", link_label: str = "") -> Chart:
    """Products in force by star (one unit's row of the OCOP products report)."""
    stars = (5, 4, 3)
    chart = Chart(id="chart-stars", kind="bar", title=_("Sản phẩm OCOP còn hiệu lực theo hạng sao"), description="",
                  categories=[_("%(n)s sao") % {"n": n} for n in stars], series=[Series("active", _("Số sản phẩm"))],
                  values=[[values.get(f"active_{n}") or 0] for n in stars], link=link, link_label=link_label,
                  empty_text=_("Chưa có sản phẩm OCOP còn hiệu lực."))
    return _describe(chart, _("Số sản phẩm có giấy chứng nhận còn hiệu lực theo hạng sao."))


def recognitions_chart(table: Table, *, link: str = "") -> Chart:
    keys = [c.key for c in table.columns]
    shown = ("issued", "new", "upgraded", "re_recognised")
    labels = {c.key: c.label for c in table.columns}
    chart = Chart(id="chart-recognitions", kind="line", title=_("Sản phẩm được công nhận qua các năm"),
                  description="", categories=[r[0] for r in table.rows],
                  series=[Series(k, labels[k]) for k in shown],
                  values=[[r[keys.index(k)] for k in shown] for r in table.rows], link=link,
                  link_label=_("Xem báo cáo công nhận theo năm"), empty_text=_("Chưa có giấy chứng nhận nào."),
                  notes=list(table.notes))
    return _describe(chart, _("Số giấy chứng nhận OCOP cấp mỗi năm theo ngày quyết định, kể cả giấy chứng nhận cấp "
                              "trước đây."))


def expiring_chart(table: Table, *, link: str = "") -> Chart:
    keys = [c.key for c in table.columns]
    shown = ("filed", "window_open", "window_missed")
    labels = {c.key: c.label for c in table.columns}
    chart = Chart(id="chart-expiring", kind="stacked", title=_("Giấy chứng nhận hết hạn trong 6 tháng tới"),
                  description="", categories=[r[0] for r in table.rows],
                  series=[Series(k, labels[k]) for k in shown],
                  values=[[r[keys.index(k)] for k in shown] for r in table.rows], link=link,
                  link_label=_("Xem báo cáo giấy chứng nhận sắp hết hạn"),
                  empty_text=_("Không có giấy chứng nhận nào hết hạn trong 6 tháng tới."), notes=list(table.notes))
    return _describe(chart, _("Số giấy chứng nhận hết hạn mỗi tháng, theo tình trạng nộp hồ sơ đánh giá lại."))


def plan_chart(table: Table, *, area: str, year: int, link: str = "") -> Chart:
    """Per indicator, % of this year's target (or of the whole period's, when the plan sets none for the year)."""
    from plans.indicators import all_indicators

    indicators = {str(i.label) for i in all_indicators()}
    year_label = _("Năm %(y)s") % {"y": year}
    chosen: dict = {}
    for item, _unit, where, period, planned, _actual, rate, _basis in table.rows:
        if item not in indicators or where != area or planned == "":
            continue
        if period == year_label or item not in chosen:
            chosen[item] = (f"{item} ({period})", rate)
    chart = Chart(id="chart-plan", kind="bar", title=_("Thực hiện kế hoạch theo chỉ tiêu"), description="",
                  categories=[label for label, _rate in chosen.values()],
                  series=[Series("rate", _("Tỷ lệ so với kế hoạch (%)"))],
                  values=[[rate] for _label, rate in chosen.values()], unit="%", reference=100,
                  reference_label=_("Đạt kế hoạch"), link=link, link_label=_("Xem báo cáo thực hiện kế hoạch"),
                  empty_text=_("Chưa có kế hoạch đang thực hiện có chỉ tiêu năm nay."), notes=table.notes[:1])
    return _describe(chart, _("Tỷ lệ thực hiện so với chỉ tiêu của kế hoạch (%)."))


def behind_chart(table: Table, *, link: str = "") -> Chart:
    """The communes with the most dossiers past the commune's 15 working days."""
    keys = [c.key for c in table.columns]
    overdue = keys.index("overdue")
    rows = sorted((r for r in table.rows if r[overdue]), key=lambda r: (-r[overdue], str(r[0])))[:BEHIND_SHOWN]
    chart = Chart(id="chart-behind", kind="bar", title=_("Xã, phường chậm nhất: hồ sơ quá hạn đánh giá cấp xã"),
                  description="", categories=[r[0] for r in rows], series=[Series("overdue", _("Hồ sơ quá hạn"))],
                  values=[[r[overdue]] for r in rows], link=link, link_label=_("Xem tiến độ hồ sơ theo xã, phường"),
                  empty_text=_("Không có xã, phường nào có hồ sơ quá hạn đánh giá."))
    return _describe(chart, _("Các xã, phường có nhiều hồ sơ quá hạn đánh giá cấp xã (15 ngày làm việc) nhất."))


# --- the dashboards -----------------------------------------------------------------------------------
def _plan_in_force(province, year: int):
    from plans.enums import PlanStatus
    from plans.models import Plan

    return (Plan.objects.filter(issuing_unit=province, status=PlanStatus.IN_FORCE, year_from__lte=year,
                                year_to__gte=year)
            .select_related("issuing_unit", "issuing_unit__province").order_by("-year_from", "-pk").first())


def province_dashboard(province: AdministrativeUnit, *, today: datetime.date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    year = today.year
    as_of = timezone.now()
    by_commune = Params(province=province, year=year, grouping=Grouping.CURRENT_COMMUNE)
    whole = Params(province=province, year=year, grouping=Grouping.NONE)
    by_group = Params(province=province, year=year, grouping=Grouping.PRODUCT_GROUP)
    progress = get_report("dossier_progress").rows(by_commune)
    steps = get_report("support_steps").rows(whole)
    products = get_report("ocop_products").rows(by_group)
    history = get_report("recognitions_by_year").rows(whole)
    expiring = get_report("expiring_certificates").rows(whole)
    charts = [
        funnel_chart(steps=table_row(steps), progress=table_row(progress), year=year,
                     link=report_link("dossier_progress", whole)),
        stars_by_group_chart(products, link=report_link("ocop_products", by_group)),
        recognitions_chart(history, link=report_link("recognitions_by_year", whole)),
        expiring_chart(expiring, link=report_link("expiring_certificates", whole)),
    ]
    plan = _plan_in_force(province, year)
    if plan is not None:
        from plans.selectors import unit_label

        table = get_report("plan_progress").rows(Params(province=province, year=plan.year_from, grouping=Grouping.NONE,
                                                        plan=plan))
        link = f"{reverse('reports:report_detail', args=['plan_progress'])}?{urlencode({'plan': plan.pk})}"
        charts.append(plan_chart(table, area=unit_label(province), year=year, link=link))
    charts.append(behind_chart(progress, link=report_link("dossier_progress", by_commune)))
    return Dashboard(title=_("Tổng quan OCOP"), subtitle=str(province), charts=charts, as_of=as_of)


def commune_dashboard(commune: AdministrativeUnit, *, today: datetime.date | None = None) -> Dashboard:
    """The commune's row of the provincial reports (grouped by current commune, legacy communes rolled in)."""
    today = today or timezone.localdate()
    year = today.year
    as_of = timezone.now()
    params = Params(province=commune.province, year=year, grouping=Grouping.CURRENT_COMMUNE)
    progress = table_row(get_report("dossier_progress").rows(params), commune.name)
    steps = table_row(get_report("support_steps").rows(params), commune.name)
    products = table_row(get_report("ocop_products").rows(params), commune.name)
    funnel = funnel_chart(steps=steps, progress=progress, year=year,
                          link=reverse("registrations:dossier_list"))
    funnel.link_label = _("Xem danh sách hồ sơ")
    charts = [funnel, stars_chart(products, link=reverse("products:certificate_list"),
                                  link_label=_("Xem danh sách giấy chứng nhận"))]
    return Dashboard(title=_("Tổng quan OCOP của xã"), subtitle=commune.name, charts=charts, as_of=as_of)


# --- the cache ---------------------------------------------------------------------------------------------


def _cached(kind: str, unit, build) -> Dashboard:
    """The dashboard of a unit, computed once per version of the tables it reads (ocop_portal.pagecache): the
    same for every user of the unit. Rendered once (the fragment holds nothing of the user: no token, no
    name); only the rendered page is kept, so a cache hit unpickles one string."""
    today = timezone.localdate()

    def compute() -> Dashboard:
        built = build(unit, today=today)
        return Dashboard(title=built.title, subtitle=built.subtitle, charts=[], as_of=built.as_of,
                         html=render_to_string("reports/_dashboard.html", {"dashboard": built}))

    return remember(f"dashboard:{kind}:{unit.pk}:{today.isoformat()}:{get_language()}", compute)


def dashboard_for(user) -> Dashboard | None:
    """The dashboard of the user's first province (province staff, report viewer), else of their commune
    (commune officer); None for other roles."""
    scope = user_scope(user)
    provinces = scope.unit_ids(*PROVINCE_ROLES)
    if provinces:
        province = AdministrativeUnit.objects.filter(pk__in=provinces, level=Level.PROVINCE).order_by("name").first()
        if province is not None:
            return _cached("province", province, province_dashboard)
    communes = scope.unit_ids(Role.COMMUNE_OFFICER)
    if communes:
        commune = (AdministrativeUnit.objects.filter(pk__in=communes, level=Level.COMMUNE, valid_to__isnull=True)
                   .select_related("province").order_by("name").first())
        if commune is not None and commune.province is not None:
            return _cached("commune", commune, commune_dashboard)
    return None
