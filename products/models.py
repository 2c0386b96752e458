"""Recognition decisions, OCOP products, certificates, revocations and inspections."""
import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.enums import RecognisingLevel
from ocop_portal.text import SearchTextModel, SearchTextQuerySet

from .enums import (
    EXPIRY_NOTICE_DAYS, RENEWAL_CLOSES_DAYS, RENEWAL_OPENS_DAYS, CertificateStatus, DecisionStatus, InspectionConclusion,
    InspectionKind, RevocationGround,
)


class CounterKind(models.TextChoices):
    PRODUCT = "product", _("Số thứ tự sản phẩm OCOP")
    CERTIFICATE = "certificate", _("Số giấy chứng nhận")


class ProductCounter(models.Model):
    """The last number handed out per (kind, province, year); locked while a number is taken, so none is
    skipped or shared, and a rolled-back transaction gives its number back."""

    kind = models.CharField(max_length=20, choices=CounterKind.choices)
    unit = models.ForeignKey("units.AdministrativeUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bộ đếm số")
        verbose_name_plural = _("bộ đếm số")
        constraints = [models.UniqueConstraint(fields=["kind", "unit", "year"], name="product_counter_unique",
                                               violation_error_message=_("Bộ đếm số cho loại, đơn vị và năm này đã có."))]

    def __str__(self) -> str:
        return f"{self.kind} {self.unit_id} {self.year}: {self.last_value}"


class Decision(models.Model):
    """Quyết định công nhận: one decision lists many products (items), each with its star."""

    status = models.CharField(_("trạng thái"), max_length=10, choices=DecisionStatus.choices,
                              default=DecisionStatus.DRAFT)
    level = models.CharField(_("cấp công nhận"), max_length=10, choices=RecognisingLevel.choices,
                             default=RecognisingLevel.PROVINCE)
    # The current province the decision's products belong to (the scope of province staff).
    province = models.ForeignKey("units.AdministrativeUnit", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("tỉnh"))
    # The unit whose People's Committee issued it: the province, an old district (legacy 3★), none (ministry).
    issuing_unit = models.ForeignKey("units.AdministrativeUnit", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("đơn vị ban hành"))
    round = models.ForeignKey("evaluations.Round", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("kỳ đánh giá"))
    number = models.CharField(_("số quyết định"), max_length=60, blank=True)
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=150, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=150, blank=True)
    issuer = models.ForeignKey("accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("cơ quan ban hành"))
    issuer_name = models.CharField(_("tên cơ quan ban hành"), max_length=255, blank=True)
    title = models.CharField(_("trích yếu"), max_length=500, blank=True)
    is_legacy = models.BooleanField(_("giấy tờ trước đây (nhập lại)"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("quyết định công nhận")
        verbose_name_plural = _("quyết định công nhận")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["issuer_name", "number"], condition=~Q(number=""),
                                    name="decision_number_unique_per_issuer",
                                    violation_error_message=_("Cơ quan ban hành đã có quyết định mang số này.")),
            models.CheckConstraint(condition=Q(status=DecisionStatus.DRAFT) | (~Q(number="") & Q(decided_on__isnull=False)),
                                   name="decision_recorded_has_number_and_date",
                                   violation_error_message=_("Quyết định đã vào sổ phải có số và ngày quyết định.")),
            models.CheckConstraint(condition=Q(status__in=DecisionStatus.values), name="decision_status_valid",
                                   violation_error_message=_("Trạng thái không hợp lệ.")),
            # Concurrent "create decision" requests for one round make one draft.
            models.UniqueConstraint(fields=["round", "level"], condition=Q(status=DecisionStatus.DRAFT, round__isnull=False),
                                    name="decision_one_draft_per_round_and_level",
                                    violation_error_message=_("Kỳ đánh giá đã có dự thảo quyết định ở cấp này.")),
        ]
        indexes = [models.Index(fields=["province", "-created_at"])]

    def __str__(self) -> str:
        if self.number:
            return f"{_('Quyết định')} {self.number}"
        return f"{_('Dự thảo quyết định')} #{self.pk}"

    def get_absolute_url(self):
        return reverse("products:decision_detail", args=[self.pk])


class DecisionItem(models.Model):
    """One product recognised by a decision, with the evaluation result it rests on."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="items")
    result = models.OneToOneField("evaluations.Result", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="decision_item", verbose_name=_("kết quả đánh giá"))
    dossier = models.ForeignKey("registrations.Dossier", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("hồ sơ"))
    product = models.ForeignKey("Product", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("sản phẩm"))
    product_name = models.CharField(_("tên sản phẩm"), max_length=255)
    star = models.PositiveSmallIntegerField(_("hạng sao"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("sản phẩm trong quyết định")
        verbose_name_plural = _("sản phẩm trong quyết định")
        ordering = ["decision", "position", "pk"]
        constraints = [models.CheckConstraint(condition=Q(star__gte=3, star__lte=5), name="decision_item_star_3_to_5",
                                              violation_error_message=_("Hạng sao phải từ 3 đến 5."))]

    def __str__(self) -> str:
        return f"{self.product_name} ({self.star}★)"


class Product(SearchTextModel):
    """An OCOP product: recognised at least once, known by its official code."""

    SEARCH_FIELDS = ("name", "code")

    code = models.CharField(_("mã sản phẩm"), max_length=40, unique=True)
    producer = models.ForeignKey("registrations.Producer", on_delete=models.PROTECT, related_name="ocop_products",
                                 verbose_name=_("chủ thể"))
    product_set = models.ForeignKey("registrations.ProductSet", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("bộ sản phẩm"))
    name = models.CharField(_("tên sản phẩm"), max_length=255)
    commune = models.ForeignKey("units.AdministrativeUnit", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("xã, phường"))
    province = models.ForeignKey("units.AdministrativeUnit", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("tỉnh"))
    year = models.PositiveSmallIntegerField(_("năm"))
    seq = models.PositiveIntegerField(_("số thứ tự"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sản phẩm OCOP")
        verbose_name_plural = _("sản phẩm OCOP")
        ordering = ["province", "year", "seq", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year", "seq"], condition=Q(seq__isnull=False),
                                    name="product_seq_unique_per_province_year",
                                    violation_error_message=_("Số thứ tự sản phẩm này đã dùng trong tỉnh và năm này.")),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


# The public state of a certificate in its grace (re-evaluation filed, decision pending, ≤ 180 days past expiry).
GRACE_STATE = "grace"


class CertificateQuerySet(SearchTextQuerySet):
    def in_force_on(self, day: datetime.date):
        """Active and within validity, or in the grace after it (a filed re-evaluation awaits its decision)."""
        return self.filter(Q(valid_until__gte=day) | Q(grace_until__gte=day), status=CertificateStatus.ACTIVE)

    def past_end_on(self, day: datetime.date):
        """Active certificates that `day` finds past their validity and past any grace: the expiry job ends them."""
        return self.filter(Q(grace_until__isnull=True) | Q(grace_until__lt=day), status=CertificateStatus.ACTIVE,
                           valid_until__lt=day)

    def expiry_notice_due(self, day: datetime.date):
        """Active certificates ending within 30 days (or already in their last 30 days) not yet notified."""
        return self.filter(status=CertificateStatus.ACTIVE, expiry_notice_sent_at__isnull=True, valid_until__gte=day,
                           valid_until__lte=day + datetime.timedelta(days=EXPIRY_NOTICE_DAYS))

    def renewal_window_open(self, day: datetime.date):
        """Active certificates whose re-evaluation filing window (T-180 … T-120 days) is open on `day`."""
        return self.filter(status=CertificateStatus.ACTIVE,
                           valid_until__gte=day + datetime.timedelta(days=RENEWAL_CLOSES_DAYS),
                           valid_until__lte=day + datetime.timedelta(days=RENEWAL_OPENS_DAYS))

    def expiring(self, day: datetime.date):
        return self.filter(status=CertificateStatus.ACTIVE, valid_until__gte=day,
                           valid_until__lte=day + datetime.timedelta(days=RENEWAL_OPENS_DAYS))


def certificate_upload_to(instance, filename):
    return f"products/certificates/{instance.issued_on:%Y}/{instance.verify_code}.pdf"


class Certificate(SearchTextModel):
    """Giấy chứng nhận kết quả phân hạng sản phẩm OCOP. "Expiring" and the renewal window are derived."""

    SEARCH_FIELDS = ("number",)

    number = models.CharField(_("số giấy chứng nhận"), max_length=60, unique=True)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="certificates",
                                verbose_name=_("sản phẩm"))
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="certificates",
                                 verbose_name=_("quyết định"))
    item = models.OneToOneField(DecisionItem, on_delete=models.PROTECT, related_name="certificate")
    star = models.PositiveSmallIntegerField(_("hạng sao"))
    issued_on = models.DateField(_("ngày cấp"))
    valid_until = models.DateField(_("hiệu lực đến"))
    verify_code = models.CharField(_("mã xác minh"), max_length=40, unique=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=CertificateStatus.choices,
                              default=CertificateStatus.ACTIVE)
    ended_on = models.DateField(_("ngày chấm dứt hiệu lực"), null=True, blank=True)
    supersedes = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="superseded_by", verbose_name=_("thay thế giấy chứng nhận"))
    # The grace (Decision 26/2026 Art. 12, transition rule): the holder filed for re-evaluation before expiry,
    # so the certificate stays in force after valid_until until the decision, at most to grace_until
    # (valid_until + 180 days). Set together when the re-evaluation dossier is submitted; cleared together
    # when that dossier is withdrawn or not recognised.
    reevaluation_dossier = models.ForeignKey("registrations.Dossier", null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+",
                                             verbose_name=_("hồ sơ đánh giá lại đang xét"))
    grace_until = models.DateField(_("còn hiệu lực chờ quyết định, không quá"), null=True, blank=True)
    # The 30-day notice to the holder and the commune (Art. 5): sent once, whatever the daily task does.
    expiry_notice_sent_at = models.DateTimeField(_("đã báo sắp hết hạn lúc"), null=True, blank=True)
    pdf = models.FileField(_("tệp PDF"), upload_to=certificate_upload_to, blank=True, max_length=255)
    pdf_rendered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("giấy chứng nhận OCOP")
        verbose_name_plural = _("giấy chứng nhận OCOP")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["product"], condition=Q(status=CertificateStatus.ACTIVE),
                                    name="certificate_one_active_per_product",
                                    violation_error_message=_("Sản phẩm đã có giấy chứng nhận còn hiệu lực.")),
            models.CheckConstraint(condition=Q(valid_until__gt=models.F("issued_on")),
                                   name="certificate_valid_after_issue",
                                   violation_error_message=_("Ngày hết hiệu lực phải sau ngày cấp.")),
            models.CheckConstraint(condition=Q(star__gte=1, star__lte=5), name="certificate_star_1_to_5",
                                   violation_error_message=_("Hạng sao phải từ 1 đến 5.")),
            models.CheckConstraint(condition=Q(status__in=CertificateStatus.values), name="certificate_status_valid",
                                   violation_error_message=_("Trạng thái không hợp lệ.")),
            models.CheckConstraint(
                condition=Q(reevaluation_dossier__isnull=True, grace_until__isnull=True)
                | Q(reevaluation_dossier__isnull=False, grace_until__gt=models.F("valid_until")),
                name="certificate_grace_has_dossier_and_ends_after_validity",
                violation_error_message=_("Thời gian chờ quyết định đánh giá lại phải gắn với hồ sơ đánh giá lại "
                                                          "và kết thúc sau ngày hết hiệu lực.")),
        ]
        indexes = [models.Index(fields=["status", "valid_until"]), models.Index(fields=["-issued_on", "-id"])]

    def __str__(self) -> str:
        return f"{_('Giấy chứng nhận')} {self.number}"

    def get_absolute_url(self):
        return reverse("products:certificate_detail", args=[self.pk])

    def get_verify_url(self):
        return reverse("products:verify", args=[self.verify_code])

    @property
    def public_verify_url(self) -> str:
        return settings.OCOP_PUBLIC_BASE_URL.rstrip("/") + self.get_verify_url()

    # --- derived states -----------------------------------------------------------------------
    @property
    def renewal_opens_on(self) -> datetime.date:
        return self.valid_until - datetime.timedelta(days=RENEWAL_OPENS_DAYS)

    @property
    def renewal_closes_on(self) -> datetime.date:
        return self.valid_until - datetime.timedelta(days=RENEWAL_CLOSES_DAYS)

    def in_renewal_window(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.status == CertificateStatus.ACTIVE and self.renewal_opens_on <= day <= self.renewal_closes_on

    def is_expiring(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.status == CertificateStatus.ACTIVE and self.renewal_opens_on <= day <= self.valid_until

    def is_past_validity(self, day: datetime.date | None = None) -> bool:
        return (day or timezone.localdate()) > self.valid_until

    def in_grace(self, day: datetime.date | None = None) -> bool:
        """Past its end date but still in force: a re-evaluation filed before expiry awaits its decision."""
        day = day or timezone.localdate()
        return (self.status == CertificateStatus.ACTIVE and self.grace_until is not None
                and self.valid_until < day <= self.grace_until)

    def in_force(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.status == CertificateStatus.ACTIVE and (day <= self.valid_until or self.in_grace(day))

    def public_state(self, day: datetime.date | None = None) -> str:
        """active · expiring · grace · expired · revoked · superseded, as the public page shows it."""
        if self.status != CertificateStatus.ACTIVE:
            return self.status
        if self.in_grace(day):
            return GRACE_STATE
        if self.is_past_validity(day):
            return CertificateStatus.EXPIRED
        return "expiring" if self.is_expiring(day) else CertificateStatus.ACTIVE


class Revocation(models.Model):
    """Thu hồi (26/2026 Art. 8): the finding starts a 15-day clock; the decision revokes the certificate."""

    certificate = models.OneToOneField(Certificate, on_delete=models.PROTECT, related_name="revocation")
    ground = models.CharField(_("căn cứ thu hồi"), max_length=30, choices=RevocationGround.choices)
    finding_on = models.DateField(_("ngày phát hiện, kết luận"))
    due_on = models.DateField(_("hạn ra quyết định thu hồi"))
    decision_number = models.CharField(_("số quyết định thu hồi"), max_length=60, blank=True)
    decided_on = models.DateField(_("ngày quyết định thu hồi"), null=True, blank=True)
    # Who revokes (Art. 8.2): the provincial chair a 3★/4★, the Minister a 5★. Province staff only record
    # the Minister's decision, so a ministry revocation always carries its number and date.
    level = models.CharField(_("cấp quyết định thu hồi"), max_length=10, choices=RecognisingLevel.choices,
                             default=RecognisingLevel.PROVINCE)
    issuer_name = models.CharField(_("cơ quan quyết định thu hồi"), max_length=255, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    inspection = models.ForeignKey("Inspection", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("kết luận hậu kiểm"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thu hồi giấy chứng nhận")
        verbose_name_plural = _("thu hồi giấy chứng nhận")
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gt=models.F("finding_on")), name="revocation_due_after_finding",
                                   violation_error_message=_("Hạn quyết định thu hồi phải sau ngày phát hiện.")),
            models.CheckConstraint(condition=Q(decided_on__isnull=True) | ~Q(decision_number=""),
                                   name="revocation_decided_has_number",
                                   violation_error_message=_("Quyết định thu hồi đã ban hành phải có số quyết định.")),
            models.CheckConstraint(condition=Q(ground__in=RevocationGround.values), name="revocation_ground_valid",
                                   violation_error_message=_("Căn cứ thu hồi không hợp lệ.")),
            models.CheckConstraint(
                condition=Q(level=RecognisingLevel.PROVINCE)
                | Q(level=RecognisingLevel.MINISTRY, decided_on__isnull=False),
                name="revocation_by_ministry_is_its_recorded_decision",
                violation_error_message=_("Thu hồi do Bộ quyết định chỉ được ghi khi đã có ngày quyết định.")),
        ]

    def __str__(self) -> str:
        return f"{self.certificate} — {self.get_ground_display()}"

    def is_overdue(self, day: datetime.date | None = None) -> bool:
        return self.decided_on is None and (day or timezone.localdate()) > self.due_on


class Inspection(models.Model):
    """Hậu kiểm (Art. 9): a periodic or ad-hoc check of criteria maintenance and of the OCOP mark's use."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="inspections")
    kind = models.CharField(_("loại kiểm tra"), max_length=10, choices=InspectionKind.choices)
    inspected_on = models.DateField(_("ngày kiểm tra"))
    inspectors = models.CharField(_("đoàn kiểm tra"), max_length=255)
    conclusion = models.CharField(_("kết luận"), max_length=15, choices=InspectionConclusion.choices)
    findings = models.TextField(_("nội dung kết luận"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hậu kiểm")
        verbose_name_plural = _("hậu kiểm")
        ordering = ["-inspected_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.inspected_on:%d/%m/%Y}"
