from django.urls import path

from xianjie.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
]
