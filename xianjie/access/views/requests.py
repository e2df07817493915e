"""Pages (filled in by the sub-topic)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
