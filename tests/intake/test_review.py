"""Proposals as records: made from a source, reviewed on a page and over the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pghistory.models import Events

from activities.models import Activity
from cities.models import City
from intake.choices import ProposalKind, ProposalStatus
from intake.models import Proposal
from intake.services import proposal_accept, proposal_reject, propose
from programmes.models import Pairing
from sources.models import Citation, Source
from tests.sources.conftest import NEWS, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def news(team):
    return Source.objects.create(
        title="News", slug="news", text=NEWS, programme=team.programme, is_published=True
    )


def of_kind(source, kind):
    return list(source.proposals.filter(kind=kind))


def test_propose_stores_cited_proposals_of_each_kind(news, team):
    made = propose(news)
    kinds = {p.kind for p in made}
    assert {ProposalKind.CITY, ProposalKind.ACTIVITY, ProposalKind.PAIRING} <= kinds
    city_ids = {p.fields["city"]["city_id"] for p in of_kind(news, ProposalKind.CITY)}
    assert {team.iloilo.pk, team.wichit.pk} <= city_ids
    (activity,) = of_kind(news, ProposalKind.ACTIVITY)
    assert activity.fields["start_date"] == "2023-03-13"
    assert activity.fields["end_date"] == "2023-03-16"
    assert activity.quote in news.text
    assert activity.locator.startswith("p. 1, line ")


def test_running_again_proposes_nothing_already_decided(news, team):
    propose(news)
    first = news.proposals.count()
    activity = news.proposals.get(kind=ProposalKind.ACTIVITY)
    proposal_reject(proposal=activity, user=team.officer)
    assert propose(news) == []
    assert news.proposals.count() == first
    assert news.proposals.get(kind=ProposalKind.ACTIVITY).status == ProposalStatus.REJECTED


def test_accepting_an_activity_creates_it_with_its_citation_in_history_channel_intake(news, team):
    propose(news)
    proposal = news.proposals.get(kind=ProposalKind.ACTIVITY)
    proposal = proposal_accept(
        proposal=proposal, user=team.officer, edits={"title": "Iloilo delegation to Wichit"}
    )
    activity = Activity.objects.get(pk=proposal.record_id)
    assert activity.title == "Iloilo delegation to Wichit"
    assert (activity.start_date.isoformat(), activity.end_date.isoformat()) == (
        "2023-03-13",
        "2023-03-16",
    )
    assert set(activity.cities.all()) == {team.iloilo, team.wichit}
    assert activity.programme == team.programme
    citation = activity.citations.get()
    assert citation.source == news and citation.quote == proposal.quote
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.reviewer == team.officer
    events = Events.objects.tracks(activity)
    assert events.get().pgh_context["channel"] == "intake"


def test_accepting_a_pairing_creates_it_in_the_sources_programme(news, team):
    propose(news)
    proposal = news.proposals.get(kind=ProposalKind.PAIRING)
    proposal = proposal_accept(proposal=proposal, user=team.officer)
    pairing = Pairing.objects.get(pk=proposal.record_id)
    assert pairing.programme == team.programme
    assert set(pairing.participants.values_list("city_id", flat=True)) == {
        team.iloilo.pk,
        team.wichit.pk,
    }
    assert pairing.citations.count() == 1


def test_accepting_a_matched_city_only_cites(news, team):
    propose(news)
    proposal = next(
        p for p in of_kind(news, ProposalKind.CITY) if p.fields["city"]["city_id"] == team.wichit.pk
    )
    proposal_accept(proposal=proposal, user=team.officer)
    assert City.objects.count() == 2
    assert team.wichit.citations.count() == 1


def test_a_failed_accept_writes_nothing(team):
    source = Source.objects.create(title="S", slug="s", text=NEWS)  # no programme
    propose(source)
    proposal = source.proposals.get(kind=ProposalKind.PAIRING)
    with pytest.raises(Exception, match="programme"):
        proposal_accept(proposal=proposal, user=team.officer)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED
    assert not Pairing.objects.exists() and not Citation.objects.exists()


def test_a_short_document_is_read_for_proposals_as_it_is_added(officer_api, team):
    response = officer_api.post(
        "/api/v1/sources/",
        {"file": SimpleUploadedFile("news.txt", NEWS.encode()), "programme": team.programme.pk},
        format="multipart",
    )
    source_id = response.json()["id"]
    listed = officer_api.get(f"/api/v1/sources/{source_id}/proposals/").json()
    assert {p["kind"] for p in listed} >= {"city", "activity", "pairing"}
    activity = next(p for p in listed if p["kind"] == "activity")
    assert activity["status"] == "proposed" and activity["locator"].startswith("p. 1")
    accepted = officer_api.post(
        f"/api/v1/sources/{source_id}/proposals/{activity['id']}/accept/",
        {"fields": {"title": "Iloilo visits Wichit"}},
        format="json",
    )
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["status"] == "accepted"
    assert Activity.objects.get(pk=accepted.json()["record"]).title == "Iloilo visits Wichit"
    again = officer_api.post(
        f"/api/v1/sources/{source_id}/proposals/{activity['id']}/accept/", {}, format="json"
    )
    assert again.status_code == 400
    city = next(p for p in listed if p["kind"] == "city")
    rejected = officer_api.post(f"/api/v1/sources/{source_id}/proposals/{city['id']}/reject/")
    assert rejected.json()["status"] == "rejected"


def test_only_the_programmes_officers_see_proposals(news, team):
    propose(news)
    other = token_client(team.other_officer)
    assert other.get(f"/api/v1/sources/{news.pk}/proposals/").status_code == 403
    proposal = news.proposals.first()
    response = other.post(f"/api/v1/sources/{news.pk}/proposals/{proposal.pk}/reject/")
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED


def test_review_page_accepts_edits_and_rejects(client, news, team):
    propose(news)
    client.force_login(team.officer)
    page = f"/sources/{news.slug}/proposals/"
    body = client.get(page).content.decode()
    assert "Proposals from" in body and "March 13 to 16, 2023" in body
    activity = news.proposals.get(kind=ProposalKind.ACTIVITY)
    client.post(
        page,
        {
            "action": "accept",
            "proposal": activity.pk,
            "title": "Edited title",
            "start_date": "2023-03-13",
            "end_date": "2023-03-16",
            "date_precision": "day",
        },
    )
    assert Activity.objects.get().title == "Edited title"
    client.post(page, {"action": "reject_all", "kind": "city"})
    assert not news.proposals.filter(kind="city", status="proposed").exists()
    response = client.post(page, {"action": "accept", "proposal": "not-a-number"})
    assert response.status_code == 302
    client.force_login(team.other_officer)
    assert client.get(page).status_code == 403
    assert Proposal.objects.filter(status="accepted").count() == 1


def test_all_waiting_proposals_of_a_kind_over_the_api(officer_api, news, team):
    propose(news)
    response = officer_api.post(
        f"/api/v1/sources/{news.pk}/proposals/decide-all/",
        {"kind": "city", "decision": "accept"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["decided"] == news.proposals.filter(kind="city").count()
    assert not news.proposals.filter(kind="city", status="proposed").exists()
    assert team.wichit.citations.count() == 1
    bad = officer_api.post(
        f"/api/v1/sources/{news.pk}/proposals/decide-all/",
        {"kind": "planet", "decision": "accept"},
        format="json",
    )
    assert bad.status_code == 400
