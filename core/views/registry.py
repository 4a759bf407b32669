"""Views an upper app adds to every record page of a model (as NetBox's ``register_model_view``).

An app that serves records of other apps (the History pages) registers its view for their
models in its ``AppConfig.ready()``; each app's urls.py includes ``get_model_urls(Model)``
under its record's address, so the base and the lower apps import no upper app.
"""

from django.urls import path

_views: dict[str, dict[str, tuple[str, type]]] = {}


def register_model_view(model, name: str, view_class, *, route: str | None = None) -> None:
    """Serve ``view_class.as_view(model=model)`` at ``<record's address>/<route>``.

    Named ``<model_name>_<name>`` in the app's URL namespace; ``route`` is ``<name>/``
    unless given.
    """
    _views.setdefault(model._meta.label_lower, {})[name] = (
        f"{name}/" if route is None else route,
        view_class,
    )


def get_model_urls(model) -> list:
    """Return the URL patterns registered for ``model``, to include under its record's address."""
    model_name = model._meta.model_name
    return [
        path(route, view_class.as_view(model=model), name=f"{model_name}_{name}")
        for name, (route, view_class) in _views.get(model._meta.label_lower, {}).items()
    ]
