"""Demo records of the registrations app: producers in the two demo communes of Vĩnh Long, their product
ideas and business plans, and dossiers in several states. Idempotent: run it as often as you like."""
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from .enums import DossierStatus
from .models import BusinessPlan, Dossier, Producer, ProductIdea, ProductSet
from .services import (
    commune_assessment_record,
    dossier_create,
    dossier_transition,
    evidence_upload,
    producer_create,
)

DEMO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

# tax code, commune index, kind, name, representative, gender, ethnicity, workforce (total, local), channels, certificates
PRODUCERS = [
    ("1300456789", 0, "cooperative", "HTX Dừa Xiêm Chợ Lách", "Nguyễn Văn Tư", "male", "Kinh", (32, 29),
     ["traditional_market", "supermarket", "ecommerce"], ["food_safety", "vietgap"]),
    ("1300567891", 0, "household", "Cơ sở kẹo dừa Thanh Long", "Trần Thị Bé", "female", "Kinh", (14, 12),
     ["own_shop", "social_media"], ["food_safety", "trademark"]),
    ("1300678912", 1, "household", "Hộ sản xuất bánh tráng Mỏ Cày", "Lê Thị Sáu", "female", "Khmer", (6, 6),
     ["traditional_market"], []),
    ("1300789123", 1, "sme", "Công ty TNHH Thủ công mỹ nghệ Dừa Việt", "Phạm Minh Khoa", "male", "Kinh", (58, 41),
     ["supermarket", "ecommerce", "export"], ["quality_system", "trademark"]),
]

# producer tax code, product name, product set slug, target status
DOSSIERS = [
    ("1300456789", "Dừa xiêm xanh Chợ Lách", "rau-cu-qua-hat-tuoi", DossierStatus.ACCEPTED),
    ("1300567891", "Kẹo dừa sáp Thanh Long", "che-bien-tu-rau-cu-qua-hat", DossierStatus.FORWARDED),
    ("1300678912", "Bánh tráng dừa Mỏ Cày", "che-bien-tu-gao-ngu-coc", DossierStatus.SUBMITTED),
    ("1300789123", "Túi xách sợi dừa", "thu-cong-my-nghe", DossierStatus.DRAFT),
]
ASSESSMENT = {
    "origin_and_raw_material": "met", "origin_and_raw_material_note": "Dừa xiêm trồng tại địa phương.",
    "local_labour": "met", "local_labour_note": "Phần lớn lao động thường trú tại xã.",
    "idea_origin": "met", "idea_origin_note": "Ý tưởng đăng ký với xã năm 2025.",
    "local_identity": "met", "local_identity_note": "Gắn với vùng dừa Bến Tre.",
    "conclusion": "forward", "conclusion_note": "Đề nghị cấp tỉnh đánh giá, phân hạng.",
}
PATH = {
    DossierStatus.DRAFT: [],
    DossierStatus.SUBMITTED: [DossierStatus.SUBMITTED],
    DossierStatus.FORWARDED: [DossierStatus.SUBMITTED, "assess", DossierStatus.FORWARDED],
    DossierStatus.ACCEPTED: [DossierStatus.SUBMITTED, "assess", DossierStatus.FORWARDED, DossierStatus.INTAKE, DossierStatus.ACCEPTED],
}


@transaction.atomic
def demo_extend(ctx) -> None:
    officers = {0: ctx.users.get("commune_officer"), 1: ctx.users.get("commune_officer_2")}
    province_staff = ctx.users.get("province_staff")
    year = timezone.localdate().year
    producers = {}
    for tax_code, idx, kind, name, rep, gender, ethnicity, (total, local), channels, certs in PRODUCERS:
        producer = Producer.objects.filter(tax_code=tax_code).first() or producer_create(
            by=officers[idx], kind=kind, name=name, tax_code=tax_code, commune=ctx.communes[idx],
            address="Ấp Phú Hiệp" if idx == 0 else "Ấp Tân Phong", representative_name=rep,
            representative_position="Giám đốc" if kind in ("cooperative", "sme") else "Chủ hộ",
            representative_gender=gender, representative_ethnicity=ethnicity, phone="0275 3871 234",
            email=f"lienhe.{tax_code}@demo.ocop.local", workforce_total=total, workforce_local=local,
            sales_channels=channels, certificates=certs,
        )
        producers[tax_code] = producer
    producer_user = ctx.users.get("producer")
    if producer_user is not None:
        producers["1300456789"].accounts.add(producer_user)

    for tax_code, title, status in [
        ("1300567891", "Kẹo dừa ít đường vị lá dứa", "developed"),
        ("1300678912", "Bánh tráng dừa nướng đóng gói", "approved"),
        ("1300789123", "Đèn trang trí từ gáo dừa", "registered"),
    ]:
        producer = producers[tax_code]
        ProductIdea.objects.get_or_create(
            producer=producer, title=title, year=year,
            defaults={"commune": producer.commune, "status": status, "description": "Đăng ký ở bước 2 chu trình OCOP."},
        )
    for tax_code, title, status in [
        ("1300567891", "Phương án mở rộng xưởng kẹo dừa", "implementing"),
        ("1300678912", "Phương án sản xuất bánh tráng dừa", "submitted"),
    ]:
        producer = producers[tax_code]
        BusinessPlan.objects.get_or_create(
            producer=producer, title=title, year=year,
            defaults={"commune": producer.commune, "status": status, "idea": producer.ideas.first()},
        )

    if not ProductSet.objects.exists():
        return
    for tax_code, product_name, slug, target in DOSSIERS:
        producer = producers[tax_code]
        if Dossier.objects.filter(producer=producer, product_name=product_name).exists():
            continue
        product_set = ProductSet.objects.filter(slug=slug).order_by("-classification").first() or ProductSet.objects.first()
        officer = officers[ctx.communes.index(producer.commune)]
        dossier = dossier_create(
            producer=producer, by=officer, kind="first", product_name=product_name, product_set=product_set,
            revision_data={"history": f"{producer.name} sản xuất {product_name.lower()} từ nguyên liệu địa phương.",
                           "markets": "Tiêu thụ trong tỉnh và TP. Hồ Chí Minh."},
        )
        for kind, filename in (("business_registration", "giay-dang-ky-kinh-doanh.pdf"),
                               ("quality_declaration", "ban-tu-cong-bo-san-pham.pdf")):
            evidence_upload(dossier=dossier, kind=kind, by=officer,
                            uploaded=SimpleUploadedFile(filename, DEMO_PDF, content_type="application/pdf"))
        for step in PATH[target]:
            if step == "assess":
                commune_assessment_record(dossier=dossier, by=officer, **ASSESSMENT)
            else:
                by = province_staff if step in (DossierStatus.INTAKE, DossierStatus.ACCEPTED) else officer
                dossier_transition(dossier=dossier, to=step, by=by)
