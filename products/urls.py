from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import api, views

app_name = "products"

router = DefaultRouter()
router.register("products", api.ProductViewSet, basename="api-product")
router.register("certificates", api.CertificateViewSet, basename="api-certificate")

urlpatterns = [
    path("quyet-dinh/", views.decision_list_view, name="decision_list"),
    path("quyet-dinh/moi/", views.decision_create_view, name="decision_create"),
    path("quyet-dinh/<id:pk>/", views.decision_detail_view, name="decision_detail"),
    path("quyet-dinh/<id:pk>/van-ban.pdf", views.decision_pdf_view, name="decision_pdf"),
    path("quyet-dinh/<id:pk>/vao-so/", views.decision_record_view, name="decision_record"),
    path("quyet-dinh/<id:pk>/trang-thai/", views.decision_transition_view, name="decision_transition"),
    path("quyet-dinh/<id:pk>/bo-san-pham/<id:item_pk>/", views.decision_item_remove_view, name="decision_item_remove"),
    path("giay-chung-nhan/", views.certificate_list_view, name="certificate_list"),
    path("giay-chung-nhan/<id:pk>/", views.certificate_detail_view, name="certificate_detail"),
    path("giay-chung-nhan/<id:pk>/thu-hoi/", views.certificate_revoke_view, name="certificate_revoke"),
    path("giay-chung-nhan/<id:pk>/hau-kiem/", views.inspection_create_view, name="inspection_create"),
    path("giay-chung-nhan/<id:pk>/tep.pdf", views.certificate_pdf_view, name="certificate_pdf"),
    path("san-pham/", views.product_list_view, name="product_list"),
    path("xac-minh/<str:code>/", views.verify_view, name="verify"),
    path("xac-minh/<str:code>/giay-chung-nhan.pdf", views.verify_pdf_view, name="verify_pdf"),
    path("san-pham-ocop/", views.catalogue_view, name="catalogue"),
    path("san-pham-ocop/<str:province_code>/", views.catalogue_view, name="catalogue_province"),
    path("api/products/", include(router.urls)),
]
