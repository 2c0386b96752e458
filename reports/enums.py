"""Kinds and states of the reports app."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class RunFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel (XLSX)")
    PDF = "pdf", _("PDF (văn bản hành chính)")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang lập")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Lỗi")


FINISHED_STATES = frozenset({RunStatus.DONE, RunStatus.FAILED})


class PeriodKind(models.TextChoices):
    YEAR = "year", _("Cả năm")
    HALF = "half", _("6 tháng")
    QUARTER = "quarter", _("Quý")
    MONTH = "month", _("Tháng")
    ROUND = "round", _("Kỳ đánh giá")


class Grouping(models.TextChoices):
    NONE = "none", _("Toàn tỉnh")
    CURRENT_COMMUNE = "current_commune", _("Theo xã, phường hiện nay")
    OLD_DISTRICT = "old_district", _("Theo huyện cũ")
    OLD_PROVINCE = "old_province", _("Theo tỉnh cũ")
    PRODUCT_GROUP = "product_group", _("Theo nhóm sản phẩm")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")
    HALF_YEARLY = "half_year", _("6 tháng một lần")
    YEARLY = "yearly", _("Hằng năm")


# The period a delivery at each frequency covers (the last one that ended).
FREQUENCY_PERIOD = {Frequency.MONTHLY: PeriodKind.MONTH, Frequency.QUARTERLY: PeriodKind.QUARTER,
                    Frequency.HALF_YEARLY: PeriodKind.HALF, Frequency.YEARLY: PeriodKind.YEAR}
