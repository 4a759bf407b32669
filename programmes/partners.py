"""Partner suggestions: rank cities that could partner a city on a theme, and say why.

Officers find partners by memory and e-mail today. This ranks candidate cities for a
city and a thematic stream (or a free-text need such as "sponge city flood retention")
from what the registry knows:

- experience: pairings and activities the candidate took part in on the same stream, or
  on streams and activities whose text matches the need (leading counts more than being
  a potential partner);
- what the city asks for: its streams' key priorities against the candidate's activities;
- shared network memberships (a CityNet member knows the CityNet way of working);
- and distance, for information and for the optional filters.

Each suggestion carries its reasons in words ("led 2 flood pairings; CityNet member;
1,230 km away"). The weights are plain numbers below, kept simple enough to explain.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Q

from activities.models import Activity
from cities.models import City
from programmes.choices import ParticipantRole
from programmes.models import Membership, PairingParticipant, StreamPriority, ThematicStream

# Points per piece of evidence.
WEIGHT_LED_PAIRING = 3.0  # pilot, partner, mentor, chair: the city did the work
WEIGHT_OTHER_PAIRING = 1.0  # potential partner, learner, participant
WEIGHT_ACTIVITY = 1.0
WEIGHT_PRIORITY_MATCH = 1.5
WEIGHT_SHARED_NETWORK = 0.5
ACTIVE_ROLES = {
    ParticipantRole.PILOT,
    ParticipantRole.PARTNER,
    ParticipantRole.MENTOR,
    ParticipantRole.CHAIR,
}


@dataclass(frozen=True)
class PartnerFilters:
    """Optional limits on the candidates."""

    exclude_same_country: bool = False
    countries: tuple[str, ...] = ()  # only these ISO codes, if given
    min_distance_km: float | None = None
    max_distance_km: float | None = None
    min_population: int | None = None
    max_population: int | None = None


@dataclass
class Suggestion:
    """A candidate partner city, its score and the reasons for it."""

    city: City
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    distance_km: float | None = None

    @property
    def explanation(self) -> str:
        return "; ".join(self.reasons)


def distance_km(a: City, b: City) -> float | None:
    """Return the great-circle distance between two cities, if both have coordinates."""
    if not (a.has_coordinates and b.has_coordinates):
        return None
    lat1, lon1, lat2, lon2 = map(
        math.radians, map(float, (a.latitude, a.longitude, b.latitude, b.longitude))
    )
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _theme_word(stream: ThematicStream | None, need: str) -> str:
    """Return a short word for the theme, for the reasons ("flood", "waste")."""
    if need:
        return f"“{need}”"
    return f"“{stream.name}”" if stream else "related"


def _matching_streams(need: str):
    """Return the streams whose name, description or priorities match a free-text need."""
    query = SearchQuery(need, search_type="websearch", config="english")
    by_text = ThematicStream.objects.annotate(
        document=SearchVector("name", "description", config="english")
    ).filter(document=query)
    by_priority = StreamPriority.objects.annotate(
        document=SearchVector("text", config="english")
    ).filter(document=query)
    return ThematicStream.objects.filter(
        Q(pk__in=by_text.values("pk")) | Q(pk__in=by_priority.values("stream_id"))
    )


def _matching_activities(text: str):
    query = SearchQuery(text, search_type="websearch", config="english")
    return Activity.objects.annotate(
        document=SearchVector("title", "description", "outcomes", config="english")
    ).filter(document=query)


def suggest_partners(
    *,
    city: City,
    stream: ThematicStream | None = None,
    need: str = "",
    filters: PartnerFilters | None = None,
    limit: int = 20,
) -> list[Suggestion]:
    """Rank candidate partner cities for ``city`` on ``stream`` and/or a free-text ``need``."""
    filters = filters or PartnerFilters()
    need = (need or "").strip()
    if stream is None and not need:
        raise ValueError("Give a thematic stream or describe the need.")
    theme = _theme_word(stream, need)

    streams = ThematicStream.objects.none()
    if stream is not None:
        streams = ThematicStream.objects.filter(pk=stream.pk)
    if need:
        streams = ThematicStream.objects.filter(
            Q(pk__in=streams.values("pk")) | Q(pk__in=_matching_streams(need).values("pk"))
        )

    suggestions: dict[int, Suggestion] = {}
    evidence: dict[int, Counter] = defaultdict(Counter)

    # Pairings on the theme, by role.
    participations = (
        PairingParticipant.objects.filter(pairing__stream__in=streams)
        .exclude(city=city)
        .values_list("city_id", "role")
    )
    for city_id, role in participations:
        kind = "led" if role in ACTIVE_ROLES else "other"
        evidence[city_id][kind] += 1

    # Activities on the theme (in the stream, or whose text matches the need).
    activity_filter = Q(stream__in=streams)
    if need:
        activity_filter |= Q(pk__in=_matching_activities(need).values("pk"))
    themed_activities = Activity.objects.filter(activity_filter)
    for city_id in themed_activities.values_list("cities", flat=True):
        if city_id and city_id != city.pk:
            evidence[city_id]["activity"] += 1

    # What the city asks for: the priorities of its own streams, against candidates' work.
    own_priorities = list(
        StreamPriority.objects.filter(stream__pairings__participants__city=city)
        .filter(stream__in=streams)
        .values_list("text", flat=True)
        .distinct()
    )
    if own_priorities:
        asked = " or ".join(own_priorities)
        for city_id in _matching_activities(asked).values_list("cities", flat=True):
            if city_id and city_id != city.pk:
                evidence[city_id]["priority"] += 1

    # Shared networks.
    own_networks = set(city.memberships.values_list("network_id", flat=True))
    shared: dict[int, list[str]] = defaultdict(list)
    if own_networks:
        for city_id, acronym, name in (
            Membership.objects.filter(network_id__in=own_networks, city__isnull=False)
            .exclude(city=city)
            .values_list("city_id", "network__acronym", "network__name")
        ):
            shared[city_id].append(acronym or name)

    candidate_ids = set(evidence) | set(shared)
    candidates = City.objects.filter(pk__in=candidate_ids)
    if filters.exclude_same_country:
        candidates = candidates.exclude(country=city.country)
    if filters.countries:
        candidates = candidates.filter(country__in=filters.countries)
    if filters.min_population is not None:
        candidates = candidates.filter(population__gte=filters.min_population)
    if filters.max_population is not None:
        candidates = candidates.filter(population__lte=filters.max_population)

    for candidate in candidates:
        found = evidence[candidate.pk]
        suggestion = Suggestion(city=candidate)
        if found["led"]:
            suggestion.score += WEIGHT_LED_PAIRING * found["led"]
            suggestion.reasons.append(f"led {_plural(found['led'], f'{theme} pairing')}")
        if found["other"]:
            suggestion.score += WEIGHT_OTHER_PAIRING * found["other"]
            suggestion.reasons.append(
                f"named in {_plural(found['other'], f'{theme} pairing')} as potential partner"
                " or learner"
            )
        if found["activity"]:
            suggestion.score += WEIGHT_ACTIVITY * found["activity"]
            suggestion.reasons.append(
                f"took part in {_plural(found['activity'], f'{theme} activity')}".replace(
                    "activitys", "activities"
                )
            )
        if found["priority"]:
            suggestion.score += WEIGHT_PRIORITY_MATCH * found["priority"]
            suggestion.reasons.append(
                f"{_plural(found['priority'], 'activity')} matching "
                f"{city.name}'s priorities".replace("activitys", "activities")
            )
        if shared[candidate.pk]:
            suggestion.score += WEIGHT_SHARED_NETWORK * len(shared[candidate.pk])
            suggestion.reasons.append(
                " and ".join(sorted(set(shared[candidate.pk]))) + " member, like " + city.name
            )
        suggestion.distance_km = distance_km(city, candidate)
        if suggestion.distance_km is not None:
            if (
                filters.min_distance_km is not None
                and suggestion.distance_km < filters.min_distance_km
            ):
                continue
            if (
                filters.max_distance_km is not None
                and suggestion.distance_km > filters.max_distance_km
            ):
                continue
            suggestion.reasons.append(f"{suggestion.distance_km:,.0f} km away")
        elif filters.min_distance_km is not None or filters.max_distance_km is not None:
            continue  # distance unknown: cannot honour a distance filter
        if suggestion.score > 0:
            suggestions[candidate.pk] = suggestion

    ranked = sorted(
        suggestions.values(),
        key=lambda s: (-s.score, s.distance_km if s.distance_km is not None else 1e9, s.city.name),
    )
    return ranked[:limit]
