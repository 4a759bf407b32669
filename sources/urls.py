from django.urls import include, path

from core.views.registry import get_model_urls
from sources import views
from sources.models import Source

app_name = "sources"

urlpatterns = [
    path("", views.SourceListView.as_view(), name="source_list"),
    # Before the record's address: "add" is no source's slug.
    path("add/", views.SourceAddView.as_view(), name="source_add"),
    path("<slug:slug>/", views.SourceDetailView.as_view(), name="source_detail"),
    path("<slug:slug>/file/", views.SourceFileView.as_view(), name="source_file"),
    path("<slug:slug>/publish/", views.SourcePublishView.as_view(), name="source_publish"),
    # Views other apps add to every source (its History page, its proposals).
    path("<slug:slug>/", include(get_model_urls(Source))),
]
