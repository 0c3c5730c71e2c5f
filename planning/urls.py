from django.urls import path

from planning import views

app_name = "planning"

urlpatterns = [
    path("nhu-cau/", views.needs_home, name="needs"),
    path("nhu-cau/<int:centre_pk>/<int:year>/", views.needs_centre, name="needs_centre"),
    path("nhu-cau/nhap/", views.import_upload, {"what": "needs"}, name="needs_import"),
    path("nhu-cau/nhap/xac-nhan/", views.import_confirm, {"what": "needs"}, name="needs_import_confirm"),
    path("nhu-cau/nhap/mau/", views.import_template, {"what": "needs"}, name="needs_import_template"),
    path("nam/", views.plans_home, name="plans"),
    path("nam/<int:centre_pk>/<int:year>/", views.plan_centre, name="plan_centre"),
    path("nam/<int:centre_pk>/<int:year>/xoa-dong/", views.plan_line_delete, name="plan_line_delete"),
    path("nam/<int:centre_pk>/<int:year>/phe-duyet/", views.plan_approve, name="plan_approve"),
    path("nam/<int:centre_pk>/<int:year>/mo-lai/", views.plan_reopen, name="plan_reopen"),
    path("nam/nhap/", views.import_upload, {"what": "plans"}, name="plans_import"),
    path("nam/nhap/xac-nhan/", views.import_confirm, {"what": "plans"}, name="plans_import_confirm"),
    path("nam/nhap/mau/", views.import_template, {"what": "plans"}, name="plans_import_template"),
]
