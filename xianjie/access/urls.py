from .views import granted, requests

app_name = "access"
urlpatterns = [*requests.urlpatterns, *granted.urlpatterns]
