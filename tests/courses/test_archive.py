"""Nothing is destroyed (issue 14 item 2): deleting a class, session, learner, enrolment or board member archives
it, with its attendance and audit kept; the figures stay equal to a recount after the delete and after the
restore; provincial officials and administrators restore from /da-xoa/, refused with the reason when the year is
locked or the parent is still deleted; the audit trail says what was removed with what."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import User
from centres import services as centre_services
from centres.models import BoardMember
from courses import services
from courses.figures import figures_rebuild
from courses.models import Attendance, AttendanceAudit, ClassSession, Course, Enrolment, Learner
from evaluations.models import Assessment
from tests.centres.factories import BoardMemberFactory
from tests.clock import this_year
from tests.courses.factories import kind
from tests.courses.test_services import figures
from tests.factories import UserFactory

ARCHIVE = reverse("archive")


def D(month, day):
    return datetime.date(this_year(), month, day)


def restore_url(kind_slug, pk):
    return reverse("archive_restore", args=[kind_slug, pk])


@pytest.fixture
def roster(world):
    """A roster class of centre A with two sessions; Mai (a minority woman) present at both, Nam at the first."""
    staff = world.staff_a
    course = services.course_create(
        centre=world.centre_a, by=staff, programme_kind=kind("xoa-mu-chu"), title="Lớp xóa mù chữ thôn Nà Hẩu",
        format=Course.Format.ROSTER, start_date=D(1, 5), end_date=D(6, 30), planned_sessions=10,
    )  # fmt: skip
    first = services.class_session_create(course=course, by=staff, date=D(2, 2), topic="Bài 1")
    second = services.class_session_create(course=course, by=staff, date=D(3, 2), topic="Bài 2")
    mai = services.learner_create(
        centre=world.centre_a, by=staff, full_name="Lò Thị Mai", gender=Learner.Gender.FEMALE,
        ethnicity="Thái", is_minority=True,
    )  # fmt: skip
    nam = services.learner_create(centre=world.centre_a, by=staff, full_name="Vi Văn Nam", gender="male")
    e_mai, e_nam = services.enrolment_create_many(course=course, learners=[mai, nam], by=staff)
    services.attendance_save(course=course, presence={first.pk: {e_mai.pk, e_nam.pk}, second.pk: {e_mai.pk}}, by=staff)
    return course, first, second, mai, nam, e_mai, e_nam


def figures_equal_recount():
    kept = figures()
    figures_rebuild()
    assert kept == figures()
    return kept


def board_of(client, centre) -> str:
    """The centre page's board table (its history section below names past changes, deletions included)."""
    page = client.get(reverse("centres:detail", args=[centre.pk])).content.decode()
    return page.split('data-export="ban-giam-doc"')[1].split("</table>")[0]


def lock(world, year=None):
    Assessment.objects.create(
        centre=world.centre_a, year=year or this_year(), status=Assessment.Status.APPROVED, rating="tot"
    )


def test_deleting_a_class_keeps_it_its_sessions_and_attendance_and_a_restore_brings_it_back(world, roster, client_for):
    course, first, second, *_rest = roster
    before = figures_equal_recount()
    audits = AttendanceAudit.objects.count()
    staff = client_for(world.staff_a)
    response = staff.post(reverse("courses:delete", args=[course.pk]), follow=True)
    assert "Đã xóa lớp «Lớp xóa mù chữ thôn Nà Hẩu»" in response.content.decode()
    assert staff.get(reverse("courses:detail", args=[course.pk])).status_code == 404
    assert "Lớp xóa mù chữ thôn Nà Hẩu" not in staff.get(reverse("courses:list")).content.decode()
    # Nothing destroyed: every row is still there, archived together; attendance and its audit untouched.
    assert Course.all_objects.get(pk=course.pk).archived_by == world.staff_a
    stamps = {s.archived_at for s in ClassSession.all_objects.filter(course=course)}
    assert stamps == {Course.all_objects.get(pk=course.pk).archived_at}
    assert Enrolment.all_objects.filter(course=course, archived_at__isnull=False).count() == 2
    assert Attendance.objects.filter(session__course=course).count() == 4  # present and absent marks
    assert AttendanceAudit.objects.count() == audits
    # The figures lost the class and its sessions, and still equal a recount.
    assert figures_equal_recount() == []

    official = client_for(world.official)
    page = official.get(ARCHIVE).content.decode()
    assert "Lớp xóa mù chữ thôn Nà Hẩu" in page and "Xóa cùng: 2 buổi học, 2 ghi danh" in page
    assert "Bài 1" not in page  # its sessions come back with the class, not one by one
    response = official.post(restore_url("lop", course.pk), follow=True)
    assert "Đã khôi phục Lớp xóa mù chữ thôn Nà Hẩu." in response.content.decode()
    assert ClassSession.objects.filter(course=course).count() == 2
    assert Enrolment.objects.filter(course=course).count() == 2
    assert figures_equal_recount() == before


def test_a_session_deleted_on_its_own_stays_deleted_when_its_class_comes_back(world, roster, client_for):
    course, first, second, *_rest = roster
    services.class_session_archive(session=first, by=world.staff_a)
    figures_equal_recount()
    services.course_archive(course=course, by=world.staff_a)
    official = client_for(world.official)
    # The session's own restore waits for its class.
    response = official.post(restore_url("buoi", first.pk), follow=True)
    assert "đã bị xóa: hãy khôi phục lớp trước" in response.content.decode()
    assert ClassSession.all_objects.get(pk=first.pk).archived_at is not None
    official.post(restore_url("lop", course.pk))
    assert list(ClassSession.objects.filter(course=course)) == [second]
    figures_equal_recount()
    official.post(restore_url("buoi", first.pk))
    assert ClassSession.objects.filter(course=course).count() == 2
    assert figures_equal_recount()[0][4:7] == (2, 3, 2)  # sessions, participations, women


def test_deleting_a_learner_takes_them_off_rosters_and_counts_and_a_restore_puts_them_back(world, roster, client_for):
    course, first, second, mai, nam, e_mai, e_nam = roster
    before = figures_equal_recount()
    staff = client_for(world.staff_a)
    page = staff.get(reverse("courses:learners"), {"trung_tam": world.centre_a.pk}).content.decode()
    assert reverse("courses:learner_delete", args=[mai.pk]) in page
    response = staff.post(reverse("courses:learner_delete", args=[mai.pk]), follow=True)
    assert "Đã xóa người học Lò Thị Mai khỏi danh sách." in response.content.decode()
    assert "Lò Thị Mai" not in staff.get(reverse("courses:learners"), {"trung_tam": world.centre_a.pk}).content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.present, first.women, first.minorities, second.present) == (1, 0, 0, 0)
    assert Enrolment.all_objects.get(pk=e_mai.pk).archived_at == Learner.all_objects.get(pk=mai.pk).archived_at
    assert Attendance.objects.filter(enrolment=e_mai).count() == 2  # kept
    assert AttendanceAudit.objects.filter(session=first, present_before=2, present_after=1, by=world.staff_a).exists()
    figures_equal_recount()
    # She can be listed again and is not offered twice; the official restores her with her enrolment.
    response = client_for(world.official).post(restore_url("hoc-vien", mai.pk), follow=True)
    assert "Đã khôi phục Lò Thị Mai." in response.content.decode()
    first.refresh_from_db()
    assert (first.present, first.women, first.minorities) == (2, 1, 1)
    assert figures_equal_recount() == before


def test_taking_a_learner_off_a_class_and_enrolling_again(world, roster, client_for):
    course, first, second, mai, nam, e_mai, e_nam = roster
    staff = client_for(world.staff_a)
    detail = staff.get(reverse("courses:detail", args=[course.pk])).content.decode()
    assert reverse("courses:enrolment_delete", args=[e_nam.pk]) in detail
    staff.post(reverse("courses:enrolment_delete", args=[e_nam.pk]), follow=True)
    assert "Vi Văn Nam" not in staff.get(reverse("courses:detail", args=[course.pk])).content.decode()
    first.refresh_from_db()
    assert first.present == 1
    figures_equal_recount()
    # Enrolled again by mistake's fix: a new enrolment, so the old one cannot come back on top of it.
    (again,) = services.enrolment_create_many(course=course, learners=[nam], by=world.staff_a)
    response = client_for(world.official).post(restore_url("ghi-danh", e_nam.pk), follow=True)
    assert "Vi Văn Nam đã được ghi danh lại vào lớp" in response.content.decode()
    assert Enrolment.objects.filter(course=course, learner=nam).get() == again
    figures_equal_recount()


def test_a_locked_year_refuses_the_restore_with_its_reason_and_writes_nothing(world, roster, client_for):
    course, first, *_rest = roster
    services.course_archive(course=course, by=world.staff_a)
    lock(world)
    kept = figures()
    response = client_for(world.official).post(restore_url("lop", course.pk), follow=True)
    assert "đã được Sở phê duyệt và khóa" in response.content.decode()
    assert Course.all_objects.get(pk=course.pk).archived_at is not None
    assert figures() == kept


def test_deleting_a_board_member_and_restoring_it_unless_it_clashes(world, client_for):
    member = BoardMemberFactory(
        centre=world.centre_a, full_name="Phạm Văn Đức", position=BoardMember.Position.GIAM_DOC, term_end=None
    )
    staff = client_for(world.staff_a)
    edit = staff.get(reverse("centres:board_edit", args=[world.centre_a.pk, member.pk])).content.decode()
    assert reverse("centres:board_delete", args=[world.centre_a.pk, member.pk]) in edit
    staff.post(reverse("centres:board_delete", args=[world.centre_a.pk, member.pk]), follow=True)
    assert "Phạm Văn Đức" not in board_of(staff, world.centre_a)
    assert BoardMember.all_objects.get(pk=member.pk).archived_by == world.staff_a
    # A new director was appointed meanwhile: the old open term cannot come back beside them.
    centre_services.board_member_create(
        centre=world.centre_a, by=world.staff_a,
        fields={"full_name": "Nguyễn Văn An", "gender": "nam", "position": BoardMember.Position.GIAM_DOC,
                "term_start": member.term_start},
    )  # fmt: skip
    official = client_for(world.official)
    response = official.post(restore_url("ban-giam-doc", member.pk), follow=True)
    assert "Trung tâm đã có Giám đốc Nguyễn Văn An" in response.content.decode()
    assert BoardMember.all_objects.get(pk=member.pk).archived_at is not None
    BoardMember.objects.filter(full_name="Nguyễn Văn An").update(term_end=member.term_start)
    BoardMember.all_objects.filter(pk=member.pk).update(term_start=member.term_start + datetime.timedelta(days=1))
    official.post(restore_url("ban-giam-doc", member.pk))
    assert "Phạm Văn Đức" in board_of(staff, world.centre_a)


def test_only_province_level_users_in_scope_see_and_restore(world, roster, client_for):
    course, *_rest = roster
    services.course_archive(course=course, by=world.staff_a)
    for persona in ("staff_a", "reviewer_x"):
        client = client_for(getattr(world, persona))
        assert client.get(ARCHIVE).status_code == 403
        assert client.post(restore_url("lop", course.pk)).status_code == 403
    other = client_for(world.other_official)
    assert "Lớp xóa mù chữ" not in other.get(ARCHIVE).content.decode()
    assert other.post(restore_url("lop", course.pk)).status_code == 404
    assert other.post(restore_url("khong-co", course.pk)).status_code == 404
    admin = client_for(UserFactory(username="quan_tri", role=User.Role.ADMIN))
    assert "Lớp xóa mù chữ" in admin.get(ARCHIVE).content.decode()
    assert admin.post(restore_url("lop", course.pk)).status_code == 302
    assert Course.objects.filter(pk=course.pk).exists()
    # A live object is not in the archive: 404.
    assert admin.post(restore_url("lop", course.pk)).status_code == 404


def test_the_archive_page_costs_a_fixed_number_of_queries(world, roster, client_for, django_assert_num_queries):
    course, first, second, mai, nam, e_mai, e_nam = roster
    services.class_session_archive(session=second, by=world.staff_a)
    services.enrolment_archive(enrolment=e_nam, by=world.staff_a)
    centre_services.board_member_archive(member=BoardMemberFactory(centre=world.centre_a), by=world.staff_a)
    services.learner_archive(learner=mai, by=world.staff_a)
    client = client_for(world.official)
    # session + user with their province (the header's name: accounts/backends.py); the official's province ids
    # (once); one query per kind (5), each with its centre, who deleted it and what went with it.
    with django_assert_num_queries(2 + 1 + 5):
        page = client.get(ARCHIVE)
    text = page.content.decode()
    assert (
        f"Lớp xóa mù chữ thôn Nà Hẩu – {second.date:%d/%m/%Y}" in text
        and "Vi Văn Nam – Lớp xóa mù chữ" in text
        and "Lò Thị Mai" in text
    )


def test_the_audit_trail_says_what_was_removed_with_the_class(world, roster, client_for):
    course, *_rest = roster
    services.course_archive(course=course, by=world.staff_a)
    client = client_for(world.official)
    text = client.get(reverse("reports:audit"), {"doi_tuong": "buoi-hoc"}).content.decode()
    assert "Xóa (lưu trữ)" in text and "Xóa cùng lớp «Lớp xóa mù chữ thôn Nà Hẩu»" in text
    assert "Lớp xóa mù chữ thôn Nà Hẩu – " in text  # the session still named with its class
    text = client.get(reverse("reports:audit"), {"doi_tuong": "ghi-danh"}).content.decode()
    assert "Lò Thị Mai – Lớp xóa mù chữ thôn Nà Hẩu" in text and "Xóa cùng lớp" in text
    client.post(restore_url("lop", course.pk))
    text = client.get(reverse("reports:audit"), {"doi_tuong": "lop-hoc"}).content.decode()
    assert "Khôi phục lớp" in text


def test_the_admin_site_cannot_hard_delete_a_board_member(world, client_for):
    member = BoardMemberFactory(centre=world.centre_a)
    admin = client_for(UserFactory(username="quan_tri", role=User.Role.ADMIN, is_staff=True, is_superuser=True))
    assert admin.get(reverse("admin:centres_boardmember_delete", args=[member.pk])).status_code == 403
    assert BoardMember.objects.filter(pk=member.pk).exists()
