"""Demo records of the registrations app: producers in the two demo communes of Vĩnh Long, their product
ideas and business plans, and dossiers in several states. Idempotent: run it as often as you like.

Every record goes through the services. A dossier the commune received on paper weeks ago (so its 15
working days have run out) is submitted with that day of receipt, as an officer entering it late would.
"""
import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from .enums import DossierStatus
from .models import BusinessPlan, Dossier, Producer, ProductIdea, ProductSet
from .services import (
    commune_assessment_record,
    commune_due_date,
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
    ("1300891234", 0, "cooperative", "HTX Sầu riêng Sơn Định", "Võ Văn Năm", "male", "Kinh", (24, 24),
     ["traditional_market", "supermarket"], ["vietgap", "geographical_indication"]),
    ("1300912345", 0, "household", "Cơ sở hoa kiểng Cái Mơn Út Hiền", "Lê Thị Hiền", "female", "Kinh", (9, 9),
     ["own_shop", "social_media", "ecommerce"], []),
    ("1301023456", 1, "cooperative", "HTX Bưởi da xanh Mỏ Cày", "Đoàn Văn Hai", "male", "Kinh", (41, 37),
     ["supermarket", "export"], ["vietgap", "trademark"]),
    ("1301134567", 1, "household", "Cơ sở dầu dừa nguyên chất Bảy Hiền", "Thạch Thị Bảy", "female", "Khmer",
     (7, 7), ["own_shop", "ecommerce"], ["food_safety"]),
]



# The old Bến Tre 4★ certificates products/demo.py records before the dossiers are filed: sequence number and
# days before today + 36 months that they were issued (so that their re-evaluation window is open today).
RENEWED_CERTIFICATES = {"renewed": (31, 150), "renewed_grapefruit": (9, 140)}


def renewed_certificate_issued_on(today: datetime.date, key: str = "renewed") -> datetime.date:
    from dateutil.relativedelta import relativedelta

    return today - relativedelta(months=36) + datetime.timedelta(days=RENEWED_CERTIFICATES[key][1])


def renewed_certificate_number(today: datetime.date, key: str = "renewed") -> str:
    """The number of an old Bến Tre 4★ certificate that products/demo.py records (issued so that its
    re-evaluation window is open today); its re-evaluation dossier names it."""
    return f"{RENEWED_CERTIFICATES[key][0]:02d}/{renewed_certificate_issued_on(today, key).year}/GCN-OCOP-BT"


# producer tax code, product name, product set slug, target status, kind, previous certificate, received
# (when the commune received it: working days ago, "overdue", or None = today)
DOSSIERS = [
    ("1300456789", "Dừa xiêm xanh Chợ Lách", "rau-cu-qua-hat-tuoi", DossierStatus.ACCEPTED, "first", None, None),
    ("1300567891", "Kẹo dừa sáp Thanh Long", "che-bien-tu-rau-cu-qua-hat", DossierStatus.FORWARDED, "first", None, None),
    ("1300678912", "Bánh tráng dừa Mỏ Cày", "che-bien-tu-gao-ngu-coc", DossierStatus.SUBMITTED, "first", None, None),
    ("1300789123", "Túi xách sợi dừa", "thu-cong-my-nghe", DossierStatus.DRAFT, "first", None, None),
    # Chợ Lách's queue: one received weeks ago whose Form 03 is overdue, one received this week.
    ("1300891234", "Sầu riêng Ri6 Sơn Định", "rau-cu-qua-hat-tuoi", DossierStatus.COMMUNE_REVIEW, "first", None,
     "overdue"),
    ("1300912345", "Mai vàng bonsai Cái Mơn", "cay-canh", DossierStatus.SUBMITTED, "first", None, 2),
    # Re-evaluations of expiring 4★ certificates (the evaluations demo scores them in its re-evaluation round).
    ("1300456789", "Mật hoa dừa Chợ Lách", "che-bien-tu-rau-cu-qua-hat", DossierStatus.ACCEPTED, "re_evaluation",
     "renewed", None),
    ("1301023456", "Bưởi da xanh Mỏ Cày", "rau-cu-qua-hat-tuoi", DossierStatus.ACCEPTED, "re_evaluation",
     "renewed_grapefruit", None),
    # Accepted for the additional round, where the advisory group is reviewing it.
    ("1301134567", "Dầu dừa nguyên chất Bảy Hiền", "che-bien-tu-rau-cu-qua-hat", DossierStatus.ACCEPTED, "first",
     None, None),
]
# The producer account's own draft (chuthe): started by the cooperative, the quality declaration still missing.
PRODUCER_DRAFT = ("1300456789", "Nước dừa xiêm đóng chai", "do-uong-khong-con-khac")
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
    DossierStatus.COMMUNE_REVIEW: [DossierStatus.SUBMITTED, DossierStatus.COMMUNE_REVIEW],
    DossierStatus.FORWARDED: [DossierStatus.SUBMITTED, "assess", DossierStatus.FORWARDED],
    DossierStatus.ACCEPTED: [DossierStatus.SUBMITTED, "assess", DossierStatus.FORWARDED, DossierStatus.INTAKE, DossierStatus.ACCEPTED],
}


def _receipt_days_back(today: datetime.date, received) -> int:
    """Calendar days back to the (working) day of receipt: `received` working days ago, or for "overdue"
    the latest working day whose 15 working days ended at least three days before today."""
    if not received:
        return 0
    day = today
    if received == "overdue":
        day -= datetime.timedelta(days=21)
        while day.weekday() >= 5 or commune_due_date(day) >= today - datetime.timedelta(days=3):
            day -= datetime.timedelta(days=1)
    else:
        for _ in range(received):
            day -= datetime.timedelta(days=1)
            while day.weekday() >= 5:
                day -= datetime.timedelta(days=1)
    return (today - day).days


def _product_set(slug):
    return ProductSet.objects.filter(slug=slug).order_by("-classification").first() or ProductSet.objects.first()


def _upload(dossier, by, kinds):
    names = {"business_registration": "giay-dang-ky-kinh-doanh.pdf", "quality_declaration": "ban-tu-cong-bo-san-pham.pdf"}
    for kind in kinds:
        evidence_upload(dossier=dossier, kind=kind, by=by,
                        uploaded=SimpleUploadedFile(names[kind], DEMO_PDF, content_type="application/pdf"))


@transaction.atomic
def demo_producers(ctx) -> dict:
    """The demo producers, created once (other apps' demo steps may need them before the dossiers)."""
    officers = {0: ctx.users.get("commune_officer"), 1: ctx.users.get("commune_officer_2")}
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
    return producers


@transaction.atomic
def demo_extend(ctx) -> None:
    officers = {0: ctx.users.get("commune_officer"), 1: ctx.users.get("commune_officer_2")}
    province_staff = ctx.users.get("province_staff")
    today = timezone.localdate()
    year = today.year
    producers = demo_producers(ctx)
    producer_user = ctx.users.get("producer")
    if producer_user is not None:
        producers["1300456789"].accounts.add(producer_user)

    for tax_code, title, status in [
        ("1300567891", "Kẹo dừa ít đường vị lá dứa", "developed"),
        ("1300678912", "Bánh tráng dừa nướng đóng gói", "approved"),
        ("1300789123", "Đèn trang trí từ gáo dừa", "registered"),
        ("1300891234", "Cơm sầu riêng sấy lạnh", "registered"),
        ("1301134567", "Xà phòng dầu dừa thủ công", "approved"),
    ]:
        producer = producers[tax_code]
        ProductIdea.objects.get_or_create(
            producer=producer, title=title, year=year,
            defaults={"commune": producer.commune, "status": status, "description": "Đăng ký ở bước 2 chu trình OCOP."},
        )
    for tax_code, title, status in [
        ("1300567891", "Phương án mở rộng xưởng kẹo dừa", "implementing"),
        ("1300678912", "Phương án sản xuất bánh tráng dừa", "submitted"),
        ("1301134567", "Phương án sản xuất xà phòng dầu dừa", "draft"),
    ]:
        producer = producers[tax_code]
        BusinessPlan.objects.get_or_create(
            producer=producer, title=title, year=year,
            defaults={"commune": producer.commune, "status": status, "idea": producer.ideas.first()},
        )

    if not ProductSet.objects.exists():
        return
    for tax_code, product_name, slug, target, kind, previous, received in DOSSIERS:
        producer = producers[tax_code]
        if Dossier.objects.filter(producer=producer, product_name=product_name).exists():
            continue
        officer = officers[ctx.communes.index(producer.commune)]
        days_back = _receipt_days_back(today, received)
        received_on = today - datetime.timedelta(days=days_back) if days_back else None
        dossier = dossier_create(
            producer=producer, by=officer, kind=kind, product_name=product_name, product_set=_product_set(slug),
            previous_certificate=renewed_certificate_number(today, previous) if previous in RENEWED_CERTIFICATES
            else (previous or ""),
            revision_data={"history": f"{producer.name} sản xuất {product_name.lower()} từ nguyên liệu địa phương.",
                           "markets": "Tiêu thụ trong tỉnh và TP. Hồ Chí Minh."},
        )
        _upload(dossier, officer, ("business_registration", "quality_declaration"))
        for step in PATH[target]:
            if step == "assess":
                commune_assessment_record(dossier=dossier, by=officer, **ASSESSMENT)
            else:
                by = province_staff if step in (DossierStatus.INTAKE, DossierStatus.ACCEPTED) else officer
                dossier_transition(dossier=dossier, to=step, by=by,
                                   received_on=received_on if step == DossierStatus.SUBMITTED else None)

    tax_code, product_name, slug = PRODUCER_DRAFT
    producer = producers[tax_code]
    if producer_user is not None and not Dossier.objects.filter(producer=producer, product_name=product_name).exists():
        dossier = dossier_create(
            producer=producer, by=producer_user, kind="first", product_name=product_name, product_set=_product_set(slug),
            revision_data={"history": "Nước dừa xiêm Chợ Lách thanh trùng, đóng chai tại xưởng của hợp tác xã."},
        )
        _upload(dossier, producer_user, ("business_registration",))
