from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.entries, name="entries"),
    path("export", views.entries_export, name="entries_export"),
    path("logins/", views.login_events, name="login_events"),
    path("logins/export", views.login_events_export, name="login_events_export"),
    path("verify", views.verify, name="verify"),
]
