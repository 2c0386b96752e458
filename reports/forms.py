"""The parameter form every report shares: province (the user's own), period and grouping."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from products.widgets import ManyOptionsSelect

from .enums import Grouping, PeriodKind, RunFormat
from .periods import MONTHS_PER_PART, PARTS, Params
from .selectors import report_provinces


class ReportParamsForm(forms.Form):
    province = forms.ModelChoiceField(
        label=_("Tỉnh, thành phố"), queryset=None, empty_label=None, widget=ManyOptionsSelect(label_field="name"),
        error_messages={"required": _("Hãy chọn tỉnh."),
                        "invalid_choice": _("Bạn không được lập báo cáo của tỉnh này.")},
    )
    year = forms.IntegerField(
        label=_("Năm"), min_value=2018, max_value=2100,
        error_messages={"required": _("Hãy nhập năm báo cáo."), "invalid": _("Năm phải là một số, ví dụ 2026."),
                        "min_value": _("Năm phải từ 2018 trở đi."), "max_value": _("Năm không hợp lệ.")},
    )
    period = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=PeriodKind.choices, widget=ManyOptionsSelect,
                               error_messages={"invalid_choice": _("Kỳ báo cáo không hợp lệ.")})
    part = forms.IntegerField(
        label=_("Số kỳ"), required=False, min_value=1, max_value=12,
        help_text=_("6 tháng: 1 hoặc 2; quý: 1–4; tháng: 1–12."),
        error_messages={"invalid": _("Hãy nhập một số."), "min_value": _("Số kỳ phải từ 1 trở lên."),
                        "max_value": _("Số kỳ không quá 12.")},
    )
    round = forms.ModelChoiceField(label=_("Kỳ đánh giá"), queryset=None, required=False, empty_label=_("— Không chọn —"),
                                   widget=ManyOptionsSelect,
                                   error_messages={"invalid_choice": _("Kỳ đánh giá không thuộc tỉnh đã chọn.")})
    grouping = forms.ChoiceField(label=_("Tổng hợp"), widget=ManyOptionsSelect, error_messages={"invalid_choice": _("Cách tổng hợp không hợp lệ.")})

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
        today, period = timezone.localdate(), report.periods[0]
        # A report that opens on a quarter (the periodic progress report) opens on the current one.
        part = (today.month - 1) // MONTHS_PER_PART[period] + 1 if period in MONTHS_PER_PART else None
        return {"province": first, "year": today.year, "period": period, "grouping": report.default_grouping,
                **({"part": part} if part else {})}

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


class PlanProgressForm(forms.Form):
    """The plan progress report measures one plan (the user's plans only); its province is the plan's."""

    plan = forms.ModelChoiceField(
        label=_("Kế hoạch"), queryset=None, empty_label=None, widget=ManyOptionsSelect(label_field="title"),
        error_messages={"required": _("Hãy chọn kế hoạch."),
                        "invalid_choice": _("Bạn không được xem kế hoạch này.")},
    )

    def __init__(self, *args, user, report, **kwargs):
        super().__init__(*args, **kwargs)
        from plans.selectors import plans_visible_to

        self.report = report
        self.fields["plan"].queryset = plans_visible_to(user).filter(
            issuing_unit__current_province__in=report_provinces(user)).order_by("-year_from", "title", "pk")
        self.fields["plan"].widget.attrs["class"] = "form-select"

    @classmethod
    def initial_data(cls, *, user, report) -> dict:
        from plans.selectors import plans_visible_to

        first = (plans_visible_to(user).filter(issuing_unit__current_province__in=report_provinces(user))
                 .order_by("-year_from", "title", "pk").values_list("pk", flat=True).first())
        return {"plan": first}

    def params(self) -> Params:
        from .enums import Grouping, PeriodKind

        plan = self.cleaned_data["plan"]
        return Params(province=plan.issuing_unit.current_province, year=plan.year_from, period=PeriodKind.YEAR,
                      grouping=Grouping.NONE, plan=plan)


class SubscriptionForm(forms.ModelForm):
    """An organisation's standing order: which body receives which report of which province, how often, in which
    format. Choices are limited to the provinces where the user is province staff and the bodies in them."""

    class Meta:
        from .models import Subscription

        model = Subscription
        fields = ["organisation", "province", "code", "frequency", "format", "active"]
        labels = {"organisation": _("Cơ quan nhận báo cáo"), "province": _("Số liệu của tỉnh, thành phố"),
                  "code": _("Báo cáo"), "frequency": _("Tần suất gửi"), "format": _("Định dạng tệp"),
                  "active": _("Đang gửi")}
        help_texts = {"organisation": _("Mọi người đang giữ vai trò trong cơ quan này nhận báo cáo trong hộp thư "
                                        "và qua email, kèm tệp."),
                      "frequency": _("Mỗi kỳ (tháng, quý, 6 tháng, năm) vừa kết thúc được gửi một lần.")}

    def __init__(self, *args, user, **kwargs):
        from .registry import all_reports
        from .selectors import subscription_organisations
        from accounts.enums import Role
        from accounts.selectors import user_provinces

        super().__init__(*args, **kwargs)
        provinces = user_provinces(user, Role.PROVINCE_STAFF).order_by("name")
        self.fields["province"].queryset = provinces
        self.fields["province"].empty_label = None
        self.fields["organisation"].queryset = subscription_organisations(provinces)
        self.fields["organisation"].required = True
        self.fields["organisation"].error_messages["required"] = _("Hãy chọn cơ quan nhận báo cáo.")
        self.fields["code"] = forms.ChoiceField(
            label=_("Báo cáo"), choices=[(r.code, r.title) for r in all_reports() if r.subscribable],
            error_messages={"invalid_choice": _("Không có báo cáo này.")})
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            else:
                field.widget.attrs.setdefault("class", "form-select")

    def clean(self):
        data = super().clean()
        organisation, province = data.get("organisation"), data.get("province")
        if organisation and province and organisation.unit_id and organisation.unit.current_province_id != province.pk \
                and organisation.unit_id != province.pk:
            self.add_error("organisation", _("Cơ quan này không thuộc tỉnh đã chọn."))
        return data
