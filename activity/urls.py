from django.urls import path

from . import views

urlpatterns = [path("thong-bao/", views.inbox, name="inbox")]
