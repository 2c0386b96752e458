from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import api, views

app_name = "evaluations"

router = DefaultRouter()
router.register("rubrics", api.RubricViewSet, basename="api-rubric")
router.register("rounds", api.RoundViewSet, basename="api-round")
router.register("assignments", api.AssignmentViewSet, basename="api-assignment")
router.register("score-sheets", api.ScoreSheetViewSet, basename="api-score-sheet")
router.register("results", api.ResultViewSet, basename="api-result")

urlpatterns = [
    path("danh-gia/", views.round_list_view, name="round_list"),
    path("danh-gia/ky/moi/", views.round_open_view, name="round_open"),
    path("danh-gia/ky/<id:pk>/", views.round_detail_view, name="round_detail"),
    path("danh-gia/ky/<id:pk>/giai-doan/", views.round_transition_view, name="round_transition"),
    path("danh-gia/ky/<id:pk>/ket-thuc/", views.round_close_confirm_view, name="round_close_confirm"),
    path("danh-gia/ky/<id:pk>/dua-ho-so/", views.round_place_view, name="round_place"),
    path("danh-gia/ky/<id:pk>/phan-cong/", views.round_assign_view, name="round_assign"),
    path("danh-gia/ky/<id:pk>/phan-cong-tu-dong/", views.round_auto_assign_view, name="round_auto_assign"),
    path("danh-gia/ky/<id:pk>/ket-qua/", views.round_results_view, name="round_results"),
    path("danh-gia/ky/<id:pk>/ket-qua/thong-bao/", views.round_results_announce_view, name="round_results_announce"),
    path("danh-gia/ky/<id:pk>/ket-qua/<id:result_pk>/trung-uong/", views.result_central_view, name="result_central"),
    path("danh-gia/ky/<id:pk>/bien-ban.pdf", views.round_minutes_view, name="round_minutes"),
    path("danh-gia/ky/<id:pk>/ho-so/<id:dossier_pk>/", views.entry_score_view, name="entry_score"),
    path("danh-gia/ky/<id:pk>/ho-so/<id:dossier_pk>/tu-dong-luu/", views.entry_autosave_view, name="entry_autosave"),
    path("danh-gia/ky/<id:pk>/ho-so/<id:dossier_pk>/xung-dot/", views.entry_conflict_view, name="entry_conflict"),
    path("danh-gia/ky/<id:pk>/ho-so/<id:dossier_pk>/ket-luan-chenh-lech/", views.spread_conclusion_view,
         name="spread_conclusion"),
    path("danh-gia/ky/<id:pk>/ho-so/<id:dossier_pk>/tu-van/", views.entry_finding_view, name="entry_finding"),
    path("danh-gia/ky/<id:pk>/ho-so/<id:dossier_pk>/phieu.csv", views.entry_sheets_export_view, name="entry_export"),
    path("danh-gia/ky/<id:pk>/ho-so/<id:dossier_pk>/minh-chung/<id:evidence_pk>/", views.entry_evidence_view,
         name="entry_evidence"),
    path("danh-gia/phieu/<id:sheet_pk>/mo-lai/", views.sheet_reopen_view, name="sheet_reopen"),
    path("danh-gia/tu-danh-gia/<id:dossier_pk>/", views.self_assessment_view, name="self_assessment"),
    path("danh-gia/tu-danh-gia/<id:dossier_pk>/mau-02.pdf", views.self_assessment_pdf_view, name="self_assessment_pdf"),
    path("danh-gia/bo-tieu-chi/<id:pk>/", views.rubric_view, name="rubric"),
    path("api/evaluations/", include(router.urls)),
]
