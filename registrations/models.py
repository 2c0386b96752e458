import uuid
from pathlib import Path

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop_portal.text import SearchTextModel
from units.models import AdministrativeUnit

from .enums import (
    BEFORE_PROVINCE_STATES,
    COMMUNE_CLOCK_STATES,
    AssessmentConclusion,
    AssessmentResult,
    BusinessPlanStatus,
    CounterKind,
    DossierKind,
    DossierStatus,
    EvidenceKind,
    Gender,
    IdeaStatus,
    ProducerKind,
)


class ProductGroup(models.Model):
    """A node of the product classification (Annex I): a group (I…VI), a Nhóm (I.1) or a Phân nhóm (I.1.a).

    A classification is tied to the decision that issued it (`classification`, e.g. "26/2026/QĐ-TTg"),
    so older dossiers keep the grouping they were registered under.
    """

    class Level(models.TextChoices):
        GROUP = "group", _("Nhóm sản phẩm")
        SUBGROUP = "subgroup", _("Nhóm")
        DIVISION = "division", _("Phân nhóm")

    classification = models.CharField(_("văn bản phân loại"), max_length=40)
    code = models.CharField(_("mã"), max_length=20)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    name = models.CharField(_("tên"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    managing_ministries = models.JSONField(_("bộ quản lý"), default=list, blank=True)

    class Meta:
        verbose_name = _("nhóm sản phẩm")
        verbose_name_plural = _("nhóm sản phẩm")
        ordering = ["classification", "code"]
        constraints = [models.UniqueConstraint(fields=["classification", "code"], name="product_group_code_unique",
                                               violation_error_message=_("Văn bản phân loại này đã có nhóm sản phẩm mang mã này."))]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class ProductSet(models.Model):
    """A product set (bộ sản phẩm): the unit a dossier registers under and a scoring sheet is written for."""

    classification = models.CharField(_("văn bản phân loại"), max_length=40)
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    code = models.CharField(_("mã"), max_length=20)
    slug = models.SlugField(max_length=200)
    name = models.CharField(_("tên bộ sản phẩm"), max_length=255)
    group = models.ForeignKey(ProductGroup, on_delete=models.PROTECT, related_name="+", verbose_name=_("nhóm sản phẩm"))
    subgroup = models.ForeignKey(
        ProductGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("nhóm")
    )
    managing_ministries = models.JSONField(_("bộ quản lý"), default=list, blank=True)
    needs_samples = models.BooleanField(_("cần nộp mẫu sản phẩm"), default=True)
    valid_from = models.DateField(_("áp dụng từ"), null=True, blank=True)
    valid_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    current_set = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("bộ sản phẩm tương ứng hiện nay"),
        help_text=_("Với phân loại đã hết hiệu lực (ví dụ 1048/QĐ-TTg): bộ sản phẩm theo phân loại hiện hành mà báo "
                    "cáo tính sản phẩm này vào."),
    )

    class Meta:
        verbose_name = _("bộ sản phẩm")
        verbose_name_plural = _("bộ sản phẩm")
        ordering = ["classification", "number"]
        constraints = [
            models.UniqueConstraint(fields=["classification", "code"], name="product_set_code_unique",
                                    violation_error_message=_("Văn bản phân loại này đã có bộ sản phẩm mang mã này.")),
            models.UniqueConstraint(fields=["classification", "number"], name="product_set_number_unique",
                                    violation_error_message=_("Văn bản phân loại này đã có bộ sản phẩm mang số thứ tự này.")),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="product_set_valid_period",
                violation_error_message=_("Ngày kết thúc hiệu lực phải sau hoặc bằng ngày bắt đầu hiệu lực."),
            ),
            models.CheckConstraint(
                condition=Q(current_set__isnull=True) | ~Q(current_set=models.F("id")),
                name="product_set_current_set_not_itself",
                violation_error_message=_("Bộ sản phẩm tương ứng hiện nay phải là một bộ khác."),
            ),
        ]

    def __str__(self) -> str:
        if self.valid_to is not None:
            return f"{self.number}. {self.name} ({self.classification})"
        return f"{self.number}. {self.name}"


# --- producers and the programme's support steps ----------------------------------------------------


TAX_CODE_RE = r"^\d{10}(-\d{3})?$"


class Producer(SearchTextModel):
    """An OCOP entity (chủ thể): cooperative, cooperative group, SME, farm, household, association."""

    SEARCH_FIELDS = ("name", "tax_code")

    kind = models.CharField(_("loại hình chủ thể"), max_length=20, choices=ProducerKind.choices)
    name = models.CharField(_("tên chủ thể"), max_length=255)
    tax_code = models.CharField(
        _("mã số thuế / số đăng ký kinh doanh"), max_length=14, unique=True,
        validators=[RegexValidator(TAX_CODE_RE, _("Mã số thuế phải gồm 10 hoặc 13 chữ số (dạng 0123456789 hoặc 0123456789-001)."))],
        error_messages={"unique": _("Chủ thể có mã số thuế này đã có.")},
    )
    registered_on = models.DateField(_("ngày cấp đăng ký"), null=True, blank=True)
    commune = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã, phường"),
        limit_choices_to={"level": "commune"},
    )
    address = models.CharField(_("địa chỉ"), max_length=255)
    representative_name = models.CharField(_("người đại diện theo pháp luật"), max_length=150)
    representative_position = models.CharField(_("chức vụ"), max_length=100, blank=True)
    representative_gender = models.CharField(_("giới tính người đại diện"), max_length=10, choices=Gender.choices)
    representative_ethnicity = models.CharField(_("dân tộc người đại diện"), max_length=50, default="Kinh")
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    workforce_total = models.PositiveIntegerField(_("tổng số lao động"), default=0)
    workforce_local = models.PositiveIntegerField(_("lao động địa phương"), default=0)
    sales_channels = models.JSONField(_("kênh phân phối"), default=list, blank=True)
    craft_village = models.CharField(_("làng nghề"), max_length=255, blank=True,
                                     help_text=_("Tên làng nghề nếu chủ thể thuộc một làng nghề; để trống nếu không."))
    in_value_chain = models.BooleanField(_("tham gia chuỗi giá trị khép kín"), default=False,
                                         help_text=_("Liên kết từ vùng nguyên liệu, sản xuất đến tiêu thụ sản phẩm."))
    certificates = models.JSONField(_("chứng nhận đang có"), default=list, blank=True)
    accounts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="producers", verbose_name=_("tài khoản của chủ thể")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("chủ thể OCOP")
        verbose_name_plural = _("chủ thể OCOP")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(workforce_local__lte=models.F("workforce_total")), name="producer_local_le_total",
                                   violation_error_message=_("Số lao động địa phương không được lớn hơn tổng số lao động.")),
            models.CheckConstraint(condition=Q(kind__in=ProducerKind.values), name="producer_kind_valid",
                                   violation_error_message=_("Loại hình chủ thể không hợp lệ.")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def local_share(self):
        return round(100 * self.workforce_local / self.workforce_total) if self.workforce_total else None

    def get_absolute_url(self):
        return reverse("registrations:producer_detail", args=[self.pk])


class ProductIdea(models.Model):
    """Step 2 of the annual cycle: a product idea registered with the commune (optional support step)."""

    producer = models.ForeignKey(Producer, on_delete=models.CASCADE, related_name="ideas", verbose_name=_("chủ thể"))
    commune = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã, phường"))
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("ý tưởng sản phẩm"), max_length=255)
    description = models.TextField(_("mô tả"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.REGISTERED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ý tưởng sản phẩm")
        verbose_name_plural = _("ý tưởng sản phẩm")
        ordering = ["-year", "title"]
        constraints = [models.CheckConstraint(condition=Q(status__in=IdeaStatus.values), name="idea_status_valid",
                                              violation_error_message=_("Trạng thái không hợp lệ."))]

    def __str__(self) -> str:
        return self.title


class BusinessPlan(models.Model):
    """Steps 3–4: a production and business plan and its implementation (optional support step)."""

    producer = models.ForeignKey(Producer, on_delete=models.CASCADE, related_name="business_plans", verbose_name=_("chủ thể"))
    idea = models.ForeignKey(
        ProductIdea, null=True, blank=True, on_delete=models.SET_NULL, related_name="business_plans",
        verbose_name=_("từ ý tưởng"),
    )
    commune = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã, phường"))
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("phương án kinh doanh"), max_length=255)
    summary = models.TextField(_("tóm tắt"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=BusinessPlanStatus.choices, default=BusinessPlanStatus.DRAFT
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phương án kinh doanh")
        verbose_name_plural = _("phương án kinh doanh")
        ordering = ["-year", "title"]
        constraints = [models.CheckConstraint(condition=Q(status__in=BusinessPlanStatus.values), name="plan_status_valid",
                                              violation_error_message=_("Trạng thái không hợp lệ."))]

    def __str__(self) -> str:
        return self.title


# --- dossiers ------------------------------------------------------------------------------------------
class Dossier(SearchTextModel):
    """A product's registration dossier (hồ sơ). Its status moves only through services.dossier_transition.
    Searched by its product name and number here, and by its producer's name and tax code there."""

    SEARCH_FIELDS = ("product_name", "registration_number")

    producer = models.ForeignKey(Producer, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("chủ thể"))
    commune = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã, phường"))
    kind = models.CharField(_("loại đăng ký"), max_length=20, choices=DossierKind.choices, default=DossierKind.FIRST)
    product_name = models.CharField(_("tên sản phẩm"), max_length=255)
    product_set = models.ForeignKey(
        ProductSet, null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("bộ sản phẩm")
    )
    previous_certificate = models.CharField(
        _("số giấy chứng nhận được nâng hạng / đánh giá lại"), max_length=100, blank=True
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(_("trạng thái"), max_length=20, choices=DossierStatus.choices, default=DossierStatus.DRAFT)
    returned_from = models.CharField(_("trả lại từ"), max_length=20, choices=DossierStatus.choices, blank=True)
    # The state a withdrawn dossier left, so province staff can restore one withdrawn by mistake.
    withdrawn_from = models.CharField(_("rút từ trạng thái"), max_length=20, choices=DossierStatus.choices, blank=True)
    revision_number = models.PositiveSmallIntegerField(_("lần hoàn thiện"), default=1)
    commune_receipt_number = models.CharField(_("số tiếp nhận của xã"), max_length=60, blank=True)
    registration_number = models.CharField(_("số phiếu đăng ký"), max_length=60, null=True, blank=True, unique=True)
    received_on = models.DateField(_("ngày xã tiếp nhận"), null=True, blank=True)
    commune_due_on = models.DateField(_("hạn đánh giá của xã"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("ngày chuyển lên tỉnh"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("ngày tỉnh tiếp nhận đủ"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=DossierStatus.values), name="dossier_status_valid",
                                   violation_error_message=_("Trạng thái không hợp lệ.")),
            models.CheckConstraint(condition=Q(kind__in=DossierKind.values), name="dossier_kind_valid",
                                   violation_error_message=_("Loại đăng ký không hợp lệ.")),
            models.CheckConstraint(
                condition=Q(status__in=sorted(BEFORE_PROVINCE_STATES)) | Q(registration_number__isnull=False),
                name="dossier_number_once_forwarded",
                violation_error_message=_("Hồ sơ đã chuyển lên tỉnh phải có số phiếu đăng ký."),
            ),
            models.CheckConstraint(
                condition=Q(kind=DossierKind.FIRST) | ~Q(previous_certificate=""),
                name="dossier_upgrade_names_certificate",
                violation_error_message=_("Hồ sơ nâng hạng hoặc đánh giá lại phải ghi số giấy chứng nhận đã được cấp."),
            ),
        ]
        indexes = [
            models.Index(fields=["commune", "status"]),
            models.Index(fields=["status", "commune_due_on"]),
            # The lists show the most recently changed dossiers first.
            models.Index(fields=["-updated_at", "-id"], name="dossier_recent_first"),
        ]

    def __str__(self) -> str:
        return f"{self.product_name} — {self.producer_id and self.producer.name}"

    def get_absolute_url(self):
        return reverse("registrations:dossier_detail", args=[self.pk])

    def transition(self, *, to, by, note=""):
        from .services import dossier_transition

        return dossier_transition(dossier=self, to=to, by=by, note=note)

    @property
    def is_commune_overdue(self) -> bool:
        return bool(
            self.status in COMMUNE_CLOCK_STATES and self.commune_due_on and self.commune_due_on < timezone.localdate()
        )


class DossierRevision(models.Model):
    """One version of the producer's dossier: Form 01 and Form 02 parts I, II and IV.

    A return for completion copies the current revision into a new one; the old one is kept as it was.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("lần"))
    # Form 01
    representative_name = models.CharField(_("người đại diện"), max_length=150, blank=True)
    representative_position = models.CharField(_("chức vụ"), max_length=100, blank=True)
    contact_address = models.CharField(_("địa chỉ liên hệ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    sample_count = models.PositiveSmallIntegerField(_("số mẫu sản phẩm"), default=5)
    # Form 02, Part I
    has_business_registration = models.BooleanField(_("có đăng ký kinh doanh"), default=False)
    has_quality_declaration = models.BooleanField(_("có công bố chất lượng sản phẩm"), default=False)
    has_food_safety_certificate = models.BooleanField(_("có giấy chứng nhận cơ sở đủ điều kiện ATTP"), default=False)
    has_production_condition_certificate = models.BooleanField(_("có giấy chứng nhận điều kiện sản xuất bắt buộc"), default=False)
    intellectual_property = models.TextField(_("tài sản trí tuệ (nhãn hiệu, chỉ dẫn địa lý, sáng chế…)"), blank=True)
    history = models.TextField(_("lịch sử hình thành"), blank=True)
    organisation = models.TextField(_("tổ chức bộ máy"), blank=True)
    # Form 02, Part II: results of the business plan
    raw_material = models.TextField(_("vùng nguyên liệu"), blank=True)
    technology = models.TextField(_("công nghệ, máy móc"), blank=True)
    quality_and_packaging = models.TextField(_("cải tiến chất lượng, bao bì"), blank=True)
    markets = models.TextField(_("thị trường"), blank=True)
    revenue_and_profit = models.TextField(_("doanh thu, lợi nhuận"), blank=True)
    # Form 02, Part IV
    forward_plan = models.TextField(_("kế hoạch sản xuất kinh doanh thời gian tới"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The fields a revision diff compares, in form order.
    DATA_FIELDS = (
        "representative_name", "representative_position", "contact_address", "phone", "email", "sample_count",
        "has_business_registration", "has_quality_declaration", "has_food_safety_certificate",
        "has_production_condition_certificate", "intellectual_property", "history", "organisation",
        "raw_material", "technology", "quality_and_packaging", "markets", "revenue_and_profit", "forward_plan",
    )

    class Meta:
        verbose_name = _("phiên bản hồ sơ")
        verbose_name_plural = _("phiên bản hồ sơ")
        ordering = ["dossier", "number"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "number"], name="revision_number_unique",
                                    violation_error_message=_("Hồ sơ đã có phiên bản mang số này.")),
            models.CheckConstraint(condition=Q(number__gte=1), name="revision_number_positive",
                                   violation_error_message=_("Số phiên bản phải từ 1 trở lên.")),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} · lần {self.number}"


def evidence_upload_to(instance, filename):
    # Never the user's name on disk: a random name inside a per-dossier folder.
    return f"evidence/{instance.revision.dossier_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class EvidenceFile(models.Model):
    """An uploaded evidence file of a revision, with its checked content type, size and digest."""

    revision = models.ForeignKey(DossierRevision, on_delete=models.CASCADE, related_name="evidence_files")
    kind = models.CharField(_("loại minh chứng"), max_length=30, choices=EvidenceKind.choices)
    file = models.FileField(_("tệp"), upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("loại nội dung"), max_length=120)
    size = models.PositiveBigIntegerField(_("dung lượng"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tệp minh chứng")
        verbose_name_plural = _("tệp minh chứng")
        ordering = ["kind", "uploaded_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=EvidenceKind.values), name="evidence_kind_valid",
                                              violation_error_message=_("Loại minh chứng không hợp lệ."))]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self):
        return reverse("registrations:evidence_download", args=[self.pk])


class CommuneAssessment(models.Model):
    """Form 03: the commune's assessment of the four items, made on one revision of the dossier."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="assessments")
    revision = models.ForeignKey(DossierRevision, on_delete=models.PROTECT, related_name="assessments")
    origin_and_raw_material = models.CharField(_("nguồn gốc sản phẩm, nguyên liệu địa phương"), max_length=10, choices=AssessmentResult.choices)
    origin_and_raw_material_note = models.TextField(_("nhận xét"), blank=True)
    local_labour = models.CharField(_("sử dụng lao động địa phương"), max_length=10, choices=AssessmentResult.choices)
    local_labour_note = models.TextField(_("nhận xét"), blank=True)
    idea_origin = models.CharField(_("nguồn gốc ý tưởng sản phẩm"), max_length=10, choices=AssessmentResult.choices)
    idea_origin_note = models.TextField(_("nhận xét"), blank=True)
    local_identity = models.CharField(_("tính đặc trưng, bản sắc địa phương"), max_length=10, choices=AssessmentResult.choices)
    local_identity_note = models.TextField(_("nhận xét"), blank=True)
    conclusion = models.CharField(_("kết luận"), max_length=20, choices=AssessmentConclusion.choices)
    conclusion_note = models.TextField(_("ý kiến của cán bộ"), blank=True)
    received_on = models.DateField(_("ngày tiếp nhận"))
    due_on = models.DateField(_("hạn hoàn thành"))
    completed_at = models.DateTimeField(_("ngày hoàn thành"), default=timezone.now)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    ITEMS = ("origin_and_raw_material", "local_labour", "idea_origin", "local_identity")

    class Meta:
        verbose_name = _("báo cáo đánh giá cấp xã (Mẫu 03)")
        verbose_name_plural = _("báo cáo đánh giá cấp xã (Mẫu 03)")
        ordering = ["dossier", "-revision__number"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "revision"], name="assessment_one_per_revision",
                                    violation_error_message=_("Phiên bản hồ sơ này đã có báo cáo đánh giá cấp xã (Mẫu 03).")),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("received_on")), name="assessment_due_after_receipt",
                                   violation_error_message=_("Hạn hoàn thành phải sau hoặc bằng ngày tiếp nhận.")),
            models.CheckConstraint(condition=Q(conclusion__in=AssessmentConclusion.values), name="assessment_conclusion_valid",
                                   violation_error_message=_("Kết luận không hợp lệ.")),
        ]

    def __str__(self) -> str:
        return f"Mẫu 03 · {self.dossier_id} · lần {self.revision.number}"


# --- calendars and counters ----------------------------------------------------------------------------
class Holiday(models.Model):
    """A public holiday (day off) or a make-up working day (a Saturday worked in exchange)."""

    date = models.DateField(_("ngày"), unique=True)
    name = models.CharField(_("tên"), max_length=150)
    is_day_off = models.BooleanField(_("ngày nghỉ"), default=True)

    class Meta:
        verbose_name = _("ngày nghỉ lễ")
        verbose_name_plural = _("ngày nghỉ lễ")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class RegistrationCounter(models.Model):
    """The last number issued per kind, unit and year; locked (select_for_update) while a number is taken."""

    kind = models.CharField(max_length=30, choices=CounterKind.choices)
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bộ đếm số hồ sơ")
        verbose_name_plural = _("bộ đếm số hồ sơ")
        constraints = [models.UniqueConstraint(fields=["kind", "unit", "year"], name="counter_unique",
                                               violation_error_message=_("Bộ đếm số cho loại, đơn vị và năm này đã có."))]

    def __str__(self) -> str:
        return f"{self.kind} {self.unit_id} {self.year}: {self.last_value}"
