from django.urls import path

from programmes import views

app_name = "programmes"

urlpatterns = [
    path("networks/", views.NetworkListView.as_view(), name="network_list"),
    path("networks/<slug:slug>/", views.NetworkDetailView.as_view(), name="network_detail"),
    path("programmes/", views.ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/<slug:slug>/", views.ProgrammeDetailView.as_view(), name="programme_detail"),
    path(
        "programmes/<slug:slug>/edit/",
        views.ProgrammeUpdateView.as_view(),
        name="programme_update",
    ),
    path("streams/", views.StreamListView.as_view(), name="stream_list"),
    path("streams/<slug:slug>/", views.StreamDetailView.as_view(), name="stream_detail"),
    path("pairings/", views.PairingListView.as_view(), name="pairing_list"),
    path("pairings/new/", views.PairingCreateView.as_view(), name="pairing_create"),
    path("pairings/<int:pk>/", views.PairingDetailView.as_view(), name="pairing_detail"),
    path("pairings/<int:pk>/edit/", views.PairingUpdateView.as_view(), name="pairing_update"),
    path("pairings/<int:pk>/delete/", views.PairingDeleteView.as_view(), name="pairing_delete"),
    path("map/", views.MapView.as_view(), name="map"),
]
