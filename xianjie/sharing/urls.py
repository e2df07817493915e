from .views import items, lessons

app_name = "sharing"
urlpatterns = [*items.urlpatterns, *lessons.urlpatterns]
