from django.urls import path

from resources import views

app_name = "resources"

urlpatterns = [
    path("", views.home, name="home"),
    path("tong-hop/", views.overview, name="overview"),
    path("mau-nhap.xlsx", views.import_template, name="import_template"),
    path("trung-tam/<int:centre_pk>/", views.centre_contributions, name="centre"),
    path("trung-tam/<int:centre_pk>/nhap/", views.import_upload, name="import"),
    path("trung-tam/<int:centre_pk>/nhap/xac-nhan/", views.import_confirm, name="import_confirm"),
    path("khoan/<int:contribution_pk>/xoa/", views.contribution_delete, name="delete"),
]
