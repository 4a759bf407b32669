"""Places no gazetteer holds, proposed as new cities where the text itself says they are
places; what only looks like one ("Smart City", "Phuket Province") is not proposed."""

import pytest

from intake.proposals import propose
from intake.registry import Registry
from intake.services import proposal_accept
from sources.extract import extract_text


@pytest.fixture(scope="module")
def registry():
    return Registry()  # the gazetteer alone: none of these places is in the registry


def cities(text: str, registry) -> dict[str, object]:
    return {c.name: c for c in propose(extract_text(text), registry).cities}


def test_a_municipality_a_district_and_a_city_of_are_places(registry):
    found = cities(
        "The Mayor of Tilottama Municipality met officials of the Municipality of Kuwanagar "
        "and of Sorobong District. The City of Marindale signed the declaration.",
        registry,
    )
    for name in ("Tilottama", "Kuwanagar", "Sorobong", "Marindale"):
        assert name in found, found.keys()
        assert found[name].city.geonames_id is None and found[name].city.city_id is None


def test_a_korean_district_says_its_country(registry):
    found = cities("Officials of Dobong-gu and Jungnang-gu visited Busan.", registry)
    assert found["Dobong-gu"].city.country == "KR"
    assert found["Jungnang-gu"].city.country == "KR"


def test_a_place_followed_by_its_country(registry):
    found = cities("The training was held in Bhimdattapur, Nepal, in March.", registry)
    assert found["Bhimdattapur"].city.country == "NP"


def test_unknown_places_listed_among_cities_are_places(registry):
    text = "Members: Busan · Kuwanagar · Incheon · Kathmandu · Sorobong · Colombo · Galle"
    found = cities(text, registry)
    assert {"Kuwanagar", "Sorobong", "Busan", "Incheon"} <= set(found)


def test_the_cities_of_a_b_and_c(registry):
    found = cities(
        "The programme pairs the cities of Kuwanagar, Marindale and Sorobong with Lyon.",
        registry,
    )
    assert {"Kuwanagar", "Marindale", "Sorobong"} <= set(found)


def test_a_name_split_in_two_and_a_city_state_in_a_list(registry):
    text = (
        "Partners: Pangkal Pinang · Jakarta · Surabaya · Medan. Pairs: Incheon-Berlin, "
        "Taichung-Prato, Singapore-Milan."
    )
    found = cities(text, registry)
    assert found["Pangkal Pinang"].city.name == "Pangkalpinang"
    assert found["Singapore"].city.country == "SG"
    assert "Pangkal" not in found and "Singapore-Milan" not in found


def test_what_only_looks_like_a_place_is_not_proposed(registry):
    found = cities(
        "The Smart City Center and the Healthy City Network met in Phuket Province. "
        "Walkable City is a report. Southeast Asia District offices are in Seoul.",
        registry,
    )
    assert not {"Smart", "Healthy", "Walkable", "Phuket Province", "Southeast Asia"} & set(found), (
        found.keys()
    )


def test_an_ambiguous_name_stays_a_choice(registry):
    (springfield,) = [
        c
        for c in cities("Delegates from Springfield visited Lyon.", registry).values()
        if c.name == "Springfield"
    ]
    assert springfield.city is None and len(springfield.choices) > 1


@pytest.mark.django_db
def test_accepting_a_new_place_asks_for_its_country_then_creates_it(team):
    from django.core.exceptions import ValidationError

    from intake.models import Proposal
    from sources.models import Source

    source = Source.objects.create(
        title="News",
        slug="news",
        programme=team.programme,
        text="The Mayor of Tilottama Municipality visited Wichit.",
    )
    from intake.services import propose as store

    store(source)
    proposal = Proposal.objects.get(source=source, kind="city", fields__name="Tilottama")
    with pytest.raises(ValidationError) as refused:
        proposal_accept(proposal=proposal, user=team.officer)
    assert "give its country" in str(refused.value)
    accepted = proposal_accept(proposal=proposal, user=team.officer, edits={"country": "np"})
    from cities.models import City

    city = City.objects.get(pk=accepted.record_id)
    assert (city.name, city.country.code) == ("Tilottama", "NP")


def test_running_text_that_names_many_cities_gives_no_new_places_of_its_words(registry):
    found = cities(
        "Eurocities Annual Conference 2023, Leipzig. Delegates from Gothenburg, Bilbao, "
        "Ghent and Lublin met the Asian Development Bank and the Committee of the Regions. "
        "The cities of Surat, Pune and Chennai will join.",
        registry,
    )
    assert {"Leipzig", "Gothenburg", "Bilbao", "Lublin", "Surat", "Pune", "Chennai"} <= set(found)
    assert not {"Delegates", "Regions", "Bank", "Chennai will join", "Leipzig. Delegates"} & set(
        found
    ), found.keys()


@pytest.mark.django_db
def test_the_runs_are_in_the_admin(client, django_user_model, team):
    from intake.models import IntakeRun
    from sources.models import Source

    source = Source.objects.create(title="News", slug="news", text="Busan and Incheon.")
    run = IntakeRun.objects.create(source=source, status="failed", error="It broke.")
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.org", "x"))
    assert client.get("/admin/intake/intakerun/").status_code == 200
    assert client.get(f"/admin/intake/intakerun/{run.pk}/change/").status_code == 200


@pytest.mark.django_db
def test_a_failed_run_must_say_why(team):
    from django.db import IntegrityError

    from intake.models import IntakeRun
    from sources.models import Source

    source = Source.objects.create(title="News", slug="news", text="Busan.")
    with pytest.raises(IntegrityError):
        IntakeRun.objects.create(source=source, status="failed", error="")
