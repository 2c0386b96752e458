from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import api, views

app_name = "registrations"

router = DefaultRouter()
router.register("producers", api.ProducerViewSet, basename="api-producer")
router.register("dossiers", api.DossierViewSet, basename="api-dossier")

urlpatterns = [
    path("chu-the/", views.producer_list_view, name="producer_list"),
    path("chu-the/moi/", views.producer_create_view, name="producer_create"),
    path("chu-the/<id:pk>/", views.producer_detail_view, name="producer_detail"),
    path("chu-the/<id:pk>/sua/", views.producer_update_view, name="producer_update"),
    path("chu-the/<id:pk>/tai-khoan/", views.producer_account_view, name="producer_account"),
    path("chu-the/<id:pk>/y-tuong/moi/", views.support_step_create_view, {"step": "idea"}, name="idea_create"),
    path("chu-the/<id:pk>/phuong-an/moi/", views.support_step_create_view, {"step": "plan"}, name="plan_create"),
    path("chu-the/<id:pk>/y-tuong/<id:item_pk>/", views.support_step_create_view, {"step": "idea"}, name="idea_update"),
    path("chu-the/<id:pk>/phuong-an/<id:item_pk>/", views.support_step_create_view, {"step": "plan"}, name="plan_update"),
    path("chu-the/<id:pk>/y-tuong/<id:item_pk>/trang-thai/", views.support_step_status_view, {"step": "idea"},
         name="idea_status"),
    path("chu-the/<id:pk>/phuong-an/<id:item_pk>/trang-thai/", views.support_step_status_view, {"step": "plan"},
         name="plan_status"),
    path("y-tuong-phuong-an/", views.support_step_list_view, name="support_steps"),
    path("ho-so/", views.dossier_list_view, name="dossier_list"),
    path("ho-so/moi/", views.dossier_create_view, name="dossier_create"),
    path("ho-so/<id:pk>/", views.dossier_detail_view, name="dossier_detail"),
    path("ho-so/<id:pk>/sua/", views.dossier_edit_view, name="dossier_edit"),
    path("ho-so/<id:pk>/mau-03/", views.commune_assessment_view, name="commune_assessment"),
    path("ho-so/<id:pk>/mau-01.pdf", views.dossier_form_01_view, name="dossier_form_01"),
    path("ho-so/<id:pk>/mau-03.pdf", views.commune_assessment_pdf_view, name="commune_assessment_pdf"),
    path("ho-so/<id:pk>/chuyen/<str:to>/", views.dossier_transition_view, name="dossier_transition"),
    path("ho-so/<id:pk>/khoi-phuc/", views.dossier_restore_view, name="dossier_restore"),
    path("minh-chung/<id:pk>/", views.evidence_download_view, name="evidence_download"),
    path("minh-chung/<id:pk>/xoa/", views.evidence_delete_view, name="evidence_delete"),
    path("api/", include(router.urls)),
]
