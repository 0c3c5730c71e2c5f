"""The collation "vi" on PostgreSQL: Vietnamese order (ICU's CLDR "vi" rules: a ă â b c d đ e ê …, tones
second) with numbers compared by value ("Phường 2" before "Phường 10"). SQLite gets a collation of the same
name and order on every connection (tthtcd_portal.vietnamese, registered in units.apps), so an ORDER BY …
COLLATE "vi" sorts alike on both. Needs a PostgreSQL built with ICU (the Debian and Ubuntu packages are)."""

from django.contrib.postgres.operations import CreateCollation
from django.db import migrations


class CreateCollationOnPostgres(CreateCollation):
    """Django's CreateCollation skips other databases going forwards but not backwards."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0001_administrative_units"),
    ]

    operations = [
        CreateCollationOnPostgres("vi", provider="icu", locale="vi-u-kn-true"),
    ]
