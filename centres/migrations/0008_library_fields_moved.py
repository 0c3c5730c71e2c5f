"""The registry's library fields (has_library, library_books, library_readers_per_year) moved to the library app
(library.0002 copied them into Library and Holding rows): removed here, after the copy."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('centres', '0007_equipment'),
        ('library', '0002_registry_library_fields'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='centre',
            name='has_library',
        ),
        migrations.RemoveField(
            model_name='centre',
            name='library_books',
        ),
        migrations.RemoveField(
            model_name='centre',
            name='library_readers_per_year',
        ),
        migrations.RemoveField(
            model_name='historicalcentre',
            name='has_library',
        ),
        migrations.RemoveField(
            model_name='historicalcentre',
            name='library_books',
        ),
        migrations.RemoveField(
            model_name='historicalcentre',
            name='library_readers_per_year',
        ),
    ]
