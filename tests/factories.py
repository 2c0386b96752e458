"""factory_boy factories, one per model. Apps add theirs below their own heading."""
import datetime

import factory
from factory.django import DjangoModelFactory

from accounts.enums import OrganisationKind, Role
from accounts.models import Organisation, RoleAssignment, User
from units.enums import Kind, Level
from units.models import AdministrativeUnit

PASSWORD = "mat-khau-thu-2026"


# --- units ---------------------------------------------------------------------------------------
class ProvinceFactory(DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"{(n % 90) + 10:02d}")
    name = factory.Sequence(lambda n: f"Tỉnh Thử Nghiệm {n}")
    level = Level.PROVINCE
    kind = Kind.PROVINCE
    valid_from = datetime.date(2025, 7, 1)

    @factory.post_generation
    def _self_refs(obj, create, extracted, **kwargs):
        obj.province = obj
        obj.current_province = obj
        if create:
            obj.save(update_fields=["province", "current_province"])


class CommuneFactory(DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit

    code = factory.Sequence(lambda n: f"{n + 90000:05d}")
    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    level = Level.COMMUNE
    kind = Kind.COMMUNE
    parent = factory.SubFactory(ProvinceFactory)
    province = factory.SelfAttribute("parent")
    current_province = factory.SelfAttribute("parent")
    valid_from = datetime.date(2025, 7, 1)


# --- accounts ------------------------------------------------------------------------------------
class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    full_name = factory.Sequence(lambda n: f"Người Dùng {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RoleAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.COMMUNE_OFFICER
    unit = factory.SubFactory(CommuneFactory)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.PROVINCIAL_PEOPLES_COMMITTEE
    name = factory.Sequence(lambda n: f"Ủy ban nhân dân tỉnh Thử Nghiệm {n}")
    unit = factory.SubFactory(ProvinceFactory)


def user_with_role(role, unit=None, **kwargs) -> User:
    user = UserFactory(**kwargs)
    RoleAssignment.objects.create(user=user, role=role, unit=unit)
    return user
