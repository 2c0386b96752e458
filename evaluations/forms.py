from django import forms
from django.utils.translation import gettext_lazy as _

from ocop_portal.forms import preselect_single_choices

from .enums import CouncilKind, FindingKind, RoundKind
from .models import Council, KnockoutCondition


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("Lý do xung đột lợi ích"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Lý do mở lại phiếu"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class SpreadConclusionForm(forms.Form):
    reason = forms.CharField(label=_("Kết luận của hội đồng và lý do"), widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=4000)


class FindingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại ý kiến"), choices=FindingKind.choices)
    text = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    visited_on = forms.DateField(label=_("Ngày khảo sát"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    knockout_condition = forms.ModelChoiceField(label=_("Điều kiện loại"), queryset=KnockoutCondition.objects.none(),
                                                required=False)

    def __init__(self, *args, rubric=None, **kwargs):
        super().__init__(*args, **kwargs)
        if rubric is not None:
            self.fields["knockout_condition"].queryset = KnockoutCondition.objects.filter(rubric=rubric)


class CentralResultForm(forms.Form):
    central_mean = forms.DecimalField(label=_("Điểm trung bình của hội đồng trung ương"), max_digits=7, decimal_places=4,
                                      min_value=0, max_value=100)
    central_star = forms.IntegerField(label=_("Hạng sao trung ương"), min_value=1, max_value=5)


DB_ID_MAX = 2**63 - 1  # the largest id a database integer column holds


def id_from(value) -> int | None:
    """A posted id as an int, or None when it is not one a database row could have ("abc", "-1", 10**30)."""
    value = str(value if value is not None else "").strip()
    if not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 1 <= number <= DB_ID_MAX else None


def ids_from(values) -> list[int]:
    return [i for i in (id_from(v) for v in values) if i is not None]


def sheet_choices_from(data) -> dict:
    """POST fields "c<criterion id>" = option id → {criterion id: option id}; anything else is ignored."""
    out = {}
    for key, value in data.items():
        if not key.startswith("c"):
            continue
        criterion_id, option_id = id_from(key[1:]), id_from(value)
        if criterion_id is not None and option_id is not None:
            out[criterion_id] = option_id
    return out


class RoundOpenForm(forms.Form):
    """Opening a round: the province, its council and advisory group, the dates and the commune deadline."""

    province = forms.ModelChoiceField(label=_("Tỉnh"), queryset=None)
    council = forms.ModelChoiceField(label=_("Hội đồng"), queryset=None)
    advisory_group = forms.ModelChoiceField(label=_("Tổ tư vấn"), queryset=None, required=False)
    kind = forms.ChoiceField(label=_("Loại kỳ"), choices=RoundKind.choices)
    year = forms.IntegerField(label=_("Năm"), min_value=2019, max_value=2100)
    number = forms.IntegerField(label=_("Đợt"), min_value=1, max_value=20)
    title = forms.CharField(label=_("Tên kỳ"), required=False, max_length=255)
    opens_on = forms.DateField(label=_("Ngày bắt đầu"), widget=forms.DateInput(attrs={"type": "date"}))
    forward_deadline = forms.DateField(label=_("Hạn cấp xã chuyển hồ sơ"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Hạn kết thúc"), widget=forms.DateInput(attrs={"type": "date"}))
    decide_by_written_opinion = forms.BooleanField(label=_("Lấy ý kiến bằng văn bản (kỳ đánh giá lại)"), required=False)

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces
        councils = Council.objects.filter(province__in=provinces)
        self.fields["council"].queryset = councils.filter(kind=CouncilKind.COUNCIL)
        self.fields["advisory_group"].queryset = councils.filter(kind=CouncilKind.ADVISORY_GROUP)
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-control"
            if isinstance(field.widget, forms.Select):
                css = "form-select"
            field.widget.attrs.setdefault("class", css)
        preselect_single_choices(self)
