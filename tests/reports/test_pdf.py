"""Report PDFs laid out as Vietnamese administrative documents, and the periodic progress report."""
import re
import subprocess

import pytest
from django.utils import timezone

from accounts.enums import OrganisationKind
from reports import services
from reports.enums import Grouping, PeriodKind, RunStatus
from reports.periods import Params
from reports.registry import get_report
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.skipif(subprocess.run(["which", "pdftotext"], capture_output=True).returncode != 0,
                                reason="poppler-utils (pdftotext, pdffonts) not installed")


def quarter_now():
    today = timezone.localdate()
    return today.year, (today.month - 1) // 3 + 1


def pdf_of(world, code, *, grouping=Grouping.CURRENT_COMMUNE, period=PeriodKind.QUARTER, capture=None):
    year, quarter = quarter_now()
    params = Params(province=world.province, year=year, period=period,
                    part=quarter if period == PeriodKind.QUARTER else None, grouping=grouping)
    with capture(execute=True):
        run, _created = services.report_run_request(code=code, params=params, fmt="pdf", by=world.viewer)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    return run, params


def pdftotext(path, *args) -> str:
    return subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, text=True, check=True).stdout


def numbers_of_line(text: str, starts: str) -> list:
    """The figures after `starts` on the first line holding it (pdftotext -layout keeps a table row on one line)."""
    line = next(line for line in text.splitlines() if starts in line)
    return re.findall(r"(?<![\w,.])\d[\d.]*(?:,\d+)?(?![\w])", line[line.index(starts) + len(starts):])


def test_quarterly_progress_report_pdf_holds_the_letterhead_the_tables_and_their_totals(
        world, django_capture_on_commit_callbacks):
    OrganisationFactory(kind=OrganisationKind.PROVINCIAL_PEOPLES_COMMITTEE, name="Ủy ban nhân dân tỉnh Vĩnh Long",
                        short_name="UBND tỉnh Vĩnh Long", unit=world.province)
    OrganisationFactory(kind=OrganisationKind.AGRICULTURE_DEPARTMENT,
                        name="Sở Nông nghiệp và Môi trường tỉnh Vĩnh Long", short_name="Sở NN&MT", unit=world.province)
    run, params = pdf_of(world, "periodic_progress", capture=django_capture_on_commit_callbacks)
    year, quarter = quarter_now()
    roman = ("I", "II", "III", "IV")[quarter - 1]
    text = pdftotext(run.file.path, "-layout")
    flat = " ".join(text.split())
    for expected in ("UBND TỈNH VĨNH LONG", "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "/BC-SNNMT", "BÁO CÁO",
                     f"Tình hình thực hiện Chương trình OCOP quý {roman} năm {year}",
                     f"Vĩnh Long, ngày {timezone.localdate():%d}", "Nơi nhận:", "- UBND tỉnh Vĩnh Long;",
                     "Lưu: VT, SNNMT.", "GIÁM ĐỐC", "Số liệu tính đến",
                     "I. Tổng hợp số liệu chính", "II. Tiến độ hồ sơ OCOP", "III. Hỗ trợ ý tưởng và phương án",
                     "IV. Kết quả đánh giá, phân hạng", "V. Chủ thể OCOP", "VI. Sản phẩm OCOP",
                     "VII. Thực hiện kế hoạch: " + world.plan.title):
        assert expected in flat, expected
    # Each section's total row, as the report computes it on its own (Vietnamese number format).
    tables = services.report_tables(report=get_report("periodic_progress"), params=params)
    dossiers = get_report("dossier_progress").rows(params)
    assert dossiers.total == tables[1].total
    totals = [line for line in text.splitlines() if line.strip().startswith("Tổng cộng")]
    assert len(totals) == 5  # dossiers, support steps, results, producers, certificates
    from reports.formatters import display

    expected_dossier_total = [display(v, c.kind) for v, c in zip(dossiers.total[1:], dossiers.columns[1:])]
    assert numbers_of_line(text, "Tổng cộng") == [v for v in expected_dossier_total if v != "—"]
    assert dossiers.total[dossiers.columns.index(next(c for c in dossiers.columns if c.key == "total"))] == 9
    # A chart above each section's table, its title in the text with diacritics intact.
    from reports.pdf import section_chart

    charted = [t.title for n, t in enumerate(tables) if section_chart(t, n)]
    assert charted and "Tiến độ hồ sơ OCOP" not in charted  # 20 status columns: the table alone
    for title in charted:
        assert f"Biểu đồ: {title} — tổng cộng theo cột" in flat, title


def test_report_pdf_embeds_fonts_with_vietnamese_glyphs(world, django_capture_on_commit_callbacks):
    run, _params = pdf_of(world, "dossier_progress", capture=django_capture_on_commit_callbacks)
    fonts = subprocess.run(["pdffonts", run.file.path], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(row[-5] == "yes" for row in rows), fonts  # emb column
    assert any("Noto-Serif" in row[0] for row in rows), fonts
    assert "Xã Chợ Lách" in pdftotext(run.file.path)


def test_a_single_row_table_is_set_as_indicator_lines(world, django_capture_on_commit_callbacks):
    run, _params = pdf_of(world, "dossier_progress", grouping=Grouping.NONE, capture=django_capture_on_commit_callbacks)
    text = pdftotext(run.file.path, "-layout")
    assert numbers_of_line(text, "Tổng số hồ sơ") == ["9"]
    assert "Chỉ tiêu" in text and "Toàn tỉnh" in text


def test_a_big_table_repeats_its_header_on_every_page(world, tmp_path):
    from reports.pdf import letterhead_for, to_pdf
    from reports.registry import INT, TEXT, Column, Table

    table = Table(title="Danh sách dài", columns=[Column("name", "Tên chủ thể", TEXT), Column("n", "Số lao động", INT)],
                  rows=[[f"Hợp tác xã số {i}", i] for i in range(400)], total=["Tổng cộng", sum(range(400))])
    done = []
    path = tmp_path / "long.pdf"
    path.write_bytes(to_pdf([table], subject="Thử", letterhead=letterhead_for(world.province), progress=done.append))
    pages = [page for page in pdftotext(path, "-layout").split("\f") if "Hợp tác xã số" in page]
    assert len(pages) >= 5
    assert all("Tên chủ thể" in page and "Số lao động" in page for page in pages)
    assert done == [400] and numbers_of_line(pages[-1], "Tổng cộng") == ["79.800"]


def test_the_api_and_the_download_give_the_pdf(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.viewer)
    year, quarter = quarter_now()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/report-runs/", {"code": "periodic_progress", "format": "pdf",
                                                     "province": world.province.pk, "year": year, "period": "quarter",
                                                     "part": quarter, "grouping": "none"})
    assert response.status_code == 201
    run = client.get(f"/api/report-runs/{response.json()['id']}/").json()
    assert (run["format"], run["status"]) == ("pdf", "done")
    download = client.get(run["download_url"])
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
