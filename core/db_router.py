"""Send reads to a read replica when one is configured (``DATABASE_REPLICA_URL``).

Reads inside a transaction (every write path is one: services, form saves, API writes,
row locks for concurrency checks) stay on the primary, so a write never works from a
lagging copy; other reads go to the replica. Migrations run on the primary only.
Without a replica Django never consults this router.
"""

from django.db import connections


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return "default" if connections["default"].in_atomic_block else "replica"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
