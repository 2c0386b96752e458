from dataclasses import dataclass

import pytest

from accounts.enums import Role
from evaluations.enums import CouncilRole
from tests.factories import ProvinceFactory, user_with_role

from .factories import CouncilFactory, MembershipFactory, RoundEntryFactory, RoundFactory


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Setup:
    province: object
    council: object
    staff: object
    chair: object
    secretary: object
    members: list  # Membership rows of plain members
    round: object
    entry: object

    @property
    def rubric(self):
        return self.entry.rubric

    @property
    def dossier(self):
        return self.entry.dossier


@pytest.fixture
def setup(db):
    """A province with its secretariat, a council (chair, secretary, two members), a round in the scoring
    phase with one dossier placed, and every member assigned to it."""
    from evaluations.models import Assignment

    province = ProvinceFactory()
    council = CouncilFactory(province=province)
    chair = MembershipFactory(council=council, role=CouncilRole.CHAIR)
    secretary = MembershipFactory(council=council, role=CouncilRole.SECRETARY)
    members = [MembershipFactory(council=council), MembershipFactory(council=council)]
    round_ = RoundFactory(council=council)
    entry = RoundEntryFactory(round=round_)
    for m in [chair, secretary, *members]:
        Assignment.objects.create(round=round_, dossier=entry.dossier, member=m)
    staff = user_with_role(Role.PROVINCE_STAFF, province)
    return Setup(province, council, staff, chair, secretary, members, round_, entry)
