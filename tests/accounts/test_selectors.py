import datetime

import pytest

from accounts.enums import OrganisationKind, Role
from accounts.models import RoleAssignment
from accounts.selectors import organisation_on, scope_filter, unit_in_scope, user_scope
from tests.factories import CommuneFactory, OrganisationFactory, ProvinceFactory, UserFactory, user_with_role
from units.enums import LEGACY_VALID_TO, Level
from units.models import AdministrativeUnit, UnitLineage


@pytest.fixture
def two_provinces():
    p1, p2 = ProvinceFactory(), ProvinceFactory()
    return p1, CommuneFactory(parent=p1), CommuneFactory(parent=p1), p2, CommuneFactory(parent=p2)


def _communes_visible(user):
    return set(scope_filter(AdministrativeUnit.objects.filter(level=Level.COMMUNE), user, commune_field="").values_list("pk", flat=True))


@pytest.mark.django_db
def test_commune_officer_reaches_their_commune_only(two_provinces):
    p1, c1, c2, p2, c3 = two_provinces
    officer = user_with_role(Role.COMMUNE_OFFICER, c1)

    assert _communes_visible(officer) == {c1.pk}
    assert unit_in_scope(officer, c1) is True
    assert unit_in_scope(officer, c2) is False
    assert unit_in_scope(officer, c3) is False


@pytest.mark.django_db
def test_province_staff_reach_the_whole_province_and_nothing_of_another(two_provinces):
    p1, c1, c2, p2, c3 = two_provinces
    staff = user_with_role(Role.PROVINCE_STAFF, p1)

    assert _communes_visible(staff) == {c1.pk, c2.pk}
    assert unit_in_scope(staff, c3) is False


@pytest.mark.django_db
def test_commune_officer_also_reaches_the_pre_reform_communes_merged_into_theirs(two_provinces):
    p1, c1, *_ = two_provinces
    old = AdministrativeUnit.objects.create(
        code="99999", name="Thị trấn Cũ", level=Level.COMMUNE, kind="thi_tran", valid_to=LEGACY_VALID_TO, current_province=p1
    )
    UnitLineage.objects.create(old=old, new=c1, effective_on=datetime.date(2025, 7, 1))
    officer = user_with_role(Role.COMMUNE_OFFICER, c1)

    assert _communes_visible(officer) == {c1.pk, old.pk}


@pytest.mark.django_db
def test_expired_role_gives_no_scope(two_provinces):
    p1, c1, *_ = two_provinces
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=Role.PROVINCE_STAFF, unit=p1, valid_to=datetime.date(2025, 6, 30))

    assert user_scope(user).has_role(Role.PROVINCE_STAFF) is False
    assert _communes_visible(user) == set()


@pytest.mark.django_db
def test_organisation_is_named_as_it_was_on_the_date():
    province = ProvinceFactory()
    OrganisationFactory(kind=OrganisationKind.AGRICULTURE_DEPARTMENT, unit=province, name="Sở Nông nghiệp và Phát triển nông thôn",
                        valid_to=datetime.date(2025, 2, 28))
    OrganisationFactory(kind=OrganisationKind.AGRICULTURE_DEPARTMENT, unit=province, name="Sở Nông nghiệp và Môi trường",
                        valid_from=datetime.date(2025, 3, 1))

    in_2023 = organisation_on(kind=OrganisationKind.AGRICULTURE_DEPARTMENT, unit=province, day=datetime.date(2023, 5, 4))
    in_2026 = organisation_on(kind=OrganisationKind.AGRICULTURE_DEPARTMENT, unit=province, day=datetime.date(2026, 5, 4))

    assert in_2023.name == "Sở Nông nghiệp và Phát triển nông thôn"
    assert in_2026.name == "Sở Nông nghiệp và Môi trường"
