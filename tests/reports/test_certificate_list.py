"""The certificate list: one row per certificate of the province, as numbers and dates in Excel."""
import datetime
import io

from openpyxl import load_workbook

from products.enums import CertificateStatus
from reports.enums import Grouping
from reports.formatters import to_xlsx
from reports.periods import Params
from reports.registry import get_report

from .factories import certificate


def test_one_row_per_certificate_of_the_province_with_dates_and_stars(world, django_assert_num_queries):
    certificate(world, world.a, 4, issued_on=datetime.date(2025, 3, 1))
    certificate(world, world.hoa_nghia, 3, issued_on=datetime.date(2024, 6, 2), status=CertificateStatus.REVOKED,
                ended_on=datetime.date(2025, 1, 5))
    certificate(world, world.far, 5, issued_on=datetime.date(2025, 1, 1))
    certificate(world, world.b, 5, issued_on=datetime.date(2027, 1, 1))  # after the year asked for
    params = Params(province=world.province, year=2026, grouping=Grouping.NONE)
    with django_assert_num_queries(1):
        table = get_report("certificate_list").rows(params)
    assert [(r[3], r[4], r[5], r[7]) for r in table.rows] == [
        (3, "Xã Hòa Nghĩa (cũ)", datetime.date(2024, 6, 2), "Đã thu hồi"),
        (4, "Xã Chợ Lách", datetime.date(2025, 3, 1), "Còn hiệu lực")]
    assert table.total[0] == "Tổng cộng: 2 giấy chứng nhận"
    ws = load_workbook(io.BytesIO(to_xlsx(table))).active
    row = [c for c in ws[5]]
    assert (row[3].value, row[5].value.date(), row[5].number_format) == (3, datetime.date(2024, 6, 2), "dd/mm/yyyy")
