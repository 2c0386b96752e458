"""REST API of evaluations, with the same reach as the pages (querysets start from the selectors)."""
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from ocop_portal.pagecache import CachedListMixin

from . import rules as eval_rules
from . import selectors, services
from .models import Assignment, Criterion, Option, Result, Round, Rubric, ScoreSheet
from .serializers import (
    AssignmentSerializer, ResultSerializer, RoundSerializer, RubricDetailSerializer, RubricSerializer,
    ScoreSheetSerializer, ScoreSheetWriteSerializer, sheet_choice_rows,
)


class RubricViewSet(CachedListMixin, viewsets.ReadOnlyModelViewSet):
    """The scoring sheets (read-only): every signed-in user may read the official criteria."""

    filterset_fields = ["legal_document", "product_set"]

    def get_queryset(self):
        qs = Rubric.objects.select_related("legal_document", "product_set").order_by("legal_document", "product_set__number")
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                Prefetch("criteria", queryset=Criterion.objects.select_related("group", "parent")
                         .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("position")))
                         .order_by("position")),
                "knockout_conditions",
            )
        return qs

    def get_serializer_class(self):
        return RubricDetailSerializer if self.action == "retrieve" else RubricSerializer


class RoundViewSet(CachedListMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = RoundSerializer
    filterset_fields = ["year", "phase", "kind"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Round.objects.none()
        return selectors.rounds_visible_to(self.request.user).order_by("-year", "-number", "pk")


class AssignmentViewSet(CachedListMixin, viewsets.ReadOnlyModelViewSet):
    """Assignments the user may see: all of a round they run, otherwise their own."""

    serializer_class = AssignmentSerializer
    filterset_fields = ["round", "dossier"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Assignment.objects.none()
        from accounts.enums import Role
        from accounts.selectors import user_scope

        scope = user_scope(self.request.user)
        qs = Assignment.objects.select_related("member__user").order_by("round", "dossier", "pk")
        if scope.is_admin:
            return qs
        from django.db.models import Q

        # Round ids first, not a join: the OR of two indexed columns (round, member) is a bitmap OR on the
        # national table instead of a scan of every assignment joined to its round.
        rounds = Round.objects.filter(province_id__in=scope.unit_ids(Role.PROVINCE_STAFF)).values("pk")
        return qs.filter(Q(round_id__in=rounds) | Q(member_id__in=eval_rules.membership_ids(self.request.user)))

    def paginate_queryset(self, queryset):
        """The page's ids are sorted first, alone (the order joins rounds and dossiers: a sort of thousands of
        narrow rows, not of rows carrying the member and the user), then only those rows are read."""
        ids = super().paginate_queryset(queryset.select_related(None).values_list("pk", flat=True))
        if ids is None:
            return None
        rows = queryset.order_by().filter(pk__in=ids).in_bulk()
        return [rows[pk] for pk in ids]


class ScoreSheetViewSet(CachedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                        viewsets.GenericViewSet):
    """A member's own score sheets. POST saves the draft choices, or submits with "submit": true."""

    filterset_fields = ["round", "dossier", "status"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ScoreSheet.objects.none()
        # Only the sheet's own columns: round, dossier and member are written as ids.
        return (selectors.score_sheets_visible_to(self.request.user).select_related(None)
                .defer("rubric_id", "updated_at", "member_id").order_by("pk"))

    def get_serializer_class(self):
        return ScoreSheetWriteSerializer if self.action == "create" else ScoreSheetSerializer

    def paginate_queryset(self, queryset):
        """The page's sheets with their choices read in one query of plain values (see ScoreChoicesField)."""
        page = super().paginate_queryset(queryset)
        sheets = page if page is not None else list(queryset)
        rows = sheet_choice_rows([s.pk for s in sheets])
        for sheet in sheets:
            sheet.choice_rows = rows[sheet.pk]
        return page

    def create(self, request, *args, **kwargs):
        data = ScoreSheetWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = selectors.entry_for(request.user, data.validated_data["round"], data.validated_data["dossier"])
        if entry is None or eval_rules.membership_id(request.user, entry.round) is None:
            raise Http404  # out of reach, or not a member of the council (an administrator included)
        choices = {int(k): v for k, v in data.validated_data["choices"].items()}
        try:
            if data.validated_data["submit"]:
                sheet = services.score_sheet_submit(entry=entry, by=request.user, choices=choices)
            else:
                sheet = services.score_sheet_save(entry=entry, by=request.user, choices=choices)
        except ValidationError as exc:
            raise ApiValidationError({"detail": exc.messages}) from None
        return Response(ScoreSheetSerializer(self.get_queryset().get(pk=sheet.pk)).data, status=status.HTTP_201_CREATED)


class ResultViewSet(CachedListMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ResultSerializer
    filterset_fields = ["round", "final_star", "for_ministry"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Result.objects.none()
        return selectors.results_visible_to_user(self.request.user).order_by("round", "-mean", "pk")
