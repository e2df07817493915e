"""The sharing app's pages, one module per sub-topic, each with its own `urlpatterns`."""
