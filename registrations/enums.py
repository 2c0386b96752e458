"""Kinds and states of registrations, with the dossier's transition table declared beside its states."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProducerKind(models.TextChoices):
    COOPERATIVE = "cooperative", _("Hợp tác xã")
    COOPERATIVE_GROUP = "cooperative_group", _("Tổ hợp tác")
    SME = "sme", _("Doanh nghiệp nhỏ và vừa")
    FARM = "farm", _("Trang trại")
    HOUSEHOLD = "household", _("Hộ sản xuất có đăng ký kinh doanh")
    ASSOCIATION = "association", _("Hội, trung tâm điều hành (du lịch)")


class Gender(models.TextChoices):
    FEMALE = "female", _("Nữ")
    MALE = "male", _("Nam")
    OTHER = "other", _("Khác")


class SalesChannel(models.TextChoices):
    TRADITIONAL_MARKET = "traditional_market", _("Chợ truyền thống, đại lý")
    OWN_SHOP = "own_shop", _("Cửa hàng riêng, điểm bán OCOP")
    SUPERMARKET = "supermarket", _("Siêu thị, cửa hàng tiện lợi (kênh hiện đại)")
    ECOMMERCE = "ecommerce", _("Sàn thương mại điện tử")
    SOCIAL_MEDIA = "social_media", _("Mạng xã hội, website")
    EXPORT = "export", _("Xuất khẩu")


class HeldCertificate(models.TextChoices):
    FOOD_SAFETY = "food_safety", _("Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm")
    QUALITY_SYSTEM = "quality_system", _("Hệ thống quản lý chất lượng (ISO, HACCP…)")
    VIETGAP = "vietgap", _("VietGAP / GlobalGAP")
    ORGANIC = "organic", _("Hữu cơ")
    TRADEMARK = "trademark", _("Giấy chứng nhận đăng ký nhãn hiệu")
    GEOGRAPHICAL_INDICATION = "geographical_indication", _("Quyền sử dụng chỉ dẫn địa lý, nhãn hiệu tập thể/chứng nhận")
    PATENT = "patent", _("Sáng chế, kiểu dáng công nghiệp, quyền tác giả")


class IdeaStatus(models.TextChoices):
    REGISTERED = "registered", _("Đã đăng ký")
    APPROVED = "approved", _("Được chọn hỗ trợ")
    REJECTED = "rejected", _("Không được chọn")
    DEVELOPED = "developed", _("Đã xây dựng phương án")


class BusinessPlanStatus(models.TextChoices):
    DRAFT = "draft", _("Đang xây dựng")
    SUBMITTED = "submitted", _("Đã nộp")
    APPROVED = "approved", _("Được phê duyệt")
    IMPLEMENTING = "implementing", _("Đang triển khai")
    COMPLETED = "completed", _("Đã hoàn thành")
    REJECTED = "rejected", _("Không được duyệt")


# Who moves a product idea or a business plan, and where to: the commune (or province) decides on support;
# the producer only hands in its plan. The forms carry no status field (issue 8, item 10).
IDEA_TRANSITIONS = {
    IdeaStatus.REGISTERED: {IdeaStatus.APPROVED, IdeaStatus.REJECTED},
    IdeaStatus.APPROVED: {IdeaStatus.DEVELOPED, IdeaStatus.REJECTED},
    IdeaStatus.REJECTED: {IdeaStatus.REGISTERED},
    IdeaStatus.DEVELOPED: set(),
}
BUSINESS_PLAN_TRANSITIONS = {
    BusinessPlanStatus.DRAFT: {BusinessPlanStatus.SUBMITTED},
    BusinessPlanStatus.SUBMITTED: {BusinessPlanStatus.APPROVED, BusinessPlanStatus.REJECTED, BusinessPlanStatus.DRAFT},
    BusinessPlanStatus.APPROVED: {BusinessPlanStatus.IMPLEMENTING},
    BusinessPlanStatus.IMPLEMENTING: {BusinessPlanStatus.COMPLETED},
    BusinessPlanStatus.REJECTED: {BusinessPlanStatus.DRAFT},
    BusinessPlanStatus.COMPLETED: set(),
}
# The only moves a producer account makes on its own support steps: handing in its plan.
SUPPORT_STEP_OWNER_MOVES = {BusinessPlanStatus.SUBMITTED}


class DossierKind(models.TextChoices):
    FIRST = "first", _("Đánh giá lần đầu")
    UPGRADE = "upgrade", _("Nâng hạng")
    RE_EVALUATION = "re_evaluation", _("Đánh giá lại")


class DossierStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã nộp cho xã")
    COMMUNE_REVIEW = "commune_review", _("Xã đang đánh giá")
    FORWARDED = "forwarded", _("Đã chuyển lên tỉnh")
    INTAKE = "intake", _("Tỉnh đang kiểm tra hồ sơ")
    ACCEPTED = "accepted", _("Hồ sơ hợp lệ, chờ đánh giá")
    RETURNED = "returned", _("Trả lại để hoàn thiện")
    WITHDRAWN = "withdrawn", _("Đã rút hồ sơ")
    # Moved on by the evaluations app, through registrations.services.dossier_transition.
    IN_ROUND = "in_round", _("Đang đánh giá trong kỳ")
    SCORED = "scored", _("Đã chấm điểm")
    RECOMMENDED = "recommended", _("Đề nghị công nhận")
    NOT_RECOGNISED = "not_recognised", _("Không đạt")
    # Moved on by the products app when the recognition decision is published.
    RECOGNISED = "recognised", _("Đã được công nhận")


S = DossierStatus
# The whole lifecycle in one table: from → the states it may move to.
DOSSIER_TRANSITIONS: dict[str, frozenset] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.COMMUNE_REVIEW, S.WITHDRAWN}),
    S.COMMUNE_REVIEW: frozenset({S.FORWARDED, S.RETURNED, S.WITHDRAWN}),
    S.FORWARDED: frozenset({S.INTAKE, S.WITHDRAWN}),
    S.INTAKE: frozenset({S.ACCEPTED, S.RETURNED, S.WITHDRAWN}),
    # A returned dossier gets a new revision; it re-enters where it was returned from:
    # returned by the commune → submitted again; returned by the province → forwarded again.
    S.RETURNED: frozenset({S.SUBMITTED, S.FORWARDED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.IN_ROUND}),
    S.IN_ROUND: frozenset({S.SCORED}),
    S.SCORED: frozenset({S.RECOMMENDED, S.NOT_RECOGNISED}),
    S.RECOMMENDED: frozenset({S.RECOGNISED}),
    S.NOT_RECOGNISED: frozenset(),
    S.RECOGNISED: frozenset(),
    # Province staff may restore a dossier withdrawn by mistake, to the state it left (Dossier.withdrawn_from).
    S.WITHDRAWN: frozenset({S.DRAFT, S.SUBMITTED, S.COMMUNE_REVIEW, S.FORWARDED, S.INTAKE, S.RETURNED}),
}
# Where the commune (or the producer) still works on the dossier.
COMMUNE_STATES = frozenset({S.DRAFT, S.SUBMITTED, S.COMMUNE_REVIEW, S.RETURNED})
# States in which the commune's 15 working days run.
COMMUNE_CLOCK_STATES = frozenset({S.SUBMITTED, S.COMMUNE_REVIEW})
# States before the dossier first reaches the province (no registration number needed yet).
BEFORE_PROVINCE_STATES = frozenset({S.DRAFT, S.SUBMITTED, S.COMMUNE_REVIEW, S.RETURNED, S.WITHDRAWN})
OPEN_STATES = frozenset({S.DRAFT, S.SUBMITTED, S.COMMUNE_REVIEW, S.FORWARDED, S.INTAKE, S.RETURNED})
# States whose revision may still be edited (by the commune officer or the producer).
EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED})
del S


class EvidenceKind(models.TextChoices):
    BUSINESS_REGISTRATION = "business_registration", _("Giấy đăng ký kinh doanh")
    PRODUCTION_CONDITIONS = "production_conditions", _("Giấy chứng nhận đủ điều kiện sản xuất")
    RAW_MATERIAL = "raw_material", _("Nguồn gốc nguyên liệu, hợp đồng liên kết, hóa đơn")
    ENVIRONMENT = "environment", _("Hồ sơ môi trường và ảnh chụp")
    WORKERS = "workers", _("Danh sách lao động có bảo hiểm xã hội, kèm địa chỉ thường trú")
    FINANCIAL_STATEMENTS = "financial_statements", _("Báo cáo tài chính 2 năm hoặc xếp loại HTX")
    INTELLECTUAL_PROPERTY = "intellectual_property", _("Giấy chứng nhận sở hữu trí tuệ")
    DISTRIBUTION = "distribution", _("Hợp đồng, hóa đơn phân phối, xuất khẩu, hội chợ")
    PROMOTION = "promotion", _("Website, tài liệu quảng bá")
    PRODUCT_STORY = "product_story", _("Câu chuyện sản phẩm (tờ rơi, video)")
    QUALITY_DECLARATION = "quality_declaration", _("Bản tự công bố / công bố chất lượng sản phẩm")
    LAB_TEST = "lab_test", _("Phiếu kết quả kiểm nghiệm")
    TRACEABILITY = "traceability", _("Mã vạch, tem truy xuất nguồn gốc")
    QUALITY_SYSTEM = "quality_system", _("Chứng nhận hệ thống quản lý chất lượng")
    AWARDS = "awards", _("Giải thưởng")
    OTHER = "other", _("Tài liệu khác")


# Evidence a dossier cannot be submitted without (knock-out grounds of 26/2026: no business
# registration, no quality declaration → the dossier is incomplete).
REQUIRED_EVIDENCE = (EvidenceKind.BUSINESS_REGISTRATION, EvidenceKind.QUALITY_DECLARATION)


class AssessmentResult(models.TextChoices):
    MET = "met", _("Đạt")
    NOT_MET = "not_met", _("Không đạt")


class AssessmentConclusion(models.TextChoices):
    FORWARD = "forward", _("Đủ điều kiện, đề nghị cấp tỉnh đánh giá, phân hạng")
    NOT_ELIGIBLE = "not_eligible", _("Chưa đủ điều kiện")


class CounterKind(models.TextChoices):
    COMMUNE_RECEIPT = "commune_receipt", _("Số tiếp nhận của xã")
    PROVINCE_REGISTRATION = "province_registration", _("Số phiếu đăng ký của tỉnh")
