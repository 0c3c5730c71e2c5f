"""Training courses: the province creates, invites, records attendance and sees who was never trained; centres
see the courses they were invited to; nobody sees another unit's people."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import User
from centres.models import BoardMember
from tests.centres.factories import AssignmentFactory, BoardMemberFactory
from tests.factories import UserFactory
from tests.training.factories import TrainingCourseFactory, invited
from training import services
from training.models import TrainingAttendance, TrainingCourse

pytestmark = pytest.mark.django_db


def _course(world, *centres, **kw):
    return invited(TrainingCourseFactory(province=world.province, created_by=world.official, **kw), *centres)


def test_official_creates_a_course_and_invites_centres(world, client_for):
    client = client_for(world.official)
    today = timezone.localdate()
    response = client.post(
        "/tap-huan/moi/",
        {
            "title": "Bồi dưỡng phương pháp giảng dạy người lớn",
            "topic": "Phương pháp dạy học tích cực",
            "organiser": "association",
            "audience": "instructors",
            "place": "Trung tâm GDTX tỉnh",
            "start_date": today.isoformat(),
            "end_date": (today + datetime.timedelta(days=2)).isoformat(),
        },
    )
    course = TrainingCourse.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tap-huan/{course.pk}/moi-trung-tam/"
    page = client.get(f"/tap-huan/{course.pk}/moi-trung-tam/").content.decode()
    assert "Xã Đông Phương" in page and "Xã Thụy Trường" in page
    client.post(f"/tap-huan/{course.pk}/moi-trung-tam/", {"centres": [world.centre_a.pk, world.centre_b.pk]})
    assert set(course.invitations.values_list("centre_id", flat=True)) == {world.centre_a.pk, world.centre_b.pk}
    detail = client.get(f"/tap-huan/{course.pk}/").content.decode()
    assert "Xã Đông Phương" in detail and "Ghi người dự" in detail


def test_end_before_start_is_refused_in_vietnamese(world, client_for):
    today = timezone.localdate()
    response = client_for(world.official).post(
        "/tap-huan/moi/",
        {
            "title": "X",
            "topic": "Y",
            "organiser": "department",
            "audience": "both",
            "place": "Z",
            "start_date": today.isoformat(),
            "end_date": (today - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "Ngày kết thúc phải sau hoặc cùng ngày bắt đầu." in response.content.decode()
    assert not TrainingCourse.objects.exists()


def test_inviting_nothing_is_refused(world, client_for):
    course = _course(world)
    response = client_for(world.official).post(f"/tap-huan/{course.pk}/moi-trung-tam/", {})
    assert "Chọn ít nhất một trung tâm để mời." in response.content.decode()


def test_attendance_is_recorded_from_the_registry(world, client_for):
    member = BoardMemberFactory(centre=world.centre_a, full_name="Phạm Văn Giang", position="giam_doc")
    link = AssignmentFactory(centre=world.centre_a, instructor__full_name="Lê Thị Mai")
    course = _course(world, world.centre_a)
    client = client_for(world.official)
    page = client.get(f"/tap-huan/{course.pk}/du/{world.centre_a.pk}/").content.decode()
    assert "Phạm Văn Giang" in page and "Lê Thị Mai" in page
    response = client.post(f"/tap-huan/{course.pk}/du/{world.centre_a.pk}/", {f"b{member.pk}": "on"})
    assert response.status_code == 302
    assert list(TrainingAttendance.objects.values_list("board_member_id", "role")) == [(member.pk, "board")]
    # Ticking the instructor and unticking the director replaces the list.
    client.post(f"/tap-huan/{course.pk}/du/{world.centre_a.pk}/", {f"i{link.instructor_id}": "on"})
    assert list(TrainingAttendance.objects.values_list("instructor_id", flat=True)) == [link.instructor_id]


def test_attendance_refused_before_the_course_begins(world):
    course = _course(world, world.centre_a, start_date=timezone.localdate() + datetime.timedelta(days=3))
    member = BoardMemberFactory(centre=world.centre_a)
    with pytest.raises(Exception, match="chưa diễn ra"):
        services.training_attendance_record(
            course=course, centre=world.centre_a, present=[f"b{member.pk}"], by=world.official
        )
    assert not TrainingAttendance.objects.exists()


def test_someone_of_another_centre_cannot_be_recorded(world):
    course = _course(world, world.centre_a)
    other = BoardMemberFactory(centre=world.centre_b)
    with pytest.raises(Exception, match="không thuộc"):
        services.training_attendance_record(
            course=course, centre=world.centre_a, present=[f"b{other.pk}"], by=world.official
        )
    assert not TrainingAttendance.objects.exists()


def test_uninvited_centre_attendance_page_is_404(world, client_for):
    course = _course(world, world.centre_a)
    assert client_for(world.official).get(f"/tap-huan/{course.pk}/du/{world.centre_b.pk}/").status_code == 404


def test_staff_see_the_courses_of_their_centre_only(world, client_for):
    mine = _course(world, world.centre_a, title="Lớp của A")
    theirs = _course(world, world.centre_b, title="Lớp của B")
    client = client_for(world.staff_a)
    page = client.get("/tap-huan/").content.decode()
    assert "Lớp của A" in page and "Lớp của B" not in page
    assert client.get(f"/tap-huan/{mine.pk}/").status_code == 200
    assert client.get(f"/tap-huan/{theirs.pk}/").status_code == 404
    # Staff read; they do not run the province's course.
    assert client.post(f"/tap-huan/{mine.pk}/moi-trung-tam/", {"centres": [world.centre_a.pk]}).status_code == 403
    assert client.get("/tap-huan/moi/").status_code == 403


def test_a_course_inviting_both_centres_shows_staff_only_their_people(world, client_for):
    a = BoardMemberFactory(centre=world.centre_a, full_name="Người của A")
    b = BoardMemberFactory(centre=world.centre_b, full_name="Người của B")
    course = _course(world, world.centre_a, world.centre_b)
    services.training_attendance_record(course=course, centre=world.centre_a, present=[f"b{a.pk}"], by=world.official)
    services.training_attendance_record(course=course, centre=world.centre_b, present=[f"b{b.pk}"], by=world.official)
    page = client_for(world.staff_a).get(f"/tap-huan/{course.pk}/").content.decode()
    assert "Người của A" in page and "Người của B" not in page and "Xã Thụy Trường" not in page


def test_other_province_official_gets_404(world, client_for):
    course = _course(world, world.centre_a)
    client = client_for(world.other_official)
    assert client.get(f"/tap-huan/{course.pk}/").status_code == 404
    assert client.get(f"/tap-huan/{course.pk}/sua/").status_code == 404
    assert "Tập huấn kỹ năng" not in client.get("/tap-huan/").content.decode()


def test_untrained_list_by_centre_and_role(world, client_for):
    trained = BoardMemberFactory(centre=world.centre_a, full_name="Đã Học Rồi")
    BoardMemberFactory(centre=world.centre_a, full_name="Chưa Học Ai")
    left = BoardMemberFactory(
        centre=world.centre_a, full_name="Đã Nghỉ", term_end=timezone.localdate() - datetime.timedelta(days=400)
    )
    link = AssignmentFactory(centre=world.centre_b, instructor__full_name="Giảng Viên Bê")
    course = _course(world, world.centre_a, world.centre_b)
    services.training_attendance_record(
        course=course, centre=world.centre_a, present=[f"b{trained.pk}"], by=world.official
    )
    client = client_for(world.official)
    page = client.get("/tap-huan/chua-tap-huan/").content.decode()
    assert "Chưa Học Ai" in page and "Giảng Viên Bê" in page
    assert "Đã Học Rồi" not in page and left.full_name not in page
    only_board = client.get("/tap-huan/chua-tap-huan/", {"vai_tro": "board"}).content.decode()
    assert "Chưa Học Ai" in only_board and "Giảng Viên Bê" not in only_board
    only_b = client.get("/tap-huan/chua-tap-huan/", {"trung_tam": world.centre_b.pk}).content.decode()
    assert "Giảng Viên Bê" in only_b and "Chưa Học Ai" not in only_b
    # The instructor trained for centre B counts as trained at centre A too: the history follows the person.
    AssignmentFactory(centre=world.centre_a, instructor=link.instructor)
    services.training_attendance_record(
        course=course, centre=world.centre_b, present=[f"i{link.instructor_id}"], by=world.official
    )
    assert "Giảng Viên Bê" not in client.get("/tap-huan/chua-tap-huan/").content.decode()


def test_a_new_term_of_a_trained_board_member_stays_trained(world, client_for):
    old = BoardMemberFactory(centre=world.centre_a, full_name="Hoàng Văn Tái", term_start=datetime.date(2015, 1, 1))
    course = _course(world, world.centre_a, start_date=datetime.date(2016, 3, 1), end_date=datetime.date(2016, 3, 2))
    BoardMember.objects.filter(pk=old.pk).update(term_end=datetime.date(2020, 12, 31))
    TrainingAttendance.objects.create(
        course=course, centre=world.centre_a, role="board", board_member=old, recorded_by=world.official
    )
    BoardMemberFactory(centre=world.centre_a, full_name="Hoàng Văn Tái", term_start=datetime.date(2021, 1, 1))
    assert "Hoàng Văn Tái" not in client_for(world.official).get("/tap-huan/chua-tap-huan/").content.decode()


def test_reviewer_sees_only_their_centres_untrained_and_staff_are_refused(world, client_for):
    BoardMemberFactory(centre=world.centre_a, full_name="Người của A")
    BoardMemberFactory(centre=world.centre_b, full_name="Người của B")
    page = client_for(world.reviewer_x).get("/tap-huan/chua-tap-huan/").content.decode()
    assert "Người của A" in page and "Người của B" not in page
    assert (
        client_for(world.reviewer_x).get("/tap-huan/chua-tap-huan/", {"trung_tam": world.centre_b.pk}).status_code
        == 404
    )
    assert client_for(world.staff_a).get("/tap-huan/chua-tap-huan/").status_code == 403


def test_untrained_export_holds_the_page_rows(world, client_for):
    BoardMemberFactory(centre=world.centre_a, full_name="Chưa Học Ai")
    response = client_for(world.official).get("/bao-cao/xuat/chua-tap-huan/", {"vai_tro": "board"})
    assert response.status_code == 200


def test_training_counts_as_evidence_in_the_self_assessment(world, client_for):
    from evaluations import services as ev

    year = timezone.localdate().year
    ev.rubric_create_default(province=world.province, year=year)
    assessment = ev.assessment_start(centre=world.centre_a, year=year, by=world.staff_a)
    member = BoardMemberFactory(centre=world.centre_a, full_name="Phạm Văn Giang")
    course = _course(world, world.centre_a, title="Tập huấn quản lý TTHTCĐ")
    services.training_attendance_record(
        course=course, centre=world.centre_a, present=[f"b{member.pk}"], by=world.official
    )
    page = client_for(world.staff_a).get(f"/danh-gia/phieu/{assessment.pk}/").content.decode()
    assert "Phạm Văn Giang" in page and "Tập huấn quản lý TTHTCĐ" in page


def test_list_query_count_is_pinned(world, client_for, django_assert_num_queries):
    for _ in range(3):
        _course(world, world.centre_a, world.centre_b)
    client = client_for(world.official)
    # session, user with their province (page header: accounts/backends.py), merged provinces (scoping), count,
    # courses (annotated)
    with django_assert_num_queries(5):
        client.get("/tap-huan/")
    for _ in range(3):
        BoardMemberFactory(centre=world.centre_a)
        AssignmentFactory(centre=world.centre_b)
    # session, user with their province (page header: accounts/backends.py), merged provinces (scoping), the
    # centre choices, board members, instructors: whatever the number of people
    client.get("/tap-huan/chua-tap-huan/")
    with django_assert_num_queries(6):
        client.get("/tap-huan/chua-tap-huan/")


def test_administrator_without_province_cannot_create(world, client_for):
    admin = UserFactory(username="admin1", role=User.Role.ADMIN)
    assert client_for(admin).get("/tap-huan/moi/").status_code == 403
