"""Import of a province's records: preview verdicts, one-transaction writes, idempotence, undo, round trip."""
import copy

import pytest

from imports import exports, services
from imports.enums import BatchState, RowStatus
from imports.models import ImportBatch, ImportRow
from plans.models import Showroom, Training
from products.models import Certificate, Decision, Product
from registrations.models import Producer

from .factories import GOOD, PRODUCT_HEADERS, D, import_world, workbook


@pytest.fixture
def world(db):
    return import_world()


def run(world, content: bytes, name="du-lieu.xlsx", *, apply=True):
    batch = services.batch_create(province=world["province"], file_name=name, content=content, by=world["staff"])
    batch = services.batch_preview(batch_id=batch.pk)
    if apply:
        batch = services.batch_apply(batch_id=batch.pk, by_id=world["staff"].pk)
    batch.refresh_from_db()
    return batch


def table_counts():
    return (Producer.objects.count(), Product.objects.count(), Certificate.objects.count(),
            Decision.objects.count(), Training.objects.count(), Showroom.objects.count())


def test_a_good_file_writes_every_record_and_the_certificate_chain(world):
    batch = run(world, workbook(GOOD))
    assert batch.state == BatchState.APPLIED
    assert batch.counts == {"new": 7, "unchanged": 0, "updated": 0, "error": 0}
    assert table_counts() == (2, 2, 3, 3, 1, 1)
    chain = dict(Certificate.objects.values_list("number", "status"))
    assert chain == {"05/2020/GCN": "expired", "31/2024/GCN": "active", "12/2023/GCN-CT": "active"}
    assert Certificate.objects.get(number="31/2024/GCN").supersedes is None  # 2020's ended on 01/03/2023
    tan_thach = Producer.objects.get(tax_code="1300333444")
    assert (tan_thach.commune, tan_thach.registered_on) == (world["tan_thach"], D(2019, 5, 2))
    assert Training.objects.get().commune == world["hoa_loi_tv"]  # same-name district told by the old province
    assert Certificate.objects.get(number="12/2023/GCN-CT").decision.issuer_name == "Ủy ban nhân dân huyện Châu Thành"


def test_importing_the_same_file_again_writes_nothing(world):
    content = workbook(GOOD)
    run(world, content)
    before = table_counts()
    again = run(world, content)
    assert again.counts == {"new": 0, "unchanged": 7, "updated": 0, "error": 0}
    assert table_counts() == before


def test_a_changed_cell_is_an_update_and_undo_puts_it_back(world):
    run(world, workbook(GOOD))
    changed = copy.deepcopy(GOOD)
    changed["Tập huấn"][1][0][5] = 50
    batch = run(world, workbook(changed))
    assert batch.counts["updated"] == 1
    row = batch.rows.get(status=RowStatus.UPDATED)
    assert row.changes == {"participants": [45, 50]}
    assert Training.objects.get().participants == 50
    services.batch_undo(batch=batch, by=world["staff"])
    assert Training.objects.get().participants == 45


def test_undo_removes_what_the_batch_made(world):
    batch = run(world, workbook(GOOD))
    services.batch_undo(batch=batch, by=world["staff"])
    assert table_counts() == (0, 0, 0, 0, 0, 0)
    batch.refresh_from_db()
    assert batch.state == BatchState.UNDONE


def test_undo_is_refused_when_a_later_record_depends_on_the_batch(world):
    from tests.registrations.factories import DossierFactory

    batch = run(world, workbook(GOOD))
    DossierFactory(producer=Producer.objects.get(tax_code="1300111222"))
    with pytest.raises(services.ImportError_) as exc:
        services.batch_undo(batch=batch, by=world["staff"])
    assert "Không hoàn tác được" in exc.value.messages[0]
    assert table_counts()[:3] == (2, 2, 3)


MESSY_PRODUCTS = [
    # 2: same-name district without its province → ambiguous
    ["P-1", "Mứt dừa", "1300111222", "B01", "Xã Hòa Lợi", "Huyện Châu Thành", "", "A/1", 3, "1/QĐ", "01/03/2024",
     "Huyện", ""],
    # 3: unaccented names, Excel date → fine
    ["P-2", "Keo dua", "1300111222", "banh, mut, keo", "xa son dinh", "h. cho lach", "ben tre", "A/2", 3, "2/QĐ",
     D(2024, 3, 1), "huyen", ""],
    # 4: the same certificate again → duplicate
    ["P-2", "Keo dua", "1300111222", "B01", "Xã Sơn Định", "Chợ Lách", "Bến Tre", "A/2", 3, "2/QĐ", "01/03/2024",
     "Huyện", ""],
    # 5: an unknown unit
    ["P-3", "Bánh tét", "1300111222", "B01", "Xã Không Có", "", "", "A/3", 3, "3/QĐ", "01/03/2024", "Huyện", ""],
    # 6: a star outside 3–5
    ["P-4", "Rượu dừa", "1300111222", "B01", "Xã Sơn Định", "Chợ Lách", "Bến Tre", "A/4", 6, "4/QĐ", "01/03/2024",
     "Huyện", ""],
    # 7: validity ending before the decision
    ["P-5", "Dầu dừa", "1300111222", "B01", "Xã Sơn Định", "Chợ Lách", "Bến Tre", "A/5", 3, "5/QĐ", "01/03/2024",
     "Huyện", "01/01/2024"],
]


def test_a_messy_file_gives_exactly_the_expected_row_errors_and_writes_nothing_in_preview(world):
    headers = [h.upper() if i % 2 else h for i, h in enumerate(PRODUCT_HEADERS)]  # header case does not matter
    headers[1] = "Ten san pham"  # nor diacritics
    messy = {"Chủ thể": GOOD["Chủ thể"], "Sản phẩm OCOP": (headers, MESSY_PRODUCTS)}
    batch = run(world, workbook(messy), apply=False)
    assert batch.state == BatchState.PREVIEWED
    assert table_counts() == (0, 0, 0, 0, 0, 0)
    errors = {r.line: [(x["cell"], x["message"]) for x in r.reasons]
              for r in batch.rows.filter(sheet="products", status=RowStatus.ERROR)}
    assert errors == {
        2: [("E2", "“Xã Hòa Lợi” chưa rõ là đơn vị nào: Xã Hòa Lợi, Huyện Châu Thành, Tỉnh Bến Tre (cũ) [28651]; "
                   "Xã Hòa Lợi, Huyện Châu Thành, Tỉnh Trà Vinh (cũ) [29005]. Ghi thêm huyện (cũ) hoặc tỉnh, hoặc mã.")],
        4: [("H4", "Trùng số giấy chứng nhận với dòng 3.")],
        5: [("E5", "Không tìm thấy “Xã Không Có” trong Tỉnh Vĩnh Long.")],
        6: [("I6", "Hạng sao phải từ 3 đến 5 (tệp ghi 6).")],
        7: [("M7", "Ngày hết hiệu lực 01/01/2024 phải sau ngày quyết định 01/03/2024.")],
    }
    assert batch.rows.get(sheet="products", line=3).status == RowStatus.NEW
    assert batch.counts == {"new": 3, "unchanged": 0, "updated": 0, "error": 5}


def test_a_confirmed_messy_file_writes_its_valid_rows_only(world):
    messy = {"Chủ thể": GOOD["Chủ thể"], "Sản phẩm OCOP": (PRODUCT_HEADERS, MESSY_PRODUCTS)}
    batch = run(world, workbook(messy))
    assert batch.state == BatchState.APPLIED
    assert list(Certificate.objects.values_list("number", flat=True)) == ["A/2"]
    assert Certificate.objects.get().product.commune == world["son_dinh"]


def report_tables(province):
    """Every report of the registry (but plan progress, which reads a plan), for every grouping, 2020–2026."""
    from reports.periods import Params
    from reports.registry import all_reports
    from reports.services import report_table

    tables = {}
    for report in all_reports():
        if report.code == "plan_progress":
            continue
        for grouping in report.groupings:
            for year in (2020, 2023, 2024, 2026):
                table = report_table(report=report, params=Params(province=province, year=year, grouping=grouping))
                tables[(report.code, grouping, year)] = (table.rows, table.total)
    return tables


def test_export_then_import_changes_nothing_and_round_trips_into_an_empty_register(world):
    first = run(world, workbook(GOOD))
    exported = exports.register_rows(world["province"])
    reports_before = report_tables(world["province"])
    content = exports.to_xlsx(exported)
    again = run(world, content, name="xuat.xlsx")
    assert again.counts == {"new": 0, "unchanged": 7, "updated": 0, "error": 0}, list(
        again.rows.exclude(status="unchanged").values_list("line", "reasons", "changes"))
    services.batch_undo(batch=first, by=world["staff"])
    assert table_counts() == (0, 0, 0, 0, 0, 0)
    back = run(world, content, name="xuat.xlsx")
    assert back.counts["new"] == 7 and back.counts["error"] == 0
    assert exports.register_rows(world["province"]) == exported
    assert report_tables(world["province"]) == reports_before


@pytest.mark.parametrize("sheet", ["producers", "products", "trainings", "showrooms"])
def test_each_sheet_as_csv_reads_back_unchanged(world, sheet):
    run(world, workbook(GOOD))
    content = exports.to_csv(exports.register_rows(world["province"]), sheet)
    batch = run(world, content, name=f"{sheet}.csv", apply=False)
    assert set(batch.rows.values_list("status", flat=True)) == {RowStatus.UNCHANGED}


def test_preview_queries_do_not_grow_with_rows(world, django_assert_max_num_queries):
    def file_of(n):
        rows = [[f"{1300500000 + i}", f"HTX {i}", "HTX", "Xã Sơn Định", "Chợ Lách", "Bến Tre", "Ấp", "A", "Nam",
                 "", "", "Không"] for i in range(n)]
        return workbook({"Chủ thể": (GOOD["Chủ thể"][0], rows)})

    small = services.batch_create(province=world["province"], file_name="a.xlsx", content=file_of(2), by=world["staff"])
    big = services.batch_create(province=world["province"], file_name="b.xlsx", content=file_of(120), by=world["staff"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        services.batch_preview(batch_id=small.pk)
    with django_assert_max_num_queries(len(one.captured_queries)):
        services.batch_preview(batch_id=big.pk)
    assert ImportRow.objects.filter(batch=big).count() == 120


def test_a_revoked_certificate_is_not_brought_in_as_active(world):
    headers = [*PRODUCT_HEADERS, "Trạng thái"]
    row = [*GOOD["Sản phẩm OCOP"][1][1], "Đã thu hồi"]
    batch = run(world, workbook({"Chủ thể": GOOD["Chủ thể"], "Sản phẩm OCOP": (headers, [row])}), apply=False)
    reasons = batch.rows.get(sheet="products").reasons
    assert reasons == [{"cell": "N2", "message": "Giấy chứng nhận đã bị thu hồi: nhập giấy này rồi ghi quyết định "
                                                 "thu hồi trên trang giấy chứng nhận, không qua nhập tệp."}]


def test_an_import_left_applying_by_a_dead_worker_is_written_by_the_next_delivery(world):
    batch = run(world, workbook(GOOD), apply=False)
    ImportBatch.objects.filter(pk=batch.pk).update(state=BatchState.APPLYING)  # the worker died mid-way
    batch = services.batch_apply(batch_id=batch.pk, by_id=world["staff"].pk)
    assert (batch.state, table_counts()) == (BatchState.APPLIED, (2, 2, 3, 3, 1, 1))
    assert services.batch_apply(batch_id=batch.pk, by_id=world["staff"].pk).state == BatchState.APPLIED
    assert table_counts() == (2, 2, 3, 3, 1, 1)
