"""The theme vocabulary: loaded by its migration, extended in the admin."""

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError
from django.urls import reverse

from themes.models import SustainableDevelopmentGoal, Theme


@pytest.fixture
def admin_client(client, db):
    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "pw"))
    return client


@pytest.mark.django_db
def test_migration_loads_the_17_sdgs_and_the_seed_themes_mapped_to_them():
    assert list(SustainableDevelopmentGoal.objects.values_list("number", flat=True)) == list(
        range(1, 18)
    )
    flood = Theme.objects.get(slug="flood-management")
    assert flood.parent.slug == "disaster-risk-reduction"
    assert 6 in flood.sdgs.values_list("number", flat=True)
    for slug in (
        "nature-based-solutions",
        "waste-circular-economy",
        "urban-mobility",
        "vector-control",
        "governance-sdg-localisation",
        "urban-finance",
    ):
        assert Theme.objects.get(slug=slug).sdgs.exists(), slug


def test_admin_adds_a_theme_mapped_to_an_sdg(admin_client):
    goal = SustainableDevelopmentGoal.objects.get(number=14)
    response = admin_client.post(
        reverse("admin:themes_theme_add"),
        {
            "slug": "coastal-management",
            "name": "Coastal management",
            "description": "",
            "parent": Theme.objects.get(slug="climate-change-adaptation").pk,
            "sdgs": [goal.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    theme = Theme.objects.get(slug="coastal-management")
    assert list(theme.sdgs.all()) == [goal]
    search = admin_client.get(reverse("admin:themes_theme_changelist"), {"q": "coastal"})
    assert "Coastal management" in search.content.decode()


def test_admin_refuses_a_theme_below_itself(admin_client):
    parent = Theme.objects.get(slug="public-health")
    child = Theme.objects.get(slug="vector-control")
    response = admin_client.post(
        reverse("admin:themes_theme_change", args=[parent.pk]),
        {"slug": parent.slug, "name": parent.name, "description": "", "parent": child.pk},
    )
    assert response.status_code == 200
    assert "not this one or below it" in response.content.decode()


@pytest.mark.django_db
def test_database_refuses_a_theme_its_own_parent():
    theme = Theme.objects.get(slug="housing")
    theme.parent_id = theme.pk
    with pytest.raises(IntegrityError):
        theme.save()
