import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.enums import Role
from reports.enums import RunStatus
from reports.models import ReportRun
from tests.factories import PASSWORD, CommuneFactory, ProvinceFactory, user_with_role
from tests.registrations.factories import DossierFactory, ProducerFactory

URL = reverse("reports:report_detail", args=["dossier_progress"])


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_report_list_shows_the_reports_and_recent_runs(client, world):
    login(client, world.viewer)
    page = client.get(reverse("reports:report_list")).content.decode()
    assert page.count('class="list-group-item list-group-item-action"') == 11
    assert "Tiến độ hồ sơ OCOP" in page and "Chưa có lần xuất báo cáo nào." in page
    from .factories import ReportRunFactory

    run = ReportRunFactory(province=world.province, code="producers")
    ReportRunFactory(province=world.province, code="producers", status=RunStatus.DONE,
                            data_as_of=datetime.datetime(2026, 12, 2, 0, 30, tzinfo=datetime.UTC))
    page = client.get(reverse("reports:report_list")).content.decode()
    assert f'<a href="/bao-cao/lan-chay/{run.pk}/">Chủ thể OCOP #{run.pk}</a>' in page
    assert page.count('<td class="run-as-of">—</td>') == 1 and '<td class="run-as-of">02/12/2026 07:30</td>' in page
    assert f'href="{reverse("reports:report_list")}">Báo cáo</a>' in client.get(reverse("home")).content.decode()


def test_report_page_previews_the_table_with_defaults(client, world):
    login(client, world.viewer)
    response = client.get(URL)
    table = response.context["table"]
    assert [r[0] for r in table.rows] == ["Xã Chợ Lách", "Xã Mỏ Cày"]
    html = response.content.decode()
    assert '<th scope="row">Xã Chợ Lách</th>' in html and 'id="report-total"' in html


def test_invalid_parameters_keep_what_was_typed_with_vietnamese_messages(client, world):
    login(client, world.viewer)
    response = client.get(URL, {"province": world.province.pk, "year": "hai nghìn", "period": "quarter", "part": "7",
                                "grouping": "current_commune"})
    form = response.context["form"]
    assert form.errors == {"year": ["Năm phải là một số, ví dụ 2026."], "part": ["Kỳ này chỉ có từ 1 đến 4."]}
    assert response.context["table"] is None
    html = response.content.decode()
    assert 'value="hai nghìn"' in html and 'value="7"' in html
    quarter = client.get(URL, {"province": world.province.pk, "year": 2026, "period": "quarter", "part": "13",
                               "grouping": "current_commune"})
    assert quarter.context["form"].errors == {"part": ["Số kỳ không quá 12."]}


def test_a_round_of_another_province_is_refused(client, world):
    from tests.evaluations.factories import RoundFactory

    far_round = RoundFactory(province=world.other_province, council__province=world.other_province)
    login(client, world.viewer)
    response = client.get(URL, {"province": world.province.pk, "year": 2026, "period": "round", "round": far_round.pk,
                                "grouping": "none"})
    assert response.context["form"].errors == {"round": ["Kỳ đánh giá không thuộc tỉnh đã chọn."]}


def test_export_creates_a_run_and_the_run_page_offers_the_download(client, world, django_capture_on_commit_callbacks):
    login(client, world.viewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"province": world.province.pk, "year": 2026, "period": "year",
                                     "grouping": "current_commune", "format": "xlsx"})
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("reports:run_detail", args=[run.pk])
    page = client.get(response.url).content.decode()
    assert 'id="run-download"' in page and "hx-trigger" not in page
    assert '<dd class="col-sm-9" id="run-period">Năm 2026</dd>' in page
    run.refresh_from_db()
    as_of = timezone.localtime(run.data_as_of)
    assert f'<p id="run-as-of">Số liệu tính đến {as_of:%d/%m/%Y %H:%M}</p>' in page
    partial = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()  # what the polling swaps in
    assert f'<p id="run-as-of">Số liệu tính đến {as_of:%d/%m/%Y %H:%M}</p>' in partial
    download = client.get(reverse("reports:run_download", args=[run.pk]))
    assert download["Content-Disposition"] == (
        f'attachment; filename="tien-do-ho-so-ocop-2026-so-lieu-den-{as_of:%Y-%m-%d-%Hh%M}-{run.pk}.xlsx"')
    ws = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert ws["A1"].value == "Tiến độ hồ sơ OCOP" and [c.value for c in ws[7]][14] == 9
    assert ws["A3"].value == f"Số liệu tính đến {as_of:%d/%m/%Y %H:%M}"


def test_a_queued_run_polls_with_htmx_and_has_a_refresh_link(client, world):
    from .factories import ReportRunFactory

    run = ReportRunFactory(province=world.province)
    login(client, world.viewer)
    page = client.get(reverse("reports:run_detail", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page and 'id="run-refresh"' in page
    partial = client.get(reverse("reports:run_detail", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert partial.templates[0].name == "reports/_run_status.html"
    assert client.get(reverse("reports:run_download", args=[run.pk])).status_code == 404


def test_a_bad_export_format_does_not_crash(client, world):
    login(client, world.viewer)
    response = client.post(URL, {"province": world.province.pk, "year": 2026, "period": "year",
                                 "grouping": "current_commune", "format": "docx"})
    assert response.status_code == 200 and ReportRun.objects.count() == 0
    assert "Định dạng xuất không hợp lệ." in response.content.decode()


def test_home_todo_for_report_viewers(client, world):
    from reports.home import report_todos

    import datetime

    titles = [t.title for t in report_todos(world.viewer, today=datetime.date(2026, 6, 20))]
    assert titles == ["Xem tiến độ hồ sơ OCOP của tỉnh", "Lập báo cáo OCOP 6 tháng đầu năm 2026"]
    assert report_todos(world.officer) == [] and report_todos(world.staff) == []


# --- query counts: the same with 1 and with 40 dossiers --------------------------------------------------
def _province_with(n):
    province = ProvinceFactory()
    communes = [CommuneFactory(parent=province) for _ in range(min(n, 8))]
    for i in range(n):
        commune = communes[i % len(communes)]
        DossierFactory(producer=ProducerFactory(commune=commune), status=["draft", "submitted", "withdrawn"][i % 3])
    return province, user_with_role(Role.REPORT_VIEWER, province)


def _count(client, user, fn):
    from django.contrib.contenttypes.models import ContentType

    client.force_login(user)
    client.get(reverse("reports:report_list"))  # warm the session
    ContentType.objects.clear_cache()  # both measurements start with the same (cold) content-type cache
    with CaptureQueriesContext(connection) as ctx:
        fn(client)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("grouping", ["current_commune", "old_province", "product_group"])
def test_report_page_issues_the_same_queries_for_1_and_40_dossiers(client, db, grouping):
    counts = []
    for n in (1, 40):
        province, user = _province_with(n)
        counts.append(_count(client, user, lambda c: c.get(URL, {"province": province.pk, "year": 2026,
                                                                 "period": "year", "grouping": grouping})))
    assert counts[0] == counts[1]


def test_export_issues_the_same_queries_for_1_and_40_dossiers(client, db, django_capture_on_commit_callbacks):
    counts = []
    for n in (1, 40):
        province, user = _province_with(n)

        def export(c):
            with django_capture_on_commit_callbacks(execute=True):
                c.post(URL, {"province": province.pk, "year": 2026, "period": "year", "grouping": "current_commune",
                             "format": "xlsx"})

        counts.append(_count(client, user, export))
    assert counts[0] == counts[1]
    assert ReportRun.objects.filter(status=RunStatus.DONE).count() == 2


@pytest.mark.parametrize("query", [
    {"province": "abc"}, {"province": "99999999999", "year": "2026"}, {"year": "-1", "period": "year"},
    {"year": "2026", "period": "round"}, {"year": "2026", "period": "round", "round": "abc"},
    {"year": "2026", "period": "month", "part": "0"}, {"year": "2026", "grouping": "nope"},
    {"year": "99999999999999999999"}, {"period": "half", "part": "x"},
])
def test_bad_input_never_crashes_the_report_page(client, world, query):
    login(client, world.viewer)
    for code in ("dossier_progress", "support_steps", "producer_list"):
        response = client.get(reverse("reports:report_detail", args=[code]), {"province": world.province.pk, **query})
        assert (response.status_code, response.context["table"]) == (200, None)
        assert response.context["form"].errors


def test_unknown_report_and_run_are_404(client, world):
    login(client, world.viewer)
    assert client.get(reverse("reports:report_detail", args=["khong-co"])).status_code == 404
    assert client.get(reverse("reports:run_detail", args=[999999])).status_code == 404


# --- the plan progress report ---------------------------------------------------------------------------------
def test_plan_progress_report_previews_and_exports_one_plan(client, world, django_capture_on_commit_callbacks):
    from openpyxl import load_workbook

    login(client, world.viewer)
    url = reverse("reports:report_detail", args=["plan_progress"])
    page = client.get(url, {"plan": world.plan.pk})
    assert page.status_code == 200
    assert [r[0] for r in page.context["table"].rows][:2] == ["Sản phẩm mới đạt 3 sao trở lên",
                                                              "Sản phẩm đề nghị Bộ đánh giá 5 sao"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"plan": world.plan.pk, "format": "xlsx"})
    run = ReportRun.objects.get()
    assert (response.status_code, run.parameters["plan"], run.province, run.status) == (
        302, world.plan.pk, world.province, RunStatus.DONE)
    sheet = load_workbook(run.file.open("rb")).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "Sản phẩm đề nghị Bộ đánh giá 5 sao" in values and "Tổng kinh phí" in values
    login(client, world.other_viewer)
    assert client.get(url, {"plan": world.plan.pk}).context["table"] is None


def test_plan_progress_report_query_count_does_not_grow_with_records_or_indicators(client, world):
    import datetime

    from tests.plans.factories import TargetFactory, certify

    url = reverse("reports:report_detail", args=["plan_progress"])
    first = _count(client, world.viewer, lambda c: c.get(url, {"plan": world.plan.pk}))
    for n in range(6):
        certify([world.a, world.hoa_nghia, world.b][n % 3], 3 + n % 3, datetime.date(2026, 1 + n, 3))
    for code in ("four_star", "upgraded", "products_cumulative", "communes_with_product"):
        TargetFactory(plan=world.plan, indicator=code, value=2, year=2026)
    assert _count(client, world.viewer, lambda c: c.get(url, {"plan": world.plan.pk})) == first


# --- never stale, through the pages -------------------------------------------------------------------------
EXPORT = {"period": "year", "grouping": "current_commune", "year": 2026}


def _exported_total(client, response):
    """The "Tổng số hồ sơ" of the total row in the XLSX the run page offers."""
    assert response.status_code == 302
    run = ReportRun.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[-1]))
    download = client.get(reverse("reports:run_download", args=[run.pk]))
    ws = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    return run, [c.value for c in ws[7]][14]


def test_export_change_a_record_export_again_gives_the_new_figure_and_unchanged_data_reuses_the_file(
        client, world, django_capture_on_commit_callbacks):
    login(client, world.viewer)
    form = {"province": world.province.pk, **EXPORT, "format": "xlsx"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form)
    first, first_total = _exported_total(client, response)
    DossierFactory(producer=world.p5, commune=world.b, status="draft")  # a new dossier in Xã Mỏ Cày
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form)
    second, second_total = _exported_total(client, response)
    assert (first_total, second_total, second.pk != first.pk) == (9, 10, True)
    preview = client.get(URL, {"province": world.province.pk, **EXPORT})
    assert preview.context["table"].total[14] == 10  # the preview, the CSV and the XLSX agree

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(URL, form, follow=True)
    assert again.redirect_chain == [(reverse("reports:run_detail", args=[second.pk]), 302)]
    assert [str(m) for m in again.context["messages"]] == ["Báo cáo với cùng tham số vừa được lập: dùng lại tệp đã có."]
    assert ReportRun.objects.count() == 2


def test_the_preview_states_when_its_figures_were_read(client, world):
    login(client, world.viewer)
    response = client.get(URL, {"province": world.province.pk, **EXPORT})
    as_of = timezone.localtime(response.context["table"].as_of)
    assert f'<span class="small" id="report-as-of">Số liệu tính đến {as_of:%d/%m/%Y %H:%M}</span>' in (
        response.content.decode())


def test_export_after_a_change_issues_the_same_queries_for_1_and_40_dossiers(client, db,
                                                                          django_capture_on_commit_callbacks):
    """Reading the data's version costs the report's own queries, never a query per row; so do the lookup of a
    reusable run and of a stored file with the same content."""
    counts = []
    for n in (1, 40):
        province, user = _province_with(n)
        form = {"province": province.pk, **EXPORT, "format": "xlsx"}
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(URL, form)
        DossierFactory(producer=ProducerFactory(commune=CommuneFactory(parent=province)), status="draft")

        def export(c):
            with django_capture_on_commit_callbacks(execute=True):
                c.post(URL, form)
            with django_capture_on_commit_callbacks(execute=True):
                c.post(URL, form)  # unchanged: the run just made is handed back

        counts.append(_count(client, user, export))
    assert counts[0] == counts[1]
    assert ReportRun.objects.filter(status=RunStatus.DONE).count() == 4  # 2 per province: before, after the change
