from django.urls import path

from . import views
from .evidence import evidence_download

app_name = "referrals"
urlpatterns = [
    path("", views.referral_index, name="list"),
    path("oversight/", views.referral_oversight, name="oversight"),
    path("new/", views.referral_new, name="create"),
    path("officers/", views.officer_search, name="officer_search"),
    path("officers/pick/", views.officer_pick, name="officer_pick"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/edit/", views.referral_edit, name="edit"),
    path("<int:pk>/transitions/<str:name>/", views.referral_move, name="transition"),
    path("<int:pk>/evidence/", views.referral_upload, name="evidence_upload"),
    path("<int:pk>/evidence/<int:evidence_id>/", evidence_download, name="evidence_download"),
]
