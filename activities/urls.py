from django.urls import path

from activities import views
from activities.models import Activity
from citypairing.history_views import RecordHistoryView

app_name = "activities"

urlpatterns = [
    path("", views.ActivityListView.as_view(), name="activity_list"),
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("new/", views.ActivityCreateView.as_view(), name="activity_create"),
    path("<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("<int:pk>/edit/", views.ActivityUpdateView.as_view(), name="activity_update"),
    path("<int:pk>/delete/", views.ActivityDeleteView.as_view(), name="activity_delete"),
    path(
        "<int:pk>/history/",
        RecordHistoryView.as_view(model=Activity),
        name="activity_history",
    ),
]
