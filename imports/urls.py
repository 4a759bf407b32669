"""URLs of the import pages and file exports, under /import/."""

from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_index, name="index"),
    path("<slug:kind>/", views.import_upload, name="upload"),
    path("<slug:kind>/confirm/", views.import_confirm, name="confirm"),
    path("<slug:kind>/export.<str:fmt>", views.export, name="export"),
]
