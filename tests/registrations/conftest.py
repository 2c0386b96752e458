import pytest

from accounts.enums import Role
from tests.factories import CommuneFactory, ProvinceFactory, user_with_role
from tests.registrations.factories import DossierFactory, EvidenceFileFactory, ProducerFactory


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Nine users per test: a fast hasher keeps the suite quick (login still checks the password)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class World:
    """Two provinces; province A has communes A1 and A2, each with an officer; one producer in A1."""

    def __init__(self):
        self.province = ProvinceFactory(name="Tỉnh Vĩnh Long", code="86")
        self.other_province = ProvinceFactory(name="Tỉnh Đồng Tháp", code="82")
        self.commune = CommuneFactory(parent=self.province, name="Xã Chợ Lách", code="29017")
        self.other_commune = CommuneFactory(parent=self.province, name="Xã Mỏ Cày", code="29018")
        self.far_commune = CommuneFactory(parent=self.other_province, name="Xã Cao Lãnh", code="30001")
        self.officer = user_with_role(Role.COMMUNE_OFFICER, self.commune, username="canbo.xa", full_name="Nguyễn Thị Hồng")
        self.other_officer = user_with_role(Role.COMMUNE_OFFICER, self.other_commune, username="canbo.xa2")
        self.province_staff = user_with_role(Role.PROVINCE_STAFF, self.province, username="canbo.tinh")
        self.other_province_staff = user_with_role(Role.PROVINCE_STAFF, self.other_province, username="canbo.tinh2")
        self.council_member = user_with_role(Role.COUNCIL_MEMBER, self.province, username="hoidong")
        self.producer_user = user_with_role(Role.PRODUCER, self.commune, username="chuthe")
        self.other_producer_user = user_with_role(Role.PRODUCER, self.commune, username="chuthe2")
        self.producer = ProducerFactory(commune=self.commune, name="HTX Dừa Xiêm Chợ Lách", tax_code="1300123456")
        self.producer.accounts.add(self.producer_user)

    def complete_dossier(self, **kwargs):
        """A draft with the required evidence, ready to submit."""
        dossier = DossierFactory(producer=self.producer, **kwargs)
        revision = dossier.revisions.get()
        EvidenceFileFactory(revision=revision, kind="business_registration")
        EvidenceFileFactory(revision=revision, kind="quality_declaration", original_name="cong-bo.pdf")
        return dossier


@pytest.fixture
def world(db):
    return World()
