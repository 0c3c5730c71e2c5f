from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("", views.course_list, name="list"),
    path("moi/", views.course_create, name="create"),
    path("chua-tap-huan/", views.untrained, name="untrained"),
    path("<int:pk>/", views.course_detail, name="detail"),
    path("<int:pk>/sua/", views.course_edit, name="edit"),
    path("<int:pk>/moi-trung-tam/", views.course_invite, name="invite"),
    path("<int:pk>/du/<int:centre_pk>/", views.course_attendance, name="attendance"),
]
