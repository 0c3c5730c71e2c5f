"""Send dashboard and export reads to a read replica when DATABASE_REPLICA_URL is set.

Reads opt in with `using(read_db())` (the dashboard engine and exports); everything else, and every write,
goes to "default". Without a replica configured, read_db() is "default".
"""

from django.conf import settings


def read_db() -> str:
    return "replica" if "replica" in settings.DATABASES else "default"


class ReplicaRouter:
    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
