"""The partner request's model: moved from programmes with its tables, history and grants."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection

from history.reading import record_events
from partners.models import PartnerRequest
from tests import factories

pytestmark = pytest.mark.django_db


def test_partner_requests_keep_their_tables_and_history():
    request = PartnerRequest.objects.create(city=factories.CityFactory(), theme="flood")
    request.theme = "flood retention"
    request.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT theme FROM programmes_partnerrequest WHERE id = %s", [request.pk])
        assert cursor.fetchone() == ("flood retention",)
        cursor.execute(
            "SELECT pgh_label FROM programmes_partnerrequestevent WHERE pgh_obj_id = %s "
            "ORDER BY pgh_id",
            [request.pk],
        )
        assert [row[0] for row in cursor.fetchall()] == ["insert", "update"]
    assert [event.pgh_label for event in record_events(request)] == ["update", "insert"]


def test_permissions_on_partner_requests_are_the_partners_apps(django_user_model):
    user = django_user_model.objects.create_user("poster")
    user.user_permissions.add(Permission.objects.get(codename="add_partnerrequest"))
    user = django_user_model.objects.get(pk=user.pk)
    assert user.has_perm("partners.add_partnerrequest")
    assert not user.has_perm("programmes.add_partnerrequest")
