"""/manage/: the 三员's administration pages for orgs, accounts, roles and officers."""

from django.urls import path

from .views import manage

app_name = "manage"
urlpatterns = [
    path("orgs/", manage.orgs, name="orgs"),
    path("orgs/new/", manage.org_create, name="org_create"),
    path("orgs/<int:pk>/", manage.org_edit, name="org_edit"),
    path("users/", manage.users, name="users"),
    path("users/new/", manage.user_create, name="user_create"),
    path("users/<int:pk>/", manage.user_edit, name="user_edit"),
    path("system-roles/", manage.system_roles, name="system_roles"),
    path("officers/", manage.officers, name="officers"),
    path("officers/new/", manage.officer_create, name="officer_create"),
    path("officers/<int:pk>/", manage.officer_edit, name="officer_edit"),
    path("officers/import/", manage.officer_import_page, name="officer_import"),
]
