"""Report e (Sản phẩm OCOP) on certificates made in current and legacy communes."""
import datetime

import pytest
from django.utils import timezone

from products.enums import CertificateStatus
from products.models import Certificate
from reports.enums import Grouping
from reports.periods import Params
from reports.registry import get_report

from .factories import certificate


@pytest.fixture
def certificates(world):
    year = timezone.localdate().year
    this_year = datetime.date(year, 1, 15)
    long_ago = timezone.localdate() - datetime.timedelta(days=1095 - 30)  # expires in 30 days
    # A (current): a 4★ issued this year; an old 3★ in the legacy Hòa Nghĩa commune (→ A), expiring soon
    certificate(world, world.a, 4, issued_on=this_year)
    old = certificate(world, world.hoa_nghia, 3, issued_on=long_ago, status=CertificateStatus.SUPERSEDED,
                      ended_on=this_year + datetime.timedelta(days=1))
    # ... superseded by a 4★ (an upgrade) this year
    certificate(world, world.hoa_nghia, 4, issued_on=this_year + datetime.timedelta(days=1), product=old.product,
                supersedes=old)
    # B: a 5★ re-recognised as 5★ (drinks), and a 3★ revoked this year
    five_old = certificate(world, world.b, 5, issued_on=long_ago, status=CertificateStatus.SUPERSEDED,
                           ended_on=this_year, product_set=world.drink_set)
    certificate(world, world.b, 5, issued_on=this_year, product=five_old.product, supersedes=five_old)
    certificate(world, world.my_an, 3, issued_on=long_ago, status=CertificateStatus.REVOKED,
                ended_on=this_year + datetime.timedelta(days=2))
    certificate(world, world.b, 3, issued_on=long_ago)  # still active, expiring in 30 days
    # Đồng Tháp: must not show
    certificate(world, world.far, 3, issued_on=this_year, producer=world.p_far)
    return year


def rows_of(world, year, grouping):
    table = get_report("ocop_products").rows(Params(province=world.province, year=year, grouping=grouping))
    keys = [c.key for c in table.columns]
    return {r[0]: dict(zip(keys, r)) for r in table.rows + [table.total]}


def test_ocop_products_by_current_commune(world, certificates):
    rows = rows_of(world, certificates, Grouping.CURRENT_COMMUNE)
    a, b, total = rows["Xã Chợ Lách"], rows["Xã Mỏ Cày"], rows["Tổng cộng"]
    assert (a["active_4"], a["active_3"], a["active_total"], a["new"], a["upgraded"], a["expiring"]) == (2, 0, 2, 1, 1, 0)
    assert (b["active_5"], b["active_3"], b["active_total"], b["re_recognised"], b["revoked"], b["expiring"]) == (
        1, 1, 2, 1, 1, 1)
    assert (total["active_total"], total["new"], total["upgraded"], total["re_recognised"], total["revoked"]) == (
        4, 1, 1, 1, 1)


def test_ocop_products_by_old_province(world, certificates):
    rows = rows_of(world, certificates, Grouping.OLD_PROVINCE)
    assert {k: v["active_total"] for k, v in rows.items()} == {
        "Tỉnh Bến Tre (cũ)": 2, "Tỉnh Vĩnh Long (cũ)": 2, "Tổng cộng": 4}
    assert rows["Tỉnh Vĩnh Long (cũ)"]["revoked"] == 1


def test_ocop_products_by_product_group(world, certificates):
    rows = rows_of(world, certificates, Grouping.PRODUCT_GROUP)
    assert {k: v["active_total"] for k, v in rows.items()} == {"I. Thực phẩm": 3, "II. Đồ uống": 1, "Tổng cộng": 4}


def test_a_product_of_the_1048_classification_counts_in_todays_group(world, certificates):
    """A 2021 certificate registered under a 1048 sub-group (“Rượu trắng”) rolls up into the group of the
    26/2026 set it maps to: today's beverages, not a seventh group."""
    from tests.registrations.factories import ProductGroupFactory, ProductSetFactory

    old_sector = ProductGroupFactory(classification="1048/QĐ-TTg", code="II", name="Đồ uống (1048)")
    spirits_1048 = ProductSetFactory(classification="1048/QĐ-TTg", group=old_sector, current_set=world.drink_set,
                                     valid_to=datetime.date(2023, 2, 23))
    certificate(world, world.b, 4, issued_on=datetime.date(certificates, 2, 1), product_set=spirits_1048)

    rows = rows_of(world, certificates, Grouping.PRODUCT_GROUP)
    assert {k: v["active_total"] for k, v in rows.items()} == {"I. Thực phẩm": 3, "II. Đồ uống": 2, "Tổng cộng": 5}


def test_a_certificate_in_its_grace_counts_as_in_force(world):
    from tests.registrations.factories import DossierFactory

    today = timezone.localdate()
    in_grace = certificate(world, world.a, 4, issued_on=today - datetime.timedelta(days=1100))  # ended 5 days ago
    lapsed = certificate(world, world.a, 3, issued_on=today - datetime.timedelta(days=1100))
    Certificate.objects.filter(pk=in_grace.pk).update(
        reevaluation_dossier=DossierFactory(producer=world.p1, kind="re_evaluation", previous_certificate=in_grace.number),
        grace_until=in_grace.valid_until + datetime.timedelta(days=180))
    assert lapsed.valid_until < today
    rows = rows_of(world, today.year, Grouping.CURRENT_COMMUNE)
    assert (rows["Xã Chợ Lách"]["active_4"], rows["Xã Chợ Lách"]["active_3"], rows["Tổng cộng"]["active_total"]) == (1, 0, 1)
