"""The centre page shows what other apps know of the centre: its figures by year against its district's
average (reports), its latest classes (courses) and its ratings by year (evaluations)."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.clock import PINNED_YEAR
from tests.courses.factories import CourseFactory
from tests.factories import CentreFactory, CommuneFactory
from tests.reports.factories import AssessmentFactory, FigureFactory
from units.models import REFORM_DATE

pytestmark = pytest.mark.django_db
THIS_YEAR = PINNED_YEAR


def _page(client, centre):
    return client.get(reverse("centres:detail", args=[centre.pk])).content.decode()


def _row(html: str, testid: str, first_cell: str) -> list[str]:
    """The cells' texts of the row of table `testid` whose first cell is `first_cell`."""
    table = html.split(f'data-testid="{testid}"', 1)[1].split("</table>", 1)[0]
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        if cells and cells[0] == first_cell:
            return cells
    raise AssertionError(f"no row {first_cell} in {testid}")


def test_figures_show_the_centre_against_its_districts_average_per_centre(world, client_for):
    year = THIS_YEAR - 1
    neighbour = CentreFactory(commune=CommuneFactory(district=world.district_x), review_office=world.office_x)
    FigureFactory(centre=world.centre_a, year=year, classes=30, sessions=120, participations=4200, women=2100)
    FigureFactory(centre=neighbour, year=year, classes=20, sessions=80, participations=1800, women=900)
    FigureFactory(centre=world.centre_b, year=year, participations=99000, women=0)  # another district
    html = _page(client_for(world.reviewer_x), world.centre_a)
    cells = _row(html, "centre-table", str(year))
    # Own: classes, sessions, participations, women; then 4200 / 3000 = 140 %; average (4200 + 1800) / 2.
    assert cells[1:5] == ["30", "120", "4.200", "2.100"]
    assert cells[6] == "140%"
    assert cells[7:10] == ["25,0", "100,0", "3.000"]
    assert "Huyện Đông Hưng" in html.split('data-testid="centre-figures"', 1)[1]
    assert neighbour.name not in html  # only the district's sums leave the database
    assert reverse("reports:centre", args=[world.centre_a.pk]) in html


def test_recent_classes_link_to_their_pages_and_to_all_the_centres_classes(world, client_for):
    newest = CourseFactory(
        centre=world.centre_a, title="Chuyên đề an toàn giao thông", start_date=datetime.date(2026, 3, 1)
    )
    older = [CourseFactory(centre=world.centre_a, start_date=datetime.date(2025, 1, 1 + i)) for i in range(9)]
    CourseFactory(centre=world.centre_b, title="Lớp của trung tâm khác")
    html = _page(client_for(world.staff_a), world.centre_a)
    assert f'href="{reverse("courses:detail", args=[newest.pk])}"' in html
    assert f'href="{reverse("courses:detail", args=[older[-1].pk])}"' in html
    assert f'href="{reverse("courses:detail", args=[older[0].pk])}"' not in html  # the ninth oldest: not recent
    assert "Lớp của trung tâm khác" not in html
    assert f"{reverse('courses:list')}?trung_tam={world.centre_a.pk}" in html
    assert reverse("courses:create") in html  # staff may add a class


def test_a_reviewer_sees_the_classes_but_no_add_button(world, client_for):
    CourseFactory(centre=world.centre_a, title="Chuyên đề khuyến nông")
    html = _page(client_for(world.reviewer_x), world.centre_a)
    assert "Chuyên đề khuyến nông" in html
    assert reverse("courses:create") not in html


def test_ratings_by_year_link_to_the_assessments(world, client_for):
    approved = AssessmentFactory(centre=world.centre_a, year=2024, rating="kha")
    draft = AssessmentFactory(centre=world.centre_a, year=2025, status="draft", rating="", proposed_rating="")
    AssessmentFactory(centre=world.centre_b, year=2024, rating="yeu")
    html = _page(client_for(world.official), world.centre_a)
    assert _row(html, "centre-ratings", "2024")[-1] == "Khá"
    assert _row(html, "centre-ratings", "2025")[1] == "Đang tự đánh giá"
    for a in (approved, draft):
        assert f'href="{reverse("evaluations:detail", args=[a.pk])}"' in html
    assert "Yếu" not in html.split('data-testid="centre-ratings"', 1)[1].split("</table>", 1)[0]
    # The approved rating also shows in the figures table's year row.
    assert _row(html, "centre-table", "2024")[-1] == "Khá"


def test_a_merged_centre_keeps_showing_its_past_classes_and_ratings(world, client_for):
    CourseFactory(
        centre=world.centre_a,
        title="Lớp xóa mù chữ 2019",
        start_date=datetime.date(2019, 9, 1),
        end_date=datetime.date(2020, 5, 1),
    )
    AssessmentFactory(centre=world.centre_a, year=2019, rating="tot")
    successor = CentreFactory(commune=CommuneFactory(district=world.district_x), review_office=world.office_x)
    world.centre_a.status, world.centre_a.merged_into = "merged", successor
    world.centre_a.status_date = REFORM_DATE
    world.centre_a.save()
    html = _page(client_for(world.official), world.centre_a)
    assert "Lớp xóa mù chữ 2019" in html
    assert _row(html, "centre-ratings", "2019")[-1] == "Tốt"
    assert reverse("courses:create") not in html  # read-only


def test_a_new_centre_shows_no_lines_of_zeros_for_the_years_before_it_existed(world, client_for):
    """Before: a centre formed in the middle of last year listed four earlier years of zeros."""
    FigureFactory(centre=world.centre_a, year=THIS_YEAR - 1, classes=3, sessions=5, participations=400, women=200)
    html = _page(client_for(world.staff_a), world.centre_a)
    assert _row(html, "centre-table", str(THIS_YEAR - 1))[3] == "400"
    for year in range(THIS_YEAR - 5, THIS_YEAR - 1):
        with pytest.raises(AssertionError):
            _row(html, "centre-table", str(year))


def _library_section(html: str) -> str:
    section = html.split('data-testid="centre-library"', 1)[1]
    return re.sub(r"\s+", " ", section.split("</section>", 1)[0])


def test_library_section_shows_the_latest_holdings_and_this_years_reading(world, client_for):
    from django.utils import timezone

    from library.models import Holding, Library, LibraryMonth, ReadingEvent

    centre = world.centre_a
    Library.objects.create(centre=centre, kind=Library.Kind.TU_SACH, place="Nhà văn hóa thôn Đông")
    Holding.objects.create(centre=centre, as_of=datetime.date(THIS_YEAR - 1, 12, 31), books=900, newspapers=2)
    Holding.objects.create(centre=centre, as_of=datetime.date(THIS_YEAR, 6, 30), books=1200, newspapers=3, magazines=4)
    LibraryMonth.objects.create(centre=centre, year=THIS_YEAR, month=1, readers=150, loans=40)
    LibraryMonth.objects.create(centre=centre, year=THIS_YEAR, month=2, readers=90, loans=20)
    LibraryMonth.objects.create(centre=centre, year=THIS_YEAR - 1, month=2, readers=999, loans=999)  # last year
    gone = LibraryMonth.objects.create(centre=centre, year=THIS_YEAR, month=3, readers=5000, loans=5000)
    LibraryMonth.all_objects.filter(pk=gone.pk).update(archived_at=timezone.now())  # deleted: not counted
    ReadingEvent.objects.create(centre=centre, date=datetime.date(THIS_YEAR, 4, 23), title="Ngày sách", participants=60)
    ReadingEvent.objects.create(centre=centre, date=datetime.date(THIS_YEAR - 1, 4, 23), title="Cũ", participants=7)
    LibraryMonth.objects.create(centre=world.centre_b, year=THIS_YEAR, month=1, readers=777, loans=777)  # another
    section = _library_section(_page(client_for(world.staff_a), centre))
    assert "<strong>Tủ sách</strong> – Nhà văn hóa thôn Đông" in section
    assert f"Đến 30/06/{THIS_YEAR}: 1.200 cuốn sách, 3 đầu báo, 4 đầu tạp chí." in section
    assert (
        f"Năm {THIS_YEAR} (2 tháng đã ghi): 240 lượt bạn đọc, 60 lượt mượn; 1 hoạt động đọc sách, 60 người tham gia."
        in section
    )


def test_library_section_of_a_centre_without_a_library(world, client_for):
    section = _library_section(_page(client_for(world.staff_a), world.centre_a))
    assert "Trung tâm không có thư viện, tủ sách hay điểm đọc." in section
    assert "cuốn sách" not in section
    assert f"Năm {THIS_YEAR} (0 tháng đã ghi): 0 lượt bạn đọc, 0 lượt mượn; 0 hoạt động đọc sách" in section
