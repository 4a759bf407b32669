from django.urls import path

from citypairing.history_views import RecordHistoryView
from sources import views
from sources.models import Source

app_name = "sources"

urlpatterns = [
    path("", views.SourceListView.as_view(), name="source_list"),
    path("<slug:slug>/", views.SourceDetailView.as_view(), name="source_detail"),
    path("<slug:slug>/history/", RecordHistoryView.as_view(model=Source), name="source_history"),
]
