from django.urls import path

from courses import views

app_name = "courses"

urlpatterns = [
    path("", views.course_list, name="list"),
    path("moi/", views.course_create, name="create"),
    path("<int:pk>/", views.course_detail, name="detail"),
    path("<int:pk>/sua/", views.course_edit, name="edit"),
    path("<int:pk>/xoa/", views.course_delete, name="delete"),
    path("<int:pk>/buoi-moi/", views.session_add, name="session_add"),
    path("<int:pk>/diem-danh-thang/", views.month_grid, name="month"),
    path("<int:pk>/diem-danh-thang/them-buoi/", views.month_add_sessions, name="month_add"),
    path("<int:pk>/ghi-danh/", views.enrol, name="enrol"),
    path("<int:pk>/so-diem-danh/", views.register_print, name="register"),
    path("buoi/<int:pk>/sua/", views.session_edit, name="session_edit"),
    path("buoi/<int:pk>/xoa/", views.session_delete, name="session_delete"),
    path("buoi/<int:pk>/diem-danh/", views.attendance, name="attendance"),
    path("ghi-danh/<int:pk>/xoa/", views.enrolment_delete, name="enrolment_delete"),
    path("ghi-danh/<int:pk>/thoi-hoc/", views.withdraw, name="withdraw"),
    path("hoc-vien/", views.learner_list, name="learners"),
    path("hoc-vien/<int:pk>/xoa/", views.learner_delete, name="learner_delete"),
    path("loai-chuong-trinh/", views.kind_list, name="kinds"),
    path("loai-chuong-trinh/<int:pk>/", views.kind_list, name="kind_edit"),
    path("mau-excel/", views.import_template, name="import_template"),
    path("nhap-excel/", views.import_upload, name="import"),
    path("nhap-excel/xac-nhan/", views.import_confirm, name="import_confirm"),
    path("ngoai-tuyen/du-lieu/", views.offline_data, name="offline_data"),
    path("ngoai-tuyen/gui/", views.offline_sync, name="offline_sync"),
]
