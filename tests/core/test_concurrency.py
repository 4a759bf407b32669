"""Two officers editing one pairing: the second save is refused, nothing is lost.

These tests race real concurrent writers (threads with their own connections) against
PostgreSQL; no simulation.
"""

import threading

import pytest
from django.db import close_old_connections, connection, transaction

from core.concurrency import ConflictError, lock_for_update, version_of
from programmes.models import Pairing
from tests.factories import PairingFactory


def save_title(pairing_pk, read_version, title, barrier, outcome):
    """One officer's save: wait for the other, then save with the version they read."""
    try:
        barrier.wait(timeout=10)
        with transaction.atomic():
            pairing = Pairing.objects.get(pk=pairing_pk)
            current = lock_for_update(pairing, read_version)
            current.title = title
            current.save()
        outcome[title] = "saved"
    except ConflictError as conflict:
        outcome[title] = conflict
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_second_concurrent_save_is_refused_and_first_is_kept():
    pairing = PairingFactory(title="Taichung – Prato")
    read_version = version_of(pairing)  # both officers opened the form at this version
    barrier = threading.Barrier(2)
    outcome = {}
    threads = [
        threading.Thread(target=save_title, args=(pairing.pk, read_version, t, barrier, outcome))
        for t in ("Taichung – Prato textile recycling", "Taichung – Prato circular textiles")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    close_old_connections()

    saved = [title for title, result in outcome.items() if result == "saved"]
    refused = [result for result in outcome.values() if isinstance(result, ConflictError)]
    assert len(saved) == 1 and len(refused) == 1, outcome
    pairing.refresh_from_db()
    assert pairing.title == saved[0]  # the first write is intact
    change = refused[0].changes[0]
    assert change.field == "title"
    assert change.after == saved[0]  # the refused officer is shown what changed
    assert "Someone else saved this pairing" in str(refused[0])


@pytest.mark.django_db
def test_save_at_the_current_version_goes_through():
    pairing = PairingFactory(title="Lalitpur – Makati")
    with transaction.atomic():
        current = lock_for_update(pairing, version_of(pairing))
        current.title = "Lalitpur – Makati dengue consultation"
        current.save()
    pairing.refresh_from_db()
    assert pairing.title == "Lalitpur – Makati dengue consultation"
