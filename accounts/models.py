import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from units.models import AdministrativeUnit

from .enums import OrganisationKind, Role


class User(AbstractUser):
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class RoleAssignmentQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date | None = None):
        day = day or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class RoleAssignment(models.Model):
    """A role a user holds in an administrative unit over a period. A user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        AdministrativeUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị")
    )
    organisation = models.ForeignKey(
        "Organisation", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("cơ quan")
    )
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công vai trò")
        verbose_name_plural = _("phân công vai trò")
        constraints = [
            models.CheckConstraint(
                condition=Q(role=Role.ADMINISTRATOR) | Q(unit__isnull=False), name="role_needs_unit_unless_admin",
                violation_error_message=_("Vai trò này phải gắn với một đơn vị hành chính.")
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="role_valid_period",
                violation_error_message=_("Ngày kết thúc hiệu lực phải sau hoặc bằng ngày bắt đầu hiệu lực."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.unit or _('toàn hệ thống')}"


class OrganisationQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date):
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class Organisation(models.Model):
    """A body that acts in the cycle, named as it was over a period (e.g. Sở NN&PTNT until 2025-02-28)."""

    kind = models.CharField(_("loại cơ quan"), max_length=30, choices=OrganisationKind.choices)
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    unit = models.ForeignKey(
        AdministrativeUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="organisations",
        verbose_name=_("đơn vị hành chính"),
    )
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="organisation_valid_period",
                violation_error_message=_("Ngày kết thúc hiệu lực phải sau hoặc bằng ngày bắt đầu hiệu lực."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class FormDraft(models.Model):
    """What a user typed into a long form and has not saved yet, kept on the server so that it survives a
    closed tab, a lost connection or a change of device. One per user and form (`key`, e.g. "dossier:12");
    saving the form for real discards it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="form_drafts", verbose_name=_("người dùng"))
    key = models.CharField(_("biểu mẫu"), max_length=100)
    data = models.JSONField(_("nội dung"), default=dict)
    saved_at = models.DateTimeField(_("lưu lúc"), auto_now=True)

    class Meta:
        verbose_name = _("bản nháp tự động")
        verbose_name_plural = _("bản nháp tự động")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], name="form_draft_one_per_user_and_form",
                violation_error_message=_("Mỗi người dùng chỉ có một bản nháp tự động cho mỗi biểu mẫu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.key}"
