from django.urls import path

from library import views

app_name = "library"

urlpatterns = [
    path("", views.home, name="home"),
    path("tong-hop/", views.overview, name="overview"),
    path("mau-nhap.xlsx", views.import_template, name="import_template"),
    path("trung-tam/<int:centre_pk>/", views.centre_library, name="centre"),
    path("trung-tam/<int:centre_pk>/thu-vien/", views.library_edit, name="edit"),
    path("trung-tam/<int:centre_pk>/von-tai-lieu/", views.holding_add, name="holding_add"),
    path("trung-tam/<int:centre_pk>/ban-doc/", views.months_save, name="months"),
    path("trung-tam/<int:centre_pk>/hoat-dong/", views.event_add, name="event_add"),
    path("trung-tam/<int:centre_pk>/nhap/", views.import_upload, name="import"),
    path("trung-tam/<int:centre_pk>/nhap/xac-nhan/", views.import_confirm, name="import_confirm"),
    path("von-tai-lieu/<int:holding_pk>/xoa/", views.holding_delete, name="holding_delete"),
    path("hoat-dong/<int:event_pk>/xoa/", views.event_delete, name="event_delete"),
]
