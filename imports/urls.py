from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("nhap-du-lieu/", views.batch_list_view, name="batch_list"),
    path("nhap-du-lieu/tep-mau.xlsx", views.template_view, name="template"),
    path("nhap-du-lieu/<id:pk>/", views.batch_detail_view, name="batch_detail"),
    path("nhap-du-lieu/<id:pk>/xac-nhan/", views.batch_confirm_view, name="batch_confirm"),
    path("nhap-du-lieu/<id:pk>/hoan-tac/", views.batch_undo_view, name="batch_undo"),
    path("nhap-du-lieu/giay-chung-nhan/", views.certificate_entry_view, name="certificate_entry"),
    path("nhap-du-lieu/goi-y/", views.suggest_view, name="suggest"),
    path("xuat-du-lieu/", views.export_view, name="export"),
    path("du-lieu-mo/san-pham-ocop.<str:fmt>", views.open_data_view, name="open_data"),
]
