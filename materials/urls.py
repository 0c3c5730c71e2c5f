from django.urls import path

from materials import views

app_name = "materials"

urlpatterns = [
    path("", views.material_list, name="list"),
    path("tai-len/", views.material_upload, name="upload"),
    path("<int:pk>/", views.material_detail, name="detail"),
    path("<int:pk>/tai-ve/", views.material_download, name="download"),
    path("<int:pk>/duyet/", views.material_approve, name="approve"),
    path("<int:pk>/khong-duyet/", views.material_reject, name="reject"),
    path("lop/<int:course_pk>/", views.course_materials, name="course"),
    path("lop/<int:course_pk>/bo/<int:use_pk>/", views.course_material_remove, name="course_remove"),
]
