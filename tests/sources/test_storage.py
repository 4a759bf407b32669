"""Uploaded documents go through Django's storage API: local by default, S3 when configured."""

import json
import os
import subprocess
import sys

from django.conf import settings

PRINT_STORAGE = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps({**settings.STORAGES['default'], 'media_root': str(settings.MEDIA_ROOT)}))"
)


def default_storage_with(**env) -> dict:
    completed = subprocess.run(
        [sys.executable, "-c", PRINT_STORAGE],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "citypairing.settings", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_uploads_are_kept_in_a_git_ignored_local_folder_by_default():
    storage = default_storage_with()
    assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", f"{storage['media_root']}/sources/ab/x.pdf"],
        cwd=settings.BASE_DIR,
        check=False,
    )
    assert ignored.returncode == 0


def test_an_s3_bucket_in_the_environment_keeps_uploads_there_privately():
    storage = default_storage_with(
        SOURCES_S3_BUCKET="registry-documents", SOURCES_S3_ENDPOINT_URL="https://s3.example.org"
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "registry-documents"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.example.org"
    assert storage["OPTIONS"]["default_acl"] == "private"
