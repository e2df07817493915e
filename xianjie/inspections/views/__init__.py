"""Pages of the inspection app, one module per sub-topic; each exports its `urlpatterns`."""
