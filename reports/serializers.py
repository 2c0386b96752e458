from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .enums import Grouping, PeriodKind, RunFormat
from .models import ReportRun


class ReportSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    groupings = serializers.ListField(child=serializers.CharField())
    periods = serializers.ListField(child=serializers.CharField())


class ReportRunSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportRun
        fields = ["id", "code", "parameters", "format", "status", "row_count", "file_size", "error", "created_at",
                  "finished_at", "data_as_of", "expires_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, run) -> str | None:
        return reverse("reports:run_download", args=[run.pk]) if run.status == "done" and run.file else None


class ReportRunCreateSerializer(serializers.Serializer):
    code = serializers.CharField()
    format = serializers.ChoiceField(choices=RunFormat.choices)
    province = serializers.IntegerField()
    year = serializers.IntegerField()
    period = serializers.ChoiceField(choices=PeriodKind.choices, default=PeriodKind.YEAR)
    part = serializers.IntegerField(required=False, allow_null=True)
    round = serializers.IntegerField(required=False, allow_null=True)
    grouping = serializers.ChoiceField(choices=Grouping.choices, required=False)
    plan = serializers.IntegerField(required=False, allow_null=True)

    default_error_messages = {"unknown": _("Không có báo cáo này.")}
