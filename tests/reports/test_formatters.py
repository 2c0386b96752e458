"""reports/formatters.py: the XLSX is made for work (frozen header, filters, widths, numbers and dates typed, text
never a formula), read back with openpyxl; every file states "Số liệu tính đến"."""
import datetime
import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import load_workbook

from reports.enums import Grouping
from reports.formatters import as_of_label, column_widths, display, to_csv, to_xlsx
from reports.periods import Params
from reports.registry import DEC, INT, PCT, TEXT, VND, Column, Table, get_report
from tests.registrations.factories import ProducerFactory

AS_OF = datetime.datetime(2026, 12, 2, 0, 30, tzinfo=datetime.UTC)  # 07:30 in Hồ Chí Minh City
FORMULAS = ['=HYPERLINK("http://x","y")', "+84 912 345 678", "-giảm giá", "@SUM(A1)", "\tTab", "\rCR", "=1+1"]


def sheet(table):
    return load_workbook(io.BytesIO(to_xlsx(table))).active


def typed_table(rows, **kw):
    columns = [Column("name", "Tên chủ thể", TEXT), Column("count", "Số sản phẩm", INT),
               Column("money", "Doanh thu", VND), Column("share", "Tỷ lệ (%)", PCT), Column("mean", "Điểm", DEC),
               Column("issued", "Ngày cấp", TEXT), Column("checked", "Kiểm tra lúc", TEXT)]
    return Table(title="Danh sách", columns=columns, rows=rows, subtitle="Tỉnh Vĩnh Long · Năm 2026", as_of=AS_OF,
                 **kw)


def test_producer_names_that_look_like_formulas_are_text_cells_with_the_value_unchanged(world):
    for name in ("+84 Trà Bắc", "-Giảm giá Mỏ Cày", "@HTX Sen"):
        ProducerFactory(commune=world.a, name=name)
    year = timezone.localdate().year
    table = get_report("producer_list").rows(Params(province=world.province, year=year, grouping=Grouping.NONE))
    ws = sheet(table)
    names = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=1).data_type for r in range(5, 5 + len(table.rows))}
    assert {n: names[n] for n in ('=HYPERLINK("http://x.vn","Bấm")', "+84 Trà Bắc", "-Giảm giá Mỏ Cày",
                                  "@HTX Sen")} == {'=HYPERLINK("http://x.vn","Bấm")': "s", "+84 Trà Bắc": "s",
                                                    "-Giảm giá Mỏ Cày": "s", "@HTX Sen": "s"}
    assert not any(t == "f" for row in ws.iter_rows() for t in [c.data_type for c in row])


def test_every_formula_prefix_is_stored_as_text_in_any_column_and_in_the_total():
    rows = [[value, 1, 1000, Decimal("10.5"), Decimal("70.25"), value, value] for value in FORMULAS]
    ws = sheet(typed_table(rows, total=["=SUM(B5:B11)", 7, 7000, None, None, "", ""]))
    for r, value in enumerate(FORMULAS, start=5):
        # XML reads a bare CR as a line end (LF), in Excel as in openpyxl; the cell is text all the same.
        assert [(ws.cell(row=r, column=c).value, ws.cell(row=r, column=c).data_type) for c in (1, 6, 7)] == [
            (value.replace("\r", "\n"), "s")] * 3
    assert (ws["A12"].value, ws["A12"].data_type) == ("=SUM(B5:B11)", "s")


def test_header_row_is_frozen_and_filtered_with_the_title_and_the_moment_above():
    ws = sheet(typed_table([["Hộ Lê Văn Bảy", 3, 1500000, Decimal("43.8"), Decimal("70.67"), None, None],
                            ["HTX Bưởi", 1, 0, None, None, None, None]], total=["Tổng cộng", 4, 1500000, None,
                                                                                None, None, None]))
    assert [ws["A1"].value, ws["A2"].value, ws["A3"].value] == [
        "Danh sách", "Tỉnh Vĩnh Long · Năm 2026", "Số liệu tính đến 02/12/2026 07:30"]
    assert [c.value for c in ws[4]] == ["Tên chủ thể", "Số sản phẩm", "Doanh thu", "Tỷ lệ (%)", "Điểm", "Ngày cấp",
                                        "Kiểm tra lúc"]
    assert ws.freeze_panes == "A5"  # rows 1–4 (title, period, moment, header) stay on screen
    assert ws.auto_filter.ref == "A4:G6"  # the header and the rows; the total row (7) stays below the filter
    assert ws["A7"].value == "Tổng cộng" and ws["A7"].font.b is True
    assert ws.print_title_rows == "$4:$4"


def test_numbers_are_numbers_with_number_formats():
    ws = sheet(typed_table([["Hộ Lê Văn Bảy", 3, 1500000, Decimal("43.8"), Decimal("70.67"), None, None]]))
    cells = [ws.cell(row=5, column=c) for c in (2, 3, 4, 5)]
    assert [(c.value, c.data_type, c.number_format) for c in cells] == [
        (3, "n", "#,##0"), (1500000, "n", '#,##0 "₫"'), (43.8, "n", "0.0"), (70.67, "n", "#,##0.##")]


def test_dates_are_dates_in_dd_mm_yyyy_and_datetimes_in_local_time():
    checked = datetime.datetime(2026, 3, 31, 18, 5, tzinfo=datetime.UTC)  # 1 April 01:05 in Việt Nam
    ws = sheet(typed_table([["HTX Bưởi", 1, 0, None, None, datetime.date(2026, 4, 30), checked]]))
    issued, at = ws["F5"], ws["G5"]
    assert (issued.value, issued.data_type, issued.number_format, issued.is_date) == (
        datetime.datetime(2026, 4, 30), "d", "dd/mm/yyyy", True)
    assert (at.value, at.number_format, at.is_date) == (datetime.datetime(2026, 4, 1, 1, 5), "dd/mm/yyyy hh:mm", True)


def test_column_widths_fit_the_longest_value_within_bounds():
    long_name = "Hợp tác xã Nông nghiệp Dịch vụ Tổng hợp Bưởi Năm Roi Mỏ Cày Bến Tre Vĩnh Long " * 2
    table = typed_table([["HTX", 3, 1500000, None, None, datetime.date(2026, 4, 30), None],
                         [long_name, 12345, 0, None, None, None, None]])
    widths = column_widths(table)
    assert widths == [60, 13, 13, 11, 8, 12, 14]
    ws = sheet(table)
    assert [ws.column_dimensions[letter].width for letter in "ABCDEFG"] == widths


def test_a_title_with_characters_excel_refuses_still_makes_a_sheet():
    table = Table(title="Báo cáo [Quý 1/2026]: tỉnh?", columns=[Column("n", "Số", INT)], rows=[[1]])
    ws = sheet(table)
    assert ws.title == "Báo cáo  Quý 1 2026   tỉnh"
    assert ws["A3"].value is None  # no moment recorded, no line claiming one


def test_the_csv_stays_a_plain_table_with_dates_in_iso_and_no_moment_line():
    table = typed_table([["=cmd", 1, 1000, Decimal("10.5"), None, datetime.date(2026, 4, 30),
                          datetime.datetime(2026, 3, 31, 18, 5, tzinfo=datetime.UTC)]])
    lines = to_csv(table).decode("utf-8-sig").splitlines()
    assert lines == ["Tên chủ thể,Số sản phẩm,Doanh thu,Tỷ lệ (%),Điểm,Ngày cấp,Kiểm tra lúc",
                     "'=cmd,1,1000,10.5,,2026-04-30,2026-04-01 01:05"]


def test_the_moment_and_dates_read_in_vietnamese():
    assert as_of_label(AS_OF) == "Số liệu tính đến 02/12/2026 07:30"
    assert as_of_label(None) == ""
    assert display(datetime.date(2026, 4, 30)) == "30/04/2026"
    assert display(datetime.datetime(2026, 3, 31, 18, 5, tzinfo=datetime.UTC)) == "01/04/2026 01:05"
