"""Filter pieces every app's filtersets share (one filterset serves page and API)."""

import copy
import datetime

import django_filters
from django import forms
from django.core.validators import EMPTY_VALUES
from django.db.models import QuerySet
from django.http import QueryDict
from django_countries import countries
from django_filters.fields import IsoDateTimeField
from django_filters.filters import FilterMethod
from rest_framework.request import Request

from core.visibility import visible_to


def country_choices():
    """Return (ISO code, name) pairs for every country django-countries knows."""
    return list(countries)


class UTCIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 timestamp, converted to UTC (PostgreSQL refuses offsets past ±15:59)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError as error:
            raise forms.ValidationError(
                "Give a timestamp between the years 1 and 9999.", code="invalid"
            ) from error


class UTCIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCIsoDateTimeField


ANONYMOUS_FORM_CLASSES: dict = {}  # filterset class -> its form class for anonymous readers


class BaseFilterSet(django_filters.FilterSet):
    """A filterset with free-text ``q`` and ``modified_since`` for delta pulls.

    A filterset lists in ``distinct_filters`` the filters that cross a to-many relation;
    the queryset is made distinct only when one of them is in use. django-filter's choice
    filters would add DISTINCT to every query otherwise, and DISTINCT makes PostgreSQL
    read and sort every matching row before it can return the first page.
    """

    q = django_filters.CharFilter(
        method="search",
        label="Search",
        max_length=200,
        help_text="Free text (up to 200 characters); tolerant of case, accents and small "
        "misspellings.",
    )
    modified_since = UTCIsoDateTimeFilter(
        field_name="modified",
        lookup_expr="gte",
        label="Modified since",
        help_text="ISO 8601 timestamp, e.g. 2026-03-01T00:00:00Z: only records changed since.",
    )
    distinct_filters: set[str] = set()

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # django-filter's FilterSet.__init__, but each filter copied shallowly: its
        # ``copy.deepcopy(base_filters)`` copied every choice filter's queryset (its whole
        # query) and every list of choices, a fifth of a filtered API list's Python time.
        # What a filter changes per filterset is its own: the model, parent and
        # ``distinct`` below, ``extra`` (a choice filter puts the reader's queryset there)
        # and its method's binding.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: own_copy(f) for name, f in self.base_filters.items()}
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self
            filter_.distinct = False

    def get_form_class(self):
        """Return the form class; anonymous readers' is built once per process.

        Building it makes every filter's form field (the 250 countries' choices, each
        relation's choices for the reader): a quarter of a short API list's time. Every
        anonymous reader gets the same fields, whose choices are querysets read when a
        form validates or renders, so theirs is kept; a signed-in reader's choices depend
        on who they are and are built for them.
        """
        user = user_of(self.request)
        if user is not None and user.is_authenticated:
            return super().get_form_class()
        form_class = ANONYMOUS_FORM_CLASSES.get(type(self))
        if form_class is None:
            form_class = super().get_form_class()
            form_class.idle_when_absent = idle_when_absent(form_class)
            ANONYMOUS_FORM_CLASSES[type(self)] = form_class
        return form_class

    @property
    def form(self):
        """The filter form; an API read's holds only the fields its query string gives.

        A form deep-copies every field it has (each choice field its queryset): for an
        API list with one filter that was a third of its Python time. The API never
        renders the form, and a field whose widget reads from the query string what it
        reads from an empty one cleans to a value that filters nothing, so it is left
        out; a field whose empty value does filter (or is refused) stays
        (``idle_when_absent``). Pages render the whole panel. Signed-in readers' form
        classes are built per request, and keep every field.
        """
        if not hasattr(self, "_form"):
            form_class = self.get_form_class()
            idle = getattr(form_class, "idle_when_absent", None)
            if not (self.is_bound and idle and isinstance(self.request, Request)):
                return super().form
            form = form_class.__new__(form_class)
            # BaseForm.__init__ copies ``self.base_fields``: the instance's, the given ones.
            form.base_fields = {
                name: field
                for name, field in form_class.base_fields.items()
                if name not in idle
                or field.widget.value_from_datadict(
                    self.data, {}, f"{self.form_prefix}-{name}" if self.form_prefix else name
                )
                != idle[name]
            }
            form.__init__(self.data, prefix=self.form_prefix)
            self._form = form
        return self._form

    def filter_queryset(self, queryset):
        # Only the filters in use: an unused relation filter's empty value is a queryset,
        # and handing each one to django-filter costs a few milliseconds per request.
        used = {name: value for name, value in self.form.cleaned_data.items() if in_use(value)}
        for name, value in used.items():
            queryset = self.filters[name].filter(queryset, value)
        return queryset.distinct() if used.keys() & self.distinct_filters else queryset

    def search(self, queryset, name, value):
        raise NotImplementedError

    @classmethod
    def add_filters(cls, filters: dict, *, distinct=(), methods=None) -> None:
        """Add filters that only an app above this filterset's knows (a city list's
        programme), from that app's ``AppConfig.ready()``, so this app imports nothing of it.

        ``distinct`` names those crossing a to-many relation; ``methods`` are the
        filterset methods they name (``method=``), as functions of the filterset.
        """
        cls.base_filters.update(filters)
        cls.distinct_filters = set(cls.distinct_filters) | set(distinct)
        for name, method in (methods or {}).items():
            setattr(cls, name, method)


def idle_when_absent(form_class) -> dict:
    """Return, for each of ``form_class``'s fields that filters nothing when its parameter
    is absent, what its widget reads from an empty query string.

    A field whose widget reads that same value from a request's query string (whatever
    the widget's own parameter names, ``_min``/``_max`` and so on) cleans to a value not
    in use there too. A field whose empty value filters, or is refused, is not idle.
    """
    empty = QueryDict()
    idle = {}
    for name, field in form_class.base_fields.items():
        raw = field.widget.value_from_datadict(empty, {}, name)
        try:
            value = field.clean(raw)
        except forms.ValidationError:
            continue  # required: absent is an error, which the form must say
        if not in_use(value):
            idle[name] = raw
    return idle


def own_copy(filter_):
    """Return a copy of ``filter_`` whose per-filterset state is its own."""
    copied = copy.copy(filter_)
    copied.extra = dict(filter_.extra)
    if isinstance(filter_.__dict__.get("filter"), FilterMethod):
        copied.filter = FilterMethod(copied)
    return copied


def in_use(value) -> bool:
    """Whether a filter's cleaned value filters anything (django-filter's own test)."""
    if isinstance(value, QuerySet):
        return not value.query.is_empty()
    return value not in EMPTY_VALUES


class SlugMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Records chosen by slug in the URL, filtered on the related records themselves.

    django-filter would compare the relation (an id) with the slug text otherwise.
    """

    def get_filter_predicate(self, v):
        return {self.field_name: v}


def user_of(request):
    """Return the user a filterset filters for (None, read as anonymous, without one)."""
    return getattr(request, "user", None)


def visible_choices(model):
    """Return the choices of a filter by ``model`` records: those the request's user may
    see. Another is unknown, as its page is a 404 (a filter must not tell it exists)."""

    def choices(request):
        return visible_to(user_of(request), model.objects.all())

    return choices


def related_filters(
    field_name: str, model, *, label: str, slug_field: str = "slug", method: str | None = None
):
    """Return the pair of filters for a relation: by id (``<name>_id``) and by slug.

    ``method`` names the filterset method that filters by the chosen records (both
    filters call it), e.g. with a sub-select of ids instead of a join across a to-many
    relation.
    """
    extra = {"method": method} if method else {}
    return (
        django_filters.ModelMultipleChoiceFilter(
            field_name=field_name,
            queryset=visible_choices(model),
            label=f"{label} (id)",
            help_text=f"{label} id; repeat the parameter for several.",
            **extra,
        ),
        SlugMultipleChoiceFilter(
            field_name=field_name,
            queryset=visible_choices(model),
            to_field_name=slug_field,
            label=label,
            help_text=f"{label} slug; repeat the parameter for several.",
            **extra,
        ),
    )


class StrictBooleanField(forms.Field):
    """A yes/no filter value that refuses anything else ("maybe" is an error, not "any")."""

    widget = forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")])
    TRUE, FALSE = {"true", "1", "yes"}, {"false", "0", "no"}

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError("Use true or false.", code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField
