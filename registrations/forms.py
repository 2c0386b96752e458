import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ocop_portal.forms import BLANK_CHOICE_LABEL, date_field, preselect_single_choices

from .enums import AssessmentConclusion, AssessmentResult, DossierKind, EvidenceKind, HeldCertificate, SalesChannel
from .models import BusinessPlan, CommuneAssessment, Dossier, DossierRevision, Producer, ProductIdea, ProductSet
from .rules import can_view_producer
from .selectors import producer_visible_to, units_visible_to

TAX_CODE_MESSAGE = _("Mã số thuế phải gồm 10 hoặc 13 chữ số (dạng 0123456789 hoặc 0123456789-001).")


def _nfc(value):
    return unicodedata.normalize("NFC", value).strip() if isinstance(value, str) else value


class NfcFormMixin:
    def clean(self):
        data = super().clean()
        return {k: _nfc(v) for k, v in data.items()}


class ProducerForm(NfcFormMixin, forms.ModelForm):
    sales_channels = forms.MultipleChoiceField(
        label=_("Kênh phân phối"), choices=SalesChannel.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    certificates = forms.MultipleChoiceField(
        label=_("Chứng nhận đang có"), choices=HeldCertificate.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Producer
        fields = [
            "kind", "name", "tax_code", "registered_on", "commune", "address", "representative_name",
            "representative_position", "representative_gender", "representative_ethnicity", "phone", "email",
            "website", "workforce_total", "workforce_local", "sales_channels", "certificates", "craft_village",
            "in_value_chain",
        ]
        widgets = {"registered_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"tax_code": _("10 chữ số, hoặc 13 chữ số cho chi nhánh: 0123456789-001.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        communes = units_visible_to(user)
        if self.instance.pk:  # the producer's own account keeps its commune (it may not move it)
            communes = communes | communes.model.objects.filter(pk=self.instance.commune_id)
        self.fields["commune"].queryset = communes.order_by("name")
        self.fields["tax_code"].error_messages["unique"] = _("Chủ thể có mã số thuế này đã có.")
        # The tax code is checked in clean_tax_code (with a pointer to the existing producer).
        self.fields["tax_code"].validators = []
        preselect_single_choices(self)

    def clean_tax_code(self):
        value = re.sub(r"\s+", "", self.cleaned_data.get("tax_code") or "")
        if not re.fullmatch(r"\d{10}(-\d{3})?", value):
            raise ValidationError(TAX_CODE_MESSAGE, code="invalid")
        existing = Producer.objects.filter(tax_code=value).exclude(pk=self.instance.pk).select_related("commune").first()
        if existing:
            if can_view_producer.test(self.user, existing):
                raise ValidationError(
                    format_html(
                        '{} <a href="{}">{}</a> ({})', _("Chủ thể có mã số thuế này đã có:"),
                        existing.get_absolute_url(), existing.name, existing.commune.name,
                    ),
                    code="duplicate",
                )
            raise ValidationError(
                _("Chủ thể có mã số thuế này đã có: %(name)s (%(commune)s). Liên hệ cán bộ nơi đó để được hỗ trợ."),
                code="duplicate", params={"name": existing.name, "commune": existing.commune.name},
            )
        return value

    def clean(self):
        data = super().clean()
        total, local = data.get("workforce_total"), data.get("workforce_local")
        if total is not None and local is not None and local > total:
            self.add_error("workforce_local", _("Số lao động địa phương không thể lớn hơn tổng số lao động."))
        return data

    def _post_clean(self):
        # Uniqueness is reported by clean_tax_code with a link; skip the model's generic message.
        self._validate_unique = False
        super()._post_clean()


class ProductIdeaForm(NfcFormMixin, forms.ModelForm):
    class Meta:
        model = ProductIdea
        fields = ["title", "description", "year"]  # the status moves through SupportStepStatusForm


class BusinessPlanForm(NfcFormMixin, forms.ModelForm):
    class Meta:
        model = BusinessPlan
        fields = ["title", "summary", "idea", "year"]  # the status moves through SupportStepStatusForm

    def __init__(self, *args, producer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["idea"].queryset = producer.ideas.all()


class SupportStepStatusForm(forms.Form):
    """Move a product idea or business plan to one of the statuses the user may give it."""

    to = forms.ChoiceField(label=_("Chuyển sang trạng thái"))
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = targets


def _product_sets():
    """The sets a dossier may register under today: a classification no longer in force (1048/2019) is only for
    recorded history."""
    today = timezone.localdate()
    return (ProductSet.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today)).select_related("group")
            .order_by("classification", "number"))


class DossierCreateForm(NfcFormMixin, forms.ModelForm):
    class Meta:
        model = Dossier
        fields = ["producer", "kind", "product_name", "product_set", "previous_certificate"]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = producer_visible_to(user).order_by("name")
        self.fields["product_set"].queryset = _product_sets()
        self.fields["product_set"].required = False
        preselect_single_choices(self)

    def clean(self):
        data = super().clean()
        if data.get("kind") in (DossierKind.UPGRADE, DossierKind.RE_EVALUATION) and not data.get("previous_certificate"):
            self.add_error(
                "previous_certificate", _("Hồ sơ nâng hạng hoặc đánh giá lại phải ghi số giấy chứng nhận đã được cấp.")
            )
        return data

    def _post_clean(self):
        # The dossier is built by the service (commune and year come from the producer and today).
        pass


class DossierForm(NfcFormMixin, forms.Form):
    """Form 01 and Form 02 parts I, II and IV of the current revision, with the dossier's own fields."""

    kind = forms.ChoiceField(label=_("Loại đăng ký"), choices=DossierKind.choices, widget=forms.RadioSelect)
    product_name = forms.CharField(label=_("Tên sản phẩm"), max_length=255)
    product_set = forms.ModelChoiceField(label=_("Bộ sản phẩm"), queryset=ProductSet.objects.none(), required=False)
    previous_certificate = forms.CharField(
        label=_("Số giấy chứng nhận được nâng hạng / đánh giá lại"), max_length=100, required=False
    )

    def __init__(self, *args, dossier: Dossier, revision: DossierRevision, **kwargs):
        initial = {
            "kind": dossier.kind, "product_name": dossier.product_name, "product_set": dossier.product_set_id,
            "previous_certificate": dossier.previous_certificate,
            **{name: getattr(revision, name) for name in DossierRevision.DATA_FIELDS},
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["product_set"].queryset = _product_sets()
        for name in DossierRevision.DATA_FIELDS:
            field = DossierRevision._meta.get_field(name).formfield()
            field.required = False
            if name == "sample_count":  # a form-level bound, so an absurd number is an error, not a database failure
                field.max_value = 100
                field.validators.append(MaxValueValidator(100))
                field.widget.attrs["max"] = 100
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 2
            self.fields[name] = field

    def clean(self):
        data = super().clean()
        if data.get("kind") in (DossierKind.UPGRADE, DossierKind.RE_EVALUATION) and not data.get("previous_certificate"):
            self.add_error(
                "previous_certificate", _("Hồ sơ nâng hạng hoặc đánh giá lại phải ghi số giấy chứng nhận đã được cấp.")
            )
        if data.get("sample_count") is None:
            data["sample_count"] = 5
        return data

    DOSSIER_FIELDS = ("kind", "product_name", "product_set", "previous_certificate")

    def dossier_data(self) -> dict:
        """The dossier's own fields: all of them, or none while any of them has an error (they depend on each other)."""
        if any(name in self.errors for name in self.DOSSIER_FIELDS):
            return {}
        return {k: self.cleaned_data[k] for k in self.DOSSIER_FIELDS}

    def revision_data(self) -> dict:
        """The revision fields that are valid: when another field has an error these are still saved."""
        return {k: self.cleaned_data[k] for k in DossierRevision.DATA_FIELDS if k in self.cleaned_data and k not in self.errors}


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern): cleans to a list, empty when none."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        return [cleaned for cleaned in (super(MultipleFileField, self).clean(f, initial) for f in files if f) if cleaned]


class EvidenceUploadForm(forms.Form):
    evidence_kind = forms.ChoiceField(label=_("Loại minh chứng"), choices=[("", BLANK_CHOICE_LABEL), *EvidenceKind.choices], required=False)
    evidence_file = MultipleFileField(label=_("Tệp minh chứng"), required=False,
                                      help_text=_("Chọn được nhiều tệp một lần; tất cả cùng một loại minh chứng."))

    def clean(self):
        data = super().clean()
        if data.get("evidence_file") and not data.get("evidence_kind"):
            self.add_error("evidence_kind", _("Hãy chọn loại minh chứng cho tệp tải lên."))
        return data


class CommuneAssessmentForm(NfcFormMixin, forms.ModelForm):
    class Meta:
        model = CommuneAssessment
        fields = [
            "origin_and_raw_material", "origin_and_raw_material_note", "local_labour", "local_labour_note",
            "idea_origin", "idea_origin_note", "local_identity", "local_identity_note", "conclusion", "conclusion_note",
        ]
        widgets = {
            "origin_and_raw_material": forms.RadioSelect, "local_labour": forms.RadioSelect,
            "idea_origin": forms.RadioSelect, "local_identity": forms.RadioSelect, "conclusion": forms.RadioSelect,
            **{f"{n}_note": forms.Textarea(attrs={"rows": 2}) for n in CommuneAssessment.ITEMS},
            "conclusion_note": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            f"{n}_note": format_lazy("{}: {}", _("Nhận xét"), CommuneAssessment._meta.get_field(n).verbose_name)
            for n in CommuneAssessment.ITEMS
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in CommuneAssessment.ITEMS:
            self.fields[name].choices = AssessmentResult.choices
        # A group of radios has no blank choice: nothing ticked is the blank.
        self.fields["conclusion"].choices = AssessmentConclusion.choices

    def _post_clean(self):
        # Dossier, revision and dates are set by the service.
        pass


class TransitionForm(forms.Form):
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    received_on = date_field(_("Ngày nhận hồ sơ giấy"), required=False,
                             help_text=_("Để trống nếu nhận hôm nay; ghi ngày đã nhận khi nhập lại hồ sơ giấy."))


class ProducerAccountForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập của chủ thể"), max_length=150)

    def __init__(self, *args, producer, **kwargs):
        super().__init__(*args, **kwargs)
        self.producer = producer

    def clean_username(self):
        from accounts.enums import Role
        from accounts.models import RoleAssignment, User

        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise ValidationError(_("Không có tài khoản “%(username)s”."), params={"username": username})
        holds_role = RoleAssignment.objects.active_on().filter(
            user=user, role=Role.PRODUCER, unit=self.producer.commune
        ).exists()
        if not holds_role:
            raise ValidationError(
                _("Tài khoản “%(username)s” chưa có vai trò chủ thể OCOP tại %(commune)s."),
                params={"username": username, "commune": self.producer.commune.name},
            )
        self.user = user
        return username
