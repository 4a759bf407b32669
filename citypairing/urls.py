"""Root URLs: the officers' pages, Django admin, and the REST API under /api/v1/."""

from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.urls import include, path

from citypairing import pages, views
from core.accounts import AdminLoginForm, LoginForm

admin.site.login_form = AdminLoginForm

urlpatterns = [
    # First: Django tries the patterns in order, and the pages' includes at "" would be
    # tried, pattern by pattern, for every API request before it.
    path("api/v1/", include("citypairing.api.urls")),
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("favicon.ico", pages.favicon, name="favicon"),
    path("accounts/login/", LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("sources/", include("sources.urls")),
    path("themes/", include("themes.urls")),
    path("cities/", include("cities.urls")),
    path("", include("programmes.urls")),
    path("", include("partners.urls")),
    path("activities/", include("activities.urls")),
    path("import/", include("imports.urls")),
    path("contacts/", include("contacts.urls")),
    path("my-work/", include("followup.urls")),
    path("account/digest/", include("digests.urls")),
    path("admin/", admin.site.urls),
]

# Bad requests said in words; an unreachable database is a 503 (core.errors).
handler400 = "core.errors.bad_request_handler"
handler500 = "core.errors.server_error"
