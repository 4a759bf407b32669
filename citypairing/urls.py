"""Root URLs: the officers' pages, Django admin, and the REST API under /api/v1/."""

from django.contrib import admin
from django.urls import include, path

from citypairing import pages, views

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("favicon.ico", pages.favicon, name="favicon"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("sources/", include("sources.urls")),
    path("cities/", include("cities.urls")),
    path("", include("programmes.urls")),
    path("activities/", include("activities.urls")),
    path("import/", include("citypairing.import_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("citypairing.api.urls")),
]
