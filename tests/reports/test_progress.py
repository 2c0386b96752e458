"""Real progress of long report jobs: rows written out of the rows the file holds, shown as a percentage."""
from django.urls import reverse

from reports import services
from reports.enums import Grouping, RunStatus
from reports.formatters import to_csv, to_xlsx
from reports.periods import Params
from reports.registry import INT, TEXT, Column, Table, get_report

from .factories import ReportRunFactory


def long_table(n):
    return Table(title="Dài", columns=[Column("name", "Tên", TEXT), Column("n", "Số", INT)],
                 rows=[[f"Dòng {i}", i] for i in range(n)])


def test_exports_report_rows_written_every_step():
    for render in (to_csv, to_xlsx):
        seen = []
        render(long_table(1200), progress=seen.append)
        assert seen == [500, 1000]


def test_a_finished_run_records_its_rows_done_and_total(world, django_capture_on_commit_callbacks):
    params = Params(province=world.province, year=2026, grouping=Grouping.CURRENT_COMMUNE)
    with django_capture_on_commit_callbacks(execute=True):
        run, _ = services.report_run_request(code="periodic_progress", params=params, fmt="pdf", by=world.viewer)
    run.refresh_from_db()
    tables = services.report_tables(report=get_report("periodic_progress"), params=params)
    assert run.status == RunStatus.DONE
    assert (run.rows_done, run.rows_total, run.percent_done) == (sum(len(t.rows) for t in tables),) * 2 + (100,)


def test_the_run_page_shows_the_percentage_in_a_progress_element(client, world):
    run = ReportRunFactory(province=world.province, requested_by=world.viewer, status=RunStatus.RUNNING,
                           rows_done=1500, rows_total=4000)
    client.force_login(world.viewer)
    page = client.get(reverse("reports:run_detail", args=[run.pk]), headers={"HX-Request": "true"}).content.decode()
    assert '<progress id="run-progress" class="w-100 d-block mb-1" max="100" value="37">37%</progress>' in page
    assert "37% — đã ghi 1500/4000 dòng" in page
    queued = ReportRunFactory(province=world.province, requested_by=world.viewer, status=RunStatus.QUEUED)
    page = client.get(reverse("reports:run_detail", args=[queued.pk])).content.decode()
    assert 'max="100"></progress>' in page and "Đang đọc số liệu…" in page
