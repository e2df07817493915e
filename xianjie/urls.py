from django.urls import include, path

from xianjie.api.api import api
from xianjie.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("accounts/", include("xianjie.accounts.urls")),
    path("manage/", include("xianjie.accounts.manage_urls")),
    path("audit/", include("xianjie.audit.urls")),
    path("calendar/", include("xianjie.calendar.urls")),
    path("catalog/", include("xianjie.catalog.urls")),
    path("referrals/", include("xianjie.referrals.urls")),
    path("inspections/", include("xianjie.inspections.urls")),
    path("sharing/", include("xianjie.sharing.urls")),
    path("access/", include("xianjie.access.urls")),
    path("notifications/", include("xianjie.notifications.urls")),
    path("", include("xianjie.dashboards.urls")),
]
