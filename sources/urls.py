from django.urls import include, path

from core.views.registry import get_model_urls
from sources import views
from sources.models import Source

app_name = "sources"

urlpatterns = [
    path("", views.SourceListView.as_view(), name="source_list"),
    path("<slug:slug>/", views.SourceDetailView.as_view(), name="source_detail"),
    # Views other apps add to every source (its History page).
    path("<slug:slug>/", include(get_model_urls(Source))),
]
