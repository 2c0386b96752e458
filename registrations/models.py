from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
        constraints = [models.UniqueConstraint(fields=["classification", "code"], name="product_group_code_unique")]

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

    class Meta:
        verbose_name = _("bộ sản phẩm")
        verbose_name_plural = _("bộ sản phẩm")
        ordering = ["classification", "number"]
        constraints = [
            models.UniqueConstraint(fields=["classification", "code"], name="product_set_code_unique"),
            models.UniqueConstraint(fields=["classification", "number"], name="product_set_number_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="product_set_valid_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"
