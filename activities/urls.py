from django.urls import include, path

from activities import views
from activities.models import Activity
from core.views.registry import get_model_urls

app_name = "activities"

urlpatterns = [
    path("", views.ActivityListView.as_view(), name="activity_list"),
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("new/", views.ActivityCreateView.as_view(), name="activity_create"),
    path("<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path("<int:pk>/edit/", views.ActivityUpdateView.as_view(), name="activity_update"),
    path("<int:pk>/delete/", views.ActivityDeleteView.as_view(), name="activity_delete"),
    # Views other apps add to every activity (its History page).
    path("<int:pk>/", include(get_model_urls(Activity))),
]
