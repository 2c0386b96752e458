"""Factories for the registrations app; the base ones (units, users) come from tests/factories.py."""
import datetime

import factory
from factory.django import DjangoModelFactory

from registrations.enums import DossierKind, DossierStatus, EvidenceKind, Gender, ProducerKind
from registrations.models import (
    BusinessPlan,
    CommuneAssessment,
    Dossier,
    DossierRevision,
    EvidenceFile,
    Producer,
    ProductGroup,
    ProductIdea,
    ProductSet,
)
from tests.factories import CommuneFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 64


class ProductGroupFactory(DjangoModelFactory):
    class Meta:
        model = ProductGroup
        django_get_or_create = ("classification", "code")

    classification = "26/2026/QĐ-TTg"
    code = "I"
    level = ProductGroup.Level.GROUP
    name = "Thực phẩm"


class ProductSetFactory(DjangoModelFactory):
    class Meta:
        model = ProductSet

    classification = "26/2026/QĐ-TTg"
    number = factory.Sequence(lambda n: n + 1)
    code = factory.Sequence(lambda n: f"B{n + 1:02d}")
    slug = factory.Sequence(lambda n: f"bo-san-pham-{n + 1}")
    name = factory.Sequence(lambda n: f"Bộ sản phẩm thử {n + 1}")
    group = factory.SubFactory(ProductGroupFactory)


class ProducerFactory(DjangoModelFactory):
    class Meta:
        model = Producer

    kind = ProducerKind.COOPERATIVE
    name = factory.Sequence(lambda n: f"Hợp tác xã Dừa Thử {n}")
    tax_code = factory.Sequence(lambda n: f"{1300000000 + n:010d}")
    commune = factory.SubFactory(CommuneFactory)
    address = "Ấp Phú Hiệp"
    representative_name = "Nguyễn Văn Tư"
    representative_position = "Giám đốc"
    representative_gender = Gender.MALE
    representative_ethnicity = "Kinh"
    phone = "0275 3871 234"
    email = factory.Sequence(lambda n: f"htx{n}@example.vn")
    workforce_total = 20
    workforce_local = 18
    sales_channels = ["traditional_market", "ecommerce"]
    certificates = ["food_safety"]


class ProductIdeaFactory(DjangoModelFactory):
    class Meta:
        model = ProductIdea

    producer = factory.SubFactory(ProducerFactory)
    commune = factory.SelfAttribute("producer.commune")
    year = 2026
    title = "Kẹo dừa ít đường"


class BusinessPlanFactory(DjangoModelFactory):
    class Meta:
        model = BusinessPlan

    producer = factory.SubFactory(ProducerFactory)
    commune = factory.SelfAttribute("producer.commune")
    year = 2026
    title = "Phương án sản xuất kẹo dừa 2026"


class DossierFactory(DjangoModelFactory):
    class Meta:
        model = Dossier
        skip_postgeneration_save = True

    producer = factory.SubFactory(ProducerFactory)
    commune = factory.SelfAttribute("producer.commune")
    kind = DossierKind.FIRST
    product_name = factory.Sequence(lambda n: f"Kẹo dừa sáp {n}")
    product_set = factory.SubFactory(ProductSetFactory)
    year = 2026
    status = DossierStatus.DRAFT

    @factory.post_generation
    def revision(obj, create, extracted, **kwargs):
        if create:
            DossierRevisionFactory(dossier=obj, number=obj.revision_number, **kwargs)


class DossierRevisionFactory(DjangoModelFactory):
    class Meta:
        model = DossierRevision

    dossier = factory.SubFactory(DossierFactory, revision=None)
    number = 1
    representative_name = "Nguyễn Văn Tư"
    representative_position = "Giám đốc"
    contact_address = "Ấp Phú Hiệp"
    phone = "0275 3871 234"
    has_business_registration = True
    has_quality_declaration = True


class EvidenceFileFactory(DjangoModelFactory):
    class Meta:
        model = EvidenceFile

    revision = factory.SubFactory(DossierRevisionFactory)
    kind = EvidenceKind.BUSINESS_REGISTRATION
    file = factory.django.FileField(filename="dang-ky.pdf", data=PDF_BYTES)
    original_name = "dang-ky.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    sha256 = "0" * 64


class CommuneAssessmentFactory(DjangoModelFactory):
    class Meta:
        model = CommuneAssessment

    dossier = factory.SubFactory(DossierFactory)
    revision = factory.LazyAttribute(lambda o: o.dossier.revisions.get(number=o.dossier.revision_number))
    origin_and_raw_material = "met"
    local_labour = "met"
    idea_origin = "met"
    local_identity = "met"
    conclusion = "forward"
    received_on = datetime.date(2026, 3, 2)
    due_on = datetime.date(2026, 3, 23)
