"""Read API for producers and dossiers: the same selectors, filters and permissions as the pages."""
from django.db.models import Prefetch
from rest_framework import permissions, viewsets

from ocop_portal.pagecache import CachedListMixin

from .confidential import label_statuses
from .models import CommuneAssessment, DossierRevision, EvidenceFile
from .selectors import DossierFilter, ProducerFilter, dossier_detail_queryset, dossiers_listed_for, producer_visible_to
from .serializers import DossierDetailSerializer, DossierSerializer, ProducerSerializer


class ProducerViewSet(CachedListMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ProducerSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = ProducerFilter

    def get_queryset(self):
        return producer_visible_to(self.request.user).select_related("commune").order_by("name", "pk")


class DossierViewSet(CachedListMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = DossierFilter

    def get_serializer_class(self):
        return DossierDetailSerializer if self.action == "retrieve" else DossierSerializer

    def get_queryset(self):
        if self.action == "list":
            # Only the related rows the list's fields read, and the list's form of the scope (a count on
            # national data probes the commune index instead of scanning the table).
            return (dossiers_listed_for(self.request.user)
                    .select_related("producer", "commune", "product_set", "product_set__group")
                    .defer("search_text", "producer__search_text").order_by("-updated_at", "-pk"))
        qs = dossier_detail_queryset(self.request.user).order_by("-updated_at", "-pk")
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                Prefetch("revisions", queryset=DossierRevision.objects.order_by("number").prefetch_related(
                    Prefetch("evidence_files", queryset=EvidenceFile.objects.order_by("kind", "pk")))),
                Prefetch("assessments", queryset=CommuneAssessment.objects.select_related("revision")),
            )
        return qs

    def get_serializer(self, *args, **kwargs):
        """Label each dossier's status for the user: a result stays confidential until its decision is published."""
        if args:
            user = self.request.user
            labelled = label_statuses(user, args[0]) if kwargs.get("many") else label_statuses(user, [args[0]])[0]
            args = (labelled, *args[1:])
        return super().get_serializer(*args, **kwargs)
