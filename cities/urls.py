from django.urls import path

from cities import views
from cities.models import City
from citypairing.history_views import RecordHistoryView

app_name = "cities"

urlpatterns = [
    path("", views.CityListView.as_view(), name="city_list"),
    path("suggest/", views.city_suggest, name="city_suggest"),
    path("<slug:slug>/", views.CityDetailView.as_view(), name="city_detail"),
    path("<slug:slug>/edit/", views.CityUpdateView.as_view(), name="city_update"),
    path("<slug:slug>/history/", RecordHistoryView.as_view(model=City), name="city_history"),
]
