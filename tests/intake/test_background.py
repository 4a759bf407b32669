"""Intake in the background: a long document is read by the job worker (procrastinate),
the page and the API say proposals are being prepared until it is done, a second run
proposes nothing twice, and a failing reading is recorded with a sentence."""

import pytest
from django.core.management import call_command
from django.db import connection

from intake.choices import PREPARING, IntakeStatus
from intake.models import IntakeRun, Proposal
from sources.models import Source
from tests.sources.conftest import NEWS

pytestmark = pytest.mark.django_db(transaction=True)

# Four pages: longer than what is read as it is added.
REPORT = "\f".join(
    [
        "Annual report of the programme",
        NEWS,
        "Kuching and Iloilo held a workshop on 20th to 23rd of June 2022.",
        "Annex",
    ]
)


@pytest.fixture(autouse=True)
def no_queued_jobs():
    # procrastinate's tables are not flushed between tests.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs")


def run_worker() -> None:
    """Run the jobs that are due with the real worker, as `make run` starts it."""
    call_command("run_worker", "--one-shot", "--polling-interval", "0.2")


def add_report(officer_api, team) -> Source:
    response = officer_api.post(
        "/api/v1/sources/",
        {"title": "Annual report", "text": REPORT, "programme": team.programme.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return Source.objects.get(pk=response.json()["id"])


def queued(task_name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM procrastinate_jobs WHERE task_name = %s AND status = 'todo'",
            [task_name],
        )
        return cursor.fetchone()[0]


def test_a_long_document_is_read_by_the_worker_while_the_officer_is_told(officer_api, team, client):
    source = add_report(officer_api, team)
    assert queued("intake.propose") == 1
    assert not Proposal.objects.filter(source=source).exists()

    answer = officer_api.get(f"/api/v1/sources/{source.pk}/proposals/")
    assert answer.status_code == 202
    assert answer.json()["status"] == IntakeStatus.QUEUED
    assert answer.json()["detail"] == PREPARING
    client.force_login(team.officer)
    page = client.get(f"/sources/{source.slug}/proposals/").content.decode()
    assert "Proposals are being prepared" in page
    assert 'data-hx-trigger="every 5s"' in page  # the list asks for itself again

    run_worker()

    run = IntakeRun.objects.get(source=source)
    assert run.status == IntakeStatus.DONE and run.proposed > 0
    answer = officer_api.get(f"/api/v1/sources/{source.pk}/proposals/")
    assert answer.status_code == 200
    names = {p["fields"].get("name") for p in answer.json() if p["kind"] == "city"}
    assert {"Iloilo", "Wichit"} <= names
    page = client.get(f"/sources/{source.slug}/proposals/").content.decode()
    assert "Proposals are being prepared" not in page and "Wichit" in page
    assert "every 5s" not in page
    state = officer_api.get(f"/api/v1/sources/{source.pk}/intake/").json()
    assert state["status"] == "done" and state["proposed"] == run.proposed


def test_reading_twice_proposes_nothing_twice(officer_api, team):
    source = add_report(officer_api, team)
    run_worker()
    before = sorted(Proposal.objects.filter(source=source).values_list("key", flat=True))
    rejected = Proposal.objects.filter(source=source).first()
    officer_api.post(f"/api/v1/sources/{source.pk}/proposals/{rejected.pk}/reject/")

    again = officer_api.post(f"/api/v1/sources/{source.pk}/intake/")
    assert again.status_code == 202 and again.json()["status"] == IntakeStatus.QUEUED
    # Asked twice before the worker came: one job waits.
    officer_api.post(f"/api/v1/sources/{source.pk}/intake/")
    assert queued("intake.propose") == 1
    run_worker()

    after = sorted(Proposal.objects.filter(source=source).values_list("key", flat=True))
    assert after == before
    assert IntakeRun.objects.get(source=source).proposed == 0
    assert Proposal.objects.get(pk=rejected.pk).status == "rejected"


def test_the_review_pages_button_queues_the_reading(officer_api, team, client):
    source = add_report(officer_api, team)
    run_worker()
    client.force_login(team.officer)
    response = client.post(f"/sources/{source.slug}/proposals/", {"action": "propose"})
    assert response.status_code == 302
    assert queued("intake.propose") == 1
    assert IntakeRun.objects.get(source=source).status == IntakeStatus.QUEUED


def test_a_failing_reading_is_recorded_with_a_sentence(officer_api, team, client, monkeypatch):
    def broken(document, registry):
        raise MemoryError("the reader ran out of memory")

    monkeypatch.setattr("intake.services.engine_propose", broken)
    source = add_report(officer_api, team)
    run_worker()

    run = IntakeRun.objects.get(source=source)
    assert run.status == IntakeStatus.FAILED
    assert run.error.startswith("Reading the document for proposals failed (MemoryError")
    assert "Find proposals again" in run.error
    state = officer_api.get(f"/api/v1/sources/{source.pk}/intake/").json()
    assert state["status"] == "failed" and state["error"] == run.error
    assert officer_api.get(f"/api/v1/sources/{source.pk}/proposals/").status_code == 200
    client.force_login(team.officer)
    page = client.get(f"/sources/{source.slug}/proposals/").content.decode()
    assert "ran out of memory" in page


def test_a_short_document_is_read_as_it_is_added(officer_api, team):
    response = officer_api.post(
        "/api/v1/sources/", {"text": NEWS, "programme": team.programme.pk}, format="json"
    )
    source_id = response.json()["id"]
    assert queued("intake.propose") == 0
    assert IntakeRun.objects.get(source_id=source_id).status == IntakeStatus.DONE
    assert officer_api.get(f"/api/v1/sources/{source_id}/proposals/").status_code == 200


def test_only_its_programmes_officers_see_or_queue_the_reading(officer_api, team):
    from tests.trust.conftest import token_client

    source = add_report(officer_api, team)
    source.is_published = True
    source.save()
    other = token_client(team.other_officer)
    assert other.get(f"/api/v1/sources/{source.pk}/intake/").status_code == 403
    assert other.post(f"/api/v1/sources/{source.pk}/intake/").status_code == 403
