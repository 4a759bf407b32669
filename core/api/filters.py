"""The filter backend of every list: the app's filterset, then a stable ordering."""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

NUL_MESSAGE = "Remove the NUL character (\\x00): it cannot be stored or searched."


class RegistryFilterBackend(DjangoFilterBackend):
    """The app's filterset (the one the pages use), then an ordering that ends with ``id``.

    Invalid filter values answer 400 with a message per parameter.
    """

    def filter_queryset(self, request, queryset, view):
        for name, values in request.query_params.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                raise ValidationError({name.replace("\x00", ""): [NUL_MESSAGE]})
        queryset = super().filter_queryset(request, queryset, view)
        ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
        if not ordering or str(ordering[-1]).lstrip("-") not in {"id", "pk"}:
            queryset = queryset.order_by(*ordering, "id")
        return queryset
