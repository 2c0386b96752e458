from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api, views

app_name = "reports"

router = SimpleRouter()
router.register("reports", api.ReportViewSet, basename="api-report")
router.register("report-runs", api.ReportRunViewSet, basename="api-report-run")

urlpatterns = [
    path("bao-cao/", views.report_list_view, name="report_list"),
    path("bao-cao/lan-chay/<id:pk>/", views.run_detail_view, name="run_detail"),
    path("bao-cao/lan-chay/<id:pk>/tai-ve/", views.run_download_view, name="run_download"),
    path("bao-cao/dang-ky-nhan/", views.subscription_list_view, name="subscription_list"),
    path("bao-cao/dang-ky-nhan/them/", views.subscription_edit_view, name="subscription_create"),
    path("bao-cao/dang-ky-nhan/<id:pk>/sua/", views.subscription_edit_view, name="subscription_edit"),
    path("bao-cao/dang-ky-nhan/<id:pk>/huy/", views.subscription_delete_view, name="subscription_delete"),
    path("bao-cao/<slug:code>/", views.report_detail_view, name="report_detail"),
    path("api/", include(router.urls)),
]
