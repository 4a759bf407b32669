from django.urls import path

from followup import views

app_name = "followup"

urlpatterns = [
    path("", views.MyWorkView.as_view(), name="my_work"),
    path("calendar/new/", views.calendar_regenerate, name="calendar_regenerate"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
