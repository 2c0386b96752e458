"""Read API of reports: the reports the user may run, and report runs (create, list, retrieve) with the same
reach as the pages. Parameters are validated by the same form as the page."""
from django.core.exceptions import ValidationError
from django.http import Http404
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from . import selectors, services
from .models import ReportRun
from .registry import get_report
from .serializers import ReportRunCreateSerializer, ReportRunSerializer, ReportSerializer


class ReportViewSet(viewsets.ViewSet):
    serializer_class = ReportSerializer

    def list(self, request):
        data = [{"code": r.code, "title": str(r.title), "description": str(r.description),
                 "groupings": [str(g) for g in r.groupings], "periods": [str(p) for p in r.periods]}
                for r in selectors.reports_for(request.user)]
        return Response(ReportSerializer(data, many=True).data)


class ReportRunViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.ListModelMixin,
                       viewsets.GenericViewSet):
    serializer_class = ReportRunSerializer
    lookup_value_regex = r"[0-9]{1,18}"  # a huge id is a 404, never an integer overflow

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReportRun.objects.none()
        return selectors.runs_visible_to(self.request.user).order_by("-created_at", "-pk")

    def get_serializer_class(self):
        return ReportRunCreateSerializer if self.action == "create" else ReportRunSerializer

    def create(self, request, *args, **kwargs):
        incoming = ReportRunCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        report = get_report(data["code"])
        if report is None or not selectors.may_run_reports(request.user):
            raise Http404
        form_data = {k: v for k, v in data.items() if k not in ("code", "format") and v is not None}
        form_data.setdefault("grouping", report.default_grouping)
        form = report.form_class(form_data, user=request.user, report=report)
        if not form.is_valid():
            if "province" in form.errors or "plan" in form.errors:
                raise Http404  # another province's report: as if it did not exist
            raise ApiValidationError(form.errors)
        try:
            run, created = services.report_run_request(code=report.code, params=form.params(), fmt=data["format"],
                                                       by=request.user)
        except ValidationError as exc:
            raise ApiValidationError(exc.messages) from None
        return Response(ReportRunSerializer(run).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
