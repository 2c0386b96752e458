from rest_framework import serializers

from .models import Certificate, Product


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
