from django.urls import include, path

from cities.api.views import CityViewSet
from core.views.registry import get_model_urls
from programmes import views
from programmes.api.views import PairingViewSet
from programmes.models import Network, Pairing, Programme, ThematicStream

app_name = "programmes"

urlpatterns = [
    path("networks/", views.NetworkListView.as_view(), name="network_list"),
    path("networks/<slug:slug>/", views.NetworkDetailView.as_view(), name="network_detail"),
    # Views other apps add to every network, programme, stream and pairing (History).
    path("networks/<slug:slug>/", include(get_model_urls(Network))),
    path("programmes/", views.ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/<slug:slug>/", views.ProgrammeDetailView.as_view(), name="programme_detail"),
    path(
        "programmes/<slug:slug>/edit/",
        views.ProgrammeUpdateView.as_view(),
        name="programme_update",
    ),
    # The report and its CSV (reports) and History.
    path("programmes/<slug:slug>/", include(get_model_urls(Programme))),
    path("streams/", views.StreamListView.as_view(), name="stream_list"),
    path("streams/options/", views.stream_options, name="stream_options"),
    path("streams/<slug:slug>/", views.StreamDetailView.as_view(), name="stream_detail"),
    path("streams/<slug:slug>/", include(get_model_urls(ThematicStream))),
    path("pairings/", views.PairingListView.as_view(), name="pairing_list"),
    path("pairings/new/", views.PairingCreateView.as_view(), name="pairing_create"),
    path("pairings/<int:pk>/", views.PairingDetailView.as_view(), name="pairing_detail"),
    path("pairings/<int:pk>/edit/", views.PairingUpdateView.as_view(), name="pairing_update"),
    path("pairings/<int:pk>/delete/", views.PairingDeleteView.as_view(), name="pairing_delete"),
    path(
        "pairings/<int:pk>/pairing.geojson",
        PairingViewSet.map_data_view("pairing", record_kwarg="pk"),
        name="pairing_geojson",
    ),
    path("pairings/<int:pk>/", include(get_model_urls(Pairing))),
    path("map/", views.MapView.as_view(), name="map"),
    # The map's data at the page's addresses, not the API's (see map_data_view).
    path("map/data.json", views.map_data, name="map_data"),
    path("map/cities.geojson", CityViewSet.map_data_view("city"), name="map_cities"),
    path("map/pairings.geojson", PairingViewSet.map_data_view("pairing"), name="map_pairings"),
]
