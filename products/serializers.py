from rest_framework import serializers

from .models import Certificate, Product


def _text(value):
    return None if value is None else str(value)


def _day(value):
    return value.isoformat() if value else None


def _whole(value):
    return None if value is None else int(value)


class ProductSerializer(serializers.ModelSerializer):
    producer = serializers.CharField(source="producer.name", read_only=True)
    commune = serializers.CharField(source="commune.name", read_only=True)
    product_set = serializers.CharField(source="product_set.name", read_only=True)

    class Meta:
        model = Product
        fields = ["id", "code", "name", "producer", "producer_id", "product_set", "commune", "commune_id", "year"]


class CertificateSerializer(serializers.ModelSerializer):
    product = ProductSerializer(read_only=True)
    decision_number = serializers.CharField(source="decision.number", read_only=True)
    decided_on = serializers.DateField(source="decision.decided_on", read_only=True)
    issuer = serializers.CharField(source="decision.issuer_name", read_only=True)
    state = serializers.SerializerMethodField()
    verify_url = serializers.CharField(source="public_verify_url", read_only=True)

    class Meta:
        model = Certificate
        fields = ["id", "number", "product", "star", "issued_on", "valid_until", "status", "state", "ended_on",
                  "decision_number", "decided_on", "issuer", "supersedes_id", "verify_url"]

    def get_state(self, obj) -> str:
        return obj.public_state()

    def to_representation(self, obj):
        """What the declared fields give (CharField str, IntegerField int, DateField ISO date, None through a
        missing relation), read directly: a page of certificates without DRF's per-field machinery per row."""
        product, decision = obj.product, obj.decision
        return {
            "id": obj.pk, "number": _text(obj.number),
            "product": {"id": product.pk, "code": _text(product.code), "name": _text(product.name),
                        "producer": _text(product.producer.name) if product.producer_id else None,
                        "producer_id": product.producer_id,
                        "product_set": _text(product.product_set.name) if product.product_set_id else None,
                        "commune": _text(product.commune.name) if product.commune_id else None,
                        "commune_id": product.commune_id, "year": _whole(product.year)},
            "star": _whole(obj.star), "issued_on": _day(obj.issued_on), "valid_until": _day(obj.valid_until),
            "status": _text(obj.status) if obj.status not in ("", None) else obj.status,
            "state": obj.public_state(), "ended_on": _day(obj.ended_on),
            "decision_number": _text(decision.number) if decision is not None else None,
            "decided_on": _day(decision.decided_on) if decision is not None else None,
            "issuer": _text(decision.issuer_name) if decision is not None else None,
            "supersedes_id": obj.supersedes_id, "verify_url": _text(obj.public_verify_url),
        }
