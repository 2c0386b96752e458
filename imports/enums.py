"""States of an import batch and the verdict on each of its rows; the batch's transition table beside them."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchState(models.TextChoices):
    UPLOADED = "uploaded", _("Đã tải lên")
    PREVIEWING = "previewing", _("Đang kiểm tra")
    PREVIEWED = "previewed", _("Chờ xác nhận")
    APPLYING = "applying", _("Đang ghi")
    APPLIED = "applied", _("Đã ghi")
    UNDONE = "undone", _("Đã hoàn tác")
    FAILED = "failed", _("Không ghi được")


B = BatchState
# from → the states it may move to. A preview is read again from the file; an applied batch may be undone.
BATCH_TRANSITIONS: dict[str, frozenset] = {
    B.UPLOADED: frozenset({B.PREVIEWING}),
    B.PREVIEWING: frozenset({B.PREVIEWED, B.FAILED}),
    B.PREVIEWED: frozenset({B.APPLYING}),
    B.APPLYING: frozenset({B.APPLIED, B.FAILED}),
    B.APPLIED: frozenset({B.UNDONE}),
    B.UNDONE: frozenset(),
    B.FAILED: frozenset(),
}
del B


class RowStatus(models.TextChoices):
    NEW = "new", _("Mới")
    UNCHANGED = "unchanged", _("Không đổi")
    UPDATED = "updated", _("Cập nhật")
    ERROR = "error", _("Lỗi")


class Sheet(models.TextChoices):
    PRODUCERS = "producers", _("Chủ thể")
    PRODUCTS = "products", _("Sản phẩm OCOP")
    TRAININGS = "trainings", _("Tập huấn")
    SHOWROOMS = "showrooms", _("Điểm bán")
