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
    path("ke-hoach/<id:pk>/so-lieu/<slug:indicator>/<id:unit>/<slug:period>/", views.plan_records_view,
         name="plan_records"),
]

# The records a plan's indicators count: one list and one form per kind (plans.views.KINDS).
RECORD_URLS = (("diem-ban-ocop", "showroom"), ("lop-tap-huan", "training"),
               ("to-chuc-cong-dong", "community_organisation"), ("xa-nong-thon-moi", "new_rural"))
urlpatterns += [
    pattern for prefix, kind in RECORD_URLS for pattern in (
        path(f"{prefix}/", views.record_list_view, {"kind": kind}, name=f"{kind}_list"),
        path(f"{prefix}/moi/", views.record_edit_view, {"kind": kind}, name=f"{kind}_create"),
        path(f"{prefix}/<id:pk>/", views.record_edit_view, {"kind": kind}, name=f"{kind}_edit"),
    )
]
