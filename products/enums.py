"""Kinds and states of recognition decisions, certificates, revocations and inspections.

Each workflow's transition table sits beside its states, so a lifecycle reads in one screen.
"""
from django.db import models
from django.utils.translation import gettext_lazy as _


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    RECORDED = "recorded", _("Đã ký, vào sổ")
    PUBLISHED = "published", _("Đã công bố")


D = DecisionStatus
# from → the states it may move to. Publishing issues the certificates; nothing follows it.
DECISION_TRANSITIONS: dict[str, frozenset] = {
    D.DRAFT: frozenset({D.RECORDED}),
    D.RECORDED: frozenset({D.DRAFT, D.PUBLISHED}),
    D.PUBLISHED: frozenset(),
}
del D


class CertificateStatus(models.TextChoices):
    ACTIVE = "active", _("Còn hiệu lực")
    SUPERSEDED = "superseded", _("Đã được thay thế")
    REVOKED = "revoked", _("Đã thu hồi")
    EXPIRED = "expired", _("Hết hiệu lực")


C = CertificateStatus
# An active certificate ends one of three ways; the end is final (a renewal is a new certificate).
CERTIFICATE_TRANSITIONS: dict[str, frozenset] = {
    C.ACTIVE: frozenset({C.SUPERSEDED, C.REVOKED, C.EXPIRED}),
    C.SUPERSEDED: frozenset(),
    C.REVOKED: frozenset(),
    C.EXPIRED: frozenset(),
}
del C


class RevocationGround(models.TextChoices):
    """26/2026/QĐ-TTg Art. 8.1 (a)–(f)."""

    FALSE_INFORMATION = "a_false_information", _("a) Kê khai thông tin không trung thực, giả mạo hồ sơ")
    CRITERIA_NOT_MET = "b_criteria_not_met", _("b) Không còn đáp ứng tiêu chí theo kết luận kiểm tra, hậu kiểm")
    LAW_VIOLATION = "c_law_violation", _(
        "c) Vi phạm pháp luật về chất lượng, an toàn thực phẩm, môi trường, sở hữu trí tuệ, nhãn hàng hóa")
    MARK_MISUSE = "d_mark_misuse", _("d) Sử dụng sai biểu trưng, nhãn hiệu OCOP")
    STOPPED_PRODUCING = "e_stopped_producing", _("e) Chủ thể không còn sản xuất sản phẩm")
    OTHER_AUTHORITY = "f_other_authority", _("f) Theo kết luận của cơ quan có thẩm quyền khác")


class InspectionKind(models.TextChoices):
    PERIODIC = "periodic", _("Định kỳ")
    AD_HOC = "ad_hoc", _("Đột xuất")


class InspectionConclusion(models.TextChoices):
    MAINTAINED = "maintained", _("Duy trì đạt tiêu chí")
    NEEDS_FIXING = "needs_fixing", _("Yêu cầu khắc phục")
    NOT_MET = "not_met", _("Không còn đáp ứng tiêu chí (đề nghị thu hồi)")


# Days: revocation decided within 15 days of the finding (Art. 8.2); the renewal filing window
# opens 180 days and closes 120 days before expiry (Art. 5); validity runs 36 months.
REVOCATION_DUE_DAYS = 15
# The issuing body notifies the holder no later than 30 days before expiry; a re-evaluation filed before
# expiry keeps the certificate in force until the decision, at most 180 days past expiry (Art. 12).
EXPIRY_NOTICE_DAYS = 30
GRACE_DAYS = 180
RENEWAL_OPENS_DAYS = 180
RENEWAL_CLOSES_DAYS = 120
VALIDITY_MONTHS = 36
