from django.urls import path

from partners import views

app_name = "partners"

urlpatterns = [
    path("cities/<slug:slug>/partners/", views.CityPartnersView.as_view(), name="city_partners"),
    path(
        "partner-requests/",
        views.PartnerRequestListView.as_view(),
        name="partner_request_list",
    ),
    path(
        "partner-requests/new/",
        views.PartnerRequestCreateView.as_view(),
        name="partner_request_create",
    ),
    path(
        "partner-requests/<int:pk>/",
        views.PartnerRequestDetailView.as_view(),
        name="partner_request_detail",
    ),
    path("partner-requests/<int:pk>/close/", views.close_request, name="partner_request_close"),
]
