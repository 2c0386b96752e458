import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ocop_portal.text import fold
from products import services
from products.enums import DecisionStatus, RevocationGround
from products.models import Certificate, Decision
from tests.factories import PASSWORD

from .factories import closed_round, published_decision


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_staff_create_record_and_publish_a_decision_through_the_pages(client, setup):
    _login(client, setup.staff)
    response = client.post(reverse("products:decision_create"), {"round": setup.round.pk, "level": "province"})
    decision = Decision.objects.get()
    assert response.status_code == 302 and response["Location"] == decision.get_absolute_url()
    page = client.get(decision.get_absolute_url()).content.decode()
    assert "Vào sổ quyết định đã ký" in page
    today = timezone.localdate()
    response = client.post(reverse("products:decision_record", args=[decision.pk]), {
        "number": "1887/QĐ-UBND", "decided_on": today.strftime("%d/%m/%Y"), "signer_name": "Nguyễn Văn Hưng",
        "signer_title": "PHÓ CHỦ TỊCH"})
    assert response.status_code == 302
    # Publishing asks first, saying what will happen; nothing is issued until it is confirmed.
    response = client.post(reverse("products:decision_transition", args=[decision.pk]), {"to": "published"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Thao tác này không hoàn tác được." in page
    assert "cấp 2 giấy chứng nhận OCOP" in page
    decision.refresh_from_db()
    assert (decision.status, Certificate.objects.count()) == ("recorded", 0)
    response = client.post(reverse("products:decision_transition", args=[decision.pk]), {"to": "published", "confirmed": "1"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.status, decision.number, decision.decided_on) == ("published", "1887/QĐ-UBND", today)
    assert Certificate.objects.filter(decision=decision).count() == 2


def test_bad_record_input_keeps_what_was_typed_and_explains_in_vietnamese(client, setup):
    _login(client, setup.staff)
    decision = services.decision_create_from_round(round_=setup.round, by=setup.staff)
    response = client.post(reverse("products:decision_record", args=[decision.pk]), {
        "number": "1887/QĐ-UBND", "decided_on": "31/02/2026", "signer_name": "Nguyễn Văn Hưng"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nhập ngày theo dạng dd/mm/yyyy." in page
    assert 'value="1887/QĐ-UBND"' in page
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT


def test_publish_with_bad_target_state_is_refused_without_error(client, setup):
    _login(client, setup.staff)
    decision = services.decision_create_from_round(round_=setup.round, by=setup.staff)
    response = client.post(reverse("products:decision_transition", args=[decision.pk]), {"to": "nonsense"})
    assert response.status_code == 302
    response = client.post(reverse("products:decision_transition", args=[decision.pk]), {"to": "published", "confirmed": "1"},
                           follow=True)
    assert "Không thể chuyển quyết định từ “Dự thảo” sang “Đã công bố”." in response.content.decode()


def test_revocation_through_the_page_then_the_public_page_says_revoked(client, setup):
    published_decision(setup.round, setup.staff)
    cert = Certificate.objects.get(star=4)
    _login(client, setup.staff)
    today = timezone.localdate()
    response = client.post(reverse("products:certificate_revoke", args=[cert.pk]), {
        "ground": RevocationGround.LAW_VIOLATION, "finding_on": (today - datetime.timedelta(days=3)).strftime("%d/%m/%Y"),
        "decision_number": "2001/QĐ-UBND", "decided_on": today.strftime("%d/%m/%Y"), "note": "Vi phạm ATTP"})
    assert response.status_code == 302
    client.logout()
    page = client.get(reverse("products:verify", args=[cert.verify_code])).content.decode()
    assert "Đã thu hồi" in page
    assert f"Giấy chứng nhận đã bị thu hồi từ ngày {today:%d/%m/%Y}." in page
    assert "Quyết định thu hồi số 2001/QĐ-UBND." in page
    assert client.get(reverse("products:verify_pdf", args=[cert.verify_code])).status_code == 404


def test_revocation_form_errors_are_vietnamese_and_not_500(client, setup):
    published_decision(setup.round, setup.staff)
    cert = Certificate.objects.get(star=4)
    _login(client, setup.staff)
    response = client.post(reverse("products:certificate_revoke", args=[cert.pk]), {
        "ground": "z", "finding_on": "hôm qua", "decision_number": "1/QĐ"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nhập ngày theo dạng dd/mm/yyyy." in page
    assert 'value="1/QĐ"' in page


def test_public_verification_shows_validity_and_nothing_private(client, setup):
    published_decision(setup.round, setup.staff)
    cert = Certificate.objects.select_related("product__producer").get(star=4)
    producer = cert.product.producer
    response = client.get(f"/xac-minh/{cert.verify_code}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Còn hiệu lực" in page and "★★★★" in page
    assert cert.product.name in page and producer.name in page
    assert f"Từ ngày {cert.issued_on:%d/%m/%Y} đến ngày {cert.valid_until:%d/%m/%Y}" in page
    for private in (producer.tax_code, producer.phone, producer.email, producer.representative_name):
        assert private not in page


def test_superseded_certificate_points_to_the_newer_one(client, setup):
    from registrations.enums import DossierKind

    published_decision(setup.round, setup.staff)
    old = Certificate.objects.get(star=3)
    round_ = closed_round(setup.province, [4], commune=setup.commune, kind=DossierKind.UPGRADE,
                          previous_certificate=old.number, producer=old.product.producer, product_names=[old.product.name])
    published_decision(round_, setup.staff)
    new = Certificate.objects.get(supersedes=old)
    page = client.get(reverse("products:verify", args=[old.verify_code])).content.decode()
    assert "Đã được thay thế" in page
    assert reverse("products:verify", args=[new.verify_code]) in page


def test_unknown_code_gives_a_vietnamese_404(client, db):
    response = client.get("/xac-minh/khong-co-ma-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy giấy chứng nhận" in response.content.decode()


def test_public_catalogue_lists_active_products_with_filters(client, setup):
    published_decision(setup.round, setup.staff)
    response = client.get(reverse("products:catalogue_province", args=[setup.province.code]), {"star": 4})
    names = [c.product.name for c in response.context["certificates"]]
    assert names == [Certificate.objects.get(star=4).product.name]
    assert client.get(reverse("products:catalogue_province", args=[setup.province.code]), {"star": "x"}).status_code == 200


def test_home_page_lists_renewal_window_and_overdue_revocations(client, setup):
    published_decision(setup.round, setup.staff)
    cert = Certificate.objects.get(star=3)
    today = timezone.localdate()
    Certificate.objects.filter(pk=cert.pk).update(issued_on=today - datetime.timedelta(days=900),
                                                  valid_until=today + datetime.timedelta(days=150))
    services.certificate_revoke(certificate=Certificate.objects.get(star=4), ground=RevocationGround.STOPPED_PRODUCING,
                                by=setup.staff, finding_on=today - datetime.timedelta(days=16))
    _login(client, setup.staff)
    page = client.get(reverse("home")).content.decode()
    assert "Giấy chứng nhận đang trong thời hạn nộp hồ sơ đánh giá lại" in page
    assert "Ra quyết định thu hồi giấy chứng nhận (hạn 15 ngày từ khi phát hiện)" in page


def test_certificate_list_filters_by_state_and_star(client, setup):
    published_decision(setup.round, setup.staff)
    _login(client, setup.staff)
    response = client.get(reverse("products:certificate_list"), {"star": 3, "state": "active"})
    assert [c.star for c in response.context["certificates"]] == [3]
    response = client.get(reverse("products:certificate_list"), {"state": "expiring"})
    assert list(response.context["certificates"]) == []


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["products:certificate_list", "products:decision_list", "products:product_list",
                                      "products:api-certificate-list", "products:api-product-list"])
def test_lists_make_the_same_number_of_queries_for_1_and_40_rows(client, setup, url_name):
    province, staff = setup.province, setup.staff
    published_decision(closed_round(province, [3], commune=setup.commune), staff)
    _login(client, staff)
    url = reverse(url_name)
    one = _count_queries(client, url)
    for _ in range(3):
        published_decision(closed_round(province, [4] * 13, commune=setup.commune), staff)
    assert Certificate.objects.count() == 40
    assert _count_queries(client, url) == one


def test_decision_list_makes_the_same_number_of_queries_for_1_and_40_decisions(client, setup):
    published_decision(setup.round, setup.staff)
    _login(client, setup.staff)
    url = reverse("products:decision_list")
    one = _count_queries(client, url)
    for _ in range(39):
        published_decision(closed_round(setup.province, [3], commune=setup.commune), setup.staff)
    assert Decision.objects.count() == 40
    assert _count_queries(client, url) == one


def test_admin_enters_a_legacy_district_certificate(client, db):
    from accounts.models import User

    from .factories import authority_rules, legacy_setup
    from tests.registrations.factories import ProducerFactory, ProductSetFactory

    authority_rules()
    _, district, old_commune = legacy_setup()
    producer, product_set = ProducerFactory(commune=old_commune), ProductSetFactory()
    admin = User.objects.create_superuser("quantri", "qt@example.vn", PASSWORD)
    _login(client, admin)
    url = reverse("admin:products_certificate_legacy")
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "producer": producer.pk, "product_set": product_set.pk, "product_name": "Kẹo dừa truyền thống Thanh Long",
        "product_code": "83-834-28870-1-2023", "commune_id": old_commune.pk, "star": 3, "level": "district",
        "issuing_unit_id": district.pk, "decision_number": "2871/QĐ-UBND", "decided_on": "15/12/2023",
        "certificate_number": "12/2023/GCN-OCOP-CL", "signer_name": "Trần Văn Bình"})
    assert response.status_code == 302
    cert = Certificate.objects.get(number="12/2023/GCN-OCOP-CL")
    assert (cert.decision.issuer_name, cert.valid_until) == ("Ủy ban nhân dân huyện Chợ Lách", datetime.date(2026, 12, 15))
    response = client.post(url, {
        "producer": producer.pk, "product_set": product_set.pk, "product_name": "Bánh tráng",
        "product_code": "83-834-28870-2-2026", "commune_id": old_commune.pk, "star": 3, "level": "district",
        "issuing_unit_id": district.pk, "decision_number": "1/QĐ-UBND", "decided_on": "15/08/2025",
        "certificate_number": "1/2025/X"})
    assert response.status_code == 200
    assert "không thuộc thẩm quyền công nhận của UBND cấp huyện vào ngày 15/08/2025" in response.content.decode()


def test_the_5_star_revocation_form_records_the_ministrys_decision(client, setup):
    from evaluations.models import Result

    from .factories import ministry

    ministry()
    round_ = closed_round(setup.province, [5], commune=setup.commune)
    Result.objects.filter(round=round_).update(central_mean=93, central_star=5, central_recorded_at=timezone.now())
    published_decision(round_, setup.staff, level="ministry", number="91/QĐ-BNNMT")
    cert = Certificate.objects.get(star=5)
    _login(client, setup.staff)
    page = client.get(cert.get_absolute_url()).content.decode()
    assert 'data-testid="ministry-revokes"' in page and "Số quyết định thu hồi của Bộ trưởng Bộ NN&amp;MT" in page

    today = timezone.localdate().strftime("%d/%m/%Y")
    response = client.post(reverse("products:certificate_revoke", args=[cert.pk]), {
        "ground": RevocationGround.MARK_MISUSE, "finding_on": today, "decision_number": "", "decided_on": ""})
    assert response.status_code == 400
    assert Certificate.objects.get(pk=cert.pk).status == "active"
    response = client.post(reverse("products:certificate_revoke", args=[cert.pk]), {
        "ground": RevocationGround.MARK_MISUSE, "finding_on": today, "decision_number": "17/QĐ-BNNMT",
        "decided_on": today})
    assert response.status_code == 302
    client.logout()
    public = client.get(cert.get_verify_url()).content.decode()
    assert "Quyết định thu hồi số 17/QĐ-BNNMT. (Bộ Nông nghiệp và Môi trường)" in public


# --- never a 500 (issue 8, item 12) -----------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/xac-minh/ab%00cd/", "/xac-minh/%00/giay-chung-nhan.pdf", "/san-pham-ocop/8%006/"])
def test_a_nul_byte_in_a_public_address_is_a_404(client, db, path):
    assert reverse("products:verify", args=["x"]) == "/xac-minh/x/"
    assert client.get(path).status_code == 404


def test_a_certificate_pdf_whose_file_is_missing_is_rendered_again(client, setup):
    published_decision(setup.round, setup.staff)
    cert = Certificate.objects.get(star=4)
    _login(client, setup.staff)

    first = client.get(reverse("products:certificate_pdf", args=[cert.pk]))
    assert first.status_code == 200 and b"".join(first.streaming_content).startswith(b"%PDF")
    cert.refresh_from_db()
    stored = cert.pdf.name
    cert.pdf.storage.delete(stored)  # the file is lost (a disk restored without media, a manual clean-up)
    assert not cert.pdf.storage.exists(stored)

    again = client.get(reverse("products:certificate_pdf", args=[cert.pk]))
    assert again.status_code == 200 and b"".join(again.streaming_content).startswith(b"%PDF")
    assert cert.pdf.storage.exists(Certificate.objects.get(pk=cert.pk).pdf.name)
    client.logout()
    public = client.get(reverse("products:verify_pdf", args=[cert.verify_code]))
    assert public.status_code == 200 and public["Content-Type"] == "application/pdf"


@pytest.mark.django_db(transaction=True)
def test_forty_concurrent_create_decision_requests_make_one_decision(setup):
    import threading

    from django.db import connections
    from django.test import Client

    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent transactions need PostgreSQL")
    barrier = threading.Barrier(40)
    answers, errors = [], []

    def create():
        try:
            client = Client()
            client.force_login(setup.staff)
            barrier.wait()
            response = client.post(reverse("products:decision_create"), {"round": setup.round.pk, "level": "province"})
            answers.append((response.status_code, response.content.decode() if response.status_code != 302 else ""))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert Decision.objects.filter(round=setup.round).count() == 1
    assert Decision.objects.get(round=setup.round).items.count() == 2
    assert sorted(code for code, _ in answers) == [302] + [400] * 39
    refused = [body for code, body in answers if code == 400]
    assert all("đã có dự thảo quyết định" in body or "không còn sản phẩm nào đủ điều kiện" in body for body in refused)


def test_staff_find_certificates_in_their_grace_and_see_until_when(client, setup):
    from .test_services import T, _ending_on_t, _file_re_evaluation, _on

    cert = _ending_on_t(setup)
    other = Certificate.objects.exclude(pk=cert.pk).get()
    Certificate.objects.filter(pk=other.pk).update(issued_on=datetime.date(2024, 3, 31), valid_until=T)
    dossier = _file_re_evaluation(cert, T - datetime.timedelta(days=130))
    with _on(T + datetime.timedelta(days=10)):
        _login(client, setup.staff)
        services.certificates_expire()
        listed = client.get(reverse("products:certificate_list"), {"state": "grace"}).context["certificates"]
        page = client.get(cert.get_absolute_url()).content.decode()
    assert [c.pk for c in listed] == [cert.pk]  # the other one, never re-evaluated, expired
    assert "Còn hiệu lực — đang đánh giá lại" in page
    grace = page[page.index('id="certificate-grace"'):]
    assert "Còn hiệu lực đến khi có quyết định, không quá 27/09/2027." in grace[:grace.index("</dd>")]
    assert reverse("registrations:dossier_detail", args=[dossier.pk]) in grace[:grace.index("</dd>")]


def test_certificate_search_finds_the_same_with_or_without_diacritics(client, setup):
    published_decision(closed_round(setup.province, [3, 4], commune=setup.commune,
                                    product_names=["Bưởi da xanh Chợ Lách", "Kẹo dừa Đông Hải"]), setup.staff)
    pomelo = Certificate.objects.get(product__name="Bưởi da xanh Chợ Lách")
    candy = Certificate.objects.get(product__name="Kẹo dừa Đông Hải")
    _login(client, setup.staff)
    for query, expected in [("Bưởi da xanh", [pomelo]), ("buoi da xanh", [pomelo]), ("BUOI", [pomelo]),
                            ("dong hai", [candy]), ("Đông Hải", [candy]), (candy.number, [candy]),
                            (candy.product.code.lower(), [candy]), ("bưởi đông", [])]:
        response = client.get(reverse("products:certificate_list"), {"q": query})
        assert (query, list(response.context["certificates"])) == (query, expected)


def test_certificate_search_by_producer_name_without_diacritics(client, setup):
    published_decision(closed_round(setup.province, [3], commune=setup.commune), setup.staff)
    certificate = Certificate.objects.select_related("product__producer").get()
    producer_name = certificate.product.producer.name
    _login(client, setup.staff)
    folded = fold(producer_name)
    assert folded != producer_name.lower()  # the factory's name carries diacritics
    response = client.get(reverse("products:certificate_list"), {"q": folded})
    assert list(response.context["certificates"]) == [certificate]


def test_certificate_search_makes_the_same_number_of_queries_for_1_and_40_found(client, setup):
    province, staff = setup.province, setup.staff
    published_decision(closed_round(province, [3], commune=setup.commune), staff)
    _login(client, staff)
    url = reverse("products:certificate_list") + "?q=banh+phong+son+doc"
    one = _count_queries(client, url)
    for _ in range(3):
        published_decision(closed_round(province, [4] * 13, commune=setup.commune), staff)
    assert _count_queries(client, url) == one
    assert client.get(url).context["page"].paginator.count == 40


ENGLISH_BLANKS = ("- Select an option -", "---------")


def _vietnamese_page(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    page = response.content.decode()
    assert [text for text in ENGLISH_BLANKS if text in page] == []
    return page


def test_the_decision_form_offers_a_vietnamese_empty_choice(client, setup):
    _login(client, setup.staff)
    page = _vietnamese_page(client, reverse("products:decision_create"))
    assert page.count(">— Chọn —</option>") == 1  # the closed round


def test_certificate_and_catalogue_filters_say_tat_ca_for_no_restriction(client, setup):
    published_decision(setup.round, setup.staff)
    catalogue = _vietnamese_page(client, reverse("products:catalogue_province", args=[setup.province.code]))
    assert catalogue.count(">Tất cả</option>") == 3  # star, product group, commune
    _login(client, setup.staff)
    certificates = _vietnamese_page(client, reverse("products:certificate_list"))
    assert certificates.count(">Tất cả</option>") == 4  # state, star, commune, product group


def test_the_legacy_certificate_admin_form_offers_a_vietnamese_empty_choice():
    from products.admin import LegacyCertificateForm

    form = LegacyCertificateForm()
    assert [str(form.fields[name].empty_label) for name in ("producer", "product_set")] == ["— Chọn —", "— Chọn —"]


def test_admin_search_finds_products_and_certificates_with_or_without_diacritics(client, setup):
    from accounts.models import User

    published_decision(closed_round(setup.province, [3, 4], commune=setup.commune,
                                    product_names=["Bưởi da xanh Chợ Lách", "Kẹo dừa Đông Hải"]), setup.staff)
    pomelo = Certificate.objects.get(product__name="Bưởi da xanh Chợ Lách")
    client.force_login(User.objects.create_superuser("quantri", "qt@example.vn", PASSWORD))
    for url_name, expected in [("admin:products_certificate_changelist", pomelo.pk),
                               ("admin:products_product_changelist", pomelo.product_id)]:
        for query in ("Bưởi da xanh", "buoi da xanh", "cho lach BUOI"):
            response = client.get(reverse(url_name), {"q": query})
            assert (query, [row.pk for row in response.context["cl"].result_list]) == (query, [expected])


def test_the_public_catalogue_searches_with_or_without_diacritics(client, setup):
    published_decision(closed_round(setup.province, [3, 4], commune=setup.commune,
                                    product_names=["Bưởi da xanh Chợ Lách", "Kẹo dừa Đông Hải"]), setup.staff)
    url = reverse("products:catalogue_province", args=[setup.province.code])
    for query, expected in [("Bưởi da xanh", ["Bưởi da xanh Chợ Lách"]), ("buoi da xanh", ["Bưởi da xanh Chợ Lách"]),
                            ("DONG HAI", ["Kẹo dừa Đông Hải"]), ("buoi dong hai", [])]:
        response = client.get(url, {"q": query})
        assert (query, [c.product.name for c in response.context["certificates"]]) == (query, expected)


def test_the_public_catalogue_search_makes_the_same_number_of_queries_for_1_and_40_found(client, setup):
    province = setup.province
    published_decision(closed_round(province, [3], commune=setup.commune), setup.staff)
    url = reverse("products:catalogue_province", args=[province.code]) + "?q=banh+phong"
    one = _count_queries(client, url)
    for _ in range(3):
        published_decision(closed_round(province, [4] * 13, commune=setup.commune), setup.staff)
    assert _count_queries(client, url) == one
    assert client.get(url).context["page"].paginator.count == 40


# --- the public check says the state first (issue 14, item 10) ------------------------------------
def _positions(page, *markers):
    return [page.index(marker) for marker in markers]


def _ended(cert, status, days_ago=10):
    ended_on = timezone.localdate() - datetime.timedelta(days=days_ago)
    Certificate.objects.filter(pk=cert.pk).update(status=status, ended_on=ended_on)
    return ended_on


@pytest.mark.parametrize("state, badge, sentence, stars_class", [
    ("active", "Còn hiệu lực", None, "fs-3 text-warning"),
    ("expiring", "Còn hiệu lực — sắp hết hạn", "và sắp hết hạn.", "fs-3 text-warning"),
    ("expired", "Hết hiệu lực", "Giấy chứng nhận đã hết hiệu lực từ sau ngày", "fs-3 ocop-stars-ended"),
    ("revoked", "Đã thu hồi", "Giấy chứng nhận đã bị thu hồi từ ngày", "fs-3 ocop-stars-ended"),
    ("superseded", "Đã được thay thế", "Giấy chứng nhận này đã được thay thế từ ngày", "fs-3 ocop-stars-ended"),
])
def test_public_check_says_the_state_before_the_stars_and_the_validity(client, setup, state, badge, sentence,
                                                                       stars_class):
    published_decision(setup.round, setup.staff)
    cert = Certificate.objects.get(star=4)
    today = timezone.localdate()
    if state == "expiring":
        Certificate.objects.filter(pk=cert.pk).update(valid_until=today + datetime.timedelta(days=30))
    elif state == "expired":
        Certificate.objects.filter(pk=cert.pk).update(issued_on=today - datetime.timedelta(days=1100),
                                                      valid_until=today - datetime.timedelta(days=11))
        _ended(cert, "expired")
    elif state == "revoked":
        services.certificate_revoke(certificate=cert, ground=RevocationGround.LAW_VIOLATION, by=setup.staff,
                                    finding_on=today - datetime.timedelta(days=3),
                                    decision_number="2001/QĐ-UBND", decided_on=today)
    elif state == "superseded":
        _ended(cert, "superseded")
    cert.refresh_from_db()
    page = client.get(cert.get_verify_url()).content.decode()
    banner = page[page.index('id="verify-banner"'):]
    banner = banner[:banner.index("</div>")]
    assert '<span class="badge' in banner and badge in banner
    assert cert.public_state() == state
    validity = f"Từ ngày {cert.issued_on:%d/%m/%Y} đến ngày {cert.valid_until:%d/%m/%Y}"
    banner_at, stars_at, validity_at = _positions(page, 'id="verify-banner"', 'id="verify-stars"', validity)
    assert banner_at < stars_at < validity_at
    if sentence:
        assert sentence in banner and page.index(sentence) < stars_at
    assert f'<p class="{stars_class}" id="verify-stars"' in page
    ended = state in ("expired", "revoked", "superseded")
    assert ("Hạng sao không còn hiệu lực" in page) == ended
    assert ("Thời hạn ghi trên giấy chứng nhận" in page) == ended
    if state == "revoked":
        assert "Quyết định thu hồi số 2001/QĐ-UBND." in banner
        assert f"Căn cứ thu hồi: {RevocationGround.LAW_VIOLATION.label}" in banner


def test_certificate_list_says_its_active_filters(client, setup):
    published_decision(setup.round, setup.staff)
    _login(client, setup.staff)
    url = reverse("products:certificate_list")
    page = client.get(url + "?star=4&state=active").content.decode()
    summary = page[page.index('id="active-filters"'):]
    summary = summary[:summary.index("</p>")]
    assert "Hạng sao: 4★" in summary and f'<a href="{url}">Xoá bộ lọc</a>' in summary
    assert summary.index("Trạng thái: ") < summary.index("Hạng sao: 4★")
    assert 'id="active-filters"' not in client.get(url).content.decode()


def test_public_catalogue_says_its_active_filters_with_a_link_that_clears_them(client, setup):
    published_decision(setup.round, setup.staff)
    url = reverse("products:catalogue_province", args=[setup.province.code])
    page = client.get(url, {"star": 4}).content.decode()
    summary = page[page.index('id="active-filters"'):]
    summary = summary[:summary.index("</p>")]
    assert summary.count('<span class="badge text-bg-light border">') == 1
    assert '<span class="badge text-bg-light border">Hạng sao: 4★</span>' in summary
    assert f'<a href="{url}">Xoá bộ lọc</a>' in summary
    assert 'id="active-filters"' not in client.get(url, {"star": "x"}).content.decode()  # an invalid value filters nothing
