from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Đơn vị hành chính")

    def ready(self):
        # Every SQLite connection learns the collation "vi" that names are ordered with; PostgreSQL has it from
        # units/migrations/0002. Not business logic: the database's own vocabulary, like a PostgreSQL extension.
        from django.db.backends.signals import connection_created

        from tthtcd_portal.vietnamese import register_sqlite_collation

        connection_created.connect(register_sqlite_collation, dispatch_uid="units.vietnamese_collation")
