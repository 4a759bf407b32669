"""Names in their own scripts: taken from the gazetteer, tagged by language, found by every
search (pages, API, suggestions, forms, admin) and shown beside the English name."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command

from cities.choices import AlternativeNameKind
from cities.forms import resolve_city
from cities.models import City, CityAlternativeName
from cities.names import other_script_names, script_of
from cities.services import city_names_add_from_gazetteer
from tests.factories import CityFactory

# GeoNames ids of the gazetteer's places.
HAT_YAI, KAOHSIUNG, SEOUL = 1610780, 1673820, 1835848


@pytest.fixture
def cities(db):
    found = {
        "hat-yai": CityFactory(name="Hat Yai", country="TH", geonames_id=HAT_YAI),
        "kaohsiung": CityFactory(name="Kaohsiung", country="TW", geonames_id=KAOHSIUNG),
        "seoul": CityFactory(name="Seoul", country="KR", geonames_id=SEOUL),
        # Names that share letters with the others, so a search must choose.
        "songkhla": CityFactory(name="Songkhla", country="TH"),
        "busan": CityFactory(name="Busan", country="KR"),
    }
    city_names_add_from_gazetteer()
    return found


def test_scripts_and_languages_come_from_the_characters_and_the_country():
    assert script_of("หาดใหญ่") == "Thai"
    assert script_of("ソウル特別市") == "Jpan"  # kana with kanji: Japanese
    assert script_of("Hat Yai") is None
    names = {n.name: n for n in other_script_names(["Hat Yai", "หาดใหญ่", "合艾", "핫야이"], "TH")}
    assert [(n.language, n.is_local) for n in names.values()] == [
        ("th", True),
        ("zh", False),
        ("ko", False),
    ]
    # Chinese characters in Japan may be kanji or Chinese: not tagged.
    (tokyo,) = other_script_names(["東京"], "JP")
    assert (tokyo.language, tokyo.is_local) == ("", True)


def test_gazetteer_names_are_added_once_with_the_local_one_marked(cities):
    hat_yai = cities["hat-yai"]
    names = {n.name: n for n in hat_yai.alternative_names.all()}
    assert {"หาดใหญ่", "合艾", "핫야이"} <= set(names)
    assert names["หาดใหญ่"].is_local and names["หาดใหญ่"].language == "th"
    assert names["合艾"].language == "zh" and names["핫야이"].language == "ko"
    assert names["핫야이"].kind == AlternativeNameKind.LOCAL
    assert cities["kaohsiung"].local_name.name == "高雄"
    assert cities["seoul"].local_name.name == "서울"
    # Again: nothing new; an officer's choice of local name stays.
    CityAlternativeName.objects.filter(city=hat_yai).update(is_local=False)
    CityAlternativeName.objects.filter(city=hat_yai, name="เทศบาลนครหาดใหญ่").update(is_local=True)
    assert city_names_add_from_gazetteer() == 0
    assert hat_yai.local_name.name == "เทศบาลนครหาดใหญ่"


def test_the_command_adds_the_names(db):
    city = CityFactory(name="Hat Yai", country="TH", geonames_id=HAT_YAI)
    call_command("add_city_names")
    assert city.alternative_names.filter(name="หาดใหญ่").exists()


def test_one_local_name_per_city_and_languages_as_codes(cities):
    extra = CityAlternativeName(city=cities["seoul"], name="Soul", is_local=True)
    with pytest.raises(ValidationError, match="untick that one first"):
        extra.full_clean()
    with pytest.raises(ValidationError, match="code such as th"):
        CityAlternativeName(city=cities["seoul"], name="Sol", language="Korean!").full_clean()


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("หาดใหญ่", "hat-yai"),
        ("合艾", "hat-yai"),
        ("핫야이", "hat-yai"),
        ("高雄", "kaohsiung"),
        ("서울", "seoul"),
    ],
)
def test_search_finds_a_city_by_its_name_in_any_script(cities, text, slug):
    found = list(City.objects.search(text)[:1])
    assert found == [cities[slug]]
    assert found[0].matched_name == text


def test_search_by_the_english_name_names_no_other(cities):
    (city,) = City.objects.search("Kaohsiung")[:1]
    assert city.matched_name is None


def test_city_list_and_site_search_show_the_name_searched_for(client, cities):
    page = client.get("/cities/", {"q": "高雄"}).content.decode()
    assert '>Kaohsiung</a> <span lang="zh" class="local-name">高雄</span>' in page
    page = client.get("/search/", {"q": "合艾"}).content.decode()
    assert ">Hat Yai</a>" in page
    assert 'found as “<span lang="und">合艾</span>”' in page


def test_api_search_answers_the_local_and_the_matched_name(client, cities):
    (first, *_) = client.get("/api/v1/cities/", {"q": "서울"}).json()["results"]
    assert (first["name"], first["local_name"], first["matched_name"]) == ("Seoul", "서울", "서울")
    (first, *_) = client.get("/api/v1/cities/", {"q": "合艾"}).json()["results"]
    assert (first["name"], first["matched_name"], first["local_name"]) == (
        "Hat Yai",
        "合艾",
        "หาดใหญ่",
    )
    assert {"name": "合艾", "kind": "local", "language": "zh", "is_local": False} in first[
        "alternative_names"
    ]


def test_city_page_shows_its_local_name_with_its_language(client, cities):
    page = client.get(f"/cities/{cities['hat-yai'].slug}/").content.decode()
    assert '<h1>Hat Yai <span lang="th" class="local-name">หาดใหญ่</span></h1>' in page
    assert '<span lang="ko">핫야이</span>' in page


def test_suggestions_and_form_fields_take_names_in_any_script(client, cities):
    response = client.get("/cities/suggest/", {"q": "高雄", "value": "slug"})
    assert response.text.startswith('<option value="kaohsiung">Kaohsiung (TW) 高雄</option>')
    response = client.get("/cities/suggest/", {"q": "หาดใหญ่"})
    assert response.text.startswith('<option value="Hat Yai (TH)">หาดใหญ่</option>')
    assert resolve_city("서울") == cities["seoul"]


def test_admin_finds_a_city_by_its_thai_name(client, cities):
    admin = get_user_model().objects.create_superuser("admin", "a@example.org", "pw-long-enough")
    client.force_login(admin)
    page = client.get("/admin/cities/city/", {"q": "หาดใหญ่"}).content.decode()
    assert "Hat Yai" in page and "Songkhla" not in page


def test_a_city_the_twin_cities_import_creates_is_found_by_its_local_name(client, tmp_path, db):
    # The importer adds the gazetteer's names through the same service as add_city_names.
    from cities.gazetteer import gazetteer
    from imports.twin_cities import TwinCitiesImporter

    path = tmp_path / "twins.csv"
    path.write_text(
        "city1,country1,lat1,lng1,city2,country2,lat2,lng2\n"
        "Kaohsiung,Taiwan,22.6163,120.3133,Hat Yai,Thailand,7.0084,100.4767\n",
        encoding="utf-8",
    )
    report = TwinCitiesImporter(path, gazetteer_factory=lambda: gazetteer(15000)).run()
    assert report.cities_created == 2
    assert report.names_in_other_scripts_added >= 2
    assert "Names in other scripts added" in "\n".join(report.lines())
    kaohsiung = City.objects.get(name="Kaohsiung")
    assert kaohsiung.geonames_id == KAOHSIUNG
    assert kaohsiung.local_name.name == "高雄"
    page = client.get("/cities/", {"q": "หาดใหญ่"}).content.decode()
    assert '>Hat Yai</a> <span lang="th" class="local-name">หาดใหญ่</span>' in page
    (first, *_) = client.get("/api/v1/cities/", {"q": "高雄"}).json()["results"]
    assert (first["name"], first["matched_name"]) == ("Kaohsiung", "高雄")
