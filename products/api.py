"""Read-only REST API of products and certificates, with the same reach as the pages."""
from rest_framework import viewsets

from . import selectors
from .models import Certificate, Product
from .serializers import CertificateSerializer, ProductSerializer


class ProductViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProductSerializer
    filterset_fields = ["year", "product_set", "commune"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Product.objects.none()
        return selectors.product_list(user=self.request.user)


class CertificateViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CertificateSerializer
    filterset_fields = ["status", "star"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Certificate.objects.none()
        return (selectors.certificate_visible_to(self.request.user)
                .select_related("product__producer", "product__commune", "product__product_set", "decision")
                .order_by("-issued_on", "-pk"))
