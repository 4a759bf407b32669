"""Import previews sent files of hostile cells (``tests.hostile``) and unreadable bytes: no 5xx.

Every kind of import gets a CSV whose every column holds one hostile value, row by row,
and files that are not what their name says; the preview (a dry run) must answer with
the file's problems, never fail.
"""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.views import KINDS
from tests.hostile import hostile_values

UNREADABLE = {
    "surrogate-bytes.csv": b"slug,name\nx,\xed\xa0\x80\n",
    "latin-1.csv": "slug,name\nx,Z\xfcrich\n".encode("latin-1"),
    "binary.csv": bytes(range(256)),
    "empty.csv": b"",
    "header-only.csv": b"slug,name\n",
    "not-xlsx.xlsx": b"slug,name\nx,y\n",
    "broken.json": b'[{"name": ',
    "deep.json": b"[" * 1000 + b"]" * 1000,
    "nul.json": b'[{"name": "a\\u0000b"}]',
}


def hostile_csv(columns: list[str]) -> bytes:
    """Return a CSV of ``columns`` with one row per hostile value, in every column."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for value in hostile_values():
        writer.writerow([value.text] * len(columns))
    return out.getvalue().encode("utf-8", "surrogatepass")


def preview(client, kind: str, name: str, content: bytes):
    url = reverse("imports:upload", kwargs={"kind": kind})
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_hostile_cells_never_make_a_preview_fail(fuzz_clients, kind):
    response = preview(
        fuzz_clients.signed_in, kind, f"{kind}.csv", hostile_csv(KINDS[kind].columns())
    )
    assert response.status_code < 500


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_an_unreadable_file_is_refused_in_words(fuzz_clients, name):
    response = preview(fuzz_clients.signed_in, "cities", name, UNREADABLE[name])
    assert response.status_code in (200, 400)
    errors = response.context["form"].errors.get("file") or response.context.get("rejected")
    assert errors, response.content.decode()[:500]
