"""Issue 11, item 5: however the certificates of one product arrive, the chain is the one their decision dates
make — a newer certificate supersedes the older from its own decision date, one that ended before the next
was issued expired on its end date, and the newest is active while in force."""
import datetime
import itertools

import pytest

from accounts.enums import OrganisationKind
from accounts.models import Organisation
from activity.models import ActivityLog
from evaluations.enums import RecognisingLevel
from products import services
from products.models import Certificate
from tests.registrations.factories import ProducerFactory, ProductSetFactory

from .factories import authority_rules, legacy_setup

D = datetime.date

# (certificate number, star, level, decision number, decision date)
HISTORY = [
    ("05/2020/GCN", 3, RecognisingLevel.PROVINCE, "611/QĐ-UBND", D(2020, 3, 1)),    # valid to 01/03/2023
    ("12/2023/GCN", 3, RecognisingLevel.DISTRICT, "2871/QĐ-UBND", D(2023, 12, 15)),  # valid to 15/12/2026
    ("31/2024/GCN", 4, RecognisingLevel.PROVINCE, "1402/QĐ-UBND", D(2024, 6, 1)),    # valid to 01/06/2027
]


@pytest.fixture
def world(db):
    authority_rules()
    new_province, district, old_commune = legacy_setup()
    Organisation.objects.create(kind=OrganisationKind.PROVINCIAL_PEOPLES_COMMITTEE, unit=old_commune.province,
                                name="Ủy ban nhân dân tỉnh Bến Tre", valid_to=D(2025, 6, 30))
    return {"district": district, "commune": old_commune, "producer": ProducerFactory(commune=old_commune),
            "product_set": ProductSetFactory()}


def enter(world, row):
    number, star, level, decision_number, decided_on = row
    return services.legacy_certificate_record(
        producer=world["producer"], product_set=world["product_set"], product_name="Kẹo dừa Thanh Long",
        product_code="83-834-28870-1-2020", commune=world["commune"], star=star, level=level,
        issuing_unit=world["district"] if level == RecognisingLevel.DISTRICT else world["commune"].province,
        decision_number=decision_number, decided_on=decided_on, certificate_number=number, render=False)


def chain():
    return [(c.number, c.status, c.ended_on, c.supersedes.number if c.supersedes_id else None)
            for c in Certificate.objects.order_by("issued_on").select_related("supersedes")]


EXPECTED = [
    ("05/2020/GCN", "expired", D(2023, 3, 1), None),                # ended before the next was issued
    ("12/2023/GCN", "superseded", D(2024, 6, 1), None),             # from the upgrade's own decision date
    ("31/2024/GCN", "active", None, "12/2023/GCN"),
]


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_certificates_of_one_product_in_any_order_give_the_same_chain(world, order):
    for i in order:
        enter(world, HISTORY[i])
    assert chain() == EXPECTED
    assert Certificate.objects.filter(status="active").count() == 1


def test_an_upgrade_entered_after_its_predecessor_is_linked_and_only_it_is_active(world):
    enter(world, HISTORY[1])
    enter(world, HISTORY[2])
    assert chain()[-2:] == EXPECTED[-2:]


def test_a_predecessor_entered_late_is_logged_as_reordered_not_silently_changed(world):
    newest = enter(world, HISTORY[2])
    enter(world, HISTORY[1])
    newest.refresh_from_db()
    assert newest.supersedes.number == "12/2023/GCN"
    verbs = list(ActivityLog.objects.filter(object_id=str(newest.pk)).values_list("verb", flat=True))
    assert "Giấy chứng nhận: xếp lại theo ngày quyết định" in verbs
