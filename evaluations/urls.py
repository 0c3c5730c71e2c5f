from django.urls import path

from evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("", views.home, name="home"),
    path("don-vi/<int:office_id>/", views.office_overview, name="office"),
    path("don-vi/<int:office_id>/phe-duyet/", views.bulk_approve, name="bulk_approve"),
    path("qua-han/", views.overdue, name="overdue"),
    path("phan-bo-xep-loai/", views.distribution, name="distribution"),
    path("trung-tam/<int:centre_id>/bat-dau/", views.assessment_start, name="start"),
    path("phieu/<int:pk>/", views.assessment_detail, name="detail"),
    path("phieu/<int:pk>/tu-danh-gia/", views.assessment_self_save, name="self_save"),
    path("phieu/<int:pk>/dinh-kem/", views.assessment_attach, name="attach"),
    path("tep/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("phieu/<int:pk>/tham-dinh/", views.assessment_review_save, name="review_save"),
    path("phieu/<int:pk>/de-xuat/", views.assessment_propose, name="propose"),
    path("phieu/<int:pk>/phe-duyet/", views.assessment_approve, name="approve"),
    path("phieu/<int:pk>/tra-lai/", views.assessment_return, name="return"),
    path("phieu/<int:pk>/mo-khoa/", views.assessment_unlock, name="unlock"),
    path("bo-tieu-chi/", views.rubric_list, name="rubrics"),
    path("bo-tieu-chi/<int:pk>/", views.rubric_detail, name="rubric"),
    path("bo-tieu-chi/<int:pk>/tieu-chi/", views.rubric_criterion_save, name="criterion_add"),
    path("bo-tieu-chi/<int:pk>/tieu-chi/<int:criterion_id>/", views.rubric_criterion_save, name="criterion_edit"),
    path(
        "bo-tieu-chi/<int:pk>/tieu-chi/<int:criterion_id>/xoa/",
        views.rubric_criterion_delete,
        name="criterion_delete",
    ),
    path("bo-tieu-chi/<int:pk>/thong-tin/", views.rubric_settings, name="rubric_settings"),
    path("bo-tieu-chi/<int:pk>/nguong/", views.rubric_thresholds, name="thresholds"),
    path("bo-tieu-chi/<int:pk>/han/", views.cycle_save, name="cycle"),
    path("phan-cong/", views.assign_offices, name="assign_offices"),
]
