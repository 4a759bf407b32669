import pytest
from django.core.exceptions import ValidationError
from django.db.models import Q

from core.constraints import check_exactly_one, exactly_one_of


class Record:
    def __init__(self, **ids):
        for name in ("city", "network", "programme"):
            setattr(self, f"{name}_id", ids.get(name))


def test_exactly_one_of_two_sets_one_and_clears_the_other():
    rule = exactly_one_of("city", "network", name="x", message="m")
    assert rule.condition == Q(city__isnull=False, network__isnull=True) | Q(
        city__isnull=True, network__isnull=False
    )


def test_exactly_one_of_three_allows_each_one_alone():
    rule = exactly_one_of("city", "network", "programme", name="x", message="m")
    assert len(rule.condition.children) == 3
    assert Q(city__isnull=True, network__isnull=True, programme__isnull=False) in (
        rule.condition.children
    )


@pytest.mark.parametrize("ids", [{}, {"city": 1, "network": 2}, {"city": 1, "programme": 3}])
def test_check_exactly_one_names_the_first_field(ids):
    with pytest.raises(ValidationError) as caught:
        check_exactly_one(Record(**ids), "city", "network", "programme", message="Choose one.")
    assert caught.value.message_dict == {"city": ["Choose one."]}


def test_check_exactly_one_accepts_one():
    check_exactly_one(Record(network=2), "city", "network", "programme", message="Choose one.")
