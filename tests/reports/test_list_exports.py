"""The list pages' exports (board, instructors, classes, sessions, learners, ratings) opened with openpyxl:
headers, cell types, values against the database, title block, frozen header, autofilter, formula-like
names kept as text, diacritics, and each role's scope."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from centres.models import BoardMember
from courses.models import ClassSession, Course
from evaluations.models import Assessment
from reports.models import ExportJob
from tests import clock
from tests.centres.factories import AssignmentFactory, BoardMemberFactory, InstructorFactory
from tests.courses.factories import CourseFactory, EnrolmentFactory, LearnerFactory, SessionFactory
from tests.reports.factories import AssessmentFactory
from tthtcd_portal.xlsx import HEADER_ROW

FORMULA = '=HYPERLINK("x")'


def workbook_sheet(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(io.BytesIO(body)).active


def header(sheet):
    return [c.value for c in sheet[HEADER_ROW]]


def body(sheet):
    return [list(r) for r in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if any(r)]


def cells(sheet):
    return [list(r) for r in sheet.iter_rows(min_row=HEADER_ROW + 1)]


def export(client, code, params=None):
    return workbook_sheet(client.get(reverse("reports:export", args=[code]), params or {}))


def assert_layout(sheet, title, columns):
    assert sheet["A1"].value == title
    assert sheet["A2"].value.startswith("Đơn vị: ")
    assert sheet["A4"].value.startswith("Lập lúc ") and "Nguyễn Văn A" in sheet["A4"].value
    assert header(sheet) == columns
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.auto_filter.ref.startswith(f"A{HEADER_ROW}:")


@pytest.fixture
def registry(world):
    """Board members and instructors of A (district X) and B (district Y); a formula-like name in A."""
    a_director = BoardMemberFactory(
        centre=world.centre_a,
        full_name=FORMULA,
        position=BoardMember.Position.GIAM_DOC,
        term_start=datetime.date(2021, 7, 1),
        term_end=datetime.date(2026, 6, 30),
    )
    a_member = BoardMemberFactory(centre=world.centre_a, full_name="Phạm Thị Ngọc Ánh", gender="nu")
    b_member = BoardMemberFactory(centre=world.centre_b, full_name="Lê Văn Bình")
    a_teacher = AssignmentFactory(
        centre=world.centre_a,
        instructor=InstructorFactory(full_name="Đỗ Thị Hằng", birth_year=1979, phone="0912345678"),
    )
    b_teacher = AssignmentFactory(centre=world.centre_b, instructor=InstructorFactory(full_name="Vũ Đức Thắng"))
    return a_director, a_member, b_member, a_teacher, b_teacher


# --- Board members ------------------------------------------------------------------------------------


def test_board_export_has_typed_dates_and_keeps_formula_like_names_as_text(world, registry, client_for):
    sheet = export(client_for(world.official), "ban-giam-doc")
    assert_layout(
        sheet,
        "Danh sách thành viên Ban Giám đốc trung tâm",
        [
            "Huyện",
            "Mã xã",
            "Trung tâm",
            "Họ và tên",
            "Giới tính",
            "Chức danh",
            "Chức vụ chính",
            "Chuyên trách/kiêm nhiệm",
            "Số quyết định bổ nhiệm",
            "Ngày quyết định",
            "Người ký quyết định",
            "Bắt đầu nhiệm kỳ",
            "Kết thúc nhiệm kỳ",
        ],
    )
    rows = body(sheet)
    assert len(rows) == BoardMember.objects.count() == 3
    director = next(r for r in rows if r[5] == "Giám đốc")
    assert director[3] == FORMULA  # the literal text, not a formula
    assert director[:3] == ["Huyện Đông Hưng", "12694", world.centre_a.name]
    assert director[11] == datetime.datetime(2021, 7, 1) and director[12] == datetime.datetime(2026, 6, 30)
    director_cells = next(c for c in cells(sheet) if c[5].value == "Giám đốc")
    assert director_cells[3].data_type == "s"
    assert director_cells[11].number_format == "DD/MM/YYYY" and director_cells[11].is_date
    assert "Phạm Thị Ngọc Ánh" in [r[3] for r in rows]
    assert next(r for r in rows if r[3] == "Phạm Thị Ngọc Ánh")[4] == "Nữ"


def test_board_export_follows_the_centre_list_filters(world, registry, client_for):
    sheet = export(client_for(world.official), "ban-giam-doc", {"huyen": world.district_y.pk})
    assert [r[3] for r in body(sheet)] == ["Lê Văn Bình"]
    assert "Huyện: Huyện Thái Thụy" in sheet["A3"].value


def test_board_export_of_one_centre_on_a_date(world, registry, client_for):
    sheet = export(client_for(world.staff_a), "ban-giam-doc", {"trung_tam": world.centre_a.pk, "ngay": "2026-07-01"})
    assert [r[3] for r in body(sheet)] == ["Phạm Thị Ngọc Ánh"]  # the director's term ended on 30/06/2026


@pytest.mark.parametrize(
    ("persona", "names"),
    [
        ("reviewer_x", {FORMULA, "Phạm Thị Ngọc Ánh"}),
        ("staff_a", {FORMULA, "Phạm Thị Ngọc Ánh"}),
        ("reviewer_y", {"Lê Văn Bình"}),
        ("other_official", set()),
    ],
)
def test_board_export_holds_only_the_users_centres(world, registry, client_for, persona, names):
    sheet = export(client_for(getattr(world, persona)), "ban-giam-doc")
    assert {r[3] for r in body(sheet)} == names


def test_another_units_centre_is_a_404_in_every_export(world, registry, client_for):
    client = client_for(world.staff_a)
    for code in ("ban-giam-doc", "giang-vien", "hoc-vien", "lop-hoc", "buoi-hoc"):
        response = client.get(reverse("reports:export", args=[code]), {"trung_tam": world.centre_b.pk})
        assert response.status_code == 404, code
    outsider = client_for(world.other_official)
    response = outsider.get(reverse("reports:export", args=["giang-vien"]), {"trung_tam": world.centre_a.pk})
    assert response.status_code == 404


# --- Instructors --------------------------------------------------------------------------------------


def test_instructor_export_values_and_types(world, registry, client_for):
    sheet = export(client_for(world.reviewer_x), "giang-vien")
    assert header(sheet)[3:6] == ["Họ và tên", "Giới tính", "Năm sinh"]
    rows = body(sheet)
    assert [r[3] for r in rows] == ["Đỗ Thị Hằng"]  # reviewer of X: not B's instructor
    row = rows[0]
    assert row[5] == 1979 and isinstance(row[5], int)
    assert row[9] == "0912345678"  # a phone number stays text with its leading zero
    assert row[10] == "Báo cáo viên" and row[12] == "Có"


# --- Classes, sessions, learners ----------------------------------------------------------------------


@pytest.fixture
def classes(world):
    """A class in A with three sessions (two in 2025, one in 2026), a class in B, learners in A and B."""
    a_class = CourseFactory(
        centre=world.centre_a,
        title="Kỹ thuật trồng lúa chất lượng cao",
        start_date=datetime.date(2025, 3, 1),
        end_date=datetime.date(2026, 6, 30),
    )
    b_class = CourseFactory(centre=world.centre_b, title="Pháp luật giao thông", start_date=datetime.date(2025, 4, 1))
    SessionFactory(course=a_class, date=datetime.date(2025, 3, 2), present=41, women=23, minorities=2, hours="2.5")
    SessionFactory(course=a_class, date=datetime.date(2025, 3, 9), present=37, women=20, minorities=1)
    SessionFactory(course=a_class, date=datetime.date(2026, 1, 4), present=30, women=18, minorities=0)
    SessionFactory(course=b_class, date=datetime.date(2025, 4, 2), present=55, women=30, minorities=5)
    learner = LearnerFactory(centre=world.centre_a, full_name=FORMULA, birth_year=1990, is_minority=True)
    LearnerFactory(centre=world.centre_a, full_name="Nguyễn Thị Ỷ Lan")
    LearnerFactory(centre=world.centre_b, full_name="Hoàng Văn Bắc")
    EnrolmentFactory(course=a_class, learner=learner)
    return a_class, b_class


def test_class_export_counts_sessions_and_participations_from_the_database(world, classes, client_for):
    a_class, _b = classes
    sheet = export(client_for(world.official), "lop-hoc", {"nam": "2025"})
    assert header(sheet)[:4] == ["Huyện", "Mã xã", "Trung tâm", "Tên lớp, chuyên đề"]
    assert header(sheet)[-3:] == ["Số buổi dự kiến", "Số buổi đã học", "Lượt người học"]
    rows = {r[3]: r for r in body(sheet)}
    assert set(rows) == set(Course.objects.filter(start_date__year=2025).values_list("title", flat=True))
    row = rows[a_class.title]
    assert row[9] == datetime.datetime(2025, 3, 1) and row[10] == datetime.datetime(2026, 6, 30)
    assert row[12] == a_class.sessions.count() == 3
    assert row[13] == sum(a_class.sessions.values_list("present", flat=True)) == 108
    assert "Năm: 2025" in sheet["A3"].value


def test_class_export_of_reviewer_y_holds_only_district_y(world, classes, client_for):
    assert [r[3] for r in body(export(client_for(world.reviewer_y), "lop-hoc"))] == ["Pháp luật giao thông"]


def test_sessions_export_of_one_class_and_of_a_year_in_scope(world, classes, client_for):
    a_class, _b = classes
    client = client_for(world.staff_a)
    sheet = export(client, "buoi-hoc", {"lop": a_class.pk})
    assert_layout(
        sheet,
        "Danh sách buổi học và số người dự",
        [
            "Huyện",
            "Mã xã",
            "Trung tâm",
            "Lớp, chuyên đề",
            "Loại chương trình",
            "Ngày học",
            "Nội dung",
            "Người dạy",
            "Số giờ",
            "Địa điểm",
            "Số người dự",
            "Trong đó nữ",
            "Trong đó DTTS",
        ],
    )
    rows = body(sheet)
    expected = list(ClassSession.objects.filter(course=a_class).order_by("date").values_list("date", "present"))
    assert [(r[5].date(), r[10]) for r in rows] == expected
    first = cells(sheet)[0]
    assert first[5].number_format == "DD/MM/YYYY" and first[5].is_date
    assert first[8].value == 2.5 and first[8].data_type == "n"
    assert isinstance(first[10].value, int) and first[10].number_format == "#,##0"

    year = body(export(client_for(world.official), "buoi-hoc", {"nam": "2025"}))
    # The classes list's `nam` is the class's start year: the sessions of the classes started in 2025, as the
    # list shows them (A's class runs into 2026: its 2026 session comes along).
    assert sorted(r[10] for r in year) == [30, 37, 41, 55]
    assert [r[10] for r in body(export(client_for(world.reviewer_y), "buoi-hoc"))] == [55]
    assert body(export(client_for(world.other_official), "buoi-hoc")) == []
    # A class of another unit is a 404, whoever asks.
    assert client.get(reverse("reports:export", args=["buoi-hoc"]), {"lop": _b.pk}).status_code == 404


def test_sessions_export_holds_the_sessions_of_exactly_the_classes_the_list_filters(world, classes, client_for):
    """Each filter of the classes list (year, centre, kind) reaches the sessions through their class, as a
    join (filter_through): a class started the year before keeps its sessions out of the year even when they
    fall in it, and an archived class's sessions stay out though the sessions themselves were left live."""
    from courses.filters import CourseFilter
    from tests.courses.factories import kind

    a_class, b_class = classes
    earlier = CourseFactory(centre=world.centre_a, title="Lớp năm trước", start_date=datetime.date(2024, 11, 1))
    SessionFactory(course=earlier, date=datetime.date(2025, 1, 5), present=12)
    other_kind = CourseFactory(
        centre=world.centre_a,
        title="Tin học",
        start_date=datetime.date(2025, 5, 1),
        programme_kind=kind("tin-hoc-ngoai-ngu"),
    )
    SessionFactory(course=other_kind, date=datetime.date(2025, 5, 2), present=19)
    gone = CourseFactory(centre=world.centre_a, title="Lớp đã xóa", start_date=datetime.date(2025, 6, 1))
    SessionFactory(course=gone, date=datetime.date(2025, 6, 2), present=7)
    Course.all_objects.filter(pk=gone.pk).update(archived_at=clock.moment("2025-07-01"))
    client = client_for(world.official)
    for params in (
        {"nam": "2025"},
        {"nam": "2024"},
        {"nam": "2025", "trung_tam": world.centre_a.pk},
        {"nam": "2025", "loai": other_kind.programme_kind_id},
        {"loai": a_class.programme_kind_id, "trung_tam": world.centre_b.pk},
        {},
    ):
        listed = CourseFilter(
            {k: str(v) for k, v in params.items()}, queryset=Course.objects.all(), user=world.official
        )
        expected = sorted(ClassSession.objects.filter(course__in=listed.qs).values_list("present", flat=True))
        assert sorted(r[10] for r in body(export(client, "buoi-hoc", params))) == expected, params
    assert sorted(r[10] for r in body(export(client, "buoi-hoc", {"nam": "2024"}))) == [12]
    assert 7 not in [r[10] for r in body(export(client, "buoi-hoc"))]
    assert 19 not in [
        r[10] for r in body(export(client, "buoi-hoc", {"nam": "2025", "loai": a_class.programme_kind_id}))
    ]


def test_a_large_sessions_export_runs_in_the_background(world, classes, client_for, settings):
    settings.REPORTS_BACKGROUND_ROWS = 2
    client = client_for(world.official)
    assert client.get(reverse("reports:export", args=["buoi-hoc"]), {"nam": "2025"}).status_code == 200
    response = client.post(reverse("reports:export_start", args=["buoi-hoc"]), {"nam": "2025"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.status == ExportJob.Status.DONE and job.rows_total == 4
    assert len(body(workbook_sheet(client.get(reverse("reports:job_download", args=[job.pk]))))) == 4


def test_learner_export_keeps_names_as_text_and_years_as_numbers(world, classes, client_for):
    sheet = export(client_for(world.staff_a), "hoc-vien", {"trung_tam": world.centre_a.pk})
    assert header(sheet)[3:] == [
        "Họ và tên",
        "Giới tính",
        "Năm sinh",
        "Dân tộc",
        "Dân tộc thiểu số",
        "Thôn, xóm",
        "Số lớp đã ghi danh",
    ]
    rows = {r[3]: r for r in body(sheet)}
    assert set(rows) == {FORMULA, "Nguyễn Thị Ỷ Lan"}
    assert rows[FORMULA][5] == 1990 and rows[FORMULA][7] == "Có" and rows[FORMULA][9] == 1
    assert rows["Nguyễn Thị Ỷ Lan"][9] == 0
    formula_cell = next(c for c in cells(sheet) if c[3].value == FORMULA)[3]
    assert formula_cell.data_type == "s"


@pytest.mark.parametrize(
    ("persona", "names"),
    [
        ("staff_a", {FORMULA, "Nguyễn Thị Ỷ Lan"}),
        ("reviewer_x", {FORMULA, "Nguyễn Thị Ỷ Lan"}),
        ("reviewer_y", {"Hoàng Văn Bắc"}),
        ("other_official", set()),
    ],
)
def test_learner_export_holds_only_the_users_centres(world, classes, client_for, persona, names):
    assert {r[3] for r in body(export(client_for(getattr(world, persona)), "hoc-vien"))} == names


# --- Ratings and assessments of a year ----------------------------------------------------------------


def test_ratings_export_lists_every_active_centre_with_its_year(world, client_for):
    approved = AssessmentFactory(centre=world.centre_a, year=2025, rating="tot", review_score=Decimal("86.5"))
    Assessment.objects.filter(pk=approved.pk).update(approved_at=datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC))
    sheet = export(client_for(world.official), "xep-loai-nam", {"nam": "2025"})
    assert sheet["A1"].value == "Kết quả đánh giá, xếp loại trung tâm năm 2025"
    assert header(sheet)[4:] == [
        "Trạng thái",
        "Điểm tự đánh giá",
        "Điểm thẩm định",
        "Xếp loại đề xuất",
        "Xếp loại chính thức",
        "Ngày phê duyệt",
    ]
    rows = {r[1]: r for r in body(sheet)}
    assert rows["12694"][4] == "Đã phê duyệt (khóa)" and rows["12694"][6] == 86.5 and rows["12694"][8] == "Tốt"
    assert rows["12694"][9] == datetime.datetime(2026, 3, 2)
    assert rows["12757"][4] == "Chưa bắt đầu" and rows["12757"][8] is None
    rating_cell = next(c for c in cells(sheet) if c[1].value == "12694")[6]
    assert rating_cell.number_format == "#,##0.0"
    assert set(rows) == {"12694", "12757"}


def test_ratings_export_scope_and_office_filter(world, client_for):
    assert [r[1] for r in body(export(client_for(world.reviewer_x), "xep-loai-nam"))] == ["12694"]
    assert [r[1] for r in body(export(client_for(world.staff_a), "xep-loai-nam"))] == ["12694"]
    official = export(client_for(world.official), "xep-loai-nam", {"don_vi": world.office_y.pk})
    assert [r[1] for r in body(official)] == ["12757"]
    assert body(export(client_for(world.other_official), "xep-loai-nam")) == []


def test_assessments_export_of_one_year_and_office(world, client_for):
    AssessmentFactory(centre=world.centre_a, year=2025)
    AssessmentFactory(centre=world.centre_b, year=2025)
    AssessmentFactory(centre=world.centre_b, year=2024)
    sheet = export(client_for(world.official), "danh-gia", {"nam": "2025", "don_vi": world.office_y.pk})
    assert [(r[0], r[3]) for r in body(sheet)] == [(2025, world.centre_b.name)]


# --- The buttons carry the page's filters -------------------------------------------------------------


def test_list_pages_link_their_exports_with_the_current_filters(world, classes, registry, client_for):
    official = client_for(world.official)
    page = official.get(reverse("courses:list"), {"nam": "2025", "loai": ""}).content.decode()
    assert f"{reverse('reports:export', args=['buoi-hoc'])}?nam=2025&amp;loai=" in page
    assert f"{reverse('reports:export', args=['lop-hoc'])}?nam=2025&amp;loai=" in page
    page = official.get(reverse("centres:list"), {"huyen": world.district_x.pk}).content.decode()
    assert f"{reverse('reports:export', args=['ban-giam-doc'])}?huyen={world.district_x.pk}" in page
    assert f"{reverse('reports:export', args=['giang-vien'])}?huyen={world.district_x.pk}" in page
    page = official.get(reverse("centres:detail", args=[world.centre_a.pk])).content.decode()
    assert f"{reverse('reports:export', args=['ban-giam-doc'])}?trung_tam={world.centre_a.pk}" in page
    a_class, _b = classes
    page = official.get(reverse("courses:detail", args=[a_class.pk])).content.decode()
    assert f"{reverse('reports:export', args=['buoi-hoc'])}?lop={a_class.pk}" in page
    page = official.get(reverse("courses:learners"), {"trung_tam": world.centre_a.pk}).content.decode()
    assert f"{reverse('reports:export', args=['hoc-vien'])}?trung_tam={world.centre_a.pk}" in page
    page = official.get(reverse("evaluations:office", args=[world.office_x.pk]), {"nam": "2025"}).content.decode()
    assert f"{reverse('reports:export', args=['xep-loai-nam'])}?nam=2025&amp;don_vi={world.office_x.pk}" in page
    page = client_for(world.reviewer_x).get(reverse("evaluations:home"), {"nam": "2025"}).content.decode()
    assert f"{reverse('reports:export', args=['xep-loai-nam'])}?nam=2025" in page


# --- Official report (c): the registry's counts -------------------------------------------------------


def test_centre_report_prints_board_and_instructor_counts(world, registry, client_for):
    response = client_for(world.official).get(reverse("reports:official", args=["bc-trung-tam"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    header_row = next(r for r in values if "Thành viên Ban Giám đốc" in r)
    board_col, teach_col = header_row.index("Thành viên Ban Giám đốc"), header_row.index("Giáo viên, báo cáo viên")
    by_name = {r[3]: r for r in values if r[3] in (world.centre_a.name, world.centre_b.name)}
    # A's director's term is open until 30/06/2026: both of A's members count while in office.
    today = clock.today()
    a_board = BoardMember.objects.filter(centre=world.centre_a).on_date(today).count()
    assert by_name[world.centre_a.name][board_col] == a_board
    assert by_name[world.centre_b.name][board_col] == 1
    assert by_name[world.centre_a.name][teach_col] == 1 and by_name[world.centre_b.name][teach_col] == 1
    total = next(r for r in values if "Tổng cộng" in r)
    assert total[board_col] == a_board + 1 and total[teach_col] == 2
