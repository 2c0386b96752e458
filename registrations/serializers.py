from django.db import models
from django.utils import timezone
from rest_framework import serializers

from .models import CommuneAssessment, Dossier, DossierRevision, EvidenceFile, Producer


class ProducerSerializer(serializers.ModelSerializer):
    # Codes as plain strings: the choice sets are documented by the enums, not as schema components.
    kind = serializers.CharField(read_only=True)
    representative_gender = serializers.CharField(read_only=True)
    commune = serializers.CharField(source="commune.name", read_only=True)
    commune_code = serializers.CharField(source="commune.code", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Producer
        fields = [
            "id", "name", "kind", "kind_display", "tax_code", "commune", "commune_code", "address",
            "representative_name", "representative_gender", "representative_ethnicity", "phone", "email",
            "workforce_total", "workforce_local", "sales_channels", "certificates",
        ]


def _date(value):
    return value.isoformat() if value else None


def _datetime(value, tz):
    """DRF's DateTimeField (ISO 8601 in the current time zone, "Z" for UTC)."""
    if not value:
        return None
    text = value.astimezone(tz).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class DossierListSerializer(serializers.ListSerializer):
    """The dossier list, row by row with plain attribute reads: the same values as DossierSerializer's fields
    give one by one (tests/registrations/test_api.py compares the two), without DRF's per-field, per-row work
    (issue 13). Reads dossiers labelled by label_statuses, with producer, commune and product set joined."""

    def to_representation(self, data):
        rows = data.all() if isinstance(data, models.manager.BaseManager) else data
        tz = timezone.get_current_timezone()
        out = []
        for d in rows:
            product_set = d.product_set
            out.append({
                "id": d.pk, "product_name": d.product_name, "kind": str(d.kind), "status": str(d.status_shown),
                "status_display": str(d.status_label), "producer": str(d.producer.name), "producer_id": d.producer_id,
                "commune": str(d.commune.name),
                "product_set": str(product_set.name) if product_set is not None else None,
                "product_group": str(product_set.group.name) if product_set is not None else None,
                "year": d.year, "revision_number": d.revision_number,
                "registration_number": None if d.registration_number is None else str(d.registration_number),
                "commune_receipt_number": str(d.commune_receipt_number),
                "received_on": _date(d.received_on), "commune_due_on": _date(d.commune_due_on),
                "is_commune_overdue": bool(d.is_commune_overdue),
                "forwarded_at": _datetime(d.forwarded_at, tz), "accepted_at": _datetime(d.accepted_at, tz),
                "updated_at": _datetime(d.updated_at, tz),
            })
        return out


class DossierSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True)
    # Until the decision is published, producers and communes read "scored" / "đã đánh giá, chờ quyết định công
    # nhận" (the view labels each dossier with registrations.confidential.label_statuses).
    status = serializers.CharField(source="status_shown", read_only=True)
    producer = serializers.CharField(source="producer.name", read_only=True)
    producer_id = serializers.IntegerField(read_only=True)
    commune = serializers.CharField(source="commune.name", read_only=True)
    product_set = serializers.CharField(source="product_set.name", read_only=True, default=None)
    product_group = serializers.CharField(source="product_set.group.name", read_only=True, default=None)
    status_display = serializers.CharField(source="status_label", read_only=True)
    is_commune_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Dossier
        fields = [
            "id", "product_name", "kind", "status", "status_display", "producer", "producer_id", "commune",
            "product_set", "product_group", "year", "revision_number", "registration_number",
            "commune_receipt_number", "received_on", "commune_due_on", "is_commune_overdue", "forwarded_at",
            "accepted_at", "updated_at",
        ]
        list_serializer_class = DossierListSerializer


class EvidenceFileSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = EvidenceFile
        fields = ["id", "kind", "original_name", "content_type", "size", "sha256", "uploaded_at", "url"]


class RevisionSerializer(serializers.ModelSerializer):
    evidence_files = EvidenceFileSerializer(many=True, read_only=True)

    class Meta:
        model = DossierRevision
        fields = ["number", "created_at", *DossierRevision.DATA_FIELDS, "evidence_files"]


class AssessmentSerializer(serializers.ModelSerializer):
    revision = serializers.IntegerField(source="revision.number", read_only=True)
    origin_and_raw_material = serializers.CharField(read_only=True)
    local_labour = serializers.CharField(read_only=True)
    idea_origin = serializers.CharField(read_only=True)
    local_identity = serializers.CharField(read_only=True)
    conclusion = serializers.CharField(read_only=True)

    class Meta:
        model = CommuneAssessment
        fields = ["revision", *CommuneAssessment.ITEMS, "conclusion", "received_on", "due_on", "completed_at"]


class DossierDetailSerializer(DossierSerializer):
    revisions = RevisionSerializer(many=True, read_only=True)
    assessments = AssessmentSerializer(many=True, read_only=True)

    class Meta(DossierSerializer.Meta):
        fields = [*DossierSerializer.Meta.fields, "previous_certificate", "revisions", "assessments"]
        list_serializer_class = serializers.ListSerializer
