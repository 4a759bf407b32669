"""The digest e-mail: an officer's My-work items that changed since their last digest.

An item changed when it was not in the last digest or its record was modified since it
was sent. Digests go at 08:00 in each officer's time zone (Mondays for weekly ones); a
periodic job (``tasks.py``) sends the due ones, each once per period: the period is
recorded in the same transaction as the sending, under a row lock.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from digests.choices import DigestFrequency
from digests.models import DigestPreference
from followup.services import my_work
from programmes.choices import StaffRole

SEND_HOUR = 8


def period_of(frequency: str, local: datetime.datetime) -> str | None:
    """Return the digest period ``local`` falls in, or None before it is due (08:00, on
    Mondays for weekly digests)."""
    if frequency == DigestFrequency.OFF or local.hour < SEND_HOUR:
        return None
    if frequency == DigestFrequency.DAILY:
        return local.date().isoformat()
    if local.weekday() != 0:
        return None
    year, week, _ = local.isocalendar()
    return f"{year}-W{week:02d}"


def item_key(section, item) -> str:
    return f"{section.key}:{item.kind}:{item.record.pk}"


def changed_sections(work, since, last_keys: set) -> list[tuple]:
    """Return (section, items) for the sections with items new or modified since."""
    changed = []
    for section in work.sections:
        if section.key == "programmes":
            continue
        items = [
            item
            for item in section.items
            if item_key(section, item) not in last_keys
            or (since and getattr(item.record, "modified", since) > since)
        ]
        if items:
            changed.append((section, items))
    return changed


def digest_for(preference: DigestPreference, now: datetime.datetime) -> dict | None:
    """Return the digest's subject, text and item keys, or None when nothing changed."""
    with timezone.override(zoneinfo.ZoneInfo(preference.time_zone)):
        work = my_work(preference.user, now=now)
        sections = changed_sections(work, preference.last_sent_at, set(preference.last_items or []))
        keys = [
            item_key(s, item) for s in work.sections for item in s.items if s.key != "programmes"
        ]
        if not sections:
            return {"keys": keys, "subject": None, "text": None}
        count = sum(len(items) for _, items in sections)
        context = {
            "user": preference.user,
            "preference": preference,
            "sections": sections,
            "today": work.today,
            "count": count,
            "open_count": work.count,
            "site": settings.REGISTRY_URL.rstrip("/"),
        }
        text = render_to_string("digests/digest_email.txt", context)
    noun = "item" if count == 1 else "items"
    return {"keys": keys, "subject": f"Your registry digest: {count} {noun} changed", "text": text}


def officers():
    """Return the users who get digests: programme officers with an e-mail address."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, network_roles__role=StaffRole.OFFICER)
        .exclude(email="")
        .distinct()
    )


def send_due_digests(now: datetime.datetime | None = None) -> int:
    """Send every digest due at ``now`` that was not sent for its period; return how many
    e-mails went out."""
    now = now or timezone.now()
    for user in officers().filter(digest_preference__isnull=True):
        DigestPreference.objects.get_or_create(user=user)
    sent = 0
    preferences = DigestPreference.objects.filter(user__in=officers()).exclude(
        frequency=DigestFrequency.OFF
    )
    for preference_id in preferences.values_list("pk", flat=True):
        sent += send_digest(preference_id, now)
    return sent


def send_digest(preference_id: int, now: datetime.datetime) -> int:
    """Send one officer's digest if due and not yet sent for its period (1 if sent)."""
    with transaction.atomic():
        preference = (
            DigestPreference.objects.select_for_update(skip_locked=True)
            .select_related("user")
            .filter(pk=preference_id)
            .first()
        )
        if preference is None:
            return 0  # another worker is sending it
        local = now.astimezone(zoneinfo.ZoneInfo(preference.time_zone))
        period = period_of(preference.frequency, local)
        if period is None or period == preference.last_period:
            return 0
        digest = digest_for(preference, now)
        if digest["subject"]:
            send_mail(digest["subject"], digest["text"], None, [preference.user.email])
        preference.last_period = period
        preference.last_sent_at = now
        preference.last_items = digest["keys"]
        preference.save(update_fields=["last_period", "last_sent_at", "last_items"])
        return 1 if digest["subject"] else 0
