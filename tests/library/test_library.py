"""The library app: what a centre has, the month grid, holdings, reading events, the Excel import, the
province's activity by commune (recomputed from the raw rows), scoping, locks and mergers."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from centres.services import centres_merge
from evaluations.models import Assessment
from library import services
from library.models import Holding, Library, LibraryMonth, ReadingEvent
from library.spreadsheet import COLUMNS
from tests import clock
from tests.factories import CentreFactory, CommuneFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def _lock(centre, year):
    Assessment.objects.create(centre=centre, year=year, status=Assessment.Status.APPROVED, rating="tot")


def _months_file(rows, name="ban-doc.csv"):
    out = io.StringIO()
    csv.writer(out).writerows([COLUMNS, *rows])
    return SimpleUploadedFile(name, out.getvalue().encode(), "text/csv")


# --- Services ---------------------------------------------------------------------------------------------------


def test_the_month_grid_adds_changes_and_clears_months(world):
    year = clock.this_year() - 1
    counts = services.library_months_save(
        centre=world.centre_a, year=year, figures={1: (100, 40), 2: (80, 30)}, by=world.staff_a
    )
    assert (counts.added, counts.updated) == (2, 0)
    counts = services.library_months_save(
        centre=world.centre_a, year=year, figures={1: (100, 40), 2: (90, 30), 3: None}, by=world.staff_a
    )
    assert (counts.added, counts.updated, counts.unchanged, counts.cleared) == (0, 1, 1, 0)
    services.library_months_save(centre=world.centre_a, year=year, figures={2: None}, by=world.staff_a)
    assert list(LibraryMonth.objects.values_list("month", "readers")) == [(1, 100)]
    assert LibraryMonth.all_objects.archived().count() == 1  # cleared = archived, never destroyed


def test_a_month_not_yet_over_is_refused(world):
    today = clock.today()
    nxt = (today.replace(day=28) + datetime.timedelta(days=5)).month
    year = today.year if nxt > today.month else today.year + 1
    with pytest.raises(ValidationError, match="chưa đến"):
        services.library_months_save(centre=world.centre_a, year=year, figures={nxt: (1, 1)}, by=world.staff_a)


def test_a_locked_year_refuses_every_library_write_with_the_reason(world):
    year = clock.this_year() - 1
    _lock(world.centre_a, year)
    reason = "đã được Sở phê duyệt và khóa"
    with pytest.raises(ValidationError, match=reason):
        services.library_months_save(centre=world.centre_a, year=year, figures={1: (1, 1)}, by=world.staff_a)
    with pytest.raises(ValidationError, match=reason):
        services.holding_record(
            centre=world.centre_a, as_of=D(year, 5, 1), books=1, newspapers=0, magazines=0, by=world.staff_a
        )
    with pytest.raises(ValidationError, match=reason):
        services.reading_event_record(
            centre=world.centre_a, date=D(year, 5, 1), title="Đọc sách", participants=3, by=world.staff_a
        )
    # The year after is open.
    services.library_months_save(centre=world.centre_a, year=year + 1, figures={1: (1, 1)}, by=world.staff_a)


def test_a_merged_centre_and_a_reviewer_are_refused(world):
    with pytest.raises(PermissionDenied):
        services.library_months_save(
            centre=world.centre_a, year=clock.this_year(), figures={1: (1, 1)}, by=world.reviewer_x
        )
    other = CentreFactory(commune=CommuneFactory(district=world.district_x), review_office=world.office_x)
    centres_merge(sources=[other], target=world.centre_a, on_date=clock.days_from_today(-3), by=world.official)
    other.refresh_from_db()
    with pytest.raises(PermissionDenied, match="đã sáp nhập"):
        services.library_save(centre=other, kind=Library.Kind.TU_SACH, place="", by=world.official)


def test_holdings_of_the_same_day_are_one_count(world):
    day = clock.days_from_today(-10)
    _h, created = services.holding_record(
        centre=world.centre_a, as_of=day, books=100, newspapers=2, magazines=1, by=world.staff_a
    )
    _h, created_again = services.holding_record(
        centre=world.centre_a, as_of=day, books=120, newspapers=2, magazines=1, by=world.staff_a
    )
    assert (created, created_again) == (True, False)
    assert list(Holding.objects.values_list("books", flat=True)) == [120]


# --- Pages ------------------------------------------------------------------------------------------------------


def test_staff_record_a_month_from_the_grid_and_see_it(world, client_for):
    client = client_for(world.staff_a)
    year = clock.this_year()
    response = client.post(
        reverse("library:months", args=[world.centre_a.pk]), {"nam": year, "m1_readers": "150", "m1_loans": "60"}
    )
    assert response.status_code == 302
    page = client.get(reverse("library:centre", args=[world.centre_a.pk]), {"nam": year})
    assert page.context["page"].readers == 150
    assert 'value="150"' in page.content.decode()


def test_a_centre_without_a_library_says_so_on_both_pages(world, client_for):
    client = client_for(world.staff_a)
    body = client.get(reverse("library:centre", args=[world.centre_a.pk])).content.decode()
    assert "Trung tâm không có thư viện, tủ sách hay điểm đọc." in body
    client.post(reverse("library:edit", args=[world.centre_a.pk]), {"kind": "diem_doc", "place": "Thôn Đông"})
    assert Library.objects.get(centre=world.centre_a).get_kind_display() == "Điểm đọc"
    body = client.get(reverse("centres:detail", args=[world.centre_a.pk])).content.decode()
    assert "Điểm đọc" in body and "không có thư viện" not in body


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("library:centre", "centre"),
        ("library:import", "centre"),
        ("library:months", "centre"),
        ("library:holding_delete", "holding"),
        ("library:event_delete", "event"),
    ],
)
def test_outsiders_get_404(world, client_for, name, kwargs):
    holding = Holding.objects.create(centre=world.centre_b, as_of=clock.days_from_today(-5), books=5)
    event = ReadingEvent.objects.create(centre=world.centre_b, date=clock.days_from_today(-5), title="Đọc")
    args = {"centre": world.centre_b.pk, "holding": holding.pk, "event": event.pk}[kwargs]
    url = reverse(name, args=[args])
    for outsider in (world.staff_a, world.reviewer_x, world.other_official):
        response = client_for(outsider).post(url) if "delete" in name or name == "library:months" else None
        response = response or client_for(outsider).get(url)
        assert response.status_code == 404, (outsider, url)
    assert Holding.objects.count() == 1 and ReadingEvent.objects.count() == 1


def test_the_reviewer_reads_but_may_not_write(world, client_for):
    client = client_for(world.reviewer_x)
    page = client.get(reverse("library:centre", args=[world.centre_a.pk]))
    assert page.status_code == 200 and 'data-testid="read-only"' in page.content.decode()
    response = client.post(reverse("library:months", args=[world.centre_a.pk]), {"nam": clock.this_year()})
    assert response.status_code == 403


@pytest.mark.parametrize("n", [2, 8])
def test_the_centre_page_runs_a_fixed_number_of_queries(world, client_for, django_assert_num_queries, n):
    year = clock.this_year() - 1
    Library.objects.create(centre=world.centre_a, kind=Library.Kind.THU_VIEN)
    for i in range(n):
        LibraryMonth.objects.create(centre=world.centre_a, year=year, month=i + 1, readers=10, loans=3)
        Holding.objects.create(centre=world.centre_a, as_of=D(year - i, 12, 31), books=100)
        ReadingEvent.objects.create(centre=world.centre_a, date=D(year, 3, 1 + i), title=f"Hoạt động {i}")
    client = client_for(world.staff_a)
    # 1 session, 2 user with their centre (the menu: accounts/backends.py), 3 centre with units, 4 library,
    # 5 holdings, 6 the year's months, 7 events.
    with django_assert_num_queries(7):
        response = client.get(reverse("library:centre", args=[world.centre_a.pk]), {"nam": year})
    assert len(response.context["page"].events) == n


# --- Import -----------------------------------------------------------------------------------------------------


def test_the_import_previews_names_bad_rows_and_counts_once(world, client_for):
    client = client_for(world.staff_a)
    year = clock.this_year() - 1
    url = reverse("library:import", args=[world.centre_a.pk])
    bad = client.post(url, {"file": _months_file([[year, 13, 5, 1], [year, 2, "nhiều", 1]])}).content.decode()
    assert "Dòng 2, cột «Tháng»: tháng phải từ 1 đến 12." in bad
    assert "Dòng 3, cột «Lượt bạn đọc»: phải là số nguyên" in bad
    assert not LibraryMonth.objects.exists()
    rows = [[year, 1, 100, 40], [year, 2, "1.200", 300]]
    preview = client.post(url, {"file": _months_file(rows)})
    assert 'data-testid="import-preview"' in preview.content.decode() and not LibraryMonth.objects.exists()
    client.post(reverse("library:import_confirm", args=[world.centre_a.pk]))
    assert sorted(LibraryMonth.objects.values_list("month", "readers")) == [(1, 100), (2, 1200)]
    # The same file again: shown as already there, nothing new to import, nothing written.
    again = client.post(url, {"file": _months_file(rows)}).content.decode()
    assert 'data-testid="import-nothing-new"' in again
    client.post(reverse("library:import_confirm", args=[world.centre_a.pk]))
    assert LibraryMonth.objects.count() == 2 and LibraryMonth.all_objects.count() == 2


def test_the_import_refuses_a_locked_year_naming_the_row(world, client_for):
    year = clock.this_year() - 1
    _lock(world.centre_a, year)
    body = (
        client_for(world.staff_a)
        .post(reverse("library:import", args=[world.centre_a.pk]), {"file": _months_file([[year, 1, 5, 1]])})
        .content.decode()
    )
    assert "Dòng 2, cột «Năm»: Số liệu năm" in body and "phê duyệt và khóa" in body


def test_the_template_downloads(world, client_for):
    response = client_for(world.staff_a).get(reverse("library:import_template"))
    assert response.status_code == 200 and response.content[:2] == b"PK"


# --- The province: recomputed from the raw rows -----------------------------------------------------------------


def _activity(world):
    year = clock.this_year() - 1
    Library.objects.create(centre=world.centre_a, kind=Library.Kind.TU_SACH)
    for centre, base in ((world.centre_a, 100), (world.centre_b, 7)):
        for month in (1, 2, 12):
            LibraryMonth.objects.create(centre=centre, year=year, month=month, readers=base + month, loans=month)
        LibraryMonth.objects.create(centre=centre, year=year - 1, month=5, readers=999, loans=999)  # another year
        ReadingEvent.objects.create(centre=centre, date=D(year, 4, 1), title="A", participants=base)
        ReadingEvent.objects.create(centre=centre, date=D(year, 9, 1), title="B", participants=5)
        Holding.objects.create(centre=centre, as_of=D(year - 1, 12, 31), books=base * 2)
        Holding.objects.create(centre=centre, as_of=D(year, 6, 30), books=base * 3, newspapers=2)
        Holding.objects.create(centre=centre, as_of=D(year + 1, 1, 10), books=1)  # after the year: not counted
    gone = LibraryMonth.objects.create(centre=world.centre_b, year=year, month=6, readers=5000, loans=0)
    gone.archived_at = clock.moment("2026-01-01 08:00")
    gone.save()
    return year


def _recount(centre, year):
    months = LibraryMonth.objects.filter(centre=centre, year=year)
    events = ReadingEvent.objects.filter(centre=centre, date__year=year)
    latest = Holding.objects.filter(centre=centre, as_of__lte=D(year, 12, 31)).order_by("-as_of").first()
    return {
        "readers": sum(m.readers for m in months),
        "loans": sum(m.loans for m in months),
        "events": len(events),
        "participants": sum(e.participants for e in events),
        "books": latest.books if latest else 0,
        "newspapers": latest.newspapers if latest else 0,
    }


def test_the_province_page_equals_a_recount_of_the_raw_rows(world, client_for):
    year = _activity(world)
    response = client_for(world.official).get(reverse("library:overview"), {"nam": year})
    rows = {r.pk: r for r in response.context["rows"]}
    for centre in (world.centre_a, world.centre_b):
        assert {k: getattr(rows[centre.pk], k) for k in _recount(centre, year)} == _recount(centre, year)
    trend = {t.year: t for t in response.context["trend"]}
    assert trend[year].readers == sum(_recount(c, year)["readers"] for c in (world.centre_a, world.centre_b))
    assert trend[year].events == 4
    assert response.context["with_library"] == 1


def test_the_reviewer_sees_only_their_office_and_staff_are_refused(world, client_for):
    year = _activity(world)
    rows = client_for(world.reviewer_x).get(reverse("library:overview"), {"nam": year}).context["rows"]
    assert [r.pk for r in rows] == [world.centre_a.pk]
    assert client_for(world.staff_a).get(reverse("library:overview")).status_code == 403
    assert client_for(world.other_official).get(reverse("library:overview")).context["rows"] == []


def test_the_export_holds_the_page_figures(world, client_for):
    from openpyxl import load_workbook

    year = _activity(world)
    response = client_for(world.official).get(reverse("reports:export", args=["thu-vien"]), {"nam": year})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = {r[3]: r for r in sheet.iter_rows(min_row=6, values_only=True) if r[3]}
    expected = _recount(world.centre_a, year)
    assert rows[world.centre_a.name][5:8] == (expected["readers"], expected["loans"], expected["events"])


@pytest.mark.parametrize("n", [1, 6])
def test_the_province_page_runs_a_fixed_number_of_queries(world, client_for, django_assert_num_queries, n):
    year = clock.this_year() - 1
    for _ in range(n):
        centre = CentreFactory(commune=CommuneFactory(district=world.district_x))
        LibraryMonth.objects.create(centre=centre, year=year, month=3, readers=10, loans=3)
        ReadingEvent.objects.create(centre=centre, date=D(year, 3, 1), title="A")
    client = client_for(world.official)
    # 1 session, 2 user with their province (the page's header: accounts/backends.py), 3 the official's province
    # ids (once per request), 4-5 the years' months and events, 6 the centres with their figures (correlated
    # subqueries).
    with django_assert_num_queries(6):
        response = client.get(reverse("library:overview"), {"nam": year})
    assert len(response.context["rows"]) == n + 2


def test_a_stale_library_edit_is_refused_naming_who_saved(world, client_for):
    library = services.library_save(centre=world.centre_a, kind=Library.Kind.TU_SACH, place="", by=world.staff_a)
    opened = library.version
    services.library_save(
        centre=world.centre_a, kind=Library.Kind.THU_VIEN, place="", by=world.official, version=opened
    )
    response = client_for(world.staff_a).post(
        reverse("library:edit", args=[world.centre_a.pk]), {"kind": "diem_doc", "place": "Thôn Đông", "version": opened}
    )
    assert "đã lưu thay đổi lúc" in response.content.decode()
    assert Library.objects.get(centre=world.centre_a).kind == Library.Kind.THU_VIEN


def test_the_data_migration_moves_the_registrys_library_fields_and_back(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from tests.factories import CommuneFactory as Communes

    commune = Communes()
    before = [("centres", "0007_equipment"), ("library", "0001_library_and_reading")]

    def migrate(targets):
        executor = MigrationExecutor(connection)
        executor.migrate(targets or executor.loader.graph.leaf_nodes())
        return executor.loader.project_state(targets).apps if targets else None

    try:
        Centre = migrate(before).get_model("centres", "Centre")
        Centre.objects.create(
            commune_id=commune.pk, name="TT cũ", has_library=True, library_books=900, library_readers_per_year=300
        )
        Centre.objects.create(commune_id=Communes().pk, name="TT không có", has_library=False)
        migrate(None)
        library = Library.objects.get()
        assert (library.centre.name, library.kind, library.declared_readers_per_year) == ("TT cũ", "tu_sach", 300)
        assert list(Holding.objects.values_list("books", flat=True)) == [900]
        back = migrate(before).get_model("centres", "Centre")
        assert list(back.objects.order_by("name").values_list("name", "has_library", "library_books")) == [
            ("TT cũ", True, 900),
            ("TT không có", False, 0),
        ]
    finally:
        migrate(None)  # the next tests need the latest schema, whatever happened
