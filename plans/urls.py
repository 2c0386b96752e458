from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("ke-hoach/", views.plan_list_view, name="plan_list"),
    path("ke-hoach/chi-tieu/", views.indicator_list_view, name="indicator_list"),
    path("ke-hoach/moi/", views.plan_edit_view, name="plan_create"),
    path("ke-hoach/<id:pk>/", views.plan_detail_view, name="plan_detail"),
    path("ke-hoach/<id:pk>/sua/", views.plan_edit_view, name="plan_edit"),
    path("ke-hoach/<id:pk>/trang-thai/<slug:to>/", views.plan_transition_view, name="plan_transition"),
    path("diem-ban-ocop/", views.showroom_list_view, name="showroom_list"),
    path("diem-ban-ocop/moi/", views.showroom_edit_view, name="showroom_create"),
    path("diem-ban-ocop/<id:pk>/", views.showroom_edit_view, name="showroom_edit"),
    path("lop-tap-huan/", views.training_list_view, name="training_list"),
    path("lop-tap-huan/moi/", views.training_edit_view, name="training_create"),
    path("lop-tap-huan/<id:pk>/", views.training_edit_view, name="training_edit"),
    path("to-chuc-cong-dong/", views.community_organisation_list_view, name="community_organisation_list"),
    path("to-chuc-cong-dong/moi/", views.community_organisation_edit_view, name="community_organisation_create"),
    path("to-chuc-cong-dong/<id:pk>/", views.community_organisation_edit_view, name="community_organisation_edit"),
    path("xa-nong-thon-moi/", views.new_rural_list_view, name="new_rural_list"),
    path("xa-nong-thon-moi/moi/", views.new_rural_edit_view, name="new_rural_create"),
    path("xa-nong-thon-moi/<id:pk>/", views.new_rural_edit_view, name="new_rural_edit"),
    path("ke-hoach/<id:pk>/so-lieu/<slug:indicator>/<id:unit>/<slug:period>/", views.plan_records_view,
         name="plan_records"),
]
