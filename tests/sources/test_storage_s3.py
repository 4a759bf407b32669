"""Uploaded documents in an S3-compatible store: a real S3 server (moto's) runs in the test."""

import uuid

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer
from rest_framework.test import APIClient

from citypairing.settings import documents_storage
from sources.models import Source
from tests.sources.conftest import NEWS

pytestmark = pytest.mark.django_db

REGION = "eu-west-1"


@pytest.fixture(scope="module")
def s3_endpoint():
    """Run an S3 server on a free local port for this module's tests."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch, tmp_path):
    """Make a fresh bucket and point the registry's storage at it, as the environment would."""
    # boto3's own credential chain, isolated from whatever the machine has configured.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "registry-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "registry-test-secret")
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    name = f"registry-documents-{uuid.uuid4().hex[:12]}"
    s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION)
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": documents_storage(
            {
                "SOURCES_S3_BUCKET": name,
                "SOURCES_S3_ENDPOINT_URL": s3_endpoint,
                "SOURCES_S3_REGION": REGION,
            }
        ),
    }

    def keys() -> list[str]:
        return [item["Key"] for item in s3.list_objects_v2(Bucket=name).get("Contents", [])]

    return name, s3, keys


def upload_on_the_page(client, team, data: bytes, name: str):
    return client.post(
        "/sources/add/",
        {
            "file": SimpleUploadedFile(name, data),
            "title": "Iloilo and Wichit",
            "kind": "news",
            "published_precision": "day",
            "programme": team.programme.pk,
        },
    )


def test_an_upload_is_kept_in_the_bucket_once_and_read_back_through_the_registry(
    client, team, officer_api, bucket, media
):
    name, s3, keys = bucket
    client.force_login(team.officer)
    assert upload_on_the_page(client, team, NEWS.encode(), "news.txt").status_code == 302
    source = Source.objects.get()
    assert keys() == [source.file.name]
    assert source.file.name == f"sources/{source.content_hash[:2]}/{source.content_hash}.txt"
    stored = s3.get_object(Bucket=name, Key=source.file.name)
    assert stored["Body"].read() == NEWS.encode()
    assert not media.exists()  # nothing went to the local folder

    # The same bytes again, over the API this time: the same source, still one object.
    again = officer_api.post(
        "/api/v1/sources/",
        {"file": SimpleUploadedFile("copy.txt", NEWS.encode()), "programme": team.programme.pk},
        format="multipart",
    )
    assert again.status_code == 200
    assert again.json()["id"] == source.pk
    assert keys() == [source.file.name]

    # Downloads go through the registry, which streams the object to whoever may read it.
    page_url, api_url = f"/sources/{source.slug}/file/", f"/api/v1/sources/{source.pk}/file/"
    assert APIClient().get(page_url).status_code == 404
    assert APIClient().get(api_url).status_code == 404
    for response in (client.get(page_url), officer_api.get(api_url)):
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == NEWS.encode()
        assert response["Content-Disposition"] == 'attachment; filename="news.txt"'

    client.post(f"/sources/{source.slug}/publish/", {"published": "yes"})
    published = APIClient().get(page_url)
    assert published.status_code == 200
    assert b"".join(published.streaming_content) == NEWS.encode()


def test_an_object_gone_from_the_bucket_is_a_404_in_words(client, team, officer_api, bucket):
    name, s3, keys = bucket
    client.force_login(team.officer)
    upload_on_the_page(client, team, NEWS.encode(), "news.txt")
    source = Source.objects.get()
    s3.delete_object(Bucket=name, Key=source.file.name)
    assert client.get(f"/sources/{source.slug}/file/").status_code == 404
    response = officer_api.get(f"/api/v1/sources/{source.pk}/file/")
    assert response.status_code == 404
    assert "missing from the storage" in str(response.json())
