"""The partner pages on the seed data: "Find partners", the board, and its one step from a
request to a proposed pairing."""

import datetime

from django.urls import reverse

from partners.choices import PartnerRequestStatus
from partners.models import PartnerRequest
from programmes.choices import PairingStatus, ParticipantRole
from programmes.models import Pairing, Programme
from programmes.services import pairing_set_status
from tests.partners.conftest import PASSWORD

WASTE = "urban-act-waste-circular-economy"


def partners_url(slug: str) -> str:
    return reverse("partners:city_partners", kwargs={"slug": slug})


def test_the_city_page_links_to_find_partners(client):
    html = client.get("/cities/hat-yai/").content.decode()
    assert f'href="{partners_url("hat-yai")}"' in html
    assert "Find partners" in html


def test_find_partners_shows_the_form_then_ranked_suggestions_with_reasons(
    client, stream, django_assert_max_num_queries
):
    page = client.get(partners_url("hat-yai"))
    assert page.status_code == 200
    assert "Waste Management and Circular Economy" in page.content.decode()  # a choice
    assert page.context["suggestions"] is None

    with django_assert_max_num_queries(16):
        page = client.get(partners_url("bangkok"), {"stream": stream(WASTE).pk})
    suggestions = page.context["suggestions"]
    assert [s.city.name for s in suggestions][:2] == ["Khon Kaen", "Nakhon Si Thammarat"]
    html = page.content.decode()
    assert "pilot / host city in 1 “Waste Management and Circular Economy” pairing" in html
    assert 'href="/cities/khon-kaen/"' in html
    assert "390 km" in html
    assert page.context["partners"] == [] and "Already partners" not in html


def test_find_partners_shows_the_city_s_partners_apart(client, stream):
    page = client.get(partners_url("hat-yai"), {"stream": stream(WASTE).pk})
    partners = [p.city.name for p in page.context["partners"]]
    assert "Khon Kaen" in partners and "Nakhon Si Thammarat" in partners
    assert not set(partners) & {s.city.name for s in page.context["suggestions"]}
    html = page.content.decode()
    section = html[html.index('id="partners-heading"') :]
    assert f"Already partners ({len(partners)})" in section
    assert "pilot / host city in <a href=" in section  # Khon Kaen's role, in its words
    assert "participant in <a href=" in section  # Nakhon Si Thammarat's


def test_find_partners_says_when_every_match_is_a_partner_already(client):
    page = client.get(partners_url("hat-yai"), {"need": "sponge city flood retention"})
    assert page.context["suggestions"] == [] and page.context["partners"]
    html = page.content.decode()
    assert "is already a partner of Hat Yai (below)" in html
    assert "No city in the registry has experience" not in html


def test_find_partners_filters_and_plain_word_errors(client, stream):
    page = client.get(partners_url("hat-yai"), {"stream": WASTE, "exclude_same_country": "on"})
    assert page.context["suggestions"]
    assert all(s.city.country.code != "TH" for s in page.context["suggestions"])

    page = client.get(partners_url("hat-yai"), {"need": "", "stream": ""})
    assert page.context["suggestions"] is None
    assert "Choose a thematic stream or describe what the city needs" in page.content.decode()

    page = client.get(
        partners_url("hat-yai"),
        {"stream": WASTE, "min_distance_km": "3000", "max_distance_km": "100"},
    )
    assert "The lowest distance is above the highest: swap the two numbers." in (
        page.content.decode()
    )


def test_find_partners_for_an_unknown_city_is_404(client):
    assert client.get(partners_url("atlantis")).status_code == 404


# --- The seeking-partners board --------------------------------------------------------------


def test_only_officers_and_granted_users_may_post(client, reader, officer):
    create = reverse("partners:partner_request_create")
    assert client.get(create).status_code == 302  # to the login page
    client.force_login(reader)
    assert client.get(create).status_code == 403
    client.force_login(officer)
    assert client.get(create).status_code == 200


def test_request_to_proposed_pairing_through_the_pages(
    client, officer, city, stream, urban_act, django_assert_max_num_queries
):
    client.force_login(officer)
    response = client.post(
        reverse("partners:partner_request_create"),
        {
            "city": "Bangkok",
            "theme": "organic waste composting",
            "stream": stream(WASTE).slug,
            "partner_kind": "mentor",
            "preferred_countries": ["ID", "JP"],
            "deadline": "2026-09-30",
            "description": "Markets throw away 40 tonnes of food a day.",
        },
    )
    request_obj = PartnerRequest.objects.get(theme="organic waste composting")
    assert response.status_code == 302 and response["Location"] == request_obj.get_absolute_url()
    assert request_obj.programme == urban_act  # taken from the stream
    assert request_obj.created_by == officer
    assert request_obj.deadline == datetime.date(2026, 9, 30)

    # The board lists it; its page suggests partners in the preferred countries.
    board = client.get(reverse("partners:partner_request_list")).content.decode()
    assert "organic waste composting" in board
    with django_assert_max_num_queries(25):
        page = client.get(request_obj.get_absolute_url())
    names = [s.city.name for s in page.context["suggestions"]]
    assert names[:2] == ["Malang", "Shizuoka"]
    assert {s.city.country.code for s in page.context["suggestions"]} <= {"ID", "JP"}
    assert "Turn into a proposed pairing" in page.content.decode()

    # Nothing ticked: said in plain words, nothing created.
    page = client.post(request_obj.get_absolute_url(), {"programme": urban_act.pk, "stream": WASTE})
    assert page.status_code == 200
    assert "Tick at least one partner city." in page.content.decode()
    assert not Pairing.objects.filter(partner_request=request_obj).exists()

    malang = city("malang")
    response = client.post(
        request_obj.get_absolute_url(),
        {"partners": [malang.pk], "programme": urban_act.pk, "stream": stream(WASTE).pk},
    )
    request_obj.refresh_from_db()
    pairing = request_obj.pairing
    assert response.status_code == 302 and response["Location"] == pairing.get_absolute_url()
    assert request_obj.status == PartnerRequestStatus.PAIRED
    assert pairing.status == PairingStatus.PROPOSED
    assert pairing.programme == urban_act and pairing.stream == stream(WASTE)
    assert {(p.city.name, p.role) for p in pairing.participants.select_related("city")} == {
        ("Bangkok", ParticipantRole.PILOT),
        ("Malang", ParticipantRole.POTENTIAL_PARTNER),
    }
    assert client.get(pairing.get_absolute_url()).status_code == 200

    # A paired request offers no second step, and refuses one.
    page = client.get(request_obj.get_absolute_url())
    assert page.context["pair_form"] is None
    page = client.post(
        request_obj.get_absolute_url(),
        {"partners": [malang.pk], "programme": urban_act.pk},
        follow=True,
    )
    assert "This request is no longer open" in page.content.decode()
    assert Pairing.objects.filter(partner_request__isnull=False).count() == 1


def test_a_pairing_that_exists_already_is_refused_in_plain_words(
    client, editor, city, stream, urban_act
):
    """Khon Kaen with the four waste partners and the two other Thai cities is the seed's
    waste pairing: asking for the same cities again names that pairing. (Once Khon Kaen's
    pairings are cancelled they no longer make these cities its partners, so they are
    suggested again.)"""
    for pairing in Pairing.objects.filter(participants__city=city("khon-kaen")):
        pairing_set_status(
            pairing=pairing, status=PairingStatus.CANCELLED, changed_on=datetime.date(2026, 2, 1)
        )
    request_obj = PartnerRequest.objects.create(
        city=city("khon-kaen"), programme=urban_act, stream=stream(WASTE), theme="waste"
    )
    others = ["hat-yai", "nakhon-si-thammarat", "phitsanulok", "malang", "shizuoka", "jeju"]
    client.force_login(editor)
    page = client.post(
        request_obj.get_absolute_url(),
        {
            "partners": [city(slug).pk for slug in others],
            "programme": urban_act.pk,
            "stream": stream(WASTE).pk,
        },
    )
    assert page.status_code == 200
    assert "These cities are already paired in this programme and stream" in (page.content.decode())
    request_obj.refresh_from_db()
    assert request_obj.status == PartnerRequestStatus.OPEN


def test_an_officer_pairs_only_in_their_own_programmes(client, officer, city, urban_act):
    from programmes.models import Programme

    other = Programme.objects.get(slug="iuc-asia")
    request_obj = PartnerRequest.objects.create(city=city("bangkok"), theme="waste")
    client.force_login(officer)
    page = client.get(request_obj.get_absolute_url())
    assert list(page.context["pair_form"].fields["programme"].queryset) == [urban_act]
    assert city("malang").pk in dict(page.context["pair_form"].fields["partners"].choices)
    page = client.post(
        request_obj.get_absolute_url(),
        {"partners": [city("malang").pk], "programme": other.pk},
    )
    assert "Select a valid choice" in page.content.decode()
    assert not Pairing.objects.filter(programme=other, participants__city__slug="malang").exists()


def test_readers_see_the_board_but_not_the_step(client, reader, city):
    request_obj = PartnerRequest.objects.create(city=city("hat-yai"), theme="waste")
    client.force_login(reader)
    page = client.get(request_obj.get_absolute_url())
    assert page.status_code == 200 and page.context["pair_form"] is None
    assert client.post(request_obj.get_absolute_url(), {}).status_code == 403


def test_the_poster_may_close_a_request(client, officer, reader, city):
    request_obj = PartnerRequest.objects.create(
        city=city("hat-yai"), theme="waste", created_by=officer
    )
    close = reverse("partners:partner_request_close", kwargs={"pk": request_obj.pk})
    client.force_login(reader)
    assert client.post(close).status_code == 403
    client.force_login(officer)
    assert client.post(close).status_code == 302
    request_obj.refresh_from_db()
    assert request_obj.status == PartnerRequestStatus.CLOSED


def test_the_board_lists_open_requests_first_by_deadline(
    client, city, stream, django_assert_max_num_queries
):
    make = PartnerRequest.objects.create
    late = make(city=city("hat-yai"), theme="late", deadline=datetime.date(2026, 12, 1))
    soon = make(city=city("khon-kaen"), theme="soon", deadline=datetime.date(2026, 7, 1))
    undated = make(city=city("wichit"), theme="undated")
    closed = make(
        city=city("jeju"),
        theme="closed",
        deadline=datetime.date(2026, 1, 1),
        status=PartnerRequestStatus.CLOSED,
    )
    for number in range(20):  # the query count does not grow with the requests
        make(city=city("seoul"), theme=f"theme {number}", stream=stream(WASTE), status="closed")
    with django_assert_max_num_queries(4):
        page = client.get(reverse("partners:partner_request_list"))
    assert list(page.context["partner_requests"])[:4] == [soon, late, undated, closed]


def test_a_request_of_an_unpublished_programme_is_hidden_from_the_public(client, city, urban_act):
    request_obj = PartnerRequest.objects.create(
        city=city("hat-yai"), theme="waste", programme=urban_act
    )
    urban_act.is_published = False
    urban_act.save()
    assert client.get(request_obj.get_absolute_url()).status_code == 404
    assert "waste" not in client.get(reverse("partners:partner_request_list")).content.decode()


def test_posting_with_an_unknown_city_says_what_to_do(client, officer):
    client.force_login(officer)
    page = client.post(
        reverse("partners:partner_request_create"), {"city": "Atlantis", "theme": "waste"}
    )
    assert page.status_code == 200
    assert "No city is called “Atlantis”" in page.content.decode()


def test_login_page_is_where_anonymous_posters_go(client):
    response = client.get(reverse("partners:partner_request_create"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert PASSWORD  # the fixtures' users log in with it in the browser tests


def test_a_stream_of_another_programme_is_refused_in_plain_words(client, officer, urban_act):
    client.force_login(officer)
    page = client.post(
        reverse("partners:partner_request_create"),
        {
            "city": "Hat Yai",
            "theme": "flood",
            "programme": urban_act.pk,
            "stream": "citynet-disaster",
            "partner_kind": "any",
        },
    )
    assert page.status_code == 200
    assert "“Disaster” is a stream of CityNet" in page.content.decode()
    assert not PartnerRequest.objects.filter(theme="flood").exists()


def test_an_officer_posts_only_in_their_own_programmes_as_the_api_allows(
    client, officer, editor, urban_act
):
    """The form offers the programmes (and their streams) the officer's network runs or
    partners in, and refuses another in words; a user granted the model everywhere keeps
    every programme they may see."""
    other = Programme.objects.get(slug="iuc-asia")
    create = reverse("partners:partner_request_create")
    client.force_login(officer)
    form = client.get(create).context["form"]
    assert list(form.fields["programme"].queryset) == [urban_act]
    page = client.post(create, {"city": "Bangkok", "theme": "waste", "programme": other.pk})
    assert page.status_code == 200
    assert "only in a programme your network runs or partners in" in page.content.decode()
    other_stream = other.streams.first()
    page = client.post(create, {"city": "Bangkok", "theme": "waste", "stream": other_stream.pk})
    assert "only in a programme your network runs or partners in" in page.content.decode()
    assert not PartnerRequest.objects.filter(programme=other).exists()
    client.force_login(editor)
    form = client.get(create).context["form"]
    assert other in form.fields["programme"].queryset
