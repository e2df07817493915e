from django.urls import path

from . import views

app_name = "calendar"
urlpatterns = [
    path("", views.years, name="years"),
    path("<int:year>/", views.year, name="year"),
    path("<int:year>/edit/", views.year_edit, name="year_edit"),
    path("day/<str:day>/edit/", views.day_edit, name="day_edit"),
    path("parameters/", views.parameters, name="parameters"),
    path("parameters/<str:key>/edit/", views.parameter_edit, name="parameter_edit"),
]
