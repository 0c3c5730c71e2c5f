from django.urls import path

from centres import views

app_name = "centres"

# The centre's page itself (centres:detail, /trung-tam/<id>/) is routed in portal/urls.py: it shows sections of
# courses, evaluations and reports, which sit above the registry (docs/architecture.md, "Layers").

urlpatterns = [
    path("", views.centre_list, name="list"),
    path("cua-toi/", views.centre_mine, name="mine"),
    path("them/", views.centre_create, name="create"),
    path("<int:pk>/sua/", views.centre_edit, name="edit"),
    path("<int:pk>/co-so-vat-chat/", views.centre_facilities, name="facilities"),
    path("<int:pk>/sap-nhap/", views.centre_merge, name="merge"),
    path("<int:pk>/ban-giam-doc/them/", views.board_member_add, name="board_add"),
    path("<int:pk>/ban-giam-doc/<int:member_pk>/sua/", views.board_member_edit, name="board_edit"),
    path("<int:pk>/ban-giam-doc/<int:member_pk>/ket-thuc/", views.board_member_end, name="board_end"),
    path("<int:pk>/ban-giam-doc/<int:member_pk>/xoa/", views.board_member_delete, name="board_delete"),
    path("<int:pk>/giang-vien/them/", views.instructor_add, name="instructor_add"),
    path("<int:pk>/giang-vien/them-nguoi-co-san/", views.instructor_link, name="instructor_link"),
    path("<int:pk>/giang-vien/<int:link_pk>/sua/", views.instructor_edit, name="instructor_edit"),
]
