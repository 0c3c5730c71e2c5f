from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("huyen/<int:pk>/", views.district, name="district"),
    path("trung-tam/<int:pk>/", views.centre, name="centre"),
    path("xuat/", views.exports, name="exports"),
    path("xuat/<slug:code>/", views.export, name="export"),
    path("xuat/<slug:code>/chay-nen/", views.export_start, name="export_start"),
    path("bao-cao-chinh-thuc/<slug:code>/", views.official, name="official"),
    path("tep/<int:pk>/", views.job, name="job"),
    path("tep/<int:pk>/trang-thai/", views.job_status, name="job_status"),
    path("tep/<int:pk>/tai-ve/", views.job_download, name="job_download"),
    path("tep/<int:pk>/chay-lai/", views.job_restart, name="job_restart"),
    path("thiet-lap/", views.report_settings, name="settings"),
    path("nhat-ky/", views.audit_trail, name="audit"),
]
