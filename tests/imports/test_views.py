"""Import pages: province staff only (404 for anyone else and for another province's batch), upload → preview
→ confirm → result, the template, the exports and the open data, with query counts that do not grow."""
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.enums import Role
from imports import exports, services
from imports.enums import BatchState
from imports.models import ImportBatch
from products.models import Certificate
from tests.factories import CommuneFactory, ProvinceFactory, user_with_role

from .factories import GOOD, import_world, workbook


@pytest.fixture
def world(db):
    return import_world()


def upload(client, world, content, name="du-lieu.xlsx"):
    return client.post(reverse("imports:batch_list"), {
        "province": world["province"].pk, "file": SimpleUploadedFile(name, content)})


def test_staff_upload_preview_confirm_and_see_the_result(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, world, workbook(GOOD))
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == batch.get_absolute_url()
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "Chờ xác nhận" in page and "Tập huấn chu trình OCOP 2024" in page
    assert Certificate.objects.count() == 0  # nothing written before the confirmation
    assert client.post(reverse("imports:batch_confirm", args=[batch.pk])).status_code == 302
    assert ImportBatch.objects.get().state == BatchState.PREVIEWED  # the box was not ticked
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:batch_confirm", args=[batch.pk]), {"confirmed": "1"})
    batch.refresh_from_db()
    assert (batch.state, Certificate.objects.count()) == (BatchState.APPLIED, 3)
    page = client.get(batch.get_absolute_url()).content.decode()
    assert 'id="undo-form"' in page and "Mới: 7" in page


def test_a_confirmed_batch_shows_its_progress_until_the_worker_has_written_it(client, world):
    """Confirmed, its task not yet run (a busy worker): the page says it is being written and polls for the
    progress, instead of asking for the confirmation again; the task then writes it."""
    from imports.tasks import import_apply

    client.force_login(world["staff"])
    batch = services.batch_create(province=world["province"], file_name="a.xlsx", content=workbook(GOOD),
                                  by=world["staff"], queue=False)
    services.batch_preview(batch_id=batch.pk)
    client.post(reverse("imports:batch_confirm", args=[batch.pk]), {"confirmed": "1"})  # its task not run here
    batch.refresh_from_db()
    assert (batch.state, batch.applied_by) == (BatchState.APPLYING, world["staff"])
    page = client.get(batch.get_absolute_url()).content.decode()
    assert 'id="batch-progress"' in page and 'hx-trigger="every 1s"' in page and "Đang ghi" in page
    assert 'name="confirmed"' not in page
    import_apply(batch_id=batch.pk, by_id=world["staff"].pk)
    batch.refresh_from_db()
    assert (batch.state, Certificate.objects.count()) == (BatchState.APPLIED, 3)


def test_progress_is_a_real_percentage_while_a_batch_works(client, world):
    client.force_login(world["staff"])
    batch = services.batch_create(province=world["province"], file_name="a.xlsx", content=workbook(GOOD),
                                  by=world["staff"])
    ImportBatch.objects.filter(pk=batch.pk).update(state=BatchState.PREVIEWING, rows_done=3)
    part = client.get(batch.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert '<progress id="progress-bar" class="w-100" max="7" value="3">42%</progress>' in part


def test_an_unreadable_file_is_a_form_error(client, world):
    client.force_login(world["staff"])
    response = upload(client, world, b"not a workbook")
    assert response.status_code == 400
    assert "Không đọc được tệp" in response.content.decode()


@pytest.mark.parametrize("role", [Role.COMMUNE_OFFICER, Role.REPORT_VIEWER])
def test_other_roles_get_404_everywhere(client, world, role):
    batch = services.batch_create(province=world["province"], file_name="a.xlsx", content=workbook(GOOD),
                                  by=world["staff"])
    unit = world["cho_lach_new"] if role == Role.COMMUNE_OFFICER else world["province"]
    client.force_login(user_with_role(role, unit))
    for url in (reverse("imports:batch_list"), reverse("imports:template"), reverse("imports:export"),
                batch.get_absolute_url()):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("imports:batch_undo", args=[batch.pk]), {"confirmed": "1"}).status_code == 404


def test_staff_of_another_province_do_not_see_the_batch(client, world):
    batch = services.batch_create(province=world["province"], file_name="a.xlsx", content=workbook(GOOD),
                                  by=world["staff"])
    client.force_login(user_with_role(Role.PROVINCE_STAFF, ProvinceFactory()))
    assert client.get(batch.get_absolute_url()).status_code == 404
    assert client.get(reverse("imports:batch_list")).content.decode().count(batch.file_name) == 0


def test_the_template_has_every_sheet_and_the_instructions(client, world):
    client.force_login(world["staff"])
    response = client.get(reverse("imports:template"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Chủ thể", "Sản phẩm OCOP", "Tập huấn", "Điểm bán", "Hướng dẫn"]
    assert [c.value for c in book["Tập huấn"][1]][:2] == ["Tên lớp *", "Xã, phường *"]


def _populate(world, n):
    rows = [[f"{1300600000 + i}", f"HTX {i}", "HTX", "Xã Sơn Định", "Chợ Lách", "Bến Tre", "Ấp", "A", "Nam", "", "",
             "Không"] for i in range(n)]
    batch = services.batch_create(province=world["province"], file_name="p.xlsx",
                                  content=workbook({"Chủ thể": (GOOD["Chủ thể"][0], rows), **{
                                      k: v for k, v in GOOD.items() if k != "Chủ thể"}}), by=world["staff"])
    services.batch_preview(batch_id=batch.pk)
    services.batch_apply(batch_id=batch.pk, by_id=world["staff"].pk)
    return batch


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_export_queries_do_not_grow_with_rows(client, world, fmt, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world["staff"])
    url = reverse("imports:export") + f"?format={fmt}&sheet=producers&province={world['province'].pk}"
    _populate(world, 1)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    _populate(world, 40)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    if fmt == "csv":
        assert response.content.decode("utf-8-sig").count("\r\n") == 1 + 40  # the header and 40 producers
    assert response.content == {"xlsx": lambda r: r, "csv": lambda r: exports.to_csv(r, "producers"),
                                "json": exports.to_json}[fmt](exports.register_rows(world["province"])) or fmt == "xlsx"


def test_batch_page_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world["staff"])
    small, big = _populate(world, 1), _populate(world, 45)
    with CaptureQueriesContext(connection) as one:
        client.get(small.get_absolute_url())
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(big.get_absolute_url())


def test_open_data_lists_certificates_in_force_with_their_product_codes(client, world):
    services.batch_apply(batch_id=services.batch_preview(batch_id=services.batch_create(
        province=world["province"], file_name="a.xlsx", content=workbook(GOOD), by=world["staff"]).pk).pk,
        by_id=world["staff"].pk)
    text = client.get(reverse("imports:open_data", args=["csv"])).content.decode("utf-8-sig")
    import csv

    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["Số giấy chứng nhận"] for r in rows) == ["12/2023/GCN-CT", "31/2024/GCN"]
    data = client.get(reverse("imports:open_data", args=["json"])).json()
    assert {d["Mã sản phẩm"] for d in data} == {"83-834-28870-1-2020", "83-831-28642-1-2023"}
    assert client.get(reverse("imports:open_data", args=["pdf"])).status_code == 404


def test_dry_run_command_prints_verdicts_and_fails_on_errors(world, tmp_path):
    from django.core.management import CommandError, call_command

    from .test_services import MESSY_PRODUCTS, PRODUCT_HEADERS

    path = tmp_path / "messy.xlsx"
    path.write_bytes(workbook({"Chủ thể": GOOD["Chủ thể"], "Sản phẩm OCOP": (PRODUCT_HEADERS, MESSY_PRODUCTS)}))
    out = io.StringIO()
    with pytest.raises(CommandError, match="5 dòng lỗi"):
        call_command("import_ocop", str(path), province=world["province"].code, dry_run=True, stdout=out)
    assert "Sản phẩm OCOP\t6\tLỗi\tA/4\tI6: Hạng sao phải từ 3 đến 5 (tệp ghi 6)." in out.getvalue()
    assert Certificate.objects.count() == 0


def test_export_and_import_commands_round_trip(world, tmp_path):
    from django.core.management import call_command

    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook(GOOD))
    call_command("import_ocop", str(good), province=world["province"].code, stdout=io.StringIO())
    exported = tmp_path / "so.xlsx"
    call_command("export_ocop", str(exported), province=world["province"].code, stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_ocop", str(exported), province=world["province"].code, dry_run=True, stdout=out)
    assert "mới 0, không đổi 7, cập nhật 0, lỗi 0" in out.getvalue()


def entry(world, **overrides):
    return {"producer": "HTX Dừa Sơn Định — 1300111222", "product_name": "Kẹo dừa Sơn Định",
            "product_code": "83-834-28870-1-2020", "product_set": "Bánh, mứt, kẹo",
            "commune": "Xã Sơn Định, Huyện Chợ Lách, Tỉnh Bến Tre", "certificate_number": "31/2024/GCN", "star": "4",
            "level": "Tỉnh", "issuing_unit": "", "decision_number": "1402/QĐ-UBND", "decided_on": "2024-06-01",
            "valid_until": "", "signer_name": "Trần Văn Bình", **overrides}


def test_staff_enter_one_legacy_certificate_by_names_not_ids(client, world):
    services.batch_apply(batch_id=services.batch_preview(batch_id=services.batch_create(
        province=world["province"], file_name="p.xlsx", content=workbook({"Chủ thể": GOOD["Chủ thể"]}),
        by=world["staff"]).pk).pk, by_id=world["staff"].pk)
    client.force_login(world["staff"])
    url = reverse("imports:certificate_entry")
    response = client.post(url, entry(world, producer="htx dua son dinh", commune="Xã Hòa Lợi, Châu Thành"))
    assert response.status_code == 400
    assert "chưa rõ là đơn vị nào" in response.context["form"].errors["commune"][0]
    response = client.post(url, entry(world, producer="htx dua son dinh"))
    cert = Certificate.objects.get(number="31/2024/GCN")
    assert (cert.product.commune, cert.star, cert.decision.issuer_name) == (
        world["son_dinh"], 4, "Ủy ban nhân dân tỉnh Bến Tre")
    batch = ImportBatch.objects.get(file_name="giay-chung-nhan-312024gcn.csv")
    assert response["Location"] == batch.get_absolute_url() and batch.state == BatchState.APPLIED
    again = client.post(url, entry(world))
    assert again.context["form"].errors["certificate_number"] == ["Giấy chứng nhận này đã có trong cổng."]


def test_suggestions_find_units_and_producers_without_diacritics(client, world):
    client.force_login(world["staff"])
    page = client.get(reverse("imports:suggest"), {"loai": "commune", "commune": "hoa loi"}).content.decode()
    assert page.count("<option") == 2
    assert '<option value="Xã Hòa Lợi, Huyện Châu Thành, Tỉnh Trà Vinh"></option>' in page
    page = client.get(reverse("imports:suggest"), {"loai": "issuer", "issuing_unit": "chau thanh"}).content.decode()
    assert page.count("<option") == 2
