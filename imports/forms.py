from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ocop_portal.forms import BLANK_CHOICE_LABEL

from .enums import RowStatus, Sheet

MAX_IMPORT_BYTES = 20 * 1024 * 1024


def _style(form):
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)


class UploadForm(forms.Form):
    province = forms.ModelChoiceField(label=_("Tỉnh"), queryset=None, empty_label=BLANK_CHOICE_LABEL)
    file = forms.FileField(label=_("Tệp Excel (.xlsx) hoặc CSV"),
                           help_text=_("Theo tệp mẫu; tiêu đề cột có thể theo thứ tự bất kỳ."))

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces
        if provinces.count() == 1:
            self.fields["province"].initial = provinces.first()
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv"
        _style(self)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Chỉ nhận tệp .xlsx hoặc .csv."))
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn 20 MB."))
        return upload


class ExportForm(forms.Form):
    FORMATS = [("xlsx", _("Excel (mọi trang)")), ("json", _("JSON (mọi trang)")), ("csv", _("CSV (một trang)"))]
    format = forms.ChoiceField(label=_("Định dạng"), choices=FORMATS, initial="xlsx")
    sheet = forms.ChoiceField(label=_("Trang (cho CSV)"), choices=Sheet.choices, initial=Sheet.PRODUCTS)
    province = forms.ModelChoiceField(label=_("Tỉnh"), queryset=None, required=False,
                                      empty_label=_("Mọi tỉnh"))

    def __init__(self, *args, provinces, everything: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces
        self.fields["province"].required = not everything
        if not everything:
            self.fields["province"].empty_label = BLANK_CHOICE_LABEL
            if provinces.count() == 1:
                self.fields["province"].initial = provinces.first()
        _style(self)


class RowFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Kết quả"), required=False,
                               choices=[("", _("Tất cả")), *RowStatus.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class LegacyCertificateForm(forms.Form):
    """One certificate issued before the portal, typed by province staff: the producer and the units are chosen
    by name (with suggestions), never by internal id. It goes through the same checks and writes as a file."""

    producer = forms.CharField(label=_("Chủ thể (tên hoặc mã số thuế)"), max_length=255)
    product_name = forms.CharField(label=_("Tên sản phẩm"), max_length=255)
    product_code = forms.CharField(label=_("Mã sản phẩm (như trên giấy)"), max_length=40)
    product_set = forms.CharField(label=_("Bộ sản phẩm"), max_length=255)
    commune = forms.CharField(label=_("Xã, phường nơi sản xuất (như lúc cấp giấy)"), max_length=255,
                              help_text=_("Ví dụ “Xã Sơn Định, Huyện Chợ Lách, Tỉnh Bến Tre”."))
    certificate_number = forms.CharField(label=_("Số giấy chứng nhận"), max_length=60)
    star = forms.TypedChoiceField(label=_("Hạng sao"), coerce=int, choices=[(3, "3★"), (4, "4★"), (5, "5★")])
    level = forms.ChoiceField(label=_("Cấp công nhận"), choices=[("Tỉnh", _("Tỉnh")), ("Huyện", _("Huyện")),
                                                                 ("Trung ương", _("Trung ương (Bộ)"))])
    issuing_unit = forms.CharField(label=_("Đơn vị ban hành"), max_length=255, required=False,
                                   help_text=_("Để trống: huyện hoặc tỉnh của xã."))
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=60)
    decided_on = forms.DateField(label=_("Ngày quyết định"), input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    valid_until = forms.DateField(label=_("Hiệu lực đến"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"],
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                  help_text=_("Để trống: 36 tháng kể từ ngày quyết định."))
    signer_name = forms.CharField(label=_("Người ký"), max_length=150, required=False)

    SUGGEST = {"producer": "producer", "commune": "commune", "issuing_unit": "issuer", "product_set": "product_set"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, kind in self.SUGGEST.items():
            self.fields[name].widget.attrs.update({
                "list": f"{name}-options", "hx-get": reverse("imports:suggest") + f"?loai={kind}", "autocomplete": "off", "hx-trigger": "input changed delay:300ms",
                "hx-target": f"#{name}-options", "hx-swap": "innerHTML", "data-suggest": kind})
        _style(self)
