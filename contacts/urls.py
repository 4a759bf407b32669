from django.urls import include, path
from django.views.generic import RedirectView

from contacts import views
from contacts.models import Person
from core.views.registry import get_model_urls

app_name = "contacts"

urlpatterns = [
    path("", views.PersonListView.as_view(), name="person_list"),
    path("new/", views.PersonCreateView.as_view(), name="person_create"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("<int:pk>/edit/", views.PersonUpdateView.as_view(), name="person_update"),
    path("<int:pk>/erase/", views.PersonEraseView.as_view(), name="person_erase"),
    # Views other apps add to every person (History).
    path("<int:pk>/", include(get_model_urls(Person))),
    # A role is shown on its person's page: the roles' list is the people's.
    path(
        "roles/",
        RedirectView.as_view(pattern_name="contacts:person_list"),
        name="contactrole_list",
    ),
    path("roles/new/", views.ContactRoleCreateView.as_view(), name="contactrole_create"),
    path("roles/<int:pk>/edit/", views.ContactRoleUpdateView.as_view(), name="contactrole_update"),
    path(
        "roles/<int:pk>/delete/", views.ContactRoleDeleteView.as_view(), name="contactrole_delete"
    ),
]
