"""Reads of products. Every list starts from a `..._visible_to(user)` queryset; HTML and API share them."""
import datetime

import django_filters
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from accounts.selectors import scope_q, user_scope
from ocop_portal.forms import FILTER_ALL_LABEL
from ocop_portal.text import matching
from registrations.models import Producer, ProductGroup
from units.models import AdministrativeUnit

from .enums import CertificateStatus, DecisionStatus
from .models import GRACE_STATE, Certificate, Decision, DecisionItem, Product, Revocation
from .widgets import ManyOptionsSelect

_SCOPE = {"province_roles": (Role.PROVINCE_STAFF,), "commune_roles": (Role.COMMUNE_OFFICER,)}


def _own_producers(user):
    """The producers the account acts for today (linked, with a producer role still valid): see registrations.rules."""
    from registrations.rules import own_producer_ids

    return list(own_producer_ids(user))


def product_visible_to(user) -> QuerySet:
    if not getattr(user, "is_authenticated", False):
        return Product.objects.none()
    q = scope_q(user, commune_field="commune", **_SCOPE)
    if q is None:
        return Product.objects.all()
    return Product.objects.filter(q | Q(producer_id__in=_own_producers(user)))


def certificate_visible_to(user) -> QuerySet:
    if not getattr(user, "is_authenticated", False):
        return Certificate.objects.none()
    q = scope_q(user, commune_field="product__commune", **_SCOPE)
    if q is None:
        return Certificate.objects.all()
    return Certificate.objects.filter(q | Q(product__producer_id__in=_own_producers(user)))


def decision_visible_to(user) -> QuerySet:
    scope = user_scope(user)
    if scope.is_admin:
        return Decision.objects.all()
    provinces = scope.unit_ids(Role.PROVINCE_STAFF)
    return Decision.objects.filter(province__in=provinces) if provinces else Decision.objects.none()


# --- filters -------------------------------------------------------------------------------------
STATE_CHOICES = [*CertificateStatus.choices, ("expiring", _("Sắp hết hạn (trong 180 ngày)")),
                 ("renewal", _("Đang trong thời hạn nộp hồ sơ đánh giá lại")),
                 (GRACE_STATE, _("Hết hạn, còn hiệu lực chờ quyết định đánh giá lại"))]


class CertificateFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=_("Trạng thái"), choices=STATE_CHOICES, method="filter_state",
                                        widget=ManyOptionsSelect)
    star = django_filters.ChoiceFilter(label=_("Hạng sao"), choices=[(3, "3★"), (4, "4★"), (5, "5★")],
                                       widget=ManyOptionsSelect)
    commune = django_filters.ModelChoiceFilter(label=_("Xã, phường"), field_name="product__commune",
                                               queryset=AdministrativeUnit.objects.none(),
                                               empty_label=FILTER_ALL_LABEL,
                                               widget=ManyOptionsSelect(label_field="name"))
    group = django_filters.ModelChoiceFilter(label=_("Nhóm sản phẩm"), field_name="product__product_set__group",
                                             queryset=ProductGroup.objects.filter(level="group"),
                                             empty_label=FILTER_ALL_LABEL, widget=ManyOptionsSelect)
    q = django_filters.CharFilter(label=_("Tìm theo tên, mã, số"), method="filter_q")

    class Meta:
        model = Certificate
        fields = ["state", "star", "commune", "group", "q"]

    def __init__(self, *args, communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["commune"].queryset = communes if communes is not None else AdministrativeUnit.objects.filter(
            level="commune", valid_to__isnull=True)

    def filter_state(self, qs, name, value):
        today = timezone.localdate()
        if value == "expiring":
            return qs.expiring(today)
        if value == "renewal":
            return qs.renewal_window_open(today)
        if value == GRACE_STATE:
            return qs.in_force_on(today).filter(valid_until__lt=today)
        return qs.filter(status=value)

    def filter_q(self, qs, name, value):
        return matching(qs, value, "search_text", "product__search_text", "product__producer__search_text")


def _communes_for(user) -> QuerySet:
    scope = user_scope(user)
    qs = AdministrativeUnit.objects.filter(level="commune", valid_to__isnull=True)
    if scope.is_admin:
        return qs
    provinces = scope.unit_ids(Role.PROVINCE_STAFF)
    communes = scope.unit_ids(Role.COMMUNE_OFFICER)
    return qs.filter(Q(current_province__in=provinces) | Q(pk__in=communes)).order_by("name")


CERT_RELATED = ("product__producer", "product__commune", "product__product_set", "decision")


def certificate_list(*, user, filters=None) -> tuple[QuerySet, CertificateFilter]:
    qs = certificate_visible_to(user).select_related(*CERT_RELATED).order_by("-issued_on", "-pk")
    filterset = CertificateFilter(filters or None, queryset=qs, communes=_communes_for(user))
    return (filterset.qs if filterset.is_valid() else qs), filterset


def certificate_detail(*, user, pk) -> Certificate | None:
    return (certificate_visible_to(user).select_related(*CERT_RELATED, "decision__round", "supersedes",
                                                         "product__producer__commune", "revocation")
            .filter(pk=pk).first())


def _count_per_decision(model) -> Coalesce:
    """How many `model` rows name the decision: a subquery per listed decision (a page of 25), not a join of
    items × certificates grouped over every decision."""
    per = model.objects.filter(decision=OuterRef("pk")).order_by().values("decision").annotate(n=Count("pk"))
    return Coalesce(Subquery(per.values("n"), output_field=IntegerField()), 0)


def decision_list(*, user) -> QuerySet:
    return (decision_visible_to(user).select_related("province", "round", "issuer")
            .annotate(item_count=_count_per_decision(DecisionItem), certificate_count=_count_per_decision(Certificate))
            .order_by("-created_at", "-pk"))


def decision_items(decision: Decision) -> QuerySet:
    return (DecisionItem.objects.filter(decision=decision)
            .select_related("result", "dossier__producer", "dossier__commune", "dossier__product_set",
                            "product__producer", "product__commune", "product__product_set", "certificate")
            .order_by("position", "pk"))


def product_list(*, user) -> QuerySet:
    return product_visible_to(user).select_related("producer", "commune", "product_set").order_by("-year", "code")


# --- public --------------------------------------------------------------------------------------
def certificate_by_code(code: str) -> Certificate | None:
    if not code or len(code) > 40 or "\x00" in code:
        return None
    return (Certificate.objects.select_related("product__producer__commune", "product__commune",
                                               "product__product_set", "decision", "revocation",
                                               "superseded_by")
            .filter(verify_code=code).first())


class CatalogueFilter(django_filters.FilterSet):
    star = django_filters.ChoiceFilter(label=_("Hạng sao"), choices=[(3, "3★"), (4, "4★"), (5, "5★")],
                                       widget=ManyOptionsSelect)
    group = django_filters.ModelChoiceFilter(label=_("Nhóm sản phẩm"), field_name="product__product_set__group",
                                             queryset=ProductGroup.objects.filter(level="group"),
                                             empty_label=FILTER_ALL_LABEL, widget=ManyOptionsSelect)
    commune = django_filters.ModelChoiceFilter(label=_("Xã, phường"), field_name="product__commune",
                                               queryset=AdministrativeUnit.objects.none(),
                                               empty_label=FILTER_ALL_LABEL,
                                               widget=ManyOptionsSelect(label_field="name"))
    q = django_filters.CharFilter(label=_("Tìm theo tên sản phẩm, chủ thể"), method="filter_q")

    class Meta:
        model = Certificate
        fields = ["star", "group", "commune", "q"]

    def filter_q(self, qs, name, value):
        """The public sees products and producers by name, typed with or without diacritics."""
        return matching(qs, value, "product__search_text", "product__producer__search_text")

    def __init__(self, *args, province=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["commune"].queryset = AdministrativeUnit.objects.filter(
            level="commune", current_province=province).order_by("name")


def catalogue(*, province, filters=None):
    today = timezone.localdate()
    qs = (Certificate.objects.in_force_on(today).filter(product__province=province)
          .select_related("product__producer", "product__commune", "product__product_set")
          .order_by("-star", "product__name", "pk"))
    filterset = CatalogueFilter(filters or None, queryset=qs, province=province)
    return (filterset.qs if filterset.is_valid() else qs), filterset


# --- home page -----------------------------------------------------------------------------------
def renewal_due(*, user, day: datetime.date | None = None) -> QuerySet:
    return certificate_visible_to(user).renewal_window_open(day or timezone.localdate())


def revocations_pending(*, user) -> QuerySet:
    return Revocation.objects.filter(decided_on__isnull=True,
                                     certificate__in=certificate_visible_to(user).values("pk"))


def renewal_and_revocation_counts(*, user, day: datetime.date) -> dict:
    """In one aggregate over the user's certificates: how many have their renewal window open on `day`
    (renewal_due), how many revocations await their decision (revocations_pending) and how many of those are
    past their due date."""
    from .enums import RENEWAL_CLOSES_DAYS, RENEWAL_OPENS_DAYS

    window = Q(status=CertificateStatus.ACTIVE, valid_until__gte=day + datetime.timedelta(days=RENEWAL_CLOSES_DAYS),
               valid_until__lte=day + datetime.timedelta(days=RENEWAL_OPENS_DAYS))
    pending = Q(revocation__isnull=False, revocation__decided_on__isnull=True)
    return certificate_visible_to(user).order_by().aggregate(
        renewal=Count("pk", filter=window), pending=Count("pk", filter=pending),
        overdue=Count("pk", filter=pending & Q(revocation__due_on__lt=day)))


def decisions_waiting(*, user) -> QuerySet:
    return decision_visible_to(user).filter(status__in=[DecisionStatus.DRAFT, DecisionStatus.RECORDED])




# --- the certificate an upgrade or re-evaluation dossier names ------------------------------------------
REEVALUATION_GRACE_DAYS = 180  # Art. 12: a product whose renewal missed the window keeps going ≤ 180 days past expiry


def _dossier_province_id(dossier):
    commune = dossier.commune
    return commune.current_province_id or commune.province_id


def previous_certificate_of(dossier) -> Certificate | None:
    """The certificate the dossier names if it is the producer's own and of the producer's province, else None:
    an unknown number, another producer's and another province's certificate look the same, so nothing of a
    certificate outside the dossier leaks through the answer."""
    number = (dossier.previous_certificate or "").strip()
    cert = Certificate.objects.filter(number=number).select_related("product", "decision").first()
    if cert is None or cert.product.producer_id != dossier.producer_id:
        return None
    if cert.product.province_id != _dossier_province_id(dossier):
        return None
    return cert


def _window_problems(dossier, cert, day) -> list[str]:
    """Why `cert` cannot be upgraded or re-evaluated by a dossier filed on `day` (the filing window)."""
    from registrations.enums import DossierKind

    problems = []
    if dossier.kind == DossierKind.UPGRADE:
        if not cert.in_force(day):
            problems.append(_("Giấy chứng nhận đã hết hiệu lực: sản phẩm đăng ký đánh giá lần đầu, không nâng hạng."))
        if cert.star >= 5:
            problems.append(_("Sản phẩm đã đạt 5 sao: không còn hạng để nâng."))
    elif dossier.kind == DossierKind.RE_EVALUATION:
        if day < cert.renewal_opens_on:
            problems.append(_("Chưa đến thời hạn nộp hồ sơ đánh giá lại: từ %(o)s đến %(c)s (180 đến 120 ngày trước "
                              "khi giấy chứng nhận hết hạn ngày %(v)s).") % {
                "o": f"{cert.renewal_opens_on:%d/%m/%Y}", "c": f"{cert.renewal_closes_on:%d/%m/%Y}",
                "v": f"{cert.valid_until:%d/%m/%Y}"})
        elif day > cert.valid_until + datetime.timedelta(days=REEVALUATION_GRACE_DAYS):
            problems.append(_("Giấy chứng nhận hết hạn quá %(g)s ngày: sản phẩm đăng ký đánh giá lần đầu.") % {
                "g": REEVALUATION_GRACE_DAYS})
    return problems


def _ended_problems(cert) -> list[str]:
    if cert.status in (CertificateStatus.REVOKED, CertificateStatus.SUPERSEDED):
        return [_("Giấy chứng nhận số %(n)s %(state)s.") % {
            "n": cert.number, "state": str(cert.get_status_display()).lower()}]
    return []


def previous_certificate_refusals(dossier, *, filing: bool, day: datetime.date | None = None) -> list[str]:
    """Why a dossier may not build on the certificate it names (empty when it may). The certificate must be the
    producer's own, of the producer's province, not revoked or replaced; while the dossier is being filed
    (`filing`), an upgrade needs it in force below 5★ and a re-evaluation must be filed between the opening of
    its window and 180 days past expiry. Registered with registrations (previous_certificate.py), which asks at
    creation, on every edit and at every later step; decisions ask again before they list and issue."""
    from registrations.enums import DossierKind

    number = (dossier.previous_certificate or "").strip()
    if dossier.kind == DossierKind.FIRST or not number:
        return []
    cert = previous_certificate_of(dossier)
    if cert is None:
        return [_("Không nhận số giấy chứng nhận %(n)s: hệ thống không có giấy chứng nhận số này của chủ thể, do "
                  "tỉnh của chủ thể cấp. Hồ sơ nâng hạng hoặc đánh giá lại chỉ ghi giấy chứng nhận của chính chủ "
                  "thể (giấy chứng nhận cũ do cấp tỉnh nhập vào trước).") % {"n": number}]
    problems = _ended_problems(cert)
    if filing and not problems:
        problems = _window_problems(dossier, cert, day or timezone.localdate())
    return problems


def previous_certificate_check(dossier, day: datetime.date | None = None, *, user=None) -> dict | None:
    """What the dossier page tells about the certificate a non-first dossier names: the certificate (None when
    it is unknown, or when `user` is given and may not see it: the same answer, so nothing leaks) and the
    problems, as Vietnamese sentences. None for a first dossier."""
    from registrations.enums import DossierKind

    number = (dossier.previous_certificate or "").strip()
    if dossier.kind == DossierKind.FIRST or not number:
        return None
    day = day or timezone.localdate()
    cert = Certificate.objects.filter(number=number).select_related("product", "decision").first()
    if cert is None or (user is not None and not user.has_perm("products.view_certificate", cert)):
        return {"certificate": None, "problems": [
            _("Không tìm thấy giấy chứng nhận số %(n)s, hoặc giấy chứng nhận không thuộc phạm vi của bạn.") % {"n": number}]}
    problems = []
    if cert.product.producer_id != dossier.producer_id:
        problems.append(_("Giấy chứng nhận số %(n)s không phải của chủ thể này.") % {"n": number})
    elif cert.product.province_id != _dossier_province_id(dossier):
        problems.append(_("Giấy chứng nhận số %(n)s không do tỉnh của chủ thể cấp.") % {"n": number})
    problems += _ended_problems(cert) or _window_problems(dossier, cert, day)
    if (not problems and dossier.kind == DossierKind.RE_EVALUATION and day > cert.renewal_closes_on):
        problems.append(_("Nộp muộn so với thời hạn (chậm nhất %(c)s): giấy chứng nhận được giữ đến khi có quyết định, "
                          "không quá %(g)s ngày sau khi hết hạn.") % {
            "c": f"{cert.renewal_closes_on:%d/%m/%Y}", "g": REEVALUATION_GRACE_DAYS})
    return {"certificate": cert, "problems": problems}
