"""Forms of products; dates typed dd/mm/yyyy, errors in Vietnamese, what was typed is kept."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.enums import RecognisingLevel, RoundPhase
from evaluations.models import Round
from ocop_portal.forms import date_field, preselect_single_choices

from .enums import InspectionConclusion, InspectionKind, RevocationGround


class DecisionCreateForm(forms.Form):
    round = forms.ModelChoiceField(label=_("Kỳ đánh giá đã kết thúc"), queryset=Round.objects.none(),
                                   error_messages={"invalid_choice": _("Chọn một kỳ đánh giá trong danh sách.")})
    level = forms.ChoiceField(label=_("Cấp công nhận"), initial=RecognisingLevel.PROVINCE, choices=[
        (RecognisingLevel.PROVINCE, _("UBND cấp tỉnh công nhận 3 sao, 4 sao")),
        (RecognisingLevel.MINISTRY, _("Bộ Nông nghiệp và Môi trường công nhận 5 sao (theo kết quả trung ương)")),
    ])

    def __init__(self, *args, rounds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = (rounds if rounds is not None else Round.objects.none()).filter(
            phase=RoundPhase.CLOSED).order_by("-year", "-number")
        preselect_single_choices(self)


class DecisionRecordForm(forms.Form):
    number = forms.CharField(label=_("Số quyết định"), max_length=60,
                             widget=forms.TextInput(attrs={"placeholder": "1234/QĐ-UBND"}))
    decided_on = date_field(_("Ngày quyết định"))
    signer_name = forms.CharField(label=_("Người ký"), max_length=150)
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=150, required=False,
                                   initial=_("KT. CHỦ TỊCH — PHÓ CHỦ TỊCH"))

    def clean_decided_on(self):
        day = self.cleaned_data["decided_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Ngày quyết định không được sau ngày hôm nay."))
        return day


class RevocationForm(forms.Form):
    ground = forms.ChoiceField(label=_("Căn cứ thu hồi (Điều 8)"), choices=RevocationGround.choices)
    finding_on = date_field(_("Ngày phát hiện, kết luận"))
    decision_number = forms.CharField(label=_("Số quyết định thu hồi"), max_length=60, required=False,
                                      help_text=_("Để trống nếu chưa có quyết định: hạn ra quyết định là 15 ngày."))
    decided_on = date_field(_("Ngày quyết định thu hồi"), required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, ministry: bool = False, **kwargs):
        """`ministry`: a 5★ certificate, revoked by the Minister; the form records the Ministry's decision."""
        super().__init__(*args, **kwargs)
        if ministry:
            self.fields["decision_number"].required = self.fields["decided_on"].required = True
            self.fields["decision_number"].label = _("Số quyết định thu hồi của Bộ trưởng Bộ NN&MT")
            self.fields["decision_number"].help_text = _(
                "Giấy chứng nhận 5 sao do Bộ trưởng thu hồi; tỉnh chỉ ghi nhận quyết định của Bộ.")
            self.fields["decided_on"].label = _("Ngày quyết định thu hồi của Bộ")

    def clean(self):
        data = super().clean()
        if bool((data.get("decision_number") or "").strip()) != bool(data.get("decided_on")):
            raise forms.ValidationError(_("Nhập đủ cả số và ngày quyết định thu hồi, hoặc để trống cả hai."))
        if data.get("decided_on") and data.get("finding_on") and data["decided_on"] < data["finding_on"]:
            self.add_error("decided_on", _("Ngày quyết định thu hồi không được trước ngày phát hiện."))
        return data


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại kiểm tra"), choices=InspectionKind.choices)
    inspected_on = date_field(_("Ngày kiểm tra"))
    inspectors = forms.CharField(label=_("Đoàn kiểm tra"), max_length=255)
    conclusion = forms.ChoiceField(label=_("Kết luận"), choices=InspectionConclusion.choices)
    findings = forms.CharField(label=_("Nội dung kết luận"), widget=forms.Textarea(attrs={"rows": 3}))
