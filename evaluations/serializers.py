from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Assignment, Criterion, Option, Result, Round, Rubric, ScoreChoice, ScoreSheet


DB_ID_MAX = 2**63 - 1  # the largest id a database integer column holds


class OptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Option
        fields = ["id", "text", "points", "min_star", "case"]


class CriterionSerializer(serializers.ModelSerializer):
    options = OptionSerializer(many=True, read_only=True)
    group = serializers.CharField(source="group.number", read_only=True)
    parent = serializers.CharField(source="parent.code", default=None, read_only=True, allow_null=True)

    class Meta:
        model = Criterion
        fields = ["id", "code", "name", "part_code", "group", "parent", "max_points", "scorable", "options"]


class RubricSerializer(serializers.ModelSerializer):
    legal_document = serializers.CharField(source="legal_document.number")
    product_set = serializers.CharField(source="product_set.name")
    product_set_number = serializers.IntegerField(source="product_set.number")

    class Meta:
        model = Rubric
        fields = ["id", "legal_document", "product_set", "product_set_number", "max_points"]


class RubricDetailSerializer(RubricSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)
    knockout_conditions = serializers.SlugRelatedField(many=True, read_only=True, slug_field="text")

    class Meta(RubricSerializer.Meta):
        fields = RubricSerializer.Meta.fields + ["criteria", "knockout_conditions"]


class RoundSerializer(serializers.ModelSerializer):
    legal_document = serializers.CharField(source="legal_document.number")

    class Meta:
        model = Round
        fields = ["id", "province", "kind", "year", "number", "title", "opens_on", "forward_deadline", "closes_on",
                  "phase", "decide_by_written_opinion", "council", "advisory_group", "legal_document",
                  "authority_basis", "closed_at"]


class AssignmentSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.user.__str__", read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "round", "dossier", "member", "member_name", "assigned_at"]


class ScoreChoiceSerializer(serializers.ModelSerializer):
    criterion_code = serializers.CharField(source="criterion.code", read_only=True)
    points = serializers.DecimalField(source="option.points", max_digits=6, decimal_places=2, read_only=True)

    class Meta:
        model = ScoreChoice
        fields = ["criterion", "criterion_code", "option", "points"]


def sheet_choice_rows(sheet_ids) -> dict:
    """{sheet id: [(criterion id, criterion code, option id, option points), ...]} of the sheets, in one query of
    plain values (no Criterion or Option object built)."""
    rows: dict = {pk: [] for pk in sheet_ids}
    for sheet_id, *row in (ScoreChoice.objects.filter(sheet_id__in=list(rows)).order_by("pk").values_list(
            "sheet_id", "criterion_id", "criterion__code", "option_id", "option__points")):
        rows[sheet_id].append(row)
    return rows


@extend_schema_field(ScoreChoiceSerializer(many=True))
class ScoreChoicesField(serializers.Field):
    """A sheet's choices exactly as ScoreChoiceSerializer(many=True) writes them, from plain rows: those the
    list read for its whole page (`sheet.choice_rows`), else one query for the sheet."""

    _points = serializers.DecimalField(max_digits=6, decimal_places=2)

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, sheet):
        rows = getattr(sheet, "choice_rows", None)
        if rows is None:
            rows = sheet_choice_rows([sheet.pk])[sheet.pk]
        shown = self.context.setdefault("_choice_points", {}) if isinstance(self.context, dict) else {}
        out = []
        for criterion_id, code, option_id, points in rows:
            text = shown.get(points)
            if text is None:
                text = shown[points] = self._points.to_representation(points)
            out.append({"criterion": criterion_id, "criterion_code": code, "option": option_id, "points": text})
        return out


class ScoreSheetSerializer(serializers.ModelSerializer):
    choices = ScoreChoicesField()

    class Meta:
        model = ScoreSheet
        fields = ["id", "round", "dossier", "status", "total_a", "total_b", "total_c", "total", "submitted_at",
                  "choices"]


class ScoreSheetWriteSerializer(serializers.Serializer):
    round = serializers.IntegerField(min_value=1, max_value=DB_ID_MAX)
    dossier = serializers.IntegerField(min_value=1, max_value=DB_ID_MAX)
    choices = serializers.DictField(child=serializers.IntegerField(min_value=1, max_value=DB_ID_MAX),
                                    help_text="criterion id → option id")
    submit = serializers.BooleanField(default=False)

    def validate_choices(self, value):
        out = {}
        for key, option_id in value.items():
            if not str(key).isdigit() or not 1 <= int(key) <= DB_ID_MAX:
                raise serializers.ValidationError(_("Mã tiêu chí phải là số nguyên dương."))
            out[int(key)] = option_id
        return out


class ResultSerializer(serializers.ModelSerializer):
    product_name = serializers.CharField(source="dossier.product_name", read_only=True)
    recognising_level = serializers.CharField(source="authority.level", default=None, read_only=True, allow_null=True)

    class Meta:
        model = Result
        fields = ["id", "round", "dossier", "product_name", "mean", "spread", "spread_exceeded", "quorum_met",
                  "counted", "band_star", "minima_star", "final_star", "knocked_out", "reasons", "rule", "inputs",
                  "recognising_level", "frozen_at", "for_ministry", "central_mean", "central_star"]
