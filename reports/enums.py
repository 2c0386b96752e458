"""Kinds and states of the reports app."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class RunFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel (XLSX)")


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


class Indicator(models.TextChoices):
    """Plan indicators (targets a provincial OCOP plan sets, e.g. Kế hoạch 1578/KH-UBND)."""

    NEW_PRODUCTS_3_STAR = "new_3star", _("Sản phẩm mới đạt 3 sao trở lên")
    FOUR_STAR = "four_star", _("Sản phẩm đạt 4 sao")
    FIVE_STAR_PROPOSALS = "five_star_proposals", _("Sản phẩm đề nghị Bộ đánh giá 5 sao")
    UPGRADED = "upgraded", _("Sản phẩm được nâng hạng")
    RE_RECOGNISED = "re_recognised", _("Sản phẩm được đánh giá lại đạt")
    DOSSIERS_ACCEPTED = "dossiers_accepted", _("Hồ sơ được tỉnh tiếp nhận")
    COOPERATIVE_SHARE = "cooperative_share", _("Tỷ lệ chủ thể là hợp tác xã (%)")
    MODERN_CHANNEL_SHARE = "modern_channel_share", _("Tỷ lệ chủ thể có kênh phân phối hiện đại (%)")
    IDEAS_SUPPORTED = "ideas_supported", _("Ý tưởng sản phẩm được hỗ trợ")
    TRAININGS = "trainings", _("Lớp tập huấn được tổ chức")
    SHOWROOMS = "showrooms", _("Điểm giới thiệu, bán sản phẩm OCOP")


# Indicators given as a percentage (the rest are counts).
PERCENT_INDICATORS = frozenset({Indicator.COOPERATIVE_SHARE, Indicator.MODERN_CHANNEL_SHARE})


class FundingSource(models.TextChoices):
    CENTRAL = "central", _("Ngân sách trung ương")
    PROVINCIAL = "provincial", _("Ngân sách tỉnh")
    COMMUNE = "commune", _("Ngân sách xã")
    PRODUCERS = "producers", _("Vốn đối ứng của chủ thể")
    OTHER = "other", _("Nguồn khác")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")
