"""The parameter form every report shares: province (the user's own), period and grouping."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import Grouping, PeriodKind, RunFormat
from .periods import PARTS, Params
from .selectors import report_provinces


class ReportParamsForm(forms.Form):
    province = forms.ModelChoiceField(
        label=_("Tỉnh, thành phố"), queryset=None, empty_label=None,
        error_messages={"required": _("Hãy chọn tỉnh."),
                        "invalid_choice": _("Bạn không được lập báo cáo của tỉnh này.")},
    )
    year = forms.IntegerField(
        label=_("Năm"), min_value=2018, max_value=2100,
        error_messages={"required": _("Hãy nhập năm báo cáo."), "invalid": _("Năm phải là một số, ví dụ 2026."),
                        "min_value": _("Năm phải từ 2018 trở đi."), "max_value": _("Năm không hợp lệ.")},
    )
    period = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=PeriodKind.choices,
                               error_messages={"invalid_choice": _("Kỳ báo cáo không hợp lệ.")})
    part = forms.IntegerField(
        label=_("Số kỳ"), required=False, min_value=1, max_value=12,
        help_text=_("6 tháng: 1 hoặc 2; quý: 1–4; tháng: 1–12."),
        error_messages={"invalid": _("Hãy nhập một số."), "min_value": _("Số kỳ phải từ 1 trở lên."),
                        "max_value": _("Số kỳ không quá 12.")},
    )
    round = forms.ModelChoiceField(label=_("Kỳ đánh giá"), queryset=None, required=False, empty_label=_("— Không chọn —"),
                                   error_messages={"invalid_choice": _("Kỳ đánh giá không thuộc tỉnh đã chọn.")})
    grouping = forms.ChoiceField(label=_("Tổng hợp"), error_messages={"invalid_choice": _("Cách tổng hợp không hợp lệ.")})

    def __init__(self, *args, user, report, **kwargs):
        super().__init__(*args, **kwargs)
        from evaluations.models import Round

        self.report = report
        provinces = report_provinces(user)
        self.fields["province"].queryset = provinces
        self.fields["round"].queryset = (Round.objects.filter(province__in=provinces).select_related("province")
                                         .order_by("-year", "-number"))
        self.fields["period"].choices = [(k, label) for k, label in PeriodKind.choices if k in report.periods]
        self.fields["grouping"].choices = [(k, label) for k, label in Grouping.choices if k in report.groupings]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    @classmethod
    def initial_data(cls, *, user, report) -> dict:
        first = report_provinces(user).values_list("pk", flat=True).first()
        return {"province": first, "year": timezone.localdate().year, "period": report.periods[0],
                "grouping": report.default_grouping}

    def clean(self):
        data = super().clean()
        period, part, round_ = data.get("period"), data.get("part"), data.get("round")
        if period in PARTS and "part" not in self.errors:
            if not part:
                self.add_error("part", _("Hãy nhập số của kỳ (6 tháng, quý hoặc tháng)."))
            elif part > PARTS[period]:
                self.add_error("part", _("Kỳ này chỉ có từ 1 đến %(n)s.") % {"n": PARTS[period]})
        if period == PeriodKind.ROUND and "round" not in self.errors:
            if round_ is None:
                self.add_error("round", _("Hãy chọn kỳ đánh giá."))
            elif data.get("province") and round_.province_id != data["province"].pk:
                self.add_error("round", _("Kỳ đánh giá không thuộc tỉnh đã chọn."))
        return data

    def params(self) -> Params:
        d = self.cleaned_data
        period = d["period"]
        return Params(province=d["province"], year=d["year"] if period != PeriodKind.ROUND else d["round"].year,
                      period=period, part=d.get("part") if period in PARTS else None,
                      round=d.get("round") if period == PeriodKind.ROUND else None, grouping=d["grouping"])


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=RunFormat.choices, error_messages={"invalid_choice": _("Định dạng không hợp lệ.")})


class PlanTargetsForm(forms.Form):
    """One field per indicator (empty = no target) and planned / actual VND per funding source."""

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        from .enums import PERCENT_INDICATORS, FundingSource, Indicator

        targets = {t.indicator: t.value for t in plan.targets.all()}
        budget = {b.source: b for b in plan.budget_lines.all()}
        messages = {"invalid": _("Hãy nhập một số, ví dụ 52 hoặc 30.5."), "min_value": _("Giá trị không được âm."),
                    "max_digits": _("Số quá lớn."), "max_decimal_places": _("Tối đa 2 chữ số thập phân.")}
        for indicator in Indicator:
            self.fields[f"target_{indicator.value}"] = forms.DecimalField(
                label=indicator.label, required=False, min_value=0, max_digits=12, decimal_places=2,
                initial=targets.get(indicator.value), error_messages=messages,
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01" if indicator in PERCENT_INDICATORS else "1"}))
        money = {"invalid": _("Hãy nhập số tiền bằng đồng, không có dấu chấm, ví dụ 1500000000."),
                 "min_value": _("Số tiền không được âm.")}
        for source in FundingSource:
            line = budget.get(source.value)
            for key, label, value in (("planned", _("%(s)s — kế hoạch (đồng)"), line.planned_vnd if line else None),
                                      ("actual", _("%(s)s — thực hiện (đồng)"), line.actual_vnd if line else None)):
                self.fields[f"{key}_{source.value}"] = forms.IntegerField(
                    label=label % {"s": source.label}, required=False, min_value=0, max_value=10**15, initial=value,
                    error_messages=money, widget=forms.NumberInput(attrs={"class": "form-control", "step": "1"}))

    def clean(self):
        from .enums import FundingSource

        data = super().clean()
        for source in FundingSource:
            if data.get(f"planned_{source.value}") is None and data.get(f"actual_{source.value}") not in (None, 0):
                self.add_error(f"planned_{source.value}", _("Hãy nhập kinh phí kế hoạch của nguồn này."))
        return data

    def target_values(self) -> dict:
        from .enums import Indicator

        return {i.value: self.cleaned_data.get(f"target_{i.value}") for i in Indicator}

    def budget_values(self) -> dict:
        from .enums import FundingSource

        return {s.value: (self.cleaned_data.get(f"planned_{s.value}"), self.cleaned_data.get(f"actual_{s.value}") or 0)
                for s in FundingSource}
