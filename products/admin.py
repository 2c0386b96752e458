"""Admin: decisions, products, certificates; legacy certificates are entered through their own form, which
calls the same service as the demo (issuer as it was on the decision date, authority checked by date)."""
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from activity.admin import ActivityLoggedAdmin, TransitionManagedAdmin
from evaluations.enums import RecognisingLevel
from ocop_portal.forms import BLANK_CHOICE_LABEL
from ocop_portal.text import FoldedSearchAdminMixin
from registrations.models import Producer, ProductSet
from units.models import AdministrativeUnit

from . import services
from .models import Certificate, Decision, DecisionItem, Inspection, Product, Revocation


class DecisionItemInline(admin.TabularInline):
    model = DecisionItem
    extra = 0
    raw_id_fields = ["result", "dossier", "product"]


@admin.register(Decision)
class DecisionAdmin(TransitionManagedAdmin):
    state_fields = ("status", "recorded_at", "published_at")
    list_display = ["__str__", "issuer_name", "decided_on", "level", "status", "is_legacy"]
    list_filter = ["status", "level", "is_legacy"]
    search_fields = ["number", "issuer_name"]
    raw_id_fields = ["province", "issuing_unit", "round", "issuer", "created_by"]
    inlines = [DecisionItemInline]


@admin.register(Product)
class ProductAdmin(FoldedSearchAdminMixin, ActivityLoggedAdmin):
    folded_search = ("search_text", "producer__search_text")
    list_display = ["code", "name", "producer", "commune", "year"]
    search_fields = ["code", "name", "producer__name"]
    raw_id_fields = ["producer", "product_set", "commune", "province"]


class LegacyCertificateForm(forms.Form):
    # Built when the admin is discovered, before OcopPortalConfig.ready() sets the portal's blank label.
    producer = forms.ModelChoiceField(label=_("Chủ thể"), queryset=Producer.objects.order_by("name"),
                                      empty_label=BLANK_CHOICE_LABEL)
    product_set = forms.ModelChoiceField(label=_("Bộ sản phẩm"), queryset=ProductSet.objects.order_by("classification", "number"),
                                         empty_label=BLANK_CHOICE_LABEL)
    product_name = forms.CharField(label=_("Tên sản phẩm"), max_length=255)
    product_code = forms.CharField(label=_("Mã sản phẩm (như trên giấy)"), max_length=40)
    commune_id = forms.IntegerField(label=_("Mã nội bộ của xã (đơn vị cũ)"))
    star = forms.TypedChoiceField(label=_("Hạng sao"), coerce=int, choices=[(3, "3★"), (4, "4★"), (5, "5★")])
    level = forms.ChoiceField(label=_("Cấp công nhận"), choices=RecognisingLevel.choices)
    issuing_unit_id = forms.IntegerField(label=_("Mã nội bộ của đơn vị ban hành (huyện/tỉnh cũ)"), required=False)
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=60)
    decided_on = forms.DateField(label=_("Ngày quyết định"), input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    certificate_number = forms.CharField(label=_("Số giấy chứng nhận"), max_length=60)
    signer_name = forms.CharField(label=_("Người ký"), max_length=150, required=False)


@admin.register(Certificate)
class CertificateAdmin(FoldedSearchAdminMixin, TransitionManagedAdmin):
    """A certificate's state moves through the certificate services (issue, supersede, revoke, expire): here it
    is read-only, so a revoked certificate cannot be set back to active in the admin."""

    state_fields = ("status", "ended_on", "supersedes")
    list_display = ["number", "product", "star", "issued_on", "valid_until", "status"]
    list_filter = ["status", "star"]
    search_fields = ["number", "product__code", "product__name", "product__producer__name"]
    folded_search = ("search_text", "product__search_text", "product__producer__search_text")
    raw_id_fields = ["product", "decision", "item"]
    readonly_fields = ["verify_code", "pdf", "pdf_rendered_at"]

    def get_urls(self):
        return [path("nhap-giay-cu/", self.admin_site.admin_view(self.legacy_view), name="products_certificate_legacy"),
                *super().get_urls()]

    def legacy_view(self, request):
        form = LegacyCertificateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            commune = AdministrativeUnit.objects.filter(pk=data.pop("commune_id")).first()
            unit_id = data.pop("issuing_unit_id")
            issuing_unit = AdministrativeUnit.objects.filter(pk=unit_id).first() if unit_id else None
            if commune is None:
                form.add_error("commune_id", _("Không tìm thấy đơn vị."))
            else:
                try:
                    cert = services.legacy_certificate_record(commune=commune, issuing_unit=issuing_unit,
                                                              by=request.user, **data)
                    messages.success(request, _("Đã nhập %(c)s.") % {"c": cert})
                    return redirect("admin:products_certificate_change", cert.pk)
                except ValidationError as exc:
                    form.add_error(None, exc)
        return render(request, "admin/products/legacy_certificate.html",
                      {**self.admin_site.each_context(request), "form": form, "title": _("Nhập giấy chứng nhận cấp trước đây")})


@admin.register(Revocation)
class RevocationAdmin(ActivityLoggedAdmin):
    list_display = ["certificate", "ground", "finding_on", "due_on", "decision_number", "decided_on"]
    raw_id_fields = ["certificate", "inspection", "recorded_by"]


@admin.register(Inspection)
class InspectionAdmin(ActivityLoggedAdmin):
    list_display = ["certificate", "kind", "inspected_on", "conclusion"]
    raw_id_fields = ["certificate", "recorded_by"]
