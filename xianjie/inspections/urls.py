from .views import draws, findings, plans, rectifications, supervision

app_name = "inspections"
urlpatterns = [
    *plans.urlpatterns,
    *draws.urlpatterns,
    *findings.urlpatterns,
    *rectifications.urlpatterns,
    *supervision.urlpatterns,
]
