from django.urls import path

from .views import auth, security

app_name = "accounts"
urlpatterns = [
    path("login/", auth.login_view, name="login"),
    path("login/otp/", auth.login_otp_view, name="login_otp"),
    path("logout/", auth.logout_view, name="logout"),
    path("password/", security.password_change_view, name="password_change"),
    path("otp/", security.otp_setup_view, name="otp_setup"),
    path("security-policy/", security.security_policy_view, name="security_policy"),
]
