from dataclasses import dataclass

import pytest

from accounts.enums import Role
from tests.factories import CommuneFactory, user_with_role

from .factories import closed_round, province_with_committee


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _public_base_url(settings):
    settings.OCOP_PUBLIC_BASE_URL = "https://ocop.vinhlong.gov.vn"


@dataclass
class Setup:
    province: object
    commune: object
    staff: object
    officer: object
    round: object


@pytest.fixture
def setup(db):
    """A province with its People's Committee and OCOP staff, a commune with its officer, and a closed round
    with a 4★ and a 3★ result."""
    province = province_with_committee()
    commune = CommuneFactory(parent=province)
    staff = user_with_role(Role.PROVINCE_STAFF, province)
    officer = user_with_role(Role.COMMUNE_OFFICER, commune)
    round_ = closed_round(province, [4, 3], commune=commune)
    return Setup(province, commune, staff, officer, round_)
