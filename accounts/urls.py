from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/", views.PortalLoginView.as_view(), name="login"),
    path("dang-xuat/", views.logout_view, name="logout"),
    path("doi-mat-khau/", views.password_change, name="password_change"),
    path("quen-mat-khau/", views.PasswordResetView.as_view(), name="password_reset"),
    path("quen-mat-khau/da-gui/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("dat-lai-mat-khau/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("dat-lai-mat-khau/xong/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
