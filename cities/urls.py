from django.urls import include, path

from cities import views
from cities.api.views import CityViewSet
from cities.models import City
from core.views.registry import get_model_urls

app_name = "cities"

urlpatterns = [
    path("", views.CityListView.as_view(), name="city_list"),
    path("suggest/", views.city_suggest, name="city_suggest"),
    path("<slug:slug>/", views.CityDetailView.as_view(), name="city_detail"),
    path("<slug:slug>/edit/", views.CityUpdateView.as_view(), name="city_update"),
    path(
        "<slug:slug>/city.geojson",
        CityViewSet.map_data_view("city", record_kwarg="slug"),
        name="city_geojson",
    ),
    # Views other apps add to every city (its History page).
    path("<slug:slug>/", include(get_model_urls(City))),
]
