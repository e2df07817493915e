from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("violations/", views.violation_list, name="violations"),
    path("violations/add", views.violation_add, name="violation_add"),
    path("violations/<int:pk>/toggle", views.violation_toggle, name="violation_toggle"),
]
