"""Plan forms: the plan itself and formsets of its stages, targets, budget lines and hand-entered actuals."""
from django import forms
from django.core.validators import MinValueValidator
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from units.models import AdministrativeUnit

from .indicators import all_indicators
from .models import (
    BudgetLine, CommunityOrganisation, ManualActual, NewRuralRecognition, Plan, Showroom, Stage, Target, Training,
)
from .selectors import issuing_units_for, plan_subunits, showroom_communes_for, unit_label

YEAR_ERRORS = {"invalid": _("Hãy nhập năm, ví dụ 2025."), "min_value": _("Năm phải từ 2010 trở đi."),
               "max_value": _("Năm không hợp lệ.")}
MONEY_ERRORS = {"invalid": _("Hãy nhập số tiền bằng đồng, không có dấu chấm, ví dụ 1500000000."),
                "min_value": _("Số tiền không được âm."), "max_value": _("Số tiền quá lớn.")}
NUMBER_ERRORS = {"invalid": _("Hãy nhập một số, ví dụ 52 hoặc 30.5."), "min_value": _("Giá trị không được âm."),
                 "max_digits": _("Số quá lớn."), "max_decimal_places": _("Tối đa 2 chữ số thập phân.")}


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return unit_label(obj)


def _style(form):
    for field in form.fields.values():
        if isinstance(field.widget, forms.CheckboxInput):
            continue
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)


class PlanForm(forms.ModelForm):
    issuing_unit = UnitChoiceField(label=_("Đơn vị ban hành"), queryset=AdministrativeUnit.objects.none(),
                                   error_messages={"required": _("Hãy chọn đơn vị ban hành."),
                                                   "invalid_choice": _("Bạn không được lập kế hoạch của đơn vị này.")})

    class Meta:
        model = Plan
        fields = ["title", "document_number", "document_date", "issuing_unit", "year_from", "year_to",
                  "orientation_year", "document_total_vnd", "note"]
        widgets = {"document_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "note": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"title": {"required": _("Hãy nhập tên kế hoạch.")},
                          "year_from": {"required": _("Hãy nhập năm bắt đầu.")},
                          "year_to": {"required": _("Hãy nhập năm kết thúc.")}}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = issuing_units_for(user)
        if self.instance.pk:  # the plan's own unit stays choosable
            units = units | AdministrativeUnit.objects.filter(pk=self.instance.issuing_unit_id)
        self.fields["issuing_unit"].queryset = units.distinct()
        for name in ("year_from", "year_to", "orientation_year"):
            self.fields[name].error_messages.update(YEAR_ERRORS)
            self.fields[name].validators.append(MinValueValidator(2010, message=YEAR_ERRORS["min_value"]))
        self.fields["document_total_vnd"].error_messages.update(MONEY_ERRORS)
        self.fields["document_total_vnd"].validators.append(MinValueValidator(0, message=MONEY_ERRORS["min_value"]))
        _style(self)


class PlanRowForm(forms.ModelForm):
    """A row of a plan (target, budget line, entered actual): its stage among the plan's, its unit among the
    plan's unit and sub-units (blank = the plan's unit)."""

    def __init__(self, *args, plan_unit=None, stages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "stage" in self.fields:
            self.fields["stage"].queryset = stages if stages is not None else Stage.objects.none()
            self.fields["stage"].empty_label = _("— Không theo giai đoạn —")
        if "unit" in self.fields:
            self.fields["unit"] = UnitChoiceField(
                label=_("Địa bàn"), required=False, empty_label=_("— Đơn vị ban hành —"),
                queryset=plan_subunits(plan_unit) if plan_unit is not None else AdministrativeUnit.objects.none(),
                error_messages={"invalid_choice": _("Địa bàn không thuộc đơn vị ban hành.")})
        if "indicator" in self.fields:
            self.fields["indicator"].choices = [("", "—")] + [(i.code, i.label) for i in all_indicators()]
        for name in ("value", "value_max"):
            if name in self.fields:
                self.fields[name].error_messages.update(NUMBER_ERRORS)
                self.fields[name].validators.append(MinValueValidator(0, message=NUMBER_ERRORS["min_value"]))
        for name in ("planned_vnd", "actual_vnd"):
            if name in self.fields:
                self.fields[name].error_messages.update(MONEY_ERRORS)
                self.fields[name].validators.append(MinValueValidator(0, message=MONEY_ERRORS["min_value"]))
        if "year" in self.fields:
            self.fields["year"].error_messages.update(YEAR_ERRORS)
        _style(self)


class TargetForm(PlanRowForm):
    class Meta:
        model = Target
        fields = ["indicator", "unit", "each_subunit", "subunit_level", "year", "stage", "kind", "value", "value_max",
                  "note"]


class BudgetLineForm(PlanRowForm):
    class Meta:
        model = BudgetLine
        fields = ["source", "year", "stage", "planned_vnd", "actual_vnd", "note"]


class ManualActualForm(PlanRowForm):
    class Meta:
        model = ManualActual
        fields = ["indicator", "unit", "year", "stage", "value", "source_note"]
        error_messages = {"source_note": {"required": _("Hãy ghi nguồn của số liệu nhập tay.")}}


class StageForm(forms.ModelForm):
    class Meta:
        model = Stage
        fields = ["name", "year_from", "year_to"]

    def __init__(self, *args, **kwargs):
        kwargs.pop("plan_unit", None)
        kwargs.pop("stages", None)
        super().__init__(*args, **kwargs)
        _style(self)


def _formset(model, form, extra):
    return inlineformset_factory(Plan, model, form=form, extra=extra, can_delete=True)


FORMSETS = {  # prefix → formset class, in the order they are saved
    "stages": _formset(Stage, StageForm, 2),
    "targets": _formset(Target, TargetForm, 4),
    "budget": _formset(BudgetLine, BudgetLineForm, 4),
    "manual": _formset(ManualActual, ManualActualForm, 1),
}


def plan_formsets(data, *, plan: Plan) -> dict:
    stages = plan.stages.all() if plan.pk else Stage.objects.none()
    unit = plan.issuing_unit if plan.issuing_unit_id else None
    return {prefix: cls(data, instance=plan, prefix=prefix, form_kwargs={"plan_unit": unit, "stages": stages})
            for prefix, cls in FORMSETS.items()}


class TransitionForm(forms.Form):
    replaced_by = forms.ModelChoiceField(label=_("Kế hoạch thay thế"), queryset=Plan.objects.none(), required=False)

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaced_by"].queryset = plans
        _style(self)


class ShowroomForm(forms.ModelForm):
    commune = UnitChoiceField(label=_("Xã, phường"), queryset=AdministrativeUnit.objects.none(),
                              error_messages={"required": _("Hãy chọn xã, phường."),
                                              "invalid_choice": _("Xã, phường này không thuộc phạm vi của bạn.")})

    class Meta:
        model = Showroom
        fields = ["name", "commune", "owner_name", "address", "opened_on", "closed_on"]
        widgets = {"opened_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "closed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        error_messages = {"name": {"required": _("Hãy nhập tên điểm.")},
                          "owner_name": {"required": _("Hãy nhập đơn vị, người sở hữu.")},
                          "opened_on": {"required": _("Hãy nhập ngày khai trương."),
                                        "invalid": _("Ngày không hợp lệ.")}}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = showroom_communes_for(user)
        _style(self)


class TrainingForm(forms.ModelForm):
    commune = UnitChoiceField(label=_("Xã, phường nơi tổ chức"), queryset=AdministrativeUnit.objects.none(),
                              error_messages={"required": _("Hãy chọn xã, phường."),
                                              "invalid_choice": _("Xã, phường này không thuộc phạm vi của bạn.")})

    class Meta:
        model = Training
        fields = ["title", "commune", "held_on", "participants", "managers", "organiser"]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        error_messages = {"title": {"required": _("Hãy nhập tên lớp.")},
                          "held_on": {"required": _("Hãy nhập ngày khai giảng."), "invalid": _("Ngày không hợp lệ.")},
                          "participants": {"required": _("Hãy nhập số người tham gia.")}}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = showroom_communes_for(user)
        _style(self)

    def clean(self):
        data = super().clean()
        if (data.get("managers") or 0) > (data.get("participants") or 0):
            self.add_error("managers", _("Số cán bộ quản lý, chủ thể không vượt số người tham gia."))
        return data


class CommunityOrganisationForm(forms.ModelForm):
    commune = UnitChoiceField(label=_("Xã, phường"), queryset=AdministrativeUnit.objects.none(),
                              error_messages={"required": _("Hãy chọn xã, phường."),
                                              "invalid_choice": _("Xã, phường này không thuộc phạm vi của bạn.")})

    class Meta:
        model = CommunityOrganisation
        fields = ["name", "commune", "kind", "happened_on", "note"]
        widgets = {"happened_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        error_messages = {"name": {"required": _("Hãy nhập tên tổ chức.")},
                          "kind": {"required": _("Hãy chọn hình thức.")},
                          "happened_on": {"required": _("Hãy nhập ngày thành lập, kiện toàn."),
                                          "invalid": _("Ngày không hợp lệ.")}}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = showroom_communes_for(user)
        _style(self)


class NewRuralRecognitionForm(forms.ModelForm):
    commune = UnitChoiceField(label=_("Xã"), queryset=AdministrativeUnit.objects.none(),
                              error_messages={"required": _("Hãy chọn xã."),
                                              "invalid_choice": _("Xã này không thuộc phạm vi của bạn.")})

    class Meta:
        model = NewRuralRecognition
        fields = ["commune", "level", "year", "decision_number"]
        error_messages = {"level": {"required": _("Hãy chọn mức đạt chuẩn.")},
                          "year": {"required": _("Hãy nhập năm đạt chuẩn.")}}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = showroom_communes_for(user)
        _style(self)
