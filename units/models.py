from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import Kind, Level


class AdministrativeUnit(models.Model):
    """A province, district or commune as it existed over a period.

    Units before the 1 July 2025 reform end on 30 June 2025; current units start on 1 July 2025.
    Codes are the official GSO codes; the same code may appear in both eras (Hà Nội is 01 before and
    after), so a code is unique per level among the current units and per level and end date among
    the old ones.
    """

    code = models.CharField(_("mã"), max_length=10)
    name = models.CharField(_("tên"), max_length=150)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    # The province this unit belonged to in its own era (itself for a province).
    province = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("tỉnh")
    )
    # The current (post-reform) province the unit's area belongs to now: reports roll old units up here.
    current_province = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("tỉnh hiện nay")
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["level", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code"], condition=Q(valid_to__isnull=True), name="unit_current_code_unique",
                violation_error_message=_("Đã có đơn vị hành chính đang hiệu lực cùng cấp mang mã này.")
            ),
            models.UniqueConstraint(
                fields=["level", "code", "valid_to"],
                condition=Q(valid_to__isnull=False),
                name="unit_past_code_unique",
                violation_error_message=_("Đã có đơn vị hành chính cũ cùng cấp, cùng mã và cùng ngày hết hiệu lực."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_period",
                violation_error_message=_("Ngày kết thúc hiệu lực phải sau hoặc bằng ngày bắt đầu hiệu lực."),
            ),
        ]
        indexes = [models.Index(fields=["current_province", "level"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class UnitLineage(models.Model):
    """Old unit → new unit, as the reform resolutions merged them (many-to-many)."""

    old = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="successor_links")
    new = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="predecessor_links")
    effective_on = models.DateField(_("ngày hiệu lực"))

    class Meta:
        verbose_name = _("kế thừa đơn vị")
        verbose_name_plural = _("kế thừa đơn vị")
        constraints = [models.UniqueConstraint(fields=["old", "new"], name="lineage_unique",
                                               violation_error_message=_("Quan hệ giữa đơn vị cũ và đơn vị mới này đã được ghi."))]

    def __str__(self) -> str:
        return f"{self.old} → {self.new}"
