from django.contrib import admin
from django.urls import include, path, register_converter
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView

from .api_docs import ApiDocsView
from .converters import RecordIdConverter

register_converter(RecordIdConverter, "id")  # before the apps' URLconfs are included

admin.site.site_header = _("Quản trị cổng OCOP")
admin.site.site_title = _("Cổng OCOP")

# /healthz is answered by ocop_portal.middleware.HealthCheckMiddleware, ahead of host validation.
urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("activity.urls")),
    path("", include("registrations.urls")),
    path("", include("evaluations.urls")),
    path("", include("plans.urls")),
    path("", include("reports.urls")),
    path("", include("imports.urls")),
    path("", include("products.urls")),
    path("", include("accounts.urls")),
]
