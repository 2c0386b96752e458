"""Form 02 (the producer's self-assessment report) as an official PDF, with the options chosen (issue 14, item 8)."""
import pytest
from django.urls import reverse

from accounts.enums import Role
from evaluations import services
from registrations.enums import DossierStatus
from tests.factories import CommuneFactory, ProvinceFactory, user_with_role
from tests.pdf import needs_poppler, pdf_fonts, pdf_text, response_bytes
from tests.registrations.factories import DossierFactory, EvidenceFileFactory

from .factories import option_ids, small_rubric

pytestmark = [pytest.mark.django_db, needs_poppler]


@pytest.fixture
def draft():
    province = ProvinceFactory(name="Tỉnh Vĩnh Long")
    commune = CommuneFactory(parent=province, name="Xã Chợ Lách")
    dossier = DossierFactory(producer__commune=commune, producer__name="HTX Bưởi Da Xanh Tân Phú",
                             product_name="Bưởi da xanh Chợ Lách", status=DossierStatus.DRAFT,
                             revision__history="Thành lập năm 2015 từ tổ hợp tác trồng bưởi",
                             revision__forward_plan="Mở rộng vùng trồng thêm 20 ha", revision__has_food_safety_certificate=True)
    EvidenceFileFactory(revision=dossier.revisions.get(), kind="lab_test", original_name="Phiếu kiểm nghiệm bưởi.pdf")
    rubric = small_rubric(dossier.product_set)
    officer = user_with_role(Role.COMMUNE_OFFICER, commune, full_name="Phạm Thị Thu")
    return dossier, rubric, officer


def test_form_02_holds_parts_one_to_four_and_the_chosen_options(client, draft):
    dossier, rubric, officer = draft
    services.self_assessment_save(dossier=dossier, by=officer, submit=True,
                                  choices=option_ids(rubric, {"1.1": 25, "4.1": 15, "9": 20}))
    client.force_login(officer)
    response = client.get(reverse("evaluations:self_assessment_pdf", args=[dossier.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response_bytes(response)
    text = pdf_text(pdf)

    assert "BÁO CÁO TỰ ĐÁNH GIÁ" in text and "Mẫu số 02" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "HTX BƯỞI DA XANH TÂN PHÚ" in text
    assert "Kính gửi: Ủy ban nhân dân xã Chợ Lách" in text
    for value in ("Bưởi da xanh Chợ Lách", "Thành lập năm 2015 từ tổ hợp tác trồng bưởi",
                  "Mở rộng vùng trồng thêm 20 ha", "☒ Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
                  "☐ Giấy chứng nhận điều kiện sản xuất bắt buộc", "Nguồn gốc sản phẩm", "Mức 2 (25 điểm)",
                  "Khu vực phân phối chính", "Mức 2 (15 điểm)", "Công bố chất lượng sản phẩm", "Mức 2 (20 điểm)",
                  "Tổng điểm tự đánh giá", "60,00", "Phiếu kiểm nghiệm bưởi.pdf", "ĐẠI DIỆN CHỦ THỂ", "Nguyễn Văn Tư"):
        assert value in text, value
    assert "Mức 3 (40 điểm)" not in text, "only the chosen options are printed"
    fonts = pdf_fonts(pdf)
    assert fonts and all(fonts.values()), fonts


def test_form_02_of_another_commune_is_404(client, draft):
    dossier, _rubric, _officer = draft
    client.force_login(user_with_role(Role.COMMUNE_OFFICER, CommuneFactory()))
    assert client.get(reverse("evaluations:self_assessment_pdf", args=[dossier.pk])).status_code == 404


def test_the_dossier_page_links_the_forms(client, draft):
    dossier, _rubric, officer = draft
    client.force_login(officer)
    html = client.get(reverse("registrations:dossier_detail", args=[dossier.pk])).content.decode()
    assert f'href="{reverse("registrations:dossier_form_01", args=[dossier.pk])}"' in html
    assert f'href="{reverse("evaluations:self_assessment_pdf", args=[dossier.pk])}"' in html
    assert "In Mẫu 03 (PDF)" not in html, "no Form 03 before the commune has assessed"


def test_the_minutes_carry_the_place_and_date_line_and_the_signers_names(setup):
    import datetime

    from evaluations.minutes import minutes_pdf_bytes
    from tests.pdf import pdf_lines

    setup.province.name = "Tỉnh Vĩnh Long"
    setup.province.save()
    setup.chair.user.full_name, setup.secretary.user.full_name = "Trần Thị Ngọc Hân", "Lý Văn Đức"
    setup.chair.user.save()
    setup.secretary.user.save()
    setup.round.province = setup.province
    setup.round.closed_at = datetime.datetime(2026, 2, 5, 3, 0, tzinfo=datetime.UTC)
    setup.round.save()

    pdf = minutes_pdf_bytes(setup.round)
    text = pdf_text(pdf)
    assert "Vĩnh Long, ngày 05 tháng 02 năm 2026" in text
    assert "BIÊN BẢN" in text and "ỦY BAN NHÂN DÂN" in text and "TỈNH VĨNH LONG" in text
    assert setup.council.name.upper() in text
    assert "THƯ KÝ HỘI ĐỒNG" in text and "CHỦ TỊCH HỘI ĐỒNG" in text
    assert "Lý Văn Đức" in text and "Trần Thị Ngọc Hân" in text
    assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in line for line in pdf_lines(pdf)), "the motto on one line"
    assert all(pdf_fonts(pdf).values())
