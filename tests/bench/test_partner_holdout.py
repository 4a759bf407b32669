"""The held-out check of partner suggestions (``bench/partner_holdout.py``) on a small
registry: a pairing hidden and rolled back, its partner found among the suggestions."""

import random

import pytest

from bench.partner_holdout import TWINS, check_one, paired_cities
from programmes.models import Pairing
from tests.factories import CityFactory, PairingFactory, ProgrammeFactory


@pytest.mark.django_db
def test_a_hidden_twin_is_found_through_the_partners_it_shares():
    twinning = ProgrammeFactory(slug=TWINS, name="Twin towns")
    city, hidden, a, b = (CityFactory(name=n) for n in ("Nordhaven", "Linked", "Kestrel", "Namura"))
    hidden_pairing = PairingFactory(programme=twinning, cities=[city, hidden])
    for partner in (a, b):
        PairingFactory(programme=twinning, cities=[city, partner])
        PairingFactory(programme=twinning, cities=[hidden, partner])
    picks = paired_cities(50, random.Random(1))
    assert city.pk in {pick[0] for pick in picks}
    result = check_one(city.pk, hidden_pairing.pk, random.Random(1))
    assert result["hit"] and result["rank"] == 1
    assert "partner city of Kestrel, Namura, Nordhaven's partners" in result["reasons"]
    assert 0 < result["random_hit_probability"] <= 1
    # The hidden pairing is back.
    assert Pairing.objects.filter(pk=hidden_pairing.pk).exists()
