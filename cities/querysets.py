"""Reusable reads over cities."""

from django.apps import apps
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When, Window
from django.db.models.functions import Greatest, Upper
from django.db.models.lookups import Contains, Exact, GreaterThan, StartsWith


class Unaccent(models.Func):
    """``immutable_unaccent(text)``: PostgreSQL's unaccent, declared IMMUTABLE so that
    indexes can be built on it (cities migration 0003 creates the function)."""

    function = "immutable_unaccent"
    output_field = models.TextField()


class SearchKey(models.Func):
    """``city_search_key(text)``: the text without case, accents, spaces or punctuation
    ("Hat Yai" and "Hatyai" → HATYAI); NULL when nothing is left (cities migration 0004)."""

    function = "city_search_key"
    output_field = models.TextField()


class SoundKey(models.Func):
    """``city_sound_key(text)``: the search key with common romanisation variants made one
    (ph/f, v/w, ou/u, ee/i, j/ch, kh/k, b/p, doubled letters…): "Vichit" and "Wichit" →
    VIJIT (cities migration 0004)."""

    function = "city_sound_key"
    output_field = models.TextField()


class Neighbours(models.Func):
    """``city_search_key_neighbours(key)``: ``key`` and the keys one slip away from it that
    a trigram index can miss: every one for a key of 3 or 4 characters (a letter left out,
    added, changed, two swapped), the swaps for a longer one."""

    function = "city_search_key_neighbours"
    output_field = ArrayField(models.TextField())


class NameScore(models.Func):
    """``city_name_score(search_key, sound_key, key, sound)``: how well a name matches the
    text searched for, 0 to 4: 3 for the same name, 1.5 for one slip apart, 1.2 when the
    text starts the name, 0.5 when it is inside, plus the trigram similarity of their
    keys (cities migrations 0004 and 0005 say why)."""

    function = "city_name_score"
    output_field = models.FloatField()


class ArrayOf(models.Func):
    """``ARRAY(subquery)``: the subquery's rows, computed once before the outer query."""

    template = "ARRAY(%(expressions)s)"
    output_field = ArrayField(models.BigIntegerField())


class Cardinality(models.Func):
    """``cardinality(array)``: how many items an array holds."""

    function = "cardinality"
    output_field = models.IntegerField()


class IsAnyOf(models.Func):
    """``value = ANY(array)``: a B-tree index on ``value`` answers it, one probe per item."""

    arg_joiner = " = ANY("
    template = "(%(expressions)s))"
    output_field = models.BooleanField()


def folded(expression) -> Upper:
    """Return ``expression`` without accents, upper-cased: the form the search indexes hold."""
    return Upper(Unaccent(expression))


def contains_folded(text: str, *fields: str) -> Q:
    """Return the condition "one of ``fields`` contains ``text``", case and accents aside.

    Written on ``folded(field)``, the form a trigram index can hold (``GinIndex(OpClass(
    folded(field), name="gin_trgm_ops"))``), so that an index answers it; ``unaccent`` on
    the column, as ``field__unaccent__icontains`` writes it, makes PostgreSQL read every row.
    """
    wanted = folded(Value(text))
    condition = Q()
    for field in fields:
        condition |= Q(Contains(folded(field), wanted))
    return condition


SHORTEST_INSIDE = 3  # letters a text needs to be looked for inside names
LONGEST_TEXT = 200  # characters of the text searched for: as long as a name can be


class NameMatch:
    """The conditions and the score of a search for ``text`` over a table of names (its
    ``search_key`` and ``sound_key`` columns), each condition answered by an index."""

    def __init__(self, text: str):
        # One or two letters are inside too many names to say anything: they match the
        # start of a name only (an index cannot look for them inside one either).
        self.inside = sum(character.isalnum() for character in text) >= SHORTEST_INSIDE
        self.text = text
        self.key = SearchKey(Value(text))
        self.sound = SoundKey(Value(text))
        self.neighbours = Neighbours(self.key)

    def names(self) -> Q:
        """Return "the name contains the text" (starts with it, for one or two letters)."""
        found_in = Contains if self.inside else StartsWith
        return Q(found_in(F("search_key"), self.key))

    def condition(self) -> Q:
        """Return "the name contains the text, is one slip from it, or is like it"."""
        return (
            self.names()
            | Q(IsAnyOf(F("search_key"), self.neighbours))
            # Trigram similarity of at least pg_trgm.similarity_threshold (0.3, PostgreSQL's
            # default, measured best: lower is slower for nothing, higher misses a changed
            # letter in a name of five to seven; docs/search.md).
            | Q(search_key__trigram_similar=self.key)
            | Q(Exact(F("sound_key"), self.sound))
        )

    def score(self) -> NameScore:
        """Return how well the name matches the text (``NameScore``)."""
        return NameScore(F("search_key"), F("sound_key"), self.key, self.sound)


# Best match first; among equals (namesakes), the larger city.
RELEVANCE = (F("match_score").desc(), F("population").desc(nulls_last=True), "name", "country")

CITY_IDS = ArrayField(models.BigIntegerField())


class CityQuerySet(models.QuerySet):
    def search(self, text: str):
        """Return the cities whose name, alternative name or administrative area matches
        ``text``, best match first, each with its ``match_score``.

        Tolerates case, accents, spaces and punctuation ("Hatyai" finds Hat Yai), one
        slip of a letter ("Surbaya" finds Surabaya) and romanisation variants ("Vichit"
        finds Wichit, "Pusan" Busan); see docs/search.md for how often. Every condition
        is answered by an index (trigram indexes and B-trees on the stored keys): no
        table is read in full.
        """
        CityAlternativeName = apps.get_model("cities", "CityAlternativeName")
        text = (text or "").strip()[:LONGEST_TEXT]
        if not text:
            return self
        match = NameMatch(text)
        best_alternative_name = (
            CityAlternativeName.objects.filter(city=OuterRef("pk"))
            .order_by()
            .values("city")
            .annotate(best=models.Max(match.score()))
            .values("best")
        )
        # The name the reader searched for, when it is another name than the city's own
        # ("高雄" for Kaohsiung), to show beside it.
        own_score = NameScore(OuterRef("search_key"), OuterRef("sound_key"), match.key, match.sound)
        matched_name = (
            CityAlternativeName.objects.filter(city=OuterRef("pk"))
            .annotate(score=match.score())
            .filter(score__gt=own_score)
            .order_by("-score", "name")
            .values("name")[:1]
        )
        return (
            self.filter(IsAnyOf(F("pk"), self._ids_where(match, match.condition())))
            # PostgreSQL's GREATEST skips the NULL of a city without alternative names.
            .annotate(
                match_score=Greatest(match.score(), Subquery(best_alternative_name)),
                matched_name=Subquery(matched_name),
            )
            .order_by(*RELEVANCE)
        )

    def with_local_names(self):
        """Annotate each city with ``local_name`` and ``local_language``: its name shown as
        the local one, if it has one."""
        return self.annotate(**local_name_of("pk"))

    def meant_by(self, text: str):
        """Return the cities ``text`` names, or the closest spellings if it names none.

        What searches of other records (pairings, activities, memberships) go through: a
        city whose name, alternative name or area contains the text, case, accents, spaces
        and punctuation aside; failing that, the best matches of ``search`` (namesakes
        tie), so "Surbaya" means Surabaya but "Bangkok" does not also mean Bangko.
        """
        text = (text or "").strip()[:LONGEST_TEXT]
        if not text:
            return self
        match = NameMatch(text)
        named = self._ids_where(match, match.names())
        found = self.model.objects.search(text)
        best = found.annotate(best_score=Window(models.Max("match_score"))).filter(
            match_score=F("best_score")
        )
        # PostgreSQL runs the search only when no name contains the text.
        meant = Case(
            When(GreaterThan(Cardinality(named), 0), then=named),
            default=ArrayOf(best.values("pk")),
            output_field=CITY_IDS,
        )
        return self.filter(IsAnyOf(F("pk"), meant))

    def _ids_where(self, match: NameMatch, condition: Q):
        """Return the ids of the cities whose name or alternative name meets ``condition``
        (or whose administrative area contains the text) as one array.

        ``pk = ANY(ARRAY(…) || ARRAY(…))``, not ``pk IN (… UNION …)``: PostgreSQL then
        reads the few matches by primary key rather than hash them against every city,
        which it does when it cannot tell how few one-slip neighbours there are.
        """
        CityAlternativeName = apps.get_model("cities", "CityAlternativeName")
        in_area = contains_folded(match.text, "admin_area") if match.inside else Q()
        by_name = self.model.objects.order_by().filter(condition | in_area).values("pk")
        by_alternative_name = (
            CityAlternativeName.objects.order_by().filter(condition).values("city_id")
        )
        return models.Func(
            ArrayOf(by_name),
            ArrayOf(by_alternative_name),
            template="(%(expressions)s)",
            arg_joiner=" || ",
            output_field=CITY_IDS,
        )


def local_name_of(city: str, prefix: str = "") -> dict:
    """Return the annotations ``<prefix>local_name`` and ``<prefix>local_language`` of the
    city whose id is the field ``city`` (``"pk"`` on cities, ``"city_id"`` on a record
    naming one): its name shown as the local one, if it has one."""
    from cities.models import CityAlternativeName

    local = CityAlternativeName.objects.filter(city=OuterRef(city), is_local=True)
    return {
        f"{prefix}local_name": Subquery(local.values("name")[:1]),
        f"{prefix}local_language": Subquery(local.values("language")[:1]),
    }
