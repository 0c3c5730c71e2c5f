from django.urls import path

from staff_accounts import views

app_name = "staff_accounts"

urlpatterns = [
    path("", views.account_list, name="list"),
    path("them/", views.account_create, name="create"),
    path("<int:pk>/sua/", views.account_edit, name="edit"),
    path("<int:pk>/khoa/", views.account_deactivate, name="deactivate"),
    path("<int:pk>/mo-lai/", views.account_reactivate, name="reactivate"),
    path("<int:pk>/cap-mat-khau/", views.account_password, name="password"),
    path("nhap/", views.import_upload, name="import"),
    path("nhap/xac-nhan/", views.import_confirm, name="import_confirm"),
    path("nhap/mau.xlsx", views.import_template, name="import_template"),
]
