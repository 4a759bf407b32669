"""The base every app builds on; it imports no app of the project.

Abstract models, dates with a precision, estimated counts, concurrency, visibility as a
QuerySet protocol, the write side of the change history, bad input and outages, the API
base (``core.api``) and the page view bases (``core.views``). Where the base needs what
only an app knows (the programmes a user manages, how a filter panel narrows its choices,
a record's history in the API), the app fills a hook from its ``AppConfig.ready()``.
"""
