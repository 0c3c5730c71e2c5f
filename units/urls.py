from django.urls import path

from units import views

app_name = "units"

urlpatterns = [
    path("nhap/", views.import_upload, name="import"),
    path("nhap/xac-nhan/", views.import_confirm, name="import_confirm"),
]
