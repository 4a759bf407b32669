"""URLs of the import pages and file exports, under /import/."""

from django.urls import path

from citypairing import imports

app_name = "imports"

urlpatterns = [
    path("", imports.import_index, name="index"),
    path("<slug:kind>/", imports.import_upload, name="upload"),
    path("<slug:kind>/confirm/", imports.import_confirm, name="confirm"),
    path("<slug:kind>/export.<str:fmt>", imports.export, name="export"),
]
