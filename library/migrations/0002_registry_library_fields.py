"""The registry's library fields become the start of the library app (issue 20 item 3): a centre that had
"có thư viện/tủ sách" gets a Library (kind "tủ sách": the registry did not say which; staff correct it), its
number of books a Holding as of the day the record was last changed, and its readers per year the figure the
registry declared (Library.declared_readers_per_year, never added to the monthly figures). The reverse copies
them back (centres.0008 is reversed first, so the fields exist again)."""

from django.db import migrations

BATCH = 1000


def forwards(apps, schema_editor):
    Centre = apps.get_model("centres", "Centre")
    Library = apps.get_model("library", "Library")
    Holding = apps.get_model("library", "Holding")
    libraries, holdings = [], []
    rows = Centre.objects.filter(has_library=True).values_list(
        "id", "library_books", "library_readers_per_year", "updated_at"
    )
    for centre_id, books, readers, updated_at in rows.iterator(chunk_size=BATCH):
        libraries.append(Library(centre_id=centre_id, kind="tu_sach", declared_readers_per_year=readers or None))
        if books:
            holdings.append(Holding(centre_id=centre_id, as_of=updated_at.date(), books=books))
    Library.objects.bulk_create(libraries, batch_size=BATCH)
    Holding.objects.bulk_create(holdings, batch_size=BATCH)


def backwards(apps, schema_editor):
    Centre = apps.get_model("centres", "Centre")
    Library = apps.get_model("library", "Library")
    Holding = apps.get_model("library", "Holding")
    latest = {}
    for centre_id, books in Holding.objects.filter(archived_at__isnull=True).order_by("as_of").values_list(
        "centre_id", "books"
    ):
        latest[centre_id] = books
    changed = []
    for library in Library.objects.exclude(kind="").iterator(chunk_size=BATCH):
        changed.append(
            Centre(
                id=library.centre_id,
                has_library=True,
                library_books=latest.get(library.centre_id, 0),
                library_readers_per_year=library.declared_readers_per_year or 0,
            )
        )
    Centre.objects.bulk_update(changed, ["has_library", "library_books", "library_readers_per_year"], batch_size=BATCH)
    Holding.objects.all().delete()
    Library.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("library", "0001_library_and_reading"),
        ("centres", "0007_equipment"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
